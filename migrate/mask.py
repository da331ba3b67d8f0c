"""Masking of personal values in every output: 個人番号 never shown, other personal data masked.

Two rules, applied here and nowhere else:

- by the item's sensitivity (spec): a `my-number` item is never shown, a `personal` one is masked
  unless the user asks (`--show-values`);
- by content, whatever the column or place: a run of exactly 12 digits (half- or full-width, not
  part of a longer digit run) whose last digit is a valid 個人番号 check digit (番号法施行令 第8条)
  is replaced by MY_NUMBER_MASK. This catches a 個人番号 typed into a column not marked as one, in a
  header that is really a data row, in a file name or in an error message. About one 12-digit number
  in ten passes the check digit by chance; masking those too is the price of never showing a real one.

`redact_expr` is the vectorised form for columns of values (a regex prefilter, then the check digit
on the candidate runs only); `redact` is its scalar twin for headers, file names and messages;
`redact_obj` walks JSON-like data and `redact_json` masks inside the strings of JSON text. A property
test keeps the vectorised and scalar forms equal. The sinks that call them: the engine's findings
(validate/run.py), the JSON envelope (output.py), terminal text (terminal.py), JUnit, HTML, history
rows (history/store.py) and the CLI's error boundary (errors.py, cli/__init__.py).

`header_looks_like_data` decides that a file's first line is a record, not a header (io/csvfile.py):
its values then never become column names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any

from migrate.checkdigit import my_number_valid

if TYPE_CHECKING:  # polars is imported where a column is masked: the scalar rule stays cheap to import
    import polars as pl

MY_NUMBER_MASK = "[個人番号・非表示]"

_DIGITS = "0-9\uff10-\uff19"  # half-width and full-width digits
_RUN12 = f"[{_DIGITS}]{{12}}"
_TOKENS = f"[{_DIGITS}]+|[^{_DIGITS}]+"
_RUN_RE = re.compile(f"[{_DIGITS}]+")
_EXACT12 = re.compile(f"(?<![{_DIGITS}])[{_DIGITS}]{{12}}(?![{_DIGITS}])")
_RUNS12 = re.compile(f"(?<![{_DIGITS}])[{_DIGITS}]{{12,}}")
_FULL = [chr(0xFF10 + i) for i in range(10)]
_HALF = [str(i) for i in range(10)]
_TO_HALF = str.maketrans(dict(zip(_FULL, _HALF, strict=True)))
# Weights Q(n) of the 11 body digits, left to right (n counted from the right: n + 1 for n <= 6, n - 5 above).
_WEIGHTS = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def is_my_number(run: str) -> bool:
    """A string of exactly 12 half- or full-width digits with a valid 個人番号 check digit."""
    return len(run) == 12 and my_number_valid(run.translate(_TO_HALF))


def redact(text: str) -> str:
    """text with every check-digit-valid 12-digit run replaced by the mask (scalar twin of redact_expr)."""
    if len(text) < 12:
        return text
    return _EXACT12.sub(lambda m: MY_NUMBER_MASK if is_my_number(m.group(0)) else m.group(0), text)


def redact_opt(text: str | None) -> str | None:
    return None if text is None else redact(text)


# Digests we compute ourselves (file hashes, validation keys, fingerprints): never data, kept intact.
_DIGEST_KEYS = frozenset({"sha256", "validation_key", "fp", "digest", "salt"})
_HEX = re.compile(r"[0-9a-f]{32,128}")


def redact_obj(obj: Any) -> Any:
    """A copy of JSON-like data (dicts, lists, tuples, strings) with every string and key redacted."""
    if isinstance(obj, str):
        return redact(obj)
    if isinstance(obj, dict):
        return {
            redact(k) if isinstance(k, str) else k: v
            if k in _DIGEST_KEYS and isinstance(v, str) and _HEX.fullmatch(v)
            else redact_obj(v)
            for k, v in obj.items()
        }
    if isinstance(obj, list | tuple):
        return [redact_obj(v) for v in obj]
    return obj


_DIGEST_LINE = re.compile(r'\s*"(?:sha256|validation_key|fp|digest|salt)": "[0-9a-f]{32,128}",?')


def _in_string(line: str, pos: int) -> bool:
    """Whether pos of one line of indented JSON is inside a string (JSON escapes every line break
    inside a string, so a string never spans lines)."""
    inside, i = False, 0
    while i < pos:
        ch = line[i]
        if ch == "\\" and inside:
            i += 2
            continue
        if ch == '"':
            inside = not inside
        i += 1
    return inside


def redact_json(text: str) -> str:
    """Indented JSON text with every 個人番号 inside its strings (keys included) masked; numbers and our
    own digests are left alone. One regex pass over the text: the per-value cost of redact_obj is
    paid only by the rare candidate runs."""

    def sub(m: re.Match[str]) -> str:
        found = m.group(0)
        # a control character is escaped as \u00XX: its digits join the run that follows it
        skip = 4 if len(found) == 16 and text[m.start() - 2 : m.start()] == "\\u" else 0
        if not is_my_number(found[skip:]):
            return found
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        line = text[start : end if end >= 0 else len(text)]
        if not _in_string(line, m.start() - start) or _DIGEST_LINE.fullmatch(line):
            return found
        return found[:skip] + MY_NUMBER_MASK

    return _RUNS12.sub(sub, text)


def _valid_expr(s: pl.Expr) -> pl.Expr:
    """True where s is exactly 12 digits with a valid 個人番号 check digit (vectorised)."""
    import polars as pl

    d = s.str.replace_many(_FULL, _HALF)
    digits = [d.str.slice(i, 1).cast(pl.Int32, strict=False) for i in range(12)]
    total = sum((w * digits[i] for i, w in enumerate(_WEIGHTS)), pl.lit(0, dtype=pl.Int32))
    r = total % 11
    check = pl.when(r <= 1).then(0).otherwise(11 - r)
    return (d.str.contains("^[0-9]{12}$") & (check == digits[11])).fill_null(False)


def redact_expr(e: pl.Expr) -> pl.Expr:
    """A string column with every check-digit-valid 12-digit run masked (only candidate rows are split)."""
    import polars as pl

    candidate = pl.when(e.str.contains(_RUN12)).then(e)
    tokens = candidate.str.extract_all(_TOKENS)
    masked = tokens.list.eval(
        pl.when(_valid_expr(pl.element())).then(pl.lit(MY_NUMBER_MASK)).otherwise(pl.element())
    ).list.join("")
    return pl.coalesce(masked, e)


def redact_frame(frame: pl.DataFrame, columns: Sequence[str] | None = None) -> pl.DataFrame:
    """The frame with its string columns (or the given ones) redacted by content."""
    import polars as pl

    names = [c for c in (columns or frame.columns) if c in frame.columns and frame.schema[c] == pl.Utf8]
    if not names or frame.is_empty():
        return frame
    return frame.with_columns(redact_expr(pl.col(c)).alias(c) for c in names)


def mask_expr(e: pl.Expr, sensitivity: str, show_values: bool) -> pl.Expr:
    """Mask a column of values by the item's sensitivity, then by content; --show-values never reveals
    a 個人番号 (the content rule runs after the cut to 60 characters too: a cut can only add masks)."""
    import polars as pl

    if sensitivity == "my-number":
        return pl.when(e.is_null()).then(None).otherwise(pl.lit(MY_NUMBER_MASK))
    if sensitivity == "personal" and not show_values:
        return pl.when(e.is_null() | (e == "")).then(e).otherwise(e.str.slice(0, 1) + pl.lit("＊＊＊"))
    return redact_expr(redact_expr(e).str.slice(0, 60))


# -- a header row that is really data -----------------------------------------------------------

_DATE_SHAPES = re.compile(
    r"""^(?:
        \d{4}[-/.]\d{1,2}[-/.]\d{1,2}                        # 1970-01-01, 1970/1/1
      | [MTSHRmtshr]\s?(?:\d{1,2}|元)[-/.]\d{1,2}[-/.]\d{1,2}   # S45.04.01, H元.1.8
      | (?:明治|大正|昭和|平成|令和)(?:\d{1,2}|元)年\d{1,2}月\d{1,2}日  # 昭和45年4月1日
      | \d{4}年\d{1,2}月\d{1,2}日
    )(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$""",
    re.VERBOSE,
)
# data shapes a header cell never has: numbers (with sign, decimals, separators), postal codes, phones
_NUMBER_SHAPE = re.compile(r"^[-+]?\d+(?:[.,:/-]\d+)*$")


def _norm(cell: str) -> str:
    return unicodedata.normalize("NFKC", cell).strip()


def cell_looks_like_data(cell: str) -> bool:
    """A header cell no real header has: 4+ digits, a 個人番号, a date, or a control character.

    A line break inside a (quoted) header cell is a valid CSV header ("氏名\r\n(漢字)"), not data; a bare
    CR is (line ends that were not read as such).
    """
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n" for ch in cell.replace("\r\n", "\n")):
        return True
    text = _norm(cell)
    if text.isascii() and text.isdigit() and len(text) >= 4:
        return True
    if any(is_my_number(m.group(0)) for m in _RUN_RE.finditer(cell)):
        return True
    return bool(_DATE_SHAPES.match(text))


def header_looks_like_data(cells: Sequence[str], known: Collection[str] = ()) -> bool:
    """The first row of a file is data, not a header: one cell has a shape no header has (see
    cell_looks_like_data), or most non-empty cells are numbers or dates.

    known: header names the reader expects (the entity's item ids, names, ローマ字 and 8-digit
    データ項目IDs, the mapping's legacy columns): such a cell is a header whatever its shape — but a
    check-digit-valid 個人番号 never is, so a data row that happens to hold one is still caught.

    Real headers (the mappings' legacy columns, the specs' item names, ids and romaji) are words; a
    header like `2024年度` or `項目1` stays a header (tested against every committed spec and mapping).
    """
    filled = [c for c in cells if c.strip()]
    if not filled:
        return False
    if any(is_my_number(m.group(0)) for c in filled for m in _RUN_RE.finditer(c)):
        return True
    names = {_norm(k) for k in known}
    filled = [c for c in filled if _norm(c) not in names]
    if not filled:
        return False
    if any(cell_looks_like_data(c) for c in filled):
        return True
    numeric = sum(1 for c in filled if _NUMBER_SHAPE.match(_norm(c)))
    return len(filled) >= 2 and numeric * 2 > len(filled)
