"""`ntm-check`: a thin command line over :mod:`ntm_rules.api`.

Each command parses its options, calls one use case, prints the result through the reporter
registry and picks an exit code: 0 done, 1 (`--strict`) a commune is not certified, 2 bad input.
Every library error goes through one guard (:func:`.common.guard`).
"""

from __future__ import annotations

import gc
import os
import sys

# numpy's BLAS threads are never used by a command (no matrix algebra), yet they start with
# numpy and keep a second core busy for ~0.1 s of each run: one is enough (before numpy loads).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from .._version import __version__
from .app import app
from .common import (
    AnnotateOpt,
    AssumeOpt,
    CriteriaOpt,
    CsvOpt,
    CsvStyle,
    CsvStyleOpt,
    Engine,
    Fmt,
    ForceOpt,
    FormatOpt,
    HtmlOpt,
    Lang,
    LangOpt,
    LongOpt,
    PathsArg,
    SetsOpt,
    SqliteOpt,
    XlsxOpt,
    api,
    catalog_of,
    chosen_sets,
    guard,
    progress,
    read_inputs,
    show,
)


@app.command("check")
def check_cmd(
    paths: PathsArg,
    sets: SetsOpt = None,
    fmt: FormatOpt = Fmt.table,
    lang: LangOpt = Lang.vi,
    strict: Annotated[bool, typer.Option(help="Exit 1 unless every commune is certified.")] = False,
    engine: Annotated[Engine, typer.Option(help="Scoring engine.")] = Engine.core,
    tiers: Annotated[
        bool,
        typer.Option(
            "--tiers",
            help="Evaluate every tier (standard, advanced, model) and show the highest reached "
            "and the gaps to the next.",
        ),
    ] = False,
    plan: Annotated[
        bool,
        typer.Option(
            "--plan", help="For each commune: the steps that reach the standard, in order."
        ),
    ] = False,
    html: Annotated[
        Path | None,
        typer.Option(
            help="Write the printable sheet of each commune (with --plan, its plan) as HTML."
        ),
    ] = None,
    force: ForceOpt = False,
    assume: AssumeOpt = None,
    criteria: CriteriaOpt = None,
) -> None:
    """Score communes against the set in force for their data year, or the sets named."""
    with guard(lang):
        catalog = catalog_of(criteria, assume)
        chosen = [catalog.load(s) for s in sets or []]
        communes = read_inputs(paths, catalog, lang=lang).communes
        run = api.assess_many(communes, catalog, chosen, tiers=tiers, engine=engine.value)
        result = api.plan_many(run, catalog) if plan else run
        if html is not None:
            from ..report.outputs import commune_sheet, write_outputs

            write_outputs([commune_sheet(result, html, lang.value)], [*paths], force)
    show(result, fmt, lang)
    if strict and not run.certified:
        raise typer.Exit(1)


@app.command("compare")
def compare_cmd(
    paths: PathsArg,
    from_set: Annotated[str | None, typer.Option("--from", help="The old set.")] = None,
    to_set: Annotated[str | None, typer.Option("--to", help="The new set.")] = None,
    fmt: FormatOpt = Fmt.table,
    lang: LangOpt = Lang.vi,
    assume: AssumeOpt = None,
    criteria: CriteriaOpt = None,
) -> None:
    """Which communes keep, lose or gain certification from one set to another."""
    with guard(lang):
        catalog = catalog_of(criteria, assume)
        old = catalog.load(from_set) if from_set else None
        new = catalog.load(to_set) if to_set else None
        communes = read_inputs(paths, catalog, lang=lang).communes
        view = api.compare_many(communes, catalog, old, new)
    show(view, fmt, lang)


