"""Communes merged into one (the 2025 reorganisation): what was derived, how, and what it costs.

:class:`MergedCommune` holds the new commune (an ordinary :class:`~.commune.Commune`, scored
like any other), its parts, one :class:`Derivation` per measure (the rule of ``measures.yaml``
that gave the value, or why the value is missing, naming the part at fault) and the
:class:`RecognitionPath` the parts' recognitions point to. :func:`compare_merge` lists, for
one criteria set, the certified statuses the merger loses and the criteria it breaks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import NtmRulesError
from ..words import Text, num, t
from .commune import TIERS, Commune, Observed, Recognized
from .criteria import Source
from .results import Evaluation
from .status import CriterionStatus, Verdict

# The rule followed for the recognition of a merged commune. The 2025 round has no national
# text yet (see /work/shared/reference/criteria-2026-2030.md §3); these are the 2023 round's.
SOURCE_5424 = Source(
    "5424/BNN-VPĐP",
    "MARD letter 5424/BNN-VPĐP of 09/08/2023 on the NTM programme for district and commune "
    "units formed by the 2023–2025 reorganisation (cited by Báo Hà Tĩnh)",
    "https://baohatinh.vn/nong-nghiep/ha-tinh-cong-nhan-16-xa-dat-chuan-nong-thon-moi-sau-sap-nhap/259073.htm",
)
SOURCE_THUA_NHAN = Source(
    "ha-tinh-thua-nhan",
    "Hà Tĩnh: communes formed from recognised communes are confirmed (thừa nhận) by a "
    "provincial decision",
    "https://baohatinh.vn/nong-nghiep/tham-dinh-tham-muu-thua-nhan-xa-nong-thon-moi-sau-sap-nhap/254096.htm",
)
SOURCE_GUIDANCE = Source(
    "merger-guidance-2023",
    "Guidance for merged communes, 2023–2025 round (machine-translated summary; uncertain): all "
    "parts recognised -> provincial decision; mixed -> review, then recognition under "
    "18/2022/QĐ-TTg",
    "https://www.vietnam.vn/cs/huong-dan-thuc-hien-xay-dung-nong-thon-moi-cac-xa-sap-nhap",
)
SOURCE_18_2022 = Source(
    "18/2022/QĐ-TTg",
    "Decision 18/2022/QĐ-TTg: conditions and procedure for recognising NTM communes",
    "https://langngheviet.com.vn/thu-tuong-chinh-phu-ban-hanh-trinh-tu-thu-tuc-ho-so-xet-cong-nhan-dat-chuan-nong-thon-moi-ntm-nang-cao-ntm-kieu-mau-25687.html",
)
PATH_SOURCES: dict[str, tuple[Source, ...]] = {
    "confirmation": (SOURCE_5424, SOURCE_THUA_NHAN, SOURCE_GUIDANCE),
    "review": (SOURCE_5424, SOURCE_GUIDANCE, SOURCE_18_2022),
    "normal": (SOURCE_18_2022,),
}


class MergeError(NtmRulesError):
    """Communes that cannot be merged as asked (data years or regions differ, a mapping names
    an unknown commune); the message names the parts."""


@dataclass(frozen=True)
class Part:
    """One commune that went into a merged commune, and where it was read."""

    name: str
    where: str = ""
    code: str = ""
    recognized: Recognized | None = None

    @classmethod
    def of(cls, commune: Commune) -> Part:
        return cls(commune.name, commune.where(), commune.code, commune.recognized)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.where})" if self.where else self.name

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "where": self.where,
            "code": self.code,
            "recognized": self.recognized.to_dict() if self.recognized else None,
        }


def labels(parts: Sequence[Part]) -> str:
    return ", ".join(p.label for p in parts)


@dataclass(frozen=True)
class Derivation:
    """How one measure of the merged commune was found, or why it is missing.

    `rule` is the measure's combine rule ("" when it has none); `reason` the word key of the
    explanation (``merge_how_*`` when derived; ``merge_no_value``, ``merge_no_weight``, ... when
    missing); `parts` the parts it names (the parts lacking a value or a weight, the parts that
    decided a yes/no); `inputs` and `weights` each part's value and weight, in part order.
    """

    measure: str
    rule: str
    value: Observed
    reason: str
    weight: str = ""
    parts: tuple[Part, ...] = ()
    left_out: tuple[Part, ...] = ()
    inputs: tuple[Observed, ...] = ()
    weights: tuple[Observed, ...] = ()
    note: Text | None = None
    section: str = "measures"  # or "recognition": where the commune file writes it
    kind: str = ""  # the measure's type (number, percent, boolean, count)

    @property
    def missing(self) -> bool:
        return self.value is None

    def text(self, lang: str) -> str:
        """The derivation in words: ``bình quân gia quyền theo population của 3 xã cũ``."""
        note = self.note.get(lang) if self.note else ""
        words = t(
            self.reason,
            lang,
            n=len(self.inputs),
            parts=labels(self.parts),
            weight=self.weight,
            note=note,
            rule=self.rule,
            type=self.kind,
        )
        if self.left_out:
            words += "; " + t(
                "merge_left_out", lang, parts=labels(self.left_out), weight=self.weight
            )
        return f"{t('merge_missing', lang)}: {words}" if self.missing else words

    def to_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "section": self.section,
            "rule": self.rule or None,
            "weight": self.weight or None,
            "value": self.value,
            "missing": self.missing,
            "reason": self.reason,
            "text": {"vi": self.text("vi"), "en": self.text("en")},
            "parts": [p.to_dict() for p in self.parts],
            "left_out": [p.to_dict() for p in self.left_out],
            "inputs": list(self.inputs),
            "weights": list(self.weights),
        }


@dataclass(frozen=True)
class RecognitionPath:
    """What the parts' recognitions point to: ``confirmation`` at `tier` (every part is
    recognised; thừa nhận by a provincial decision), ``review`` (some parts are: review, then
    recognition through the normal procedure) or ``normal`` (none is)."""

    kind: str
    tier: str
    recognised: tuple[Part, ...]
    others: tuple[Part, ...]
    sources: tuple[Source, ...]

    def text(self, lang: str) -> str:
        tier = t(f"tier_{self.tier}", lang) if self.tier else ""
        main = t(
            f"merge_path_{self.kind}",
            lang,
            tier=tier,
            recognised=", ".join(p.name for p in self.recognised),
            others=", ".join(p.name for p in self.others),
        )
        return f"{main}. {t('merge_path_caveat', lang)}."

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "tier": self.tier or None,
            "recognised": [p.to_dict() for p in self.recognised],
            "others": [p.to_dict() for p in self.others],
            "text": {"vi": self.text("vi"), "en": self.text("en")},
            "sources": [s.to_dict() for s in self.sources],
        }


def recognition_path(parts: Sequence[Part]) -> RecognitionPath:
    """The path of a commune merged from `parts` (the 2023 round's rule, see the sources)."""
    recognised = tuple(p for p in parts if p.recognized is not None)
    others = tuple(p for p in parts if p.recognized is None)
    if recognised and not others:
        tiers = [p.recognized.tier for p in recognised if p.recognized is not None]
        tier = min(tiers, key=lambda x: TIERS.index(x) if x in TIERS else 0)
        return RecognitionPath("confirmation", tier, recognised, (), PATH_SOURCES["confirmation"])
    kind = "review" if recognised else "normal"
    return RecognitionPath(kind, "", recognised, others, PATH_SOURCES[kind])


@dataclass(frozen=True)
class MergedCommune:
    """A commune built from its parts, with every derivation and the recognition path.

    `part_communes` are the parts as they were read (to score them beside the merged commune,
    for :func:`compare_merge`); `parts` say who they are and where they were read."""

    commune: Commune
    parts: tuple[Part, ...]
    derivations: tuple[Derivation, ...]
    path: RecognitionPath
    notes: tuple[Text, ...] = ()
    part_communes: tuple[Commune, ...] = field(default=(), repr=False, compare=False)

    def derivation(self, measure: str) -> Derivation | None:
        return next((d for d in self.derivations if d.measure == measure), None)

    @property
    def missing(self) -> tuple[Derivation, ...]:
        return tuple(d for d in self.derivations if d.missing)

    def summary(self, lang: str) -> str:
        """One line: how many measures were derived and missing, and the recognition path."""
        missing = len(self.missing)
        head = t(
            "merge_summary",
            lang,
            name=self.commune.name,
            derived=len(self.derivations) - missing,
            missing=missing,
        )
        return f"{head} {self.path.text(lang)}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "commune": self.commune.to_dict(),
            "measures": dict(self.commune.measures),
            "parts": [p.to_dict() for p in self.parts],
            "derivations": [d.to_dict() for d in self.derivations],
            "recognition_path": self.path.to_dict(),
            "notes": [n.to_dict() for n in self.notes],
        }


