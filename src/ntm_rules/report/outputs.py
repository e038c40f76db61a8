"""The files a command writes (`batch --html/--xlsx/--csv`, `template -o`), as :class:`Output`
jobs handed to :func:`ntm_rules.report.write.write_all` together: all written, or none."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import Issue
from ..model.criteria import CriteriaSet
from ..model.vocab import Vocab
from ..province import ProvinceResult
from .write import Output, write_all


def _text_writer(text: str) -> object:
    def write(path: Path) -> None:
        path.write_text(text, encoding="utf-8")

    return write


def batch_outputs(
    result: ProvinceResult,
    vocab: Vocab,
    lang: str,
    *,
    html: Path | None = None,
    xlsx: Path | None = None,
    csv: Path | None = None,
    long: Path | None = None,
    sqlite: Path | None = None,
    csv_style: str = "standard",
) -> list[Output]:
    """The report files a batch run asked for."""
    from ..errors import NtmRulesError
    from .sheets import DIALECTS

    if csv_style not in DIALECTS:
        raise NtmRulesError(f"--csv-style must be one of {', '.join(DIALECTS)}, not {csv_style!r}")
    outputs: list[Output] = []
    if long is not None:
        from .long import write_long_csv

        outputs.append(Output(long, lambda tmp: write_long_csv(result, tmp, dialect=csv_style)))
    if sqlite is not None:
        from .sqlite import write_sqlite

        outputs.append(Output(sqlite, lambda tmp: write_sqlite(result, tmp)))
    if html is None and csv is None and xlsx is None:
        return outputs  # the JSON alone: written in pieces, never built whole
    data = result.to_dict()
    if html is not None:
        from .html import render_html

        names = {code: vocab.regions.name(code, lang) for code in vocab.regions.codes}
        page = render_html(data, lang, region_names=names)
        outputs.append(Output(html, _text_writer(page)))  # type: ignore[arg-type]
    if csv is not None:
        from .sheets import results_csv

        text = results_csv(data, dialect=csv_style)
        outputs.append(Output(csv, _text_writer(text)))  # type: ignore[arg-type]
    if xlsx is not None:
        from .sheets import write_results_xlsx

        outputs.append(Output(xlsx, lambda tmp: write_results_xlsx(data, tmp, lang)))
    return outputs


def commune_sheet(result: Any, target: Path, lang: str) -> Output:
    """`check --html`: the printable sheet of each commune (a `CheckRun` or a `PlanRun`)."""
    from .html_commune import render_commune_html

    return Output(target, _text_writer(render_commune_html(result, lang)))  # type: ignore[arg-type]


def template_output(
    cset: CriteriaSet | Sequence[CriteriaSet],
    vocab: Vocab,
    lang: str,
    fmt: str,
    output: Path | None,
) -> Output:
    """The blank commune file (YAML, to `output` or standard output) or workbook (XLSX) for
    one set or several (the union of what they read)."""
    from ..errors import NtmRulesError

    if fmt == "xlsx":
        if output is None:
            raise NtmRulesError("--format xlsx needs --output FILE.xlsx")
        from .template_xlsx import write_template

        return Output(output, lambda tmp: write_template(cset, vocab, tmp, lang))
    from .template import render_template

    text = render_template(cset, vocab, lang)
    return Output(output or Path("-"), _text_writer(text))  # type: ignore[arg-type]


def overlay_output(
    cset: CriteriaSet, catalog: Any, province: str, lang: str, output: Path | None
) -> Output:
    """The overlay skeleton of `province` on `cset` (to `output` or standard output)."""
    from ..errors import NtmRulesError
    from .overlay_init import render_overlay_skeleton

    found = catalog.regions.province(province)
    if found is None:
        raise NtmRulesError(f"unknown province {province!r}; see criteria/regions.yaml")
    text = render_overlay_skeleton(cset, found.province, found.region, catalog.measures, lang)
    return Output(output or Path("-"), _text_writer(text))  # type: ignore[arg-type]


def write_outputs(outputs: Sequence[Output], inputs: Sequence[Path | str], force: bool) -> None:
    if outputs:
        sys.stdout.flush()
        write_all(outputs, force=force, inputs=inputs)


def annotated(paths: Sequence[Path], issues: Sequence[Issue], target: Path, lang: str) -> Output:
    """`--annotate`: the one .xlsx input written back with its problems marked."""
    from ..errors import NtmRulesError
    from .annotate import annotate

    if len(paths) != 1 or paths[0].suffix.lower() != ".xlsx":
        raise NtmRulesError("--annotate writes back one .xlsx input; give exactly one .xlsx file")
    source = paths[0]
    return Output(target, lambda tmp: annotate(source, issues, tmp, lang))
