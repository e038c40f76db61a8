"""Hostile YAML (issue #6): bombs, tags, aliases, deep nesting, node counts, huge files, odd
encodings. Every loader must refuse them quickly, with a located issue, and nothing but an
:class:`~ntm_rules.errors.NtmRulesError` may escape.

Resource-hungry cases run in a subprocess (:func:`_probe`), so a crash or a memory blow-up fails
one test instead of taking pytest down. The properties (hypothesis, bounded and derandomized)
feed arbitrary text and bytes, YAML-ish line soup, random well-formed YAML trees and
structurally damaged shipped files through every YAML loader.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ntm_rules import Catalog, InvalidFileError, NtmRulesError, load_communes
from ntm_rules.load.source import MAX_BYTES, MAX_DEPTH, MAX_NODES, parse_yaml, read_yaml
from ntm_rules.load.validate import validate_files

from .hostile_inputs import (
    BOUNDED,
    CATALOG,
    INVALID,
    KEYS,
    ROOT,
    VALUES,
    Expect,
    codes,
    encodings,
    ntm_check,
    yaml_ish,
)


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the English messages (the default language is Vietnamese)."""
    monkeypatch.setenv("NTM_RULES_LANG", "en")


# =================================================================================================
# Bombs
# =================================================================================================


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = [
        "kind: commune",
        "name: lol",
        "year: 2023",
        "region: TN",
        "measures: {}",
        "a0: &a0 {" + ", ".join(f'k{i}: "lol"' for i in range(width)) + "}",
    ]
    for level in range(1, levels):
        lines.append(
            f"a{level}: &a{level} {{"
            + ", ".join(f"k{i}: *a{level - 1}" for i in range(width))
            + "}"
        )
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_fast(tmp_path: Path) -> None:
    text = billion_laughs()  # 9**9 = 387 million "lol" once expanded
    start = time.perf_counter()
    doc = parse_yaml(text, "laughs.yaml")
    assert "yaml-alias" in codes(doc.issues)
    path = tmp_path / "laughs.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidFileError) as caught:
        load_communes(path, CATALOG)
    assert any(i.code == "yaml-alias" and i.location.line == 7 for i in caught.value.issues)
    report = validate_files([path], CATALOG)
    assert "yaml-alias" in codes(report.files[0].issues)
    assert time.perf_counter() - start < 1.0


def test_billion_laughs_fixture_is_the_real_thing() -> None:
    text = (INVALID / "commune-billion-laughs.yaml").read_text(encoding="utf-8")
    assert text.count("*") >= 60 and text.count("&") >= 8


def test_moderately_deep_nesting_is_too_deep() -> None:
    for text in (
        "note: " + "[" * 200 + "]" * 200,
        "".join(" " * i + "k:\n" for i in range(300)),
        "note: " + "{a: " * 200 + "1" + "}" * 200,
    ):
        start = time.perf_counter()
        doc = parse_yaml(text, "deep.yaml")
        assert "too-deep" in codes(doc.issues)
        assert all(i.location.line >= 1 for i in doc.issues)
        assert time.perf_counter() - start < 1.0


def test_deep_nesting_limit_is_what_the_docs_say() -> None:
    ok = "note: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)
    assert "too-deep" not in codes(parse_yaml(ok, "x").issues)
    deep = "note: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    assert "too-deep" in codes(parse_yaml(deep, "x").issues)


def test_yaml_tags_are_refused_and_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    texts = [
        f"kind: commune\nname: X\nyear: 2023\nregion: TN\nmeasures:\n  commune_roads_paved_pct: "
        f'!!python/object/apply:os.system ["touch {marker}"]\n',
        f'kind: commune\nname: !!python/object/apply:os.system ["touch {marker}"]\nyear: 2023\n'
        f"region: TN\nmeasures: {{}}\n",
        f'kind: criteria-set\nid: x\ndecision: !!python/object/new:os.system ["touch {marker}"]\n',
        f'!!python/object/apply:os.system ["touch {marker}"]\n',
    ]
    for i, text in enumerate(texts):
        path = tmp_path / f"tag{i}.yaml"
        path.write_text(text, encoding="utf-8")
        assert "yaml-tag" in codes(read_yaml(path).issues), text
        with pytest.raises(InvalidFileError):
            load_communes(path, CATALOG)
        assert not validate_files([path], CATALOG).ok
    run = ntm_check("validate", *(str(p) for p in sorted(tmp_path.glob("tag*.yaml"))))
    assert run.returncode == 2 and "yaml-tag" in run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert not marker.exists(), "a YAML tag was executed"


