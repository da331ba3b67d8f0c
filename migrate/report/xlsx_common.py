"""Excel building blocks shared by the validation and plan workbooks: tables, fills, print set-up.

Every cell is written through migrate.xlsx (formula-injection safe); openpyxl is imported inside
the functions so importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from migrate.report.labels import schedule_label
from migrate.report.style import COLOURS, ON_COLOUR
from migrate.xlsx import extend_autofilter, fit_columns, header_row, sheet_title, write_cell

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet


def new_workbook() -> Workbook:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    return wb


def add_sheet(wb: Workbook, title: str) -> Worksheet:
    return wb.create_sheet(sheet_title(title, wb.sheetnames))


def fill(colour: str) -> Any:
    from openpyxl.styles import PatternFill

    hex_ = COLOURS.get(colour, colour)
    return PatternFill("solid", fgColor=hex_, bgColor=hex_)


def cell_at(ws: Worksheet, row: int, column: int) -> Cell:
    """The cell at (row, column) for styling (never inside a merge: our sheets have none)."""
    from openpyxl.cell.cell import Cell

    cell = ws.cell(row=row, column=column)
    assert isinstance(cell, Cell), cell.coordinate
    return cell


def paint_status(
    ws: Worksheet, row: int, column: int, status: str, *, label: bool = True, text: str | None = None
) -> Cell:
    """Fill a cell with the status colour (and write text, by default the status label)."""
    from openpyxl.styles import Alignment, Font

    cell = write_cell(ws, row, column, text or schedule_label(status)) if label else cell_at(ws, row, column)
    if status in ON_COLOUR:
        cell.fill = fill(status)
        cell.font = Font(bold=True, color=ON_COLOUR[status])
        cell.alignment = Alignment(horizontal="center", vertical="center")
    return cell


def print_setup(
    ws: Worksheet,
    *,
    title_rows: str | None = "1:1",
    title_cols: str | None = None,
    pages_wide: int | None = 1,
    pages_tall: int = 0,
    scale: int | None = None,
    title: str | None = None,
) -> None:
    """A3 landscape, `pages_wide` pages wide (as tall as needed), header rows (and columns) repeated,
    the title and sheet name in the page header, `&P / &N` in the footer (migrate.xlsx.print_setup)."""
    from migrate.xlsx import print_setup as setup

    setup(
        ws,
        title=title,
        title_rows=title_rows,
        title_cols=title_cols,
        pages_wide=pages_wide,
        pages_tall=pages_tall,
        scale=scale,
    )


def set_print_title(wb: Workbook, title: str) -> None:
    """The report's title in the page header of every sheet (call once the workbook is built)."""
    from migrate.xlsx import set_print_title as set_title

    set_title(wb, title)


def title_block(ws: Worksheet, title: str, lines: Sequence[str] = ()) -> int:
    """Write a bold title and meta lines from A1; return the next free row (after one blank)."""
    from openpyxl.styles import Font

    write_cell(ws, 1, 1, title).font = Font(bold=True, size=14)
    for i, line in enumerate(lines, start=2):
        write_cell(ws, i, 1, line).font = Font(color="57606A")
    return len(lines) + 3


def table(
    ws: Worksheet,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    start_row: int = 1,
    freeze_columns: int = 0,
    number_formats: Mapping[int, str] | None = None,
    status_column: int | None = None,
    status_text: Callable[[str], str] | None = None,
    row_style: Callable[[Worksheet, int, Sequence[Any]], None] | None = None,
    min_width: int = 6,
    max_width: int = 50,
) -> int:
    """Header row (bold, frozen, filtered) and rows below; columns are 0-based in the options.

    Returns the number of data rows written. Status columns hold "green"/"amber"/"red"/"grey" and
    are written as a coloured label (status_text(status), by default the schedule's 順調/注意/遅延).
    """
    header_row(ws, headers, start_row, freeze_columns=freeze_columns)
    n = 0
    for n, values in enumerate(rows, start=1):
        r = start_row + n
        for c, value in enumerate(values):
            cell = write_cell(ws, r, c + 1, value)
            if number_formats and c in number_formats:
                cell.number_format = number_formats[c]
        if status_column is not None:
            status = str(values[status_column])
            paint_status(ws, r, status_column + 1, status, text=status_text(status) if status_text else None)
        if row_style is not None:
            row_style(ws, r, values)
    extend_autofilter(ws, start_row)
    fit_columns(ws, min_width=min_width, max_width=max_width, start_row=start_row)
    print_setup(ws, title_rows=f"{start_row}:{start_row}")
    return n
