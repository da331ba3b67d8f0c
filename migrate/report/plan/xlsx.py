"""The milestone workbook: 概要 (one line per business), ガント (one row per business, one column per
month), 工程ガント (one row per milestone, one column per week), マイルストーン, 注記.

Printing (A3 landscape): 概要 and ガント on one page each; 工程ガント at 78 %, two fiscal years of
weeks to a page width and whole businesses to a page height; the tables fit to the page width.

Dates are real date cells (yyyy-mm-dd) in the 西暦 style, so they sort and filter; the 和暦 and
年度 styles write text, which displays the same in every Excel regardless of its locale.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migrate.i18n import t
from migrate.report.format import fiscal_label, fmt_date, yes_no
from migrate.report.labels import schedule_label
from migrate.report.plan.view import (
    PlanView,
    business_name,
    critical_text,
    is_critical,
    milestone_colour,
    milestone_label,
    milestone_name,
    national_label,
)
from migrate.report.style import COLOURS, ON_COLOUR
from migrate.report.svg_gantt import chart_range, monday
from migrate.report.xlsx_common import (
    add_sheet,
    cell_at,
    fill,
    new_workbook,
    paint_status,
    print_setup,
    set_print_title,
    table,
    title_block,
)
from migrate.xlsx import (
    column_px,
    display_width,
    fit_row_heights,
    printable_px,
    set_widths,
    wrapped_lines,
    write_cell,
    write_workbook_atomically,
)

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from migrate.plan.result import BusinessResult, PlanResult

SHEETS = {
    "summary": ("概要", "Summary"),
    "overview": ("ガント", "Gantt"),
    "gantt": ("工程ガント", "Gantt by week"),
    "milestones": ("マイルストーン", "Milestones"),
    "notes": ("注記", "Notes"),
}
DATE_FORMAT = "yyyy-mm-dd"
GANTT_FIXED = 8  # columns of the weekly Gantt before the first week: A..H
GANTT_HEADER = 5  # the header row of both Gantt sheets (rows 3-4: marks, years / months)
WEEK_WIDTH = 2.0  # one week: two fiscal years of weeks beside columns A:B fill an A3 page at WEEK_SCALE
WEEK_SCALE = 78  # %: the weekly Gantt prints at this scale, paged by fiscal year and by business
ROW_HEIGHT = 15.0
OVERVIEW_FIXED = 5  # columns of the business Gantt before the first month: A..E
OVERVIEW_SCALE = 0.85  # the month columns are sized so the business Gantt fits one A3 page at ~85 %
SUMMARY_SCALE = 0.85  # the summary's rows are kept short enough to print on one page at this scale
# Reasons and critical milestones per business on the one-page summary, most first: the first
# that fits the page (all reasons are on the 注記 sheet, all milestones on マイルストーン).
# The last also clips each long text to two lines (ending in …): 20 businesses of two lines each fit.
SUMMARY_LIMITS: tuple[tuple[int, int, int | None], ...] = (
    (3, 3, None),
    (2, 2, None),
    (1, 2, None),
    (1, 1, 2),
)
LINE_HEIGHT = 16.0  # points per line of wrapped 11 pt text (Japanese glyphs included)


def sheet_name(key: str) -> str:
    ja, en = SHEETS[key]
    return t(ja, en)


def _date(d: dt.date | None, style: str) -> Any:
    if d is None:
        return None
    return d if style == "seireki" else fmt_date(d, style)


def _date_formats(style: str, *cols: int) -> dict[int, str]:
    return dict.fromkeys(cols, DATE_FORMAT) if style == "seireki" else {}


def build_workbook(view: PlanView) -> Workbook:
    wb = new_workbook()
    _summary(add_sheet(wb, sheet_name("summary")), view)
    _overview(add_sheet(wb, sheet_name("overview")), view)
    _gantt(add_sheet(wb, sheet_name("gantt")), view)
    _milestones(add_sheet(wb, sheet_name("milestones")), view)
    _notes(add_sheet(wb, sheet_name("notes")), view)
    set_print_title(wb, view.title)
    return wb


def write_workbook(view: PlanView, path: str | Path) -> Path:
    return write_workbook_atomically(build_workbook(view), path)


def _reasons_text(b: BusinessResult, limit: int) -> str:
    messages = [n.message for n in b.reasons]
    text = "\n".join(messages[:limit])
    if len(messages) > limit:
        text += t(" (他 {n} 件: 注記シート)", " ({n} more: Notes sheet)", n=len(messages) - limit)
    return text


def _clip(text: str, width: float, lines: int | None) -> str:
    """text cut (ending in …) to at most `lines` lines of a wrapping column of `width`."""
    if lines is None or wrapped_lines(text, width) <= lines:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # the longest prefix that still fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if wrapped_lines(text[:mid].rstrip() + "…", width) <= lines:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…"


# (Japanese heading, English heading, width, wrap): chosen so the columns fill an A3 landscape page at
# about 88 % (11 pt text prints at about 9.7 pt); the wrapping columns take the long text.
SUMMARY_COLUMNS: list[tuple[str, str, float, bool]] = [
    ("コード", "code", 7, False),
    ("業務", "business", 15, True),
    ("ベンダー", "vendor", 20, True),
    ("状態", "status", 10, True),
    ("期限", "deadline", 11, False),
    ("特定移行支援", "special support", 7, True),
    ("期限まで (日)", "days to deadline", 8, True),
    ("完了見込", "projected finish", 11, True),
    ("超過 (日)", "overrun (days)", 7, True),
    ("余裕 (営業日)", "float (working days)", 8, True),
    ("期限内確率", "P(on time)", 9, True),
    ("基準計画比 (営業日)", "slip (working days)", 9, True),
    ("現在の工程", "current phase", 12, True),
    ("完了率", "completion rate", 7, True),
    ("重要工程", "critical milestones", 36, True),
    ("遅れの理由", "why", 64, True),
]


def _summary(ws: Worksheet, view: PlanView) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    style = view.date_style
    start = title_block(ws, view.title, view.meta_lines)
    headers = [t(ja, en) for ja, en, _, _ in SUMMARY_COLUMNS]

    crit_w, why_w = SUMMARY_COLUMNS[14][2], SUMMARY_COLUMNS[15][2]

    def build(reasons: int, critical: int, lines: int | None) -> list[list[Any]]:
        return [
            [
                row.b.code,
                business_name(row.b),
                row.b.vendor,
                row.colour,
                _date(row.b.deadline, style),
                yes_no(True) if row.b.special_support else "",
                None if row.b.migrated else row.days_to_deadline,
                _date(row.b.projected_finish, style),
                row.b.overrun_calendar_days,
                row.b.float_days,
                row.probability,
                row.b.slip,
                row.phase,
                row.b.national.completion_rate / 100,
                _clip(critical_text(row.b, limit=critical), crit_w, lines),
                _clip(_reasons_text(row.b, reasons), why_w, lines),
            ]
            for row in view.rows
        ]

    # Lines of the page left for the rows at SUMMARY_SCALE: the title, meta lines and header take the rest.
    budget = (
        printable_px()[1] * 0.75 / SUMMARY_SCALE - 22 - 15 * (start - 2) - 3 * LINE_HEIGHT
    ) / LINE_HEIGHT
    for reasons, critical, lines in SUMMARY_LIMITS:
        rows = build(reasons, critical, lines)
        if sum(_row_lines(r) for r in rows) <= budget:
            break

    def style_row(ws: Worksheet, r: int, values: Any) -> None:
        if values[3] == "grey":
            paint_status(ws, r, 4, "grey", text=t("移行済", "migrated"))
        for col, (_, _, _, wrap) in enumerate(SUMMARY_COLUMNS, start=1):
            cell = cell_at(ws, r, col)
            if col == 4:
                cell.alignment = Alignment(horizontal="center", vertical="top", wrap_text=True)
            else:
                cell.alignment = Alignment(wrap_text=wrap, vertical="top")
        if values[8]:
            cell_at(ws, r, 9).font = Font(bold=True, color=COLOURS["red"])
        if values[6] is not None and values[6] < 0:
            cell_at(ws, r, 7).font = Font(bold=True, color=COLOURS["red"])

    n = table(
        ws,
        headers,
        rows,
        start_row=start,
        freeze_columns=2,
        number_formats={
            **_date_formats(style, 4, 7),
            6: "#,##0",
            8: "#,##0",
            9: "#,##0",
            10: "0.0%",
            13: "0.0%",
        },
        status_column=3,
        row_style=style_row,
    )
    set_widths(ws, [w for _, _, w, _ in SUMMARY_COLUMNS])
    last = start + n
    ws.row_dimensions[1].height = 22
    fit_row_heights(ws, start, last, line_height=LINE_HEIGHT)
    last_col = get_column_letter(len(SUMMARY_COLUMNS))
    print_setup(ws, title_rows=f"{start}:{start}", title_cols="A:B", pages_wide=1, pages_tall=1)
    ws.print_area = f"A1:{last_col}{last}"


def _row_lines(values: list[Any]) -> int:
    """The lines a summary row takes (as fit_row_heights will size it)."""
    lines = 1
    for v, (_, _, width, wrap) in zip(values, SUMMARY_COLUMNS, strict=True):
        if isinstance(v, str) and v:
            lines = max(lines, wrapped_lines(v, width) if wrap else len(v.splitlines()))
    return lines


# ------------------------------------------------------------------------------ business-level Gantt


def _months(result: PlanResult) -> list[dt.date]:
    """The first day of every month from the plan's start to the latest deadline or finish."""
    dates = [result.as_of, result.national_target, result.plan_start]
    for b in result.businesses:
        dates += [d for d in (b.start, b.finish, b.projected_finish, b.deadline) if d is not None]
    d, last = min(dates).replace(day=1), max(dates)
    months = []
    while d <= last:
        months.append(d)
        d = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


