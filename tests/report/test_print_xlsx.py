"""Printing the workbooks (issue 16): page set-up read back with openpyxl, and page counts and type
sizes measured in LibreOffice's own PDF of each sheet.

The LibreOffice test converts every sheet of every workbook in one `soffice --headless` call (each
sheet saved as a workbook of its own first, so pages are counted per sheet). It is skipped when
soffice is absent, except in CI (`CI` set), where its absence is a failure: `.ci/run` installs
libreoffice-calc and fonts-crosextra-carlito (Calibri's metrics, so column widths print as in Excel).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import os
import re
import shutil
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from migrate.report.plan import write_plan_report
from migrate.report.plan.xlsx import SUMMARY_COLUMNS, WEEK_SCALE
from migrate.xlsx import column_px, display_width, printable_px
from tests.conftest import ROOT, run
from tests.report.helpers import done_until, find_row

WHEN = dt.datetime(2026, 11, 23, 9, 0)
AS_OF = dt.date(2026, 11, 23)  # the demo's
MID_PLAN = dt.date(2025, 3, 3)  # the 20-business plan's as-of date: its businesses are under way
A3 = (8, "8")


# ------------------------------------------------------------------------------------------ inputs


def twenty_businesses() -> Any:
    """All 20 businesses of the 標準化法 on the standard template, progress lagging by business so
    there are red, amber and green ones with reasons, long vendor names, one 特定移行支援."""
    from migrate.plan.catalog import business_catalog
    from migrate.plan.engine import compute
    from migrate.plan.template import build_plan, load_template

    cat = business_catalog()
    plan = build_plan(
        load_template(),
        municipality="ひかり台市",
        lg_code="992011",
        businesses=list(cat.values()),
        start=dt.date(2023, 4, 3),
    )
    first = compute(plan, plan.start)
    vendors = [
        "北斗システムズ株式会社",
        "あさひ情報サービス株式会社",
        "みらい計算センター",
        "ひかり台電算 (共同利用)",
    ]
    out = []
    for i, b in enumerate(plan.businesses):
        cutoff = MID_PLAN - dt.timedelta(days=(i * 23) % 200)
        milestones = done_until(b, first, cutoff)
        vendor = "あさひ情報サービス株式会社 公共ソリューション事業部" if i == 7 else vendors[i % 4]
        extra: dict[str, Any] = {"milestones": tuple(milestones), "vendor": vendor}
        if i == 5:
            extra.update(deadline=dt.date(2031, 3, 31), special_support=True)
        out.append(b.model_copy(update=extra))
    plan = plan.model_copy(update={"businesses": tuple(out)})
    return compute(plan, MID_PLAN, path="plan-20.yaml")


def demo_result(*, risk: bool) -> Any:
    from migrate.cli.plan import with_risk
    from migrate.plan.catalog import business_catalog
    from migrate.plan.engine import compute
    from migrate.plan.load import load_plan

    path = ROOT / "demo" / "plan.yaml"
    plan = load_plan(path, set(business_catalog()))
    result = compute(plan, AS_OF, path=path)
    return with_risk(result, path, 300, seed=1) if risk else result


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory, juki_result: Any) -> dict[str, Path]:
    from migrate.report.validation import write_validation_report

    out = tmp_path_factory.mktemp("print")
    paths = {
        "plan20": write_plan_report(twenty_businesses(), "xlsx", out / "plan20.xlsx", generated=WHEN),
        "demo": write_plan_report(demo_result(risk=True), "xlsx", out / "demo.xlsx", generated=WHEN),
        "validation": write_validation_report([juki_result], "xlsx", out / "validation.xlsx", generated=WHEN),
    }
    dd = out / "dd.xlsx"
    assert run("specs", "export", "juki@6.1", "--format", "xlsx", "-o", str(dd)).exit_code == 0
    paths["dd"] = dd
    return paths


# ----------------------------------------------------------------------------- set-up, read back


def header_footer(ws: Any) -> tuple[str, str, str]:
    return (ws.oddHeader.left.text or "", ws.oddHeader.right.text or "", ws.oddFooter.center.text or "")


def assert_page(ws: Any, *, wide: int | None = 1, tall: int = 0, title: str | None = None) -> None:
    assert ws.page_setup.paperSize in A3, ws.title
    assert ws.page_setup.orientation == "landscape", ws.title
    if wide is None:
        assert not ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    else:
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True, ws.title
        assert int(ws.page_setup.fitToWidth) == wide, ws.title
        assert int(ws.page_setup.fitToHeight) == tall, ws.title
    assert ws.page_margins.left == pytest.approx(0.4) and ws.page_margins.top == pytest.approx(0.6)
    left, right, footer = header_footer(ws)
    assert right == "&A" and footer == "&P / &N", ws.title
    if title is not None:
        assert left == title, (ws.title, left)


def fit_scale(ws: Any, last_col: int) -> float:
    """The scale fit-to-width gives: the printable width over the columns' width (at 7 px a unit)."""
    from openpyxl.utils import get_column_letter

    total = sum(column_px(ws.column_dimensions[get_column_letter(c)].width) for c in range(1, last_col + 1))
    return min(1.0, printable_px()[0] / total)