@dataclass(frozen=True)
class MergeTable:
    """A province's mapping applied: the merged communes, and the communes it did not name."""

    merged: tuple[MergedCommune, ...]
    unmapped: tuple[Part, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "merged": [m.to_dict() for m in self.merged],
            "unmapped": [p.to_dict() for p in self.unmapped],
        }


# --- before and after ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LostStatus:
    """A part certified before the merger (by its figures, or by a recorded recognition of the
    set's tier) whose merged commune is not certified: `definite` when it is not certified,
    else undecided."""

    part: Part
    before: Verdict
    after: Verdict
    recorded: bool

    @property
    def definite(self) -> bool:
        return self.after == Verdict.NOT_CERTIFIED

    def text(self, lang: str) -> str:
        verdict = t(str(self.before), lang).lower()
        if self.before == Verdict.CERTIFIED:
            why = t("merge_by_figures", lang)
        else:
            why = t("merge_recorded", lang, verdict=verdict)
        after = t(str(self.after), lang).lower()
        return t("merge_lost", lang, part=self.part.label, why=why, after=after)

    def to_dict(self) -> dict[str, Any]:
        return {
            "part": self.part.to_dict(),
            "before": str(self.before),
            "after": str(self.after),
            "recorded": self.recorded,
            "definite": self.definite,
        }


