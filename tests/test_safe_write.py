"""Output files (issue #6): never over an input, never over a file without --force, atomic,
all or nothing, no temporary file left behind; devices and standard output written directly.

Through the real command (`ntm-check batch --html/--xlsx/--csv`) and through the library
(:mod:`ntm_rules.report.write`).
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ntm_rules.cli import app
from ntm_rules.report import sheets
from ntm_rules.report.write import (
    Output,
    OutputError,
    check_output_path,
    write_all,
    write_atomic,
    write_atomic_with,
)

from .hostile_inputs import INVALID, ROOT, ntm_check


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the English messages (the default language is Vietnamese)."""
    monkeypatch.setenv("NTM_RULES_LANG", "en")


def _state(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_ino


def _temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp" in p.name)


@pytest.fixture
def batch_dir(tmp_path: Path) -> Path:
    table = tmp_path / "communes.csv"
    table.write_bytes((INVALID / "table-semicolon-decimal-comma.csv").read_bytes())
    return tmp_path


# =================================================================================================
# The command
# =================================================================================================


def test_outputs_never_overwrite_an_input(batch_dir: Path) -> None:
    table = batch_dir / "communes.csv"
    before = _state(table)
    for option in ("--html", "--xlsx", "--csv"):
        run = ntm_check("batch", "communes.csv", option, "communes.csv", "--force", cwd=batch_dir)
        assert run.returncode == 2, run.stdout + run.stderr
        assert "input" in run.stderr and "Traceback" not in run.stderr, run.stderr
        assert _state(table) == before
    assert sorted(p.name for p in batch_dir.iterdir()) == ["communes.csv"]


def test_outputs_never_overwrite_a_file_inside_an_input_directory(tmp_path: Path) -> None:
    folder = tmp_path / "communes"
    folder.mkdir()
    for name in ("po-e.yaml", "hieu.yaml"):
        (folder / name).write_bytes((ROOT / "examples" / "kon-tum" / name).read_bytes())
    before = _state(folder / "po-e.yaml")
    run = ntm_check("batch", str(folder), "--html", str(folder / "po-e.yaml"), "--force")
    assert _state(folder / "po-e.yaml") == before, (
        "`batch DIR --html DIR/commune.yaml --force` replaced an input commune file"
    )
    assert run.returncode == 2, run.stdout + run.stderr
    assert "refusing to write a report over the input" in run.stderr, run.stderr
    run = ntm_check("batch", str(folder), "--csv", str(folder / "new.csv"), "--force")
    assert run.returncode == 2, run.stdout + run.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["hieu.yaml", "po-e.yaml"]


def test_existing_outputs_need_force_and_are_replaced_atomically(batch_dir: Path) -> None:
    html, book = batch_dir / "report.html", batch_dir / "results.xlsx"
    html.write_text("old report", encoding="utf-8")
    book.write_bytes(b"old workbook")
    before = {html: _state(html), book: _state(book)}
    run = ntm_check(
        "batch", "communes.csv", "--html", "report.html", "--xlsx", "results.xlsx", cwd=batch_dir
    )
    assert run.returncode == 2, run.stdout + run.stderr
    assert "--force" in run.stderr and "Traceback" not in run.stderr
    assert {p: _state(p) for p in before} == before
    run = ntm_check(
        "batch",
        "communes.csv",
        "--html",
        "report.html",
        "--xlsx",
        "results.xlsx",
        "--force",
        cwd=batch_dir,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    for path, (digest, inode) in before.items():
        new_digest, new_inode = _state(path)
        assert new_digest != digest
        assert new_inode != inode, f"{path.name} was rewritten in place, not replaced"
    assert html.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    import openpyxl

    openpyxl.load_workbook(book, read_only=True).close()
    assert _temp_files(batch_dir) == []


def test_a_refused_output_writes_nothing(batch_dir: Path) -> None:
    """exit 2 means nothing was written: a refused --xlsx must not leave a new --html behind."""
    (batch_dir / "results.xlsx").write_bytes(b"old workbook")
    run = ntm_check(
        "batch", "communes.csv", "--html", "new.html", "--xlsx", "results.xlsx", cwd=batch_dir
    )
    assert run.returncode == 2, run.stdout + run.stderr
    assert sorted(p.name for p in batch_dir.iterdir()) == ["communes.csv", "results.xlsx"]


def test_a_failing_writer_leaves_no_temporary_file(
    batch_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(data: Any, path: Path, lang: str = "vi") -> None:
        Path(path).write_bytes(b"half a workbook")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sheets, "write_results_xlsx", broken)
    book = batch_dir / "results.xlsx"
    book.write_bytes(b"old workbook")
    html = batch_dir / "report.html"
    result = CliRunner().invoke(
        app,
        [
            "batch",
            str(batch_dir / "communes.csv"),
            "--html",
            str(html),
            "--xlsx",
            str(book),
            "--force",
        ],
    )
    assert result.exit_code == 2, (result.exception, result.output)
    assert "No space left on device" in result.stderr, result.stderr
    assert book.read_bytes() == b"old workbook"
    assert not html.exists(), "the --html output was written although --xlsx failed"
    assert _temp_files(batch_dir) == []


# =================================================================================================
# The library: ntm_rules.report.write
# =================================================================================================


def _writer(data: bytes) -> Any:
    def write(path: Path) -> None:
        path.write_bytes(data)

    return write


def _failing(path: Path) -> None:
    path.write_bytes(b"half")
    raise OSError(28, "No space left on device")


def test_write_all_writes_every_output_or_none(tmp_path: Path) -> None:
    first, second, third = tmp_path / "a.html", tmp_path / "b.csv", tmp_path / "c.xlsx"
    second.write_bytes(b"old")
    with pytest.raises(OutputError, match="none of them was written"):
        write_all(
            [Output(first, _writer(b"A")), Output(second, _writer(b"B")), Output(third, _failing)],
            force=True,
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.csv"]
    assert second.read_bytes() == b"old"
    write_all([Output(first, _writer(b"A")), Output(second, _writer(b"B"))], force=True)
    assert (first.read_bytes(), second.read_bytes()) == (b"A", b"B")
    assert _temp_files(tmp_path) == []


def test_write_atomic_needs_force_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    assert write_atomic(target, "ngưỡng", force=False) == target
    assert target.read_text(encoding="utf-8") == "ngưỡng"
    before = _state(target)
    with pytest.raises(OutputError, match="use --force"):
        write_atomic(target, b"new", force=False)
    assert _state(target) == before
    target.chmod(0o640)
    write_atomic_with(target, _writer(b"new"), force=True)
    assert target.read_bytes() == b"new"
    assert target.stat().st_ino != before[1]
    assert stat.S_IMODE(target.stat().st_mode) == 0o640, "the replaced file's mode is kept"
    assert _temp_files(tmp_path) == []


def test_inputs_are_never_targets(tmp_path: Path) -> None:
    folder = tmp_path / "communes"
    folder.mkdir()
    commune = folder / "po-e.yaml"
    commune.write_bytes(b"kind: commune\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(commune)
    hard = tmp_path / "hard.yaml"
    os.link(commune, hard)
    for target, inputs in (
        (commune, [commune]),
        (link, [commune]),  # the same file through a symbolic link
        (hard, [commune]),  # ... and through a hard link
        (commune, [folder]),  # inside an input directory
        (folder / "new.html", [folder]),
    ):
        with pytest.raises(OutputError, match="over the input"):
            check_output_path(target, force=True, inputs=inputs)
        with pytest.raises(OutputError):
            write_atomic(target, b"report", force=True, inputs=inputs)
    assert commune.read_bytes() == b"kind: commune\n"
    assert sorted(p.name for p in folder.iterdir()) == ["po-e.yaml"]


def test_what_is_not_a_regular_file_is_refused_or_written_directly(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    with pytest.raises(OutputError, match="is a directory"):
        check_output_path(tmp_path, force=True)
    with pytest.raises(OutputError, match="does not exist"):
        check_output_path(tmp_path / "missing" / "report.html", force=True)
    dangling = tmp_path / "dangling.html"
    dangling.symlink_to(tmp_path / "nowhere.html")
    with pytest.raises(OutputError, match="not a regular file"):
        write_atomic(dangling, b"x", force=True)
    assert not (tmp_path / "nowhere.html").exists()
    # a character device: written to, never replaced, no --force needed
    null = Path(os.devnull)
    write_atomic(null, b"report", force=False)
    assert stat.S_ISCHR(null.stat().st_mode)
    # "-" is standard output
    write_atomic("-", "bảng\n", force=False)
    assert capsysbinary.readouterr().out == "bảng\n".encode()


def test_two_outputs_cannot_name_the_same_file(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    with pytest.raises(OutputError, match="same file"):
        write_all(
            [Output(target, _writer(b"a")), Output(tmp_path / "." / "out.csv", _writer(b"b"))],
            force=False,
        )
    assert not target.exists()


def test_a_fifo_is_written_directly(tmp_path: Path) -> None:
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    try:
        write_atomic(fifo, b"rows\n", force=False)
    finally:
        reader.join(timeout=10)
    assert got == [b"rows\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode), "the FIFO was replaced by a file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]
