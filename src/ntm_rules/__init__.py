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

from ._version import __version__
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