def test_plan_summary_one_a3_page(books: dict[str, Path]) -> None:
    wb = load_workbook(books["plan20"])
    assert wb.sheetnames == ["概要", "ガント", "工程ガント", "マイルストーン", "注記"]
    ws = wb["概要"]
    header = find_row(ws, 1, "コード")
    assert ws.max_row == header + 20  # every business, one row each
    assert_page(ws, wide=1, tall=1, title="ひかり台市 基幹業務システム標準化 移行状況")
    assert ws.print_area == f"'概要'!$A$1:$P${header + 20}"
    assert ws.print_title_rows == f"${header}:${header}" and ws.print_title_cols == "$A:$B"
    # Wide enough to read: fit to width leaves >= 82 %, so 11 pt text prints at >= 9 pt.
    scale = fit_scale(ws, len(SUMMARY_COLUMNS))
    assert scale >= 0.82, scale
    sizes = {c.font.sz or 11 for row in ws.iter_rows() for c in row if c.value is not None}
    assert min(sizes) * scale >= 9, sizes
    # Tall enough for one page at that scale: the rows' heights (set, so Excel and LibreOffice agree).
    heights = sum(ws.row_dimensions[r].height or 15 for r in range(1, ws.max_row + 1))
    assert heights * 0.75 <= printable_px()[1] * 0.75 / scale, heights
    # Long text wraps (and the row is as tall as its lines); no cell holds more than the summary's share.
    why = ws.cell(header + 1, 16)
    assert why.alignment.wrap_text and ws.cell(header + 1, 15).alignment.wrap_text
    # No risk run in this plan: 未計算, never a made-up number.
    assert {ws.cell(r, 11).value for r in range(header + 1, ws.max_row + 1)} == {"未計算"}


def test_plan_summary_probability_from_risk(books: dict[str, Path]) -> None:
    ws = load_workbook(books["demo"])["概要"]
    header = find_row(ws, 1, "コード")
    assert ws.cell(header, 11).value == "期限内確率"
    values = {ws.cell(r, 2).value: ws.cell(r, 11).value for r in range(header + 1, ws.max_row + 1)}
    result = demo_result(risk=True)
    for b in result.businesses:
        p = result.risk.business(b.id).probability
        expected = "-" if b.migrated or p is None else pytest.approx(p)
        assert values[b.name] == expected, b.id
    assert any(isinstance(v, float) for v in values.values())
    assert ws.cell(header + 1, 11).number_format == "0.0%"


