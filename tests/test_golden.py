"""Golden text: what a planner sees in the terminal, at a fixed width (160 columns, no colour),
in Vietnamese and English. A change to a table shows up here as a readable diff.

After an intended change: ``python -m pytest tests/test_golden.py --update-golden`` and review
``git diff tests/golden``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ntm_rules.cli import app

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"

CASES: dict[str, list[str]] = {
    "check": ["check", "examples/loses-certification.yaml"],
    "check-missing": ["check", "examples/missing-data.yaml"],
    "check-tiers": ["check", "examples/kon-tum/po-e.yaml", "--tiers"],
    "compare": ["compare", "examples/loses-certification.yaml"],
    "batch": ["batch", "examples/province/communes.csv"],
    "explain": ["explain", "examples/kon-tum/po-e.yaml", "10"],
    "sets": ["sets"],
    "show": ["show", "ntm-2021-2025"],
    "diff": ["diff", "ntm-2016-2020", "ntm-2021-2025"],
    "validate": [
        "validate",
        "criteria/ntm-2021-2025.yaml",
        "examples/province/communes.csv",
        "tests/data/golden-bad.yaml",
    ],
    "years": ["check", "examples/years/hoa-thuan.yaml"],
}


EXIT = {"validate": 2}  # a file with problems: every problem shown, exit 2


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_terminal_output_matches_golden(
    name: str, lang: str, update_golden: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "160")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    done = CliRunner().invoke(app, [*CASES[name], "--lang", lang])
    assert done.exit_code == EXIT.get(name, 0), done.output
    text = done.stdout
    assert text.strip(), f"{name}: no output"
    path = GOLDEN / f"{name}.{lang}.txt"
    if update_golden:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing; run with --update-golden"
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} ({lang}) differs from {path.name}; if intended, rerun with --update-golden"
    )


def test_every_golden_file_has_a_case() -> None:
    expected = {f"{n}.{lang}.txt" for n in CASES for lang in ("vi", "en")}
    assert {p.name for p in GOLDEN.glob("*.txt")} == expected
