"""The nightly dashboard workbook: summary by source, by vendor, files, rules, trend, 外字.

One builder per sheet, each reading the DashboardView only; the title is in every sheet's page header.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from migrate.i18n import t
from migrate.report.format import pct, stamp, yes_no
from migrate.report.labels import headings, source_status_label
from migrate.report.nightly.view import DashboardView
from migrate.report.xlsx_common import add_sheet, new_workbook, set_print_title, table, title_block
from migrate.xlsx import write_workbook_atomically

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet


def _summary(ws: Worksheet, view: DashboardView) -> None:
    tot = view.totals
    start = title_block(
        ws,
        view.title,
        [
            view.meta,
            t("作成 {d}", "generated {d}", d=stamp(view.generated)),
            t(
                "ソース {s} (基準未達 {b}) · ファイル {f} · 移行可能率 {r} · 新たな不備 {n} · 解消 {x}",
                "sources {s} ({b} breached) · files {f} · readiness {r} · new {n} · fixed {x}",
                s=tot.sources,
                b=tot.sources_breached,
                f=tot.files,
                r=pct(tot.readiness),
                n=tot.new,
                x=tot.fixed,
            ),
        ],
    )
    table(
        ws,
        [
            *headings("source", "vendor", "business", "entity", "files", "unreadable", "rows", "errors"),
            *headings("warnings", "readiness", "new", "fixed", "still_failing", "breaches", "status"),
        ],
        [
            [
                s.title,
                s.vendor,
                s.business,
                s.entity,
                s.files_total,
                s.unreadable,
                s.rows,
                s.errors,
                s.warnings,
                s.readiness,
                s.new,
                s.fixed,
                s.still_failing,
                s.breaches,
                s.status,
            ]
            for s in view.sources
        ],
        start_row=start,
        freeze_columns=1,
        number_formats={6: "#,##0", 7: "#,##0", 8: "#,##0", 9: "0.00%"},
        status_column=14,
        status_text=source_status_label,
    )


def _vendors(ws: Worksheet, view: DashboardView) -> None:
    table(
        ws,
        [
            *headings("vendor", "sources", "breached", "files", "rows", "errors", "warnings"),
            *headings("readiness", "new", "fixed", "still_failing", "status"),
        ],
        [
            [
                v.vendor,
                v.sources,
                v.sources_breached,
                v.files,
                v.rows,
                v.errors,
                v.warnings,
                v.readiness,
                v.new,
                v.fixed,
                v.still_failing,
                "green" if v.ok else "red",
            ]
            for v in view.vendors
        ],
        freeze_columns=1,
        number_formats={4: "#,##0", 5: "#,##0", 6: "#,##0", 7: "0.00%"},
        status_column=11,
        status_text=source_status_label,
    )


def _files(ws: Worksheet, view: DashboardView) -> None:
    table(
        ws,
        [
            *headings("source", "file", "state", "rows", "errors", "warnings", "error_rows", "readiness"),
            *headings("complete", "new", "fixed", "still_failing", "encoding", "spec", "mapping"),
            *headings("message", "path"),
        ],
        [
            [
                s.id,
                f.name,
                f.state,
                f.rows,
                f.errors,
                f.warnings,
                f.error_rows,
                f.readiness,
                yes_no(f.complete),
                f.new,
                f.fixed,
                f.still_failing,
                f.encoding,
                f.spec,
                f.mapping,
                f.message or None,
                f.path,
            ]
            for s in view.sources
            for f in s.files
        ],
        freeze_columns=2,
        number_formats={3: "#,##0", 4: "#,##0", 5: "#,##0", 6: "#,##0", 7: "0.00%"},
    )


def _rules(ws: Worksheet, view: DashboardView) -> None:
    table(
        ws,
        headings("source", "rule", "meaning", "item", "severity", "new", "fixed", "still_failing"),
        [
            [s.id, r.code, r.title, r.item, r.severity_label, r.new, r.fixed, r.still_failing]
            for s in view.sources
            for r in s.rules
        ],
        freeze_columns=2,
    )


def _trend(ws: Worksheet, view: DashboardView) -> None:
    table(
        ws,
        headings("source", "run", "as_of", "readiness", "rows", "errors", "warnings", "new", "fixed", "ok"),
        [
            [s.id, p.run_id, p.as_of, p.readiness, p.rows, p.errors, p.warnings, p.new, p.fixed, yes_no(p.ok)]
            for s in view.sources
            for p in s.trend
        ],
        freeze_columns=2,
        number_formats={3: "0.00%", 4: "#,##0", 5: "#,##0", 6: "#,##0"},
    )


def _gaiji(ws: Worksheet, view: DashboardView) -> None:
    table(
        ws,
        [*headings("source", "file", "codepoint"), "CP932", *headings("count", "items")],
        [
            [s.id, f.name, g.codepoint, g.cp932, g.count, g.items]
            for s in view.sources
            for f in s.files
            for g in f.gaiji
        ],
        freeze_columns=2,
    )


# (sheet name, builder, only on the PMO's dashboard)
SHEETS: tuple[tuple[tuple[str, str], Callable[[Worksheet, DashboardView], None], bool], ...] = (
    (("概要", "Summary"), _summary, False),
    (("ベンダー別", "By vendor"), _vendors, True),
    (("ファイル", "Files"), _files, False),
    (("規則別", "By rule"), _rules, False),
    (("推移", "Trend"), _trend, False),
    (("外字", "Gaiji"), _gaiji, False),
)


def build_workbook(view: DashboardView) -> Workbook:
    wb = new_workbook()
    for (ja, en), build, pmo_only in SHEETS:
        if pmo_only and view.vendor:
            continue
        build(add_sheet(wb, t(ja, en)), view)
    set_print_title(wb, view.title)
    return wb


def write_workbook(view: DashboardView, path: str | Path) -> Path:
    return write_workbook_atomically(build_workbook(view), path)