# --- in a subprocess: time and peak memory ----------------------------------------------------

_PROBE = r"""
import json, resource, sys, time
from pathlib import Path
from ntm_rules import Catalog, NtmRulesError, load_communes
from ntm_rules.load.table import read_table
from ntm_rules.load.validate import validate_files
catalog = Catalog(); catalog.vocab
def rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out = []
for how, name in zip(sys.argv[1::2], sys.argv[2::2]):
    path = Path(name)
    base, start = rss(), time.perf_counter()
    issues = []
    try:
        if how == "commune":
            load_communes(path, catalog)
        elif how == "validate":
            issues = [i for f in validate_files([path], catalog).files for i in f.issues]
        else:
            issues = list(read_table(path, catalog.vocab).issues)
    except NtmRulesError as exc:
        issues = list(getattr(exc, "issues", []))
        if not issues:
            issues = [type(exc).__name__]
    codes = [getattr(i, "code", i) for i in issues]
    lines = [i.location.line for i in issues if hasattr(i, "location")]
    out.append({"file": path.name, "how": how, "codes": codes, "lines": lines,
                "seconds": time.perf_counter() - start, "rss_mb": rss() - base})
print(json.dumps(out))
"""


def _probe(*pairs: tuple[str, Path], timeout: float = 120) -> list[dict[str, Any]]:
    """Run the loaders on `pairs` ((how, path)...) in a fresh interpreter; time and peak RSS."""
    args = [a for how, path in pairs for a in (how, str(path))]
    run = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, timeout=timeout
    )
    assert run.returncode == 0, f"the loader process died with {run.returncode}:\n{run.stderr}"
    results: list[dict[str, Any]] = json.loads(run.stdout)
    return results


def _sparse(path: Path, head: bytes, size: int) -> Path:
    with open(path, "wb") as fh:
        fh.write(head)
        fh.truncate(size)
    return path


def test_50_mb_files_are_refused_without_reading_them(tmp_path: Path) -> None:
    size = 50 * 1024 * 1024
    assert size > MAX_BYTES
    commune = _sparse(tmp_path / "big.yaml", b"kind: commune\nname: X\n", size)
    table = _sparse(tmp_path / "big.csv", b"name,year,region\n", size)
    book = _sparse(tmp_path / "big.xlsx", b"PK\x03\x04", size)
    results = _probe(("commune", commune), ("validate", commune), ("table", table), ("table", book))
    assert len(results) == 4
    for result in results:
        assert result["codes"] == ["file-too-large"], result
        assert result["seconds"] < 2.0, result
        assert result["rss_mb"] < 25, f"the file was read into memory: {result}"


def test_too_many_yaml_nodes_are_refused_cheaply(tmp_path: Path) -> None:
    """600,000 list items (2.4 MB, far under the 20 MB limit) must be refused as too-large
    without building every node first (the cost grows with the file: ~24 s and 1.7 GB at 20 MB).
    """
    path = tmp_path / "many.yaml"
    path.write_text("- 1\n" * (MAX_NODES + 100_000), encoding="utf-8")
    [result] = _probe(("validate", path))
    assert "too-large" in result["codes"], result
    assert result["seconds"] < 2.0, result
    assert result["rss_mb"] < 150, result


DEEP_FIXTURE = INVALID / "set-deep-flow-nesting.yml"


