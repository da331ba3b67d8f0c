"""Check digits as vectorized polars expressions (mirrors migrate.checkdigit, tested against it).

Values are cast to integers once and digits taken arithmetically: far faster than slicing strings.
Also the existence of a 全国地方公共団体コード in the official list shipped in migrate/data/lg-codes.csv
(47 prefectures and 1,916 municipalities and wards, from code4fukui/localgovjp, CC0: see SOURCE.md).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

import polars as pl

from migrate.checkdigit import Mod11RemainderOne, lg_code_check_digit
from migrate.i18n import t

LG_CODES_DATA = "lg-codes.csv"


def _digits_from_right(n: pl.Expr, count: int) -> list[pl.Expr]:
    """[d1, d2, …]: d1 is the rightmost digit of the integer n."""
    return [(n // (10**k)) % 10 for k in range(count)]


def number(e: pl.Expr, min_width: int, max_width: int) -> pl.Expr:
    """The value as an integer when it is all digits of an acceptable width, else null.

    Materialize this once as a column: the check expressions below read its digits many times.
    """
    max_width = min(max_width, 18)  # Int64 holds 18 digits; longer values fail the length check anyway
    return pl.when(e.str.contains(rf"^\d{{{min_width},{max_width}}}$")).then(e.cast(pl.Int64, strict=False))


def my_number(n: pl.Expr) -> pl.Expr:
    """個人番号 (n = number(e, 12, 12)): P(n) n-th digit from the right of the first 11, Q = n+1 / n-5."""
    check = n % 10
    body = _digits_from_right(n // 10, 11)
    total = pl.sum_horizontal([p * (i + 1 if i <= 6 else i - 5) for i, p in enumerate(body, start=1)])
    r = total % 11
    return pl.when(n.is_not_null()).then(pl.when(r <= 1).then(0).otherwise(11 - r) == check)


def corporate_number(n: pl.Expr) -> pl.Expr:
    """法人番号 (n = number(e, 13, 13)): first digit = 9 - (Σ P(n)·Q(n) mod 9), Q = 1 odd / 2 even."""
    body = _digits_from_right(n % 10**12, 12)
    total = pl.sum_horizontal([p * (1 if i % 2 else 2) for i, p in enumerate(body, start=1)])
    return pl.when(n.is_not_null()).then((9 - total % 9) == n // 10**12)


def lg_code(n: pl.Expr) -> pl.Expr:
    """全国地方公共団体コード (n = number(e, 6, 6)): weights 6..2, check = last digit of 11 - (Σ mod 11)."""
    body = _digits_from_right(n // 10, 5)  # rightmost body digit has weight 2
    total = pl.sum_horizontal([p * w for p, w in zip(body, (2, 3, 4, 5, 6), strict=True)])
    return pl.when(n.is_not_null()).then((11 - total % 11) % 10 == n % 10)


def mod11_w2_7(n: pl.Expr, width: int, remainder_one: Mod11RemainderOne = "zero") -> pl.Expr:
    """宛名番号 / 世帯番号 (n = number(e, 2, width)): weights 2..7 repeating from the rightmost body digit."""
    width = min(width, 18)
    body = _digits_from_right(n // 10, width - 1)
    total = pl.sum_horizontal([p * (2 + i % 6) for i, p in enumerate(body)])
    r = total % 11
    check = pl.when(r == 0).then(0).when(r == 1).then(0 if remainder_one == "zero" else -1).otherwise(11 - r)
    return pl.when(n.is_not_null()).then(check == n % 10)


@cache
def official_lg_codes() -> frozenset[str]:
    """Every 全国地方公共団体コード of the shipped official list (prefectures and municipalities)."""
    text = (resources.files("migrate") / "data" / LG_CODES_DATA).read_text(encoding="utf-8")
    return frozenset(row["lgcode"] for row in csv.DictReader(io.StringIO(text)))


def lg_code_known(e: pl.Expr, fictional: Iterable[str] = ()) -> pl.Expr:
    """The code is in the official list or declared fictional (a demo's or a training set's own)."""
    return e.is_in(sorted(official_lg_codes() | set(fictional)))


def fictional_lg_codes(codes: Iterable[object]) -> list[str]:
    """Declared fictional codes, checked: 6 digits, a valid check digit, and not a real code.

    Raises ValueError naming the first bad one (a typo would silently accept a wrong code).
    """
    out = []
    for raw in codes:
        code = str(raw)
        if len(code) != 6 or not code.isascii() or not code.isdigit():
            raise ValueError(
                t("{c!r} は 6 桁の地方公共団体コードではありません", "{c!r} is not a 6-digit code", c=code)
            )
        if lg_code_check_digit(code[:5]) != int(code[5]):
            raise ValueError(t("{c} のチェックデジットが誤りです", "{c} has a wrong check digit", c=code))
        if code in official_lg_codes():
            raise ValueError(
                t(
                    "{c} は実在する地方公共団体コードです (架空のコードではありません)",
                    "{c} is a real local government code, not a fictional one",
                    c=code,
                )
            )
        out.append(code)
    return out


# -- the family: 個人番号 / 法人番号 / 団体コード / M11W2～7 check digits and 団体コード existence --

CODES = ("check-digit-invalid", "lg-code-unknown")


def compile_item(c: Any, it: Any) -> None:
    from migrate.standard.model import CheckDigit

    if it.check_digit is None:
        return
    v = pl.col(it.id)
    num_col = f"__num__{it.id}"
    widths = {CheckDigit.my_number: 12, CheckDigit.corporate_number: 13, CheckDigit.lg_code: 6}
    width = widths.get(it.check_digit, it.max_length or 15)
    c.derive[num_col] = number(v, 2 if it.check_digit == CheckDigit.mod11_w2_7 else width, width)
    digits = pl.col(num_col)
    if it.check_digit == CheckDigit.my_number:
        ok = my_number(digits)
    elif it.check_digit == CheckDigit.corporate_number:
        ok = corporate_number(digits)
    elif it.check_digit == CheckDigit.lg_code:
        ok = lg_code(digits)
    else:
        ok = mod11_w2_7(digits, width, c.opts.remainder_one)
    sev = it.check_digit_severity.value if it.check_digit_severity else it.severity.value
    c.value("check-digit-invalid", it.id, sev, ok, algorithm=it.check_digit.value)
    if it.check_digit == CheckDigit.lg_code:
        # a valid code absent from the official list: codes change with mergers, so a warning
        known = lg_code_known(v, c.opts.fictional_lg_codes)
        c.value("lg-code-unknown", it.id, "warning", ~ok.fill_null(False) | known)


def _table(x: Any, it: Any) -> Any:
    from migrate.checks.family import TablePart

    return (
        None
        if it.check_digit is None
        else TablePart(exact=False, not_exported=[f"{it.id}: check digit {it.check_digit.value}"])
    )


def _gx(x: Any, it: Any) -> Any:
    from migrate.checks.family import GxPart

    return (
        None
        if it.check_digit is None
        else GxPart(exact=False, not_exported=[f"{it.id}: check digit {it.check_digit.value}"])
    )


def _family() -> Any:
    from migrate.checks.family import Family

    return Family("check-digit", CODES, compile_item, table_schema=_table, gx=_gx)