def _overview(ws: Worksheet, view: PlanView) -> None:
    """One row per business, one column per month: its bar to the projected finish, its deadline."""
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    result, style = view.result, view.date_style
    months = _months(result)
    index = {(m.year, m.month): i for i, m in enumerate(months)}

    def col_of(d: dt.date) -> int:
        return OVERVIEW_FIXED + 1 + index[(d.year, d.month)]

    labels = [row.label for row in view.rows]
    statuses = [row.status_label for row in view.rows] + [schedule_label(s) for s in COLOURS]
    fixed = [
        min(30.0, max(16.0, max((display_width(x) for x in labels), default=0) + 2)),
        min(16.0, max(8.0, max(display_width(x) for x in statuses) + 2)),
        11.0,
        11.0,
        9.0,
    ]
    page_px = printable_px()[0] / OVERVIEW_SCALE
    month_w = (page_px - sum(column_px(w) for w in fixed)) / max(1, len(months)) / 7
    month_w = round(min(4.5, max(1.2, month_w)), 2)
    set_widths(ws, fixed)
    set_widths(ws, [month_w] * len(months), start=OVERVIEW_FIXED + 1)
    last_col = OVERVIEW_FIXED + len(months)

    write_cell(
        ws, 1, 1, view.title + " — " + t("業務別ガントチャート", "Gantt chart by business")
    ).font = Font(bold=True, size=14)
    _legend(ws, 2, {"grey": t("移行済", "migrated")})
    write_cell(
        ws,
        3,
        1,
        t(
            "▼ 期限 (赤線) ｜ 青線: 基準日 {a} ｜ 見出しの赤: 国の目標 {n} ｜ 棒: 開始から完了見込まで",
            "▼ deadline (red line) | blue line: as of {a} | red heading: national target {n} | "
            "bar: start to projected finish",
            a=fmt_date(result.as_of, style),
            n=fmt_date(result.national_target, style),
        ),
    )
    headers = [
        t("業務", "business"),
        t("状態", "status"),
        t("期限", "deadline"),
        t("完了見込", "projected finish"),
        t("期限内確率", "P(on time)"),
    ]
    head_fill = fill("head")
    for c, h in enumerate(headers, start=1):
        cell = write_cell(ws, GANTT_HEADER, c, h)
        cell.font = Font(bold=True)
        cell.fill = head_fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    as_of_col = col_of(result.as_of)
    target_col = col_of(result.national_target)
    year_side = Side(style="thin", color="8C959F")
    april_cols = set()
    for i, m in enumerate(months):
        c = OVERVIEW_FIXED + 1 + i
        to_april = (4 - m.month) % 12 or 12
        if m.month == 4 or (i == 0 and to_april >= 4):
            write_cell(ws, 4, c, fiscal_label(m, style)).font = Font(bold=True, size=10)
            if m.month == 4:
                april_cols.add(c)
        cell = cell_at(ws, GANTT_HEADER, c)
        cell.fill = head_fill
        if m.month in (1, 4, 7, 10) or month_w >= 2.4:
            write_cell(ws, GANTT_HEADER, c, m.month).font = Font(size=9)
        if c == as_of_col:
            cell.fill = fill("as_of")
            cell.font = Font(size=9, bold=True, color="FFFFFF")
        elif c == target_col:
            cell.fill = fill("red")
            cell.font = Font(size=9, bold=True, color="FFFFFF")
        cell.alignment = Alignment(vertical="center")
    deadline_side = Side(style="medium", color=COLOURS["deadline"])
    as_of_side = Side(style="medium", color=COLOURS["as_of"])
    r = GANTT_HEADER
    for row in view.rows:
        b = row.b
        r += 1
        ws.row_dimensions[r].height = 20
        colour = row.colour
        write_cell(ws, r, 1, row.label).font = Font(bold=True)
        paint_status(ws, r, 2, colour, text=row.status_label)
        for c, v in ((3, _date(b.deadline, style)), (4, _date(b.projected_finish or b.finish, style))):
            cell = write_cell(ws, r, c, v)
            if style == "seireki" and v is not None:
                cell.number_format = DATE_FORMAT
        p = write_cell(ws, r, 5, row.probability)
        p.number_format = "0.0%"
        p.alignment = Alignment(horizontal="right")
        end = b.projected_finish or b.finish
        bar: set[int] = set()
        if b.start and end:
            bar = set(range(col_of(b.start), col_of(end) + 1))
        for c in range(OVERVIEW_FIXED + 1, last_col + 1):
            cell = cell_at(ws, r, c)
            if c in bar:
                cell.fill = fill(colour)
            left = as_of_side if c == as_of_col else (year_side if c in april_cols else None)
            right = deadline_side if c == col_of(b.deadline) else None
            if left or right:
                cell.border = Border(left=left or Side(), right=right or Side())
        mark = write_cell(ws, r, col_of(b.deadline), "▼")
        in_bar = col_of(b.deadline) in bar
        mark.font = Font(
            bold=True, size=9, color=ON_COLOUR.get(colour, "FFFFFF") if in_bar else COLOURS["red"]
        )
        mark.alignment = Alignment(horizontal="right", vertical="center")
    # Under the chart: where the as-of date and the national target fall.
    r += 1
    marks = sorted({target_col: ("▲" + t("国の目標", "national target"), COLOURS["red"])}.items())
    if as_of_col != target_col:
        marks = sorted([*marks, (as_of_col, ("▲" + t("基準日", "as of"), COLOURS["as_of"]))])
    for c, (text, colour) in marks:
        write_cell(ws, r, c, text).font = Font(bold=True, size=10, color=colour)
    ws.row_dimensions[GANTT_HEADER].height = 30
    ws.freeze_panes = f"{get_column_letter(OVERVIEW_FIXED + 1)}{GANTT_HEADER + 1}"
    print_setup(ws, title_rows=f"4:{GANTT_HEADER}", title_cols="A:E", pages_wide=1, pages_tall=1)
    ws.print_area = f"A1:{get_column_letter(last_col)}{r}"


