"""Check digits as vectorized polars expressions (mirrors migrate.checkdigit, tested against it)."""

from __future__ import annotations

import polars as pl

from migrate.checkdigit import Mod11RemainderOne


def _digit(e: pl.Expr, i: int) -> pl.Expr:
    return e.str.slice(i, 1).cast(pl.Int32, strict=False)


def my_number(e: pl.Expr) -> pl.Expr:
    """個人番号: P(n) n-th digit from the right of the first 11, Q(n) = n+1 (n<=6) or n-5 (n>=7)."""
    total = pl.sum_horizontal(
        [_digit(e, i) * ((11 - i) + 1 if (11 - i) <= 6 else (11 - i) - 5) for i in range(11)]
    )
    r = total % 11
    check = pl.when(r <= 1).then(0).otherwise(11 - r)
    return pl.when(e.str.contains(r"^\d{12}$")).then(check == _digit(e, 11)).otherwise(None)


def corporate_number(e: pl.Expr) -> pl.Expr:
    """法人番号: first digit = 9 - (Σ P(n)·Q(n) mod 9), Q = 1 for odd n, 2 for even n (n from the right)."""
    total = pl.sum_horizontal([_digit(e, i) * (1 if (13 - i) % 2 else 2) for i in range(1, 13)])
    return pl.when(e.str.contains(r"^\d{13}$")).then((9 - total % 9) == _digit(e, 0)).otherwise(None)


def lg_code(e: pl.Expr) -> pl.Expr:
    """全国地方公共団体コード: weights 6..2, check = last digit of 11 - (Σ mod 11)."""
    total = pl.sum_horizontal([_digit(e, i) * w for i, w in enumerate((6, 5, 4, 3, 2))])
    return pl.when(e.str.contains(r"^\d{6}$")).then((11 - total % 11) % 10 == _digit(e, 5)).otherwise(None)


def mod11_w2_7(e: pl.Expr, width: int, remainder_one: Mod11RemainderOne = "zero") -> pl.Expr:
    """宛名番号 / 世帯番号: weights 2..7 repeating from the rightmost body digit (zero padding is neutral)."""
    padded = e.str.zfill(width)
    body = width - 1
    total = pl.sum_horizontal([_digit(padded, i) * (2 + (body - 1 - i) % 6) for i in range(body)])
    r = total % 11
    check = pl.when(r == 0).then(0).when(r == 1).then(0 if remainder_one == "zero" else -1).otherwise(11 - r)
    ok = check == _digit(padded, body)
    return pl.when(e.str.contains(rf"^\d{{2,{width}}}$")).then(ok).otherwise(None)
