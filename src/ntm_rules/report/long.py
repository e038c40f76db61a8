"""The long format: one row per commune × set × indicator check (the analysts' tidy table).

Rows come commune by commune in input order; within a commune, set by set in the result's
order (the ``from`` set first), and within a set, check by check in the set's order
(criteria first, recognition conditions last). Columns: :data:`LONG_COLUMNS`, documented in
``docs/exports.md``. Every value is read from the kernel's arrays (through
:class:`~ntm_rules.province.ProvinceResult`); nothing here decides a status.

The table is built with numpy, a block of communes at a time (:func:`long_chunks`), so that
10,000 communes × 2 sets × ~60 checks export in seconds: :func:`long_rows` (Python tuples),
:func:`long_columns` (one array per column), :func:`write_long_csv` (the project's safe CSV:
BOM, CRLF, every text cell quoted, formula-like text neutralised with a leading ``'``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..model.criteria import Source
from ..model.status import CriterionStatus, Status, Verdict
from ..province import ProvinceResult
from ..words import t
from .sheets import _csv_cell, source_text

__all__ = [
    "CRITERION_WORDS",
    "LONG_COLUMNS",
    "STATUS_WORDS",
    "VERDICT_WORDS",
    "LongChunk",
    "LongPlan",
    "long_chunks",
    "long_columns",
    "long_headers",
    "long_plan",
    "long_rows",
    "write_long_csv",
]

Array = np.ndarray[Any, Any]

# The kernel's integer codes (score/kernel.py) as the JSON's words, indexed by code + 1
# (indicator and check: -1 not applicable, 0 pass, 1 unknown, 2 missing, 3 fail; criterion:
# -1 not applicable, 0 pass, 1 indeterminate, 2 fail); verdicts by code (0, 1, 2).
STATUS_WORDS: tuple[str, ...] = tuple(
    str(s)
    for s in (Status.NOT_APPLICABLE, Status.PASS, Status.UNKNOWN, Status.MISSING, Status.FAIL)
)
CRITERION_WORDS: tuple[str, ...] = tuple(
    str(s)
    for s in (
        CriterionStatus.NOT_APPLICABLE,
        CriterionStatus.PASS,
        CriterionStatus.INDETERMINATE,
        CriterionStatus.FAIL,
    )
)
VERDICT_WORDS: tuple[str, ...] = tuple(
    str(v) for v in (Verdict.CERTIFIED, Verdict.INDETERMINATE, Verdict.NOT_CERTIFIED)
)
_NA = -1  # the kernel's "not applicable" code

LONG_COLUMNS: tuple[str, ...] = (
    "commune_id",
    "commune",
    "code",
    "province",
    "district",
    "year",
    "source",
    "set_id",
    "criterion_id",
    "indicator_id",
    "check_no",
    "measure",
    "value",
    "operator",
    "threshold",
    "gap",
    "status",
    "indicator_status",
    "verified",
    "appraised",
    "source_key",
    "citation",
    "url",
    "region_applied",
)
_FLOATS = ("value", "threshold", "gap")
CHUNK = 2048  # communes per block


def _objects(values: list[Any]) -> Array:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


@dataclass(frozen=True, eq=False)
class LongPlan:
    """What every block shares: per commune and per check (every set's checks, in order) the
    fixed columns, and the distinct sources of the threshold cells."""

    result: ProvinceResult
    communes: dict[str, Array]  # commune, code, province, district, year, source: (n,)
    checks: dict[str, Array]  # set_id ... operator: (checks,)
    owners: tuple[Array, ...]  # per set: check -> its indicator's row in the status arrays
    regions: tuple[Array, ...]  # per set: the region applied of each distinct region choice
    cell_sources: tuple[Array, ...]  # per set: (checks, groups) -> index in sources, -1 none
    sources: tuple[Source, ...]
    source_columns: dict[str, Array]  # source_key, citation, url: by source index, then None

    @property
    def width(self) -> int:
        """Rows per commune: the checks of every set."""
        return len(self.checks["set_id"])


def long_plan(result: ProvinceResult) -> LongPlan:
    """The fixed columns of `result`'s long format (computed once per export)."""
    communes = result.communes
    fixed = {
        "commune": _objects([c.name for c in communes]),
        "code": _objects([c.code for c in communes]),
        "province": _objects([c.province for c in communes]),
        "district": _objects([c.district for c in communes]),
        "year": np.fromiter((c.year for c in communes), np.int64, len(communes)),
        "source": _objects([source_text(c.source.to_dict()) if c.source else "" for c in communes]),
    }
    keys = ("set_id", "criterion_id", "indicator_id", "check_no", "measure", "operator")
    checks: dict[str, list[Any]] = {k: [] for k in keys}
    owners, regions, cell_sources = [], [], []
    found: dict[Source, int] = {}
    for sc in result.scores:
        plan = sc.plan
        crit_ids = [c.id for c in plan.criteria_set.criteria]
        for c in plan.checks:
            p = plan.indicators[c.indicator]
            checks["set_id"].append(plan.criteria_set.id)
            checks["criterion_id"].append(crit_ids[p.criterion] if p.criterion >= 0 else None)
            checks["indicator_id"].append(p.id)
            checks["check_no"].append(c.position + 1)
            checks["measure"].append(c.measure)
            checks["operator"].append(c.operator)
        owners.append(np.array([c.indicator for c in plan.checks], dtype=np.intp))
        regions.append(_objects([ch.region for ch in sc.choices]))
        table = np.full((len(plan.checks), len(sc.groups)), -1, dtype=np.intp)
        for g, (region, year) in enumerate(sc.groups):
            for k, resolved in enumerate(plan.cells(region, year)):
                if resolved.cell is not None:
                    table[k, g] = found.setdefault(resolved.cell.source, len(found))
        cell_sources.append(table)
    columns = {k: _objects(v) for k, v in checks.items()}
    columns["check_no"] = np.asarray(checks["check_no"], dtype=np.int64)
    sources = tuple(found)
    source_columns = {
        "source_key": _objects([s.key for s in sources] + [None]),
        "citation": _objects([s.citation for s in sources] + [None]),
        "url": _objects([s.url or None for s in sources] + [None]),
    }
    return LongPlan(
        result,
        fixed,
        columns,
        tuple(owners),
        tuple(regions),
        tuple(cell_sources),
        sources,
        source_columns,
    )


@dataclass(frozen=True, eq=False)
class LongChunk:
    """The rows of communes ``start:stop``, one array per column (rows commune-major).

    `commune` and `check` index the plan's per-commune and per-check columns; statuses are the
    kernel's codes (see :data:`STATUS_WORDS`); `verified` is 1, 0 or -1 (no threshold cell);
    `source` an index into :attr:`LongPlan.sources` (-1: none)."""

    start: int
    stop: int
    commune: Array
    check: Array
    value: Array
    threshold: Array
    gap: Array
    status: Array
    indicator_status: Array
    verified: Array
    appraised: Array
    source: Array
    region_applied: Array


def _block(plan: LongPlan, index: int, a: int, b: int) -> dict[str, Array]:
    """One set's cells for communes a:b, each (checks, communes)."""
    sc = plan.result.scores[index]
    owner = plan.owners[index]
    group = sc.group[a:b]
    ind_status = sc.status[owner, a:b]
    check_status = sc.check_status[:, a:b]
    regions = plan.regions[index][sc.choice[a:b]]
    n_checks = len(sc.plan.checks)
    return {
        "value": np.stack([sc.columns.value(c.measure)[a:b] for c in sc.plan.checks])
        if n_checks
        else np.empty((0, b - a)),
        "threshold": sc.thresholds[:, group],
        "gap": np.stack([sc.gap(k)[a:b] for k in range(n_checks)])
        if n_checks
        else np.empty((0, b - a)),
        "status": np.where(ind_status == _NA, _NA, check_status).astype(np.int8),
        "indicator_status": ind_status,
        "verified": sc.cell_verified[:, group],
        "appraised": sc.appraised[owner, a:b],
        "source": plan.cell_sources[index][:, group],
        "region_applied": np.broadcast_to(regions, (n_checks, b - a)),
    }


def long_chunks(plan: LongPlan, size: int = CHUNK) -> Iterator[LongChunk]:
    """The long format a block of `size` communes at a time."""
    n, width = len(plan.result.communes), plan.width
    for a in range(0, n, max(1, size)):
        b = min(n, a + size)
        blocks = [_block(plan, k, a, b) for k in range(len(plan.result.scores))]
        cells = {
            key: np.concatenate([blk[key] for blk in blocks], axis=0).T.ravel() for key in blocks[0]
        }
        yield LongChunk(
            start=a,
            stop=b,
            commune=np.repeat(np.arange(a, b, dtype=np.int64), width),
            check=np.tile(np.arange(width, dtype=np.intp), b - a),
            **cells,
        )


_VERIFIED = _objects([None, False, True])  # by verified + 1


def _typed(plan: LongPlan, chunk: LongChunk) -> dict[str, Array]:
    """The chunk as typed columns: numbers as float64 (NaN: none), words as objects."""
    status = _objects(list(STATUS_WORDS))
    out: dict[str, Array] = {"commune_id": chunk.commune}
    out |= {k: v[chunk.commune] for k, v in plan.communes.items()}
    out |= {k: v[chunk.check] for k, v in plan.checks.items()}
    out |= {k: getattr(chunk, k) for k in _FLOATS}
    out["status"] = status[chunk.status.astype(np.intp) + 1]
    out["indicator_status"] = status[chunk.indicator_status.astype(np.intp) + 1]
    out["verified"] = _VERIFIED[chunk.verified.astype(np.intp) + 1]
    out["appraised"] = chunk.appraised
    out |= {k: v[chunk.source] for k, v in plan.source_columns.items()}  # -1: trailing None
    out["region_applied"] = chunk.region_applied
    return {k: out[k] for k in LONG_COLUMNS}


def long_columns(result: ProvinceResult) -> dict[str, Array]:
    """The whole long format as one numpy array per column (:data:`LONG_COLUMNS`): numbers
    as float64 with NaN where there is none, words and flags as objects (None: none)."""
    plan = long_plan(result)
    parts = [_typed(plan, chunk) for chunk in long_chunks(plan)]
    if not parts:
        return {k: np.empty(0, dtype=object) for k in LONG_COLUMNS}
    return {k: np.concatenate([p[k] for p in parts]) for k in LONG_COLUMNS}


def _nan_to_none(values: Array) -> Array:
    out = values.astype(object)
    out[np.isnan(values)] = None
    return out


def long_rows(result: ProvinceResult) -> Iterator[tuple[Any, ...]]:
    """One tuple per commune × set × indicator check, aligned with :data:`LONG_COLUMNS`
    (None where there is no value, threshold, gap, source or criterion)."""
    plan = long_plan(result)
    for chunk in long_chunks(plan):
        cols = _typed(plan, chunk)
        for k in _FLOATS:
            cols[k] = _nan_to_none(cols[k])
        yield from zip(*(cols[k].tolist() for k in LONG_COLUMNS), strict=True)


def long_headers(lang: str | None) -> list[str]:
    """The CSV headers: the stable keys, or readable words in `lang` (``vi``, ``en``)."""
    if lang is None:
        return list(LONG_COLUMNS)
    if lang not in ("vi", "en"):
        raise ValueError(f"lang must be 'vi' or 'en', not {lang!r}")
    return [t(f"export_col_{k}", lang) for k in LONG_COLUMNS]


def _quoted(value: Any) -> str:
    """One cell as the results CSV writes it (csv.QUOTE_NONNUMERIC after
    :func:`~ntm_rules.report.sheets._csv_cell`): words quoted and neutralised, numbers bare."""
    cell = _csv_cell(value, "standard")
    if isinstance(cell, (int, float)):
        return repr(cell) if isinstance(cell, float) else str(cell)
    return '"' + str(cell).replace('"', '""') + '"'


def _joined(columns: dict[str, Array], keys: tuple[str, ...]) -> Array:
    """Per entry, the cells of `keys` rendered, joined and encoded (UTF-8)."""
    cells = [[_quoted(v) for v in columns[k].tolist()] for k in keys]
    return _objects([",".join(parts).encode() for parts in zip(*cells, strict=True)])


def _number_texts(values: Array) -> Array:
    """Numbers as cells: whole numbers without ``.0``, ``""`` where there is none; each
    distinct number rendered once."""
    distinct, inverse = np.unique(values, return_inverse=True)
    texts = [
        b'""' if x != x else b"%d" % x if x.is_integer() and abs(x) < 2.0**53 else repr(x).encode()
        for x in distinct.tolist()
    ]
    return _objects(texts)[inverse.reshape(-1)]


def _flag_texts() -> Array:
    """status, indicator_status, verified, appraised rendered together, by their codes."""
    verified, appraised = ('""', '"false"', '"true"'), ('"false"', '"true"')
    return _objects(
        [
            f'"{s}","{i}",{v},{a}'.encode()
            for s in STATUS_WORDS
            for i in STATUS_WORDS
            for v in verified
            for a in appraised
        ]
    )


def _csv_lines(plan: LongPlan) -> Iterator[bytes]:
    """The CSV's data lines (UTF-8), a block of communes at a time."""
    commune_keys = ("commune", "code", "province", "district", "year", "source")
    per_commune = _joined(
        {"commune_id": np.arange(len(plan.result.communes))} | plan.communes,
        ("commune_id", *commune_keys),
    )
    keys = ("set_id", "criterion_id", "indicator_id", "check_no", "measure")
    per_check = _joined(plan.checks, keys)
    operators = _joined(plan.checks, ("operator",))
    sources = _joined(plan.source_columns, ("source_key", "citation", "url"))
    regions = tuple(_joined({"r": r}, ("r",)) for r in plan.regions)
    shown = replace(plan, regions=regions)  # the region applied as rendered cells
    flags = _flag_texts()
    for chunk in long_chunks(shown):
        code = (chunk.status.astype(np.intp) + 1) * 5 + chunk.indicator_status + 1
        code = (code * 3 + chunk.verified + 1) * 2 + chunk.appraised
        parts = (
            per_commune[chunk.commune],
            per_check[chunk.check],
            _number_texts(chunk.value),
            operators[chunk.check],
            _number_texts(chunk.threshold),
            _number_texts(chunk.gap),
            flags[code],
            sources[chunk.source],
            chunk.region_applied,
        )
        lines = map(b",".join, zip(*(part.tolist() for part in parts), strict=True))
        yield b"\r\n".join(lines) + b"\r\n"


def write_long_csv(
    result: ProvinceResult, path: Path | str, lang: str | None = None, dialect: str = "standard"
) -> None:
    """The long format as CSV at `path`, **starting with a UTF-8 byte-order mark**, rows
    ending with CRLF, every text cell quoted, formula-like text neutralised with a leading
    ``'`` (as the results CSV, :mod:`ntm_rules.report.sheets`). Booleans are
    ``true``/``false``, absent values empty. Headers: the stable keys by default, readable
    words with `lang`. ``dialect="excel-vi"``: ``;`` between cells and the decimal comma."""
    head = ",".join(_quoted(h) for h in long_headers(lang))
    if dialect == "excel-vi":
        buf = io.BytesIO()
        buf.write((head + "\r\n").encode())
        for lines in _csv_lines(long_plan(result)):
            buf.write(lines)
        _to_excel_vi(buf.getvalue().decode(), path)
        return
    with open(path, "wb") as f:
        f.write(("\ufeff" + head + "\r\n").encode())
        for lines in _csv_lines(long_plan(result)):
            f.write(lines)


def _to_excel_vi(text: str, path: Path | str) -> None:
    """Standard long CSV text rewritten with ';' and the decimal comma: the bare (numeric)
    cells are the numbers; quoted cells stay text."""
    rows = csv.reader(io.StringIO(text, newline=""), quoting=csv.QUOTE_NONNUMERIC)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("\ufeff")
        out = csv.writer(f, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
        for row in rows:
            out.writerow([_csv_cell(v, "excel-vi") if isinstance(v, float) else v for v in row])