def _legend(ws: Worksheet, row: int, labels: dict[str, str] | None = None) -> None:
    """凡例 in column A, then one coloured cell per status in columns B..E (each fits its cell)."""
    from openpyxl.styles import Alignment, Font

    write_cell(ws, row, 1, t("凡例", "legend")).font = Font(bold=True)
    for col, key in enumerate(("green", "amber", "red", "grey"), start=2):
        cell = write_cell(ws, row, col, (labels or {}).get(key) or schedule_label(key))
        cell.fill = fill(key)
        cell.font = Font(color=ON_COLOUR[key], bold=True)
        cell.alignment = Alignment(horizontal="center")


# ------------------------------------------------------------------------------ milestone-level Gantt


def _week_columns(result: PlanResult) -> tuple[dt.date, int]:
    from migrate.report.svg_gantt import Bar, Line, Row

    rows = []
    for b in result.businesses:
        bars = [Bar(m.start, m.finish, "grey") for m in b.milestones if m.start and m.finish]
        rows.append(Row(b.id, tuple(bars), 0, b.deadline))
    lines = [Line(result.as_of, "", "as_of"), Line(result.national_target, "", "deadline")]
    first, last = chart_range(rows, lines)
    return first, ((last - first).days + 1) // 7


def _gantt(ws: Worksheet, view: PlanView) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    result, style = view.result, view.date_style
    first, weeks = _week_columns(result)

    def col_of(d: dt.date) -> int:
        return GANTT_FIXED + 1 + (monday(d) - first).days // 7

    write_cell(
        ws,
        1,
        1,
        view.title + " — " + t("工程別ガントチャート (週単位)", "Gantt chart by milestone (weeks)"),
    ).font = Font(bold=True, size=14)
    # Legend: the status fills in row 2 (one per cell), the marks in one line of row 3.
    _legend(ws, 2)
    write_cell(
        ws,
        3,
        1,
        t(
            "◆ 重要工程 (太枠) ｜ ▼ 期限 (赤線) ｜ 青線: 基準日",
            "◆ critical (thick border) | ▼ deadline (red line) | blue line: as of",
        ),
    )

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
    # Week columns: date marks (row 3), the month at its first week (row 4), shaded header cells
    # (the as-of week blue, the deadlines' weeks red).
    as_of_col = col_of(result.as_of)
    deadline_cols = {col_of(b.deadline) for b in result.businesses}
    target_col = col_of(result.national_target)
    prev_month: tuple[int, int] | None = None
    week_starts: list[dt.date] = []
    for w in range(weeks):
        d = first + dt.timedelta(weeks=w)
        week_starts.append(d)
        c = GANTT_FIXED + 1 + w
        ws.column_dimensions[get_column_letter(c)].width = WEEK_WIDTH
        if (d.year, d.month) != prev_month:
            prev_month = (d.year, d.month)
            write_cell(ws, 4, c, _month_label(d, style)).font = Font(bold=d.month == 4, size=9)
        cell = cell_at(ws, GANTT_HEADER, c)
        cell.fill = head_fill
        if c == as_of_col:
            cell.fill = fill("as_of")
        elif c in deadline_cols or c == target_col:
            cell.fill = fill("red")
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
    blocks: list[int] = []  # the last row of each business
    for row in view.rows:
        b = row.b
        r += 1
        b_row = r
        end = b.projected_finish or b.finish
        b_status = row.colour
        values = [
            row.label,
            b.vendor,
            _date(b.start, style),
            _date(end, style),
            _date(b.deadline, style),
            b.float_days,
            None,
            "◆" if row.critical else None,
        ]
        for c, v in enumerate(values, start=1):
            cell = write_cell(ws, r, c, v)
            cell.font = Font(bold=True)
            if style == "seireki" and c in (3, 4, 5) and v is not None:
                cell.number_format = DATE_FORMAT
        paint_status(ws, r, 7, b_status, text=row.status_label)
        if b.start and end:
            for c in range(col_of(b.start), col_of(end) + 1):
                cell_at(ws, r, c).fill = fill(b_status)
        deadline_col = col_of(b.deadline)
        write_cell(ws, r, deadline_col, "▼").font = Font(bold=True, size=9, color=COLOURS["red"])
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
        blocks.append(r)
    # The as-of date: a blue line down every row.
    for rr in range(GANTT_HEADER + 1, r + 1):
        mark = cell_at(ws, rr, as_of_col)
        mark.border = Border(
            left=as_of_side, right=mark.border.right, top=mark.border.top, bottom=mark.border.bottom
        )
    ws.sheet_properties.outlinePr.summaryBelow = False  # type: ignore[union-attr]
    widths = (38, 14, 11, 11, 11, 8, 9, 5)
    set_widths(ws, widths)
    ws.row_dimensions[1].height = 22
    for rr in range(2, r + 1):
        ws.row_dimensions[rr].height = ROW_HEIGHT
    ws.row_dimensions[GANTT_HEADER].height = 2 * ROW_HEIGHT
    ws.freeze_panes = f"{get_column_letter(GANTT_FIXED + 1)}{GANTT_HEADER + 1}"
    ws.auto_filter.ref = f"A{GANTT_HEADER}:{get_column_letter(GANTT_FIXED)}{max(r, GANTT_HEADER)}"
    # Printed at WEEK_SCALE: pages break at fiscal years (two to a page) and between businesses,
    # columns A:B and the heading rows repeated on every page.
    print_setup(ws, title_rows=f"3:{GANTT_HEADER}", title_cols="A:B", pages_wide=None, scale=WEEK_SCALE)
    ws.page_setup.pageOrder = "overThenDown"  # a business's years, then the next business
    ws.print_area = f"A1:{get_column_letter(last_col)}{max(r, GANTT_HEADER)}"
    _week_breaks(ws, week_starts, sum(column_px(w) for w in widths), column_px(sum(widths[:2])))
    _business_breaks(ws, blocks)


