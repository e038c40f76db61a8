"""`--help` follows the reader's language: Vietnamese by default, English with --lang en or
NTM_RULES_LANG=en; every help text of every command has its Vietnamese entry."""

from __future__ import annotations

from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from ntm_rules.cli import app
from ntm_rules.cli.help_vi import HELP_VI, help_lang


def _texts(command: Any) -> list[str]:
    out = [command.help.strip()] if command.help else []
    out += [p.help.strip() for p in command.params if getattr(p, "help", None)]
    for sub in (getattr(command, "commands", None) or {}).values():
        out += _texts(sub)
    return out


def _commands(command: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = [prefix]
    for name, sub in (getattr(command, "commands", None) or {}).items():
        out += _commands(sub, (*prefix, name))
    return out


ROOT = typer.main.get_command(app)


def test_every_help_text_has_its_vietnamese() -> None:
    missing = [text for text in _texts(ROOT) if text not in HELP_VI]
    assert not missing, missing


@pytest.mark.parametrize("words", _commands(ROOT), ids=lambda w: " ".join(w) or "ntm-check")
def test_help_in_both_languages(words: tuple[str, ...], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NTM_RULES_LANG", raising=False)
    vi = CliRunner().invoke(app, [*words, "--help"])
    assert vi.exit_code == 0, vi.output
    assert "Cách dùng:" in vi.output and "Hiện hướng dẫn này rồi thoát." in vi.output
    assert "Usage:" not in vi.output and "Show this message" not in vi.output
    en = CliRunner().invoke(app, [*words, "--help", "--lang", "en"])
    assert "Usage:" in en.output and "Cách dùng:" not in en.output
    monkeypatch.setenv("NTM_RULES_LANG", "en")
    env = CliRunner().invoke(app, [*words, "--help"])
    assert "Usage:" in env.output


def test_help_language_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NTM_RULES_LANG", raising=False)
    assert help_lang(["check", "--help"]) == "vi"
    assert help_lang(["check", "--lang", "en", "--help"]) == "en"
    assert help_lang(["--lang=en"]) == "en"
    monkeypatch.setenv("NTM_RULES_LANG", "en")
    assert help_lang(["x"]) == "en" and help_lang(["--lang", "vi"]) == "vi"
