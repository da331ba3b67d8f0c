"""The milestone workbook: 概要 (one line per business), ガント (one column per week), マイルストーン, 注記.

Dates are real date cells (yyyy-mm-dd) in the 西暦 style, so they sort and filter; the 和暦 and
年度 styles write text, which displays the same in every Excel regardless of its locale.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migrate.i18n import get_lang, t
from migrate.report.plan import (
    business_label,
    business_status_label,
    colour_of,
    critical_text,
    days_to_deadline,
    is_critical,
    meta_lines,
    milestone_colour,
    milestone_label,
    national_label,
    ordered,
    phase_label,
    title_of,
)
from migrate.report.style import COLOURS, ON_COLOUR, fmt_date, status_label
from migrate.report.svg_gantt import chart_range, monday
from migrate.report.xlsx_common import (
    add_sheet,
    cell_at,
    fill,
    new_workbook,
    paint_status,
    print_setup,
    table,
    title_block,
)
from migrate.xlsx import write_cell, write_workbook_atomically

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

SHEETS = {
    "summary": ("概要", "Summary"),
    "gantt": ("ガント", "Gantt"),
    "milestones": ("マイルストーン", "Milestones"),
    "notes": ("注記", "Notes"),
}
DATE_FORMAT = "yyyy-mm-dd"
GANTT_FIXED = 8  # columns before the first week: A..H
WEEKS_PER_PAGE = 156
GANTT_HEADER = 5  # the header row of the Gantt sheet (rows 3-4: date marks and months)


def sheet_name(key: str) -> str:
    ja, en = SHEETS[key]
    return t(ja, en)


def _date(d: dt.date | None, style: str) -> Any:
    if d is None:
        return None
    return d if style == "seireki" else fmt_date(d, style)


def _date_formats(style: str, *cols: int) -> dict[int, str]:
    return dict.fromkeys(cols, DATE_FORMAT) if style == "seireki" else {}


def build_workbook(result: Any, *, date_style: str = "seireki", generated: dt.datetime) -> Workbook:
    wb = new_workbook()
    _summary(add_sheet(wb, sheet_name("summary")), result, date_style, generated)
    _gantt(add_sheet(wb, sheet_name("gantt")), result, date_style)
    _milestones(add_sheet(wb, sheet_name("milestones")), result, date_style)
    _notes(add_sheet(wb, sheet_name("notes")), result)
    return wb


def write_workbook(result: Any, path: str | Path, *, date_style: str, generated: dt.datetime) -> Path:
    return write_workbook_atomically(build_workbook(result, date_style=date_style, generated=generated), path)


def _summary(ws: Worksheet, result: Any, style: str, generated: dt.datetime) -> None:
    from openpyxl.styles import Alignment, Font

    start = title_block(ws, title_of(result), meta_lines(result, style, generated))
    headers = [
        t("コード", "code"),
        t("業務", "business"),
        t("ベンダー", "vendor"),
        t("状態", "status"),
        t("期限", "deadline"),
        t("特定移行支援", "special support"),
        t("期限まで (日)", "days to deadline"),
        t("完了見込", "projected finish"),
        t("超過 (日)", "overrun (days)"),
        t("超過 (営業日)", "overrun (working days)"),
        t("余裕 (営業日)", "float (working days)"),
        t("基準計画の完了見込", "baseline projected finish"),
        t("基準計画比 (営業日)", "slip (working days)"),
        t("現在の工程", "current phase"),
        t("完了率", "completion rate"),
        t("重要工程", "critical milestones"),
        t("遅れの理由", "why"),
    ]
    rows = []
    for b in ordered(result):
        rows.append(
            [
                b.code,
                b.name_en if get_lang() == "en" and b.name_en else b.name,
                b.vendor,
                colour_of(b),
                _date(b.deadline, style),
                t("はい", "yes") if b.special_support else "",
                None if b.migrated else days_to_deadline(b, result.as_of),
                _date(b.projected_finish, style),
                b.overrun_calendar_days,
                b.overrun_working_days,
                b.float_days,
                _date(b.baseline_projected_finish, style),
                b.slip,
                phase_label(b.phase),
                b.national.completion_rate / 100,
                critical_text(b, limit=5),
                "\n".join(n.message for n in b.reasons),
                *([None if b.migrated else result.risk.business(b.id).probability] if result.risk else []),
            ]
        )
    if result.risk is not None:  # P(on time) from `plan risk`, last so the other columns keep their place
        headers.append(t("期限内確率", "P(on time)"))

    def style_row(ws: Worksheet, r: int, values: Any) -> None:
        if values[3] == "grey":
            paint_status(ws, r, 4, "grey", text=t("移行済", "migrated"))
        for col in (16, 17):
            cell_at(ws, r, col).alignment = Alignment(wrap_text=True, vertical="top")
        if values[8]:
            cell_at(ws, r, 9).font = Font(bold=True, color=COLOURS["red"])
        if values[6] is not None and values[6] < 0:
            cell_at(ws, r, 7).font = Font(bold=True, color=COLOURS["red"])

    table(
        ws,
        headers,
        rows,
        start_row=start,
        freeze_columns=2,
        number_formats={
            **_date_formats(style, 4, 7, 11),
            6: "#,##0",
            8: "#,##0",
            9: "#,##0",
            14: "0.0%",
            17: "0.0%",
        },
        status_column=3,
        row_style=style_row,
        max_width=60,
    )
    ws.column_dimensions["B"].width = max(ws.column_dimensions["B"].width or 0, 18)
    ws.column_dimensions["Q"].width = 70
    print_setup(ws, title_rows=f"{start}:{start}", title_cols="A:B")


def _week_columns(result: Any) -> tuple[dt.date, int]:
    from migrate.report.svg_gantt import Bar, Line, Row

    rows = []
    for b in result.businesses:
        bars = [Bar(m.start, m.finish, "grey") for m in b.milestones if m.start and m.finish]
        rows.append(Row(b.id, tuple(bars), 0, b.deadline))
    lines = [Line(result.as_of, "", "as_of"), Line(result.national_target, "", "deadline")]
    first, last = chart_range(rows, lines)
    return first, ((last - first).days + 1) // 7


def _gantt(ws: Worksheet, result: Any, style: str) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    first, weeks = _week_columns(result)

    def col_of(d: dt.date) -> int:
        return GANTT_FIXED + 1 + (monday(d) - first).days // 7

    write_cell(ws, 1, 1, title_of(result) + " — " + t("ガントチャート", "Gantt chart")).font = Font(
        bold=True, size=14
    )
    # Legend (row 2, within the fixed columns): the fills and marks used below.
    write_cell(ws, 2, 1, t("凡例", "legend")).font = Font(bold=True)
    for col, key in enumerate(("green", "amber", "red", "grey"), start=2):
        cell = write_cell(ws, 2, col, status_label(key))
        cell.fill = fill(key)
        cell.font = Font(color=ON_COLOUR[key], bold=True)
        cell.alignment = Alignment(horizontal="center")
    write_cell(ws, 2, 6, t("◆ 重要工程 (太枠)", "◆ critical (thick border)"))
    write_cell(ws, 2, 7, t("▼ 期限 (赤線)", "▼ deadline (red line)")).font = Font(color=COLOURS["red"])
    write_cell(ws, 2, 8, t("基準日 (青線)", "as of (blue line)")).font = Font(color=COLOURS["as_of"])

    headers = [
        t("業務 / 工程", "business / milestone"),
        t("ベンダー / 手順", "vendor / step"),
        t("開始", "start"),
        t("終了 (見込)", "finish (projected)"),
        t("期限", "deadline"),
        t("余裕 (営業日)", "float (working days)"),
        t("状態", "status"),
        t("重要", "critical"),
    ]
    head_font = Font(bold=True)
    head_fill = fill("head")
    for c, h in enumerate(headers, start=1):
        cell = write_cell(ws, GANTT_HEADER, c, h)
        cell.font = head_font
        cell.fill = head_fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    # Week columns: date marks (row 3), month label at each month's first week (row 4), the Monday's
    # day of the month (header row).
    as_of_col = col_of(result.as_of)
    deadline_cols = {col_of(b.deadline) for b in result.businesses}
    target_col = col_of(result.national_target)
    prev_month: tuple[int, int] | None = None
    for w in range(weeks):
        d = first + dt.timedelta(weeks=w)
        c = GANTT_FIXED + 1 + w
        ws.column_dimensions[get_column_letter(c)].width = 3.2
        if (d.year, d.month) != prev_month:
            prev_month = (d.year, d.month)
            label = _month_label(d, style)
            write_cell(ws, 4, c, label).font = Font(bold=d.month == 4, size=9)
        cell = write_cell(ws, GANTT_HEADER, c, d.day)
        cell.font = Font(size=8)
        cell.alignment = Alignment(horizontal="center")
        cell.fill = head_fill
        if c == as_of_col:
            cell.fill = fill("as_of")
            cell.font = Font(size=8, bold=True, color="FFFFFF")
        elif c in deadline_cols or c == target_col:
            cell.fill = fill("red")
            cell.font = Font(size=8, bold=True, color="FFFFFF")
    write_cell(ws, 3, as_of_col, "▼" + t("基準日", "as of")).font = Font(
        bold=True, size=9, color=COLOURS["as_of"]
    )
    if target_col != as_of_col:
        write_cell(ws, 3, target_col, "▼" + t("国の目標", "national target")).font = Font(
            bold=True, size=9, color=COLOURS["red"]
        )

    thick = Side(style="medium", color=COLOURS["critical"])
    as_of_side = Side(style="medium", color=COLOURS["as_of"])
    deadline_side = Side(style="medium", color=COLOURS["deadline"])
    r = GANTT_HEADER
    last_col = GANTT_FIXED + weeks
    for b in ordered(result):
        r += 1
        b_row = r
        end = b.projected_finish or b.finish
        b_status = colour_of(b)
        values = [
            business_label(b),
            b.vendor,
            _date(b.start, style),
            _date(end, style),
            _date(b.deadline, style),
            b.float_days,
            None,
            "◆" if any(is_critical(m) for m in b.milestones) else None,
        ]
        for c, v in enumerate(values, start=1):
            cell = write_cell(ws, r, c, v)
            cell.font = Font(bold=True)
            if style == "seireki" and c in (3, 4, 5) and v is not None:
                cell.number_format = DATE_FORMAT
        paint_status(ws, r, 7, b_status, text=business_status_label(b))
        if b.start and end:
            for c in range(col_of(b.start), col_of(end) + 1):
                cell_at(ws, r, c).fill = fill(b_status)
        deadline_col = col_of(b.deadline)
        write_cell(ws, r, deadline_col, "▼").font = Font(bold=True, color=COLOURS["red"])
        for m in b.milestones:
            if m.state == "not-applicable":
                continue
            r += 1
            crit = is_critical(m)
            values = [
                milestone_label(m),
                m.step,
                _date(m.start, style),
                _date(m.finish, style),
                _date(b.deadline, style) if m.key in b.deadline_milestones else None,
                m.total_float,
                national_label(m),
                "◆" if crit else None,
            ]
            for c, v in enumerate(values, start=1):
                cell = write_cell(ws, r, c, v)
                if style == "seireki" and c in (3, 4, 5) and v is not None:
                    cell.number_format = DATE_FORMAT
            cell_at(ws, r, 1).alignment = Alignment(indent=1)
            if crit:
                cell_at(ws, r, 1).font = Font(bold=True)
                cell_at(ws, r, 8).font = Font(bold=True, color=COLOURS["red"])
            if m.state == "done":
                cell_at(ws, r, 7).fill = fill("grey")
            ws.row_dimensions[r].outlineLevel = 1
            if m.start and m.finish:
                colour = milestone_colour(m, result.thresholds)
                for c in range(col_of(m.start), col_of(m.finish) + 1):
                    bar = cell_at(ws, r, c)
                    bar.fill = fill(colour)
                    if crit:
                        bar.border = Border(top=thick, bottom=thick)
        # The business's deadline: a red line down its own rows.
        for rr in range(b_row, r + 1):
            mark = cell_at(ws, rr, deadline_col)
            mark.border = Border(
                left=mark.border.left, right=deadline_side, top=mark.border.top, bottom=mark.border.bottom
            )
    # The as-of date: a blue line down every row.
    for rr in range(GANTT_HEADER + 1, r + 1):
        mark = cell_at(ws, rr, as_of_col)
        mark.border = Border(
            left=as_of_side, right=mark.border.right, top=mark.border.top, bottom=mark.border.bottom
        )
    ws.sheet_properties.outlinePr.summaryBelow = False  # type: ignore[union-attr]
    for letter, width in zip("ABCDEFGH", (38, 14, 11, 11, 11, 8, 9, 5), strict=True):
        ws.column_dimensions[letter].width = width
    ws.row_dimensions[GANTT_HEADER].height = 30
    ws.freeze_panes = f"{get_column_letter(GANTT_FIXED + 1)}{GANTT_HEADER + 1}"
    ws.auto_filter.ref = f"A{GANTT_HEADER}:{get_column_letter(GANTT_FIXED)}{max(r, GANTT_HEADER)}"
    # A long plan (a 特定移行支援システム runs to 2031) stays legible: about three years per A3 page.
    print_setup(
        ws, title_rows=f"3:{GANTT_HEADER}", title_cols="A:B", pages_wide=max(1, -(-weeks // WEEKS_PER_PAGE))
    )
    ws.print_area = f"A1:{get_column_letter(last_col)}{max(r, GANTT_HEADER)}"


def _month_label(d: dt.date, style: str) -> str:
    if style == "wareki":
        from migrate.wareki import to_wareki

        return to_wareki(d, "letter")[:6]  # R07.04
    return f"{d.year}/{d.month}"


def _milestones(ws: Worksheet, result: Any, style: str) -> None:
    headers = [
        t("業務", "business"),
        t("手順", "step"),
        "ID",
        t("工程", "milestone"),
        t("フェーズ", "phase"),
        t("状態", "status"),
        t("開始", "start"),
        t("終了", "finish"),
        t("予定終了", "planned finish"),
        t("基準計画の終了", "baseline finish"),
        t("基準計画比 (営業日)", "slip (working days)"),
        t("総余裕 (営業日)", "total float"),
        t("期限に対する余裕 (営業日)", "deadline float"),
        t("重要工程", "critical"),
        t("進捗 (%)", "progress (%)"),
        t("予定進捗 (%)", "expected progress (%)"),
        t("ゲート", "gate"),
        t("依存先", "depends on"),
    ]
    rows = []
    for b in ordered(result):
        for m in b.milestones:
            gate = ""
            if m.gate is not None:
                value = m.gate.show(m.gate.value)
                if m.gate.measured_at is not None:
                    value += f" [{m.gate.measured_at.isoformat()}]"
                name = m.gate.label or m.gate.metric
                gate = f"{name} {m.gate.op} {m.gate.show(m.gate.threshold)}: {value} ({m.gate.state})"
            rows.append(
                [
                    business_label(b),
                    m.step,
                    m.id,
                    m.name_en if get_lang() == "en" and m.name_en else m.name,
                    phase_label(m.phase),
                    national_label(m),
                    _date(m.start, style),
                    _date(m.finish, style),
                    _date(m.planned_finish, style),
                    _date(m.baseline_finish, style),
                    m.slip,
                    m.total_float,
                    m.deadline_float,
                    "◆" if is_critical(m) else "",
                    m.progress,
                    m.expected_progress,
                    gate,
                    ", ".join(m.depends_on),
                ]
            )
    table(
        ws,
        headers,
        rows,
        freeze_columns=4,
        number_formats=_date_formats(style, 6, 7, 8, 9),
        max_width=40,
    )
    print_setup(ws, title_rows="1:1", title_cols="A:D")


def _notes(ws: Worksheet, result: Any) -> None:
    rows: list[list[Any]] = []
    for b in ordered(result):
        for n in b.reasons:
            rows.append([t("遅れの理由", "reason"), business_label(b), n.milestone, n.code, n.message])
        if b.deadline_reason:
            rows.append(
                [t("期限の理由", "deadline reason"), business_label(b), None, None, b.deadline_reason]
            )
    for w in result.warnings:
        rows.append([t("計画データ", "plan data"), w.business, w.milestone, w.code, w.message])
    table(
        ws,
        [
            t("種類", "kind"),
            t("業務", "business"),
            t("工程", "milestone"),
            t("コード", "code"),
            t("内容", "message"),
        ],
        rows,
        freeze_columns=2,
        max_width=90,
    )
