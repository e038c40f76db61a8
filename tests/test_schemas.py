"""The published JSON Schemas (src/ntm_rules/schemas/) are the contract of every JSON output.

What the library returns (`CommuneReport.to_dict()`, `ProvinceResult.to_dict()`,
`SetDiff.to_dict()`) and what `ntm-check ... --format json` prints must match them, for the
examples, for every pair of shipped sets and for generated communes (hypothesis); the schemas
must be tight (wrong enums, types, missing and unknown keys are refused); the reports of a
commune do not depend on the order of the keys in its file and are the same twice.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ntm_rules import (
    Commune,
    assess,
    assess_many,
    assess_tiers,
    diff,
    diff_sets,
    load_communes,
    read_communes,
    set_in_force,
)
from ntm_rules.province import score_province

from .hostile_inputs import (
    BOUNDED,
    CATALOG,
    INVALID,
    MEASURES,
    NEW,
    OLD,
    REGIONS,
    ROOT,
    SCHEMA_FILES,
    SCHEMAS,
    as_json,
    assert_valid,
    ntm_check,
    schema,
    schema_errors,
    validator,
)

EXAMPLES = sorted((ROOT / "examples").rglob("*.yaml"))
TABLES = (
    ROOT / "examples" / "province" / "communes.csv",
    ROOT / "examples" / "province" / "communes.xlsx",
)
ALL_SETS = tuple(CATALOG.all_sets())
REPORT, BATCH, DIFF = SCHEMA_FILES


@pytest.mark.parametrize("name", SCHEMA_FILES)
def test_schemas_are_draft_2020_12(name: str) -> None:
    data = schema(name)
    assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert data["type"] == "object" and data["required"]
    assert data["additionalProperties"] is False
    validator(name)  # check_schema


def test_schema_files_are_exactly_the_published_ones() -> None:
    assert sorted(p.name for p in SCHEMAS.glob("*.json")) == sorted(SCHEMA_FILES)


@pytest.fixture(scope="module")
def example_communes() -> list[Commune]:
    """Every example commune: YAML files, and the province table as CSV and as XLSX."""
    return [c for path in (*EXAMPLES, *TABLES) for c in load_communes(path, CATALOG)]


def _example(communes: list[Commune], file: str) -> Commune:
    """The first commune read from `file`."""
    return next(c for c in communes if Path(c.file).name == file)


def test_commune_reports_of_examples_match_schema(example_communes: list[Commune]) -> None:
    assert len(example_communes) > 50
    assert {c.source.table for c in example_communes if c.source} == {True, False}
    overlay = CATALOG.load("binh-phuoc-2022")
    model = CATALOG.load("ntm-model-2021-2025")
    for i, commune in enumerate(example_communes):
        reports = [
            assess(commune, [OLD, NEW], CATALOG),  # with a transition
            assess_tiers(commune, CATALOG),  # with tiers
        ]
        if i < 4 or commune.source is None or commune.source.table:
            reports += [
                assess(commune, [set_in_force(commune, CATALOG)], CATALOG),
                assess(commune, [overlay], CATALOG),
                assess(commune, [model], CATALOG),
            ]
        for report in reports:
            assert_valid(REPORT, as_json(report.to_dict()))
    assert_valid(REPORT, as_json(assess_many(example_communes, CATALOG).to_dict()), "many")


def test_cli_json_matches_schemas() -> None:
    """What the command prints (compact JSON, one line), not only what the library returns."""
    one = str(ROOT / "examples" / "loses-certification.yaml")
    run = ntm_check(one, "--format", "json", "--tiers")
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("\n") == 1, "the JSON is printed compact, on one line"
    printed = json.loads(run.stdout)
    assert_valid(REPORT, printed, "many")
    [report] = printed["reports"]
    assert report["tiers"] is not None and report["transition"] is None
    assert_valid(REPORT, report)

    run = ntm_check(
        one,
        str(ROOT / "examples" / "missing-data.yaml"),
        "--format",
        "json",
        "--set",
        "ntm-2016-2020",
        "--set",
        "ntm-2021-2025",
    )
    assert run.returncode == 0, run.stderr
    many = json.loads(run.stdout)
    required = set(schema(REPORT)["$defs"]["many"]["required"])
    assert set(many) == required == {"reports", "assumptions", "years"}
    assert_valid(REPORT, many, "many")
    assert [r["transition"]["outcome"] for r in many["reports"]] == ["lost", "indeterminate"]

    run = ntm_check("batch", str(INVALID / "table-percent-cells.csv"), "--format", "json")
    assert run.returncode == 0, run.stderr
    batch = json.loads(run.stdout)
    assert batch["row_errors"] and batch["results"]
    assert_valid(BATCH, batch)

    run = ntm_check("batch", str(TABLES[1]), "--tiers", "--format", "json")
    assert run.returncode == 0, run.stderr
    batch = json.loads(run.stdout)
    assert "tiers" in batch and all("highest_tier" in row for row in batch["results"])
    assert_valid(BATCH, batch)

    run = ntm_check("diff", "ntm-2016-2020", "ntm-2021-2025", "--format", "json")
    assert run.returncode == 0, run.stderr
    assert_valid(DIFF, json.loads(run.stdout))


def test_batch_of_examples_matches_schema(example_communes: list[Commune]) -> None:
    table = read_communes(INVALID / "table-percent-cells.csv", CATALOG, strict=False)
    assert table.errors and table.communes
    communes = [*example_communes, *table.communes]
    for sets in (
        [OLD, NEW],
        [NEW],
        [NEW, CATALOG.load("binh-phuoc-2022"), CATALOG.load("ntm-model-2021-2025")],
    ):
        data = score_province(communes, sets, MEASURES, row_errors=table.errors).to_dict()
        assert len(data["row_errors"]) == len(table.errors)
        assert_valid(BATCH, as_json(data))
    tiers = CATALOG.tier_chain(2025)
    data = score_province(communes, [OLD, NEW], MEASURES, tier_sets=tiers).to_dict()
    assert_valid(BATCH, as_json(data))


def test_every_set_diff_matches_schema() -> None:
    for old in ALL_SETS:
        for new in ALL_SETS:
            if old.id != new.id:
                assert_valid(DIFF, as_json(diff_sets(old, new).to_dict()))
                assert_valid(DIFF, as_json(diff(old, new, CATALOG, 2020, 2025).to_dict()))


def _refused(name: str, data: Any, breakages: list[Callable[[Any], object]], what: str) -> None:
    assert not schema_errors(name, data), schema_errors(name, data)
    for i, breakage in enumerate(breakages):
        broken = json.loads(json.dumps(data))
        breakage(broken)
        assert schema_errors(name, broken), f"{what}: breakage {i} was accepted"


def test_commune_report_schema_is_tight(example_communes: list[Commune]) -> None:
    """Wrong enums, types, missing and unknown keys are caught, not waved through."""
    commune = _example(example_communes, "loses-certification.yaml")
    report = as_json(assess(commune, [OLD, NEW], CATALOG).to_dict())
    assert report["transition"]["from_basis"] == "recorded_recognition"
    assert report["transition"]["culprits"]
    first = report["evaluations"][0]["criteria"][0]["indicators"][0]
    assert first["unit"] == {"vi": "", "en": ""}
    ind: Callable[[Any], Any] = lambda r: r["evaluations"][0]["criteria"][0]["indicators"][0]  # noqa: E731
    _refused(
        REPORT,
        report,
        [
            lambda r: r["evaluations"][0].update(verdict="maybe"),
            lambda r: r["evaluations"][0]["criteria"][0].update(status="passed"),
            lambda r: ind(r).update(value="85"),
            lambda r: ind(r).update(operator="=>"),
            lambda r: ind(r).update(unit="%"),  # units are {vi, en}
            lambda r: r["evaluations"][0].pop("criteria_met"),
            lambda r: r["evaluations"][0].update(extra=1),
            lambda r: r["transition"].update(outcome="won"),
            lambda r: r["transition"].update(recorded=None),  # the recognition it rests on
            lambda r: r["transition"].pop("from_evaluated"),
            lambda r: r["transition"]["culprits"][0].pop("operator"),
            lambda r: r["transition"]["culprits"][0].update(unit="%"),
            lambda r: r["transition"]["culprits"][0].update(from_indicator=13),
            lambda r: r["commune"].update(region="Tây Nguyên"),
            lambda r: r["commune"].update(file="x.yaml"),  # now `source`
            lambda r: r["commune"]["source"].update(line="13"),
            lambda r: r["commune"]["source"].update(cell="A13"),  # cell and sheet go together
            lambda r: r.update(highest_tier="standard"),  # tier keys live under `tiers`
            lambda r: r.update(tiers={"highest_tier": "standard"}),
            lambda r: r.pop("transition"),  # null, never absent
            lambda r: r.update(evaluations=[]),
        ],
        "report",
    )
    tiers = as_json(assess_tiers(commune, CATALOG).to_dict())
    _refused(
        REPORT,
        tiers,
        [
            lambda r: r["tiers"].update(next_tier="gold"),
            lambda r: r["tiers"].pop("next_tier_gaps"),
            lambda r: r["tiers"]["next_tier_gaps"][0]["indicators"][0].update(unit="%"),
        ],
        "tiers",
    )
    many = {"reports": [report, tiers], "assumptions": [], "years": []}
    assert not schema_errors(REPORT, many, "many")
    breakages: list[Callable[[Any], object]] = [
        lambda m: m.update(reports=[]),
        lambda m: m["reports"][1].pop("tiers"),
        lambda m: m.update(count=2),
    ]
    for i, breakage in enumerate(breakages):
        broken = json.loads(json.dumps(many))
        breakage(broken)
        assert schema_errors(REPORT, broken, "many"), f"many: breakage {i} was accepted"


def test_batch_schema_is_tight(example_communes: list[Commune]) -> None:
    table = _example(example_communes, "communes.csv")
    lost = _example(example_communes, "loses-certification.yaml")
    inputs = read_communes(INVALID / "table-percent-cells.csv", CATALOG, strict=False)
    batch = as_json(
        score_province([lost, table], [OLD, NEW], MEASURES, row_errors=inputs.errors).to_dict()
    )
    assert batch["lost"] and batch["row_errors"]
    assert batch["results"][1]["source"]["cell"]  # a spreadsheet row
    _refused(
        BATCH,
        batch,
        [
            lambda b: b.pop("transitions"),  # two sets: transitions and lost are required
            lambda b: b.pop("lost_provisional"),
            lambda b: b["results"][0].update(transition="won"),
            lambda b: b["results"][0].update(source="x.yaml"),  # a location now
            lambda b: b["results"][1].update(source=f"{table.file}#row2"),
            lambda b: b["results"][0].update(highest_tier="standard"),  # only with tiers
            lambda b: b["sets"][OLD.id].update(certified_pct=120),
            lambda b: b["lost"][0].pop("from_basis"),
            lambda b: b["lost"][0].update(recorded=None),
            lambda b: b["lost"][0]["culprits"][0].update(unit="%"),
            lambda b: b["row_errors"][0].pop("cell"),
            lambda b: b["row_errors"][0].update(cell="d4"),
            lambda b: b["row_errors"].append(
                {
                    "file": "x",
                    "row": 2,
                    "column": "",
                    "cell": "A2",
                    "code": "Bad Code",
                    "message": "",
                    "hint": "",
                }
            ),
        ],
        "batch",
    )
    tiers = as_json(
        score_province([lost], [NEW], MEASURES, tier_sets=CATALOG.tier_chain(2025)).to_dict()
    )
    _refused(
        BATCH,
        tiers,
        [
            lambda b: b["results"][0].pop("highest_tier"),
            lambda b: b["tiers"]["highest"].pop("none"),
            lambda b: b.update(transitions={}),  # one set: no transition
        ],
        "batch with tiers",
    )


def test_set_diff_schema_is_tight() -> None:
    data = as_json(diff_sets(OLD, NEW).to_dict())
    # sets.py IndicatorChange.kinds lists "remeasured" twice (test_every_set_diff_matches_schema
    # fails on it); one copy here, so that the breakages below are what the schema refuses
    for change in data["changed"]:
        change["summary"] = list(dict.fromkeys(change["summary"]))
    assert data["net_change"] == data["indicators_to"] - data["indicators_from"]
    hows = [c["how"] for c in data["changed"]]
    assert {"same", "moved", "remeasured"} <= set(hows)
    remeasured = hows.index("remeasured")
    same = hows.index("same")
    _refused(
        DIFF,
        data,
        [
            lambda d: d.update(moved=[]),  # gone: `how` says it
            lambda d: d.pop("net_change"),
            lambda d: d["changed"][same].update(how="renamed"),
            lambda d: d["changed"][same].update(summary="tightened"),  # a list of codes now
            lambda d: d["changed"][same].pop("measure_to"),
            lambda d: d["changed"][same].pop("criterion"),
            lambda d: d["changed"][remeasured].update(summary=[]),
            lambda d: d["changed"][same].update(summary=["remeasured"]),
        ],
        "diff",
    )


# =================================================================================================
# Generated valid communes: schema-valid, deterministic, independent of key order
# =================================================================================================

NAME_CHARS = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợ"
    "ùủũúụừửữứựỳỷỹýỵXĐ -'0123456789"
)
PROVINCES = sorted(REGIONS.provinces)
CATEGORY_KEYS = sorted(REGIONS.categories)
RECOGNITION = (
    "registered_in_plan",
    "no_outstanding_debt",
    "residents_satisfied",
    "satisfaction_pct",
    "security_safe",
)
NATIONAL = [s for s in ALL_SETS if s.overlay is None]
TIER_WORDS = {"standard": "chuẩn", "advanced": "nâng cao", "model": "kiểu mẫu"}


def _raw_value(measure: Any) -> st.SearchStrategy[Any]:
    if measure.type == "boolean":
        return st.sampled_from([True, False, "có", "không", "đạt", "không đạt", "x", "-"])
    low = 0 if measure.min is None else measure.min
    high = 1000 if measure.max is None else min(measure.max, 1000)
    if measure.type == "count":
        return st.integers(int(low), min(int(high), 50))
    numbers = st.floats(low, high, allow_nan=False).map(lambda x: round(x, 2))
    texts = numbers.map(lambda x: str(x).replace(".", ","))
    if measure.type == "percent":
        return st.one_of(
            numbers,
            st.integers(int(low), int(high)),
            texts,
            st.integers(0, 100).map(lambda n: f"{n}%"),
        )
    return st.one_of(numbers, texts)


@st.composite
def recognized(draw: st.DrawFn) -> dict[str, Any]:
    """A recognition that is consistent: a known set, its tier (or none), a year in its period
    (or up to two years after)."""
    cset = draw(st.sampled_from(NATIONAL))
    out: dict[str, Any] = {
        "set": cset.id,
        "year": draw(st.integers(cset.period[0], cset.period[1] + 2)),
    }
    tier = draw(st.sampled_from([None, cset.tier, TIER_WORDS[cset.tier]]))
    if tier is not None:
        out["tier"] = tier
    return out


@st.composite
def commune_doc(draw: st.DrawFn) -> dict[str, Any]:
    """The mapping of a valid commune YAML file."""
    doc: dict[str, Any] = {
        "kind": "commune",
        "name": draw(st.text(NAME_CHARS, min_size=1, max_size=20).filter(str.strip)),
        "year": draw(st.integers(2016, 2026)),
    }
    where = draw(st.integers(0, 2))
    if where == 0:
        doc["region"] = draw(st.sampled_from(REGIONS.codes))
    elif where == 1:
        doc["region"] = draw(st.sampled_from([r.name.vi for r in REGIONS.regions.values()]))
    doc["province"] = draw(st.sampled_from(PROVINCES))
    if draw(st.booleans()):
        doc["district"] = draw(st.text(NAME_CHARS, max_size=10))
    if draw(st.booleans()):
        doc["categories"] = draw(st.lists(st.sampled_from(CATEGORY_KEYS), unique=True, max_size=3))
    if draw(st.booleans()):
        doc["recognized"] = draw(recognized())
    keys = [k for k in MEASURES if k not in RECOGNITION]
    chosen = draw(st.lists(st.sampled_from(keys), unique=True, max_size=40))
    doc["measures"] = {k: draw(_raw_value(MEASURES[k])) for k in chosen}
    if draw(st.booleans()):
        rec = draw(st.lists(st.sampled_from(RECOGNITION), unique=True, max_size=5))
        doc["recognition"] = {k: draw(_raw_value(MEASURES[k])) for k in rec}
    return doc


def _dump(doc: dict[str, Any]) -> str:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def _shuffled(doc: dict[str, Any], rnd: random.Random) -> dict[str, Any]:
    def mix(mapping: dict[str, Any]) -> dict[str, Any]:
        items = list(mapping.items())
        rnd.shuffle(items)
        return {k: mix(v) if isinstance(v, dict) else v for k, v in items}

    return mix(doc)


def _load(text: str, path: Path) -> Commune:
    path.write_text(text, encoding="utf-8")
    [commune] = load_communes(path, CATALOG)
    return commune


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("schemas")


@settings(BOUNDED, max_examples=15)
@given(doc=commune_doc(), seed=st.integers(0, 2**16))
def test_generated_communes_give_schema_valid_deterministic_reports(
    doc: dict[str, Any], seed: int, scratch: Path
) -> None:
    path = scratch / "generated.yaml"
    commune = _load(_dump(doc), path)
    reports = {
        "in force": assess(commune, [set_in_force(commune, CATALOG)], CATALOG).to_dict(),
        "old->new": assess(commune, [OLD, NEW], CATALOG).to_dict(),
        "tiers": assess_tiers(commune, CATALOG).to_dict(),
    }
    for label, report in reports.items():
        assert_valid(REPORT, as_json(report))
        assert report["commune"]["name"] == doc["name"], label
        assert report["commune"]["source"] == {
            "file": str(path),
            "line": 1,
            "column": 1,
            "path": "",
        }, label
    again = _load(_dump(_shuffled(doc, random.Random(seed))), path)
    assert assess(again, [OLD, NEW], CATALOG).to_dict() == reports["old->new"]
    assert assess_tiers(again, CATALOG).to_dict() == reports["tiers"]
    assert assess(commune, [OLD, NEW], CATALOG).to_dict() == reports["old->new"]


@settings(BOUNDED, max_examples=10)
@given(docs=st.lists(commune_doc(), min_size=1, max_size=5), seed=st.integers(0, 2**16))
def test_generated_batches_match_schema_and_ignore_key_order(
    docs: list[dict[str, Any]], seed: int, scratch: Path
) -> None:
    path = scratch / "batch.yaml"
    rnd = random.Random(seed)
    communes = [_load(_dump(d), path) for d in docs]
    shuffled = [_load(_dump(_shuffled(d, rnd)), path) for d in docs]
    for sets in ([OLD, NEW], [NEW]):
        data = score_province(communes, sets, MEASURES).to_dict()
        assert_valid(BATCH, as_json(data))
        assert score_province(shuffled, sets, MEASURES).to_dict() == data
