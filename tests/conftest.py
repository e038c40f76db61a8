from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ntm_rules import Catalog, Commune
from ntm_rules.load.catalog import default_criteria_dir

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog()


def make_commune(
    measures: dict[str, Any] | None = None,
    *,
    region: str = "TN",
    year: int = 2020,
    categories: tuple[str, ...] = (),
    recognition: dict[str, Any] | None = None,
    recognized: Any = None,
    name: str = "Test",
) -> Commune:
    return Commune(
        name=name,
        year=year,
        region=region,
        region_basis="file",
        region_verified=True,
        measures=dict(measures or {}),
        categories=categories,
        recognition=dict(recognition or {}),
        recognized=recognized,
    )


@pytest.fixture
def commune_factory() -> Callable[..., Commune]:
    return make_commune


@pytest.fixture
def criteria_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped criteria directory."""
    target = tmp_path / "criteria"
    shutil.copytree(default_criteria_dir(), target)
    return target


def pytest_configure(config: pytest.Config) -> None:
    """The compiled-catalog cache of the test run lives in a temporary directory, never in the
    user's home (subprocesses inherit it)."""
    import os
    import tempfile

    os.environ["NTM_RULES_CACHE"] = tempfile.mkdtemp(prefix="ntm-rules-cache-")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite tests/golden/*.txt from the current output (then review the diff).",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))
