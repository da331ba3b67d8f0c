"""Vectorized value transforms (polars expressions) used by mappings.

Character tables come from jaconv (the field's library for kana and width) and are applied with
polars' Aho-Corasick replace_many, so a million names are converted without a Python loop.
"""

from __future__ import annotations

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


def _replace_many(e: pl.Expr, table: tuple[list[str], list[str]]) -> pl.Expr:
    pats, reps = table
    return e.str.replace_many(pats, reps, leftmost=True)


def zenkaku_kana(e: pl.Expr) -> pl.Expr:
    return _replace_many(e, _halfwidth_kana_table())


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


def parse_dates(e: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Legacy date text → (value, state).

    value is YYYY-MM-DD when month and day are plausible (even if the day never existed), else the
    original text; state is ok / invalid (not on the calendar, or outside its era: H31.05.01,
    S64.01.08, R01.04.30) / unparsed / fusho (不詳 forms kept verbatim), null for null input.
    """
    s = hankaku_alnum(e).str.strip_chars(WS).str.to_uppercase()
    s = s.str.replace_many(["明治", "大正", "昭和", "平成", "令和", "元"], ["M", "T", "S", "H", "R", "1"])
    s = s.str.replace_all(r"^(\d{4})(\d{2})(\d{2})$", "${1}-${2}-${3}")
    letter = s.str.extract_groups(_LETTER_RE)
    code7 = s.str.extract_groups(_CODE7_RE)
    west = s.str.extract_groups(_WEST_RE)
    code_letter = code7.struct.field("1").replace_strict(
        [era.code for era in ERAS], _ERA_LETTERS, default=None, return_dtype=pl.Utf8
    )
    era = pl.coalesce(letter.struct.field("1"), code_letter)
    offset = era.replace_strict(_ERA_LETTERS, [e_.offset for e_ in ERAS], default=None, return_dtype=pl.Int32)
    era_year = pl.coalesce(letter.struct.field("2"), code7.struct.field("2")).cast(pl.Int32, strict=False)
    year = pl.coalesce(offset + era_year, west.struct.field("1").cast(pl.Int32, strict=False))
    month = pl.coalesce(letter.struct.field("3"), code7.struct.field("3"), west.struct.field("2")).cast(
        pl.Int32, strict=False
    )
    day = pl.coalesce(letter.struct.field("4"), code7.struct.field("4"), west.struct.field("3")).cast(
        pl.Int32, strict=False
    )
    iso = pl.format(
        "{}-{}-{}",
        year.cast(pl.Utf8).str.zfill(4),
        month.cast(pl.Utf8).str.zfill(2),
        day.cast(pl.Utf8).str.zfill(2),
    )
    as_date = iso.str.to_date("%Y-%m-%d", strict=False)
    in_era = pl.lit(True)
    for era_ in ERAS:
        inside = as_date >= pl.lit(era_.start)
        if era_.end is not None:
            inside = inside & (as_date <= pl.lit(era_.end))
        in_era = pl.when(era == era_.letter).then(inside).otherwise(in_era)
    plausible = (
        year.is_not_null()
        & (era_year.is_null() | (era_year >= 1))
        & month.is_between(1, 12)
        & day.is_between(1, 31)
    )
    fusho = e.str.contains(FUSHO_RE.pattern)
    value = pl.when(e.is_null()).then(None).when(fusho).then(e).when(plausible).then(iso).otherwise(e)
    state = (
        pl.when(e.is_null())
        .then(None)
        .when(fusho)
        .then(pl.lit(DATE_FUSHO))
        .when(~plausible)
        .then(pl.lit(DATE_UNPARSED))
        .when(as_date.is_not_null() & in_era)
        .then(pl.lit(DATE_OK))
        .otherwise(pl.lit(DATE_INVALID))
    )
    return value, state