def test_business_gantt_one_page(books: dict[str, Path]) -> None:
    wb = load_workbook(books["plan20"])
    ws = wb["ガント"]
    assert_page(ws, wide=1, tall=1)
    assert ws.print_title_rows == "$4:$5" and ws.print_title_cols == "$A:$E"
    assert ws["A5"].value == "業務" and ws["E5"].value == "期限内確率"
    businesses = [ws.cell(r, 1).value for r in range(6, 26)]
    assert all(businesses) and len(set(businesses)) == 20  # one row per business
    # Months as columns, from the plan's start to the latest deadline (2031-03 for 特定移行支援).
    years = [ws.cell(4, c).value for c in range(6, ws.max_column + 1) if ws.cell(4, c).value]
    assert years[0] == "2023年度" and years[-1] == "2030年度"
    months = ws.max_column - 5
    assert months == 12 * 8
    assert fit_scale(ws, ws.max_column) >= 0.8
    # The legend: each label fits its own cell (nothing overlaps), the marks' line in row 3 alone.
    for c in range(1, 6):
        text = str(ws.cell(2, c).value)
        width = ws.cell(2, c).column_letter
        assert display_width(text) + 1 <= ws.column_dimensions[width].width, text
    assert [c.value for c in ws[3] if c.value is not None] == [ws["A3"].value]
    # The as-of month: a blue header cell and a blue line; each business's deadline marked ▼.
    as_of = next(c for c in range(6, ws.max_column + 1) if ws.cell(5, c).fill.fgColor.rgb.endswith("1565C0"))
    assert ws.cell(6, as_of).border.left.style == "medium"
    assert all("▼" in [ws.cell(r, c).value for c in range(6, ws.max_column + 1)] for r in range(6, 26))
    assert "▲基準日" in [ws.cell(26, c).value for c in range(6, ws.max_column + 1)]


def test_weekly_gantt_pages(books: dict[str, Path]) -> None:
    ws = load_workbook(books["demo"])["工程ガント"]
    assert_page(ws, wide=None)
    assert ws.page_setup.scale == WEEK_SCALE and ws.page_setup.pageOrder == "overThenDown"
    assert ws.print_title_rows == "$3:$5" and ws.print_title_cols == "$A:$B"
    # One column per week (not per day): 2023-03 to 2031-04.
    assert 400 < ws.max_column - 8 < 440
    # Vertical breaks at fiscal years (the week after them starts April), two years to a page.
    starts = [ws.cell(4, b.id + 1).value for b in ws.col_breaks.brk]
    assert starts and all(s.endswith("/4") for s in starts), starts
    years = [int(s.split("/")[0]) for s in starts]
    assert all(b - a == 2 for a, b in itertools.pairwise(years)), years
    # Horizontal breaks only between businesses (the row after a break is a business's row).
    rows = [b.id + 1 for b in ws.row_breaks.brk]
    assert rows and all(ws.cell(r, 1).font.bold and ws.cell(r, 7).value for r in rows)


def test_data_dictionary_page_setup(books: dict[str, Path]) -> None:
    wb = load_workbook(books["dd"])
    assert wb.sheetnames == ["表紙", "住民", "世帯", "異動履歴", "コード表"]
    title = "juki@6.1 住民基本台帳 データ項目定義書"
    for ws in wb.worksheets:
        assert_page(ws, wide=1, title=title)
        if ws.title != "表紙":
            assert ws.print_title_rows == "$1:$1", ws.title
            assert fit_scale(ws, ws.max_column) >= 0.75, ws.title
    cover = wb["表紙"]
    notes = {cover.cell(r, 1).value: cover.cell(r, 2).value for r in range(1, cover.max_row + 1)}
    assert notes["注記"].startswith("全 ") and "想定の項目は公式文書と照合するまで" in notes["注記"]
    assert cover.row_breaks.brk  # the tables start a page of their own
    ws = wb["住民"]
    assert ws.cell(2, 24).alignment.wrap_text and ws.row_dimensions[2].height >= 16


def test_data_dictionary_english(tmp_path: Path) -> None:
    out = tmp_path / "en.xlsx"
    assert (
        run("--lang", "en", "specs", "export", "juki@6.1", "--format", "xlsx", "-o", str(out)).exit_code == 0
    )
    cover = load_workbook(out)["Cover"]
    notes = {cover.cell(r, 1).value: cover.cell(r, 2).value for r in range(1, cover.max_row + 1)}
    assert "items are official" in notes["Notes"]
    assert cover.oddHeader.left.text == "juki@6.1 Basic Resident Register data dictionary"


def test_validation_and_nightly_page_setup(books: dict[str, Path], nightly_run: Any, tmp_path: Path) -> None:
    from migrate.report.nightly import write_dashboard

    wb = load_workbook(books["validation"])
    for ws in wb.worksheets:
        header = find_row(ws, 1, "ファイル")
        assert_page(ws, title="移行データ検証レポート")
        assert ws.print_title_rows == f"${header}:${header}"
    nightly = load_workbook(write_dashboard(nightly_run, tmp_path)[1])
    for ws in nightly.worksheets:
        assert_page(ws)
        assert ws.print_title_rows is not None


