"""The analysts' exports: the long format (rows, CSV), the SQLite database and the DataFrames.

Everything is checked on the shipped example province (18 communes, the default transition
ntm-2016-2020 -> ntm-2021-2025) against the batch JSON, which is the reference."""

from __future__ import annotations

import csv
import math
import re
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

import ntm_rules
from ntm_rules import Catalog
from ntm_rules.errors import NtmRulesError
from ntm_rules.province import ProvinceResult
from ntm_rules.report.frame import RESULT_COLUMNS, result_columns, to_frame
from ntm_rules.report.long import (
    CRITERION_WORDS,
    LONG_COLUMNS,
    STATUS_WORDS,
    VERDICT_WORDS,
    long_columns,
    long_headers,
    long_rows,
    write_long_csv,
)
from ntm_rules.report.sqlite import TABLES, table_columns, write_sqlite
from ntm_rules.report.write import Output, write_all
from ntm_rules.score.kernel import CRITERION, STATUS, VERDICT

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "province" / "communes.csv"

# Hand-derived from the shipped sets: ntm-2016-2020 has 51 indicators (49 in its 19 criteria,
# recognition conditions R1 and R3), 17.1 with two checks: 52 checks; ntm-2021-2025 has 60
# indicators (57 + R2, R3, R4), 3.2, 5 and 17.1 with two checks each: 63 checks.
COMMUNES = 18
CHECKS = {"ntm-2016-2020": 52, "ntm-2021-2025": 63}
CRITERIA = 19  # in each set
LONG_ROWS = COMMUNES * (52 + 63)  # 2070


@pytest.fixture(scope="module")
def result(catalog: Catalog) -> ProvinceResult:
    return ntm_rules.score_province(ntm_rules.read_communes([str(EXAMPLE)], catalog), (), catalog)


@pytest.fixture(scope="module")
def batch(result: ProvinceResult) -> dict[str, Any]:
    return result.to_dict()


@pytest.fixture(scope="module")
def rows(result: ProvinceResult) -> list[dict[str, Any]]:
    return [dict(zip(LONG_COLUMNS, row, strict=True)) for row in long_rows(result)]


