"""Vectorized value transforms (polars expressions) used by mappings.

Character tables come from jaconv (the field's library for kana and width) and are applied with
polars' Aho-Corasick replace_many, so a million names are converted without a Python loop.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import jaconv
import polars as pl

from migrate.wareki import ERAS, FUSHO_RE

WS = " \t\u3000"
DATE_OK, DATE_INVALID, DATE_UNPARSED, DATE_FUSHO = "ok", "invalid", "unparsed", "fusho"


@cache
def _halfwidth_kana_table() -> tuple[list[str], list[str]]:
    singles = [chr(c) for c in range(0xFF61, 0xFFA0)]
    pats: list[str] = []
    reps: list[str] = []
    for base in singles:
        for mark in ("\uff9e", "\uff9f"):
            full = jaconv.h2z(base + mark, kana=True, ascii=False, digit=False)
            if len(full) == 1:  # a real voiced / semi-voiced kana (ｶﾞ → ガ)
                pats.append(base + mark)
                reps.append(full)
    for ch in singles:
        pats.append(ch)
        reps.append(jaconv.h2z(ch, kana=True, ascii=False, digit=False))
    return pats, reps


@cache
def _fullwidth_table(digits_only: bool) -> tuple[list[str], list[str]]:
    chars = (
        [chr(c) for c in range(0xFF10, 0xFF1A)] if digits_only else [chr(c) for c in range(0xFF01, 0xFF5F)]
    )
    return chars, [jaconv.z2h(c, kana=False, ascii=True, digit=True) for c in chars]


@cache
def _hiragana_table() -> tuple[list[str], list[str]]:
    chars = [chr(c) for c in range(0x3041, 0x3097)]
    return chars, [jaconv.hira2kata(c) for c in chars]


@cache
def _zenkaku_table() -> tuple[list[str], list[str]]:
    """半角 → 全角 for データ型 Ｎ: printable ASCII (jaconv's table), the space as U+3000, and 半角カナ
    with their voiced marks (ｶﾞ → ガ, longest match first)."""
    kana_pats, kana_reps = _halfwidth_kana_table()
    # a voiced mark on its own (no base before it) becomes the spacing full-width mark ゛ / ゜
    marks = {"\uff9e": "\u309b", "\uff9f": "\u309c"}
    kana_reps = [marks.get(p, r) if len(p) == 1 else r for p, r in zip(kana_pats, kana_reps, strict=True)]
    ascii_chars = [chr(c) for c in range(0x21, 0x7F)]
    return (
        [*kana_pats, *ascii_chars, " "],
        [*kana_reps, *(jaconv.h2z(c, kana=False, ascii=True, digit=True) for c in ascii_chars), "\u3000"],
    )


def _replace_many(e: pl.Expr, table: tuple[list[str], list[str]]) -> pl.Expr:
    pats, reps = table
    return e.str.replace_many(pats, reps, leftmost=True)


def zenkaku_kana(e: pl.Expr) -> pl.Expr:
    return _replace_many(e, _halfwidth_kana_table())


def zenkaku(e: pl.Expr) -> pl.Expr:
    return _replace_many(e, _zenkaku_table())


def hankaku_digits(e: pl.Expr) -> pl.Expr:
    return _replace_many(e, _fullwidth_table(True))


def hankaku_alnum(e: pl.Expr) -> pl.Expr:
    return _replace_many(e, _fullwidth_table(False)).str.replace_all("\u3000", " ", literal=True)


def katakana(e: pl.Expr) -> pl.Expr:
    return _replace_many(e, _hiragana_table())


def trim(e: pl.Expr) -> pl.Expr:
    return e.str.strip_chars(WS)


_ERA_LETTERS = [era.letter for era in ERAS]
_LETTER_RE = r"^([MTSHR])\s*(\d{1,2})\s*[年.\-/・]?\s*(\d{1,2})\s*[月.\-/・]?\s*(\d{1,2})\s*日?$"
_CODE7_RE = r"^([1-5])(\d{2})(\d{2})(\d{2})$"
_WEST_RE = r"^(\d{4})\s*[年.\-/]?\s*(\d{1,2})\s*[月.\-/]?\s*(\d{1,2})\s*日?$"


def parse_dates_frame(lf: pl.LazyFrame, col: str, state_col: str) -> pl.LazyFrame:
    """Legacy date text in col → YYYY-MM-DD in col, plus its state in state_col.

    The value becomes YYYY-MM-DD when month and day are plausible (even if the day never existed),
    else stays the original text. State: ok / invalid (not on the calendar, or outside its era:
    H31.05.01, S64.01.08, R01.04.30) / unparsed / fusho (不詳 forms kept verbatim); null for null.
    Computed in stages so each regex runs once per value.
    """
    t = f"__w_{col}"
    s = hankaku_alnum(pl.col(col)).str.strip_chars(WS).str.to_uppercase()
    s = s.str.replace_many(["明治", "大正", "昭和", "平成", "令和", "元"], ["M", "T", "S", "H", "R", "1"])
    s = s.str.replace_all(r"^(\d{4})(\d{2})(\d{2})$", "${1}-${2}-${3}")
    lf = lf.with_columns(s.alias(t + "s"))
    lf = lf.with_columns(
        pl.col(t + "s").str.extract_groups(_LETTER_RE).alias(t + "l"),
        pl.col(t + "s").str.extract_groups(_CODE7_RE).alias(t + "c"),
        pl.col(t + "s").str.extract_groups(_WEST_RE).alias(t + "w"),
    )
    letter, code7, west = pl.col(t + "l"), pl.col(t + "c"), pl.col(t + "w")
    code_letter = code7.struct.field("1").replace_strict(
        [era.code for era in ERAS], _ERA_LETTERS, default=None, return_dtype=pl.Utf8
    )
    era_year = pl.coalesce(letter.struct.field("2"), code7.struct.field("2")).cast(pl.Int32, strict=False)
    lf = lf.with_columns(
        pl.coalesce(letter.struct.field("1"), code_letter).alias(t + "era"),
        era_year.alias(t + "ey"),
        pl.coalesce(letter.struct.field("3"), code7.struct.field("3"), west.struct.field("2"))
        .cast(pl.Int32, strict=False)
        .alias(t + "m"),
        pl.coalesce(letter.struct.field("4"), code7.struct.field("4"), west.struct.field("3"))
        .cast(pl.Int32, strict=False)
        .alias(t + "d"),
        west.struct.field("1").cast(pl.Int32, strict=False).alias(t + "wy"),
    )
    era, ey, m, d = pl.col(t + "era"), pl.col(t + "ey"), pl.col(t + "m"), pl.col(t + "d")
    offset = era.replace_strict(_ERA_LETTERS, [e_.offset for e_ in ERAS], default=None, return_dtype=pl.Int32)
    lf = lf.with_columns(pl.coalesce(offset + ey, pl.col(t + "wy")).alias(t + "y"))
    y = pl.col(t + "y")
    iso = pl.format(
        "{}-{}-{}", y.cast(pl.Utf8).str.zfill(4), m.cast(pl.Utf8).str.zfill(2), d.cast(pl.Utf8).str.zfill(2)
    )
    lf = lf.with_columns(iso.alias(t + "iso"))
    lf = lf.with_columns(pl.col(t + "iso").str.to_date("%Y-%m-%d", strict=False).alias(t + "date"))
    as_date = pl.col(t + "date")
    start = era.replace_strict(_ERA_LETTERS, [e_.start for e_ in ERAS], default=None, return_dtype=pl.Date)
    end = era.replace_strict(
        _ERA_LETTERS, [e_.end or dt.date(9999, 12, 31) for e_ in ERAS], default=None, return_dtype=pl.Date
    )
    in_era = era.is_null() | ((as_date >= start) & (as_date <= end))
    plausible = y.is_not_null() & (ey.is_null() | (ey >= 1)) & m.is_between(1, 12) & d.is_between(1, 31)
    src = pl.col(col)
    fusho = src.str.contains(FUSHO_RE.pattern)
    value = (
        pl.when(src.is_null())
        .then(None)
        .when(fusho)
        .then(src)
        .when(plausible)
        .then(pl.col(t + "iso"))
        .otherwise(src)
    )
    state = (
        pl.when(src.is_null())
        .then(None)
        .when(fusho)
        .then(pl.lit(DATE_FUSHO))
        .when(~plausible)
        .then(pl.lit(DATE_UNPARSED))
        .when(as_date.is_not_null() & in_era)
        .then(pl.lit(DATE_OK))
        .otherwise(pl.lit(DATE_INVALID))
    )
    lf = lf.with_columns(value.alias(col), state.alias(state_col))
    return lf.drop([t + x for x in ("s", "l", "c", "w", "era", "ey", "m", "d", "wy", "y", "iso", "date")])
