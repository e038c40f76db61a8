"""Shared pieces of the HTML report: escaping, tables, and the context every section reads
(language, numbers, word look-ups, the order and status of communes, sources' badges)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..words import WORDS, num, t

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
# lists put the communes that need attention first: lost, then indeterminate
ORDER = {"lost": 0, "indeterminate": 1, "never": 2, "not_certified": 2, "gained": 3}
ORDER |= {"kept": 4, "certified": 4}
# C0/C1 control characters (tab and newline kept) and bidi overrides, never shown as such
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


# ------------------------------------------------------------------------------------ helpers


def e(value: Any) -> str:
    """User or library text as HTML text (quotes too; control characters shown as U+FFFD)."""
    text = "" if value is None else str(value)
    return html.escape(_CONTROL.sub("\ufffd", text), quote=True)


def is_gap(source: Mapping[str, Any]) -> bool:
    """A source that only records that no value was found (a GAP): never an official text."""
    key = str(source.get("key") or "").lower()
    citation = str(source.get("citation") or "").lower()
    return key.startswith("gap") or ("(gap)" in citation and not source.get("url"))


def source_kind(source: Mapping[str, Any]) -> str:
    """The badge a source wears: ``gap`` for a GAP whatever its declared kind, else its kind."""
    return "gap" if is_gap(source) else str(source.get("kind") or "")


def badge(source: Mapping[str, Any], lang: str, *, gap: bool = False) -> str:
    """The kind of a source as a small HTML badge (empty without a kind); `gap` marks a source
    known to stand only for unknown values."""
    kind = "gap" if gap else source_kind(source)
    if not kind:
        return ""
    word = t("hp_src_" + kind, lang) if "hp_src_" + kind in WORDS else kind
    return f'<span class="kind k-{e(kind)}">{e(word)}</span>'


def cell_state(cells: Mapping[str, Any]) -> tuple[str, int, int, int, int]:
    """(state, verified, unverified, unknown, total) of a set's threshold cells; the state is
    ``verified`` (every cell), ``mostly_unknown`` (more than half unknown), ``partial`` or
    ``none`` (no cells)."""
    ver, unv, unk = (int(cells.get(k) or 0) for k in ("verified", "unverified", "unknown"))
    total = ver + unv + unk
    if not total:
        return "none", ver, unv, unk, total
    if 2 * unk > total:
        return "mostly_unknown", ver, unv, unk, total
    return ("verified" if ver == total else "partial"), ver, unv, unk, total


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
        self.districts: list[str] = sorted({self.district_of(r) for r in self.results})

    def w(self, key: str, **kwargs: Any) -> str:
        """A label of this module (escaped kwargs are the caller's job)."""
        return t(KEYS.get(key, key), self.lang, **kwargs)

    def text(self, value: Any) -> str:
        """A ``{"vi","en"}`` text in the page's language (or a plain string)."""
        if isinstance(value, Mapping):
            return str(value.get(self.lang) or value.get("en") or value.get("vi") or "")
        return "" if value is None else str(value)

    def num(self, value: Any, digits: int = 1) -> str:
        """A number as the reader writes it (:func:`ntm_rules.words.num`)."""
        if isinstance(value, float) and digits >= 0:
            value = round(value, digits)
        return num(value, self.lang, max(digits, 0))

    def pct(self, value: Any, *, fraction: bool = False) -> str:
        if value is None:
            return "—"
        number = float(value) * (100 if fraction else 1)
        return self.num(round(number, 1), 1) + "%"

    def region(self, code: str) -> str:
        name = self.region_names.get(code)
        return f"{code} — {name}" if name else code

    def set_name(self, sid: str) -> str:
        """A set by its name (title), the id only when it has none."""
        return self.text((self.sets.get(sid) or {}).get("title")) or sid

    def set_html(self, sid: str, tag: str = "b") -> str:
        """A set's name, then its id, secondary."""
        name = self.set_name(sid)
        if name == sid:
            return f"<{tag}>{e(sid)}</{tag}>"
        return f'<{tag}>{e(name)}</{tag}> <span class="set-id">{e(sid)}</span>'

    def district_of(self, r: Mapping[str, Any]) -> str:
        where = [str(x) for x in (r.get("district"), r.get("province")) if x]
        return ", ".join(where) or "—"

    def row_status(self, r: Mapping[str, Any]) -> str:
        """What a commune's row says first: its transition, else its verdict (last set)."""
        if r.get("transition"):
            return str(r["transition"])
        sid = self.set_ids[-1] if self.set_ids else ""
        return str(((r.get("sets") or {}).get(sid) or {}).get("verdict") or "")

    def ordered(self) -> list[Mapping[str, Any]]:
        """The communes, lost first, then indeterminate, then the others (input order kept)."""
        return sorted(self.results, key=lambda r: ORDER.get(self.row_status(r), 5))

    def row_attrs(self, r: Mapping[str, Any], position: int) -> str:
        """The data attributes a commune row carries for the filter and sort script."""
        district = self.districts.index(self.district_of(r)) if self.districts else 0
        return (
            f' data-district="{district}" data-status="{e(self.row_status(r))}"'
            f' data-order="{position}" data-name="{e(r.get("commune"))}"'
        )

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

    def outcome_word(self, status: str) -> str:
        """A row status (transition or verdict) in words."""
        return self.transition_word(status) if status in TRANSITIONS else self.verdict_word(status)


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


# ------------------------------------------------------------------ filter and sort (optional)

# Filters the commune tables (``table[data-communes]``) by district and status and sorts them by
# a heading (``th[data-sort]``: the rows' ``data-*`` value). Without it the page reads the same:
# the controls stay hidden and the rows keep their order (lost first).
SCRIPT = """(function () {
  var doc = document, bar = doc.getElementById("filters");
  if (!bar) { return; }
  var lang = doc.documentElement.lang || "vi", fmt = new Intl.NumberFormat(lang);
  var selD = doc.getElementById("f-district"), selS = doc.getElementById("f-status");
  var out = doc.getElementById("f-shown"), i;
  function rows(tbl) { return Array.prototype.slice.call(tbl.tBodies[0].rows); }
  function apply() {
    var d = selD.value, s = selS.value, shown = 0, total = 0;
    var tables = doc.querySelectorAll("table[data-communes]");
    for (var k = 0; k !== tables.length; k++) {
      var main = tables[k].hasAttribute("data-count");
      rows(tables[k]).forEach(function (tr) {
        var ok = (d === "" || tr.dataset.district === d) && (s === "" || tr.dataset.status === s);
        tr.hidden = !ok;
        if (main) { total += 1; shown += ok ? 1 : 0; }
      });
    }
    out.textContent = out.dataset.template.replace("{n}", fmt.format(shown))
      .replace("{total}", fmt.format(total));
  }
  function value(tr, key) { return tr.dataset[key] || ""; }
  function sortBy(th) {
    var tbl = th.closest("table"), key = th.dataset.sort;
    var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    tbl.querySelectorAll("th[data-sort]").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
    var list = rows(tbl);
    list.sort(function (a, b) {
      var x = value(a, key), y = value(b, key), r;
      if (x !== "" && y !== "" && !isNaN(Number(x)) && !isNaN(Number(y))) {
        r = Number(x) - Number(y);
      } else { r = x.localeCompare(y, lang); }
      return r * dir || Number(a.dataset.order) - Number(b.dataset.order);
    });
    list.forEach(function (tr) { tbl.tBodies[0].appendChild(tr); });
  }
  var heads = doc.querySelectorAll("th[data-sort]");
  for (i = 0; i !== heads.length; i++) {
    heads[i].tabIndex = 0;
    heads[i].addEventListener("click", function () { sortBy(this); });
    heads[i].addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); sortBy(this); }
    });
  }
  doc.querySelectorAll(".needs-script").forEach(function (el) { el.hidden = false; });
  selD.addEventListener("change", apply);
  selS.addEventListener("change", apply);
  apply();
})();"""


def _option(value: str, label: str, n: int, c: Ctx) -> str:
    return f'<option value="{e(value)}">{e(label)} ({e(c.num(n))})</option>'


def filter_bar(c: Ctx) -> str:
    """The district and status filters (hidden until the script shows them)."""
    if not c.results:
        return ""
    statuses = sorted({c.row_status(r) for r in c.results}, key=lambda s: ORDER.get(s, 5))
    everyone = _option("", c.w("hp_all"), len(c.results), c)
    districts = [c.district_of(r) for r in c.results]
    by_district = "".join(
        _option(str(k), name, districts.count(name), c) for k, name in enumerate(c.districts)
    )
    found = [c.row_status(r) for r in c.results]
    by_status = "".join(_option(s, c.outcome_word(s), found.count(s), c) for s in statuses)
    return (
        f'<div class="filters needs-script" id="filters" hidden><b>{e(c.w("hp_filter"))}</b>'
        f'<label>{e(c.w("district"))} <select id="f-district">{everyone}{by_district}</select>'
        f'</label><label>{e(c.w("status"))} <select id="f-status">{everyone}{by_status}'
        f'</select></label><output id="f-shown" data-template="{e(c.w("hp_shown"))}"></output>'
        "</div>"
    )
