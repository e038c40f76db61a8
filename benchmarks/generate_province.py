"""Generate a synthetic province as a CSV file, one row per commune (deterministic).

Values are drawn around the thresholds of the shipped national sets so that communes pass, fail
and miss data in realistic proportions. The data are synthetic: for benchmarks and tests only.

    python benchmarks/generate_province.py 10000 out/province-10000.csv
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path
from typing import Any

from ntm_rules import Catalog

REGION_CODES = ("TDMNPB", "DBSH", "BTB", "DHNTB", "TN", "DNB", "DBSCL")

IDENTITY = [
    "name",
    "province",
    "district",
    "region",
    "year",
    "categories",
    "recognized_set",
    "recognized_year",
]


def _targets(catalog: Catalog) -> dict[str, tuple[str, float]]:
    """measure -> (operator, the strictest known threshold across the national sets)."""
    out: dict[str, tuple[str, float]] = {}
    for set_id in ("ntm-2016-2020", "ntm-2021-2025"):
        s = catalog.load(set_id)
        for ind in [*s.indicators, *s.recognition]:
            for check in ind.checks:
                values = [
                    c.value
                    for c in check.threshold.cells()
                    if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)
                ]
                if check.operator in (">=", ">") and values:
                    best = max(values)
                elif check.operator in ("<=", "<") and values:
                    best = min(values)
                else:
                    best = 0.0
                prev = out.get(check.measure)
                if prev is None or (check.operator in (">=", ">") and best > prev[1]):
                    out[check.measure] = (check.operator, best)
    return out


def generate(n: int, path: Path, seed: int = 2024) -> None:
    catalog = Catalog()
    rng = random.Random(seed)
    targets = _targets(catalog)
    measures = sorted(targets)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(IDENTITY + measures)
        for i in range(n):
            region = rng.choice(REGION_CODES)
            categories = rng.choice(["", "", "", "dbkk;poor_district", "atk"])
            recognized = rng.random() < 0.45
            row: list[Any] = [
                f"Xã {i:05d}",
                "Tỉnh mẫu",
                f"Huyện {i % 40:02d}",
                region,
                rng.choice([2020, 2022, 2023, 2024]),
                categories,
                "ntm-2016-2020" if recognized else "",
                rng.choice([2018, 2019, 2020]) if recognized else "",
            ]
            strong = rng.random() < (0.7 if recognized else 0.3)
            for m in measures:
                op, thr = targets[m]
                if rng.random() < 0.02:
                    row.append("")
                    continue
                kind = catalog.measures[m].type
                if kind == "boolean":
                    row.append("có" if (strong or rng.random() < 0.8) else "không")
                    continue
                if op in ("<=", "<"):
                    value = thr * rng.uniform(0.3, 1.0 if strong else 1.4)
                else:
                    value = thr * rng.uniform(0.97 if strong else 0.75, 1.2)
                high = catalog.measures[m].max
                if high is not None:
                    value = min(value, high)
                if kind == "count":
                    row.append(str(round(value)))
                else:
                    row.append(
                        f"{value:.1f}".replace(".", ",") if rng.random() < 0.3 else f"{value:.1f}"
                    )
            writer.writerow(row)


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"out/province-{count}.csv")
    generate(count, target)
    print(target)