def test_very_deep_flow_nesting_does_not_crash_the_process() -> None:
    """30,000 nested ``[`` (60 kB) made PyYAML's C composer overflow the C stack (SIGSEGV).

    The fixture is named ``.yml`` so that tests/test_invalid_files.py, which loads every
    ``*.yaml`` in-process, is not killed by it; it is read here in a subprocess.
    """
    text = DEEP_FIXTURE.read_text(encoding="utf-8")
    assert text.count("[") >= 30_000
    [expected] = [
        Expect.parse(line.split(":", 1)[1])
        for line in text.splitlines()
        if line.startswith("# expect:")
    ]
    start = time.perf_counter()
    [result] = _probe(("validate", DEEP_FIXTURE))
    # A safe, located refusal is what matters, not which layer refuses first: the project's
    # pre-scan says too-deep, and PyYAML >= 6.0.2 (libyaml) may stop the nesting itself first.
    assert (expected.codes, expected.line) == (("too-deep",), 4)
    assert set(result["codes"]) & {"too-deep", "yaml-syntax"}, result
    assert result["lines"] and all(line == expected.line for line in result["lines"]), result
    assert time.perf_counter() - start < 5.0


# =================================================================================================
# Properties: nothing but NtmRulesError escapes a YAML loader
# =================================================================================================

SCALARS = [v for v in VALUES if "\n" not in v and v not in ("|", ">-", "- -", ": :")]


def _render(node: Any, indent: int) -> list[str]:
    """Block-style YAML for a tree of dicts, lists and raw scalar tokens."""
    pad = " " * indent
    lines: list[str] = []
    items = node.items() if isinstance(node, dict) else (("-", v) for v in node)
    for key, value in items:
        head = f"{pad}- " if key == "-" else f"{pad}{key}:"
        if isinstance(value, (dict, list)) and value:
            lines.append(head.rstrip())
            lines.extend(_render(value, indent + 2))
        else:
            token = value if isinstance(value, str) else ("{}" if isinstance(value, dict) else "[]")
            lines.append(f"{head} {token}".rstrip() if key != "-" else f"{head}{token}")
    return lines


TREES = st.recursive(
    st.sampled_from(SCALARS),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.sampled_from(KEYS), children, max_size=5)
    ),
    max_leaves=25,
)


@st.composite
def yaml_tree(draw: st.DrawFn) -> str:
    """Well-formed block YAML built from the project's keys, odd values at any depth."""
    top = draw(st.dictionaries(st.sampled_from(KEYS), TREES, max_size=6))
    kind = draw(
        st.sampled_from(
            ["commune", "criteria-set", "overlay", "measures", "regions", "communes", None]
        )
    )
    doc = {"kind": kind, **top} if kind else top
    return "\n".join(_render(doc, 0)) + "\n"


