"""The compiled catalog cache: the same sets as parsing the YAML, a miss whenever a file
changes, and a damaged or foreign cache file is ignored."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import ntm_rules.load.catalog as catalog_module
from ntm_rules import Catalog
from ntm_rules.load import compiled


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("NTM_RULES_CACHE", str(folder))
    return folder


def _parse_forbidden(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the YAML was parsed although the cache should have been used")

    monkeypatch.setattr(catalog_module, "read_yaml", refuse)
    monkeypatch.setattr(catalog_module, "load_measures", refuse)


def test_a_second_catalog_reads_the_cache_and_gets_the_same_sets(
    cache: Path, criteria_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = Catalog(criteria_copy).all_sets()
    assert len(list(cache.glob("catalog-*.pickle"))) == 1
    _parse_forbidden(monkeypatch)
    again = Catalog(criteria_copy)
    from_cache = again.all_sets()
    assert from_cache == parsed
    assert [s.required_sets for s in from_cache] == [s.required_sets for s in parsed]
    assert again.measures.keys() == Catalog(criteria_copy).measures.keys()
    assert again.programme.below_criteria == 15


def test_a_changed_file_is_a_miss(cache: Path, criteria_copy: Path) -> None:
    Catalog(criteria_copy).all_sets()
    path = criteria_copy / "ntm-2021-2025.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("kind: criteria-set", "kind: criteria-set\n# edited"), "utf-8")
    assert compiled.read(criteria_copy) is None
    Catalog(criteria_copy).all_sets()
    assert len(list(cache.glob("catalog-*.pickle"))) == 2


def test_a_damaged_cache_is_ignored(cache: Path, criteria_copy: Path) -> None:
    first = Catalog(criteria_copy)
    first.all_sets()
    expected = first.load("ntm-2021-2025")
    (found,) = cache.glob("catalog-*.pickle")
    found.write_bytes(b"\x80\x04not a pickle at all")
    assert compiled.read(criteria_copy) is None
    assert Catalog(criteria_copy).load("ntm-2021-2025") == expected
    found.write_bytes(b"")
    assert Catalog(criteria_copy).load("ntm-2021-2025") == expected


def test_a_directory_with_errors_is_never_cached(cache: Path, criteria_copy: Path) -> None:
    path = criteria_copy / "ntm-2021-2025.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: ntm-2021-2025", "id: 7"), "utf-8")
    with pytest.raises(Exception):  # noqa: B017 - any located error
        Catalog(criteria_copy).all_sets()
    assert not list(cache.glob("catalog-*.pickle")) if cache.exists() else True


def test_cache_off(tmp_path: Path, criteria_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NTM_RULES_CACHE", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    Catalog(criteria_copy).all_sets()
    assert not (tmp_path / "xdg").exists()
    assert compiled.cache_dir() is None
    assert os.environ["NTM_RULES_CACHE"] == "off"
