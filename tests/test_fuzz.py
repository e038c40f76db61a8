"""A bounded fuzz run over the loaders, seeded with the real shipped files (issue #6).

Each example takes a shipped file (``criteria/*.yaml``, ``criteria/overlays/*.yaml``,
``examples/**/*.yaml``, or a CSV / XLSX table made from the Kon Tum examples), damages it a few
times, byte-wise (flip, insert a YAML/CSV-significant token, delete, truncate) and line-wise
(delete, duplicate, swap, re-indent, join), and feeds it to every loader that reads that kind of
file. The only exceptions allowed out are the documented ones, :class:`~ntm_rules.errors.
NtmRulesError` and its subclasses; loaders that return a result must return located issues.

The run is bounded twice: hypothesis draws a fixed number of examples (``derandomize=True``, no
database, no shrinking), and each test stops doing work once its time budget is spent, so the
whole module takes about 16 s whatever the machine. When an unexpected exception escapes, the
damaged input is written next to the test's temporary files and its path is in the failure
message: reduce it by hand and add it to ``tests/data/invalid/`` with its ``# expect:`` lines.

Crashes found this way, each reduced into the corpus (tests/data/invalid/, or the XLSX
builders of tests/hostile_inputs.py):

* a required key missing (``criteria[].indicators``, ``sources.*.citation``, ``period.to``,
  ``region_rules[].use_region``, ``recognition.conditions``, ``revocation.rule``,
  ``derive.set``, overlay ``add[].indicator`` / ``remove[].source``, ``measures.*.label``,
  ``regions.*.name``, ``provinces.*.verified``) escaped as ``KeyError``;
* a tag on a mapping key (``!!python/name:os.system x: 1``) escaped as ``ConstructorError``;
  ``!!int ""`` / ``!!bool maybe`` escaped as ``IndexError`` / ``KeyError``;
* damaged .xlsx containers (zip members flagged encrypted, an unknown compression method, bad
  deflate data) escape as ``RuntimeError`` / ``NotImplementedError`` / ``zlib.error`` /
  ``EOFError`` (``table-zip-*.xlsx``).
"""

from __future__ import annotations

import contextlib
import csv
import io
import shutil
import time
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ntm_rules import Catalog, InvalidFileError, NtmRulesError, load_communes
from ntm_rules.load.catalog import default_catalog
from ntm_rules.load.source import read_yaml
from ntm_rules.load.table import read_table
from ntm_rules.load.validate import validate_files

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    with contextlib.suppress(ImportError):
        import hypothesis.extra._patching  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
CATALOG = default_catalog()
VOCAB = CATALOG.vocab  # measures, regions and the sets a commune may record
CATALOG.all_sets()  # warm the cache: overlays load their base set from it

CRITERIA_SEEDS = sorted([*CATALOG.root.glob("*.yaml"), *CATALOG.root.glob("overlays/*.yaml")])
COMMUNE_SEEDS = sorted((ROOT / "examples").rglob("*.yaml"))

# What the budgets buy on a 2-core box: ~16 s for the module. The example counts are upper
# bounds; a test that has spent its budget returns at once for its remaining examples.
BUDGET_S = {"criteria": 6.0, "communes": 3.0, "csv": 3.0, "xlsx": 3.0}
EXAMPLES = {"criteria": 450, "communes": 1100, "csv": 450, "xlsx": 650}


