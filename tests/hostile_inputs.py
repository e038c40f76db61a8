"""Shared by the hostile-input tests (issue #6): paths, the published JSON Schemas, located
expectations, the bounded hypothesis profile, the real `ntm-check` process, and generators of
YAML-ish and CSV-ish junk.

Used by tests/test_yaml_safety.py, tests/test_table_corpus.py, tests/test_schemas.py,
tests/test_safe_write.py and tests/test_cli_hostile.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import unicodedata
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from ntm_rules import Issue
from ntm_rules.load.catalog import default_catalog

# Keep hypothesis' failure reporting from tripping the project's "error" warning filter.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    with contextlib.suppress(ImportError):
        import hypothesis.extra._patching  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
INVALID = DATA / "invalid"
SCHEMAS = ROOT / "src" / "ntm_rules" / "schemas"
SCHEMA_FILES = ("commune-report.schema.json", "batch.schema.json", "set-diff.schema.json")

CATALOG = default_catalog()
MEASURES = CATALOG.measures
REGIONS = CATALOG.regions
OLD, NEW = CATALOG.load("ntm-2016-2020"), CATALOG.load("ntm-2021-2025")

PCT, BOOL, COUNT, INCOME = (
    "commune_roads_paved_pct",
    "construction_plan_approved",
    "temporary_houses",
    "income_per_capita",
)

BOUNDED = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=60,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)


def show(issues: Any) -> str:
    return "\n".join(f"  {i}" for i in issues) or "  (no issues)"


def codes(issues: Any) -> list[str]:
    return [i.code for i in issues]


def ntm_check(
    *args: str, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """The real `ntm-check` process (a crash or a traceback cannot hide in CliRunner)."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(PYTHONIOENCODING="utf-8", NO_COLOR="1")
    return subprocess.run(
        [sys.executable, "-m", "ntm_rules", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        env=env,
        cwd=cwd,
    )


# --- the published JSON Schemas ----------------------------------------------------------------


@cache
def schema(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return data


@cache
def validator(name: str, definition: str = "") -> Any:
    """A draft 2020-12 validator of schema `name`, or of its ``$defs/<definition>``."""
    import jsonschema
    from referencing import Registry, Resource

    data = schema(name)
    jsonschema.Draft202012Validator.check_schema(data)
    if not definition:
        return jsonschema.Draft202012Validator(data)
    registry: Any = Resource.from_contents(data) @ Registry()
    ref = {"$ref": f"{data['$id']}#/$defs/{definition}"}
    return jsonschema.Draft202012Validator(ref, registry=registry)


def schema_errors(name: str, data: Any, definition: str = "") -> list[str]:
    errors = sorted(
        validator(name, definition).iter_errors(data), key=lambda e: list(e.absolute_path)
    )
    return [
        f"at {'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message[:300]}" for e in errors
    ]


def assert_valid(name: str, data: Any, definition: str = "") -> None:
    errors = schema_errors(name, data, definition)
    assert not errors, f"{name} {definition}:\n" + "\n".join(f"  {e}" for e in errors[:10])


def as_json(data: Any) -> Any:
    """`data` as it comes back from JSON (tuples are lists; NaN is refused)."""
    return json.loads(json.dumps(data, ensure_ascii=False, allow_nan=False))


# --- located expectations ----------------------------------------------------------------------

_EXPECT = re.compile(
    r"^(?P<codes>[a-z0-9-]+(?:\|[a-z0-9-]+)*)\s+(?P<line>\d+)(?::(?P<col>\d+))?"
    r"(?:\s+hint:\s*(?P<hint>.+?))?\s*$"
)


@dataclass(frozen=True)
class Expect:
    """``code LINE[:COL] [hint: text]`` (``a|b`` accepts either code), as in the
    ``# expect:`` lines of tests/data/invalid."""

    codes: tuple[str, ...]
    line: int
    column: int | None = None
    hint: str = ""

    @classmethod
    def parse(cls, text: str) -> Expect:
        found = _EXPECT.match(text.strip())
        assert found, f"malformed expectation {text!r}"
        col = found["col"]
        return cls(
            tuple(found["codes"].split("|")),
            int(found["line"]),
            int(col) if col else None,
            found["hint"] or "",
        )

    def matches(self, issue: Issue) -> bool:
        return (
            issue.code in self.codes
            and issue.location.line == self.line
            and (self.column is None or issue.location.column == self.column)
            and self.hint in issue.hint
        )

    def __str__(self) -> str:
        at = f"{self.line}" + (f":{self.column}" if self.column is not None else "")
        return f"{'|'.join(self.codes)} at {at}" + (f" (hint ~ {self.hint!r})" if self.hint else "")


class FileExpect:
    """A whole-file issue without a line (``empty-table``, ``bad-xlsx``): ``code [hint: text]``."""

    def __init__(self, text: str) -> None:
        code, _, hint = text.partition(" hint: ")
        self.codes = tuple(code.strip().split("|"))
        self.hint = hint.strip()

    def matches(self, issue: Issue) -> bool:
        return issue.code in self.codes and self.hint in issue.hint

    def __str__(self) -> str:
        return "|".join(self.codes) + (f" (hint ~ {self.hint!r})" if self.hint else "")


def expect(text: str) -> Expect | FileExpect:
    head = text.split(" hint:")[0].split()
    return Expect.parse(text) if len(head) > 1 else FileExpect(text)


def assert_reported(name: str, wanted: tuple[str, ...], issues: Any) -> None:
    missing = [str(e) for e in map(expect, wanted) if not any(e.matches(i) for i in issues)]
    assert not missing, (
        f"{name}: not reported:\n"
        + "\n".join(f"  {m}" for m in missing)
        + f"\nreported:\n{show(issues)}"
    )


# --- YAML-ish junk -----------------------------------------------------------------------------

KEYS = [
    "kind",
    "name",
    "year",
    "region",
    "province",
    "district",
    "measures",
    "communes",
    "categories",
    "recognized",
    "recognition",
    "criteria",
    "id",
    "title",
    "indicators",
    "threshold",
    "all_regions",
    "by_region",
    "by_year",
    "value",
    "verified",
    "source",
    "sources",
    "citation",
    "period",
    "from",
    "to",
    "extends",
    "replace",
    "add",
    "remove",
    "label",
    "type",
    "regions",
    "provinces",
    "derive",
    "applies_if",
    "checks",
    "operator",
    "measure",
    "tier",
    "set",
    "conditions",
    "revocation",
    "region_rules",
    "TN",
    "2022",
    PCT,
    BOOL,
    COUNT,
    INCOME,
    "vi",
    "en",
    "text",
    "aliases",
    "? x",
]
VALUES = [
    "commune",
    "criteria-set",
    "overlay",
    "measures",
    "regions",
    "communes",
    "ntm-2021-2025",
    "ntm-2016-2020",
    "2023",
    "85",
    "85%",
    "85,5",
    "1.234,5",
    "-5",
    "1e999",
    ".nan",
    "-.inf",
    "~",
    "null",
    "yes",
    "no",
    "có",
    "không",
    "đạt",
    "x",
    "true",
    "''",
    '""',
    "[]",
    "{}",
    "[1, 2",
    "{a: 1",
    "&a x",
    "*a",
    "&b [1]",
    "*b",
    "!!python/object/apply:os.system ['true']",
    "!!int ''",
    "!!bool maybe",
    "!!float x",
    "!foo bar",
    "!!binary x",
    "!!set {a}",
    "!!omap [a: 1]",
    "2022-03-08",
    "2022-02-30",
    "0x1F",
    "0o17",
    "1_000",
    "|",
    ">-",
    "Xã Pờ Ê",
    "'unterminated",
    "<<: *a",
    "TN",
    "Tây Nguyên",
    "Kon Tum",
    "official",
    "is true",
    '">="',
    "[TN, DBSH]",
    "{value: 80, verified: true, source: src}",
    "{vi: a, en: b}",
    "\t",
    ": :",
    "- -",
    "\ufeff",
    "\x00",
    "\x85",
    "\u2028",
]


@st.composite
def yaml_ish(draw: st.DrawFn) -> str:
    """Text that looks like the project's YAML: keys, values, indents, anchors, tags, junk."""
    lines = []
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.integers(0, 9))
        indent = " " * draw(st.sampled_from([0, 0, 2, 4, 6, 8, 1, 3]))
        if kind <= 5:
            key = draw(st.sampled_from(KEYS))
            dash = draw(st.sampled_from(["", "", "- "]))
            value = draw(st.sampled_from([*VALUES, ""]))
            lines.append(f"{indent}{dash}{key}: {value}".rstrip())
        elif kind == 6:
            lines.append(f"{indent}- {draw(st.sampled_from(VALUES))}")
        elif kind == 7:
            lines.append(
                draw(
                    st.sampled_from(
                        [
                            "---",
                            "...",
                            "# comment",
                            "",
                            "%YAML 1.1",
                            "%TAG ! tag:x,2000:",
                            "? [a, b]",
                            ": 1",
                        ]
                    )
                )
            )
        else:
            lines.append(indent + draw(st.text(max_size=20)))
    return "\n".join(lines)


def encodings(text: str) -> st.SearchStrategy[bytes]:
    """`text` as UTF-8, with a BOM, as UTF-16, with lone surrogates, in a legacy code page."""
    return st.sampled_from(
        [
            text.encode("utf-8"),
            b"\xef\xbb\xbf" + text.encode("utf-8"),
            text.encode("utf-16"),
            text.encode("utf-8", "surrogatepass"),
            unicodedata.normalize("NFD", text).encode("cp1258", "replace"),
        ]
    )


# --- CSV-ish junk ------------------------------------------------------------------------------

HEADERS = [
    "name",
    "year",
    "region",
    "province",
    "district",
    "code",
    "categories",
    "note",
    "recognized_set",
    "recognized_year",
    "recognized_tier",
    "data_status",
    "Tên xã",
    "Năm",
    "Tỉnh",
    "Vùng",
    PCT,
    BOOL,
    COUNT,
    INCOME,
    "satisfaction_pct",
    "registered_in_plan",
    MEASURES[PCT].label.vi,
    MEASURES[INCOME].label.en,
    "",
    "unknown",
    "Name ",
    "NAME",
]
CELLS = [
    "",
    " ",
    "Xã A",
    "2023",
    "2023.0",
    "23",
    "2023-01-01",
    "TN",
    "Tây Nguyên",
    "Kon Tum",
    "dbkk",
    "dbkk;atk",
    "85",
    "85%",
    "85,5",
    "1.234,5",
    "n/a",
    "-",
    "NaN",
    "inf",
    "-5",
    "120",
    "có",
    "không",
    "đạt",
    "x",
    "1",
    "0",
    "ntm-2016-2020",
    "advanced",
    "nâng cao",
    "gold",
    '"',
    "a\nb",
    "=1+1",
    "#DIV/0!",
    "\ufeff",
    "0.5",
    "1e3",
    "１２",
    "\x85",
]


@st.composite
def csv_text(draw: st.DrawFn) -> str:
    delimiter = draw(st.sampled_from([",", ";", ",", "\t"]))
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=0, max_size=8))
    if draw(st.booleans()):
        header = ["name", "year", "region", *header]
    body = draw(st.lists(st.lists(st.sampled_from(CELLS), max_size=len(header) + 2), max_size=8))
    rows = [header, *body]

    def cell(text: str) -> str:
        if any(ch in text for ch in (delimiter, '"', "\n", "\r")) and draw(st.booleans()):
            return '"' + text.replace('"', '""') + '"'
        return text

    newline = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    return newline.join(delimiter.join(cell(c) for c in row) for row in rows) + newline
