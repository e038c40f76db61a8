"""The bad-input corpus: every file in tests/data/invalid must be rejected with located issues.

Each fixture opens with comment lines that declare what the library must report::

    # expect: duplicate-key 30:9
    # expect: unknown-key 28:9 hint: did you mean 'note'
    # expect: wrong-kind|unknown-kind 3

that is: an issue code (``a|b`` accepts either code), the 1-based line and optionally the column
of the issue's location, and optionally a substring of its hint. Every ``# expect:`` line of a file
must be matched by an issue reported in the same run (the loaders collect every problem at once).

The fixtures in tests/data/lenient are commune files the library reads deliberately leniently::

    # expect-value: commune_roads_paved_pct = 85      (JSON value in commune.measures)
    # expect-missing: income_per_capita               (absent from commune.measures)
    # expect-attr: name = "Xã Pô Ê"                   (JSON value of a Commune attribute)
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ntm_rules import Catalog, InvalidFileError, Issue, load_communes, validate


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the English messages (the default language is Vietnamese)."""
    monkeypatch.setenv("NTM_RULES_LANG", "en")


DATA = Path(__file__).resolve().parent / "data"
INVALID = DATA / "invalid"
LENIENT = DATA / "lenient"

# Files that cannot carry their own `# expect:` comment.
EXTERNAL_EXPECTATIONS: dict[str, list[str]] = {
    # zero bytes: the whole-file problem belongs at 1:1, like the other whole-file problems
    "commune-empty-0-bytes.yaml": ["unknown-kind|wrong-type|empty-file 1"],
}

_EXPECT = re.compile(
    r"^(?P<codes>[a-z0-9-]+(?:\|[a-z0-9-]+)*)\s+(?P<line>\d+)(?::(?P<col>\d+))?"
    r"(?:\s+hint:\s*(?P<hint>.+?))?\s*$"
)


@dataclass(frozen=True)
class Expect:
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

    def where(self, file: str) -> str:
        """The text the CLI must print for this expectation: ``file:line:`` or ``file:line:col``."""
        return f"{file}:{self.line}:" + (str(self.column) if self.column is not None else "")

    def __str__(self) -> str:
        at = f"{self.line}" + (f":{self.column}" if self.column is not None else "")
        return f"{'|'.join(self.codes)} at {at}" + (f" (hint ~ {self.hint!r})" if self.hint else "")


def _header(path: Path) -> list[str]:
    """The leading comment lines of a fixture (UTF-16 and broken UTF-8 files included)."""
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16")
    else:
        text = raw.decode("utf-8", errors="replace").removeprefix("\ufeff")
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return lines


def _directives(path: Path, name: str) -> list[str]:
    prefix = f"# {name}:"
    return [line[len(prefix) :].strip() for line in _header(path) if line.startswith(prefix)]


def expectations(path: Path) -> list[Expect]:
    texts = EXTERNAL_EXPECTATIONS.get(path.name) or _directives(path, "expect")
    return [Expect.parse(t) for t in texts]


INVALID_FILES = sorted(INVALID.glob("*.yaml"))
COMMUNE_FILES = [p for p in INVALID_FILES if p.name.startswith("commune-")]
LENIENT_FILES = sorted(LENIENT.glob("*.yaml"))


def _ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


def _show(issues: Any) -> str:
    return "\n".join(f"  {i}" for i in issues) or "  (no issues)"


def _assert_reported(path: Path, issues: list[Issue] | tuple[Issue, ...]) -> None:
    expected = expectations(path)
    missing = [e for e in expected if not any(e.matches(i) for i in issues)]
    assert not missing, (
        f"{path.name}: expected issue(s) not reported:\n"
        + "\n".join(f"  {e}" for e in missing)
        + f"\nreported:\n{_show(issues)}"
    )


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog()


# --- the corpus itself ---------------------------------------------------------------------------


def test_corpus_is_complete() -> None:
    assert len(INVALID_FILES) >= 30
    for path in INVALID_FILES:
        assert expectations(path), f"{path.name} declares no `# expect:` line"
    several = [p.name for p in INVALID_FILES if len(expectations(p)) >= 3]
    assert len(several) >= 2, several
    assert LENIENT_FILES


