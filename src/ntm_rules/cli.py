"""`ntm-check`: a thin command line over the library.

Parse options, call the library, pick a reporter, pick an exit code: 0 done, 1 (`--strict`) a
commune is not certified, 2 bad input. Nothing else lives here.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from typer.core import TyperGroup

from . import __version__
from .api import assess, assess_tiers, set_in_force
from .diff import diff_sets
from .errors import InvalidFileError, Issue, Location, NtmRulesError
from .explain import explain_criterion, render_explanation
from .load.catalog import Catalog
from .load.communes import Commune, load_communes
from .load.regions import REGION_CODES
from .load.validate import validate_files
from .model.criteria import CriteriaSet
from .model.results import CommuneReport
from .report import commune as commune_reporters
from .report import print_json
from .report import sets as catalog_reporters
from .report.template import render_template
from .sets_info import SetSummary, SetView


class DefaultGroup(TyperGroup):
    """Runs `check` when the first word is not a command: `ntm-check commune.yaml`."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        words = [a for a in args if not a.startswith("-")]
        asks_help = bool({"--help", "--version"} & set(args))
        if args and not asks_help and (not words or words[0] not in self.commands):
            args = ["check", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=DefaultGroup,
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Check Vietnamese communes against the national new-rural (NTM) criteria. "
    "`ntm-check COMMUNE.yaml` is short for `ntm-check check COMMUNE.yaml`.",
)


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


CriteriaOpt = Annotated[
    Path | None,
    typer.Option(
        "--criteria",
        help="A criteria directory to use instead of the shipped one.",
        file_okay=False,
    ),
]
FormatOpt = Annotated[Fmt, typer.Option("--format", "-f", help="Output format.")]
LangOpt = Annotated[Lang, typer.Option("--lang", help="Language of labels and messages.")]


def _console() -> Console:
    return Console(soft_wrap=False, width=None if sys.stdout.isatty() else 160)


def _err() -> Console:
    return Console(stderr=True, soft_wrap=True, highlight=False)


def _fail(exc: NtmRulesError) -> NoReturn:
    err = _err()
    if isinstance(exc, InvalidFileError):
        for issue in exc.issues:
            err.print(str(issue), markup=False, highlight=False)
    else:
        err.print(f"error: {exc}", markup=False, highlight=False)
    raise typer.Exit(2)


T = TypeVar("T")


def _attempt(work: Callable[[], T]) -> T:
    """Run `work`; a library error becomes its located messages on stderr and exit code 2."""
    try:
        return work()
    except NtmRulesError as exc:
        _fail(exc)


def _emit(result: Any, fmt: Fmt, lang: Lang, render: Callable[[Any, str, Console], None]) -> None:
    """JSON (the library's to_dict()) or the rich rendering chosen by the command."""
    console = _console()
    if fmt == Fmt.json:
        print_json(result, console)
    else:
        render(result, lang.value, console)


def _catalog(criteria: Path | None) -> Catalog:
    return Catalog(criteria) if criteria is not None else Catalog()


def _load_communes(paths: list[Path], catalog: Catalog) -> list[Commune]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.glob("*.y*ml") if p.suffix in (".yaml", ".yml")))
        else:
            files.append(path)
    if not files:
        raise NtmRulesError("no commune files found (expected .yaml files)")
    communes: list[Commune] = []
    issues = []
    for file in files:
        try:
            communes.extend(load_communes(file, catalog.measures, catalog.regions, catalog.ids()))
        except InvalidFileError as exc:
            issues.extend(exc.issues)
    if issues:
        raise InvalidFileError(issues)
    return communes


