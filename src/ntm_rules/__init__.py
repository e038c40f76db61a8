"""ntm_rules: score Vietnamese communes against the national new-rural (NTM) criteria sets.

The library is the product; the `ntm-check` command is a thin front over it::

    import ntm_rules
    old = ntm_rules.load_set("ntm-2016-2020")
    new = ntm_rules.load_set("ntm-2021-2025")
    commune = ntm_rules.read_communes("examples/kon-tum/po-e.yaml").communes[0]
    result = ntm_rules.evaluate(commune, new)
    result.verdict, result.criteria_met, result.to_dict()
    ntm_rules.compare(commune, old, new).transition.outcome
    province = ntm_rules.score_province(ntm_rules.read_communes("examples/kon-tum"))
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._version import __version__

# Names are imported on first use, so that `ntm-check` pays only for what a command needs.
_WHERE = {
    "Catalog": ".load.catalog",
    "Cause": ".model.results",
    "CheckRun": ".model.views",
    "Commune": ".model.commune",
    "CommuneReport": ".model.results",
    "CompareView": ".model.views",
    "CriteriaSet": ".model.criteria",
    "CriterionStatus": ".model.results",
    "Culprit": ".model.results",
    "Evaluation": ".model.results",
    "EvaluationError": ".errors",
    "Explanation": ".model.views",
    "Inputs": ".load.inputs",
    "InvalidFileError": ".errors",
    "Issue": ".errors",
    "Location": ".errors",
    "NtmRulesError": ".errors",
    "Outcome": ".model.results",
    "ProvinceResult": ".province",
    "Recognized": ".model.commune",
    "SetDiff": ".sets",
    "Status": ".model.results",
    "Transition": ".model.results",
    "UnknownSetError": ".errors",
    "Verdict": ".model.results",
    "assess": ".api",
    "assess_many": ".api",
    "assess_tiers": ".api",
    "compare": ".api",
    "compare_many": ".api",
    "diff": ".api",
    "diff_sets": ".sets",
    "evaluate": ".api",
    "explain": ".api",
    "list_sets": ".api",
    "load_communes": ".api",
    "load_set": ".load.catalog",
    "read_communes": ".api",
    "commune_from_mapping": ".api",
    "communes_from_mapping": ".api",
    "score_province": ".api",
    "set_in_force": ".api",
    "show": ".api",
    "transition_of": ".api",
    "validate": ".api",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'ntm_rules' has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:
    from .api import (
        assess,
        assess_many,
        assess_tiers,
        compare,
        compare_many,
        diff,
        evaluate,
        explain,
        list_sets,
        load_communes,
        read_communes,
        score_province,
        set_in_force,
        show,
        transition_of,
        validate,
    )
    from .errors import (
        EvaluationError,
        InvalidFileError,
        Issue,
        Location,
        NtmRulesError,
        UnknownSetError,
    )
    from .load.catalog import Catalog, load_set
    from .load.inputs import Inputs
    from .model.commune import Commune, Recognized
    from .model.criteria import CriteriaSet
    from .model.results import (
        Cause,
        CommuneReport,
        CriterionStatus,
        Culprit,
        Evaluation,
        Outcome,
        Status,
        Transition,
        Verdict,
    )
    from .model.views import CheckRun, CompareView, Explanation
    from .province import ProvinceResult
    from .sets import SetDiff, diff_sets

__all__ = [
    "Catalog",
    "Cause",
    "CheckRun",
    "Commune",
    "CommuneReport",
    "CompareView",
    "CriteriaSet",
    "CriterionStatus",
    "Culprit",
    "Evaluation",
    "EvaluationError",
    "Explanation",
    "Inputs",
    "InvalidFileError",
    "Issue",
    "Location",
    "NtmRulesError",
    "Outcome",
    "ProvinceResult",
    "Recognized",
    "SetDiff",
    "Status",
    "Transition",
    "UnknownSetError",
    "Verdict",
    "__version__",
    "assess",
    "assess_many",
    "assess_tiers",
    "commune_from_mapping",
    "communes_from_mapping",
    "compare",
    "compare_many",
    "diff",
    "diff_sets",
    "evaluate",
    "explain",
    "list_sets",
    "load_communes",
    "load_set",
    "read_communes",
    "score_province",
    "set_in_force",
    "show",
    "transition_of",
    "validate",
]