# --- every fixture is rejected with the declared, located issues ---------------------------------


@pytest.mark.parametrize("path", INVALID_FILES, ids=_ids(INVALID_FILES))
def test_validate_reports_expected_issues(path: Path, catalog: Catalog) -> None:
    report = validate([path], catalog)
    assert len(report.files) == 1
    assert not report.ok, f"{path.name} was accepted"
    _assert_reported(path, report.files[0].issues)


@pytest.mark.parametrize("path", INVALID_FILES, ids=_ids(INVALID_FILES))
def test_every_issue_is_located(path: Path, catalog: Catalog) -> None:
    """`validate` promises file:line:col for every problem: no issue may lack a line."""
    issues = validate([path], catalog).files[0].issues
    unlocated = [i for i in issues if i.location.line < 1 or i.location.column < 1]
    assert not unlocated, f"issues without a line:col:\n{_show(unlocated)}"
    assert all(i.location.file == str(path) for i in issues), _show(issues)


@pytest.mark.parametrize("path", COMMUNE_FILES, ids=_ids(COMMUNE_FILES))
def test_load_communes_raises_with_expected_issues(path: Path, catalog: Catalog) -> None:
    with pytest.raises(InvalidFileError) as caught:
        load_communes(path, catalog)
    _assert_reported(path, caught.value.issues)


# --- the command line ----------------------------------------------------------------------------

CLI_VALIDATE = [
    "set-duplicate-key.yaml",
    "set-unknown-indicator-key.yaml",
    "set-tab-indentation.yaml",
    "set-several-problems.yaml",
    "overlay-source-clash.yaml",
    "commune-several-problems.yaml",
    "commune-windows-1258.yaml",
    "commune-utf16.yaml",
    "commune-empty-0-bytes.yaml",
]
CLI_CHECK = [
    "commune-unknown-measure.yaml",
    "commune-several-problems.yaml",
    "commune-nul-bytes.yaml",
    "commune-missing-region.yaml",
]


