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