@dataclass(frozen=True)
class BrokenCriterion:
    """A criterion some parts met that the merged commune fails (or leaves undecided)."""

    id: str
    name: Text
    status: CriterionStatus
    met_by: tuple[Part, ...]

    def text(self, lang: str) -> str:
        key = "merge_broken" if self.status == CriterionStatus.FAIL else "merge_undecided"
        parts = ", ".join(p.name for p in self.met_by)
        return t(key, lang, id=self.id, name=self.name.get(lang), parts=parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name.to_dict(),
            "status": str(self.status),
            "met_by": [p.to_dict() for p in self.met_by],
        }


@dataclass(frozen=True)
class MergeComparison:
    """What the merger costs under one set: statuses lost, criteria broken or left undecided."""

    set_id: str
    name: str
    verdict: Verdict
    criteria_met: int
    criteria_total: int
    lost: tuple[LostStatus, ...]
    broken: tuple[BrokenCriterion, ...]
    undecided: tuple[BrokenCriterion, ...]

    def lines(self, lang: str) -> list[str]:
        met = f"{num(self.criteria_met, lang)}/{num(self.criteria_total, lang)}"
        head = f"{self.name} — {self.set_id}: {t(str(self.verdict), lang)} ({met})"
        texts = [x.text(lang) for x in self.lost]
        texts += [x.text(lang) for x in (*self.broken, *self.undecided)]
        return [head, *(f"  - {text}" for text in texts)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "set": self.set_id,
            "name": self.name,
            "verdict": str(self.verdict),
            "criteria_met": self.criteria_met,
            "criteria_total": self.criteria_total,
            "lost": [x.to_dict() for x in self.lost],
            "broken": [x.to_dict() for x in self.broken],
            "undecided": [x.to_dict() for x in self.undecided],
        }


def _was_certified(part: Part, ev: Evaluation) -> bool:
    if ev.verdict == Verdict.CERTIFIED:
        return True
    rec = part.recognized
    if rec is None or rec.tier not in TIERS or ev.tier not in TIERS:
        return False
    return TIERS.index(rec.tier) >= TIERS.index(ev.tier)


def compare_merge(
    merged: MergedCommune, parts: Sequence[Evaluation], result: Evaluation
) -> MergeComparison:
    """Before and after under one set: `parts` are the parts' evaluations in the order of
    ``merged.parts``, `result` the merged commune's, all against the same set."""
    if len(parts) != len(merged.parts):
        raise MergeError(
            f"{len(parts)} evaluations given for the {len(merged.parts)} parts of "
            f"{merged.commune.name}"
        )
    odd = sorted({ev.set_id for ev in parts if ev.set_id != result.set_id})
    if odd:
        raise MergeError(
            f"the parts were scored against {', '.join(odd)}, the merged commune against "
            f"{result.set_id}: compare under one set"
        )
    lost = tuple(
        LostStatus(part, ev.verdict, result.verdict, part.recognized is not None)
        for part, ev in zip(merged.parts, parts, strict=True)
        if _was_certified(part, ev) and result.verdict != Verdict.CERTIFIED
    )
    broken: list[BrokenCriterion] = []
    undecided: list[BrokenCriterion] = []
    for crit in result.criteria:
        met_by = tuple(
            part
            for part, ev in zip(merged.parts, parts, strict=True)
            if (found := ev.criterion(crit.id)) is not None and found.status == CriterionStatus.PASS
        )
        if not met_by:
            continue
        item = BrokenCriterion(crit.id, crit.name, crit.status, met_by)
        if crit.status == CriterionStatus.FAIL:
            broken.append(item)
        elif crit.status == CriterionStatus.INDETERMINATE:
            undecided.append(item)
    return MergeComparison(
        result.set_id,
        merged.commune.name,
        result.verdict,
        result.criteria_met,
        result.criteria_total,
        lost,
        tuple(broken),
        tuple(undecided),
    )