@app.command("check")
def check_cmd(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Commune files (YAML, CSV, XLSX) or directories of YAML files."),
    ],
    sets: Annotated[
        list[str] | None,
        typer.Option(
            "--set", "-s", help="Criteria set id or file (repeat to compare; first = old)."
        ),
    ] = None,
    fmt: FormatOpt = Fmt.table,
    lang: LangOpt = Lang.vi,
    strict: Annotated[bool, typer.Option(help="Exit 1 unless every commune is certified.")] = False,
    engine: Annotated[Engine, typer.Option(help="Scoring engine.")] = Engine.core,
    tiers: Annotated[
        bool,
        typer.Option(
            "--tiers",
            help="Evaluate every tier (standard, advanced, model) and show the highest "
            "reached and the gaps to the next.",
        ),
    ] = False,
    criteria: CriteriaOpt = None,
) -> None:
    """Score communes against the set in force for their data year, or the sets named."""
    try:
        catalog = _catalog(criteria)
        if tiers and sets:
            raise NtmRulesError(
                "--tiers evaluates the national standard, advanced and model "
                "sets in force for the data year; it cannot be combined with "
                "--set (score an overlay with --set alone)"
            )
        communes = _communes(paths, catalog)
        chosen = [catalog.load(s) for s in sets or []]
        reports: list[CommuneReport] = []
        for commune in communes:
            if tiers:
                reports.append(assess_tiers(commune, catalog))
                continue
            use = chosen or [set_in_force(commune, catalog)]
            reports.append(assess(commune, use, catalog, engine=engine.value))
    except NtmRulesError as exc:
        _fail(exc)
        return
    console = _console()
    if fmt == Fmt.json:
        if len(reports) == 1:
            print_json(reports[0], console)
        else:
            print_json(_Many(reports), console)
    elif fmt == Fmt.markdown:
        console.file.write(
            "\n".join(commune_reporters.render_markdown(r, lang.value) for r in reports) + "\n"
        )
    else:
        for report in reports:
            commune_reporters.render_table(report, lang.value, console)
    if strict and any(ev.verdict != "certified" for r in reports for ev in r.evaluations):
        raise typer.Exit(1)


class _Many:
    def __init__(self, reports: list[CommuneReport]) -> None:
        self.reports = reports

    def to_dict(self) -> dict[str, Any]:
        return {"reports": [r.to_dict() for r in self.reports]}


@app.command("compare")
def compare_cmd(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Commune files (YAML, CSV, XLSX) or directories of YAML files."),
    ],
    from_set: Annotated[str, typer.Option("--from", help="The old set.")] = "ntm-2016-2020",
    to_set: Annotated[str, typer.Option("--to", help="The new set.")] = "ntm-2021-2025",
    fmt: FormatOpt = Fmt.table,
    lang: LangOpt = Lang.vi,
    criteria: CriteriaOpt = None,
) -> None:
    """Which communes keep, lose or gain certification from one set to another."""
    from .compare_view import CompareView, render_compare

    try:
        catalog = _catalog(criteria)
        communes = _communes(paths, catalog)
        old, new = catalog.load(from_set), catalog.load(to_set)
        view = CompareView(old.id, new.id, tuple(assess(c, [old, new], catalog) for c in communes))
    except NtmRulesError as exc:
        _fail(exc)
        return
    console = _console()
    if fmt == Fmt.json:
        print_json(view, console)
    else:
        render_compare(view, lang.value, console, markdown=fmt == Fmt.markdown)


def _read_inputs(paths: list[Path], catalog: Catalog) -> tuple[list[Commune], list[Any]]:
    """Communes from YAML files, directories, CSV or XLSX; bad rows become issues."""
    from .load.table import read_table

    communes: list[Commune] = []
    row_issues: list[Any] = []
    file_issues: list[Any] = []
    for path in paths:
        if not path.is_dir() and path.suffix.lower() not in (".yaml", ".yml"):
            try:
                table = read_table(path, catalog.measures, catalog.regions)
            except InvalidFileError as exc:
                file_issues.extend(exc.issues)
                continue
            communes.extend(table.communes)
            row_issues.extend(i for i in table.issues if i.severity == "error")
            for warning in (i for i in table.issues if i.severity != "error"):
                _err().print(str(warning), markup=False, highlight=False)
        else:
            try:
                communes.extend(_load_communes([path], catalog))
            except InvalidFileError as exc:
                file_issues.extend(exc.issues)
    known = set(catalog.ids())
    for commune in communes:  # table rows (YAML files are checked as they are read)
        rec = commune.recognized
        file, _, row = commune.file.partition("#row")
        if rec is not None and rec.set not in known and row.isdigit():
            file_issues.append(
                Issue(
                    "unknown-set",
                    f"{commune.name}: recognized under unknown set {rec.set!r}",
                    Location(file, int(row), 1, "recognized_set"),
                    f"known sets: {', '.join(sorted(known))}",
                )
            )
    if file_issues:
        raise InvalidFileError(file_issues)
    return communes, row_issues


