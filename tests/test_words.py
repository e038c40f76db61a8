"""No word-table key leaks to a reader: every key the commands look up exists in both languages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import ntm_rules.words as words
from ntm_rules.cli import app
from ntm_rules.words import WORDS

ROOT = Path(__file__).resolve().parent.parent


class _Recording(dict[str, tuple[str, str]]):
    def __init__(self, data: dict[str, tuple[str, str]]) -> None:
        super().__init__(data)
        self.missing: set[str] = set()

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        if key not in self:
            self.missing.add(key)
        return super().get(key, default)


def _commands(out: Path) -> list[list[str]]:
    ex = "examples"
    return [
        ["check", f"{ex}/loses-certification.yaml"],
        ["check", f"{ex}/missing-data.yaml", "--tiers"],
        ["compare", f"{ex}/loses-certification.yaml"],
        ["compare", f"{ex}/kon-tum/"],
        ["check", f"{ex}/kon-tum/po-e.yaml", "--format", "markdown"],
        ["explain", f"{ex}/kon-tum/po-e.yaml", "10"],
        [
            "batch",
            f"{ex}/province/communes.csv",
            "--tiers",
            "--html",
            str(out / "r.html"),
            "--xlsx",
            str(out / "r.xlsx"),
            "--csv",
            str(out / "r.csv"),
            "--force",
        ],
        ["batch", f"{ex}/kon-tum/", "--format", "markdown"],
        ["sets"],
        ["show", "ntm-2021-2025"],
        ["diff", "ntm-2016-2020", "ntm-2021-2025"],
        ["validate", "criteria/", f"{ex}/province/communes.csv"],
        ["template", "ntm-2021-2025", "--output", str(out / "t.yaml"), "--force"],
        ["template", "ntm-2021-2025", "-f", "xlsx", "--output", str(out / "t.xlsx"), "--force"],
    ]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_word_key_leaks(lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    recording = _Recording(WORDS)
    monkeypatch.setattr(words, "WORDS", recording)
    for args in _commands(tmp_path):
        done = CliRunner().invoke(app, [*args, "--lang", lang])
        assert done.exit_code == 0, (args, done.output)
    assert recording.missing == set()


def test_every_word_has_both_languages() -> None:
    for key, (vi, en) in WORDS.items():
        assert vi.strip() and en.strip(), key
        # the same placeholders in both languages
        assert sorted(_fields(vi)) == sorted(_fields(en)), key


def _fields(text: str) -> list[str]:
    import string

    return [f for _, f, _, _ in string.Formatter().parse(text) if f]


VI_LEAKS = re.compile(
    r"commune\(s\)|check\(s\)|\b(reworded|became_unknown|tightened|loosened|not_certified|"
    r"new_indicator|indeterminate|missing_data|unknown_threshold|houses|million|person|pass|fail|"
    r"DBSCL|DBSH|DNB|Region|District|Verdict|Certified|criteria met|did you mean)\b|"
    r"\(standard\)|overlay of|error\[|warning\[|m²/person"
)
EN_LEAKS = re.compile(r"\b(không|đạt|chưa|Tiêu chí|Chỉ tiêu|Tổng|Huyện|Vùng|Năm|xã|lỗi)\b")
SHOWN = [
    ["validate", "criteria", "examples/province/communes.csv"],
    ["diff", "ntm-2016-2020", "ntm-2021-2025"],
    ["sets"],
    ["show", "ntm-2021-2025"],
    ["explain", "examples/kon-tum/po-e.yaml", "9"],
    ["batch", "examples/province/communes.csv", "--format", "markdown"],
    ["batch", "examples/province/communes.csv"],
    ["compare", "examples/kon-tum"],
    ["check", "examples/kon-tum/po-e.yaml", "--tiers"],
    ["check", "examples/kon-tum/ngok-tem.yaml", "--plan"],
]


@pytest.mark.parametrize("args", SHOWN, ids=lambda a: " ".join(a[:2]))
def test_no_english_in_vietnamese_and_no_vietnamese_in_english(
    args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Words a reader acts on are in the chosen language (measure keys, set ids and the
    sources' own citations are identifiers and quotations, not words of the tool)."""
    monkeypatch.chdir(ROOT)
    vi = CliRunner().invoke(app, [*args, "--lang", "vi"])
    assert vi.exit_code in (0, 1) and len(vi.output) > 500, vi.output
    found = sorted({m.group(0) for m in VI_LEAKS.finditer(vi.output)})
    assert not found, found
    en = CliRunner().invoke(app, [*args, "--lang", "en"])
    found = sorted({m.group(0) for m in EN_LEAKS.finditer(en.output)})
    assert not found, found
