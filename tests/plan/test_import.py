"""`plan import`: a WBS kept in Excel, with the default and a custom column layout."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from migrate.plan.load import load_plan
from tests.conftest import run

HEADERS = [
    "業務", "ID", "作業項目", "手順番号", "期間(営業日)", "実績開始日", "実績終了日", "進捗率",
    "ステータス", "先行作業", "ベンダー", "期限", "期限の理由",
]  # fmt: skip
FIELDS = ["business", "id", "name", "step", "duration", "actual_start", "actual_finish", "progress",
          "status", "depends_on", "vendor", "deadline", "deadline_reason"]  # fmt: skip


def row(**values: Any) -> list[Any]:
    return [values.get(f) for f in FIELDS]


ROWS: list[list[Any]] = [
    row(business="住基", id="s01", name="推進体制の立ち上げ", step=1, duration=10, status="完了",
        actual_start=dt.datetime(2025, 4, 1), actual_finish=dt.datetime(2025, 4, 14), vendor="北斗"),
    row(business="住基", id="s02", name="現行システムの概要調査", step=2, duration=20, progress=0.4,
        actual_start=dt.datetime(2025, 4, 15), status="作業中", depends_on="s01"),
    row(),
    row(business="国民健康保険", id="s01", name="推進体制の立ち上げ", step=1, duration=15, status="未着手",
        depends_on="juki:s02", vendor="あさひ", deadline=dt.datetime(2027, 3, 31), deadline_reason="ベンダー人員不足"),
]  # fmt: skip


def _workbook(path: Path, rows: list[list[Any]] = ROWS, sheet: str = "WBS") -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    for r in range(2, ws.max_row + 1):
        ws.cell(r, 8).number_format = "0%"
    wb.save(path)
    return path


def _import(tmp_path: Path, book: Path, *extra: str) -> Any:
    return run(
        "plan", "import", str(book), "--municipality", "テスト市", "--lg-code", "131016",
        "-o", str(tmp_path / "plan.yaml"), *extra,
    )  # fmt: skip


def test_import_with_the_default_layout(tmp_path: Path) -> None:
    result = _import(tmp_path, _workbook(tmp_path / "wbs.xlsx"))
    assert result.exit_code == 0, result.output
    assert "2 業務, 3 マイルストーン" in result.output
    plan = load_plan(tmp_path / "plan.yaml")
    assert plan.start == dt.date(2025, 4, 1)
    juki = plan.business("juki")
    assert juki.vendor == "北斗"
    s02 = juki.milestone("s02")
    assert s02.progress == 40.0 and s02.status is not None and s02.status.value == "作業中"
    assert s02.depends_on == ("s01",)
    kokuho = plan.business("kokuho")
    assert kokuho.deadline == dt.date(2027, 3, 31) and kokuho.special_support
    assert kokuho.milestone("s01").depends_on == ("juki:s02",)
    assert run("plan", "status", str(tmp_path / "plan.yaml"), "--as-of", "2025-05-01").exit_code == 0


def test_import_with_a_custom_layout(tmp_path: Path) -> None:
    layout = tmp_path / "layout.yaml"
    layout.write_text(
        """kind: migrate/plan-import-layout
format: 1
sheet: 工程表
header_row: 1
columns: {business: A, id: B, name: C, duration: E, depends_on: J}
""",
        encoding="utf-8",
    )
    rows = [row(business="juki", id="a", name="A", duration=5)]
    book = _workbook(tmp_path / "wbs.xlsx", rows, sheet="工程表")
    result = _import(tmp_path, book, "--layout", str(layout), "--start", "2025-04-01")
    assert result.exit_code == 0, result.output
    assert load_plan(tmp_path / "plan.yaml").business("juki").milestone("a").duration == 5
    layout.write_text(layout.read_text(encoding="utf-8").replace("duration: E", "duration: 日数"))
    result = _import(tmp_path, book, "--layout", str(layout), "--start", "2025-04-01", "--force")
    assert result.exit_code == 3 and "列 日数 (duration) が見出し行にありません" in result.output


def test_import_errors_name_the_cell(tmp_path: Path) -> None:
    rows = [row(business="住基", id="s01", name="A", duration=10), row(business="国保X", id="s01", name="A")]
    result = _import(tmp_path, _workbook(tmp_path / "wbs.xlsx", rows), "--start", "2025-04-01")
    assert result.exit_code == 3
    assert "wbs.xlsx WBS!A3" in result.output and "業務 国保X が分かりません" in result.output

    rows = [row(business="住基", id="s01", name="A", duration="十日")]
    result = _import(tmp_path, _workbook(tmp_path / "wbs.xlsx", rows), "--start", "2025-04-01")
    assert result.exit_code == 3 and "WBS!E2" in result.output

    rows = [row(business="住基", id="s01", name="A", duration=10, depends_on="s09")]
    result = _import(tmp_path, _workbook(tmp_path / "wbs.xlsx", rows), "--start", "2025-04-01")
    assert (
        result.exit_code == 3
        and "WBS!2" in result.output
        and "依存先 juki:s09 が見つかりません" in result.output
    )

    not_xlsx = tmp_path / "wbs2.xlsx"
    not_xlsx.write_text("not a workbook", encoding="utf-8")
    assert _import(tmp_path, not_xlsx).exit_code == 4
    assert _import(tmp_path, tmp_path / "missing.xlsx").exit_code == 4