def _communes(paths: list[Path], catalog: Catalog) -> list[Commune]:
    """Every commune of the inputs; here (unlike `batch`) a bad row is an error."""
    communes, row_issues = _read_inputs(paths, catalog)
    if row_issues:
        raise InvalidFileError(row_issues)
    return communes


@app.command("batch")
def batch_cmd(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Communes: a directory of YAML files, a YAML file, a CSV or an XLSX file."
        ),
    ],
    from_set: Annotated[str | None, typer.Option("--from", help="The old set.")] = None,
    to_set: Annotated[str | None, typer.Option("--to", help="The new set.")] = None,
    sets: Annotated[
        list[str] | None,
        typer.Option("--set", "-s", help="Score against these sets instead (repeatable)."),
    ] = None,
    html: Annotated[Path | None, typer.Option(help="Write a self-contained HTML report.")] = None,
    xlsx: Annotated[Path | None, typer.Option(help="Write per-commune results as XLSX.")] = None,
    csv_out: Annotated[
        Path | None, typer.Option("--csv", help="Write per-commune results as CSV.")
    ] = None,
    force: Annotated[bool, typer.Option(help="Overwrite existing output files.")] = False,
    strict: Annotated[
        bool, typer.Option(help="Stop (exit 2) on any bad row instead of skipping it.")
    ] = False,
    tiers: Annotated[
        bool,
        typer.Option(
            "--tiers", help="Also count communes per highest tier (standard, advanced, model)."
        ),
    ] = False,
    fmt: FormatOpt = Fmt.table,
    lang: LangOpt = Lang.vi,
    criteria: CriteriaOpt = None,
) -> None:
    """Score a whole province: headline figures, lost certifications, hard criteria, gaps."""
    from .api import units_of
    from .province import run_batch
    from .report.province import render_batch, render_batch_markdown

    err = _err()
    try:
        catalog = _catalog(criteria)
        if sets:
            chosen = [catalog.load(s) for s in sets]
        else:
            chosen = [
                catalog.load(from_set or "ntm-2016-2020"),
                catalog.load(to_set or "ntm-2021-2025"),
            ]
        communes, row_issues = _read_inputs(paths, catalog)
        if row_issues and strict:
            raise InvalidFileError(row_issues)
        for issue in row_issues:
            err.print(str(issue), markup=False, highlight=False)
        if not communes:
            raise NtmRulesError("no commune could be read from the input")
        tier_chain = []
        if tiers:
            from .score.tiers import TIER_ORDER

            newest = max(s.period[1] for s in chosen)
            found = (catalog.in_force(tier, newest) for tier in TIER_ORDER)
            tier_chain = [s for s in found if s is not None]
        with _progress(err, len(communes)) as step:
            result = run_batch(communes, chosen, units_of(catalog), row_issues, step, tier_chain)
        data = result.to_dict()
        # everything read counts as an input: communes, the criteria directory, set files
        read = [*paths, catalog.root, *(Path(s.path) for s in chosen if s.path)]
        _write_outputs(data, read, html, xlsx, csv_out, force, lang.value)
    except NtmRulesError as exc:
        _fail(exc)
        return
    console = _console()
    if fmt == Fmt.json:
        console.file.write(json.dumps(data, ensure_ascii=False) + "\n")
    elif fmt == Fmt.markdown:
        console.file.write(render_batch_markdown(data, lang.value))
    else:
        render_batch(data, lang.value, console)


