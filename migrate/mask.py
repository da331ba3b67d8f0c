"""Masking of personal values in every output: 個人番号 never shown, other personal data masked."""

from __future__ import annotations

import polars as pl

MY_NUMBER_MASK = "[個人番号・非表示]"


def mask_expr(e: pl.Expr, sensitivity: str, show_values: bool) -> pl.Expr:
    """Mask a column of values by the item's sensitivity; --show-values never reveals a 個人番号."""
    if sensitivity == "my-number":
        return pl.when(e.is_null()).then(None).otherwise(pl.lit(MY_NUMBER_MASK))
    if sensitivity == "personal" and not show_values:
        return pl.when(e.is_null() | (e == "")).then(e).otherwise(e.str.slice(0, 1) + pl.lit("＊＊＊"))
    return e.str.slice(0, 60)


def mask_value(value: str | None, sensitivity: str, show_values: bool = False) -> str | None:
    if value is None:
        return None
    if sensitivity == "my-number":
        return MY_NUMBER_MASK
    if sensitivity == "personal" and not show_values:
        return value[:1] + "＊＊＊" if value else value
    return value[:60]
