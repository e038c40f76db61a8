"""`ntm-check` commands about the criteria themselves and blank files: sets, show, diff,
validate, template, overlay init."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .app import app, overlay_app
from .common import (
    CriteriaOpt,
    Fmt,
    ForceOpt,
    FormatOpt,
    Lang,
    LangOpt,
    api,
    catalog_of,
    err_console,
    guard,
    show,
)


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
    set_refs: Annotated[
        list[str],
        typer.Argument(
            metavar="SET...", help="Set ids or files (several: the union of their measures)."
        ),
    ],
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
    """A blank commune file (YAML) or data-collection workbook (XLSX) for the sets a run uses:
    every measure they read, with units, vi/en labels and, in XLSX, data validation."""
    from ..report.outputs import template_output, write_outputs

    with guard(lang):
        catalog = catalog_of(criteria)
        sets = [catalog.load(ref) for ref in set_refs]
        out = template_output(sets, catalog.vocab, lang.value, fmt.value, output)
        write_outputs([out], [catalog.root, *(Path(s.path) for s in sets)], force)
    if fmt == TemplateFmt.xlsx:
        err_console().print(f"{output}", markup=False)


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
