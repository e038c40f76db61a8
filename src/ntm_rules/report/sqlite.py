"""The batch result as a SQLite database (standard library :mod:`sqlite3`), for analysts.

Tables (documented column by column in ``docs/exports.md``): ``meta``, ``sets``, ``criteria``,
``indicators``, ``sources``, ``communes``, ``results`` (commune × set), ``criteria_results``
(commune × set × criterion), ``indicator_results`` (commune × set × indicator check: the long
format of :mod:`ntm_rules.report.long`), ``transitions`` and ``culprits`` (two sets), and the
view ``long_format`` (the long CSV's columns). Primary and foreign keys are declared; a
commune's ``commune_id`` is its position in the input (0-based, as in the batch JSON's
``results``).

:func:`write_sqlite` writes a whole new database at the path it is given; the caller publishes
it (``report/write.py`` hands a temporary path and moves it into place).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from .._version import __version__
from ..model.status import num
from ..province import ProvinceResult
from .long import (
    CRITERION_WORDS,
    LONG_COLUMNS,
    STATUS_WORDS,
    VERDICT_WORDS,
    LongPlan,
    long_chunks,
    long_plan,
)

__all__ = ["INDEXES", "SCHEMA_VERSION", "TABLES", "VIEW", "table_columns", "write_sqlite"]

SCHEMA_VERSION = 1
_COMMUNE = "commune_id INTEGER NOT NULL REFERENCES communes (commune_id)"
_SET = "set_id TEXT NOT NULL REFERENCES sets (set_id)"
_CRITERION = "FOREIGN KEY (set_id, criterion_id) REFERENCES criteria (set_id, criterion_id)"
_INDICATOR = "FOREIGN KEY (set_id, indicator_id) REFERENCES indicators (set_id, indicator_id)"
# table -> (column definitions, table constraints)
TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "meta": (("key TEXT PRIMARY KEY", "value TEXT"), ()),
    "sets": (
        ("set_id TEXT PRIMARY KEY", "position INTEGER NOT NULL", "role TEXT", "title_vi TEXT",
         "title_en TEXT", "decision TEXT", "issued TEXT", "period_start INTEGER",
         "period_end INTEGER", "tier TEXT", "base_id TEXT", "overlay_id TEXT"),
        (),
    ),
    "criteria": (
        (_SET, "criterion_id TEXT NOT NULL", "position INTEGER NOT NULL", "group_id TEXT",
         "name_vi TEXT", "name_en TEXT"),
        ("PRIMARY KEY (set_id, criterion_id)",),
    ),
    "indicators": (
        (_SET, "indicator_id TEXT NOT NULL", "criterion_id TEXT", "position INTEGER NOT NULL",
         "checks INTEGER NOT NULL", "text_vi TEXT", "text_en TEXT", "doubt TEXT"),
        ("PRIMARY KEY (set_id, indicator_id)", _CRITERION),
    ),
    "sources": (
        ("source_id INTEGER PRIMARY KEY", "source_key TEXT NOT NULL", "citation TEXT",
         "url TEXT", "kind TEXT"),
        (),
    ),
    "communes": (
        ("commune_id INTEGER PRIMARY KEY", "name TEXT NOT NULL", "code TEXT", "province TEXT",
         "district TEXT", "region TEXT", "year INTEGER", "categories TEXT", "source TEXT",
         "source_file TEXT", "source_line INTEGER", "source_cell TEXT"),
        (),
    ),
    "results": (
        (_COMMUNE, _SET, "verdict TEXT NOT NULL", "criteria_met INTEGER NOT NULL",
         "criteria_total INTEGER NOT NULL", "region_applied TEXT",
         "provisional INTEGER NOT NULL"),
        ("PRIMARY KEY (commune_id, set_id)",),
    ),
    "criteria_results": (
        (_COMMUNE, "set_id TEXT NOT NULL", "criterion_id TEXT NOT NULL", "status TEXT NOT NULL"),
        ("PRIMARY KEY (commune_id, set_id, criterion_id)", _CRITERION),
    ),
    "checks": (
        ("check_id INTEGER PRIMARY KEY", "set_id TEXT NOT NULL", "criterion_id TEXT",
         "indicator_id TEXT NOT NULL", "check_no INTEGER NOT NULL", "measure TEXT NOT NULL",
         "operator TEXT NOT NULL"),
        (_INDICATOR,),
    ),
    "indicator_results": (
        (_COMMUNE, "check_id INTEGER NOT NULL REFERENCES checks (check_id)", "value REAL",
         "threshold REAL", "gap REAL", "status TEXT NOT NULL", "indicator_status TEXT NOT NULL",
         "verified INTEGER", "appraised INTEGER NOT NULL",
         "source_id INTEGER REFERENCES sources (source_id)"),
        ("PRIMARY KEY (commune_id, check_id)",),
    ),
    "transitions": (
        ("commune_id INTEGER PRIMARY KEY REFERENCES communes (commune_id)",
         "from_set TEXT NOT NULL REFERENCES sets (set_id)",
         "to_set TEXT NOT NULL REFERENCES sets (set_id)", "from_verdict TEXT NOT NULL",
         "to_verdict TEXT NOT NULL", "outcome TEXT NOT NULL", "from_basis TEXT",
         "provisional INTEGER"),
        (),
    ),
    "culprits": (
        ("commune_id INTEGER NOT NULL REFERENCES transitions (commune_id)",
         "position INTEGER NOT NULL", "set_id TEXT NOT NULL", "criterion_id TEXT",
         "indicator_id TEXT NOT NULL", "measure TEXT", "status TEXT NOT NULL",
         "cause TEXT NOT NULL", "value REAL", "operator TEXT", "threshold_from REAL",
         "threshold_to REAL", "from_indicator TEXT", "verified INTEGER",
         "doubt INTEGER NOT NULL"),
        ("PRIMARY KEY (commune_id, position)", _INDICATOR),
    ),
}  # fmt: skip
_WITHOUT_ROWID = ("results", "criteria_results", "indicator_results", "culprits")
INDEXES = (
    "CREATE INDEX communes_place ON communes (province, district)",
    "CREATE INDEX results_verdict ON results (set_id, verdict)",
    "CREATE INDEX criteria_results_status ON criteria_results (set_id, criterion_id, status)",
    "CREATE INDEX checks_indicator ON checks (set_id, indicator_id)",
    "CREATE INDEX indicator_results_status ON indicator_results (check_id, status)",
    "CREATE INDEX transitions_outcome ON transitions (outcome)",
    "CREATE INDEX culprits_indicator ON culprits (set_id, indicator_id)",
)
_VIEW_FROM = {  # long_format column -> its expression (the others: indicator_results.<name>)
    "commune": "c.name",
    **{k: f"c.{k}" for k in ("code", "province", "district", "year", "source")},
    **{k: f"s.{k}" for k in ("source_key", "citation", "url")},
    **{k: f"k.{k}" for k in ("set_id", "criterion_id", "indicator_id", "check_no", "measure")},
    "operator": "k.operator",
    "region_applied": "r.region_applied",
}
VIEW = (
    "CREATE VIEW long_format AS SELECT "
    + ", ".join(f"{_VIEW_FROM.get(k, 'i.' + k)} AS {k}" for k in LONG_COLUMNS)
    + " FROM indicator_results i JOIN communes c ON c.commune_id = i.commune_id"
    " JOIN checks k ON k.check_id = i.check_id"
    " JOIN results r ON r.commune_id = i.commune_id AND r.set_id = k.set_id"
    " LEFT JOIN sources s ON s.source_id = i.source_id"
)


def table_columns(table: str) -> list[str]:
    """The column names of `table`, in order."""
    return [column.split()[0] for column in TABLES[table][0]]


def _create(table: str) -> str:
    columns, constraints = TABLES[table]
    extra = " WITHOUT ROWID" if table in _WITHOUT_ROWID else ""
    return f"CREATE TABLE {table} ({', '.join((*columns, *constraints))}){extra}"


def _insert(db: sqlite3.Connection, table: str, rows: Iterable[tuple[Any, ...]]) -> None:
    width = len(TABLES[table][0])
    db.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * width)})", rows)


def _words(words: tuple[str, ...], codes: np.ndarray[Any, Any], shift: int) -> list[str]:
    table = np.array(words, dtype=object)
    found: list[str] = table[codes.astype(np.intp) + shift].tolist()
    return found


def _described(result: ProvinceResult, plan: LongPlan) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of the describing tables: meta, sets, criteria, indicators, sources."""
    two = len(result.sets) == 2
    roles = ("from", "to") if two else ()
    out: dict[str, list[tuple[Any, ...]]] = {"sets": [], "criteria": [], "indicators": []}
    for k, (s, sc) in enumerate(zip(result.sets, result.scores, strict=True)):
        out["sets"].append(
            (s.id, k + 1, roles[k] if k < len(roles) else None, s.title.vi, s.title.en,
             s.decision, s.issued, s.period[0], s.period[1], s.tier, s.base_id or None,
             s.overlay.id if s.overlay else None)
        )  # fmt: skip
        out["criteria"] += [
            (s.id, c.id, pos + 1, c.group, c.name.vi, c.name.en) for pos, c in enumerate(s.criteria)
        ]
        crit_ids = [c.id for c in s.criteria]
        out["indicators"] += [
            (s.id, p.id, crit_ids[p.criterion] if p.criterion >= 0 else None, p.index + 1,
             len(p.checks), p.indicator.text.vi, p.indicator.text.en, p.indicator.doubt or None)
            for p in sc.plan.indicators
        ]  # fmt: skip
    out["sources"] = [
        (k, s.key, s.citation, s.url or None, s.kind) for k, s in enumerate(plan.sources)
    ]
    meta = {
        "schema_version": SCHEMA_VERSION,
        "ntm_rules_version": __version__,
        "communes": len(result.communes),
        "sets": ",".join(s.id for s in result.sets),
        "from": result.sets[0].id if two else None,
        "to": result.sets[1].id if two else None,
    }
    out["meta"] = [(k, None if v is None else str(v)) for k, v in meta.items()]
    return out


