"""`ntm-check merge`: communes merged into one (the 2025 reorganisation)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import NtmRulesError
from .app import app
from .common import (
    CriteriaOpt,
    ForceOpt,
    Lang,
    LangOpt,
    PathsArg,
    SetsOpt,
    api,
    catalog_of,
    err_console,
    guard,
    read_inputs,
)

MergeNameOpt = Annotated[
    str | None, typer.Option("--name", "-n", help="Name of the merged commune.")
]
MergeTableOpt = Annotated[
    Path | None,
    typer.Option(
        "--table",
        help="Merge a whole province by a mapping table instead of --name: CSV (a header, then "
        "old commune name or code, new commune name) or YAML (old: new).",
    ),
]
MergeOutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Commune file to write (default: standard output)."),
]


@app.command("merge")
def merge_cmd(
    paths: PathsArg,
    name: MergeNameOpt = None,
    table: MergeTableOpt = None,
    output: MergeOutputOpt = None,
    province: Annotated[
        str, typer.Option(help="Province of the merged commune (default: the parts' own).")
    ] = "",
    district: Annotated[str, typer.Option(help="District of the merged commune, if any.")] = "",
    code: Annotated[str, typer.Option(help="Code of the merged commune.")] = "",
    region: Annotated[
        str, typer.Option(help="Region code, needed when the parts lie in different regions.")
    ] = "",
    sets: SetsOpt = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.vi,
    criteria: CriteriaOpt = None,
) -> None:
    """Merge communes into one (the 2025 reorganisation): each measure by its `combine` rule in
    measures.yaml; a part without a value or a weight leaves the merged value missing. Writes a
    commune file that `ntm-check FILE` scores; with --set, says on stderr which certified
    statuses and criteria the merger loses under that set."""
    from ..load.merge import merge_communes, merge_table, merged_yaml, read_mapping
    from ..report.outputs import write_outputs
    from ..report.write import Output

    with guard(lang):
        if (name is None) == (table is None):
            raise NtmRulesError("give either --name (merge the communes given) or --table")
        catalog = catalog_of(criteria)
        chosen = [catalog.load(s) for s in sets or []]
        communes = read_inputs(paths, catalog, lang=lang).communes
        if table is not None:
            found = merge_table(
                communes, read_mapping(table), catalog.measures, province=province, lang=lang.value
            )
            merged = list(found.merged)
        else:
            merged = [
                merge_communes(
                    communes,
                    name or "",
                    catalog.measures,
                    province=province,
                    district=district,
                    code=code,
                    region=region,
                    lang=lang.value,
                )
            ]
        text = merged_yaml(merged, catalog.measures, lang.value)
        target = Output(output or Path("-"), lambda path: path.write_text(text, encoding="utf-8"))
        write_outputs([target], [*paths, catalog.root, *([table] if table else [])], force)
        _merge_summary(merged, chosen, catalog, lang.value)


def _merge_summary(merged: list[Any], chosen: list[Any], catalog: Any, lang: str) -> None:
    """On stderr: each merged commune in one line; under each --set, what the merger costs."""
    from ..load.merge import compare_merge
    from ..report import clean

    err = err_console()
    for item in merged:
        err.print(clean(item.summary(lang)), markup=False)
        for cset in chosen:
            parts = api.assess_many(list(item.part_communes), catalog, [cset]).reports
            after = api.evaluate(item.commune, cset, catalog)
            result = compare_merge(item, [r.evaluations[0] for r in parts], after)
            for line in result.lines(lang):
                err.print(clean(line), markup=False)
