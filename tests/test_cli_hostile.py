"""The command on hostile input (issue #6): whatever the file, `ntm-check` exits 0 (done) or 2
(bad input) with a message, never with a traceback or another exit code.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ntm_rules.cli import app

from .hostile_inputs import BOUNDED, csv_text, ntm_check, yaml_ish


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the English messages (the default language is Vietnamese)."""
    monkeypatch.setenv("NTM_RULES_LANG", "en")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli")


@settings(BOUNDED, max_examples=12)
@given(
    data=st.one_of(
        yaml_ish().map(lambda t: ("x.yaml", t.encode("utf-8"))),
        csv_text().map(lambda t: ("x.csv", t.encode("utf-8"))),
        st.binary(max_size=200).map(lambda b: ("x.yaml", b)),
    ),
    verb=st.sampled_from(["check", "validate", "batch"]),
)
def test_cli_exits_0_or_2(data: tuple[str, bytes], verb: str, scratch: Path) -> None:
    name, payload = data
    path = scratch / f"cli-{name}"
    path.write_bytes(payload)
    args = [str(path)] if verb == "check" else [verb, str(path)]
    result = CliRunner().invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{verb} {name}: {result.exception!r}\n{payload[:300]!r}"
    )
    assert result.exit_code in (0, 2), (result.exit_code, result.output)


def test_cli_never_prints_a_traceback(tmp_path: Path) -> None:
    """A fixed sample through the real process: garbage bytes, YAML-ish junk, CSV junk."""
    rnd = random.Random(6)
    samples = {
        "bytes.yaml": bytes(rnd.randrange(256) for _ in range(500)),
        "junk.yaml": b"kind: commune\nname: [\nyear: *a\n  - !!int ''\n\t- x\n",
        "junk.csv": b'name;year;region\n"A;2023;TN\n\xff\xfe;;\n',
        "tags.yaml": b"kind: commune\nname: X\nyear: 2023\nregion: TN\nmeasures:\n  !!int x: 1\n",
        "rows.csv": b"name,year,region,commune_roads_paved_pct\nA,2023,TN,85\nB,2023,TN,n%\n",
    }
    for name, payload in samples.items():
        (tmp_path / name).write_bytes(payload)
    for args in (
        ["validate", "bytes.yaml", "junk.yaml", "tags.yaml"],
        ["batch", "junk.csv", "junk.yaml"],
        ["batch", "rows.csv", "--format", "json"],
        ["batch", "rows.csv", "--strict"],
        ["tags.yaml"],
        ["rows.csv"],
    ):
        run = ntm_check(*args, cwd=tmp_path)
        out = run.stdout + run.stderr
        assert run.returncode in (0, 2), f"{args}: exit {run.returncode}\n{out}"
        assert "Traceback" not in out, out


@pytest.mark.parametrize(
    "args",
    [
        ["check", "examples/kon-tum/po-e.yaml"],
        ["batch", "examples/province/communes.csv"],
        ["check", "examples/kon-tum/po-e.yaml", "--format", "json"],
    ],
    ids=["check", "batch", "json"],
)
def test_a_reader_that_goes_away_is_not_an_error(args: list[str]) -> None:
    """`ntm-check … | head -1`: exit 0 (1 would read as "not certified" under --strict), no
    traceback, nothing on stderr."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen(
        [sys.executable, "-m", "ntm_rules", *args],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(1)
    proc.stdout.close()
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 0 and err == b""
