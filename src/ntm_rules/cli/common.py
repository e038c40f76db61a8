"""What every `ntm-check` command shares: option types, the consoles, the one error guard."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from ..errors import InvalidFileError, NtmRulesError
from ..load.catalog import Catalog

if TYPE_CHECKING:  # rich is imported when something is printed through it
    from rich.console import Console


class DefaultGroup(TyperGroup):
    """Runs `check` when the first word is not a command: `ntm-check commune.yaml`."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        from .help_vi import translate

        translate(self, args)  # --help in the reader's language
        words = [a for a in args if not a.startswith("-")]
        asks_help = bool({"--help", "--version"} & set(args))
        if args and not asks_help and (not words or words[0] not in self.commands):
            args = ["check", *args]
        return super().parse_args(ctx, args)


class Fmt(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


class Lang(StrEnum):
    vi = "vi"
    en = "en"


class Engine(StrEnum):
    core = "core"
    durable = "durable"


PathsArg = Annotated[
    list[Path],
    typer.Argument(help="Commune files (YAML, CSV, XLSX) or directories of them."),
]
CriteriaOpt = Annotated[
    Path | None,
    typer.Option(
        "--criteria",
        help="A criteria directory to use instead of the shipped one.",
        file_okay=False,
    ),
]
FormatOpt = Annotated[Fmt, typer.Option("--format", "-f", help="Output format.")]
LangOpt = Annotated[
    Lang,
    typer.Option(
        "--lang",
        envvar="NTM_RULES_LANG",
        help="Ngôn ngữ / language: vi (mặc định / default) or en; also NTM_RULES_LANG.",
    ),
]
SetsOpt = Annotated[
    list[str] | None,
    typer.Option("--set", "-s", help="Criteria set id or file (repeat: first = old)."),
]
AssumeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--assume",
        help="A what-if threshold, e.g. 10@TN:2024=45 (repeat it; @FILE reads one per line). "
        "Every result that uses one is marked assumed, never verified.",
    ),
]
HtmlOpt = Annotated[Path | None, typer.Option(help="Write a self-contained HTML report.")]
XlsxOpt = Annotated[Path | None, typer.Option(help="Write per-commune results as XLSX.")]
CsvOpt = Annotated[Path | None, typer.Option("--csv", help="Write per-commune results as CSV.")]


class CsvStyle(StrEnum):
    standard = "standard"
    excel_vi = "excel-vi"


CsvStyleOpt = Annotated[
    CsvStyle,
    typer.Option(
        "--csv-style",
        help="For --csv and --long: standard (',' and the decimal point), or excel-vi (';' and "
        "the decimal comma, for Excel under Vietnamese regional settings).",
    ),
]
LongOpt = Annotated[
    Path | None,
    typer.Option("--long", help="Write one row per commune, set and indicator check as CSV."),
]
SqliteOpt = Annotated[
    Path | None, typer.Option("--sqlite", help="Write every result as a SQLite database.")
]
AnnotateOpt = Annotated[
    Path | None,
    typer.Option(
        "--annotate", help="Write the input workbook back with every problem marked on its cell."
    ),
]
ForceOpt = Annotated[bool, typer.Option(help="Overwrite existing output files.")]


class _Api:
    """The use cases (:mod:`ntm_rules.api`), imported when a command first calls one: `--help`
    and `version` need none of them."""

    def __getattr__(self, name: str) -> Any:
        from .. import api as module

        return getattr(module, name)


api: Any = _Api()


def console() -> Console:
    """Standard output. A reader that goes away (`ntm-check … | head`) is not an error: the
    rest of the output is dropped and the exit code stays 0 (1 means "not certified")."""
    from rich.console import Console

    class _Out(Console):
        def on_broken_pipe(self) -> None:
            quiet_stdout()
            raise typer.Exit(0)

    return _Out(soft_wrap=False, width=None if sys.stdout.isatty() else 160, highlight=False)


def err_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True, highlight=False)


