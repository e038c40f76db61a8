"""ntm_rules: score Vietnamese communes against the national new-rural (NTM) criteria sets.

The library is the product; the `ntm-check` command is a thin front over it::

    import ntm_rules
    old = ntm_rules.load_set("ntm-2016-2020")
    new = ntm_rules.load_set("ntm-2021-2025")
    commune = ntm_rules.load_communes("examples/kon-tum/po-e.yaml")[0]
    result = ntm_rules.evaluate(commune, new)
    result.verdict, result.criteria_met, result.to_dict()
    ntm_rules.compare(commune, old, new).transition.outcome
"""

from __future__ import annotations

__version__ = "0.1.0"

from .api import assess, compare, set_in_force
from .diff import SetDiff, diff_sets
from .errors import (
    EvaluationError,
    InvalidFileError,
    Issue,
    Location,
    NtmRulesError,
    UnknownSetError,
)
from .load.catalog import Catalog, load_set
from .load.communes import Commune, load_communes
from .model.criteria import CriteriaSet
from .model.results import (
    CommuneReport,
    CriterionStatus,
    Evaluation,
    Status,
    Transition,
    Verdict,
)
from .score.engine import evaluate
from .score.transition import transition

__all__ = [
    "Catalog",
    "Commune",
    "CommuneReport",
    "CriteriaSet",
    "CriterionStatus",
    "Evaluation",
    "EvaluationError",
    "InvalidFileError",
    "Issue",
    "Location",
    "NtmRulesError",
    "SetDiff",
    "Status",
    "Transition",
    "UnknownSetError",
    "Verdict",
    "__version__",
    "assess",
    "compare",
    "diff_sets",
    "evaluate",
    "load_communes",
    "load_set",
    "set_in_force",
    "transition",
]
