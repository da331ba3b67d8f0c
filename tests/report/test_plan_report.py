"""The milestone report: summary and Gantt sheets, colours, print set-up, date styles, HTML, CLI."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from migrate.cli.plan_report import report
from migrate.errors import UsageError
from migrate.report.plan import default_path, is_critical, write_plan_report
from tests.conftest import ROOT
from tests.report.conftest import AS_OF, DDE
from tests.report.helpers import (
    AMBER,
    GREEN,
    GREY,
    RED,
    all_cells,
    assert_print_setup,
    assert_self_contained,
    find_row,
    formula_cells,
    rgb,
)

WHEN = dt.datetime(2025, 4, 1, 8, 30)


@pytest.fixture(scope="module")
def workbook(plan_result: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    path = write_plan_report(plan_result, "xlsx", tmp_path_factory.mktemp("p") / "p.xlsx", generated=WHEN)
    return path, load_workbook(path)


def test_statuses_of_the_fixture(plan_result: Any) -> None:
    assert {b.id: b.status for b in plan_result.businesses} == {
        "juki": "green",
        "inkan": "red",
        "kojin-juminzei": "green",
        "kokuho": "amber",
    }


def test_summary_sheet(workbook: tuple[Path, Any], plan_result: Any) -> None:
    _, wb = workbook
    assert wb.sheetnames == ["概要", "ガント", "工程ガント", "マイルストーン", "注記"]
    ws = wb["概要"]
    assert ws["A1"].value == "みどり市 基幹業務システム標準化 移行状況"
    assert "基準日 2025-04-01" in ws["A2"].value
    assert "遅延 1 · 注意 1 · 順調 2" in ws["A3"].value
    assert "基準計画 R5-04" in ws["A5"].value
    header = find_row(ws, 1, "コード")
    assert [c.value for c in ws[header]] == [
        "コード",
        "業務",
        "ベンダー",
        "状態",
        "期限",
        "特定移行支援",
        "期限まで (日)",
        "完了見込",
        "超過 (日)",
        "余裕 (営業日)",
        "期限内確率",
        "基準計画比 (営業日)",
        "現在の工程",
        "完了率",
        "重要工程",
        "遅れの理由",
    ]
    # Most urgent first: red, amber, then green by least slack.
    order = [ws.cell(header + i, 2).value for i in range(1, 5)]
    assert order[:2] == ["印鑑登録", "国民健康保険"]
    inkan = plan_result.business("inkan")
    row = header + 1
    assert ws.cell(row, 1).value == "002"
    assert ws.cell(row, 4).value == "遅延" and rgb(ws.cell(row, 4)) == RED
    assert ws.cell(row + 1, 4).value == "注意" and rgb(ws.cell(row + 1, 4)) == AMBER
    assert rgb(ws.cell(row + 2, 4)) == GREEN
    assert ws.cell(row, 5).value == dt.datetime(2026, 3, 31) and ws.cell(row, 5).number_format == "yyyy-mm-dd"
    assert ws.cell(row, 7).value == (dt.date(2026, 3, 31) - AS_OF).days == 364
    assert ws.cell(row, 8).value.date() == inkan.projected_finish
    assert ws.cell(row, 9).value == inkan.overrun_calendar_days > 0
    assert ws.cell(row, 10).value == inkan.float_days < 0
    assert ws.cell(row, 11).value == "未計算"  # no `plan risk` in this result
    assert ws.cell(row, 12).value == inkan.slip
    assert "超過" in ws.cell(row, 16).value  # the engine's reasons, as computed
    assert ws.cell(row, 16).alignment.wrap_text
    kojin = find_row(ws, 2, "個人住民税")
    assert ws.cell(kojin, 6).value == "はい"
    assert ws.cell(kojin, 5).value == dt.datetime(2031, 3, 31)
    assert ws.freeze_panes == f"C{header + 1}"
    assert ws.auto_filter.ref == f"A{header}:P{header + 4}"
    assert_print_setup(ws, f"${header}:${header}")
    assert int(ws.page_setup.fitToHeight) == 1  # one page
    assert ws.print_title_cols == "$A:$B"


def test_business_gantt_sheet(workbook: tuple[Path, Any], plan_result: Any) -> None:
    _, wb = workbook
    ws = wb["ガント"]
    assert ws.freeze_panes == "F6"
    assert_print_setup(ws, "$4:$5")
    assert [ws.cell(r, 1).value for r in range(6, 10)] == [
        "002 印鑑登録",
        "024 国民健康保険",
        "001 住民基本台帳",
        "010 個人住民税",
    ]
    assert ws["B6"].value == "遅延" and rgb(ws["B6"]) == RED
    bar = [c for c in range(6, ws.max_column + 1) if rgb(ws.cell(6, c)) == RED]
    deadline = next(c for c in range(6, ws.max_column + 1) if ws.cell(6, c).value == "▼")
    assert bar and ws.cell(6, deadline).border.right.style == "medium"
    assert ws["E6"].value == "未計算"


def test_gantt_sheet(workbook: tuple[Path, Any], plan_result: Any) -> None:
    _, wb = workbook
    ws = wb["工程ガント"]
    assert ws.freeze_panes == "I6"
    weeks = ws.max_column - 8  # 2023-03 to 2031-04 (the 特定移行支援 deadline)
    assert 400 < weeks < 430
    assert ws.page_setup.scale == 78 and not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$3:$5" and ws.print_title_cols == "$A:$B"
    assert ws["A5"].value == "業務 / 工程" and ws["H5"].value == "重要"
    # One column per week, Mondays.
    assert ws.column_dimensions["I"].width == pytest.approx(2.0)
    months = [ws.cell(4, c).value for c in range(9, ws.max_column + 1) if ws.cell(4, c).value]
    assert "2025/4" in months and "2026/3" in months
    # The as-of week: blue header and a mark above it.
    as_of_col = next(c for c in range(9, ws.max_column + 1) if ws.cell(3, c).value == "▼基準日")
    assert rgb(ws.cell(5, as_of_col)) == "1565C0"
    assert ws.cell(6, as_of_col).border.left.style == "medium"
    target_col = next(c for c in range(9, ws.max_column + 1) if ws.cell(3, c).value == "▼国の目標")
    assert rgb(ws.cell(5, target_col)) == RED
    # The red business comes first: its row and bar in red, its deadline marked.
    assert ws["A6"].value == "002 印鑑登録" and ws["G6"].value == "遅延" and rgb(ws["G6"]) == RED
    bar = [c for c in range(9, ws.max_column + 1) if rgb(ws.cell(6, c)) == RED]
    assert bar and ws.cell(6, target_col).value == "▼"
    assert ws.cell(7, target_col).border.right.style == "medium"
    # A critical milestone: thick top and bottom borders on its bar, ◆ in the critical column.
    inkan = plan_result.business("inkan")
    crit = next(m for m in inkan.milestones if is_critical(m))
    row = find_row(ws, 1, f"{crit.id} {crit.name}")
    assert ws.cell(row, 8).value == "◆" and ws.cell(row, 1).font.bold
    cells = [ws.cell(row, c) for c in range(9, ws.max_column + 1) if rgb(ws.cell(row, c))]
    assert cells and all(c.border.top.style == "medium" and c.border.bottom.style == "medium" for c in cells)
    assert ws.row_dimensions[row].outlineLevel == 1
    # Done milestones are grey.
    done = next(m for m in plan_result.business("juki").milestones if m.state == "done")
    row = find_row(ws, 1, f"{done.id} {done.name}")
    assert ws.cell(row, 7).value == "完了済み"
    assert any(rgb(ws.cell(row, c)) == GREY for c in range(9, ws.max_column + 1))
    assert ws.auto_filter.ref.startswith("A5:H")
    assert ws.print_area is not None and get_column_letter(ws.max_column) in ws.print_area


def test_milestones_and_notes(workbook: tuple[Path, Any], plan_result: Any) -> None:
    _, wb = workbook
    ws = wb["マイルストーン"]
    assert ws.max_row - 1 == sum(len(b.milestones) for b in plan_result.businesses)
    assert ws.freeze_panes == "E2"
    assert_print_setup(ws, "$1:$1")
    notes = wb["注記"]
    kinds = {notes.cell(r, 1).value for r in range(2, notes.max_row + 1)}
    assert {"遅れの理由", "期限の理由"} <= kinds


def test_vendor_formula_is_text(workbook: tuple[Path, Any]) -> None:
    path, wb = workbook
    cells = [c for _, c in all_cells(wb) if c.value == DDE]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert formula_cells(path) == []


def test_wareki_and_nendo_dates(plan_result: Any, tmp_path: Path) -> None:
    wb = load_workbook(write_plan_report(plan_result, "xlsx", tmp_path / "w.xlsx", date_style="wareki"))
    ws = wb["概要"]
    header = find_row(ws, 1, "コード")
    assert ws.cell(header + 1, 5).value == "令和8年3月31日"
    assert "基準日 令和7年4月1日" in ws["A2"].value
    assert wb["工程ガント"].cell(4, 9).value.startswith("R")  # months as R07.04
    assert wb["ガント"]["F4"].value == "令和5年度"  # fiscal years in 和暦 (the plan starts 2023-04)
    wb = load_workbook(write_plan_report(plan_result, "xlsx", tmp_path / "n.xlsx", date_style="nendo"))
    ws = wb["概要"]
    assert ws.cell(header + 1, 5).value == "2026-03-31（令和7年度）"
    html = write_plan_report(plan_result, "html", tmp_path / "w.html", date_style="wareki")
    assert "令和8年3月31日" in html.read_text(encoding="utf-8")
    with pytest.raises(UsageError):
        write_plan_report(plan_result, "xlsx", tmp_path / "x.xlsx", date_style="koki")


def test_html_report(plan_result: Any, plan_and_baseline: tuple[Any, Any], tmp_path: Path) -> None:
    _, baseline = plan_and_baseline
    path = write_plan_report(plan_result, "html", tmp_path / "p.html", baseline=baseline, generated=WHEN)
    html = path.read_text(encoding="utf-8")
    assert_self_contained(html)
    assert "<svg" in html and "業務別ガントチャート" in html
    assert html.index("002 印鑑登録") < html.index("024 国民健康保険") < html.index("001 住民基本台帳")
    assert "残り 364 日" in html  # days remaining to 2026-03-31 as of 2025-04-01
    assert "日超過見込" in html  # inkan's projected overrun
    assert "残り 2,190 日" in html  # 特定移行支援: 2031-03-31
    assert "(特定移行支援)" in html
    assert 'stroke="#000000" stroke-width="2"' in html  # the critical path outlined
    assert 'fill="#C62828"' in html and 'fill="#F9A825"' in html and 'fill="#2E7D32"' in html
    assert "基準日 2025-04-01" in html and "国の目標" in html
    assert 'opacity="0.7"' in html  # baseline bars under the milestone bars
    assert "&lt;" not in DDE and "+cmd|&#39; /C calc&#39;!A0" in html
    assert "<details" in html and 'id="b-inkan" open' in html


def test_default_path(plan_result: Any) -> None:
    assert default_path(plan_result, "xlsx") == Path("reports/plan-plan-2025-04-01.xlsx")


def test_cli_plan_report(plan_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    res = CliRunner().invoke(
        report,
        [str(plan_file), "--format", "xlsx", "-o", str(out), "--as-of", "R7.4.1", "--baseline", "R5-04"],
        catch_exceptions=False,
    )
    assert res.exit_code == 0, res.output
    assert res.stdout.strip() == str(out)
    ws = load_workbook(out)["概要"]
    assert "基準日 2025-04-01" in ws["A2"].value and "基準計画 R5-04" in ws["A5"].value
    res = CliRunner().invoke(
        report,
        [str(plan_file), "--format", "html", "-o", str(tmp_path / "r.html"), "--as-of", "2025-04-01"],
        catch_exceptions=False,
    )
    assert res.exit_code == 0 and (tmp_path / "r.html").exists()
    res = CliRunner().invoke(
        report,
        [str(plan_file), "-o", str(tmp_path / "n.xlsx"), "--as-of", "2025-04-01", "--dates", "nendo"],
        catch_exceptions=False,
    )
    assert res.exit_code == 0
    assert "（令和7年度）" in load_workbook(tmp_path / "n.xlsx")["概要"]["A2"].value


def test_demo_plan(tmp_path: Path) -> None:
    demo = ROOT / "demo" / "plan.yaml"
    if not demo.exists():
        pytest.skip("demo/plan.yaml is not there yet")
    res = CliRunner().invoke(
        report,
        [str(demo), "--format", "html", "-o", str(tmp_path / "d.html"), "--as-of", "2026-11-23"],
        catch_exceptions=False,
    )
    assert res.exit_code == 0, res.output
    assert_self_contained((tmp_path / "d.html").read_text(encoding="utf-8"))
