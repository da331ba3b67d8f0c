"""Validation findings as CSV for Excel: one row per finding, the JSON findings' columns plus message and hint.

Why each rule:

- UTF-8 with a BOM: Japanese Excel opens a BOM-less UTF-8 CSV as CP932 and garbles every kanji; the
  BOM makes it read UTF-8 (LibreOffice and pandas accept it too).
- Values are the engine's, already masked by each item's sensitivity (migrate.mask.mask_expr, unless
  --show-values); every text cell then goes through migrate.mask.redact, so a 個人番号 in a header, a
  file name, a legacy column name or a rule's detail is masked too, --show-values included.
- Formula injection (OWASP "CSV Injection"): a cell whose text starts with = + - @ tab or CR (and the
  full-width ＝ ＋ － ＠ Japanese Excel converts) would be run as a formula when the file is opened.
  Such a cell gets a leading apostrophe, which Excel shows as text and hides. Unlike the workbooks
  (migrate.xlsx.set_cell, which can set quotePrefix on the cell) a CSV has no other way to say "text".
  Numbers (line, row) are written as numbers and never quoted.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from migrate.findings import hint_of, title_of
from migrate.mask import redact
from migrate.xlsx import FORMULA_TRIGGERS

if TYPE_CHECKING:
    from migrate.validate.run import ValidationResult

BOM = "\ufeff"
# The JSON findings' keys (docs/findings.md), the file they belong to, and the two texts a person needs.
COLUMNS = (
    "file",
    "line",
    "row",
    "severity",
    "code",
    "message",
    "item",
    "std_id",
    "column",
    "value",
    "mapped",
    "hint",
    "detail",
)


def safe_cell(value: Any) -> str:
    """One cell's text: a 個人番号 masked, formula-like text prefixed with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)  # a number is data, not a formula: -1 stays -1
    text = redact(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def finding_rows(results: Sequence[ValidationResult], max_findings: int | None = None) -> Iterator[list[str]]:
    """The data rows, in the JSON's order (per file, by line); max_findings caps each file like --format json."""
    for res in results:
        shown = res.findings if max_findings is None else res.findings.head(max_findings)
        std_ids = getattr(res, "std_ids", {})
        for f in shown.iter_rows(named=True):
            code = f["code"]
            detail = f.get("detail") or ""
            yield [
                safe_cell(v)
                for v in (
                    res.file,
                    f["line"],
                    f["row"],
                    f["severity"],
                    code,
                    title_of(code),
                    f["item"],
                    std_ids.get(f["item"]) if f["item"] else None,
                    f["column"],
                    f["value"],
                    f["mapped"],
                    hint_of(code),
                    "" if detail in ("", "{}") else detail,
                )
            ]


def render_csv(results: Sequence[ValidationResult], max_findings: int | None = None) -> str:
    """The whole CSV text, BOM first; message and hint in the language of the run."""
    buf = io.StringIO()
    # CRLF (RFC 4180): the writer then also quotes a field holding a bare CR, which Excel would take
    # for a line end. Printed to a terminal, migrate.terminal.clean leaves LF line ends.
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(finding_rows(results, max_findings))
    return BOM + buf.getvalue()