def _files(paths: list[Path]) -> list[Path]:
    """Every file under the given files and directories (what a run has read)."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path])
    return files


@contextmanager
def _progress(err: Console, count: int) -> Iterator[Callable[[str], None] | None]:
    """A progress display on a terminal for long runs (nothing otherwise)."""
    if count < 2000 or not err.is_terminal:
        yield None
        return
    from rich.progress import Progress

    with Progress(console=err, transient=True) as progress:
        task = progress.add_task(f"{count} communes", total=None)

        def step(label: str) -> None:
            progress.update(task, description=f"{count} communes: {label}")

        yield step


def _write_outputs(
    data: dict[str, Any],
    inputs: list[Path],
    html: Path | None,
    xlsx: Path | None,
    csv_out: Path | None,
    force: bool,
    lang: str,
) -> None:
    from .report.html import render_html
    from .report.sheets import results_csv, write_results_xlsx
    from .report.write import check_output_path, write_atomic, write_atomic_with

    outputs = [p.resolve() for p in (html, xlsx, csv_out) if p is not None]
    if len(set(outputs)) != len(outputs):
        raise NtmRulesError("--html, --xlsx and --csv must name different files")
    inputs = _files(inputs)
    for out in (html, xlsx, csv_out):  # refuse before anything is written
        if out is not None:
            check_output_path(out, force=force, inputs=inputs)
    if html is not None:
        write_atomic(html, render_html(data, lang), force=force, inputs=inputs)
    if csv_out is not None:
        write_atomic(csv_out, results_csv(data), force=force, inputs=inputs)
    if xlsx is not None:
        write_atomic_with(
            xlsx, lambda tmp: write_results_xlsx(data, tmp, lang), force=force, inputs=inputs
        )


@app.command("explain")
def explain_cmd(
    path: Annotated[Path, typer.Argument(help="One commune YAML file.")],
    criterion: Annotated[str, typer.Argument(help="Criterion number, e.g. 10.")],
    set_ref: Annotated[str | None, typer.Option("--set", "-s", help="Criteria set.")] = None,
    fmt: FormatOpt = Fmt.table,
    lang: LangOpt = Lang.vi,
    criteria: CriteriaOpt = None,
) -> None:
    """Why a criterion passed or failed: every indicator, value, threshold and source."""

    def work() -> Any:
        catalog = _catalog(criteria)
        communes = _communes([path], catalog)
        if len(communes) != 1:
            raise NtmRulesError(f"{path} holds {len(communes)} communes; explain takes one")
        commune = communes[0]
        cset = catalog.load(set_ref) if set_ref else set_in_force(commune, catalog)
        return explain_criterion(commune, cset, criterion, catalog)

    _emit(_attempt(work), fmt, lang, render_explanation)


@app.command("sets")
def sets_cmd(
    fmt: FormatOpt = Fmt.table, lang: LangOpt = Lang.vi, criteria: CriteriaOpt = None
) -> None:
    """List the criteria sets and overlays: decision, period, counts, verified share."""
    summaries = _attempt(lambda: [SetSummary(s) for s in _catalog(criteria).all_sets()])
    _emit(
        _List("sets", summaries),
        fmt,
        lang,
        lambda result, language, console: catalog_reporters.render_sets(
            result.items, language, console
        ),
    )


class _List:
    def __init__(self, key: str, items: list[Any]) -> None:
        self.key, self.items = key, items

    def to_dict(self) -> dict[str, Any]:
        return {self.key: [i.to_dict() for i in self.items]}


def _region(catalog: Catalog, region: str | None) -> str | None:
    if region is None:
        return None
    code = catalog.regions.region_code(region)
    if code is None:
        raise NtmRulesError(f"unknown region {region!r}: {catalog.regions.region_hint(region)}")
    return code


@app.command("show")
def show_cmd(
    set_ref: Annotated[str, typer.Argument(metavar="SET", help="Set id or file.")],
    region: Annotated[
        str | None, typer.Option(help=f"Region: {', '.join(REGION_CODES)} or its Vietnamese name.")
    ] = None,
    year: Annotated[int | None, typer.Option(help="Year for year-dependent values.")] = None,
    fmt: FormatOpt = Fmt.table,
    lang: LangOpt = Lang.vi,
    criteria: CriteriaOpt = None,
) -> None:
    """Show a set's effective thresholds with their source and verification mark."""

    def work() -> SetView:
        catalog = _catalog(criteria)
        return SetView(catalog.load(set_ref), catalog.measures, _region(catalog, region), year)

    _emit(_attempt(work), fmt, lang, catalog_reporters.render_show)


