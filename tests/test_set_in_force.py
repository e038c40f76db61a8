"""Since 15/02/2026 the 2026–2030 set (51/2025/QĐ-TTg) is in force but not encoded: scoring
2026 data says plainly, in every output, that it uses the 2021–2025 set and why."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ntm_rules.cli import app

ROOT = Path(__file__).resolve().parent.parent


def _commune_2026(tmp_path: Path) -> Path:
    text = (ROOT / "examples" / "kon-tum" / "po-e.yaml").read_text(encoding="utf-8")
    path = tmp_path / "po-e-2026.yaml"
    path.write_text(text.replace("year: 2024", "year: 2026"), encoding="utf-8")
    return path


def test_check_says_which_set_it_uses_and_why(tmp_path: Path) -> None:
    path = _commune_2026(tmp_path)
    done = CliRunner().invoke(app, ["check", str(path), "--format", "json"])
    ev = json.loads(done.stdout)["reports"][0]["evaluations"][0]
    assert ev["set"] == "ntm-2021-2025"
    note = ev["notes"][0]
    assert "51/2025/QĐ-TTg" in note["vi"] and "chưa được mã hóa" in note["vi"]
    assert "15/02/2026" in note["vi"] and "ntm-2021-2025" in note["vi"]
    assert "not encoded" in note["en"] and "2026-02-15" in note["en"]
    text = CliRunner().invoke(app, ["check", str(path)]).stdout
    assert "51/2025/QĐ-TTg" in text
    # 2024 data: no such note
    ev24 = json.loads(
        CliRunner()
        .invoke(app, ["check", str(ROOT / "examples" / "kon-tum" / "po-e.yaml"), "-f", "json"])
        .stdout
    )["reports"][0]["evaluations"][0]
    assert not any("51/2025" in n["vi"] for n in ev24["notes"])


def test_batch_says_it_per_set(tmp_path: Path) -> None:
    _commune_2026(tmp_path)
    done = CliRunner().invoke(app, ["batch", str(tmp_path), "--format", "json"])
    data = json.loads(done.stdout)
    new = data["sets"]["ntm-2021-2025"]["not_in_force"]
    assert (new["years"], new["communes"], new["set"]["decision"]) == ([2026], 1, "51/2025/QĐ-TTg")
    assert data["sets"]["ntm-2016-2020"]["not_in_force"] is None  # the old set of the transition
    text = CliRunner().invoke(app, ["batch", str(tmp_path), "--lang", "en"]).stdout
    assert "Data year 2026 falls under the 51/2025/QĐ-TTg criteria" in text


def test_sets_lists_the_set_known_but_not_encoded() -> None:
    data = json.loads(CliRunner().invoke(app, ["sets", "--format", "json"]).stdout)
    (known,) = data["not_encoded"]
    assert (known["id"], known["criteria"], known["indicators"], known["commune_groups"]) == (
        "ntm-2026-2030",
        10,
        47,
        3,
    )
    assert known["encoded"] is False and known["source"]["url"].startswith("https://")
    assert "51/2025/QĐ-TTg" in CliRunner().invoke(app, ["sets"]).stdout
