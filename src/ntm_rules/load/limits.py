"""What one input file may hold, so that no file can take unbounded memory or time. Each limit
can be raised for a genuinely larger province with an environment variable:

* ``NTM_RULES_MAX_ROWS`` (default 200,000): data rows of one table — the whole country is
  3,321 communes since 2025, 8,227 before;
* ``NTM_RULES_MAX_COLUMNS`` (default 2,000): columns of one table (the measures are ~100);
* ``NTM_RULES_MAX_XLSX_MB`` (default 200): the uncompressed size of an .xlsx (a zip bomb of a
  few MB can hold gigabytes);
* the file size itself is capped at 20 MB (:data:`ntm_rules.load.source.MAX_BYTES`).
"""

from __future__ import annotations

import os

HEADER_ISSUES = 50  # header problems listed before "… and N more"


def _limit(name: str, default: int) -> int:
    try:
        value = int(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


def max_rows() -> int:
    return _limit("NTM_RULES_MAX_ROWS", 200_000)


def max_columns() -> int:
    return _limit("NTM_RULES_MAX_COLUMNS", 2_000)


def max_xlsx_bytes() -> int:
    return _limit("NTM_RULES_MAX_XLSX_MB", 200) * 1024 * 1024