@app.command("diff")
def diff_cmd(
    set_a: Annotated[str, typer.Argument(metavar="OLD")],
    set_b: Annotated[str, typer.Argument(metavar="NEW")],
    year_from: Annotated[int | None, typer.Option(help="Year to read OLD's values at.")] = None,
    year_to: Annotated[int | None, typer.Option(help="Year to read NEW's values at.")] = None,
    fmt: FormatOpt = Fmt.table,
    lang: LangOpt = Lang.vi,
    criteria: CriteriaOpt = None,
) -> None:
    """Indicators added, removed, moved and changed (per region) between two sets."""

    def work() -> Any:
        catalog = _catalog(criteria)
        old: CriteriaSet = catalog.load(set_a)
        new: CriteriaSet = catalog.load(set_b)
        return diff_sets(old, new, year_from, year_to)

    _emit(_attempt(work), fmt, lang, catalog_reporters.render_diff)


@app.command("validate")
def validate_cmd(
    files: Annotated[list[Path], typer.Argument(help="Criteria, overlay or commune files.")],
    fmt: FormatOpt = Fmt.table,
    lang: LangOpt = Lang.vi,
    criteria: CriteriaOpt = None,
) -> None:
    """Check files and report every problem as file:line:col; exit 2 if any."""
    paths: list[Path] = []
    for path in files:
        if path.is_dir():
            paths.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.suffix.lower() in (".yaml", ".yml", ".csv", ".xlsx")
                )
            )
        else:
            paths.append(path)
    report = _attempt(lambda: validate_files(paths, _catalog(criteria)))
    _emit(report, fmt, lang, catalog_reporters.render_validation)
    if not report.ok:
        raise typer.Exit(2)


class TemplateFmt(StrEnum):
    yaml = "yaml"
    xlsx = "xlsx"


@app.command("template")
def template_cmd(
    set_ref: Annotated[str, typer.Argument(metavar="SET", help="Set id or file.")],
    fmt: Annotated[
        TemplateFmt,
        typer.Option(
            "--format",
            "-f",
            help="yaml: a commune file on stdout; xlsx: the data-collection "
            "workbook (needs --output).",
        ),
    ] = TemplateFmt.yaml,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write.")] = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing output file.")] = False,
    lang: LangOpt = Lang.vi,
    criteria: CriteriaOpt = None,
) -> None:
    """A blank commune file (YAML) or data-collection workbook (XLSX) for a set: every measure
    it reads, with units, vi/en labels and, in XLSX, data validation."""
    from .report.write import write_atomic, write_atomic_with

    try:
        catalog = _catalog(criteria)
        cset = catalog.load(set_ref)
        if fmt == TemplateFmt.xlsx:
            if output is None:
                raise NtmRulesError("--format xlsx needs --output FILE.xlsx")
            from .report.template_xlsx import write_template

            write_atomic_with(
                output,
                lambda tmp: write_template(cset, catalog.measures, tmp, lang.value),
                force=force,
                inputs=_files([catalog.root, Path(cset.path)]),
            )
            _err().print(f"wrote {output}")
            return
        text = render_template(cset, catalog.measures, lang.value)
        if output is not None:
            write_atomic(output, text, force=force, inputs=_files([catalog.root, Path(cset.path)]))
            return
    except NtmRulesError as exc:
        _fail(exc)
        return
    sys.stdout.write(text)


@app.command("version")
def version_cmd() -> None:
    """Print the version."""
    typer.echo(__version__)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover
        raise SystemExit(130) from None