def _ntm_check(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(PYTHONIOENCODING="utf-8", NO_COLOR="1")
    return subprocess.run(
        [sys.executable, "-m", "ntm_rules", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=120,
        env=env,
        cwd=cwd,
    )


@pytest.mark.parametrize("name", CLI_VALIDATE)
def test_cli_validate_exits_2_with_locations(name: str) -> None:
    path = INVALID / name
    run = _ntm_check("validate", str(path))
    out = run.stdout + run.stderr
    assert run.returncode == 2, out
    assert "Traceback" not in out, out
    for expect in expectations(path):
        assert expect.where(str(path)) in out, f"{expect.where(str(path))!r} not in:\n{out}"
        assert any(c in out for c in expect.codes), out


@pytest.mark.parametrize("name", CLI_CHECK)
def test_cli_check_exits_2_with_locations(name: str) -> None:
    path = INVALID / name
    run = _ntm_check(str(path))
    out = run.stdout + run.stderr
    assert run.returncode == 2, out
    assert "Traceback" not in out, out
    for expect in expectations(path):
        assert expect.where(str(path)) in out, f"{expect.where(str(path))!r} not in:\n{out}"


def test_cli_prints_each_issue_on_one_line(catalog: Catalog) -> None:
    """Issues are printed whole, one per line, so they can be grepped and jumped to.

    Output to a pipe must not be wrapped at the console width.
    """
    commune = INVALID / "commune-several-problems.yaml"
    criteria = INVALID / "set-several-problems.yaml"
    runs = {
        "check": (_ntm_check(str(commune)), [commune]),
        "validate": (_ntm_check("validate", str(criteria), str(commune)), [criteria, commune]),
    }
    for verb, (run, files) in runs.items():
        lines = {line.strip() for line in (run.stdout + run.stderr).splitlines()}
        issues = [i for f in validate(files, catalog).files for i in f.issues]
        assert issues
        broken = [str(i) for i in issues if str(i) not in lines]
        assert not broken, (
            f"{verb}: issue lines split or missing:\n"
            + "\n".join(broken)
            + f"\noutput:\n{run.stdout}{run.stderr}"
        )


# --- deliberate lenient readings ------------------------------------------------------------------


@pytest.mark.parametrize("path", LENIENT_FILES, ids=_ids(LENIENT_FILES))
def test_lenient_readings(path: Path, catalog: Catalog) -> None:
    try:
        communes = load_communes(path, catalog)
    except InvalidFileError as exc:
        pytest.fail(f"{path.name} was rejected:\n{_show(exc.issues)}")
    assert len(communes) == 1
    commune = communes[0]
    checks = 0
    for text in _directives(path, "expect-value"):
        key, _, value = text.partition("=")
        key, want = key.strip(), json.loads(value)
        assert key in commune.measures, f"{key} is missing; read: {dict(commune.measures)}"
        got = commune.measures[key]
        if isinstance(want, bool):
            assert got is want, f"{key}: read {got!r}, expected {want!r}"
        else:
            assert not isinstance(got, bool) and got == pytest.approx(want), (
                f"{key}: read {got!r}, expected {want!r}"
            )
        checks += 1
    for key in _directives(path, "expect-missing"):
        assert key not in commune.measures, (
            f"{key} should be missing (no data), read {commune.measures[key]!r}"
        )
        checks += 1
    for text in _directives(path, "expect-attr"):
        attr, _, value = text.partition("=")
        assert getattr(commune, attr.strip()) == json.loads(value)
        checks += 1
    assert checks, f"{path.name} declares no expectation"


def test_validate_accepts_lenient_files(catalog: Catalog) -> None:
    report = validate(LENIENT_FILES, catalog)
    problems = [i for f in report.files for i in f.issues]
    assert report.ok, _show(problems)


# --- reading never writes ------------------------------------------------------------------------


def _snapshot(root: Path) -> dict[str, tuple[int, str]]:
    return {
        str(p.relative_to(root)): (
            p.stat().st_mtime_ns,
            hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "",
        )
        for p in sorted(root.rglob("*"))
    }


def test_validation_and_loading_never_write(tmp_path: Path) -> None:
    shipped = Catalog().root
    criteria = tmp_path / "criteria"
    shutil.copytree(shipped, criteria)
    inputs = tmp_path / "in"
    inputs.mkdir()
    names = [
        "commune-several-problems.yaml",
        "set-several-problems.yaml",
        "overlay-source-clash.yaml",
        "set-yaml-tag.yaml",
    ]
    for name in names:
        shutil.copy2(INVALID / name, inputs / name)
    shutil.copy2(LENIENT / "decimal-comma.yaml", inputs / "good-commune.yaml")
    marker = tmp_path / "tag-was-executed"
    (inputs / "set-tag-touch.yaml").write_text(
        "kind: criteria-set\nid: x\n"
        f'decision: !!python/object/apply:os.system ["touch {marker}"]\n',
        encoding="utf-8",
    )
    before = _snapshot(tmp_path)

    catalog = Catalog(criteria)
    files = sorted(inputs.iterdir())
    report = validate(files, catalog)
    assert not report.ok
    with pytest.raises(InvalidFileError):
        load_communes(inputs / "commune-several-problems.yaml", catalog)
    load_communes(inputs / "good-commune.yaml", catalog)
    run = _ntm_check("validate", "--criteria", str(criteria), *map(str, files), cwd=inputs)
    assert run.returncode == 2, run.stdout + run.stderr
    run = _ntm_check(
        "--criteria", str(criteria), str(inputs / "commune-several-problems.yaml"), cwd=inputs
    )
    assert run.returncode == 2, run.stdout + run.stderr
    run = _ntm_check("--criteria", str(criteria), str(inputs / "good-commune.yaml"), cwd=inputs)
    assert run.returncode == 0, run.stdout + run.stderr

    assert not marker.exists(), "a YAML tag was executed"
    assert _snapshot(tmp_path) == before
