"""The nightly dashboard: HTML and workbook from the run summary, for the PMO and per vendor, and
the per-file reports of the rows to fix that it links to."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from migrate.report.nightly import file_report_names, run_data, write_dashboard
from tests.report.helpers import (
    GREEN,
    RED,
    all_text,
    assert_print_setup,
    assert_self_contained,
    find_row,
    formula_cells,
    rgb,
)


def test_dashboard_files(nightly_run: Any, tmp_path: Path) -> None:
    paths = write_dashboard(nightly_run, tmp_path)
    assert [p.name for p in paths] == ["dashboard.html", "dashboard.xlsx"]
    html = paths[0].read_text(encoding="utf-8")
    assert_self_contained(html)
    assert "夜間検証ダッシュボード — みどり市 夜間検証" in html
    assert "ベンダー別" in html and "ソース別" in html
    assert "住民記録 (ベンダーA)" in html and "住民記録 (ベンダーB)" in html
    assert "基準未達" in html and "移行可能率" in html
    assert "<polyline" in html  # readiness trend over the two nights
    wb = load_workbook(paths[1])
    assert wb.sheetnames == ["概要", "ベンダー別", "ファイル", "規則別", "推移", "外字"]
    ws = wb["概要"]
    header = find_row(ws, 1, "ソース")
    a = find_row(ws, 1, "住民記録 (ベンダーA)")
    b = find_row(ws, 1, "住民記録 (ベンダーB)")
    assert ws.cell(a, 15).value == "基準未達" and rgb(ws.cell(a, 15)) == RED
    assert rgb(ws.cell(b, 15)) == GREEN
    assert ws.cell(a, 10).number_format == "0.00%"
    assert "移行可能率" in ws.cell(a, 14).value  # the breached threshold, with its limit
    assert ws.freeze_panes == f"B{header + 1}"
    for sheet in wb.worksheets:
        assert_print_setup(sheet)
    trend = wb["推移"]
    assert trend.max_row - 1 == 4  # two sources, two nights
    assert formula_cells(paths[1]) == []


def test_vendor_scoped_dashboard(nightly_run: Any, tmp_path: Path) -> None:
    paths = write_dashboard(nightly_run, tmp_path, per_vendor=True)
    names = sorted(p.name for p in paths)
    assert names == sorted(
        ["dashboard.html", "dashboard.xlsx"]
        + [f"dashboard-{v}.{ext}" for v in ("ベンダーA", "ベンダーB") for ext in ("html", "xlsx")]
    )
    b_html = (tmp_path / "dashboard-ベンダーB.html").read_text(encoding="utf-8")
    assert "ベンダーB" in b_html and "ベンダーA" not in b_html and "a-0001.csv" not in b_html
    b_wb = load_workbook(tmp_path / "dashboard-ベンダーB.xlsx")
    assert "ベンダー別" not in b_wb.sheetnames
    text = all_text(b_wb)
    assert "ベンダーA" not in text and "a-0001.csv" not in text and "b-0001.csv" in text


def test_from_plain_dict(nightly_run: Any, tmp_path: Path) -> None:
    data = nightly_run.to_dict()
    scoped = run_data(data, "ベンダーA")
    assert [s["vendor"] for s in scoped["sources"]] == ["ベンダーA"]
    assert scoped["totals"]["sources"] == 1 and scoped["notes"] == []
    paths = write_dashboard(data, tmp_path, vendor="ベンダーA")
    assert [p.name for p in paths] == ["dashboard-ベンダーA.html", "dashboard-ベンダーA.xlsx"]
    html = paths[0].read_text(encoding="utf-8")
    assert "ベンダーB" not in html


def test_vendor_dashboards_never_share_a_file(tmp_path: Path) -> None:
    """Two vendors whose names make the same file name each get their own dashboard (issue 12)."""
    from migrate.report.nightly import write_dashboard

    summary = {
        "suite": "s",
        "vendors": [{"vendor": "ベンダー/A"}, {"vendor": "ベンダー:A"}],
        "sources": [],
    }
    paths = write_dashboard(summary, tmp_path, per_vendor=True)
    names = [p.name for p in paths]
    assert len(names) == len(set(names)) == 6, names


# -------------------------------------------------------------------------- per-file reports (rows to fix)


def _findings_lines(path: Path) -> set[int]:
    """The line numbers a per-file report lists in its table by row."""
    html = path.read_text(encoding="utf-8")
    table = html.split("行別の不備")[-1]
    return {int(n) for n in re.findall(r'<td class="num">(\d+)</td><td class="nw">[a-z-]+</td>', table)}


def test_dashboard_links_each_file_to_its_rows(nightly_run: Any, tmp_path: Path) -> None:
    from migrate.history.store import HistoryStore

    write_dashboard(nightly_run, tmp_path)
    html = (tmp_path / "dashboard.html").read_text(encoding="utf-8")
    reports = sorted(p.relative_to(tmp_path).as_posix() for p in (tmp_path / "files").rglob("*.html"))
    assert reports == ["files/ベンダーA/juki-a-a-0001.html", "files/ベンダーB/juki-b-b-0001.html"]
    for rel in reports:
        assert f'href="{rel}"' in html
    a = (tmp_path / reports[0]).read_text(encoding="utf-8")
    assert_self_contained(a)
    assert "a-0001.csv" in a and "住民記録 (ベンダーA)" in a and "実行 #2" in a
    assert 'href="../../dashboard.html"' in a
    # Exactly the lines the history holds for this file, each with its rule and item.
    with HistoryStore.open(nightly_run.history, create=False) as store:
        kept = store.keyed_findings(nightly_run.run_id, "juki-a")
    assert kept and _findings_lines(tmp_path / reports[0]) == {f.line for f in kept if f.line}
    for f in kept:
        assert f">{f.code}<" in a and f">{f.item}<" in a
    assert "継続" in a  # night 2 against night 1
    b = (tmp_path / reports[1]).read_text(encoding="utf-8")
    assert "不備はありません" in b and "ベンダーA" not in b


def test_vendor_dashboard_links_to_its_own_files_only(nightly_run: Any, tmp_path: Path) -> None:
    write_dashboard(nightly_run, tmp_path, per_vendor=True)
    b = (tmp_path / "dashboard-ベンダーB.html").read_text(encoding="utf-8")
    assert 'href="files/ベンダーB/juki-b-b-0001.html"' in b and "files/ベンダーA" not in b
    assert [p.name for p in (tmp_path / "files" / "ベンダーB").iterdir()] == ["juki-b-b-0001.html"]
    back = (tmp_path / "files" / "ベンダーB" / "juki-b-b-0001.html").read_text(encoding="utf-8")
    assert 'href="../../dashboard-ベンダーB.html"' in back
    # Asked for one vendor only: only that vendor's reports are written.
    only = tmp_path / "only"
    write_dashboard(nightly_run, only, vendor="ベンダーA")
    assert sorted(p.name for p in (only / "files").rglob("*.html")) == ["juki-a-a-0001.html"]


def test_file_reports_hold_no_value(nightly_run: Any, tmp_path: Path) -> None:
    """The history keeps no value, and neither do the per-file reports: no 12-digit number of the
    delivery (個人番号, 宛名番号), no name, no birth date."""
    write_dashboard(nightly_run, tmp_path)
    delivery = Path(nightly_run.history).parent / "a" / "a-0001.csv"
    text = delivery.read_bytes().decode("cp932")
    values = set(re.findall(r"(?<!\d)\d{12}(?!\d)", text))
    cells = {c for line in text.splitlines()[1:] for c in line.split(",") if len(c) >= 2}
    assert values and cells
    for p in (tmp_path / "files").rglob("*.html"):
        html = p.read_text(encoding="utf-8")
        assert [v for v in values if v in html] == []
        assert [c for c in cells if f">{c}<" in html] == []


def test_no_file_reports_without_history(nightly_run: Any, tmp_path: Path) -> None:
    data = nightly_run.to_dict()
    data["run"]["history"] = str(tmp_path / "gone.sqlite")
    paths = write_dashboard(data, tmp_path)
    assert [p.name for p in paths] == ["dashboard.html", "dashboard.xlsx"]
    assert not (tmp_path / "files").exists() and not (tmp_path / "gone.sqlite").exists()
    assert "files/" not in paths[0].read_text(encoding="utf-8")


def test_file_report_names_are_safe_and_unique() -> None:
    from migrate.mask import MY_NUMBER_MASK
    from migrate.samples import my_number

    number = my_number(random.Random(5))
    sources = [
        {
            "id": "juki-a",
            "vendor": "ベンダー/A",
            "files": [
                {"path": "2025/jumin.csv"},
                {"path": "2026/jumin.csv"},  # the same name in another folder
                {"path": "2026/JUMIN.csv"},  # the same name but for case
                {"path": f"x/{MY_NUMBER_MASK}.csv"},  # as the history keeps a 個人番号 in a name
                {"path": f"x/{number}.csv"},  # and should it ever not
                {"path": "x/evil\x1b]0;x\x07 <b>.csv"},
            ],
        },
        {"id": "juki-b", "vendor": "ベンダー:A", "files": [{"path": "2025/jumin.csv"}]},
    ]
    names = file_report_names(sources)
    assert len(names) == 7
    assert len({n.casefold() for n in names.values()}) == 7
    for name in names.values():
        assert name.startswith("files/") and name.endswith(".html")
        assert number not in name and not re.search(r"\d{12}", name), name
        assert re.fullmatch(r"files/[\w.-]+/[\w.-]+\.html", name), name
    folders = {n.split("/")[1] for n in names.values()}
    assert len(folders) == 2  # two vendors, two folders
    assert names[("juki-a", "2025/jumin.csv")].startswith("files/")
    assert file_report_names(sources) == names  # the same names night after night


def test_junit_and_text_speak_the_run_language(nightly_run: Any) -> None:
    from migrate.findings import hint_of
    from migrate.i18n import set_lang
    from migrate.report.nightly import render

    counts = [c for s in nightly_run.sources for f in s.files for c in f.counts]
    assert counts
    xml = render(nightly_run, "junit")
    assert " rows; first at line " not in xml and "行目" in xml
    assert str(hint_of(counts[0]["code"])) in xml
    set_lang("en")
    try:
        assert "rows; first at line" in render(nightly_run, "junit")
    finally:
        set_lang("ja")


def test_every_dashboard_sheet_carries_the_title(nightly_run: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(write_dashboard(nightly_run, tmp_path)[1])
    assert all("夜間検証ダッシュボード" in (ws.oddHeader.left.text or "") for ws in wb.worksheets)
