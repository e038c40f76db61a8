"""The benchmark script still runs: `benchmarks/run.py --smoke` (50 communes, one run, temp dir).

Not timed: it only checks that every measured command runs and writes what it should.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_smoke_run() -> None:
    results = ROOT / "benchmarks" / "RESULTS.md"
    before = results.read_bytes() if results.exists() else None
    done = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--smoke"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "bare parse" in done.stdout
    assert "| CLI |" in done.stdout
    assert "| 50 | 1 |" in done.stdout
    assert (results.read_bytes() if results.exists() else None) == before
