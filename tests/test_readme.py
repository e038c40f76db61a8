"""The README is true: its first lines are the two install commands, every `ntm-check` command
it shows in a ``sh`` block runs (in order, from a copy of the repository's examples and
criteria), and its library snippet runs as written."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ntm_rules.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)


def _blocks(kind: str) -> list[str]:
    return [body for info, body in FENCE.findall(README) if info == kind]


def _commands() -> list[str]:
    out = []
    for body in _blocks("sh"):
        for line in body.splitlines():
            line = line.split("  #", 1)[0].strip()
            if line.startswith("ntm-check "):
                out.append(line)
    return out


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "examples", work / "examples")
    shutil.copytree(ROOT / "criteria", work / "criteria")
    return work


def test_first_lines_install_and_run_then_test() -> None:
    first = README.splitlines()[:4]
    assert first[0] == "```sh"
    assert first[1].startswith("pip install . && ntm-check examples/")
    assert first[2].startswith('pip install -e ".[test,durable]" && python -m pytest')


def test_the_readme_shows_every_command() -> None:
    shown = {shlex.split(c)[1] for c in _commands()}
    for command in ("sets", "show", "diff", "validate", "template", "compare", "explain", "batch",
                    "overlay"):  # fmt: skip
        assert command in shown, command
    assert any("--assume" in c for c in _commands())


def test_every_readme_command_runs(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(workdir)
    commands = _commands()
    assert len(commands) >= 20
    for line in commands:
        words = shlex.split(line)
        target = None
        if ">" in words:
            k = words.index(">")
            words, target = words[:k], words[k + 1]
        done = CliRunner().invoke(app, words[1:])
        assert done.exit_code == 0, f"{line}\n{done.output}"
        assert "Traceback" not in done.output
        if target:
            Path(target).write_text(done.stdout, encoding="utf-8")
            assert Path(target).stat().st_size > 0
    assert (workdir / "report.html").exists() and (workdir / "kon-tum-2021-2025.yaml").exists()


def test_library_snippet_runs(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(workdir)
    (snippet,) = [b for b in _blocks("python") if "import ntm_rules" in b]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(snippet, "README.md", "exec"), {"__name__": "readme"})
    lines = printed.getvalue().splitlines()
    assert lines[0].startswith("not_certified ")  # Ngọk Tem under 2021–2025
    assert lines[1].startswith("lost ")
    assert lines[-1] == "not_certified"  # Pờ Ê with a 2024 income level of 45 assumed


def test_readme_links_exist() -> None:
    for target in re.findall(r"\]\(((?:docs|examples|criteria)/[^)#]+)\)", README):
        assert (ROOT / target).exists(), target
    assert os.path.exists(ROOT / "docs" / "huong-dan.md")


def test_the_compare_example_is_exactly_what_the_tool_prints(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "130")
    monkeypatch.setenv("NO_COLOR", "1")
    args = ["compare", "examples/kon-tum/", "--from", "ntm-2016-2020", "--to", "ntm-2021-2025"]
    done = CliRunner().invoke(app, [*args, "--lang", "en"])
    assert done.exit_code == 0
    (block,) = [b for b in _blocks("text") if "recognised in 2020 (CERTIFIED (19/19))" in b]
    assert block == done.stdout


def _speed_rows(text: str) -> dict[str, list[float]]:
    """communes -> the seconds of a benchmark table row (bare, reader, CLI)."""
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and re.fullmatch(r"[0-9,]+", cells[0]):
            rows[cells[0]] = [float(c[:-2]) for c in cells if re.fullmatch(r"[0-9.]+ s", c)]
    return rows


def test_the_speed_section_quotes_the_latest_benchmark() -> None:
    """The README's speed table is benchmarks/RESULTS.md's, rounded: rerun the benchmark and
    the README must follow."""
    results = _speed_rows((ROOT / "benchmarks" / "RESULTS.md").read_text(encoding="utf-8"))
    section = README.split("## Speed", 1)[1].split("\n## ", 1)[0]
    quoted = _speed_rows(section)
    assert set(quoted) == set(results) == {"1,000", "10,000", "100,000"}
    for size, measured in results.items():
        shown = quoted[size]
        assert len(shown) == len(measured) == 3, size
        for a, b in zip(shown, measured, strict=True):
            assert abs(a - b) <= 0.005 + 1e-9, (size, shown, measured)
