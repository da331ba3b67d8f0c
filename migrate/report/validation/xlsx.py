"""The validation workbook: summary, by rule, by item, failing-row samples, 外字, checks, mapping.

One builder per sheet, each reading the ValidationView only.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from migrate.findings import severity_label
from migrate.i18n import t
from migrate.report.format import stamp, yes_no
from migrate.report.labels import headings, light_label
from migrate.report.validation.view import RULE_COLUMNS, ValidationView
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
    from openpyxl.worksheet.worksheet import Worksheet

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


def _summary(ws: Worksheet, view: ValidationView) -> None:
    start = title_block(
        ws,
        view.title,
        [t("作成 {d}", "generated {d}", d=stamp(view.generated)), view.scope_note, view.masking_note],
    )
    table(
        ws,
        headings(
            "file",
            "vendor",
            "spec",
            "entity",
            "mapping",
            "encoding",
            "rows",
            "errors",
            "warnings",
            "error_rows",
            "readiness",
            "complete",
            "status",
            "path",
        ),
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
                yes_no(f.complete),
                f.status,
                f.file,
            ]
            for f in view.files
        ],
        start_row=start,
        freeze_columns=1,
        number_formats={6: "#,##0", 7: "#,##0", 8: "#,##0", 9: "#,##0", 10: "0.00%"},
        status_column=12,
        status_text=light_label,
    )
    ws.column_dimensions["A"].width = max(ws.column_dimensions["A"].width or 0, 24)
    print_setup(ws, title_rows=f"{start}:{start}")


def _rules(ws: Worksheet, view: ValidationView) -> None:
    table(
        ws,
        headings("file", *RULE_COLUMNS, "hint"),
        [
            [f.name, r.code, r.title, r.item, r.column, r.severity_label, r.count, r.first_line, r.hint]
            for f in view.files
            for r in f.rules
        ],
        freeze_columns=2,
        number_formats={6: "#,##0"},
    )


def _items(ws: Worksheet, view: ValidationView) -> None:
    table(
        ws,
        headings("file", "item", "legacy_column", "errors", "warnings", "error_rows", "rules"),
        [
            [f.name, r.item, r.column, r.errors, r.warnings, r.error_rows, r.codes]
            for f in view.files
            for r in f.items
        ],
        freeze_columns=2,
        number_formats={3: "#,##0", 4: "#,##0", 5: "#,##0"},
    )


def _samples(ws: Worksheet, view: ValidationView) -> None:
    table(
        ws,
        headings(
            "file",
            "line",
            "rule",
            "meaning",
            "item",
            "legacy_column",
            "severity",
            "legacy_value",
            "mapped_value",
            "detail",
        ),
        [
            [f.name, s.line, s.code, s.title, s.item, s.column, s.severity_label, s.value, s.mapped, s.detail]
            for f in view.files
            for s in f.samples
        ],
        freeze_columns=2,
    )


def _gaiji(ws: Worksheet, view: ValidationView) -> None:
    table(
        ws,
        [*headings("file", "character", "codepoint"), "CP932", *headings("count", "items")],
        [[f.name, g.char, g.codepoint, g.cp932, g.count, g.items] for f in view.files for g in f.gaiji],
        freeze_columns=1,
    )


def _checks(ws: Worksheet, view: ValidationView) -> None:
    rows = [
        (
            [f.name, c.item, c.code or "-", "-", t("未実行", "not run"), c.reason]
            if c.skipped
            else [f.name, c.item, c.code, severity_label(c.severity), yes_no(c.ran), ""]
        )
        for f in view.files
        for c in f.checks
    ]
    table(
        ws,
        headings("file", "item", "rule", "severity", "ran", "columns"),
        rows,
        freeze_columns=1,
    )


def _mapping(ws: Worksheet, view: ValidationView) -> None:
    table(
        ws,
        headings("file", "mapping", "spec", "entity", "encoding", "delimiter", "item", "legacy_column"),
        [
            [f.name, f.mapping or "", f.spec, f.entity, f.encoding, repr(f.delimiter), item, cols]
            for f in view.files
            for item, cols in (f.columns or [("", "")])
        ],
        freeze_columns=1,
    )


SHEET_BUILDERS: tuple[tuple[str, Callable[[Worksheet, ValidationView], None]], ...] = (
    ("summary", _summary),
    ("rules", _rules),
    ("items", _items),
    ("samples", _samples),
    ("gaiji", _gaiji),
    ("checks", _checks),
    ("mapping", _mapping),
)


def build_workbook(view: ValidationView) -> Workbook:
    wb = new_workbook()
    for key, build in SHEET_BUILDERS:
        build(add_sheet(wb, sheet_name(key)), view)
    set_print_title(wb, view.title)
    return wb


def write_workbook(view: ValidationView, path: str | Path) -> Path:
    return write_workbook_atomically(build_workbook(view), path)