def _communes(result: ProvinceResult, plan: LongPlan) -> Iterator[tuple[Any, ...]]:
    shown = plan.communes["source"].tolist()
    for i, c in enumerate(result.communes):
        src = c.source
        line = src.line if src is not None and src.line else None
        cell = src.cell if src is not None and src.cell else None
        where = (src.file if src is not None else None, line, cell)
        categories = ";".join(c.categories)
        yield (i, c.name, c.code, c.province, c.district, c.region, c.year, categories,
               shown[i] or None, *where)  # fmt: skip


def _results(result: ProvinceResult) -> Iterator[tuple[Any, ...]]:
    ids = list(range(len(result.communes)))
    for sc in result.scores:
        set_id = sc.criteria_set.id
        regions = [ch.region for ch in sc.choices]
        yield from zip(
            ids,
            [set_id] * len(ids),
            _words(VERDICT_WORDS, sc.verdict, 0),
            sc.met.tolist(),
            sc.total.tolist(),
            [regions[k] for k in sc.choice.tolist()],
            sc.provisional.astype(int).tolist(),
            strict=True,
        )


def _criteria_results(result: ProvinceResult) -> Iterator[tuple[Any, ...]]:
    n = len(result.communes)
    for sc in result.scores:
        ids = np.array([c.id for c in sc.criteria_set.criteria], dtype=object)
        if not len(ids):
            continue
        yield from zip(
            np.repeat(np.arange(n), len(ids)).tolist(),
            [sc.criteria_set.id] * (n * len(ids)),
            np.tile(ids, n).tolist(),
            _words(CRITERION_WORDS, sc.criteria.T.ravel(), 1),
            strict=True,
        )