@pytest.fixture(scope="module")
def db(result: ProvinceResult, tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    path = tmp_path_factory.mktemp("sqlite") / "province.db"
    write_sqlite(result, path)
    return sqlite3.connect(path)


def _row(rows: list[dict[str, Any]], commune: str, set_id: str, indicator: str) -> dict[str, Any]:
    found = [
        r
        for r in rows
        if (r["commune"], r["set_id"], r["indicator_id"]) == (commune, set_id, indicator)
    ]
    assert len(found) == 1
    return found[0]


def test_status_words_are_the_kernel_codes() -> None:
    assert {code: STATUS_WORDS[code + 1] for code in STATUS} == {
        k: str(v) for k, v in STATUS.items()
    }
    assert {code: CRITERION_WORDS[code + 1] for code in CRITERION} == {
        k: str(v) for k, v in CRITERION.items()
    }
    assert {code: VERDICT_WORDS[code] for code in VERDICT} == {
        k: str(v) for k, v in VERDICT.items()
    }


# --- the long format -----------------------------------------------------------------------


def test_one_long_row_per_commune_set_and_check(
    result: ProvinceResult, rows: list[dict[str, Any]]
) -> None:
    assert [s.id for s in result.sets] == list(CHECKS)
    assert len(result.communes) == COMMUNES
    assert len(rows) == LONG_ROWS == 2070
    for set_id, checks in CHECKS.items():
        assert sum(1 for r in rows if r["set_id"] == set_id) == COMMUNES * checks
    keys = {(r["commune_id"], r["set_id"], r["indicator_id"], r["check_no"]) for r in rows}
    assert len(keys) == LONG_ROWS
    # commune by commune, in input order; the from set first
    assert [r["commune_id"] for r in rows[:: 52 + 63]] == list(range(COMMUNES))
    assert rows[0]["set_id"] == "ntm-2016-2020" and rows[52]["set_id"] == "ntm-2021-2025"
    first = [r for r in rows if r["commune_id"] == 0 and r["set_id"] == "ntm-2021-2025"]
    assert [r["check_no"] for r in first if r["indicator_id"] == "5"] == [1, 2]


def test_a_long_row_matches_the_batch_json_and_the_input(
    batch: dict[str, Any], rows: list[dict[str, Any]]
) -> None:
    lost = next(item for item in batch["lost"] if item["commune"] == "Đắk Tăng")
    culprit = next(c for c in lost["culprits"] if c["indicator"] == "15.1")
    new = _row(rows, "Đắk Tăng", "ntm-2021-2025", "15.1")
    old = _row(rows, "Đắk Tăng", "ntm-2016-2020", "15.1")
    assert culprit == {**culprit, "value": 87.2, "threshold_from": 85, "threshold_to": 90}
    assert new["measure"] == culprit["measure"] == "health_insurance_pct"
    assert new["value"] == culprit["value"] == 87.2
    assert new["operator"] == culprit["operator"] == ">="
    assert new["threshold"] == culprit["threshold_to"] == 90
    assert old["threshold"] == culprit["threshold_from"] == 85
    assert new["status"] == new["indicator_status"] == culprit["status"] == "fail"
    assert new["verified"] is culprit["verified"] is False
    assert new["gap"] == -2.8 and old["gap"] == 2.2
    assert (new["criterion_id"], new["check_no"], new["appraised"]) == ("15", 1, False)
    assert (new["source_key"], new["url"]) == ("recon-318", None)
    assert new["source"] == f"{EXAMPLE}:A5"
    json_row = next(r for r in batch["results"] if r["commune"] == "Đắk Tăng")
    assert json_row["sets"]["ntm-2021-2025"]["criteria"]["15"] == "fail"
    for key in ("code", "province", "district", "year"):
        assert new[key] == json_row[key]
    with EXAMPLE.open(encoding="utf-8") as f:
        written = next(r for r in csv.DictReader(f) if r["name"] == "Đắk Tăng")
    assert new["value"] == float(written["health_insurance_pct"])


def test_long_rows_agree_with_every_commune_of_the_json(
    batch: dict[str, Any], rows: list[dict[str, Any]]
) -> None:
    for i, json_row in enumerate(batch["results"]):
        mine = [r for r in rows if r["commune_id"] == i]
        assert {r["commune"] for r in mine} == {json_row["commune"]}
        for set_id, ev in json_row["sets"].items():
            applied = {r["region_applied"] for r in mine if r["set_id"] == set_id}
            assert applied == {ev["region_applied"]}
            # a criterion fails exactly where one of its indicators fails
            failing = {
                r["criterion_id"]
                for r in mine
                if r["set_id"] == set_id and r["indicator_status"] == "fail" and r["criterion_id"]
            }
            assert failing == {c for c, s in ev["criteria"].items() if s == "fail"}


def test_long_values_are_typed(rows: list[dict[str, Any]]) -> None:
    for r in rows:
        assert r["status"] in STATUS_WORDS and r["indicator_status"] in STATUS_WORDS
        assert r["verified"] in (True, False, None)
        for key in ("value", "threshold", "gap"):
            assert r[key] is None or (isinstance(r[key], float) and not math.isnan(r[key]))
        if r["indicator_status"] == "not_applicable":
            assert r["status"] == "not_applicable"
    recognition = [r for r in rows if r["indicator_id"].startswith("R")]
    assert recognition and all(r["criterion_id"] is None for r in recognition)
    yes_no = _row(rows, "Đắk Long", "ntm-2016-2020", "1.1")
    assert (yes_no["value"], yes_no["threshold"], yes_no["gap"]) == (1.0, 1.0, None)


def test_long_columns_hold_the_same_rows(
    result: ProvinceResult, rows: list[dict[str, Any]]
) -> None:
    cols = long_columns(result)
    assert list(cols) == list(LONG_COLUMNS)
    assert all(len(v) == LONG_ROWS for v in cols.values())
    k = next(i for i, r in enumerate(rows) if r["gap"] is None and r["value"] is not None)
    assert math.isnan(cols["gap"][k]) and cols["value"][k] == rows[k]["value"]
    assert cols["commune"][1000] == rows[1000]["commune"]


def _read_csv(path: Path) -> tuple[list[str], list[list[Any]]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        found = list(csv.reader(f, quoting=csv.QUOTE_NONNUMERIC))
    return [str(h) for h in found[0]], found[1:]


def test_long_csv_round_trips(result: ProvinceResult, tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    write_long_csv(result, path)
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode()) and raw.count(b"\r\n") == LONG_ROWS + 1
    headers, data = _read_csv(path)
    assert headers == list(LONG_COLUMNS) and len(data) == LONG_ROWS

    def shown(value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        return float(value) if isinstance(value, (int, float)) else value

    assert data == [[shown(v) for v in row] for row in long_rows(result)]
    text = raw.decode("utf-8-sig")
    assert ',"Đắk Tăng",' in text and ',87.2,">=",90,-2.8,' in text  # 90, not 90.0


def test_long_csv_headers_in_each_language(result: ProvinceResult, tmp_path: Path) -> None:
    for lang, first in (("vi", "STT xã"), ("en", "Commune no.")):
        path = tmp_path / f"long-{lang}.csv"
        write_long_csv(result, path, lang)
        headers, data = _read_csv(path)
        assert headers == long_headers(lang) and headers[0] == first
        assert len(set(headers)) == len(LONG_COLUMNS) and len(data) == LONG_ROWS
        assert not any(h.startswith("export_col_") for h in headers)
    with pytest.raises(ValueError, match="lang"):
        long_headers("fr")


def test_formula_like_text_is_neutralised(catalog: Catalog, tmp_path: Path) -> None:
    with EXAMPLE.open(encoding="utf-8", newline="") as f:
        table = list(csv.reader(f))
    name, district = table[0].index("name"), table[0].index("district")
    table[1][name], table[1][district] = '=HYPERLINK("http://x";"y")', "+cmd|' /C calc'!A0"
    table[2][name] = "@SUM(1)"
    source = tmp_path / "hostile.csv"
    with source.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(table)
    hostile = ntm_rules.score_province(ntm_rules.read_communes([str(source)], catalog), (), catalog)
    path = tmp_path / "long.csv"
    write_long_csv(hostile, path)
    text = path.read_text(encoding="utf-8-sig")
    assert '"\'=HYPERLINK(""http://x"";""y"")"' in text
    assert "\"'+cmd|' /C calc'!A0\"" in text and '"\'@SUM(1)"' in text
    _, data = _read_csv(path)
    names = {row[1] for row in data}
    assert '\'=HYPERLINK("http://x";"y")' in names and "'@SUM(1)" in names
    for row in data:  # no cell of the file starts a formula
        assert not any(isinstance(v, str) and v[:1] in ("=", "+", "@", "\t", "\r") for v in row)
    for line in text.splitlines()[1:]:  # every word quoted; negative numbers only as numbers
        assert not re.search(r"(^|,)[=+@]", line)


# --- SQLite ----------------------------------------------------------------------------------


def test_sqlite_has_every_documented_table(db: sqlite3.Connection) -> None:
    found = {
        name: kind
        for name, kind in db.execute(
            "SELECT name, type FROM sqlite_master WHERE name NOT LIKE 'sqlite%'"
        )
        if kind in ("table", "view")
    }
    assert found == {**{t: "table" for t in TABLES}, "long_format": "view"}
    for table in TABLES:
        columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
        assert columns == table_columns(table)
    view = [row[1] for row in db.execute("PRAGMA table_info(long_format)")]
    assert view == list(LONG_COLUMNS)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"results_verdict", "indicator_results_status", "culprits_indicator"} <= indexes


def _count(db: sqlite3.Connection, sql: str, *args: Any) -> int:
    found = db.execute(sql, args).fetchone()[0]
    assert isinstance(found, int)
    return found


def test_sqlite_row_counts(db: sqlite3.Connection) -> None:
    assert _count(db, "SELECT COUNT(*) FROM communes") == COMMUNES
    assert _count(db, "SELECT COUNT(*) FROM sets") == 2
    assert _count(db, "SELECT COUNT(*) FROM checks") == 52 + 63
    assert _count(db, "SELECT COUNT(*) FROM results") == COMMUNES * 2
    assert _count(db, "SELECT COUNT(*) FROM criteria_results") == COMMUNES * 2 * CRITERIA
    assert _count(db, "SELECT COUNT(*) FROM indicator_results") == LONG_ROWS
    assert _count(db, "SELECT COUNT(*) FROM long_format") == LONG_ROWS
    assert _count(db, "SELECT COUNT(*) FROM transitions") == COMMUNES
    for set_id, checks in CHECKS.items():
        sql = "SELECT COUNT(*) FROM indicator_results JOIN checks USING (check_id) WHERE set_id = ?"
        assert _count(db, sql, set_id) == COMMUNES * checks


def test_sqlite_agrees_with_the_batch_json(db: sqlite3.Connection, batch: dict[str, Any]) -> None:
    sql = "SELECT COUNT(*) FROM transitions WHERE outcome = ?"
    for outcome, count in batch["transitions"].items():
        assert _count(db, sql, outcome) == count
    assert _count(db, sql, "lost") == batch["transitions"]["lost"] == 5
    culprits = sum(len(item["culprits"]) for item in batch["lost"])
    assert _count(db, "SELECT COUNT(*) FROM culprits") == culprits
    assert db.execute("SELECT value FROM meta WHERE key = 'to'").fetchone() == ("ntm-2021-2025",)
    results = {
        (i, s): (v, met, total, applied, bool(prov))
        for i, s, v, met, total, applied, prov in db.execute(
            "SELECT commune_id, set_id, verdict, criteria_met, criteria_total, region_applied, "
            "provisional FROM results"
        )
    }
    criteria = {
        (i, s, c): status for i, s, c, status in db.execute("SELECT * FROM criteria_results")
    }
    outcomes = dict(db.execute("SELECT commune_id, outcome FROM transitions").fetchall())
    for i, row in enumerate(batch["results"]):
        assert outcomes[i] == row["transition"]
        for set_id, ev in row["sets"].items():
            keys = ("verdict", "criteria_met", "criteria_total", "region_applied", "provisional")
            assert results[(i, set_id)] == tuple(ev[k] for k in keys)
            for cid, status in ev["criteria"].items():
                assert criteria[(i, set_id, cid)] == status


def test_sqlite_culprits_and_long_format(
    db: sqlite3.Connection, batch: dict[str, Any], rows: list[dict[str, Any]]
) -> None:
    lost = next(item for item in batch["lost"] if item["commune"] == "Đắk Tăng")
    got = db.execute(
        "SELECT indicator_id, status, cause, value, threshold_from, threshold_to, verified "
        "FROM culprits JOIN communes USING (commune_id) WHERE name = ? ORDER BY position",
        ("Đắk Tăng",),
    ).fetchall()
    assert got == [
        (c["indicator"], c["status"], c["cause"], c["value"], c["threshold_from"],
         c["threshold_to"], int(c["verified"]))
        for c in lost["culprits"]
    ]  # fmt: skip
    mine = sorted(
        db.execute(
            "SELECT * FROM long_format WHERE commune = 'Đắk Tăng' AND indicator_id = '15.1'"
        ).fetchall()
    )
    expected = [
        tuple(int(v) if isinstance(v, bool) else v for v in r.values())
        for r in rows
        if r["commune"] == "Đắk Tăng" and r["indicator_id"] == "15.1"
    ]
    assert mine == sorted(expected)
    lost_fail = _count(
        db,
        "SELECT COUNT(DISTINCT commune_id) FROM long_format JOIN transitions USING (commune_id) "
        "WHERE outcome = 'lost' AND set_id = to_set AND indicator_status = 'fail'",
    )
    assert lost_fail == sum(
        1 for item in batch["lost"] if any(c["status"] == "fail" for c in item["culprits"])
    )


def test_sqlite_through_the_safe_writer(result: ProvinceResult, tmp_path: Path) -> None:
    target = tmp_path / "out.db"
    target.write_bytes(b"not a database")
    write_all([Output(target, lambda tmp: write_sqlite(result, tmp))], force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.db"]  # no temporary file left
    with sqlite3.connect(target) as again:
        assert _count(again, "SELECT COUNT(*) FROM indicator_results") == LONG_ROWS


def test_one_set_has_no_transitions(catalog: Catalog, tmp_path: Path) -> None:
    inputs = ntm_rules.read_communes([str(EXAMPLE)], catalog)
    one = ntm_rules.score_province(inputs, [catalog.load("ntm-2021-2025")], catalog)
    assert sum(1 for _ in long_rows(one)) == COMMUNES * 63
    write_sqlite(one, tmp_path / "one.db")
    with sqlite3.connect(tmp_path / "one.db") as db:
        assert _count(db, "SELECT COUNT(*) FROM transitions") == 0
        assert _count(db, "SELECT COUNT(*) FROM culprits") == 0
        assert _count(db, "SELECT COUNT(*) FROM sets WHERE role IS NULL") == 1
    assert set(result_columns(one)["transition"].tolist()) == {None}


# --- DataFrames ------------------------------------------------------------------------------


def test_result_columns(result: ProvinceResult, batch: dict[str, Any]) -> None:
    cols = result_columns(result)
    assert list(cols) == list(RESULT_COLUMNS)
    assert all(len(v) == COMMUNES * 2 for v in cols.values())
    json_row = batch["results"][3]
    ev = json_row["sets"]["ntm-2021-2025"]
    k = 3 * 2 + 1
    assert (cols["commune"][k], cols["set_id"][k]) == (json_row["commune"], "ntm-2021-2025")
    assert (cols["verdict"][k], cols["criteria_met"][k], cols["transition"][k]) == (
        ev["verdict"],
        ev["criteria_met"],
        json_row["transition"],
    )


def test_to_frame_without_pandas(result: ProvinceResult, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now fails
    with pytest.raises(NtmRulesError, match=r"pip install ntm-rules\[frame\]"):
        to_frame(result)
    with pytest.raises(ValueError, match="kind"):
        to_frame(result, "wide")


def test_to_frame(result: ProvinceResult, batch: dict[str, Any]) -> None:
    pytest.importorskip("pandas")
    frame = to_frame(result)
    assert list(frame.columns) == list(RESULT_COLUMNS) and len(frame) == COMMUNES * 2
    lost = frame[(frame.transition == "lost") & (frame.set_id == "ntm-2021-2025")]
    assert len(lost) == batch["transitions"]["lost"]
    long = to_frame(result, "long")
    assert list(long.columns) == list(LONG_COLUMNS) and len(long) == LONG_ROWS
    row = long[(long.commune == "Đắk Tăng") & (long.indicator_id == "15.1")]
    assert row.threshold.tolist() == [85.0, 90.0] and row.value.tolist() == [87.2, 87.2]
    assert str(long.verified.dtype) == "boolean" and str(long.value.dtype) == "float64"


# --- the documentation -----------------------------------------------------------------------


def test_every_column_is_documented() -> None:
    doc = (ROOT / "docs" / "exports.md").read_text(encoding="utf-8")
    names = [*LONG_COLUMNS, *RESULT_COLUMNS, *TABLES, "long_format"]
    names += [c for table in TABLES for c in table_columns(table)]
    missing = sorted({n for n in names if f"`{n}`" not in doc})
    assert not missing, missing
    for table in TABLES:
        assert f"### `{table}`" in doc, table


def test_long_and_sqlite_from_the_command_line(tmp_path: Path) -> None:
    import sqlite3

    from typer.testing import CliRunner

    from ntm_rules.cli import app

    long, db = tmp_path / "long.csv", tmp_path / "p.db"
    done = CliRunner().invoke(
        app,
        ["batch", "examples/province/communes.csv", "--long", str(long), "--sqlite", str(db)],
    )
    assert done.exit_code == 0, done.output
    assert long.read_bytes().startswith(b"\xef\xbb\xbf")
    with sqlite3.connect(db) as con:
        assert con.execute("select count(*) from results").fetchone() == (36,)


def test_csv_for_excel_with_vietnamese_settings(tmp_path: Path) -> None:
    """--csv-style excel-vi: ';' between cells and the decimal comma; the standard CSV keeps ','
    and the point; both read back to the same table."""
    from typer.testing import CliRunner

    from ntm_rules.cli import app

    std, vi = tmp_path / "std.csv", tmp_path / "vi.csv"
    src = str(Path(__file__).resolve().parent.parent / "examples" / "province" / "communes.csv")
    for out, style in ((std, "standard"), (vi, "excel-vi")):
        args = ["batch", src, "--long", str(out), "--csv-style", style]
        done = CliRunner().invoke(app, [*args, "--csv", str(tmp_path / f"r-{style}.csv")])
        assert done.exit_code == 0, done.output
    with std.open(encoding="utf-8-sig", newline="") as fh:
        rows_std = list(csv.reader(fh))
    with vi.open(encoding="utf-8-sig", newline="") as fh:
        rows_vi = list(csv.reader(fh, delimiter=";"))
    assert rows_std[0] == rows_vi[0] and len(rows_std) == len(rows_vi) > 1000
    numeric = [rows_std[0].index(k) for k in ("value", "threshold", "gap")]
    decimals = [
        (ra[k], rb[k])
        for ra, rb in zip(rows_std[1:], rows_vi[1:], strict=True)
        for k in numeric
        if "." in ra[k]
    ]
    assert decimals and all(b == a.replace(".", ",") for a, b in decimals)
    results = (tmp_path / "r-excel-vi.csv").read_text(encoding="utf-8-sig")
    assert results.startswith('"commune";"code";')
    bad = CliRunner().invoke(app, ["batch", src, "--csv", str(std), "--csv-style", "x"])
    assert bad.exit_code == 2