def fail(exc: NtmRulesError, lang: str = "vi") -> NoReturn:
    from ..issue_text import error_text, issue_text
    from ..report import clean

    err = err_console()
    if isinstance(exc, InvalidFileError):
        for issue in exc.issues:
            err.print(clean(issue_text(issue, lang)), markup=False)
    else:
        word = "lỗi" if lang == "vi" else "error"
        err.print(clean(f"{word}: {error_text(str(exc), lang)}"), markup=False)
    raise typer.Exit(2)


@contextmanager
def guard(lang: Any = "vi") -> Iterator[None]:
    """The one error guard: a library error is printed, located, and exits 2."""
    try:
        yield
    except NtmRulesError as exc:
        fail(exc, str(getattr(lang, "value", lang)))
    except BrokenPipeError:  # `ntm-check … | head`: the reader is gone; nothing went wrong
        quiet_stdout()
        raise typer.Exit(0) from None


def quiet_stdout() -> None:
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


# Results shown by a command run through `main()`, kept until the process ends: it leaves
# without freeing them (see `main`), so a province's millions of objects are never freed one by
# one when the command returns (~0.02 s at 10,000 communes). Tests calling the app directly
# keep nothing.
KEPT: list[Any] | None = None


def show(result: Any, fmt: Fmt, lang: Lang) -> None:
    from ..report import load_for, render, write_json

    if KEPT is not None:
        KEPT.append(result)
    with guard(lang):
        if fmt == Fmt.json:  # straight to standard output: no console, no rich
            write_json(result, sys.stdout)
            return
        load_for(result)
        render(result, fmt.value, lang.value, console())


def read_inputs(paths: Any, catalog: Catalog, strict: bool = True, lang: Any = "vi") -> Any:
    """The communes of `paths`; warnings (and, not strict, skipped rows) printed on stderr."""
    from ..errors import Issue, Location
    from ..issue_text import issue_text
    from ..report import clean

    code = str(getattr(lang, "value", lang))
    inputs = api.read_communes(paths, catalog, strict=strict)
    if not inputs.skipped and not inputs.issues:
        return inputs
    err = err_console()
    for skipped in inputs.skipped:
        note = Issue("not-read", skipped.reason, Location(skipped.path), severity="note")
        err.print(clean(issue_text(note, code)), markup=False)
    for issue in inputs.issues:
        err.print(clean(issue_text(issue, code)), markup=False)
    return inputs


def chosen_sets(
    catalog: Catalog, sets: list[str] | None, from_set: str | None, to_set: str | None
) -> list[Any]:
    """The sets named by --set, or the transition --from/--to (a missing side: the default
    transition's), or none (the default transition is then the scorer's)."""
    chosen = [catalog.load(s) for s in sets or []]
    if not chosen and (from_set or to_set):
        default_old, default_new = catalog.default_transition()
        chosen = [
            catalog.load(from_set) if from_set else default_old,
            catalog.load(to_set) if to_set else default_new,
        ]
    return chosen


def catalog_of(criteria: Path | None, assume: list[str] | None = None) -> Catalog:
    """The criteria catalog (`--criteria`), with the what-if thresholds of `--assume`."""
    catalog = Catalog(criteria) if criteria is not None else Catalog()
    if assume:
        from ..load.assume import read_assumptions

        catalog = catalog.assuming(read_assumptions(assume, catalog.regions))
    return catalog


@contextmanager
def progress(count: int) -> Iterator[Callable[[str], None] | None]:
    """A progress display on a terminal for long runs (nothing otherwise)."""
    if count < 2000 or not sys.stderr.isatty():
        yield None
        return
    err = err_console()
    if not err.is_terminal:
        yield None
        return
    from rich.progress import Progress

    with Progress(console=err, transient=True) as progress:
        task = progress.add_task(f"{count} communes", total=None)

        def step(label: str) -> None:
            progress.update(task, description=f"{count} communes: {label}")

        yield step
