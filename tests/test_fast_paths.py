"""The fast read paths equal their plain definitions.

The regular-CSV path (load/csv_split.py, load/cells_split.py, load/table_build.py) reads every
table exactly as the general reader does: same communes, same located problems, same values to
the sign of a zero. The general reader is the definition; these tests turn the fast paths off
(``table_rows.FAST``) and compare, on random files, on every CSV shipped in the repository and
on the benchmark's generator. Texts checked a column at once (``normal_texts``) and names
folded together (``fold_many``) equal the text of each cell alone."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ntm_rules.load import table_rows
from ntm_rules.load.cells import parse_column
from ntm_rules.load.cells_split import _grid, parse_split
from ntm_rules.load.cells_split import _plain as plain_values
from ntm_rules.load.communes import normal_text, normal_texts
from ntm_rules.load.csv_split import split_rows
from ntm_rules.load.source import read_text, read_utf8
from ntm_rules.load.table import TableRead, read_table
from ntm_rules.load.values import parse_value
from ntm_rules.model.vocab import fold, fold_many

from .hostile_inputs import BOOL, CATALOG, CELLS, COUNT, INCOME, MEASURES, PCT, csv_text

ROOT = Path(__file__).resolve().parent.parent
VOCAB = CATALOG.vocab


def _both(path: Path) -> tuple[object, object]:
    """What reading `path` gives with the fast paths and without: a TableRead or the error."""
    found = []
    try:
        for fast in (True, False):
            table_rows.FAST = fast
            try:
                found.append(read_table(path, VOCAB))
            except Exception as exc:  # compared below: the same error both ways
                found.append(exc)
    finally:
        table_rows.FAST = True
    return found[0], found[1]


def assert_same(fast: object, slow: object) -> None:
    if not isinstance(slow, TableRead):
        assert type(fast) is type(slow) and str(fast) == str(slow)
        assert getattr(fast, "issues", None) == getattr(slow, "issues", None)
        return
    assert isinstance(fast, TableRead)
    assert fast.rows == slow.rows
    assert fast.issues == slow.issues
    assert fast.communes == slow.communes
    assert fast.columns is not None and slow.columns is not None
    for key in MEASURES:
        a, b = fast.columns.value(key), slow.columns.value(key)
        assert np.array_equal(a, b, equal_nan=True), key
        assert np.array_equal(np.signbit(a), np.signbit(b)), key  # -0 read as -0 both ways
        assert np.array_equal(fast.columns.truth(key), slow.columns.truth(key)), key


# --- random regular tables: the fast path applies to most of them ---------------------------

_NUMBERS = st.one_of(
    st.from_regex(r"\A-?[0-9]{1,6}([.,][0-9]{1,4})?\Z"),
    st.from_regex(r"\A-?[0-9]{14,16}([.,][0-9]{1,2})?\Z"),
    st.sampled_from(["-0", "0,0", "-0.0", "007", "1.2.3", ".5", "5.", "-", "--5", "5-", "100"]),
)
_WORDS = st.sampled_from(["có", "không", "Có", " có", "đạt", "x", "n/a", "85%", "  ", "abc"])
_CELL = st.one_of(_NUMBERS, _WORDS, st.sampled_from([c for c in CELLS if c != "a\nb"]))
_IDENTITY = {
    "name": st.sampled_from(["Xã A", "Xã B", "Xã Ê", "", " ", "Xã  A", '"Xã, Q"']),
    "year": st.sampled_from(["2023", "2024", "2023.0", "", "1999", "x"]),
    "region": st.sampled_from(["TN", "BTB", "Tây Nguyên", "", "XX"]),
    "province": st.sampled_from(["Kon Tum", "", "Quảng Nam"]),
    "district": st.sampled_from(["Huyện 1", "", "Huyện 2"]),
    "code": st.sampled_from(["", "001", "002"]),
    "categories": st.sampled_from(["", "dbkk", "dbkk;atk", "nope"]),
    "recognized_set": st.sampled_from(["", "ntm-2016-2020", "nope"]),
    "recognized_year": st.sampled_from(["", "2019", "2030"]),
}
_MEASURES = [PCT, BOOL, COUNT, INCOME, "registered_in_plan", "multidimensional_poverty_pct"]


@st.composite
def regular_csv(draw: st.DrawFn) -> str:
    delimiter = draw(st.sampled_from([",", ";"]))
    extra = draw(st.lists(st.sampled_from(list(_IDENTITY)[3:]), unique=True, max_size=6))
    measures = draw(st.lists(st.sampled_from(_MEASURES), unique=True, min_size=1, max_size=6))
    header = ["name", "year", "region", *extra, *measures]
    rows = []
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(["row"] * 8 + ["empty", "blank", "spaces"]))
        if kind == "empty":
            rows.append([])
            continue
        if kind in ("blank", "spaces"):
            rows.append([" " if kind == "spaces" else ""] * len(header))
            continue
        cells = [draw(_IDENTITY[h]) for h in header[: 3 + len(extra)]]
        rows.append([*cells, *(draw(_CELL) for _ in measures)])

    def cell(text: str) -> str:
        if text.startswith('"'):
            return text
        if delimiter in text or draw(st.integers(0, 9)) == 0:
            return '"' + text.replace('"', '""') + '"'
        return text

    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    lines = [delimiter.join(cell(c) for c in row) for row in [header, *rows]]
    end = newline if draw(st.booleans()) else ""
    hint = f"sep={delimiter}{newline}" if draw(st.integers(0, 4)) == 0 else ""  # Excel's line
    bom = "\ufeff" if draw(st.integers(0, 4)) == 0 else ""
    return bom + hint + newline.join(lines) + end


@settings(derandomize=True, database=None, deadline=None, max_examples=250)
@given(text=st.one_of(regular_csv(), regular_csv(), csv_text()))
def test_fast_and_general_readers_agree_on_random_tables(
    text: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("split") / "t.csv"
    path.write_bytes(text.encode("utf-8"))
    assert_same(*_both(path))


def _shipped() -> list[Path]:
    return sorted(
        p for p in ROOT.glob("**/*.csv") if ".venv" not in p.parts and "out" not in p.parts
    )


@pytest.mark.parametrize("path", _shipped(), ids=lambda p: str(p.relative_to(ROOT)))
def test_fast_and_general_readers_agree_on_shipped_tables(path: Path) -> None:
    assert_same(*_both(path))


def test_fast_and_general_readers_agree_on_a_generated_province(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate_province import generate
    finally:
        sys.path.pop(0)
    path = tmp_path / "p.csv"
    generate(400, path)
    text = path.read_text(encoding="utf-8")
    assert (
        split_rows((text).encode("utf-8"), ",", text.split("\n", 1)[0].count(",") + 1) is not None
    )
    assert_same(*_both(path))


# --- when the file is cut at once, and when not -----------------------------------------------


def test_regular_files_are_cut_at_once() -> None:
    found = split_rows(('name,v\r\n"Xã, A",1\r\n\r\nXã B,"41,5"').encode(), ",", 2)
    assert found is not None
    assert found.numbers == [2, 4]  # the empty line 3 is left out, and counted
    assert found.column(0) == ["Xã, A", "Xã B"] and found.row(1) == ["Xã B", "41,5"]


@pytest.mark.parametrize(
    "body",
    [
        'a,"x\ny"\n',  # a line break inside a quoted cell
        'a,"x""y"\n',  # an escaped quote
        'a,x"y\n',  # a quote inside a cell
        'a,"x"y\n',  # text after the closing quote
        "a,b,c\n",  # a row longer than the header
        "a\n",  # a row shorter than the header
        "a,b\rc,d\n",  # a lone carriage return
        "a,b\x00\n",  # a NUL byte
        "",  # no data rows
    ],
)
def test_irregular_files_go_to_the_general_reader(body: str) -> None:
    assert split_rows(("name,v\n" + body).encode("utf-8"), ",", 2) is None


def test_header_with_a_quoted_line_break_goes_to_the_general_reader() -> None:
    assert split_rows((b'"na\nme",v\na,1\n'), ",", 2) is None


# --- plain decimals read from bytes as float() reads their text -------------------------------


def _plain(cells: list[str]) -> np.ndarray:
    rows = split_rows(("v\n" + "\n".join(cells) + "\n").encode("utf-8"), ";", 1)
    assert rows is not None
    size = rows.end[:, 0] - rows.start[:, 0]
    grid = _grid(rows.padded, rows.start[:, 0], int(size.max()))
    found = plain_values(grid, size)
    assert found is not None
    return found


@pytest.mark.parametrize(
    "cell",
    ["0.1", "41.5", "-0", "-0.0", "007", "100", "99999999999999.9", "0.30000000000001",
     "123456789012345", "-98765.4321", "1.000000000000"],
)  # fmt: skip
def test_plain_decimals_from_bytes(cell: str) -> None:
    for text in (cell, cell.replace(".", ",")):
        value = _plain([text, "5"])[0]
        expected = float(cell)
        assert value == expected and math.copysign(1, value) == math.copysign(1, expected)


@pytest.mark.parametrize("cell", ["1234567890123456", ".5", "5.", "1.2.3", "-", "1e3", " 5", "+5"])
def test_not_plain_decimals_are_read_as_text(cell: str) -> None:
    rows = split_rows((f"v\n{cell}\n5\n").encode(), ";", 1)
    assert rows is not None
    size = rows.end[:, 0] - rows.start[:, 0]
    grid = _grid(rows.padded, rows.start[:, 0], int(size.max()))
    assert plain_values(grid, size) is None
    measure = MEASURES["commune_roads_paved_pct"]
    parsed = parse_split(measure, rows, 0)
    expected = parse_column(measure, (cell, "5"), text=True)
    assert np.array_equal(parsed.values, expected.values, equal_nan=True)
    assert parsed.problems == expected.problems


def test_out_of_range_cells_are_worded_by_parse_value() -> None:
    rows = split_rows((b"v\n100\n100,5\n-1\n"), ";", 1)
    assert rows is not None
    measure = MEASURES["commune_roads_paved_pct"]
    parsed = parse_split(measure, rows, 0)
    assert parsed.values[0] == 100.0 and math.isnan(parsed.values[1])
    assert sorted(parsed.problems) == [1, 2]
    assert parsed.problems[1] == parse_value(measure, "100,5")[1]


# --- identity texts: a column checked at once reads as normal_text of each cell -------------

_PIECES = st.sampled_from(
    ["Xã", "A", " ", "  ", "\t", "\u00a0", "e\u0302\u0323", "ệ", "\u200b", "\u00ad", "\x1f",
     "\x00", "\n", "Đắk", "-", "1"]
)  # fmt: skip


@settings(derandomize=True, database=None, max_examples=300)
@given(
    column=st.lists(
        st.one_of(st.lists(_PIECES, max_size=4).map("".join), st.none(), st.integers(0, 9)),
        max_size=12,
    )
)
def test_normal_texts_equal_normal_text_of_each_cell(column: list[object]) -> None:
    expected = [normal_text(c) if type(c) is str else None for c in column]
    assert normal_texts(column) == expected
    texts = [c for c in column if type(c) is str]
    assert normal_texts(texts) == [normal_text(c) for c in texts]


# --- commune keys: names folded together as each alone ----------------------------------------

_NAME_PIECES = st.sampled_from(
    ["Xã", "Tỉnh", "tp", "Thành phố", "Đắk", "ĐẮK", " ", "-", "e\u0302", "\ue000", "Ω", "中",
     "ß", "\u200b", "Quảng  Nam", ".", "", "\u00a0", "\t", "TP. ", "tinh"]
)  # fmt: skip


@settings(derandomize=True, database=None, max_examples=600)
@given(names=st.lists(st.lists(_NAME_PIECES, max_size=4).map("".join), max_size=10))
def test_fold_many_equals_fold_of_each(names: list[str]) -> None:
    assert fold_many(names) == [fold(name) for name in names]


# --- a CSV's bytes checked as its text is -------------------------------------------------------


def _encodings() -> list[bytes]:
    big = ("Xã Ê," * 60_000).encode("utf-8")  # longer than one piece of the check
    return [
        b"name,year\nXa,2024\n",
        b"\xef\xbb\xbfname\nX\xc3\xa3\n",  # a BOM
        b"\xff\xfename",  # UTF-16
        b"name\nX\xe3\n",  # Windows-1258
        b"name\nX\x00\n",  # NUL
        big,
        big[: (1 << 18) - 1] + b"\xe1" + big[(1 << 18) - 1 :],  # a bad byte at a piece's end
        big[: 1 << 18] + b"\xc3",  # a character cut at the end
        b"",
    ]


@pytest.mark.parametrize("raw", _encodings(), ids=range(len(_encodings())))
def test_read_utf8_checks_as_read_text(raw: bytes, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(raw)
    text, problem = read_text(path)
    data, found = read_utf8(path)
    assert found == problem
    assert (data is None) == (text is None)
    if data is not None:
        assert data.decode("utf-8") == text


def test_short_cells_read_once_each_with_many_or_late_texts() -> None:
    """A column of short cells with more texts than its first cells show (a percentage typed
    with '%' among 300 values, a word first seen on the last row) reads as each cell alone."""
    many = [f"{k % 97},5%" if k % 3 else str(k % 101) for k in range(300)] + ["n/a", "có"]
    late = ["có", "không", ""] * 100 + ["x", "đạt", "abc"]  # the first 256 hold three texts
    for cells in (many, late):
        text = "name;v\n" + "".join(f"X;{cell}\n" for cell in cells)  # no row all blank
        rows = split_rows(text.encode("utf-8"), ";", 2)
        assert rows is not None and len(rows.numbers) == len(cells)
        for key in ("commune_roads_paved_pct", "income_per_capita", "postal_point"):
            measure = MEASURES[key]
            parsed = parse_split(measure, rows, 1)
            expected = parse_column(measure, tuple(cells), text=True)
            assert np.array_equal(parsed.values, expected.values, equal_nan=True), key
            assert parsed.problems == expected.problems, key