@app.command("batch")
def batch_cmd(
    paths: PathsArg,
    from_set: Annotated[str | None, typer.Option("--from", help="The old set.")] = None,
    to_set: Annotated[str | None, typer.Option("--to", help="The new set.")] = None,
    sets: SetsOpt = None,
    html: HtmlOpt = None,
    xlsx: XlsxOpt = None,
    csv_out: CsvOpt = None,
    csv_style: CsvStyleOpt = CsvStyle.standard,
    long_out: LongOpt = None,
    sqlite_out: SqliteOpt = None,
    annotate: AnnotateOpt = None,
    force: ForceOpt = False,
    strict: Annotated[
        bool, typer.Option(help="Stop (exit 2) on any bad row instead of skipping it.")
    ] = False,
    tiers: Annotated[
        bool,
        typer.Option(
            "--tiers", help="Also count communes per highest tier (standard, advanced, model)."
        ),
    ] = False,
    engine: Annotated[Engine, typer.Option(help="Scoring engine.")] = Engine.core,
    fmt: FormatOpt = Fmt.table,
    lang: LangOpt = Lang.vi,
    assume: AssumeOpt = None,
    criteria: CriteriaOpt = None,
) -> None:
    """Score a whole province: headline figures, lost certifications, hard criteria, gaps."""
    from ..report.outputs import annotated, batch_outputs, write_outputs

    with guard(lang):
        catalog = catalog_of(criteria, assume)
        chosen = chosen_sets(catalog, sets, from_set, to_set)
        inputs = read_inputs(paths, catalog, strict=strict, lang=lang)
        with progress(len(inputs.communes)) as step:
            result = api.score_province(
                inputs, chosen, catalog, tiers=tiers, engine=engine.value, progress=step
            )
        files = {"html": html, "xlsx": xlsx, "csv": csv_out, "long": long_out}
        outputs = batch_outputs(
            result, catalog.vocab, lang.value, sqlite=sqlite_out, csv_style=csv_style.value, **files
        )
        if annotate is not None:
            outputs.append(annotated(paths, inputs.issues, annotate, lang.value))
        read = [*paths, catalog.root, *(Path(s.path) for s in result.sets if s.path)]
        write_outputs(outputs, read, force)
    show(result, fmt, lang)


@app.command("explain")
def explain_cmd(
    path: Annotated[Path, typer.Argument(help="A commune file (YAML, CSV, XLSX).")],
    criterion: Annotated[str, typer.Argument(help="Criterion (e.g. 10) or indicator (e.g. 13.3).")],
    set_ref: Annotated[str | None, typer.Option("--set", "-s", help="Criteria set.")] = None,
    commune: Annotated[
        str | None, typer.Option("--commune", help="The commune, in a file of several.")
    ] = None,
    row: Annotated[
        int | None, typer.Option("--row", help="The commune on this row (as Excel numbers it).")
    ] = None,
    fmt: FormatOpt = Fmt.table,
    lang: LangOpt = Lang.vi,
    assume: AssumeOpt = None,
    criteria: CriteriaOpt = None,
) -> None:
    """Why a criterion passed or failed: every indicator, value, threshold and source."""
    with guard(lang):
        catalog = catalog_of(criteria, assume)
        communes = read_inputs([path], catalog, lang=lang).communes
        chosen = api.pick_commune(communes, commune, row)
        cset = catalog.load(set_ref) if set_ref else None
        result = api.explain(chosen, criterion, catalog, cset)
    show(result, fmt, lang)


# the other commands register on import
from . import common, data, merge  # noqa: E402, F401


@app.command("version")
def version_cmd() -> None:
    """Print the version."""
    typer.echo(__version__)


def main() -> None:
    """Console-script entry point."""
    # One short-lived process: scoring a province makes millions of small objects that live
    # until the output is written, and no garbage cycles worth collecting before the process
    # ends, so the cyclic collector is off (reference counting still frees everything else).
    # Measured: 0.2 s of 1 s on 10,000 communes (benchmarks/), the same peak memory.
    gc.disable()
    _keep_freed_memory()
    common.KEPT = []
    try:
        app()
        code: object = 0
    except SystemExit as done:
        code = done.code
    except KeyboardInterrupt:  # pragma: no cover
        code = 130
    _leave(code)


def _keep_freed_memory() -> None:
    """Have the C allocator (glibc) keep the memory a run frees for the run's next needs
    rather than hand it back to the system and fault fresh pages in again: the reader's and
    the scorer's large arrays come and go. Measured on 10,000 communes: a third fewer page
    faults, 0.02 s less (benchmarks/). Other C libraries are left as they are."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        return
    mallopt(-3, 256 << 20)  # M_MMAP_THRESHOLD: blocks below 256 MB come from the heap
    mallopt(-1, 1 << 30)  # M_TRIM_THRESHOLD: the heap keeps up to 1 GB it no longer uses


def _leave(code: object) -> NoReturn:
    """Exit without tearing the interpreter down object by object (~0.03 s for a province):
    every output file is written and closed by now; the exit handlers still run (a coverage or
    logging handler) and the standard streams are flushed here. A reader that has gone away
    (`| head`) is not an error."""
    import atexit
    import contextlib

    atexit._run_exitfuncs()

    if isinstance(code, str):  # what sys.exit("message") does
        sys.stderr.write(code + "\n")
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code if isinstance(code, int) else 0 if code is None else 1)