def _checks(plan: LongPlan) -> Iterator[tuple[Any, ...]]:
    keys = ("set_id", "criterion_id", "indicator_id", "check_no", "measure", "operator")
    return zip(range(plan.width), *(plan.checks[k].tolist() for k in keys), strict=True)


def _indicator_results(plan: LongPlan) -> Iterator[tuple[Any, ...]]:
    verified_words = np.array([None, 0, 1], dtype=object)
    for chunk in long_chunks(plan):
        floats = []
        for values in (chunk.value, chunk.threshold, chunk.gap):
            shown = values.astype(object)
            shown[np.isnan(values)] = None
            floats.append(shown.tolist())
        source = chunk.source.astype(object)
        source[chunk.source < 0] = None
        yield from zip(
            chunk.commune.tolist(),
            chunk.check.tolist(),
            *floats,
            _words(STATUS_WORDS, chunk.status, 1),
            _words(STATUS_WORDS, chunk.indicator_status, 1),
            verified_words[chunk.verified.astype(np.intp) + 1].tolist(),
            chunk.appraised.astype(int).tolist(),
            source.tolist(),
            strict=True,
        )


def _transitions(result: ProvinceResult) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The rows of ``transitions`` and ``culprits`` (none unless two sets are compared)."""
    if len(result.scores) != 2:
        return [], []
    (old, new), (from_id, to_id) = result.scores, (s.id for s in result.sets)
    lost = {i: result.transition(i) for i in result.lost()}
    rows = []
    for i, (outcome, before, after) in enumerate(
        zip(result.outcomes, _words(VERDICT_WORDS, old.verdict, 0),
            _words(VERDICT_WORDS, new.verdict, 0), strict=True)
    ):  # fmt: skip
        tr = lost.get(i)
        rows.append(
            (i, from_id, to_id, before, after, str(outcome),
             tr.from_basis if tr else None, int(tr.provisional) if tr else None)
        )  # fmt: skip
    culprits = [
        (i, pos, to_id, c.criterion, c.indicator, c.measure, str(c.status), str(c.cause),
         num(c.value), c.operator or None, num(c.threshold_from), num(c.threshold_to),
         c.from_indicator or None, None if c.verified is None else int(c.verified), int(c.doubt))
        for i, tr in lost.items()
        for pos, c in enumerate(tr.culprits, 1)
    ]  # fmt: skip
    return rows, culprits


def write_sqlite(result: ProvinceResult, path: Path | str) -> None:
    """Write `result` as a new SQLite database at `path` (a file there is replaced)."""
    target = Path(path)
    target.unlink(missing_ok=True)
    plan = long_plan(result)
    with contextlib.closing(sqlite3.connect(target)) as db:
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        with db:
            for table in TABLES:
                db.execute(_create(table))
            described = _described(result, plan)
            for table in ("meta", "sets", "criteria", "indicators", "sources"):
                _insert(db, table, described[table])
            _insert(db, "checks", _checks(plan))
            _insert(db, "communes", _communes(result, plan))
            _insert(db, "results", _results(result))
            _insert(db, "criteria_results", _criteria_results(result))
            _insert(db, "indicator_results", _indicator_results(plan))
            transitions, culprits = _transitions(result)
            _insert(db, "transitions", transitions)
            _insert(db, "culprits", culprits)
            for statement in INDEXES:
                db.execute(statement)
            db.execute(VIEW)
            db.execute("PRAGMA analysis_limit = 1000")
            db.execute("ANALYZE")  # table statistics, so that queries on the view use the indexes
