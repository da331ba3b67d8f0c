"""The validation report: workbook structure, colours, print set-up, formula safety, masking, scope."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from migrate.errors import UsageError
from migrate.mask import MY_NUMBER_MASK
from migrate.report.validation import default_path, write_validation_report, write_vendor_reports
from tests.conftest import run
from tests.report.conftest import AT, DDE, FORMULA, STRAY_MY_NUMBER, JukiExtract, validate
from tests.report.helpers import (
    RED,
    all_cells,
    all_text,
    assert_no_my_number,
    assert_print_setup,
    assert_self_contained,
    find_row,
    formula_cells,
    rgb,
)

SHEETS = ["概要", "規則別", "項目別", "不備例", "外字", "検査一覧", "マッピング"]
WHEN = dt.datetime(2026, 11, 23, 9, 0)


@pytest.fixture(scope="module")
def workbook(juki_result: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    path = write_validation_report(
        [juki_result], "xlsx", tmp_path_factory.mktemp("v") / "v.xlsx", generated=WHEN
    )
    return path, load_workbook(path)


def test_workbook_sheets_and_summary(workbook: tuple[Path, Any], juki_result: Any) -> None:
    _, wb = workbook
    assert wb.sheetnames == SHEETS
    ws = wb["概要"]
    assert ws["A1"].value == "移行データ検証レポート"
    assert ws["A1"].font.bold
    header = find_row(ws, 1, "ファイル")
    assert [c.value for c in ws[header]][:13] == [
        "ファイル",
        "ベンダー",
        "仕様",
        "エンティティ",
        "マッピング",
        "文字コード",
        "行数",
        "エラー",
        "警告",
        "エラー行",
        "移行可能率",
        "全検査実行",
        "判定",
    ]
    row = header + 1
    assert ws.cell(row, 1).value == "j.csv"
    assert ws.cell(row, 2).value == "ベンダーA"
    assert ws.cell(row, 5).value == "midori-jumin-v1"
    assert ws.cell(row, 7).value == juki_result.rows == 60
    assert ws.cell(row, 8).value == juki_result.errors > 0
    assert ws.cell(row, 11).value == pytest.approx(juki_result.readiness)
    assert ws.cell(row, 11).number_format == "0.00%"
    status = ws.cell(row, 13)
    assert status.value == "エラーあり"
    assert rgb(status) == RED
    assert ws.freeze_panes == f"B{header + 1}"
    assert ws.auto_filter.ref.startswith(f"A{header}:")
    assert rgb(ws.cell(header, 1)) == "DDEBF7"
    assert ws.column_dimensions["A"].width >= 10


def test_every_sheet_prints_on_a3_landscape(workbook: tuple[Path, Any]) -> None:
    _, wb = workbook
    for ws in wb.worksheets:
        header = find_row(ws, 1, "ファイル")
        assert_print_setup(ws, f"${header}:${header}")
        assert ws.freeze_panes is not None


def test_rule_item_and_sample_sheets(workbook: tuple[Path, Any], juki_result: Any) -> None:
    _, wb = workbook
    rules = wb["規則別"]
    codes = {rules.cell(r, 2).value for r in range(2, rules.max_row + 1)}
    assert {"check-digit-invalid", "code-unmapped", "code-invalid", "date-invalid"} <= codes
    r = find_row(rules, 2, "date-invalid")
    assert rules.cell(r, 3).value == "日付として正しくない"
    assert rules.cell(r, 6).value == "エラー"
    assert rules.cell(r, 8).value == 5  # the physical line of row 3 (header is line 1)
    items = wb["項目別"]
    assert "birth_date" in {items.cell(r, 2).value for r in range(2, items.max_row + 1)}
    samples = wb["不備例"]
    assert [c.value for c in samples[1]][:3] == ["ファイル", "行番号", "規則"]
    lines = [samples.cell(r, 2).value for r in range(2, samples.max_row + 1)]
    assert 5 in lines and all(isinstance(v, int) for v in lines)
    # Personal values are masked: 生年月日 S45.13.01 is shown as its first character only.
    r = find_row(samples, 3, "date-invalid")
    assert samples.cell(r, 8).value == "S＊＊＊"
    gaiji = wb["外字"]
    assert gaiji.cell(2, 3).value == "U+E000" and gaiji.cell(2, 4).value == "F040"
    mapping = wb["マッピング"]
    assert mapping.cell(2, 2).value == "midori-jumin-v1"
    pairs = {(mapping.cell(r, 7).value, mapping.cell(r, 8).value) for r in range(2, mapping.max_row + 1)}
    assert ("birth_date", "生年月日") in pairs
    checks = wb["検査一覧"]
    assert checks.max_row - 1 == len(juki_result.checks) + len(juki_result.skipped)  # checks, then not run


def test_formula_like_values_stay_text(workbook: tuple[Path, Any]) -> None:
    path, wb = workbook
    samples = wb["不備例"]
    values = {samples.cell(r, 8).value: samples.cell(r, 8) for r in range(2, samples.max_row + 1)}
    for text in (FORMULA, DDE, AT):
        cell = values[text]
        assert cell.data_type == "s", text
        assert cell.quotePrefix, text
    assert formula_cells(path) == []
    assert not any(c.data_type == "f" for _, c in all_cells(wb))


def test_no_my_number_in_workbook_or_html(
    workbook: tuple[Path, Any], juki_result: Any, juki_extract: JukiExtract, tmp_path: Path
) -> None:
    _, wb = workbook
    text = all_text(wb)
    assert_no_my_number([text], juki_extract.my_numbers)
    assert MY_NUMBER_MASK in text  # the stray valid number in 性別 and the invalid one in 個人番号
    html = write_validation_report([juki_result], "html", tmp_path / "v.html").read_text(encoding="utf-8")
    assert_no_my_number([html], juki_extract.my_numbers)
    assert STRAY_MY_NUMBER not in html


def test_show_values_still_hides_my_numbers(juki_extract: JukiExtract, tmp_path: Path) -> None:
    shown = validate(juki_extract.path, show_values=True)
    xlsx = write_validation_report([shown], "xlsx", tmp_path / "s.xlsx", show_values=True)
    html = write_validation_report([shown], "html", tmp_path / "s.html", show_values=True)
    wb = load_workbook(xlsx)
    assert "S45.13.01" in all_text(wb)  # personal values are shown on request…
    assert_no_my_number([all_text(wb), html.read_text(encoding="utf-8")], juki_extract.my_numbers)
    assert "取扱注意" in html.read_text(encoding="utf-8")


def test_html_report(juki_result: Any, tmp_path: Path) -> None:
    path = write_validation_report([juki_result], "html", tmp_path / "v.html", generated=WHEN)
    html = path.read_text(encoding="utf-8")
    assert_self_contained(html)
    assert "移行データ検証レポート" in html
    assert "ファイル別の概要" in html and "規則別" in html and "不備のある行の例" in html
    assert "使用したマッピング" in html and "midori-jumin-v1" in html
    assert "#C62828" in html or "var(--red)" in html
    assert "HYPERLINK(&#34;http://example.invalid&#34;" in html  # escaped text, not markup


def test_markup_in_values_is_escaped(juki_result: Any, tmp_path: Path) -> None:
    hostile = dataclasses.replace(juki_result, vendor="<script>alert(1)</script>")
    html = write_validation_report([hostile], "html", tmp_path / "x.html").read_text(encoding="utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert_self_contained(html)


def test_vendor_scoped_variant(two_vendor_results: list[Any], tmp_path: Path) -> None:
    a = write_validation_report(two_vendor_results, "xlsx", tmp_path / "a.xlsx", vendor="ベンダーA")
    wb = load_workbook(a)
    text = all_text(wb)
    assert "j.csv" in text and "other-vendor.csv" not in text and "ベンダーB" not in text
    assert "対象: ベンダーA のファイルのみ (1 件)" in text
    html = write_validation_report(two_vendor_results, "html", tmp_path / "b.html", vendor="ベンダーB")
    body = html.read_text(encoding="utf-8")
    assert "other-vendor.csv" in body and "j.csv" not in body and "ベンダーA" not in body
    paths = write_vendor_reports(two_vendor_results, "html", tmp_path / "vendors")
    assert sorted(paths) == ["ベンダーA", "ベンダーB"]
    assert all(p.exists() for p in paths.values())
    nobody = write_validation_report(two_vendor_results, "html", tmp_path / "n.html", vendor="ベンダーZ")
    assert "対象のファイルはありません" in nobody.read_text(encoding="utf-8")


def test_default_path(juki_result: Any, two_vendor_results: list[Any]) -> None:
    assert default_path([juki_result], "xlsx") == Path("reports/validation-j.xlsx")
    assert default_path(two_vendor_results, "html", now=WHEN) == Path(
        "reports/validation-20261123-090000.html"
    )
    assert default_path(two_vendor_results, "html", vendor="ベンダーB") == Path(
        "reports/validation-other-vendor-ベンダーB.html"
    )


def test_default_path_written_under_reports(
    juki_result: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = write_validation_report([juki_result], "html")
    assert path == Path("reports/validation-j.html") and (tmp_path / path).exists()


def test_unknown_format(juki_result: Any) -> None:
    with pytest.raises(UsageError):
        write_validation_report([juki_result], "pdf")


def test_english_headings(juki_result: Any, tmp_path: Path) -> None:
    from migrate.i18n import set_lang

    set_lang("en")
    wb = load_workbook(write_validation_report([juki_result], "xlsx", tmp_path / "en.xlsx"))
    assert wb.sheetnames[0] == "Summary"
    assert wb["Summary"]["A1"].value == "Migration data validation report"


def test_cli_validate_writes_the_report(juki_extract: JukiExtract, tmp_path: Path) -> None:
    out = tmp_path / "cli.xlsx"
    result = run(
        "validate",
        str(juki_extract.path),
        "--mapping",
        str(Path("mappings/juki/midori-jumin-v1.yaml").resolve()),
        "--report",
        "xlsx",
        "--report-path",
        str(out),
    )
    assert result.exit_code == 1  # findings at error level
    assert out.exists()
    assert load_workbook(out).sheetnames == SHEETS


def test_clean_file_is_green(tmp_path: Path) -> None:
    import polars as pl

    from migrate.samples import write_juki
    from migrate.validate.run import FINDING_SCHEMA
    from tests.report.helpers import GREEN

    clean = validate(write_juki(tmp_path / "clean.csv", 5, defects=False))
    # skipped=[]: without --ref the reference check of setai_no does not run (amber), see test_hostile
    clean = dataclasses.replace(clean, findings=pl.DataFrame(schema=FINDING_SCHEMA), gaiji=[], skipped=[])
    wb = load_workbook(write_validation_report([clean], "xlsx", tmp_path / "c.xlsx"))
    ws = wb["概要"]
    row = find_row(ws, 1, "clean.csv")
    assert ws.cell(row, 13).value == "問題なし" and rgb(ws.cell(row, 13)) == GREEN
    assert ws.cell(row, 11).value == 1
    html = write_validation_report([clean], "html", tmp_path / "c.html").read_text(encoding="utf-8")
    assert "不備はありません" in html


def test_report_modules_do_not_import_openpyxl() -> None:
    import subprocess
    import sys

    code = (
        "import sys, migrate.cli.plan_report, migrate.report.plan, migrate.report.validation, "
        "migrate.report.nightly, migrate.report.history, migrate.report.plan.xlsx, "
        "migrate.report.validation.xlsx, migrate.report.nightly.xlsx; "
        "assert 'openpyxl' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_fix_hints_and_severities_in_the_reports(juki_result: Any, tmp_path: Path) -> None:
    from migrate.findings import hint_of

    code = juki_result.counts()[0]["code"]
    wb = load_workbook(write_validation_report([juki_result], "xlsx", tmp_path / "h.xlsx"))
    ws = wb["規則別"]
    assert ws.cell(1, 9).value == "修正のヒント"
    assert hint_of(code) in {ws.cell(r, 9).value for r in range(2, ws.max_row + 1)}
    assert "warning" not in {ws.cell(r, 6).value for r in range(2, ws.max_row + 1)}
    html = write_validation_report([juki_result], "html", tmp_path / "h.html").read_text(encoding="utf-8")
    assert "修正のヒント" in html and str(hint_of(code)) in html
