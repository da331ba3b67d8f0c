"""The nightly dashboard: HTML and workbook from the run summary, for the PMO and per vendor."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from migrate.report.nightly import run_data, write_dashboard
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