def fuzz_settings(kind: str) -> settings:
    return settings(
        derandomize=True,
        database=None,
        deadline=None,
        max_examples=EXAMPLES[kind],
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


class Budget:
    """Wall-clock budget of one test, started by its first example."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.start: float | None = None
        self.done = 0

    def spent(self) -> bool:
        now = time.monotonic()
        if self.start is None:
            self.start = now
        if now - self.start > self.seconds:
            return True
        self.done += 1
        return False


BUDGETS = {kind: Budget(seconds) for kind, seconds in BUDGET_S.items()}


# --- seeds made from the examples ----------------------------------------------------------


def _example_rows() -> tuple[list[str], list[list[Any]]]:
    communes = [
        c
        for p in sorted((ROOT / "examples" / "kon-tum").glob("*.yaml"))
        for c in load_communes(p, CATALOG)
    ]
    keys = sorted({k for c in communes for k in (*c.measures, *c.recognition)})
    head = [
        "name",
        "year",
        "province",
        "district",
        "region",
        "categories",
        "recognized_set",
        "recognized_year",
        "recognized_tier",
        *keys,
    ]
    rows = []
    for c in communes:
        values = {**c.measures, **c.recognition}
        rec = c.recognized
        rows.append(
            [
                c.name,
                c.year,
                c.province,
                c.district,
                c.region,
                ";".join(c.categories),
                rec.set if rec else "",
                rec.year if rec else "",
                rec.tier if rec else "",
                *(values.get(k) for k in keys),
            ]
        )
    return head, rows


def _cell(value: Any) -> str:
    """As a planner's spreadsheet would show it: có/không, decimal comma."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, float):
        return str(value).replace(".", ",")
    return str(value)


def example_csv() -> bytes:
    head, rows = _example_rows()
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(head)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return out.getvalue().encode("utf-8")


def example_xlsx() -> bytes:
    import openpyxl

    head, rows = _example_rows()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "communes"
    sheet.append(head)
    for row in rows:
        sheet.append(row)
    sheet["J3"] = "=1+1"  # a formula without a cached value, as written by a program
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- mutations -----------------------------------------------------------------------------

TOKENS = [
    b"&a ",
    b"*a",
    b"!!python/object/apply:os.system ['true'] ",
    b"!!int ",
    b"!x ",
    b"[",
    b"]",
    b"{",
    b"}",
    b'"',
    b"'",
    b"\t",
    b"\n",
    b": ",
    b"- ",
    b"<<: ",
    b"~",
    b".nan",
    b"1e999",
    b"-5",
    b"120",
    b"85%",
    b"1.234,5",
    b"\xff",
    b"\x00",
    b"\xef\xbb\xbf",
    b",",
    b";",
    b"#",
    b"---\n",
    b"?",
    b"|",
    b"\\",
    b"\r",
    b"%",
    b"\xc3",
    b"\xe2\x80\xa8",
]

Op = tuple[str, int, int]
OPS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "flip",
                "insert",
                "delete",
                "truncate",
                "drop-line",
                "dup-line",
                "swap-lines",
                "indent",
                "dedent",
                "join-lines",
            ]
        ),
        st.integers(0, 2**20),
        st.integers(0, 2**20),
    ),
    min_size=1,
    max_size=6,
)


def mutate(data: bytes, ops: list[Op]) -> bytes:
    buf = bytearray(data)
    for name, a, b in ops:
        if not buf:
            buf += b"x"
        at = a % len(buf)
        if name == "flip":
            buf[at] = b % 256
        elif name == "insert":
            buf[at:at] = TOKENS[b % len(TOKENS)]
        elif name == "delete":
            del buf[at : at + 1 + b % 40]
        elif name == "truncate":
            del buf[max(1, at) :]
        else:
            lines = bytes(buf).split(b"\n")
            i, j = a % len(lines), b % len(lines)
            if name == "drop-line":
                del lines[i]
            elif name == "dup-line":
                lines.insert(j, lines[i])
            elif name == "swap-lines":
                lines[i], lines[j] = lines[j], lines[i]
            elif name == "indent":
                lines[i] = b" " * (1 + b % 4) + lines[i]
            elif name == "dedent":
                lines[i] = lines[i].lstrip(b" ")
            elif i + 1 < len(lines):  # join-lines
                lines[i : i + 2] = [lines[i] + lines[i + 1]]
            buf = bytearray(b"\n".join(lines))
    return bytes(buf)


# --- the check -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def _undocumented(
    calls: list[tuple[str, Callable[[], Any]]], data: bytes, seed: str, ops: list[Op], work: Path
) -> None:
    """Run each loader; on an exception that is not an NtmRulesError, keep the input and fail."""
    for label, call in calls:
        try:
            result = call()
        except NtmRulesError as exc:
            if isinstance(exc, InvalidFileError):
                assert exc.issues, f"{label}: InvalidFileError without issues"
            continue
        except Exception:
            kept = work / f"crash-{len(list(work.glob('crash-*')))}-{Path(seed).name}"
            kept.write_bytes(data)
            pytest.fail(
                f"{label} on {seed} damaged by {ops} raised an undocumented exception; "
                f"the input is kept in {kept}\n{traceback.format_exc()}"
            )
        issues = getattr(result, "issues", ())
        for issue in issues:
            assert issue.code, f"{label}: an issue without a code"


def _seed_bytes(path: Path) -> bytes:
    return path.read_bytes()


