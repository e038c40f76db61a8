"""Report outputs of `ntm-check batch`: CSV, XLSX, the HTML page, and safe file writing."""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import re
import shutil
import stat
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest

from ntm_rules import Catalog
from ntm_rules.errors import NtmRulesError
from ntm_rules.report.html import render_html
from ntm_rules.report.html_base import SCRIPT
from ntm_rules.report.sheets import results_columns, results_csv, write_results_xlsx
from ntm_rules.report.write import (
    Output,
    OutputError,
    check_output_path,
    write_all,
    write_atomic,
    write_atomic_with,
)

SAMPLE = Path(__file__).parent / "data" / "batch_sample.json"
OLD, NEW = "ntm-2016-2020", "ntm-2021-2025"
SHEETS = ["Results", "Summary", "Hard criteria", "Lost certification", "Row errors"]
SHEETS_VI = ["Kết quả từng xã", "Tổng hợp", "Tiêu chí khó đạt", "Xã mất chuẩn", "Dòng lỗi"]
EVIL = "<script>alert('x')</script> Đắk & \"Co\""


@pytest.fixture
def batch() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SAMPLE.read_text(encoding="utf-8"))
    return data


def _csv_rows(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


# ------------------------------------------------------------------------------ sample sanity


def test_sample_is_consistent(batch: dict[str, Any]) -> None:
    """The hand-written sample follows the batch JSON contract and adds up."""
    results = batch["results"]
    assert batch["communes"] == len(results) == 12
    assert list(batch["sets"]) == [OLD, NEW]
    for sid, info in batch["sets"].items():
        verdicts = [r["sets"][sid]["verdict"] for r in results]
        assert info["total"] == len(results)
        for v in ("certified", "not_certified", "indeterminate"):
            assert info[v] == verdicts.count(v)
        assert sum(d["total"] for d in info["by_district"].values()) == len(results)
        assert [c["id"] for c in info["criteria"]] == [str(i) for i in range(1, 20)]
    outcomes = [r["transition"] for r in results]
    assert {k: outcomes.count(k) for k in batch["transitions"]} == batch["transitions"]
    assert [x["commune"] for x in batch["lost"]] == [
        r["commune"] for r in results if r["transition"] == "lost"
    ]
    rates = [h["fail_rate"] for h in batch["hard_criteria"]]
    assert rates == sorted(rates, reverse=True)


# ----------------------------------------------------------------------------------------- CSV


def test_csv_one_row_per_commune_with_expected_columns(batch: dict[str, Any]) -> None:
    text = results_csv(batch)
    rows = _csv_rows(text)
    assert len(rows) == batch["communes"]
    header = list(rows[0])
    assert header[:7] == ["commune", "code", "district", "province", "region", "year", "source"]
    for sid in (OLD, NEW):
        for key in ("verdict", "criteria_met", "criteria_total", "region_applied", "provisional"):
            assert f"{sid}:{key}" in header
        crit = [h for h in header if re.fullmatch(rf"{re.escape(sid)}:\d+", h)]
        assert crit == [f"{sid}:{i}" for i in range(1, 20)]
    assert header[-1] == "transition"
    assert header.index(f"{OLD}:19") < header.index(f"{NEW}:verdict")
    assert header == [k for k, _ in results_columns(batch)]
    # values, in input order, with Vietnamese text intact
    assert [r["commune"] for r in rows] == [r["commune"] for r in batch["results"]]
    po_e = rows[0]
    assert po_e["commune"] == "Pờ Ê" and po_e["district"] == "Kon Plông"
    assert po_e[f"{OLD}:verdict"] == "certified"
    assert po_e[f"{NEW}:verdict"] == "not_certified"
    assert po_e[f"{NEW}:13"] == "fail" and po_e[f"{NEW}:1"] == "pass"
    assert po_e[f"{NEW}:region_applied"] == "TDMNPB"
    assert po_e[f"{NEW}:provisional"] == "true"
    assert po_e["transition"] == "lost"
    assert po_e["year"] == "2024"
    # UTF-8 with BOM, CRLF rows (what Excel expects)
    raw = text.encode("utf-8")
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "Pờ Ê".encode() in raw
    assert text.count("\r\n") == batch["communes"] + 1


def test_csv_labels_by_language_and_single_set(batch: dict[str, Any]) -> None:
    vi = _csv_rows(results_csv(batch, "vi"))
    assert list(vi[0])[:3] == ["Xã", "Mã xã", "Huyện"]
    assert f"{NEW}:kết luận" in vi[0] and f"{NEW}:10" in vi[0]
    en = _csv_rows(results_csv(batch, "en"))
    assert next(iter(en[0])) == "Commune" and "Transition" in en[0]
    with pytest.raises(ValueError):
        results_csv(batch, "fr")
    # one set, no transition: no transition column
    one = copy.deepcopy(batch)
    del one["sets"][OLD]
    one["from"] = one["to"] = None
    one.pop("transitions")
    for r in one["results"]:
        del r["sets"][OLD]
        r["transition"] = None
    rows = _csv_rows(results_csv(one))
    assert "transition" not in rows[0] and f"{OLD}:verdict" not in rows[0]
    assert len(rows) == 12


def test_csv_neutralises_formulas(batch: dict[str, Any]) -> None:
    batch["results"][0]["commune"] = '=HYPERLINK("http://x","y")'
    rows = _csv_rows(results_csv(batch))
    assert rows[0]["commune"].startswith("'=")


# ---------------------------------------------------------------------------------------- XLSX


def test_xlsx_read_back(batch: dict[str, Any], tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    batch["results"][1]["commune"] = "=1+1"
    out = tmp_path / "batch.xlsx"
    write_results_xlsx(batch, out, "en")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == SHEETS

    ws = wb["Results"]
    header = [c.value for c in ws[1]]
    keys = [k for k, _ in results_columns(batch)]
    assert len(header) == len(keys)
    assert header[0] == "Commune" and f"{NEW}:10" in header and header[-1] == "Transition"
    assert ws.max_row == batch["communes"] + 1
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "B2"
    assert len(ws.conditional_formatting) > 0
    values = {k: ws.cell(row=2, column=i + 1).value for i, k in enumerate(keys)}
    assert values["commune"] == "Pờ Ê"
    assert values[f"{NEW}:criteria_met"] == 17 and values[f"{NEW}:criteria_total"] == 19
    assert values[f"{NEW}:provisional"] is True
    # statuses, verdicts and transitions in the reader's language
    assert values[f"{NEW}:13"] == "fail" and values["transition"] == "Lost"
    assert values[f"{NEW}:verdict"] == "Not certified"
    # a formula-looking name stays text
    cell = ws.cell(row=3, column=1)
    assert cell.value == "=1+1" and cell.data_type == "s"

    summary = [[c.value for c in row] for row in wb["Summary"].iter_rows()]
    set_rows = [r for r in summary if r[0] == NEW and r[3] == "all"]
    assert set_rows and set_rows[0][5:8] == [12, 3, 7]
    assert ["Lost", 2] in [r[:2] for r in summary]
    assert ["income_per_capita", 1] in [r[:2] for r in summary]

    hard = list(wb["Hard criteria"].iter_rows(min_row=2, values_only=True))
    assert len(hard) == sum(len(h["indicators"]) or 1 for h in batch["hard_criteria"])
    assert hard[0][0] == batch["hard_criteria"][0]["set"]
    assert hard[0][3] == pytest.approx(batch["hard_criteria"][0]["fail_rate"])

    lost = list(wb["Lost certification"].iter_rows(min_row=2, values_only=True))
    assert len(lost) == sum(len(x["culprits"]) for x in batch["lost"])
    assert lost[0][:6] == ("Pờ Ê", "23536", "Kon Plông", "Kon Tum", "13", "13.3")
    assert lost[0][9] is False and lost[0][11] is True

    errors = list(wb["Row errors"].iter_rows(values_only=True))
    assert errors[0] == ("File", "Row", "Cell", "Column", "Code", "Message", "Hint")
    assert errors[1][:5] == (
        "communes-kon-tum-2024.csv",
        7,
        None,
        "income_per_capita",
        "bad-number",
    )


def test_xlsx_through_safe_write(batch: dict[str, Any], tmp_path: Path) -> None:
    """The CLI's way: the workbook is saved to a temp file, then moved into place."""
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "batch.xlsx"
    src = tmp_path / "communes.csv"
    src.write_text("name\n", encoding="utf-8")

    def save(lang: str, force: bool) -> Path:
        return write_atomic_with(
            out, lambda tmp: write_results_xlsx(batch, tmp, lang), force=force, inputs=[src]
        )

    save("vi", False)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == SHEETS_VI
    assert book.worksheets[0]["A1"].value == "Xã"
    with pytest.raises(OutputError, match="--force"):
        save("en", False)
    save("en", True)
    assert openpyxl.load_workbook(out).worksheets[0]["A1"].value == "Commune"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["batch.xlsx", "communes.csv"]
    with pytest.raises(ValueError):
        write_results_xlsx(batch, tmp_path / "x.xlsx", "fr")


# ---------------------------------------------------------------------------------- safe_write


def test_safe_write_refuses_input_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "communes.csv"
    src.write_text("name\nPờ Ê\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(src)
    monkeypatch.chdir(tmp_path)
    for target in (src, Path("communes.csv"), tmp_path / "sub" / ".." / "communes.csv", link):
        for force in (False, True):
            with pytest.raises(OutputError, match="over the input"):
                write_atomic(target, "x", force=force, inputs=[src])
    with pytest.raises(OutputError, match="over the input"):
        write_atomic(src, "x", force=True, inputs=[link])
    assert src.read_text(encoding="utf-8") == "name\nPờ Ê\n"
    assert issubclass(OutputError, NtmRulesError)


def test_safe_write_refuses_files_inside_an_input_directory(tmp_path: Path) -> None:
    folder = tmp_path / "communes"
    (folder / "sub").mkdir(parents=True)
    for target in (folder / "report.html", folder / "sub" / "results.csv"):
        for force in (False, True):
            with pytest.raises(OutputError, match="over the input"):
                write_atomic(target, "x", force=force, inputs=[folder])
    assert sorted(p.name for p in folder.rglob("*")) == ["sub"]
    beside = write_atomic(tmp_path / "report.html", "x", force=False, inputs=[folder])
    assert beside.read_text(encoding="utf-8") == "x"


def test_safe_write_existing_needs_force(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert write_atomic(out, "Pờ Ê", force=False, inputs=[]) == out
    assert out.read_bytes() == "Pờ Ê".encode()
    with pytest.raises(OutputError, match="use --force to overwrite"):
        write_atomic(out, "new", force=False, inputs=[])
    assert out.read_text(encoding="utf-8") == "Pờ Ê"
    write_atomic(out, b"new bytes", force=True, inputs=[tmp_path / "other.csv"])
    assert out.read_bytes() == b"new bytes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_safe_write_other_refusals(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        write_atomic(tmp_path / "missing" / "r.csv", "x", force=True)
    with pytest.raises(OutputError, match="directory"):
        write_atomic(tmp_path, "x", force=True)


def test_safe_write_new_file_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        out = write_atomic(tmp_path / "r.csv", "x", force=False)
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o644  # not the 0600 of a temp file


@pytest.mark.parametrize("existing", [False, True])
def test_safe_write_failure_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: bool
) -> None:
    out = tmp_path / "results.csv"
    if existing:
        out.write_text("old", encoding="utf-8")

    def boom(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OutputError, match="No space left"):
        write_atomic(out, "new content", force=True, inputs=[])
    monkeypatch.undo()
    expected = ["results.csv"] if existing else []
    assert sorted(p.name for p in tmp_path.iterdir()) == expected
    if existing:
        assert out.read_text(encoding="utf-8") == "old"


def test_safe_write_writer_failure_cleans_up(tmp_path: Path) -> None:
    seen: list[Path] = []

    def writer(tmp: Path) -> None:
        seen.append(tmp)
        assert tmp.parent == tmp_path and tmp.name.endswith(".xlsx")
        tmp.write_bytes(b"partial")
        raise RuntimeError("workbook broke")

    with pytest.raises(RuntimeError, match="workbook broke"):
        write_atomic_with(tmp_path / "out.xlsx", writer, force=False, inputs=[])
    assert seen and not seen[0].exists()
    assert list(tmp_path.iterdir()) == []
    ok = write_atomic_with(tmp_path / "out.xlsx", lambda p: p.write_bytes(b"PK"), force=False)
    assert ok.read_bytes() == b"PK" and [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


def test_write_all_writes_every_output_or_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = tmp_path / "results.csv"
    kept.write_text("old", encoding="utf-8")
    fresh = tmp_path / "report.html"

    def broken(tmp: Path) -> None:
        tmp.write_bytes(b"partial")
        raise OSError(28, "No space left on device")

    outputs = [
        Output(kept, lambda p: p.write_text("new", encoding="utf-8")),
        Output(fresh, lambda p: p.write_text("page", encoding="utf-8")),
        Output(tmp_path / "r.xlsx", broken),
    ]
    with pytest.raises(OutputError, match=r"No space left.*none of them was written"):
        write_all(outputs, force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.csv"]
    assert kept.read_text(encoding="utf-8") == "old"
    write_all(outputs[:2], force=True)
    assert kept.read_text(encoding="utf-8") == "new"
    assert fresh.read_text(encoding="utf-8") == "page"
    monkeypatch.chdir(tmp_path)
    same = [Output(tmp_path / "a.csv", broken), Output(Path("a.csv"), broken)]
    with pytest.raises(OutputError, match="same file"):
        write_all(same, force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "results.csv"]


def test_write_all_refuses_before_writing_anything(tmp_path: Path) -> None:
    exists = tmp_path / "results.csv"
    exists.write_text("old", encoding="utf-8")
    outputs = [
        Output(tmp_path / "report.html", lambda p: p.write_text("page", encoding="utf-8")),
        Output(exists, lambda p: p.write_text("new", encoding="utf-8")),
    ]
    with pytest.raises(OutputError, match="use --force"):
        write_all(outputs, force=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.csv"]
    assert exists.read_text(encoding="utf-8") == "old"


def test_write_dash_goes_to_stdout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert write_atomic("-", "Pờ Ê\n", force=False) == Path("-")
    assert capsys.readouterr().out == "Pờ Ê\n"
    assert list(tmp_path.iterdir()) == []  # no file named "-"


def test_devices_and_fifos_are_written_in_place(tmp_path: Path) -> None:
    null = Path(os.devnull)
    assert check_output_path(null, force=False) == null
    write_atomic(null, "x", force=False)
    assert stat.S_ISCHR(os.stat(null).st_mode)

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as fh:
            got.append(fh.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    write_atomic(fifo, "Pờ Ê", force=False)
    reader.join(timeout=30)
    assert got == ["Pờ Ê".encode()]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # still the FIFO, not replaced
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_dangling_link_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "out.csv"
    link.symlink_to(tmp_path / "missing.csv")
    with pytest.raises(OutputError, match="not a regular file"):
        write_atomic(link, "x", force=True)
    assert not (tmp_path / "missing.csv").exists()


# ---------------------------------------------------------------------------------------- HTML


def _scripts(page: str) -> list[str]:
    """The bodies of every <script> element of the page."""
    return re.findall(r"<script[^>]*>(.*?)</script>", page, flags=re.S | re.I)


def _outside_provenance(page: str) -> str:
    start = page.index('<section id="provenance"')
    end = page.index("</section>", start) + len("</section>")
    return page[:start] + page[end:]


def test_html_escapes_user_text(batch: dict[str, Any]) -> None:
    batch["results"][0]["commune"] = EVIL
    batch["results"][0]["district"] = "<b>bold</b>"
    batch["lost"][0]["commune"] = EVIL
    batch["row_errors"][0]["message"] = "<img src=x onerror=alert(1)>"
    batch["missing_measures"]["<i>m</i>"] = 1
    page = render_html(batch, "en")
    assert _scripts(page) == [SCRIPT]  # only the page's own script, never user text
    assert "<img" not in page and "<b>bold</b>" not in page and "<i>m</i>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Đắk &amp; &quot;Co&quot;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_html_has_no_external_resources(batch: dict[str, Any]) -> None:
    batch["sets"][NEW]["sources"].append(
        {"key": "bad", "citation": "javascript link", "url": "javascript:alert(1)", "kind": "x"}
    )
    for lang in ("en", "vi"):
        page = render_html(batch, lang)
        low = page.lower()
        assert _scripts(page) == [SCRIPT]
        assert "<link" not in low and "<iframe" not in low
        assert not re.search(r"\ssrc\s*=", low)
        assert "@import" not in low and "url(http" not in low and "url(//" not in low
        assert "javascript:" not in low
        assert "default-src 'none'" in page  # CSP: the page cannot load anything
        outside = _outside_provenance(page).lower()
        assert "http://" not in outside and "https://" not in outside and "//" not in outside
        # inside provenance, URLs only appear as source links
        prov = page[page.index('<section id="provenance"') :]
        for m in re.finditer(r"https?://", prov):
            li_start = prov.rfind("<li>", 0, m.start())
            assert li_start != -1 and "</li>" not in prov[li_start : m.start()]
        assert 'href="http' in prov


def _region_names(catalog: Catalog, lang: str) -> dict[str, str]:
    return {code: catalog.regions.name(code, lang) for code in catalog.regions.codes}


def test_html_content(batch: dict[str, Any], catalog: Catalog) -> None:
    page = render_html(batch, "en", region_names=_region_names(catalog, "en"))
    for section in (
        "summary",
        "transitions",
        "lost",
        "hard-criteria",
        "heatmap",
        "data-gaps",
        "row-errors",
        "provenance",
    ):
        assert f'<section id="{section}"' in page
    assert "Pờ Ê" in page and "Măng Cành" in page
    assert "key_products_traceability" in page and "new indicator" in page
    assert "stunting_under5_pct" in page  # data gaps
    assert "38,5 tr" in page  # row error message
    assert "318/QĐ-TTg" in page and "1980/QĐ-TTg" in page
    assert "<svg" in page and "TN — Central Highlands" in page
    # heat map: a row per commune, a cell per criterion of each set, with tooltips
    heat = page[page.index('<section id="heatmap"') : page.index('<section id="data-gaps"')]
    assert heat.count('scope="row"') == batch["communes"]
    assert heat.count('class="s-') == batch["communes"] * 38
    assert 'title="Pờ Ê — ntm-2021-2025 · Criterion 13 ' in heat
    vi = render_html(batch, "vi", region_names=_region_names(catalog, "vi"))
    assert "TN — Tây Nguyên" in vi and "Central Highlands" not in vi
    assert "Tổng quan" in vi and "Xã mất chuẩn" in vi and "Summary" not in vi
    assert "54,5%" in vi  # Vietnamese decimal comma
    with pytest.raises(ValueError):
        render_html(batch, "de")
    # without names from the caller, regions are shown by their code alone
    bare = render_html(batch, "en")
    assert "TN — " not in bare and "Central Highlands" not in bare
    assert ">TN<" in bare


def test_html_caps_heatmap_and_handles_one_set(batch: dict[str, Any]) -> None:
    page = render_html(batch, "en", max_heatmap_rows=5)
    assert "Showing the first 5 of 12 communes" in page
    heat = page[page.index('<section id="heatmap"') :]
    assert heat.count('scope="row"') == 5
    one = copy.deepcopy(batch)
    del one["sets"][OLD]
    one["from"] = None
    one["to"] = None
    for key in ("transitions", "lost"):
        one.pop(key)
    one["hard_criteria"] = [h for h in one["hard_criteria"] if h["set"] == NEW]
    for r in one["results"]:
        del r["sets"][OLD]
        r["transition"] = None
    page = render_html(one, "en")
    assert 'id="lost"' not in page and 'id="transitions"' not in page
    assert 'id="heatmap"' in page and OLD not in page


# ------------------------------------------------------------------------------------- browser


def _browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def test_html_renders_in_headless_browser(batch: dict[str, Any], tmp_path: Path) -> None:
    browser = _browser()
    if browser is None:
        pytest.skip(
            "no Chromium/Chrome binary on PATH (chromium, chromium-browser, "
            "google-chrome): cannot run the real-browser check"
        )
    page = tmp_path / "report.html"
    write_atomic(page, render_html(batch, "vi"), force=False)
    base = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    dom = subprocess.run(
        [*base, "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    ).stdout
    for element in ("heatmap", "hard-criteria", "lost", "provenance"):
        assert f'id="{element}"' in dom, element
    assert "<svg" in dom and "Pờ Ê" in dom and "</html>" in dom
    shot = tmp_path / "report.png"
    subprocess.run(
        [
            *base,
            "--hide-scrollbars",
            "--window-size=1300,3000",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
