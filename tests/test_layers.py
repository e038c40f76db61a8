"""The architecture holds: allowed import directions between the packages, by an AST scan.

``cli -> api -> {province, sets, score, load} -> model -> {words, errors, operators}``, and
``report -> {model, words, province, sets}``. In particular: `score/` never imports `load/`
(scoring never reads a file), `model/` imports neither, `report/` never imports `load/`,
`api` or the package facade. Imports inside functions count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "ntm_rules"

# the model and what it stands on: what every layer above it may import
_CORE = {"model", "errors", "words", "words_table", "operators"}
# what each part of the package may import (besides the standard library and third parties)
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "words": {
        "words_table",
        "words_merge",
        "words_plan",
        "words_export",
        "words_html",
        "words_years",
        "words_province",
        "words_outputs",
    },
    "words_table": set(),
    "words_merge": set(),
    "words_plan": set(),
    "words_export": set(),
    "words_html": set(),
    "words_years": set(),
    "words_province": set(),
    "words_outputs": set(),
    "operators": set(),
    "_version": set(),
    "model": set(_CORE),
    "load": {"load", *_CORE, "_version"},
    "score": {"score", *_CORE},
    "province": {"score", *_CORE, "issue_text", "province_rows"},
    "province_rows": {"score", "model", "province"},
    "sets": {"score", *_CORE},
    "report": {"report", *_CORE, "province", "sets", "score", "_version", "issue_text"},
    "api": {"load", "score", *_CORE, "province", "sets"},
    "cli": {"api", "report", "errors", "load", "_version", "words", "issue_text"},
    "issue_text": {"errors"},
    "__init__": {
        "api",
        "load",
        "model",
        "errors",
        "province",
        "sets",
        "_version",
    },
    "__main__": {"cli"},
}
# report/ may read scoring helpers that only format (never a decision): reasons.threshold_text
REPORT_FROM_SCORE = {"reasons"}


def _part(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imports(path: Path) -> list[tuple[str, int]]:
    """(top-level project part, line) of every project import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = list(path.relative_to(SRC).parent.parts)
    out: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                target = [*base, *(node.module.split(".") if node.module else [])]
                if not target:  # from . import x (at the top): the names are modules
                    out += [(alias.name, node.lineno) for alias in node.names]
                    continue
                out.append((target[0], node.lineno))
                if target[0] == "score" and len(target) > 1:
                    out.append((f"score.{target[1]}", node.lineno))
            elif node.module and node.module.split(".")[0] == "ntm_rules":
                parts = node.module.split(".")
                out.append((parts[1] if len(parts) > 1 else "__init__", node.lineno))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "ntm_rules":
                    out.append((parts[1] if len(parts) > 1 else "__init__", node.lineno))
    return out


FILES = sorted(p for p in SRC.rglob("*.py"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_go_the_allowed_way(path: Path) -> None:
    part = _part(path)
    assert part in ALLOWED, f"{part} is not in the layer map of tests/test_layers.py"
    bad = []
    for target, line in _imports(path):
        if target.startswith("score.") and part == "report":
            if target.split(".")[1] not in REPORT_FROM_SCORE:
                bad.append(f"line {line}: report imports {target}")
            continue
        if target.startswith("score."):
            continue
        if target != part and target not in ALLOWED[part]:
            bad.append(f"line {line}: {part} imports {target}")
    assert not bad, f"{path.relative_to(SRC)}: " + "; ".join(bad)


def test_the_scan_sees_relative_and_absolute_imports(tmp_path: Path) -> None:
    assert ("load", 3) in _imports(SRC / "api.py") or any(
        t == "load" for t, _ in _imports(SRC / "api.py")
    )
    assert any(t == "model" for t, _ in _imports(SRC / "score" / "kernel.py"))
    assert not any(t == "load" for t, _ in _imports(SRC / "score" / "kernel.py"))


def test_no_module_is_over_the_size_limit() -> None:
    """Small files: no module over ~450 lines (the word table is data, not code)."""
    big = {
        str(p.relative_to(SRC)): n
        for p in FILES
        if p.name != "words_table.py"
        and (n := len(p.read_text(encoding="utf-8").splitlines())) > 450
    }
    assert not big, big


def test_no_function_is_over_sixty_lines() -> None:
    long = []
    for path in FILES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 60:
                    long.append(f"{path.relative_to(SRC)}:{node.lineno} {node.name} ({length})")
    assert not long, long