def _week_breaks(ws: Worksheet, week_starts: list[dt.date], first_px: float, title_px: float) -> None:
    """Vertical page breaks: each page as many weeks as fit, ending at a fiscal year where it can
    (else at a quarter); the first page also carries columns C:H."""
    from openpyxl.worksheet.pagebreak import Break

    page_px = printable_px()[0] * 100 / WEEK_SCALE * 0.97
    week_px = column_px(WEEK_WIDTH)
    used, fiscal, quarter, start = first_px, None, None, 0
    for w, d in enumerate(week_starts):
        new_month = w > 0 and d.month != week_starts[w - 1].month
        if w > start and new_month and d.month == 4:
            fiscal = w
        if w > start and new_month and d.month in (1, 4, 7, 10):
            quarter = w
        if used + week_px > page_px:
            cut = fiscal or quarter or w
            ws.col_breaks.append(Break(id=GANTT_FIXED + cut))
            start, fiscal, quarter = cut, None, None
            used = title_px + week_px * (w - cut)
        used += week_px


def _business_breaks(ws: Worksheet, blocks: list[int]) -> None:
    """Horizontal page breaks between businesses: as many whole businesses as fit on a page (a
    business taller than a page runs on over the next)."""
    from openpyxl.worksheet.pagebreak import Break

    page_pt = printable_px()[1] * 0.75 * 100 / WEEK_SCALE * 0.97
    heads = [ws.row_dimensions[r].height or ROW_HEIGHT for r in range(1, GANTT_HEADER + 1)]
    capacity = int((page_pt - sum(heads[2:])) // ROW_HEIGHT)  # rows 3-5 repeat on every page
    avail = int((page_pt - sum(heads)) // ROW_HEIGHT)
    empty, prev = True, GANTT_HEADER
    for last in blocks:
        n = last - prev
        if n > avail and not empty:
            ws.row_breaks.append(Break(id=prev))
            avail = capacity
        avail = avail - n if n <= avail else (avail - n) % capacity
        empty, prev = False, last


def _month_label(d: dt.date, style: str) -> str:
    if style == "wareki":
        from migrate.wareki import to_wareki

        return to_wareki(d, "letter")[:6]  # R07.04
    return f"{d.year}/{d.month}"


def _milestones(ws: Worksheet, view: PlanView) -> None:
    style = view.date_style
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
    for row in view.rows:
        for m in row.b.milestones:
            gate = ""
            if m.gate is not None:
                value = m.gate.show(m.gate.value)
                if m.gate.measured_at is not None:
                    value += f" [{m.gate.measured_at.isoformat()}]"
                name = m.gate.label or m.gate.metric
                gate = f"{name} {m.gate.op} {m.gate.show(m.gate.threshold)}: {value} ({m.gate.state})"
            rows.append(
                [
                    row.label,
                    m.step,
                    m.id,
                    milestone_name(m),
                    view.phase_label(m.phase),
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


def _notes(ws: Worksheet, view: PlanView) -> None:
    rows: list[list[Any]] = []
    for row in view.rows:
        for n in row.b.reasons:
            rows.append([t("遅れの理由", "reason"), row.label, n.milestone, n.code, n.message])
        if row.b.deadline_reason:
            rows.append([t("期限の理由", "deadline reason"), row.label, None, None, row.b.deadline_reason])
    for w in view.result.warnings:
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