def _only_documented(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except NtmRulesError:
        return None


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("yaml")


def _check_document_issues(doc: Any) -> None:
    for issue in doc.issues:
        assert issue.location.line >= 1 and issue.location.column >= 1, str(issue)
        assert issue.code and issue.code == issue.code.lower(), str(issue)


@BOUNDED
@given(text=st.one_of(yaml_ish(), yaml_tree(), st.text(max_size=300)))
def test_parse_yaml_never_raises(text: str) -> None:
    doc = parse_yaml(text, "fuzz.yaml")
    _check_document_issues(doc)
    if doc.fatal:
        assert doc.issues


@BOUNDED
@given(
    data=st.one_of(
        st.binary(max_size=400), yaml_ish().flatmap(encodings), yaml_tree().map(str.encode)
    )
)
def test_yaml_loaders_raise_only_documented_errors(data: bytes, scratch: Path) -> None:
    path = scratch / "fuzz.yaml"
    path.write_bytes(data)
    doc = read_yaml(path)
    _check_document_issues(doc)
    _only_documented(lambda: load_communes(path, CATALOG))
    report = validate_files([path], CATALOG)
    assert len(report.files) == 1
    if not doc.fatal:
        _only_documented(lambda: CATALOG.parse_document(doc, {}))


SET_HEAD = (
    "kind: criteria-set\nid: fuzz-set\ntitle: {vi: a, en: b}\ndecision: '1/QĐ-TTg'\n"
    "issued: '2022-03-08'\nperiod: {from: 2021, to: 2025}\ntier: standard\n"
    "sources:\n  src: {citation: c, kind: official}\n"
)
OVERLAY_HEAD = (
    "kind: overlay\nid: fuzz-overlay\nextends: ntm-2021-2025\ntitle: {vi: a, en: b}\n"
    "province: Kon Tum\ndecision: '1/QĐ-UBND'\nissued: '2022-07-28'\npartial: true\n"
    "sources:\n  src: {citation: c, kind: provincial}\n"
)


@BOUNDED
@given(
    head=st.sampled_from(
        [
            SET_HEAD,
            OVERLAY_HEAD,
            "kind: measures\n",
            "kind: regions\n",
            "kind: commune\nname: X\nyear: 2023\nregion: TN\n",
        ]
    ),
    body=st.one_of(yaml_ish(), yaml_tree().map(lambda t: t.split("\n", 1)[1])),
)
def test_criteria_loader_raises_only_documented_errors(head: str, body: str, scratch: Path) -> None:
    path = scratch / "fuzz-set.yaml"
    path.write_text(head + body, encoding="utf-8")
    report = validate_files([path], CATALOG)
    for issue in report.files[0].issues:
        assert issue.location.line >= 1, str(issue)
    doc = read_yaml(path)
    if not doc.fatal:
        _only_documented(lambda: Catalog(CATALOG.root).parse_document(doc, {}))


SHIPPED = {
    path.name: yaml.safe_load(path.read_text(encoding="utf-8"))
    for path in [
        *sorted(CATALOG.root.glob("*.yaml")),
        *sorted(CATALOG.root.glob("*/*.yaml")),
        ROOT / "examples" / "loses-certification.yaml",
        ROOT / "examples" / "kon-tum" / "po-e.yaml",
    ]
}
ODD = [
    None,
    "",
    "x",
    0,
    -1,
    1.5,
    True,
    [],
    {},
    ["x"],
    {"x": 1},
    "ntm-2021-2025",
    "TN",
    "2022-02-30",
    float("nan"),
]


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, (*prefix, i))
    return out


@st.composite
def mutated_shipped(draw: st.DrawFn) -> tuple[str, str]:
    """A shipped criteria/measures/regions/commune file, parsed, changed structurally 1-3 times
    (a key dropped or renamed, a value replaced by an odd one, a list item dropped), dumped."""
    name = draw(st.sampled_from(sorted(SHIPPED)))
    rnd = draw(st.randoms(use_true_random=False))  # uniform over the (many) places to damage
    data = json.loads(json.dumps(SHIPPED[name], default=str))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        keyed = [p for p in paths if isinstance(p[-1], str)]
        action = draw(st.sampled_from(["drop", "drop", "odd", "rename"]))
        path = rnd.choice(keyed if action != "odd" and keyed else paths)
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        if action == "drop":
            del parent[last]
        elif action == "odd":
            parent[last] = draw(st.sampled_from(ODD))
        else:
            parent[draw(st.sampled_from(KEYS))] = parent.pop(last)
    return name, yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_shipped_files_are_all_damaged_somewhere() -> None:
    """The damage property covers the criteria sets, the overlay, measures, regions and
    commune files."""
    assert {"measures.yaml", "regions.yaml", "binh-phuoc-2022.yaml", "po-e.yaml"} <= set(SHIPPED)
    assert sum(name.startswith("ntm-") for name in SHIPPED) == 4


@settings(BOUNDED, max_examples=30)
@given(case=mutated_shipped())
def test_structurally_damaged_shipped_files_raise_only_documented_errors(
    case: tuple[str, str], scratch: Path
) -> None:
    name, text = case
    path = scratch / f"damaged-{name}"
    path.write_text(text, encoding="utf-8")
    report = validate_files([path], CATALOG)
    for issue in report.files[0].issues:
        assert issue.location.line >= 1, str(issue)
    _only_documented(lambda: load_communes(path, CATALOG))
    doc = read_yaml(path)
    if not doc.fatal:
        _only_documented(lambda: Catalog(CATALOG.root).parse_document(doc, {}))
