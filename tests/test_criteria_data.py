"""The shipped criteria data: loads cleanly, counts, provenance rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from ntm_rules import Catalog, InvalidFileError
from ntm_rules.load.catalog import default_criteria_dir
from ntm_rules.load.validate import validate_files

CRITERIA = default_criteria_dir()
FILES = sorted(CRITERIA.glob("*.yaml")) + sorted((CRITERIA / "overlays").glob("*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_shipped_file_validates_with_zero_issues(path: Path, catalog: Catalog):
    report = validate_files([path], catalog)
    assert report.ok, [str(i) for f in report.files for i in f.issues]
    assert not report.files[0].issues


def test_national_sets_have_19_criteria(catalog):
    for set_id in ("ntm-2016-2020", "ntm-2021-2025"):
        s = catalog.load(set_id)
        assert [c.id for c in s.criteria] == [str(n) for n in range(1, 20)]


def test_indicator_counts(catalog):
    old = catalog.load("ntm-2016-2020")
    new = catalog.load("ntm-2021-2025")
    assert len(old.indicators) == 49  # as the sources state
    # The sources say 8 more (57). The labour criterion's layout is inferred from that count
    # (12.1 and 12.2 carry a `doubt`); the README lists the doubtful indicators.
    assert len(new.indicators) == 57
    assert {"12.1", "12.2"} <= {i.id for i in new.indicators if i.doubt}


def test_every_cell_has_a_source_and_reconstructions_are_unverified(catalog):
    for s in catalog.all_sets():
        for ind in s.indicators:
            for check in ind.checks:
                for cell in check.threshold.cells():
                    assert cell.source.citation, (s.id, ind.id)
                    if cell.source.kind == "reconstruction":
                        assert cell.verified is False, (s.id, ind.id)


def test_verified_values_from_the_references(catalog):
    old = catalog.load("ntm-2016-2020")
    income = old.indicator("10").checks[0].threshold
    levels = {"TDMNPB": 36, "DBSH": 50, "BTB": 36, "DHNTB": 41, "TN": 41, "DNB": 59, "DBSCL": 50}
    for region, level in levels.items():
        cell = income.resolve(region, 2020).cell
        assert cell is not None and cell.value == level and cell.verified
    for year in (2016, 2017, 2018, 2019):
        cell = income.resolve("TN", year).cell
        assert cell is not None and cell.value is None  # gap, never invented


def test_2021_2025_income_only_tdmnpb_2022_is_known(catalog):
    income = catalog.load("ntm-2021-2025").indicator("10").checks[0].threshold
    known = [
        (year, region)
        for year, values in income.by_year
        for region, cell in values.by_region.items()
        if cell.value is not None
    ]
    assert known == [(2022, "TDMNPB")]
    cell = income.resolve("TDMNPB", 2022).cell
    assert cell is not None and cell.value == 39 and cell.verified is False


def test_overlay_records_origin_and_keeps_base_values(catalog):
    bp = catalog.load("binh-phuoc-2022")
    assert bp.overlay is not None and bp.overlay.partial is True
    assert bp.base_id == "ntm-2021-2025"
    cell = bp.indicator("2.2").checks[0].threshold.resolve("TDMNPB", 2022).cell
    assert cell is not None and cell.value == 80 and cell.origin == "binh-phuoc-2022"
    assert cell.verified is True
    base_cell = bp.indicator("1.1").checks[0].threshold.resolve("DNB", 2022).cell
    assert base_cell is not None and base_cell.origin == "ntm-2021-2025"
    income = bp.indicator("10").checks[0].threshold.resolve("TDMNPB", 2022).cell
    assert income is not None and income.value == 39 and income.origin == "binh-phuoc-2022"


def test_catalog_finds_sets_by_path_and_id(catalog):
    by_path = catalog.load(CRITERIA / "ntm-2016-2020.yaml")
    assert by_path.id == "ntm-2016-2020"
    assert set(catalog.ids()) >= {"ntm-2016-2020", "ntm-2021-2025", "binh-phuoc-2022"}


def test_criteria_dir_option(criteria_copy):
    (criteria_copy / "overlays" / "binh-phuoc-2022.yaml").unlink()
    assert "binh-phuoc-2022" not in Catalog(criteria_copy).ids()


@pytest.mark.parametrize(
    ("old_line", "new_line", "message"),
    [
        ('continues: "14.3"', 'continues: "14.9"', "continues '14.9', which ntm-2016-2020"),
        ('continues: "17.7"', 'continues: "14.3"', "both continue 14.3 of ntm-2016-2020"),
    ],
)
def test_a_wrong_continues_is_a_located_error(criteria_copy, old_line, new_line, message):
    path = criteria_copy / "ntm-2021-2025.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old_line) == 1
    path.write_text(text.replace(old_line, new_line), encoding="utf-8")
    with pytest.raises(InvalidFileError) as caught:
        Catalog(criteria_copy).load("ntm-2021-2025")
    (issue,) = caught.value.issues
    assert issue.code == "bad-continues" and message in issue.message
    assert issue.location.file.endswith("ntm-2021-2025.yaml") and issue.location.line > 500
