"""Shared pieces of the HTML report: escaping, tables, and the context every section reads
(language, numbers, word look-ups)."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..words import WORDS, t

# label -> the word-table key it reads (where the page's name differs)
KEYS: dict[str, str] = {
    "summary": "html_summary",
    "lost": "html_lost",
    "provisional": "html_provisional",
    "by_region": "html_by_region",
    "culprits": "html_culprits",
    "value": "html_value",
    "threshold": "html_threshold",
    "fail_rate": "html_fail_rate",
    "median_gap": "html_median_gap",
    "met": "reason_met_flag",
    "overlay": "html_overlay",
    "na": "not_applicable",
    "st_pass": "pass",
    "st_fail": "fail",
    "st_not_applicable": "not_applicable",
    "t_indeterminate": "v_indeterminate",
}

STATUSES = ("pass", "fail", "indeterminate", "not_applicable")
VERDICTS = ("certified", "not_certified", "indeterminate")
TRANSITIONS = ("kept", "lost", "gained", "never", "indeterminate")
SYMBOL = {"pass": "", "fail": "✕", "indeterminate": "?", "not_applicable": "–"}


# ------------------------------------------------------------------------------------ helpers


def e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


class Ctx:
    """Language, formatting and look-ups shared by the section renderers."""

    def __init__(
        self, batch: Mapping[str, Any], lang: str, region_names: Mapping[str, str]
    ) -> None:
        self.batch = batch
        self.lang = lang
        self.region_names = region_names
        self.sets: dict[str, Any] = dict(batch.get("sets") or {})
        ordered = [s for s in (batch.get("from"), batch.get("to")) if s and s in self.sets]
        self.set_ids: list[str] = list(dict.fromkeys([*ordered, *self.sets]))
        self.results: list[Mapping[str, Any]] = list(batch.get("results") or [])

    def w(self, key: str, **kwargs: Any) -> str:
        """A label of this module (escaped kwargs are the caller's job)."""
        return t(KEYS.get(key, key), self.lang, **kwargs)

    def text(self, value: Any) -> str:
        """A ``{"vi","en"}`` text in the page's language (or a plain string)."""
        if isinstance(value, Mapping):
            return str(value.get(self.lang) or value.get("en") or value.get("vi") or "")
        return "" if value is None else str(value)

    def num(self, value: Any, digits: int = 1) -> str:
        if value is None:
            return "—"
        if isinstance(value, bool):
            return self.w("yes") if value else self.w("no")
        if isinstance(value, int):
            text = f"{value:,}"
            return text.replace(",", ".") if self.lang == "vi" else text
        if isinstance(value, float):
            text = f"{value:,.{digits}f}"
            if digits and "." in text:
                text = text.rstrip("0").rstrip(".")
            if self.lang == "vi":
                text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
            return text
        return str(value)

    def pct(self, value: Any, *, fraction: bool = False) -> str:
        if value is None:
            return "—"
        number = float(value) * (100 if fraction else 1)
        return self.num(round(number, 1), 1) + "%"

    def region(self, code: str) -> str:
        name = self.region_names.get(code)
        return f"{code} — {name}" if name else code

    def criterion_name(self, set_id: str, cid: str) -> str:
        for c in (self.sets.get(set_id) or {}).get("criteria") or []:
            if str(c.get("id")) == cid:
                return self.text(c.get("name"))
        return ""

    def criterion_ids(self, set_id: str) -> list[str]:
        ids = [str(c.get("id")) for c in (self.sets.get(set_id) or {}).get("criteria") or []]
        if ids:
            return ids
        seen: dict[str, None] = {}
        for r in self.results:
            for cid in ((r.get("sets") or {}).get(set_id) or {}).get("criteria") or {}:
                seen.setdefault(str(cid), None)
        return list(seen)

    def status_word(self, status: str) -> str:
        """pass / fail / indeterminate / not_applicable, in words."""
        return (
            self.w("st_" + status)
            if ("st_" + status) in KEYS or ("st_" + status) in WORDS
            else (status or "—")
        )

    def verdict_word(self, verdict: str) -> str:
        return self.w("v_" + verdict) if ("v_" + verdict) in WORDS else (verdict or "—")

    def transition_word(self, outcome: str) -> str:
        return (
            self.w("t_" + outcome)
            if ("t_" + outcome) in KEYS or ("t_" + outcome) in WORDS
            else (outcome or "—")
        )


Cell = str | tuple[str, str]


def td(cell: Cell) -> str:
    if isinstance(cell, tuple):
        return f'<td class="{e(cell[1])}">{cell[0]}</td>'
    return f"<td>{cell}</td>"


def table(
    head: Sequence[str], rows: Iterable[Sequence[Cell]], *, cls: str = "", head_html: str = ""
) -> str:
    """A table; `head` and cells are already HTML (escape before calling).

    A cell is HTML text or ``(html, css class)``.
    """
    parts = [f'<table class="{e(cls)}">' if cls else "<table>", "<thead>"]
    if head_html:
        parts.append(head_html)
    parts.append("<tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead><tbody>")
    for row in rows:
        parts.append("<tr>" + "".join(td(c) for c in row) + "</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def safe_url(url: Any) -> str | None:
    text = str(url or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else None


# ----------------------------------------------------------------------------------- sections
