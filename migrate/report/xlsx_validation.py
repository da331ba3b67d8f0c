"""The validation workbook: summary, by rule, by item, failing-row samples, 外字, checks, mapping."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from migrate.i18n import t
from migrate.report.validation_text import skip_reason
from migrate.report.xlsx_common import (
    add_sheet,
    new_workbook,
    print_setup,
    set_print_title,
    table,
    title_block,
)
from migrate.xlsx import write_workbook_atomically

if TYPE_CHECKING:
    from openpyxl import Workbook

    from migrate.report.validation import ReportContext

SHEETS = {
    "summary": ("概要", "Summary"),
    "rules": ("規則別", "By rule"),
    "items": ("項目別", "By item"),
    "samples": ("不備例", "Samples"),
    "gaiji": ("外字", "Gaiji"),
    "checks": ("検査一覧", "Checks"),
    "mapping": ("マッピング", "Mapping"),
}


def sheet_name(key: str) -> str:
    ja, en = SHEETS[key]
    return t(ja, en)


def build_workbook(ctx: ReportContext) -> Workbook:
    from migrate.report.validation import file_status_label, severity_label

    wb = new_workbook()
    file_h = t("ファイル", "file")

    ws = add_sheet(wb, sheet_name("summary"))
    start = title_block(
        ws,
        ctx.title,
        [
            t("作成 {d}", "generated {d}", d=ctx.generated.strftime("%Y-%m-%d %H:%M")),
            ctx.scope_note,
            ctx.masking_note,
        ],
    )
    table(
        ws,
        [
            file_h,
            t("ベンダー", "vendor"),
            t("仕様", "spec"),
            t("エンティティ", "entity"),
            t("マッピング", "mapping"),
            t("文字コード", "encoding"),
            t("行数", "rows"),
            t("エラー", "errors"),
            t("警告", "warnings"),
            t("エラー行", "rows with errors"),
            t("移行可能率", "readiness"),
            t("全検査実行", "complete"),
            t("判定", "status"),
            t("パス", "path"),
        ],
        [
            [
                f.name,
                f.vendor or "",
                f.spec,
                f.entity,
                f.mapping or "",
                f.encoding,
                f.rows,
                f.errors,
                f.warnings,
                f.error_rows,
                f.readiness,
                t("はい", "yes") if f.complete else t("いいえ", "no"),
                f.status,
                f.file,
            ]
            for f in ctx.files
        ],
        start_row=start,
        freeze_columns=1,
        number_formats={6: "#,##0", 7: "#,##0", 8: "#,##0", 9: "#,##0", 10: "0.00%"},
        status_column=12,
        status_text=file_status_label,
    )
    ws.column_dimensions["A"].width = max(ws.column_dimensions["A"].width or 0, 24)
    print_setup(ws, title_rows=f"{start}:{start}")

    ws = add_sheet(wb, sheet_name("rules"))
    table(
        ws,
        [
            file_h,
            t("規則", "rule"),
            t("内容", "meaning"),
            t("項目", "item"),
            t("旧列", "legacy column"),
            t("重大度", "severity"),
            t("件数", "count"),
            t("初出行", "first line"),
        ],
        [
            [
                f.name,
                r["code"],
                r["title"],
                r["item"],
                r["column"],
                r["severity_label"],
                r["count"],
                r["first_line"],
            ]
            for f in ctx.files
            for r in f.rules
        ],
        freeze_columns=2,
        number_formats={6: "#,##0"},
    )

    ws = add_sheet(wb, sheet_name("items"))
    table(
        ws,
        [
            file_h,
            t("項目", "item"),
            t("旧列", "legacy column"),
            t("エラー", "errors"),
            t("警告", "warnings"),
            t("エラー行", "rows with errors"),
            t("規則", "rules"),
        ],
        [
            [f.name, r["item"], r["column"], r["errors"], r["warnings"], r["error_rows"], r["codes"]]
            for f in ctx.files
            for r in f.items
        ],
        freeze_columns=2,
        number_formats={3: "#,##0", 4: "#,##0", 5: "#,##0"},
    )

    ws = add_sheet(wb, sheet_name("samples"))
    table(
        ws,
        [
            file_h,
            t("行番号", "line"),
            t("規則", "rule"),
            t("内容", "meaning"),
            t("項目", "item"),
            t("旧列", "legacy column"),
            t("重大度", "severity"),
            t("旧値", "legacy value"),
            t("変換後", "mapped value"),
            t("詳細", "detail"),
        ],
        [
            [
                f.name,
                s["line"],
                s["code"],
                s["title"],
                s["item"],
                s["column"],
                s["severity_label"],
                s["value"],
                s["mapped"],
                s["detail"],
            ]
            for f in ctx.files
            for s in f.samples
        ],
        freeze_columns=2,
    )

    ws = add_sheet(wb, sheet_name("gaiji"))
    table(
        ws,
        [
            file_h,
            t("文字", "character"),
            t("コードポイント", "code point"),
            "CP932",
            t("件数", "count"),
            t("項目", "items"),
        ],
        [
            [f.name, g["char"], g["codepoint"], g.get("cp932"), g["count"], g["items"]]
            for f in ctx.files
            for g in f.gaiji
        ],
        freeze_columns=1,
    )

    ws = add_sheet(wb, sheet_name("checks"))
    rows: list[list[object]] = []
    for f in ctx.files:
        for c in f.checks:
            rows.append(
                [
                    f.name,
                    c.get("item"),
                    c.get("code"),
                    severity_label(c.get("severity")),
                    t("はい", "yes") if c.get("ran") else t("いいえ", "no"),
                    "",
                ]
            )
        for s in f.skipped:
            rows.append(
                [
                    f.name,
                    s["item"],
                    s.get("code") or "-",
                    "-",
                    t("未実行", "not run"),
                    skip_reason(s),
                ]
            )
    table(
        ws,
        [
            file_h,
            t("項目", "item"),
            t("規則", "rule"),
            t("重大度", "severity"),
            t("実行", "ran"),
            t("列", "columns"),
        ],
        rows,
        freeze_columns=1,
    )

    ws = add_sheet(wb, sheet_name("mapping"))
    table(
        ws,
        [
            file_h,
            t("マッピング", "mapping"),
            t("仕様", "spec"),
            t("エンティティ", "entity"),
            t("文字コード", "encoding"),
            t("区切り文字", "delimiter"),
            t("項目", "item"),
            t("旧列", "legacy column"),
        ],
        [
            [f.name, f.mapping or "", f.spec, f.entity, f.encoding, repr(f.delimiter), item, cols]
            for f in ctx.files
            for item, cols in (f.columns or [("", "")])
        ],
        freeze_columns=1,
    )
    set_print_title(wb, ctx.title)
    return wb


def write_workbook(ctx: ReportContext, path: str | Path) -> Path:
    return write_workbook_atomically(build_workbook(ctx), path)
