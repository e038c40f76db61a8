"""Merging communes: every combine rule to the exact value, missing values located, the
recognition path, a province mapping table, and the merged commune written, read back and scored.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

import ntm_rules
from ntm_rules import Catalog, Commune, Recognized
from ntm_rules.load.merge import merge_communes, merge_table, merged_yaml, read_mapping
from ntm_rules.model.merge import MergeError, compare_merge
from ntm_rules.model.results import Verdict
from ntm_rules.model.vocab import Combine, Measure, Measures
from ntm_rules.words import Text

from .helpers import RECOGNITION_OK, passing_measures

IDENTITY = {"province": "Kon Tum", "district": "Kon Plông", "region": "TN"}

# Three parts. Counts of each part: population 1000 / 3000 / 1000, households 250 / 700 / 50.
A = {
    "population": 1000,
    "households": 250,
    "income_per_capita": 40,
    "clean_water_pct": 80,
    "temporary_houses": 2,
    "school_count": 3,
    "schools_standard_pct": 100,
    "commune_roads_km": 10.5,
    "commune_roads_paved_pct": 100,
    "power_system_standard": True,
    "commune_cultural_house": True,
    "rural_market": False,
    "postal_point": True,
    "telecom_internet": True,
    "disaster_prevention_score": 70,
    "children_under5": 100,
    "stunting_under5_pct": 20,
    "livestock_households": 100,
    "hygienic_livestock_pens_pct": 50,
    "health_insurance_pct": 90,
}
B = {
    "population": 3000,
    "households": 700,
    "income_per_capita": 50,
    "clean_water_pct": 60,
    "temporary_houses": 5,
    "school_count": 2,
    "schools_standard_pct": 50,
    "commune_roads_km": 4.5,
    "commune_roads_paved_pct": 80,
    "power_system_standard": False,
    "commune_cultural_house": False,
    "rural_market": False,
    "postal_point": False,
    # telecom_internet: no value
    "disaster_prevention_score": 60,
    "children_under5": 300,
    "stunting_under5_pct": 30,
    "livestock_households": 300,
    "hygienic_livestock_pens_pct": 70,
    "health_insurance_pct": 95,
}
C = {
    "population": 1000,
    "households": 50,
    "income_per_capita": 35,
    "clean_water_pct": 90,
    "temporary_houses": 0,
    "school_count": 1,
    "schools_standard_pct": 0,
    "commune_roads_km": 5,
    "commune_roads_paved_pct": 70,
    "power_system_standard": True,
    "commune_cultural_house": False,
    "rural_market": False,
    # postal_point: no value
    "telecom_internet": True,
    "disaster_prevention_score": 80,
    # children_under5: no value (the denominator of stunting_under5_pct)
    "stunting_under5_pct": 10,
    "livestock_households": 0,  # no livestock: its pens share is empty and weighs nothing
    # health_insurance_pct: no value
}
RECOGNITION = {"no_outstanding_debt": True, "security_safe": True}


def write_commune(path: Path, name: str, measures: dict[str, Any], **extra: Any) -> Path:
    data = {"name": name, "year": 2024, **IDENTITY, **extra, "measures": measures}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def parts(tmp_path: Path, catalog: Catalog) -> list[Commune]:
    files = [
        write_commune(tmp_path / "a.yaml", "Xã An", A, code="001", recognition=RECOGNITION),
        write_commune(
            tmp_path / "b.yaml", "Xã Bình", B, recognition=RECOGNITION, categories=["dbkk"]
        ),
        write_commune(tmp_path / "c.yaml", "Xã Cường", C, recognition=RECOGNITION),
    ]
    return list(ntm_rules.read_communes(files, catalog).communes)


@pytest.fixture
def merged(parts: list[Commune], catalog: Catalog) -> Any:
    return merge_communes(parts, "Xã Thanh Nưa", catalog.measures)


def test_sum_adds_counts_and_lengths(merged: Any) -> None:
    values = merged.commune.measures
    assert values["population"] == 5000  # 1000 + 3000 + 1000
    assert values["households"] == 1000  # 250 + 700 + 50
    assert values["temporary_houses"] == 7  # 2 + 5 + 0
    assert values["school_count"] == 6  # 3 + 2 + 1
    assert values["commune_roads_km"] == 20.0  # 10.5 + 4.5 + 5
    assert isinstance(values["population"], int)
    assert merged.derivation("population").reason == "merge_how_sum"


def test_weighted_means_use_each_measures_own_weight(merged: Any) -> None:
    values = merged.commune.measures
    # income by population: (40*1000 + 50*3000 + 35*1000) / 5000 = 225000 / 5000 = 45
    assert values["income_per_capita"] == 45.0
    # clean water by households: (80*250 + 60*700 + 90*50) / 1000 = 66500 / 1000 = 66.5
    assert values["clean_water_pct"] == 66.5
    # schools by school count: (100*3 + 50*2 + 0*1) / 6 = 400 / 6 = 66.666…
    assert values["schools_standard_pct"] == round(400 / 6, 10)
    # paved roads by km: (100*10.5 + 80*4.5 + 70*5) / 20 = 1760 / 20 = 88
    assert values["commune_roads_paved_pct"] == 88.0
    income = merged.derivation("income_per_capita")
    assert (income.rule, income.weight) == ("weighted", "population")
    assert income.inputs == (40, 50, 35) and income.weights == (1000, 3000, 1000)
    # livestock pens by livestock households: Cường has none (weight 0, no value): left out;
    # (50*100 + 70*300) / 400 = 26000 / 400 = 65
    pens = merged.derivation("hygienic_livestock_pens_pct")
    assert pens.value == 65.0 and [p.name for p in pens.left_out] == ["Xã Cường"]
    assert "Xã Cường" in pens.text("en") and "left out" in pens.text("en")


def test_yes_no_rules_all_and_any(merged: Any) -> None:
    values = merged.commune.measures
    power = merged.derivation("power_system_standard")  # all: Bình is false
    assert power.value is False and [p.name for p in power.parts] == ["Xã Bình"]
    house = merged.derivation("commune_cultural_house")  # any: An has one
    assert house.value is True and [p.name for p in house.parts] == ["Xã An"]
    assert values["rural_market"] is False  # any: false in every part
    assert merged.derivation("rural_market").reason == "merge_how_any_false"
    # any: An's true decides although Cường has no value
    assert values["postal_point"] is True
    # all: true in An and Cường, Bình has no value: missing, naming Bình
    telecom = merged.derivation("telecom_internet")
    assert telecom.missing and [p.name for p in telecom.parts] == ["Xã Bình"]
    assert "telecom_internet" not in values
    # recognition conditions stay recognition conditions
    assert merged.commune.recognition == {"no_outstanding_debt": True, "security_safe": True}
    assert merged.derivation("security_safe").reason == "merge_how_all_true"


def test_none_rule_leaves_the_value_missing_with_the_note(merged: Any) -> None:
    score = merged.derivation("disaster_prevention_score")
    assert score.rule == "none" and score.missing and score.reason == "merge_rule_none"
    assert score.inputs == (70, 60, 80)
    assert "appraised anew" in score.text("en")
    assert "disaster_prevention_score" not in merged.commune.measures


def test_a_missing_denominator_names_the_part_and_where_it_was_read(merged: Any) -> None:
    stunting = merged.derivation("stunting_under5_pct")
    assert stunting.missing and stunting.reason == "merge_no_weight"
    assert stunting.weight == "children_under5"
    (part,) = stunting.parts
    assert part.name == "Xã Cường" and part.where.endswith("c.yaml:1")
    text = stunting.text("en")
    assert "Xã Cường" in text and "c.yaml:1" in text and "never an unweighted mean" in text
    assert "stunting_under5_pct" not in merged.commune.measures
    # a share whose value (not weight) is missing in a part that weighs something
    insurance = merged.derivation("health_insurance_pct")
    assert insurance.reason == "merge_no_value" and [p.name for p in insurance.parts] == [
        "Xã Cường"
    ]


def test_min_max_no_rule_and_a_rule_that_does_not_fit(parts: list[Commune], catalog) -> None:
    unit = Text("đơn vị", "units")

    def measure(key: str, kind: str, combine: Combine | None) -> Measure:
        return Measure(key, kind, Text(key, key), "u", unit, 0, 100, combine)

    extra = {
        "lowest": measure("lowest", "number", Combine("min")),
        "highest": measure("highest", "number", Combine("max")),
        "plain": measure("plain", "number", None),
        "share_summed": measure("share_summed", "percent", Combine("sum")),
    }
    measures = Measures({**catalog.measures, **extra})
    values = [(3.5, 1.25, 2), (3.5, 1.25, 2), (1, 2, 3), (10, 20, 30)]
    more = [
        dataclasses.replace(
            c, measures={**c.measures, **{k: v[i] for k, v in zip(extra, values, strict=True)}}
        )
        for i, c in enumerate(parts)
    ]
    merged = merge_communes(more, "Xã Mới", measures)
    assert merged.commune.measures["lowest"] == 1.25  # min(3.5, 1.25, 2)
    assert merged.commune.measures["highest"] == 3.5  # max(3.5, 1.25, 2)
    assert merged.derivation("plain").reason == "merge_no_rule"
    assert merged.derivation("share_summed").reason == "merge_bad_rule"


def test_identity_of_the_merged_commune(merged: Any) -> None:
    commune = merged.commune
    assert (commune.name, commune.year, commune.region) == ("Xã Thanh Nưa", 2024, "TN")
    assert (commune.province, commune.district, commune.code) == ("Kon Tum", "Kon Plông", "")
    assert commune.categories == ()  # dbkk only in Bình: dropped, and said so
    assert any("dbkk" in n.en for n in merged.notes)
    assert commune.recognized is None
    assert [p.name for p in merged.parts] == ["Xã An", "Xã Bình", "Xã Cường"]
    assert merged.parts[0].code == "001"
    assert "Xã An, Xã Bình, Xã Cường" in commune.note
    missing = len(merged.missing)
    assert merged.summary("en").startswith(f"Xã Thanh Nưa: {len(merged.derivations) - missing} ")
    data = json.loads(json.dumps(merged.to_dict()))
    assert data["measures"]["income_per_capita"] == 45
    assert data["recognition_path"]["kind"] == "normal"


def _recognized(*tiers: str | None) -> list[Commune]:
    sets = {"standard": "ntm-2021-2025", "advanced": "ntm-advanced-2021-2025"}
    return [
        Commune(
            name=f"Xã {i}",
            year=2024,
            region="TN",
            region_basis="file",
            region_verified=True,
            measures={},
            recognized=Recognized(sets[tier], 2023, tier) if tier else None,
        )
        for i, tier in enumerate(tiers)
    ]


def test_recognition_path_all_recognised_is_a_confirmation_at_the_lowest_tier(catalog) -> None:
    path = merge_communes(_recognized("advanced", "advanced"), "X", catalog.measures).path
    assert (path.kind, path.tier) == ("confirmation", "advanced")
    path = merge_communes(_recognized("advanced", "standard"), "X", catalog.measures).path
    assert (path.kind, path.tier) == ("confirmation", "standard")
    assert "thừa nhận" in path.text("en") and "5424/BNN-VPĐP" in path.text("en")
    assert any("baohatinh.vn" in s.url for s in path.sources)


def test_recognition_path_mixed_parts_go_through_the_normal_procedure(catalog) -> None:
    merged = merge_communes(_recognized("standard", None, None), "X", catalog.measures)
    path = merged.path
    assert path.kind == "review" and path.tier == ""
    assert [p.name for p in path.recognised] == ["Xã 0"]
    assert [p.name for p in path.others] == ["Xã 1", "Xã 2"]
    assert "normal procedure" in path.text("en")
    assert {s.key for s in path.sources} >= {"5424/BNN-VPĐP", "18/2022/QĐ-TTg"}
    assert merge_communes(_recognized(None, None), "X", catalog.measures).path.kind == "normal"


def test_parts_of_different_years_or_regions_are_refused(parts, catalog) -> None:
    older = dataclasses.replace(parts[1], year=2023)
    with pytest.raises(MergeError, match=r"different data years .*Xã Bình \(.*b\.yaml:1\): 2023"):
        merge_communes([parts[0], older], "X", catalog.measures)
    with pytest.raises(MergeError, match="data year is 2024, not 2025"):
        merge_communes(parts, "X", catalog.measures, year=2025)
    elsewhere = dataclasses.replace(parts[2], region="DHNTB")
    with pytest.raises(MergeError, match=r"different regions .*Xã Cường .*DHNTB"):
        merge_communes([parts[0], elsewhere], "X", catalog.measures)
    stated = merge_communes([parts[0], elsewhere], "X", catalog.measures, region="DHNTB")
    assert stated.commune.region == "DHNTB" and "stated" in stated.notes[0].en
    with pytest.raises(MergeError, match="given twice"):
        merge_communes([parts[0], parts[0]], "X", catalog.measures)
    with pytest.raises(MergeError, match="no commune"):
        merge_communes([], "X", catalog.measures)


# --- the merged commune as a file ---------------------------------------------------------------


def test_the_written_file_reads_back_to_the_same_commune_and_score(
    merged: Any, tmp_path: Path, catalog: Catalog
) -> None:
    text = merged_yaml([merged], catalog.measures, "en")
    assert "# Parts:" in text and "c.yaml:1" in text
    assert "stunting_under5_pct:  # missing:" in text
    path = tmp_path / "merged.yaml"
    path.write_text(text, encoding="utf-8")
    (back,) = ntm_rules.read_communes(path, catalog).communes
    assert dict(back.measures) == dict(merged.commune.measures)
    assert dict(back.recognition) == dict(merged.commune.recognition)
    assert (back.name, back.year, back.region, back.province, back.categories) == (
        "Xã Thanh Nưa",
        2024,
        "TN",
        "Kon Tum",
        (),
    )
    assert back.note == merged.commune.note
    cset = catalog.load("ntm-2021-2025")
    before = ntm_rules.evaluate(merged.commune, cset, catalog)
    after = ntm_rules.evaluate(back, cset, catalog)
    assert after.indicator_statuses() == before.indicator_statuses()
    assert (after.verdict, after.criteria_met) == (before.verdict, before.criteria_met)


# --- a province: a mapping table, merged and compared -------------------------------------------

OLD = "ntm-2016-2020"


def _province(tmp_path: Path, catalog: Catalog) -> list[Commune]:
    passing = passing_measures(catalog.load(OLD))
    sizes = {"population": 2000, "households": 500}
    rows = []
    for name, code, extra in [
        ("Xã An", "001", {"multidimensional_poverty_pct": 0, "households": 100}),
        ("Xã Bình", "002", {"multidimensional_poverty_pct": 20, "households": 900}),
        ("Xã Cường", "003", {}),
        ("Xã Dũng", "004", {}),
        ("Xã Em", "005", {}),
    ]:
        rows.append(
            {
                "name": name,
                "code": code,
                "year": 2020,
                **IDENTITY,
                "recognized": {"set": OLD, "year": 2019},
                "recognition": dict(RECOGNITION_OK),
                "measures": {**passing, **sizes, **extra},
            }
        )
    rows[1].pop("recognized")  # Bình was never recognised
    path = tmp_path / "province.yaml"
    path.write_text(yaml.safe_dump({"communes": rows}, allow_unicode=True), encoding="utf-8")
    return list(ntm_rules.read_communes(path, catalog).communes)


def test_a_province_mapping_table_is_merged_compared_and_written(tmp_path, catalog) -> None:
    communes = _province(tmp_path, catalog)
    mapping = {"Xa An": "Xã Một", "Xã Bình": "Xã Một", "003": "Xã Hai", "Xã Dũng": "Xã Hai"}
    table = merge_table(communes, mapping, catalog.measures)
    one, two = table.merged
    assert [one.commune.name, two.commune.name] == ["Xã Một", "Xã Hai"]
    assert [p.name for p in one.parts] == ["Xã An", "Xã Bình"]
    assert [p.name for p in two.parts] == ["Xã Cường", "Xã Dũng"]
    assert [p.name for p in table.unmapped] == ["Xã Em"]
    # poverty by households: (0*100 + 20*900) / 1000 = 18
    assert one.commune.measures["multidimensional_poverty_pct"] == 18.0
    assert (one.path.kind, two.path.kind, two.path.tier) == ("review", "confirmation", "standard")

    cset = catalog.load(OLD)
    run = ntm_rules.assess_many(communes, catalog, [cset])
    before = {r.commune.name: r.evaluations[0] for r in run.reports}
    assert before["Xã An"].verdict == Verdict.CERTIFIED
    assert before["Xã Bình"].verdict == Verdict.NOT_CERTIFIED  # 20% poor households

    found = compare_merge(
        one,
        [before[p.name] for p in one.parts],
        ntm_rules.evaluate(one.commune, cset, catalog),
    )
    assert found.verdict == Verdict.NOT_CERTIFIED
    (lost,) = found.lost  # An was certified; Bình was not, so it has nothing to lose
    assert lost.part.name == "Xã An" and lost.definite and lost.recorded
    broken = {b.id: b for b in found.broken}
    assert [p.name for p in broken["11"].met_by] == ["Xã An"]  # poverty: 18% for the merged
    # officials are a new body after the merger (rule none): criterion 18 is left undecided
    assert "18" in {b.id for b in found.undecided}
    assert any("Xã An" in line and "certified before" in line for line in found.lines("en"))

    found = compare_merge(
        two,
        [before[p.name] for p in two.parts],
        ntm_rules.evaluate(two.commune, cset, catalog),
    )
    assert found.verdict == Verdict.INDETERMINATE and found.broken == ()
    assert [x.part.name for x in found.lost] == ["Xã Cường", "Xã Dũng"]
    assert not any(x.definite for x in found.lost)

    path = tmp_path / "merged.yaml"
    path.write_text(merged_yaml(table.merged, catalog.measures, "vi"), encoding="utf-8")
    back = ntm_rules.read_communes(path, catalog).communes
    assert [c.name for c in back] == ["Xã Một", "Xã Hai"]
    for merged, read in zip(table.merged, back, strict=True):
        assert dict(read.measures) == dict(merged.commune.measures)
        ours = ntm_rules.evaluate(merged.commune, cset, catalog)
        theirs = ntm_rules.evaluate(read, cset, catalog)
        assert (theirs.verdict, theirs.criteria_met) == (ours.verdict, ours.criteria_met)


def test_a_mapping_naming_no_commune_or_a_shared_name_is_refused(tmp_path, catalog) -> None:
    communes = _province(tmp_path, catalog)
    with pytest.raises(MergeError, match="'Xã Giang', which no commune"):
        merge_table(communes, {"Xã Giang": "Xã Một"}, catalog.measures)
    twins = [*communes, dataclasses.replace(communes[0], code="009", district="Khác")]
    with pytest.raises(MergeError, match="2 communes share"):
        merge_table(twins, {"Xã An": "Xã Một"}, catalog.measures)
    with pytest.raises(MergeError, match="named twice"):
        merge_table(communes, {"001": "Xã Một", "Xã An": "Xã Hai"}, catalog.measures)


def test_read_mapping_from_csv_and_yaml(tmp_path: Path) -> None:
    csv_path = tmp_path / "map.csv"
    csv_path.write_text("xã cũ,xã mới\nXã An,Xã Một\n003, Xã Hai\n\n", encoding="utf-8")
    assert read_mapping(csv_path) == {"Xã An": "Xã Một", "003": "Xã Hai"}
    yaml_path = tmp_path / "map.yaml"
    yaml_path.write_text('"Xã An": Xã Một\n"003": Xã Hai\n', encoding="utf-8")
    assert read_mapping(yaml_path) == {"Xã An": "Xã Một", "003": "Xã Hai"}
    csv_path.write_text("old,new\nXã An\n", encoding="utf-8")
    with pytest.raises(MergeError, match=r"map\.csv:2"):
        read_mapping(csv_path)


def test_every_shipped_measure_has_a_combine_rule(catalog: Catalog) -> None:
    measures = catalog.measures
    assert all(m.combine is not None for m in measures.values())
    for m in measures.values():
        assert m.combine is not None
        if m.combine.rule == "weighted":
            assert measures[m.combine.weight].type in ("count", "number"), m.key
            assert measures[m.combine.weight].combine.rule == "sum", m.key  # type: ignore[union-attr]
        if m.combine.rule == "none":
            assert m.combine.note is not None, m.key
    assert measures["income_per_capita"].combine.weight == "population"  # type: ignore[union-attr]


def test_merge_from_the_command_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from ntm_rules.cli import app

    out = tmp_path / "merged.yaml"
    parts = [f"examples/kon-tum/{n}.yaml" for n in ("po-e", "mang-canh", "hieu")]
    done = CliRunner().invoke(
        app, ["merge", *parts, "--name", "Xã Thử", "-o", str(out), "--set", "ntm-2021-2025"]
    )
    assert done.exit_code == 0, done.output
    assert "Xã Thử" in done.stderr and "Pờ Ê" in done.stderr
    assert CliRunner().invoke(app, ["check", str(out)]).exit_code == 0
    both = CliRunner().invoke(app, ["merge", *parts])
    assert both.exit_code == 2  # neither --name nor --table
