"""Benchmark: a whole province through the CLI, against the time to just parse its CSV.

For N communes (default 2,500, 5,000 and 10,000) it generates a synthetic CSV, then runs, each
in a fresh process, (a) only the CSV reading (`ntm_rules.load.table.read_table`) and (b) the whole
CLI: `ntm-check batch FILE.csv --from ntm-2016-2020 --to ntm-2021-2025 --format json`. It reports
the best of 5 wall times and the peak resident memory of each, and checks the targets:
whole run < 2 s and < 300 MB for 10,000 communes, within 3× of the parse-only run, and linear
growth. Results go to benchmarks/RESULTS.md.

    python benchmarks/run.py            # or: python benchmarks/run.py 10000
"""

from __future__ import annotations

import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
PARSE = (
    "import sys; from pathlib import Path; from ntm_rules import Catalog; "
    "from ntm_rules.load.table import read_table; c = Catalog(); "
    "t = read_table(Path(sys.argv[1]), c.measures, c.regions); "
    "assert t.communes"
)


def _run(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err.decode()}")
    # ru_maxrss of RUSAGE_CHILDREN is the largest child so far; run the big ones last
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, usage.ru_maxrss / 1024


def _best(cmd: list[str], repeat: int = 5) -> tuple[float, float]:
    runs = [_run(cmd) for _ in range(repeat)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


def main() -> int:
    sizes = [int(a) for a in sys.argv[1:]] or [2_500, 5_000, 10_000]
    sys.path.insert(0, str(HERE))
    from generate_province import generate

    cli = shutil.which("ntm-check") or "ntm-check"
    rows = []
    for n in sorted(sizes):
        path = OUT / f"province-{n}.csv"
        if not path.exists():
            generate(n, path)
        parse_wall, _parse_rss = _best([sys.executable, "-c", PARSE, str(path)])
        cli_wall, cli_rss = _best(
            [
                cli,
                "batch",
                str(path),
                "--from",
                "ntm-2016-2020",
                "--to",
                "ntm-2021-2025",
                "--format",
                "json",
            ]
        )
        rows.append((n, parse_wall, cli_wall, cli_rss))
        print(
            f"{n:>6} communes: parse {parse_wall:.2f} s, whole CLI {cli_wall:.2f} s "
            f"({cli_wall / parse_wall:.1f}× parse), peak RSS ≤ {cli_rss:.0f} MB",
            flush=True,
        )
    n, parse_wall, cli_wall, cli_rss = rows[-1]
    checks = [
        (f"whole run for {n:,} communes < 2 s", cli_wall < 2.0),
        ("peak memory < 300 MB", cli_rss < 300),
        ("within 3× of parse-only", cli_wall <= 3 * parse_wall),
    ]
    if len(rows) >= 2:
        (n0, _, w0, _), (n1, _, w1, _) = rows[0], rows[-1]
        per0, per1 = w0 / n0, w1 / n1
        checks.append(
            ("linear: time per commune at the largest size ≤ 1.5× the smallest", per1 <= 1.5 * per0)
        )
    report = [
        "# Benchmark results",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.system()}. Synthetic province "
        "(`benchmarks/generate_province.py`), CSV with ~90 measure columns, both national sets "
        "and the transition, JSON summary to /dev/null. Best of 5 runs, each a fresh process "
        "(Python start-up included).",
        "",
        "| communes | parse CSV only | whole `ntm-check batch` | ratio | peak RSS |",
        "|---:|---:|---:|---:|---:|",
    ]
    for n, pw, cw, rss in rows:
        report.append(f"| {n:,} | {pw:.2f} s | {cw:.2f} s | {cw / pw:.1f}× | {rss:.0f} MB |")
    report += ["", "| target | met |", "|---|---|"]
    report += [f"| {name} | {'yes' if ok else '**no**'} |" for name, ok in checks]
    (HERE / "RESULTS.md").write_text("\n".join(report) + "\n", encoding="utf-8")
    print("\n".join(report))
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
