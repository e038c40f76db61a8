"""A commune's move from an old criteria set to a new one: the outcome and the culprit
indicators (re-exported by :mod:`ntm_rules.model.results`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..words import Text
from .commune import Recognized
from .status import Cause, Outcome, Status, Verdict, num


def is_definite(status: Status, verified: bool | None, doubt: bool) -> bool:
    """A culprit that settles the matter: a failure on a verified threshold of an indicator
    not in doubt (a culprit table asks this of its rows, a :class:`Culprit` of itself)."""
    return status == Status.FAIL and verified is True and not doubt


@dataclass(frozen=True)
class Culprit:
    """An indicator that stands between a commune and certification under the new set."""

    criterion: str
    indicator: str
    measure: str
    status: Status
    cause: Cause
    value: Any = None
    threshold_from: Any = None
    threshold_to: Any = None
    verified: bool | None = None  # the new threshold that decides it
    doubt: bool = False  # the indicator itself is marked in doubt in the data
    operator: str = ""
    unit: Text = field(default_factory=lambda: Text("", ""))
    from_indicator: str = ""  # the old set's indicator reading the same measure

    @property
    def definite(self) -> bool:
        """A failure on a verified threshold of an indicator not in doubt."""
        return is_definite(self.status, self.verified, self.doubt)

    def to_dict(self) -> dict[str, Any]:
        """The culprit as JSON; its unit is the measure's (the report's ``units`` table)."""
        return {
            "criterion": self.criterion,
            "indicator": self.indicator,
            "measure": self.measure,
            "status": str(self.status),
            "cause": str(self.cause),
            "value": num(self.value),
            "operator": self.operator,
            "threshold_from": num(self.threshold_from),
            "threshold_to": num(self.threshold_to),
            "from_indicator": self.from_indicator or None,
            "verified": self.verified,
            "doubt": self.doubt,
        }


@dataclass(frozen=True)
class Transition:
    """Old set -> new set.

    Attributes:
        from_set, to_set: the two sets; outcome: kept, lost, gained, never or indeterminate.
        from_verdict, to_verdict: the verdicts under each.
        from_basis: ``evaluated`` (the old verdict is scored from today's figures) or
            ``recorded_recognition`` (it is the recognition recorded in the commune file).
        culprits: the indicators that stand between the commune and the new set.
        provisional: True when the outcome rests on unverified values or doubtful indicators.
        recorded: the recognition in the file that stands for the old status.
        from_evaluated: what scoring today's figures on the old set gives.
    """

    from_set: str
    to_set: str
    outcome: Outcome
    from_verdict: Verdict
    to_verdict: Verdict
    from_basis: str  # evaluated | recorded_recognition
    culprits: tuple[Culprit, ...] = ()
    provisional: bool = False  # the outcome rests on unverified values or doubtful indicators
    recorded: Recognized | None = None
    from_evaluated: Verdict | None = None  # what scoring today's figures on the old set gives

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.from_set,
            "to": self.to_set,
            "outcome": str(self.outcome),
            "from_verdict": str(self.from_verdict),
            "to_verdict": str(self.to_verdict),
            "from_basis": self.from_basis,
            "from_evaluated": str(self.from_evaluated) if self.from_evaluated else None,
            "recorded": self.recorded.to_dict() if self.recorded else None,
            "provisional": self.provisional,
            "culprits": [c.to_dict() for c in self.culprits],
            "units": {c.measure: c.unit.to_dict() for c in self.culprits},
        }
