"""Benchmark: a whole province through the CLI, against the bare time to parse its CSV.

For each size (default 1,000, 10,000 and 100,000 communes) it generates a synthetic province CSV
(`generate_province.py`, reused when present with the right rows and columns) and measures, each
run in a fresh process and the commands alternated run by run:

* bare parse: the standard library alone, `list(csv.DictReader(...))`: the honest baseline;
* reader: `ntm_rules.read_communes(paths)`;
* CLI: `ntm-check batch FILE.csv... --from ntm-2016-2020 --to ntm-2021-2025 --format json`;
* XLSX (10,000 only): the same with `--xlsx benchmarks/out/results-10000.xlsx --force`;
* single commune, cold: `ntm-check examples/kon-tum/po-e.yaml`.

Each figure is the median wall time of N runs (Python start-up included) and the peak resident
memory of the command (`ru_maxrss` of its process, read by a tiny wrapper process). The report
goes to benchmarks/RESULTS.md, with the targets and whether each is met. Provinces of more than
25,000 communes are written as several files (the reader refuses files over 20 MB).

    python benchmarks/run.py                     # 1k, 10k, 100k; 5 runs
    python benchmarks/run.py --sizes 10000 --runs 3 --large-runs 1
    python benchmarks/run.py --gate              # exit 1 if the renovation gate fails
    python benchmarks/run.py --smoke             # 50 communes, 1 run, to a temp dir (CI)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
RESULTS = HERE / "RESULTS.md"
GENERATOR = HERE / "generate_province.py"
SINGLE = ROOT / "examples" / "kon-tum" / "po-e.yaml"

DEFAULT_SIZES = (1_000, 10_000, 100_000)
XLSX_SIZE = 10_000
SMOKE_SIZE = 50
LARGE = 100_000
PART_ROWS = 25_000  # ~11 MB of CSV; the reader refuses files over 20 MB
BATCH_ARGS = ("--from", "ntm-2016-2020", "--to", "ntm-2021-2025", "--format", "json")
# Before the renovation the 10,000-commune CLI took 2.36 s against a 0.21 s bare parse.
GATE_RATIO = 11.2
GATE = f"renovation gate: 10k CLI/bare ≤ {GATE_RATIO}"

CLI = [sys.executable, "-m", "ntm_rules"]
BARE = """\
import csv, sys
rows = []
for path in sys.argv[1:]:
    rows += list(csv.DictReader(open(path, encoding='utf-8-sig', newline='')))
