"""Safe Excel writing shared by every workbook migrate produces (data dictionaries, reports).

Why: values in our workbooks come from legacy extracts, specs and vendors. A text cell that starts
with ``=``, ``+``, ``-`` or ``@`` (or a tab / carriage return) can be turned into a formula by Excel
or by a spreadsheet that re-imports the sheet (CSV/formula injection, OWASP). openpyxl itself would
store a Python ``str`` starting with ``=`` as a *formula*. Every cell therefore goes through
:func:`set_cell`, which stores text as a string cell (``data_type = "s"``) and, when the text looks
like a formula, also sets the cell style's ``quotePrefix`` so Excel displays and keeps it as text
even after the user edits the cell. The value itself is never altered (no leading apostrophe is
added), so a workbook read back with openpyxl gives the exact text that was written.

openpyxl is imported inside the functions: importing this module stays cheap.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migrate.atomic import write_with

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

# Leading characters that make Excel (or a CSV re-import) treat text as a formula. The full-width
# forms are included because Japanese Excel converts a typed ＝ to = when the cell is edited.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")

# Characters XML 1.0 cannot hold; openpyxl raises IllegalCharacterError on them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Excel's hard limit on text in one cell.
MAX_CELL_CHARS = 32_767
# Excel's sheet title rules: at most 31 characters, none of these.
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")

CellValue = str | int | float | Decimal | bool | dt.date | dt.datetime | None


def looks_like_formula(text: str) -> bool:
    """True when Excel could interpret text as a formula (its first character triggers one)."""
    return bool(text) and text.startswith(FORMULA_TRIGGERS)


def safe_value(value: Any) -> CellValue:
    """Normalise a Python value into something a cell can hold, without changing its meaning.

    Enums become their value, lists/sets/tuples become ``", "``-joined text, other objects their
    ``str()``. Characters XML cannot store become U+FFFD and over-long text is cut to Excel's
    limit: both are visible rather than silently dropped. Formula protection is *not* done here
    (it needs the cell): use :func:`set_cell`.
    """
    if value is None:
        return None
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool | int | float | Decimal | dt.date | dt.datetime):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        value = ", ".join("" if v is None else str(safe_value(v)) for v in items)
    text = value if isinstance(value, str) else str(value)
    text = _ILLEGAL_XML.sub("\ufffd", text)
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - 1] + "…"
    return text


def set_cell(cell: Cell, value: Any) -> Cell:
    """Write value into cell safely: text is always a string cell, formula-like text is quoted."""
    v = safe_value(value)
    cell.value = v
    if isinstance(v, str):
        # openpyxl infers data_type "f" for text starting with "="; force a plain string.
        cell.data_type = "s"
        if looks_like_formula(v):
            cell.quotePrefix = True
    return cell


def write_cell(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """ws.cell(row, column) with :func:`set_cell` semantics (not for the inner cells of a merge)."""
    from openpyxl.cell.cell import Cell

    cell = ws.cell(row=row, column=column)
    if not isinstance(cell, Cell):
        raise ValueError(f"cell {cell.coordinate} of {ws.title!r} is inside a merged range")
    return set_cell(cell, value)


def append_row(ws: Worksheet, values: Iterable[Any]) -> int:
    """Append one row of values safely below the last used row; return its row number."""
    row = ws.max_row + 1 if ws.max_row > 1 or ws.cell(1, 1).value is not None else 1
    for col, value in enumerate(values, start=1):
        write_cell(ws, row, col, value)
    return row


def display_width(text: str) -> int:
    """Column width units for text: full-width (Japanese) characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def fit_columns(ws: Worksheet, min_width: int = 6, max_width: int = 60, start_row: int = 1) -> None:
    """Set every column's width from the widest value in it (first line of multi-line text)."""
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    for row in ws.iter_rows(min_row=start_row):
        for cell in row:
            if cell.value is None:
                continue
            text = cell.value.isoformat() if isinstance(cell.value, dt.date) else str(cell.value)
            w = max((display_width(line) for line in text.splitlines()), default=0)
            widths[cell.column] = max(widths.get(cell.column, 0), w)
    for col, w in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = max(min_width, min(max_width, w + 2))


def header_row(ws: Worksheet, headers: Sequence[str], row: int = 1, *, freeze_columns: int = 0) -> None:
    """Write a bold, shaded header row, freeze the panes below it and put an autofilter on it."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    fill = PatternFill("solid", fgColor="DDEBF7")
    for col, text in enumerate(headers, start=1):
        cell = write_cell(ws, row, col, text)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    ws.freeze_panes = f"{get_column_letter(freeze_columns + 1)}{row + 1}"
    last = get_column_letter(max(1, len(headers)))
    ws.auto_filter.ref = f"A{row}:{last}{max(row, ws.max_row)}"


def extend_autofilter(ws: Worksheet, row: int = 1) -> None:
    """Stretch the autofilter set by :func:`header_row` over every row written since."""
    from openpyxl.utils import get_column_letter

    ws.auto_filter.ref = f"A{row}:{get_column_letter(ws.max_column)}{ws.max_row}"


def sheet_title(name: str, taken: Iterable[str] = ()) -> str:
    """A valid, unique sheet title: Excel's forbidden characters replaced, at most 31 characters."""
    base = _BAD_TITLE.sub("_", name).strip("'") or "Sheet"
    base = base[:31]
    used = {t.lower() for t in taken}
    title, n = base, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    return title


