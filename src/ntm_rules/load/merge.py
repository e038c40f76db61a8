"""Merging communes (the 2025 reorganisation): the merged commune's figures from its parts'.

Each measure is combined by its rule in ``measures.yaml`` (``combine:``): counts add, income per
capita is weighted by population, a share by its own denominator, a yes/no fact holds in every
part (``all``) or in some part (``any``), and a measure with no honest rule (``none``) is
missing. A part without a value or a weight leaves the merged value missing, never an unweighted
mean; the :class:`~ntm_rules.model.merge.Derivation` names it.

Identity rules, stated once:

* the parts share one data year (else :class:`~ntm_rules.model.merge.MergeError`);
* region: the parts' region when they share one; else the caller states it (``region=``,
  ``--region``), or the merge is refused;
* province and district: as given, else the parts' own when they share one, else empty;
* categories (dbkk, ...): kept only when every part has them (the official lists decide);
* recognition: none; the parts' recognitions give the recognition path instead.

:func:`merged_yaml` writes the merged commune as a commune file (provenance in comments and the
``note:`` field), so that ``ntm-check merged.yaml`` scores it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from ..errors import raise_if
from ..model.commune import Commune, Observed
from ..model.merge import (
    Derivation,
    MergedCommune,
    MergeError,
    MergeTable,
    Part,
    compare_merge,
    recognition_path,
)
from ..model.vocab import Measure, Measures, fold
from ..words import Text, t
from .source import read_text, read_yaml

__all__ = [
    "MergeError",
    "MergedCommune",
    "compare_merge",
    "merge_communes",
    "merge_table",
    "merged_yaml",
    "read_mapping",
]

DIGITS = 10  # a merged value is rounded here: float noise (100.00000000000001) never shows


def merge_communes(
    parts: Sequence[Commune],
    name: str,
    measures: Measures,
    *,
    province: str = "",
    district: str = "",
    code: str = "",
    year: int | None = None,
    region: str = "",
    lang: str = "vi",
) -> MergedCommune:
    """The commune `parts` merge into, named `name`, every measure combined by its rule.

    `region` states the region code when the parts lie in different regions; `year` must be
    the parts' data year when given; `lang` is the language of the merged commune's `note`.
    """
    if not parts:
        raise MergeError("nothing to merge: no commune was given")
    if not name.strip():
        raise MergeError("the merged commune needs a name (--name)")
    refs = tuple(Part.of(c) for c in parts)
    _check_distinct(parts, refs)
    data_year = _year(parts, refs, year)
    province = province or _common([c.province for c in parts])
    code_, basis, verified, region_note = _region(parts, refs, region, province)
    categories, category_note = _categories(parts)
    derivations = tuple(_derive_all(parts, refs, measures))
    path = recognition_path(refs)
    formed = t("merge_formed", lang, parts=", ".join(p.name for p in refs), year=data_year)
    notes = [region_note, *([category_note] if category_note else [])]
    if path.recognised:
        notes.append(_text("merge_no_recognition"))
    commune = Commune(
        name=" ".join(name.split()),
        year=data_year,
        region=code_,
        region_basis=basis,
        region_verified=verified,
        measures=_values(derivations, "measures"),
        province=province,
        district=district or _common([c.district for c in parts]),
        code=code,
        categories=categories,
        recognition=_values(derivations, "recognition"),
        note=f"{formed}. {path.text(lang)}",
        data_status="; ".join(dict.fromkeys(c.data_status for c in parts if c.data_status)),
    )
    return MergedCommune(commune, refs, derivations, path, tuple(notes), tuple(parts))


def _text(key: str, **kwargs: object) -> Text:
    return Text(t(key, "vi", **kwargs), t(key, "en", **kwargs))


def _common(values: Sequence[str]) -> str:
    """The one value every part gives (compared without diacritics or case), else ""."""
    found = {fold(v) for v in values}
    return values[0] if len(found) == 1 and values and values[0] else ""


def _check_distinct(parts: Sequence[Commune], refs: Sequence[Part]) -> None:
    seen: dict[tuple[str, ...], Part] = {}
    for commune, ref in zip(parts, refs, strict=True):
        key = (fold(commune.name), commune.code, fold(commune.district), ref.where)
        if key in seen:
            raise MergeError(f"{ref.label} is given twice")
        seen[key] = ref


def _year(parts: Sequence[Commune], refs: Sequence[Part], year: int | None) -> int:
    years = {c.year for c in parts}
    if len(years) > 1:
        each = "; ".join(f"{r.label}: {c.year}" for c, r in zip(parts, refs, strict=True))
        raise MergeError(f"the parts have different data years ({each}); merge figures of one year")
    (found,) = years
    if year is not None and year != found:
        raise MergeError(
            f"the parts' data year is {found}, not {year}: the merged figures are of {found}"
        )
    return found


def _region(
    parts: Sequence[Commune], refs: Sequence[Part], stated: str, province: str
) -> tuple[str, str, bool, Text]:
    codes = list(dict.fromkeys(c.region for c in parts))
    if stated:
        return (
            stated,
            "file",
            True,
            _text("merge_region_stated", region=stated, regions=", ".join(codes)),
        )
    if len(codes) > 1:
        each = "; ".join(f"{r.label}: {c.region}" for c, r in zip(parts, refs, strict=True))
        raise MergeError(
            f"the parts lie in different regions ({each}); state the merged commune's region "
            "(region=, --region)"
        )
    same_province = fold(province) == fold(_common([c.province for c in parts]))
    by_map = bool(province) and same_province and all(c.region_basis == "province" for c in parts)
    verified = all(c.region_verified for c in parts)
    return (
        codes[0],
        "province" if by_map else "file",
        verified,
        _text("merge_region_common", region=codes[0]),
    )


def _categories(parts: Sequence[Commune]) -> tuple[tuple[str, ...], Text | None]:
    kept = tuple(k for k in parts[0].categories if all(k in c.categories for c in parts))
    dropped = [k for k in dict.fromkeys(k for c in parts for k in c.categories) if k not in kept]
    return kept, _text("merge_categories", dropped=", ".join(dropped)) if dropped else None


def _values(derivations: Sequence[Derivation], section: str) -> dict[str, Observed]:
    return {d.measure: d.value for d in derivations if d.section == section and d.value is not None}


# --- one measure --------------------------------------------------------------------------------


def _derive_all(
    parts: Sequence[Commune], refs: tuple[Part, ...], measures: Measures
) -> list[Derivation]:
    reported = {k for c in parts for k in (*c.measures, *c.recognition)}
    keys = [k for k in measures if k in reported] + sorted(reported - set(measures))
    out = []
    for key in keys:
        section = "recognition" if any(key in c.recognition for c in parts) else "measures"
        inputs = tuple(c.value(key) for c in parts)
        found = _derive(key, measures.get(key), parts, refs, inputs)
        out.append(replace(found, section=section))
    return out


def _derive(
    key: str,
    measure: Measure | None,
    parts: Sequence[Commune],
    refs: tuple[Part, ...],
    inputs: tuple[Observed, ...],
) -> Derivation:
    combine = measure.combine if measure is not None else None
    kind = measure.type if measure is not None else ""
    if combine is None:
        return Derivation(key, "", None, "merge_no_rule", inputs=inputs, kind=kind)
    rule = combine.rule
    base = Derivation(key, rule, None, "", inputs=inputs, note=combine.note, kind=kind)
    if rule == "none":
        return _with(base, reason="merge_rule_none")
    if (
        (rule in ("all", "any")) != (kind == "boolean")
        or (rule == "weighted" and kind == "count")
        or (rule == "sum" and kind == "percent")
    ):
        return _with(base, reason="merge_bad_rule")
    if rule in ("all", "any"):
        return _logic(base, refs)
    if rule == "weighted":
        weights = tuple(c.value(combine.weight) for c in parts)
        return _weighted(_with(base, weight=combine.weight, weights=weights), refs, measure)
    lacking = tuple(r for r, v in zip(refs, inputs, strict=True) if v is None)
    if lacking:
        return _with(base, reason="merge_no_value", parts=lacking)
    numbers = [_number(v) for v in inputs]
    if rule == "sum":
        total = sum(numbers)
        value: float | int = total if kind == "count" else round(total, DIGITS)
    else:
        value = min(numbers) if rule == "min" else max(numbers)
    return _with(base, value=value, reason=f"merge_how_{rule}")


def _with(base: Derivation, **changes: object) -> Derivation:
    return replace(base, **changes)  # type: ignore[arg-type]


def _number(value: Observed) -> float | int:
    if value is None or isinstance(value, bool):
        raise TypeError(f"expected a number, found {value!r}")
    return value


def _logic(base: Derivation, refs: tuple[Part, ...]) -> Derivation:
    """Kleene logic: `all` is false when one part is false, true when every part is true;
    `any` the other way round; else missing (naming the parts without a value)."""
    pairs = list(zip(refs, base.inputs, strict=True))
    decisive = base.rule == "any"  # the value that decides alone: true for any, false for all
    deciding = tuple(r for r, v in pairs if v is decisive)
    if deciding:
        word = "true" if decisive else "false"
        return _with(base, value=decisive, reason=f"merge_how_{base.rule}_{word}", parts=deciding)
    lacking = tuple(r for r, v in pairs if v is None)
    if lacking:
        return _with(base, reason="merge_no_value", parts=lacking)
    word = "false" if decisive else "true"
    return _with(base, value=not decisive, reason=f"merge_how_{base.rule}_{word}")


def _weighted(base: Derivation, refs: tuple[Part, ...], measure: Measure | None) -> Derivation:
    rows = list(zip(refs, base.inputs, base.weights, strict=True))
    no_weight = tuple(r for r, _, w in rows if w is None)
    if no_weight:
        return _with(base, reason="merge_no_weight", parts=no_weight)
    left_out = tuple(r for r, v, w in rows if v is None and w == 0)
    no_value = tuple(r for r, v, w in rows if v is None and w != 0)
    if no_value:
        return _with(base, reason="merge_no_value", parts=no_value, left_out=left_out)
    used = [(_number(v), _number(w)) for _, v, w in rows if v is not None]
    total = sum(w for _, w in used)
    if total <= 0:
        return _with(base, reason="merge_zero_weight", left_out=left_out)
    value = round(sum(v * w for v, w in used) / total, DIGITS)
    if measure is not None and measure.max is not None:  # rounding never leaves the range
        value = min(value, measure.max)
    if measure is not None and measure.min is not None:
        value = max(value, measure.min)
    return _with(base, value=value, reason="merge_how_weighted", left_out=left_out)


# --- a province's mapping table -----------------------------------------------------------------


def merge_table(
    communes: Sequence[Commune],
    mapping: Mapping[str, str],
    measures: Measures,
    *,
    province: str = "",
    year: int | None = None,
    lang: str = "vi",
) -> MergeTable:
    """Apply a mapping old commune (code, else name) -> new commune name: one merged commune
    per new name, in the mapping's order. A key naming no commune, or a name that two communes
    share (use the code), is an error; communes the mapping does not name are listed apart."""
    groups: dict[str, list[Commune]] = {}
    taken: dict[int, str] = {}
    for old, new in mapping.items():
        found = _find(communes, old)
        if id(found) in taken:
            raise MergeError(f"{Part.of(found).label} is named twice in the mapping")
        taken[id(found)] = old
        groups.setdefault(" ".join(new.split()), []).append(found)
    merged = tuple(
        merge_communes(group, new, measures, province=province, year=year, lang=lang)
        for new, group in groups.items()
    )
    unmapped = tuple(Part.of(c) for c in communes if id(c) not in taken)
    return MergeTable(merged, unmapped)


def _find(communes: Sequence[Commune], old: str) -> Commune:
    by_code = [c for c in communes if c.code and c.code == old.strip()]
    found = by_code or [c for c in communes if fold(c.name) == fold(old)]
    if not found:
        raise MergeError(f"the mapping names {old!r}, which no commune given has (name or code)")
    if len(found) > 1:
        raise MergeError(
            f"the mapping names {old!r}, which {len(found)} communes share "
            f"({', '.join(Part.of(c).label for c in found)}); use their codes"
        )
    return found[0]


def read_mapping(path: Path | str) -> dict[str, str]:
    """A mapping table: CSV (a header row, then old commune name or code, new commune name) or
    YAML (a mapping old -> new)."""
    path = Path(path)
    if path.suffix.lower() in (".yaml", ".yml"):
        doc = read_yaml(path)
        raise_if(doc.issues)
        rows = list(doc.data.items()) if isinstance(doc.data, dict) else None
        if rows is None or not all(isinstance(v, str) for _, v in rows):
            raise MergeError(f"{path}: expected a mapping of old commune -> new commune name")
        return {str(k): str(v) for k, v in rows}
    text, problem = read_text(path)
    if problem is not None:
        raise_if([problem])
    out: dict[str, str] = {}
    for line, row in enumerate(csv.reader(io.StringIO(text or "")), start=1):
        cells = [c.strip() for c in row]
        if line == 1 or not any(cells):
            continue
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise MergeError(f"{path}:{line}: expected two cells: old commune, new commune")
        if cells[0] in out:
            raise MergeError(f"{path}:{line}: {cells[0]!r} is mapped twice")
        out[cells[0]] = cells[1]
    return out


# --- the merged commune as a commune file -------------------------------------------------------


def merged_yaml(
    items: MergedCommune | Sequence[MergedCommune], measures: Measures, lang: str = "vi"
) -> str:
    """The merged communes as a commune YAML file (one commune, or a list under `communes:`)
    that `ntm-check` reads: each measure with its derivation in a comment, a missing one empty."""
    if isinstance(items, MergedCommune):
        items = [items]
    head = [f"# {t('merge_yaml_header', lang)}"]
    if len(items) == 1:
        comments, body = _commune_lines(items[0], measures, lang)
        return "\n".join([*head, *comments, *body]) + "\n"
    lines = [*head, "communes:"]
    for item in items:
        comments, body = _commune_lines(item, measures, lang)
        lines += [f"  {c}" for c in comments]
        lines += [f"  - {body[0]}", *(f"    {b}" for b in body[1:])]
    return "\n".join(lines) + "\n"


def _comment(text: str) -> str:
    return " ".join(text.split())


def _commune_lines(
    item: MergedCommune, measures: Measures, lang: str
) -> tuple[list[str], list[str]]:
    commune = item.commune
    comments = [f"# {t('merge_yaml_parts', lang)}:"]
    for part in item.parts:
        rec = part.recognized
        status = (
            t(
                "merge_recognized_as",
                lang,
                tier=t(f"tier_{rec.tier}", lang),
                set=rec.set,
                year=rec.year,
            )
            if rec is not None
            else t("merge_not_recognized", lang)
        )
        comments.append(_comment(f"#   - {part.label}: {status}"))
    comments.append(_comment(f"# {t('merge_yaml_path', lang)}: {item.path.text(lang)}"))
    comments += [f"#   {t('merge_yaml_source', lang)}: {s.url}" for s in item.path.sources]
    comments += [_comment(f"# {n.get(lang)}") for n in item.notes]
    body = [f"name: {_scalar(commune.name)}"]
    for key in ("province", "district", "code"):
        if getattr(commune, key):
            body.append(f"{key}: {_scalar(getattr(commune, key))}")
    if commune.region_basis == "file" or not commune.province:
        body.append(f"region: {_scalar(commune.region)}")
    body.append(f"year: {commune.year}")
    if commune.categories:
        body.append(f"categories: [{', '.join(_scalar(c) for c in commune.categories)}]")
    body.append(f"note: {_scalar(commune.note)}")
    if commune.data_status:
        body.append(f"data_status: {_scalar(commune.data_status)}")
    for section in ("recognition", "measures"):
        rows = [d for d in item.derivations if d.section == section]
        if not rows and section == "recognition":
            continue
        body.append(f"{section}:" if rows else f"{section}: {{}}")
        for d in rows:
            value = "" if d.value is None else " " + _scalar(d.value)
            unit = measures.unit(d.measure, lang)
            how = f"{unit} — {d.text(lang)}" if unit and not d.missing else d.text(lang)
            body.append(f"  {d.measure}:{value}  # {_comment(how)}")
    return comments, body


def _scalar(value: object) -> str:
    """A YAML scalar the commune reader reads back as the same value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        text = repr(value)
        return text if "e" not in text else f"{value:.{DIGITS}f}".rstrip("0").rstrip(".")
    return json.dumps(str(value), ensure_ascii=False)