@fuzz_settings("criteria")
@given(seed=st.sampled_from(CRITERIA_SEEDS), ops=OPS)
def test_fuzz_criteria_files(seed: Path, ops: list[Op], work: Path) -> None:
    if BUDGETS["criteria"].spent():
        return
    data = mutate(_seed_bytes(seed), ops)
    path = work / seed.name
    path.write_bytes(data)
    calls: list[tuple[str, Callable[[], Any]]] = [
        ("validate_files", lambda: validate_files([path], CATALOG)),
        ("Catalog.parse_document", lambda: _parse_document(path)),
    ]
    if seed.name in ("measures.yaml", "regions.yaml"):
        # a damaged dictionary under `--criteria DIR`: the whole catalog must still fail cleanly
        calls.append(("Catalog(dir).all_sets", lambda: _catalog_with(path, work).all_sets()))
    _undocumented(calls, data, str(seed), ops, work)


def _parse_document(path: Path) -> Any:
    doc = read_yaml(path)
    if doc.fatal:
        raise InvalidFileError(doc.issues)
    return CATALOG.parse_document(doc, {})


def _catalog_with(path: Path, work: Path) -> Catalog:
    folder = work / "criteria-copy"
    if not folder.exists():
        shutil.copytree(CATALOG.root, folder)
    shutil.copyfile(path, folder / path.name)
    return Catalog(folder)


@pytest.fixture(scope="module", autouse=True)
def _restore_criteria_copy(work: Path) -> Any:
    yield
    shutil.rmtree(work / "criteria-copy", ignore_errors=True)


@fuzz_settings("communes")
@given(seed=st.sampled_from(COMMUNE_SEEDS), ops=OPS)
def test_fuzz_commune_files(seed: Path, ops: list[Op], work: Path) -> None:
    if BUDGETS["communes"].spent():
        return
    data = mutate(_seed_bytes(seed), ops)
    path = work / seed.name
    path.write_bytes(data)
    _undocumented(
        [
            ("load_communes", lambda: load_communes(path, CATALOG)),
            ("validate_files", lambda: validate_files([path], CATALOG)),
        ],
        data,
        str(seed),
        ops,
        work,
    )


CSV_SEED = example_csv()


@fuzz_settings("csv")
@given(ops=OPS, semicolon=st.booleans())
def test_fuzz_csv_table(ops: list[Op], semicolon: bool, work: Path) -> None:
    if BUDGETS["csv"].spent():
        return
    seed = CSV_SEED.replace(b",", b";") if semicolon else CSV_SEED
    data = mutate(seed, ops)
    path = work / "communes.csv"
    path.write_bytes(data)
    _undocumented(
        [("read_table", lambda: read_table(path, VOCAB))],
        data,
        "examples/kon-tum as CSV",
        ops,
        work,
    )


XLSX_SEED = example_xlsx()


@fuzz_settings("xlsx")
@given(
    ops=st.lists(
        st.tuples(
            st.sampled_from(["flip", "insert", "delete"]),
            st.integers(0, 2**20),
            st.integers(0, 2**20),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_fuzz_xlsx_table(ops: list[Op], work: Path) -> None:
    if BUDGETS["xlsx"].spent():
        return
    data = mutate(XLSX_SEED, ops)
    path = work / "communes.xlsx"
    path.write_bytes(data)
    _undocumented(
        [("read_table", lambda: read_table(path, VOCAB))],
        data,
        "examples/kon-tum as XLSX",
        ops,
        work,
    )


def test_seeds_are_readable() -> None:
    """The undamaged seeds load cleanly, so every failure above is caused by the damage."""
    report = validate_files([*CRITERIA_SEEDS, *COMMUNE_SEEDS], CATALOG)
    assert report.ok, [str(i) for f in report.files for i in f.issues][:5]
    assert mutate(b"a\nb\nc", [("swap-lines", 0, 2)]) == b"c\nb\na"
    assert mutate(b"abc", [("truncate", 1, 0)]) == b"a"


def test_table_seeds_read_every_row(tmp_path: Path) -> None:
    csv_path, xlsx_path = tmp_path / "seed.csv", tmp_path / "seed.xlsx"
    csv_path.write_bytes(CSV_SEED)
    xlsx_path.write_bytes(XLSX_SEED)
    csv_table = read_table(csv_path, VOCAB)
    assert csv_table.rows == len(csv_table.communes) >= 9, [str(i) for i in csv_table.issues]
    xlsx_table = read_table(xlsx_path, VOCAB)
    assert [i.code for i in xlsx_table.issues] == ["formula-without-value"]


def test_budgets_were_used() -> None:
    """Runs last in this module: each fuzz test did a meaningful amount of work."""
    for kind, budget in BUDGETS.items():
        if budget.start is None:
            pytest.skip("the fuzz tests were deselected")
        assert budget.done >= 50, f"{kind}: only {budget.done} examples ran"