# ------------------------------------------------------------------------------------- LibreOffice


def soffice() -> str:
    """LibreOffice's path; skip without it, except in CI (CI=…), where its absence is a failure."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("soffice is missing: .ci/run installs Debian's libreoffice-calc package")
    pytest.skip("LibreOffice (soffice) is not installed (apt-get install libreoffice-calc)")


@dataclasses.dataclass
class Printed:
    pages: int
    font_sizes: list[float]  # every text size on the pages, in points as printed


def pdf_pages(pdf: Path) -> Printed:
    """Page count (`/Type /Page` objects) and printed type sizes (`Tf` operands of LibreOffice's
    content streams, which carry the scale) of a PDF: enough of a parser for our own output."""
    data = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", data))
    sizes: list[float] = []
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            text = zlib.decompress(m.group(1))
        except zlib.error:
            continue
        sizes += [float(x) for x in re.findall(rb"([\d.]+) Tf", text)]
    return Printed(pages, sizes)


def split_sheets(book: Path, out: Path) -> dict[str, Path]:
    """One workbook per sheet (the sheet's set-up kept), so LibreOffice's pages can be counted per sheet."""
    names = load_workbook(book).sheetnames
    parts = {}
    for i, name in enumerate(names):
        wb = load_workbook(book)
        for other in names:
            if other != name:
                del wb[other]
        path = out / f"{book.stem}-{i}.xlsx"
        wb.save(path)
        parts[name] = path
    return parts


@pytest.fixture(scope="module")
def printed(
    books: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, Printed]]:
    exe = soffice()
    out = tmp_path_factory.mktemp("pdf")
    parts = {key: split_sheets(path, out) for key, path in books.items()}
    files = [str(p) for sheets in parts.values() for p in sheets.values()]
    profile = (out / "lo-profile").as_uri()  # private: parallel runs do not share a profile
    proc = subprocess.run(
        [
            exe,
            "--headless",
            f"-env:UserInstallation={profile}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *files,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return {
        key: {name: pdf_pages(p.with_suffix(".pdf")) for name, p in sheets.items()}
        for key, sheets in parts.items()
    }


def test_libreoffice_page_counts(printed: dict[str, dict[str, Printed]]) -> None:
    pages = {key: {name: p.pages for name, p in sheets.items()} for key, sheets in printed.items()}
    # Plan workbook, 20 businesses: summary and business Gantt on one page each.
    plan = pages["plan20"]
    assert plan["概要"] == 1 and plan["ガント"] == 1, plan
    assert plan["注記"] <= 2 and plan["マイルストーン"] <= 20, plan
    demo = pages["demo"]
    assert demo["概要"] == 1 and demo["ガント"] == 1, demo
    # The weekly Gantt: at most 5 page widths (two fiscal years each) per business of 7.
    assert 7 <= demo["工程ガント"] <= 7 * 5, demo
    # Data dictionary of juki 6.1: every entity's columns on one page width.
    dd = pages["dd"]
    assert dd["表紙"] == 2 and dd["住民"] <= 3 and dd["世帯"] == 1 and dd["異動履歴"] == 1, dd
    assert dd["コード表"] <= 4, dd
    assert all(n == 1 for name, n in pages["validation"].items() if name != "検査一覧"), pages["validation"]


def test_libreoffice_type_sizes(printed: dict[str, dict[str, Printed]]) -> None:
    for key in ("plan20", "demo"):
        summary = printed[key]["概要"]
        assert min(summary.font_sizes) >= 9.0, (key, min(summary.font_sizes))  # >= 9 pt as printed
        assert max(summary.font_sizes) >= 14 * 0.82, key  # the title: a scale of >= 82 %
        assert min(printed[key]["ガント"].font_sizes) >= 7.0, key
    for name, sheet in printed["dd"].items():
        assert min(sheet.font_sizes) >= 8.0, (name, min(sheet.font_sizes))  # 11 pt at >= 75 %