def write_workbook_atomically(wb: Workbook, path: str | Path) -> Path:
    """Save wb to path through a temporary file in the same folder, replaced in one rename."""
    return write_with(path, lambda tmp: wb.save(str(tmp)))


# ------------------------------------------------------------------------------------------ printing

# Paper sizes (ECMA-376 paperSize codes) and their printable width / height in inches.
PAPER = {"A3": (8, 11.69, 16.54), "A4": (9, 8.27, 11.69)}
MARGIN_SIDE = 0.4  # inches, left and right
MARGIN_TOP = 0.6  # inches, top and bottom (the header and footer sit in it)
MARGIN_HEADER = 0.25


def header_text(text: str) -> str:
    """Text for a page header or footer: `&` is a field code there, so it is doubled."""
    return text.replace("&", "&&")


def print_setup(
    ws: Worksheet,
    *,
    title: str | None = None,
    paper: str = "A3",
    landscape: bool = True,
    title_rows: str | None = "1:1",
    title_cols: str | None = None,
    pages_wide: int | None = 1,
    pages_tall: int = 0,
    scale: int | None = None,
) -> None:
    """Page set-up of one sheet: paper, orientation, margins, repeated rows/columns, header/footer.

    pages_wide / pages_tall: fit to that many pages (0 = as many as needed); pages_wide=None with a
    scale prints at that scale instead, so manual page breaks are honoured. The header holds the
    title (left) and the sheet name (right); the footer the page number as `&P / &N`.
    """
    code, _, _ = PAPER[paper]
    ws.page_setup.paperSize = code
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    if pages_wide is None:
        ws.sheet_properties.pageSetUpPr.fitToPage = False  # type: ignore[union-attr]
        ws.page_setup.scale = scale or 100
    else:
        ws.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
        ws.page_setup.fitToWidth = pages_wide
        ws.page_setup.fitToHeight = pages_tall
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = MARGIN_SIDE
    ws.page_margins.top = ws.page_margins.bottom = MARGIN_TOP
    ws.page_margins.header = ws.page_margins.footer = MARGIN_HEADER
    if title_rows:
        ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols
    header, footer = ws.oddHeader, ws.oddFooter
    if header is not None:
        if title is not None and header.left is not None:
            header.left.text = header_text(title)
        if header.right is not None:
            header.right.text = "&A"
    if footer is not None and footer.center is not None:
        footer.center.text = "&P / &N"


def set_print_title(wb: Workbook, title: str) -> None:
    """Put title in the page header of every sheet (print_setup puts the sheet name and page number)."""
    for ws in wb.worksheets:
        header = ws.oddHeader
        if header is not None and header.left is not None:
            header.left.text = header_text(title)


def printable_px(paper: str = "A3", landscape: bool = True) -> tuple[float, float]:
    """(width, height) of the printable area in 96-dpi pixels at 100 % (inside the margins)."""
    _, short, long_ = PAPER[paper]
    w, h = (long_, short) if landscape else (short, long_)
    return (w - 2 * MARGIN_SIDE) * 96, (h - 2 * MARGIN_TOP) * 96


def column_px(width: float | None) -> float:
    """A column's width in pixels: Excel's width unit is the width of a digit of the default font (7 px)."""
    return 7 * (8.43 if width is None else width)


def set_widths(ws: Worksheet, widths: Iterable[float | None], start: int = 1) -> None:
    """Set the widths of consecutive columns from `start` (None leaves a column as it is)."""
    from openpyxl.utils import get_column_letter

    for col, w in enumerate(widths, start=start):
        if w is not None:
            ws.column_dimensions[get_column_letter(col)].width = w


def _print_width(text: str) -> float:
    """Printed width of text in Excel width units: a full-width character a little over two digits,
    other characters a little under one (Latin text averages narrower than a digit)."""
    return sum(2.2 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.95 for ch in text)


def wrapped_lines(text: str, width: float) -> int:
    """How many lines text takes in a wrapping column of `width` (estimated, on the generous side)."""
    per_line = max(1.0, width - 1.2)
    lines = 0
    for line in text.splitlines() or [""]:
        lines += max(1, math.ceil(_print_width(line) / per_line))
    return lines


def fit_row_heights(
    ws: Worksheet,
    first_row: int,
    last_row: int | None = None,
    *,
    line_height: float = 16.0,
    min_height: float | None = None,
) -> None:
    """Give each row the height its wrapped text needs, so Excel and LibreOffice print the same.

    Excel does not recompute row heights of a file it opens; a height written here is used by both.
    """
    from openpyxl.utils import get_column_letter

    last = ws.max_row if last_row is None else last_row
    widths = {c: ws.column_dimensions[get_column_letter(c)].width for c in range(1, ws.max_column + 1)}
    for r in range(first_row, last + 1):
        lines = 1
        for cell in ws[r]:
            if cell.value is None or not isinstance(cell.value, str):
                continue
            width = widths.get(cell.column) or 8.43
            if cell.alignment is not None and cell.alignment.wrap_text:
                lines = max(lines, wrapped_lines(cell.value, width))
            else:
                lines = max(lines, len(cell.value.splitlines()) or 1)
        ws.row_dimensions[r].height = max(min_height or line_height, lines * line_height)
