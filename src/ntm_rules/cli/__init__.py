"""`ntm-check`: a thin command line over :mod:`ntm_rules.api`.

Each command parses its options, calls one use case, prints the result through the reporter
registry and picks an exit code: 0 done, 1 (`--strict`) a commune is not certified, 2 bad input.
Every library error goes through one guard (:func:`.common.guard`).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .._version import __version__
from ..errors import NtmRulesError
from .common import (
    AssumeOpt,
    CriteriaOpt,
    DefaultGroup,
    Engine,
    Fmt,
    ForceOpt,
    FormatOpt,
    Lang,
    LangOpt,
    PathsArg,
    SetsOpt,
    api,
    catalog_of,
    err_console,
    guard,
    progress,
    read_inputs,
    show,
)

app = typer.Typer(
    cls=DefaultGroup,
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Check Vietnamese communes against the national new-rural (NTM) criteria. "
    "`ntm-check COMMUNE.yaml` is short for `ntm-check check COMMUNE.yaml`.",
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
    html: Annotated[Path | None, typer.Option(help="Write a self-contained HTML report.")] = None,
    xlsx: Annotated[Path | None, typer.Option(help="Write per-commune results as XLSX.")] = None,
    csv_out: Annotated[
        Path | None, typer.Option("--csv", help="Write per-commune results as CSV.")
    ] = None,
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
    from ..report.outputs import batch_outputs, write_outputs

    with guard(lang):
        catalog = catalog_of(criteria, assume)
        chosen = [catalog.load(s) for s in sets or []]
        if not chosen and (from_set or to_set):
            default_old, default_new = catalog.default_transition()
            chosen = [
                catalog.load(from_set) if from_set else default_old,
                catalog.load(to_set) if to_set else default_new,
            ]
        inputs = read_inputs(paths, catalog, strict=strict, lang=lang)
        with progress(len(inputs.communes)) as step:
            result = api.score_province(
                inputs, chosen, catalog, tiers=tiers, engine=engine.value, progress=step
            )
        outputs = batch_outputs(
            result, catalog.vocab, lang.value, html=html, xlsx=xlsx, csv=csv_out
        )
        read = [*paths, catalog.root, *(Path(s.path) for s in result.sets if s.path)]
        write_outputs(outputs, read, force)
    show(result, fmt, lang)


@app.command("explain")
def explain_cmd(
    path: Annotated[Path, typer.Argument(help="One commune file.")],
    criterion: Annotated[str, typer.Argument(help="Criterion number, e.g. 10.")],
    set_ref: Annotated[str | None, typer.Option("--set", "-s", help="Criteria set.")] = None,
    fmt: FormatOpt = Fmt.table,
    lang: LangOpt = Lang.vi,
    assume: AssumeOpt = None,
    criteria: CriteriaOpt = None,
) -> None:
    """Why a criterion passed or failed: every indicator, value, threshold and source."""
    with guard(lang):
        catalog = catalog_of(criteria, assume)
        communes = read_inputs([path], catalog, lang=lang).communes
        if len(communes) != 1:
            raise NtmRulesError(f"{path} holds {len(communes)} communes; explain takes one")
        cset = catalog.load(set_ref) if set_ref else None
        result = api.explain(communes[0], criterion, catalog, cset)
    show(result, fmt, lang)


@app.command("sets")
def sets_cmd(
    fmt: FormatOpt = Fmt.table, lang: LangOpt = Lang.vi, criteria: CriteriaOpt = None
) -> None:
    """List the criteria sets and overlays: decision, period, counts, verified share."""
    with guard(lang):
        result = api.list_sets(catalog_of(criteria))
    show(result, fmt, lang)


@app.command("show")
def show_cmd(
    set_ref: Annotated[str, typer.Argument(metavar="SET", help="Set id or file.")],
    region: Annotated[
        str | None, typer.Option(help="Region: a code such as TN, or its Vietnamese name.")
    ] = None,
    year: Annotated[int | None, typer.Option(help="Year for year-dependent values.")] = None,
    fmt: FormatOpt = Fmt.table,
    lang: LangOpt = Lang.vi,
    criteria: CriteriaOpt = None,
) -> None:
    """Show a set's effective thresholds with their source and verification mark."""
    with guard(lang):
        catalog = catalog_of(criteria)
        result = api.show(catalog.load(set_ref), catalog, region, year)
    show(result, fmt, lang)


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
    with guard(lang):
        catalog = catalog_of(criteria)
        result = api.diff(catalog.load(set_a), catalog.load(set_b), catalog, year_from, year_to)
    show(result, fmt, lang)


@app.command("validate")
def validate_cmd(
    files: Annotated[
        list[Path], typer.Argument(help="Criteria, overlay or commune files, or directories.")
    ],
    fmt: FormatOpt = Fmt.table,
    lang: LangOpt = Lang.vi,
    criteria: CriteriaOpt = None,
) -> None:
    """Check files and report every problem with its place; exit 2 if any."""
    with guard(lang):
        report = api.validate(files, catalog_of(criteria))
    show(report, fmt, lang)
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
            help="yaml: a commune file on stdout; xlsx: the data-collection workbook "
            "(needs --output).",
        ),
    ] = TemplateFmt.yaml,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write.")] = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.vi,
    criteria: CriteriaOpt = None,
) -> None:
    """A blank commune file (YAML) or data-collection workbook (XLSX) for a set: every measure
    it reads, with units, vi/en labels and, in XLSX, data validation."""
    from ..report.outputs import template_output, write_outputs

    with guard(lang):
        catalog = catalog_of(criteria)
        cset = catalog.load(set_ref)
        out = template_output(cset, catalog.vocab, lang.value, fmt.value, output)
        write_outputs([out], [catalog.root, Path(cset.path)], force)
    if fmt == TemplateFmt.xlsx:
        err_console().print(f"{output}", markup=False)


overlay_app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Provincial overlays: `overlay init SET --province P` writes a skeleton to fill.",
)
app.add_typer(overlay_app, name="overlay")


@overlay_app.command("init")
def overlay_init_cmd(
    set_ref: Annotated[str, typer.Argument(metavar="SET", help="The set the overlay extends.")],
    province: Annotated[str, typer.Option("--province", "-p", help="The province.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write.")] = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.vi,
    criteria: CriteriaOpt = None,
) -> None:
    """An overlay listing every unknown and unverified threshold of the province's region, each
    with its national context and an empty source, to fill from the provincial decision."""
    from ..report.outputs import overlay_output, write_outputs

    with guard(lang):
        catalog = catalog_of(criteria)
        cset = catalog.load(set_ref)
        out = overlay_output(cset, catalog, province, lang.value, output)
        write_outputs([out], [catalog.root, Path(cset.path)], force)


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
