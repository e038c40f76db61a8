"""An overlay from a provincial decision, in minutes: `overlay init` writes the skeleton, the
planner fills a value with its source, `validate` refuses a value without one, the filled overlay
closes unknowns and decides communes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from ntm_rules.cli import app

ROOT = Path(__file__).resolve().parent.parent
PO_E = str(ROOT / "examples" / "kon-tum" / "po-e.yaml")  # TN, 2024, income 44.8
INCOME_2024 = (
    '        2024:\n          by_region:\n            TN: {value: null, verified: false, source: ""'
)


def _run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def _skeleton(tmp_path: Path) -> Path:
    path = tmp_path / "kon-tum.yaml"
    done = _run("overlay", "init", "ntm-2021-2025", "--province", "Kon Tum", "-o", str(path))
    assert done.exit_code == 0, done.output
    return path


def test_skeleton_lists_every_open_cell_of_the_region(tmp_path: Path) -> None:
    text = _skeleton(tmp_path).read_text(encoding="utf-8")
    assert "extends: ntm-2021-2025" in text and 'province: "Kon Tum"' in text
    # every income year of the period, in the province's region only
    for year in range(2021, 2026):
        assert f"        {year}:\n          by_region:\n            TN: {{value: null" in text
    assert "TDMNPB:" not in text
    assert "Mức quốc gia: chưa rõ" in text  # national context, in Vietnamese by default
    # a verified national value is not listed (3.1 irrigation, 80% in every region)
    assert '"3.1"' not in text
    en = _run("overlay", "init", "ntm-2021-2025", "--province", "Kon Tum", "--lang", "en")
    assert "National level: unknown" in en.stdout


def test_untouched_skeleton_changes_nothing_but_must_name_its_decision(tmp_path: Path) -> None:
    path = _skeleton(tmp_path)
    done = _run("validate", str(path))
    assert done.exit_code == 2
    assert "(decision)" in done.output and "(issued)" in done.output
    assert "missing-source" not in done.output  # placeholders need no source


def _fill(path: Path, *, with_source: bool) -> None:
    text = path.read_text(encoding="utf-8")
    text = text.replace('decision: ""', 'decision: "999/QĐ-UBND"')
    text = text.replace('issued: ""', 'issued: "2022-06-30"')
    text = text.replace(
        "sources: {}",
        'sources:\n  qd-tinh:\n    citation: "Kon Tum Decision 999/QĐ-UBND (test)"\n'
        '    url: "https://example.org/999"\n'
        "    kind: provincial",
    )
    source = "qd-tinh" if with_source else '""'
    assert text.count(INCOME_2024) == 1
    text = text.replace(
        INCOME_2024,
        INCOME_2024.replace(
            'value: null, verified: false, source: ""',
            f"value: 44, verified: true, source: {source}",
        ),
    )
    path.write_text(text, encoding="utf-8")


def test_validate_refuses_a_value_without_a_source(tmp_path: Path) -> None:
    path = _skeleton(tmp_path)
    _fill(path, with_source=False)
    done = _run("validate", str(path))
    assert done.exit_code == 2
    assert "missing-source" in done.output
    line = (
        path.read_text(encoding="utf-8")
        .splitlines()
        .index(next(x for x in path.read_text(encoding="utf-8").splitlines() if "value: 44" in x))
    )
    assert f"{path}:{line + 1}:" in done.output  # located at the filled cell


def test_filled_overlay_validates_closes_an_unknown_and_decides(tmp_path: Path) -> None:
    path = _skeleton(tmp_path)
    _fill(path, with_source=True)
    assert _run("validate", str(path)).exit_code == 0
    shown = json.loads(_run("show", str(path), "--format", "json").stdout)
    assert shown["closes_unknowns"] == 1  # TN 2024 income
    done = _run("check", PO_E, "--set", str(path), "--format", "json")
    assert done.exit_code == 0, done.output
    ev = json.loads(done.stdout)["reports"][0]["evaluations"][0]
    income = next(i for c in ev["criteria"] for i in c["indicators"] if i["id"] == "10")
    assert (income["status"], income["threshold"], income["verified"]) == ("pass", 44, True)
    assert income["source"]["key"] == "qd-tinh"
    assert "10" not in [r["indicator"] for r in ev["conditions"]]