print(len(rows))
"""
READER = """\
import sys
from ntm_rules import read_communes
print(len(read_communes(sys.argv[1:]).communes))
"""
# Runs argv[2:] with its stdout to the file argv[1]; prints wall seconds, peak RSS (KB on Linux)
# and exit code of that one child as JSON.
WRAPPER = """\
import json, resource, subprocess, sys, time
with open(sys.argv[1], 'wb') as out:
    start = time.perf_counter()
    proc = subprocess.run(sys.argv[2:], stdout=out, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
err = proc.stderr.decode('utf-8', 'replace')[-2000:]
print(json.dumps({'wall': wall, 'rss_kb': rss, 'rc': proc.returncode, 'stderr': err}))
"""

LABELS = {
    "bare": "bare parse",
    "reader": "reader",
    "cli": "CLI",
    "xlsx": "CLI + XLSX",
    "single": "single commune",
}


class BenchmarkError(Exception):
    """A measured command failed or wrote the wrong output."""


@dataclass(frozen=True)
class Command:
    key: str
    size: int
    argv: list[str]
    stdout: Path
    xlsx: Path | None = None


@dataclass(frozen=True)
class Sample:
    wall: float
    rss_mb: float


@dataclass(frozen=True)
class SizeResult:
    size: int
    runs: int
    bare: float
    reader: float
    cli: float
    rss_mb: float

    @property
    def ratio(self) -> float:
        return self.cli / self.bare

    @property
    def per_commune_us(self) -> float:
        return self.cli / self.size * 1e6


@dataclass(frozen=True)
class Extras:
    xlsx: tuple[int, float] | None  # (communes, median seconds)
    single: float | None


@dataclass(frozen=True)
class Target:
    name: str
    measured: str
    ok: bool | None  # None: not measured in this run


# --- input files -----------------------------------------------------------------------------


def _generate(n: int, path: Path) -> None:
    argv = [sys.executable, str(GENERATOR), str(n), str(path)]
    subprocess.run(argv, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def _first_line(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.readline()


def _data_rows(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for _ in fh) - 1


def part_sizes(n: int) -> list[int]:
    """Communes per file: the reader refuses files over 20 MB, so large provinces are split."""
    return [min(PART_ROWS, n - start) for start in range(0, n, PART_ROWS)]


def part_paths(n: int, out_dir: Path) -> list[Path]:
    count = len(part_sizes(n))
    if count == 1:
        return [out_dir / f"province-{n}.csv"]
    return [out_dir / f"province-{n}-{k}of{count}.csv" for k in range(1, count + 1)]


def _reusable(paths: Sequence[Path], sizes: Sequence[int], header: bytes) -> bool:
    return all(
        path.exists() and _first_line(path) == header and _data_rows(path) == rows
        for path, rows in zip(paths, sizes, strict=True)
    )


def _split(source: Path, paths: Sequence[Path], sizes: Sequence[int]) -> None:
    with source.open("rb") as fh:
        header = fh.readline()
        for path, rows in zip(paths, sizes, strict=True):
            with path.open("wb") as out:
                out.write(header)
                out.writelines(fh.readline() for _ in range(rows))


def province_files(n: int, out_dir: Path, header: bytes | None) -> list[Path]:
    """The CSV file(s) of a province of `n` communes, generated unless they are already there
    with the right rows and the current columns (`header`; None: never reuse)."""
    paths, sizes = part_paths(n, out_dir), part_sizes(n)
    if header is not None and _reusable(paths, sizes, header):
        print(f"reusing {len(paths)} file(s) of {n:,} communes in {out_dir}", flush=True)
        return paths
    print(f"generating {n:,} communes into {len(paths)} file(s) in {out_dir}", flush=True)
    if len(paths) == 1:
        _generate(n, paths[0])
        return paths
    whole = out_dir / f"province-{n}-whole.csv"
    _generate(n, whole)
    _split(whole, paths, sizes)
    whole.unlink()
    return paths


def current_header() -> bytes:
    """The header row the generator writes today (from a one-commune file)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "one.csv"
        _generate(1, path)
        return _first_line(path)


# --- commands --------------------------------------------------------------------------------


def size_commands(n: int, files: Sequence[Path], out_dir: Path, xlsx_size: int) -> list[Command]:
    def out(key: str) -> Path:
        return out_dir / f"{key}-{n}.out"

    names = [str(path) for path in files]
    batch = [*CLI, "batch", *names, *BATCH_ARGS]
    commands = [
        Command("bare", n, [sys.executable, "-c", BARE, *names], out("bare")),
        Command("reader", n, [sys.executable, "-c", READER, *names], out("reader")),
        Command("cli", n, batch, out_dir / f"cli-{n}.json"),
    ]
    if n == xlsx_size:
        xlsx = out_dir / f"results-{n}.xlsx"
        argv = [*batch, "--xlsx", str(xlsx), "--force"]
        commands.append(Command("xlsx", n, argv, out_dir / f"cli-xlsx-{n}.json", xlsx))
    return commands


def single_command(out_dir: Path) -> Command:
    return Command("single", 1, [*CLI, str(SINGLE)], out_dir / "single.out")


def output_problem(cmd: Command) -> str | None:
    """What is wrong with the output of a command that exited 0, if anything."""
    text = cmd.stdout.read_text(encoding="utf-8", errors="replace").strip()
    if not text:
        return "empty output"
    if cmd.key in ("bare", "reader"):
        return None if text == str(cmd.size) else f"read {text!r} rows, expected {cmd.size}"
    if cmd.key == "single":
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return f"invalid JSON: {exc}"
    if not isinstance(data, dict) or data.get("communes") != cmd.size:
        return f"JSON 'communes' is not {cmd.size}"
    if len(data.get("results", ())) != cmd.size:
        return f"JSON 'results' does not hold {cmd.size} communes"
    if cmd.xlsx is not None and not zipfile.is_zipfile(cmd.xlsx):
        return f"{cmd.xlsx} is not an XLSX file"
    return None


# --- measuring -------------------------------------------------------------------------------


def measure(cmd: Command, check_output: bool) -> Sample:
    """One run of `cmd` in a fresh process, timed by a fresh wrapper process."""
    wrapper = [sys.executable, "-c", WRAPPER, str(cmd.stdout), *cmd.argv]
    done = subprocess.run(wrapper, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise BenchmarkError(f"wrapper failed for {cmd.argv}: {done.stderr}")
    reported = json.loads(done.stdout)
    if reported["rc"] != 0:
        raise BenchmarkError(
            f"{LABELS[cmd.key]} exited {reported['rc']}: {' '.join(cmd.argv)}\n{reported['stderr']}"
        )
    problem = output_problem(cmd) if check_output else None
    if problem:
        raise BenchmarkError(f"{LABELS[cmd.key]}: {problem}: {' '.join(cmd.argv)}")
    return Sample(wall=reported["wall"], rss_mb=reported["rss_kb"] / 1024)


def measure_alternating(commands: Sequence[Command], runs: int) -> dict[str, list[Sample]]:
    """`runs` runs of each command, the order rotated each run so that noise hits all alike.
    Outputs are checked on the first run of each command."""
    samples: dict[str, list[Sample]] = {cmd.key: [] for cmd in commands}
    for i in range(runs):
        shift = i % len(commands)
        for cmd in [*commands[shift:], *commands[:shift]]:
            samples[cmd.key].append(measure(cmd, check_output=i == 0))
    return samples


def median_wall(samples: list[Sample]) -> float:
    return statistics.median(s.wall for s in samples)


def peak_rss(samples: list[Sample]) -> float:
    return max(s.rss_mb for s in samples)


# --- report ----------------------------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def os_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text(encoding="utf-8").splitlines():
            if line.startswith("PRETTY_NAME="):
                return f"{line.split('=', 1)[1].strip(chr(34))}, kernel {platform.release()}"
    except OSError:
        pass
    return platform.platform()


def machine() -> str:
    return (
        f"{cpu_model()} ({platform.machine()}), {os.cpu_count()} logical cores, "
        f"Python {platform.python_version()}, {os_name()}"
    )


def by_size(results: Sequence[SizeResult], n: int) -> SizeResult | None:
    return next((r for r in results if r.size == n), None)


def _check(name: str, value: float | None, limit: float, shown: str) -> Target:
    """`value` ≤ `limit`, or not measured when `value` is None; `shown` formats the value."""
    if value is None:
        return Target(name, "not measured", None)
    return Target(name, shown.format(value), value <= limit)


def targets(
    results: Sequence[SizeResult], xlsx: float | None, single: float | None
) -> list[Target]:
    ten, large = by_size(results, 10_000), by_size(results, LARGE)
    growth = large.per_commune_us / ten.per_commune_us if ten and large else None
    return [
        _check("10k CLI ≤ 0.8 s wall", ten.cli if ten else None, 0.8, "{:.2f} s"),
        _check("10k CLI ≤ 4× bare parse", ten.ratio if ten else None, 4, "{:.1f}×"),
        _check("10k peak RSS ≤ 250 MB", ten.rss_mb if ten else None, 250, "{:.0f} MB"),
        _check("100k time per commune ≤ 1.3× 10k's", growth, 1.3, "{:.2f}× 10k's"),
        _check("100k peak RSS ≤ 1.5 GB", large.rss_mb if large else None, 1536, "{:.0f} MB"),
        _check("single commune cold ≤ 250 ms", single, 0.25, "{:.3f} s"),
        _check("10k CLI + XLSX ≤ 5 s", xlsx, 5, "{:.2f} s"),
        _check(GATE, ten.ratio if ten else None, GATE_RATIO, "{:.1f}×"),
    ]


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "**FAIL**")


def results_table(results: Sequence[SizeResult]) -> list[str]:
    lines = [
        "| communes | runs | bare parse | reader | CLI | CLI / bare | peak RSS (CLI) "
        "| CLI per commune |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.size:,} | {r.runs} | {r.bare:.3f} s | {r.reader:.3f} s | {r.cli:.3f} s "
            f"| {r.ratio:.1f}× | {r.rss_mb:.0f} MB | {r.per_commune_us:.0f} µs |"
        )
    return lines


def report(
    results: Sequence[SizeResult],
    extras: Extras,
    found: Sequence[Target],
    runs: int,
    large_runs: int,
) -> str:
    fewer = (
        f" Sizes of {LARGE:,} communes or more: median of {large_runs} runs instead."
        if large_runs != runs and any(r.size >= LARGE for r in results)
        else ""
    )
    plural = "" if runs == 1 else "s"
    lines = [
        "# Benchmark results",
        "",
        f"Date: {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        "",
        f"Machine: {machine()}.",
        "",
        f"Medians of {runs} alternating run{plural} on a shared machine (the measured commands "
        f"rotated run by run so that noise hits all of them alike).{fewer} Each run is a fresh "
        "process, Python start-up included; wall time is taken around the command by a small "
        "wrapper process, peak RSS is the command's `ru_maxrss` (largest of the runs). Synthetic "
        "province from `benchmarks/generate_province.py`; provinces of more than "
        f"{PART_ROWS:,} communes are split into files of {PART_ROWS:,} (the reader refuses "
        "files over 20 MB) and every command reads all of them. The package's bytecode is "
        "compiled first, as `pip install .` does. Produced by `python benchmarks/run.py`.",
        "",
        "Commands (`ntm-check` run as `python -m ntm_rules`):",
        "",
        '- bare parse: `python -c "import csv; rows = list(csv.DictReader(open(path, '
        "encoding='utf-8-sig', newline='')))\"` (rows of every file appended)",
        '- reader: `python -c "from ntm_rules import read_communes; read_communes(paths)"`',
        "- CLI: `ntm-check batch FILE.csv... --from ntm-2016-2020 --to ntm-2021-2025 --format json "
        "> benchmarks/out/cli-N.json`",
        "- CLI + XLSX: the same with `--xlsx benchmarks/out/results-10000.xlsx --force`",
        "- single commune: `ntm-check examples/kon-tum/po-e.yaml`",
        "",
        *results_table(results),
        "",
    ]
    if extras.xlsx is not None:
        lines.append(f"CLI + XLSX, {extras.xlsx[0]:,} communes: {extras.xlsx[1]:.2f} s.")
    if extras.single is not None:
        lines.append(f"Single commune, cold (start-up included): {extras.single * 1000:.0f} ms.")
    lines += ["", "## Targets", "", "| target | measured | result |", "|---|---:|---|"]
    lines += [f"| {t.name} | {t.measured} | {_verdict(t.ok)} |" for t in found]
    return "\n".join(lines) + "\n"


# --- main ------------------------------------------------------------------------------------


def _sizes(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from None


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=list(DEFAULT_SIZES),
        help="comma-separated numbers of communes (default: 1000,10000,100000)",
    )
    parser.add_argument("--runs", type=int, default=5, help="runs per command (default: 5)")
    parser.add_argument(
        "--large-runs",
        type=int,
        default=None,
        help=f"runs for sizes of {LARGE:,} communes or more (default: --runs)",
    )
    parser.add_argument(
        "--gate", action="store_true", help="exit 1 if the renovation gate (10k) fails"
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help=f"{SMOKE_SIZE} communes, 1 run, everything in a temp dir; RESULTS.md untouched",
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.sizes, args.runs, args.large_runs = [SMOKE_SIZE], 1, 1
    args.large_runs = args.large_runs or args.runs
    if args.runs < 1 or args.large_runs < 1 or not args.sizes or min(args.sizes) < 1:
        parser.error("runs and sizes must be at least 1")
    if args.gate and 10_000 not in args.sizes:
        parser.error("--gate needs the 10000 size")
    return args


def run_size(
    n: int, out_dir: Path, header: bytes | None, runs: int, xlsx_size: int
) -> tuple[SizeResult, float | None]:
    files = province_files(n, out_dir, header)
    samples = measure_alternating(size_commands(n, files, out_dir, xlsx_size), runs)
    result = SizeResult(
        size=n,
        runs=runs,
        bare=median_wall(samples["bare"]),
        reader=median_wall(samples["reader"]),
        cli=median_wall(samples["cli"]),
        rss_mb=peak_rss(samples["cli"]),
    )
    xlsx = median_wall(samples["xlsx"]) if "xlsx" in samples else None
    print(
        f"{n:>7,} communes: bare parse {result.bare:.3f} s | reader {result.reader:.3f} s "
        f"| CLI {result.cli:.3f} s ({result.ratio:.1f}× bare) | peak RSS {result.rss_mb:.0f} MB"
        + (f" | CLI + XLSX {xlsx:.2f} s" if xlsx is not None else ""),
        flush=True,
    )
    return result, xlsx


def compile_package() -> None:
    """Byte-compile the installed package once, as `pip install .` does at install time: an
    editable install under PYTHONDONTWRITEBYTECODE would otherwise recompile every module of the
    package at every start, and measure that instead of the program."""
    where = "import ntm_rules, pathlib; print(pathlib.Path(ntm_rules.__file__).parent)"
    package = subprocess.run(
        [sys.executable, "-c", where], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.strip()
    subprocess.run([sys.executable, "-m", "compileall", "-q", package], check=True, cwd=ROOT)


def benchmark(args: argparse.Namespace, out_dir: Path) -> tuple[list[SizeResult], Extras]:
    compile_package()
    header = None if args.smoke else current_header()
    xlsx_size = SMOKE_SIZE if args.smoke else XLSX_SIZE
    results: list[SizeResult] = []
    xlsx: tuple[int, float] | None = None
    for n in sorted(set(args.sizes)):
        runs = args.large_runs if n >= LARGE else args.runs
        result, xlsx_wall = run_size(n, out_dir, header, runs, xlsx_size)
        results.append(result)
        if xlsx_wall is not None:
            xlsx = (n, xlsx_wall)
    single = median_wall(measure_alternating([single_command(out_dir)], args.runs)["single"])
    print(f"single commune, cold: {single * 1000:.0f} ms", flush=True)
    return results, Extras(xlsx=xlsx, single=single)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ntm-bench-") as tmp:
        out_dir = Path(tmp) if args.smoke else OUT
        out_dir.mkdir(parents=True, exist_ok=True)
        try:
            results, extras = benchmark(args, out_dir)
        except (BenchmarkError, subprocess.CalledProcessError) as exc:
            print(f"benchmark failed: {exc}", file=sys.stderr)
            return 1
        ten_xlsx = extras.xlsx[1] if extras.xlsx and extras.xlsx[0] == XLSX_SIZE else None
        found = targets(results, ten_xlsx, extras.single)
        text = report(results, extras, found, args.runs, args.large_runs)
        destination = out_dir / "RESULTS.md" if args.smoke else RESULTS
        destination.write_text(text, encoding="utf-8")
        print()
        print(text)
        print(f"written to {destination}" + (" (temporary)" if args.smoke else ""))
    gate = next(t for t in found if t.name == GATE)
    if args.gate and not gate.ok:
        print("renovation gate failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
