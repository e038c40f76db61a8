"""Reading recorded appraisals: a YAML list under ``appraisals:``, or table columns
``appraisal:ID`` whose cells read ``đạt; 123/QĐ-UBND; 2024-11-20`` (result; decision; date)."""

from __future__ import annotations

import re
from typing import Any

from ..model.appraisal import Appraisal
from ..model.vocab import Vocab, fold
from . import checks
from .source import Document, PathKey

PASS_WORDS = {"dat", "pass", "passed", "true", "yes", "co"}
FAIL_WORDS = {"khong dat", "chua dat", "fail", "failed", "false", "no", "khong"}
ID_RE = re.compile(r"^\d+(\.\d+)*$")
KEYS = ("indicator", "criterion", "result", "decision", "set", "date", "note")


def result_of(text: object) -> bool | None:
    """``đạt`` -> True, ``không đạt`` -> False, anything else None."""
    if isinstance(text, bool):
        return text
    word = fold(str(text)).strip()
    if word in PASS_WORDS:
        return True
    if word in FAIL_WORDS:
        return False
    return None


def _one(doc: Document, raw: Any, path: PathKey, vocab: Vocab) -> Appraisal | None:
    spec = checks.mapping(
        doc, raw, path, required=("result", "decision"), optional=KEYS, what="an appraisal"
    )
    if spec is None:
        return None
    has_ind, has_crit = "indicator" in spec, "criterion" in spec
    if has_ind == has_crit:
        doc.issue("bad-appraisal", "name either `indicator` or `criterion`", path)
        return None
    key = "indicator" if has_ind else "criterion"
    target = checks.id_text(doc, spec[key], (*path, key), what=f"{key} id")
    if not ID_RE.match(target):
        doc.issue("bad-appraisal", f"{target!r} is not an {key} id", (*path, key), 'e.g. "10"')
    passed = result_of(spec["result"])
    if passed is None:
        doc.issue(
            "bad-appraisal",
            f"unknown result {spec['result']!r}",
            (*path, "result"),
            "đạt or không đạt (pass or fail)",
        )
    decision = checks.text(doc, spec["decision"], (*path, "decision"), what="the decision")
    set_id = str(spec.get("set") or "")
    if set_id and vocab.sets is not None and set_id not in vocab.sets:
        doc.issue(
            "unknown-set",
            f"unknown criteria set {set_id!r}",
            (*path, "set"),
            checks.suggest(set_id, vocab.sets),
        )
    date = checks.date(doc, spec["date"], (*path, "date")) if "date" in spec else ""
    if passed is None:
        return None
    return Appraisal(
        target=target,
        passed=passed,
        decision=decision,
        criterion=has_crit,
        set_id=set_id,
        date=date,
        note=str(spec.get("note") or ""),
        location=doc.loc(path),
    )


def yaml_appraisals(doc: Document, raw: Any, path: PathKey, vocab: Vocab) -> tuple[Appraisal, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        doc.issue("wrong-type", "appraisals must be a list", path)
        return ()
    found = (_one(doc, item, (*path, i), vocab) for i, item in enumerate(raw))
    return tuple(a for a in found if a is not None)


def cell_appraisal(target: str, text: str) -> tuple[Appraisal | None, str]:
    """An ``appraisal:ID`` cell (``đạt; 123/QĐ-UBND; 2024-11-20``), or a problem to report."""
    parts = [p.strip() for p in text.split(";")]
    passed = result_of(parts[0])
    if passed is None:
        return None, f"unknown appraisal result {parts[0]!r}: write đạt or không đạt"
    if len(parts) < 2 or not parts[1]:
        return None, "an appraisal names its decision: đạt; 123/QĐ-UBND; 2024-11-20"
    date = parts[2] if len(parts) > 2 else ""
    if date and not re.match(r"^\d{4}-\d{2}-\d{2}$", date):
        return None, f"the appraisal date {date!r} is not YYYY-MM-DD"
    crit = target.startswith("TC")
    ident = target[2:] if crit else target
    return Appraisal(ident, passed, parts[1], criterion=crit, date=date), ""
