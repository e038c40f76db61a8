"""The library as an analyst uses it: communes built from mappings read values as a file is
read, a commune built in code with text for a number gets a clear error, and the result
classes document every field (``help(ntm_rules.Evaluation)``)."""

from __future__ import annotations

import dataclasses

import pytest

import ntm_rules
from ntm_rules import Catalog, Commune
from ntm_rules.errors import InvalidFileError, NtmRulesError
from ntm_rules.model import results

MAPPING = {
    "name": "Thử",
    "year": 2024,
    "province": "Kon Tum",
    "measures": {
        "income_per_capita": "27,3",
        "commune_roads_paved_pct": "85%",
        "postal_point": "có",
    },
}


def test_commune_from_mapping_reads_values_as_a_file_would(catalog: Catalog) -> None:
    c = ntm_rules.commune_from_mapping(MAPPING, catalog)
    assert c.value("income_per_capita") == 27.3 and c.value("commune_roads_paved_pct") == 85
    assert c.value("postal_point") is True and c.region == "TN" and c.region_basis == "province"
    ev = ntm_rules.evaluate(c, catalog.load("ntm-2021-2025"))
    assert str(ev.verdict) in ("not_certified", "indeterminate")


def test_commune_from_mapping_locates_every_problem(catalog: Catalog) -> None:
    bad = {**MAPPING, "year": "soon", "measures": {"income_per_capitaa": 3, "postal_point": "?"}}
    with pytest.raises(InvalidFileError) as info:
        ntm_rules.commune_from_mapping(bad, catalog, origin="row 7")
    codes = sorted(i.code for i in info.value.issues)
    assert codes == ["unknown-measure", "wrong-type", "wrong-type"]
    assert all(i.location.file == "row 7" for i in info.value.issues)


def test_a_years_block_needs_communes_from_mapping(catalog: Catalog) -> None:
    several = {k: v for k, v in MAPPING.items() if k not in ("year", "measures")}
    several["years"] = {2023: {"income_per_capita": 30}, 2024: {"income_per_capita": "33,5"}}
    found = ntm_rules.communes_from_mapping(several, catalog)
    assert [(c.year, c.value("income_per_capita")) for c in found] == [(2023, 30), (2024, 33.5)]
    with pytest.raises(NtmRulesError, match="2 data years"):
        ntm_rules.commune_from_mapping(several, catalog)


def test_text_for_a_number_in_code_is_a_clear_error(catalog: Catalog) -> None:
    c = Commune("A", 2024, "TN", "file", True, {"income_per_capita": "27,3"})
    with pytest.raises(NtmRulesError, match=r"'income_per_capita' holds '27,3' \(str\)"):
        ntm_rules.evaluate(c, catalog.load("ntm-2021-2025"))


@pytest.mark.parametrize(
    "cls",
    [
        results.CheckResult,
        results.IndicatorResult,
        results.CriterionResult,
        results.Evaluation,
        results.Transition,
        results.CommuneReport,
    ],
)
def test_result_classes_document_every_field(cls: type) -> None:
    doc = cls.__doc__ or ""
    missing = [f.name for f in dataclasses.fields(cls) if f.name not in doc]
    assert not missing, missing
