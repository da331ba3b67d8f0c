"""Character-class checks: 全角カナ, 半角, JIS X 0213 membership and private-use 外字."""

from __future__ import annotations

from functools import cache

import polars as pl

PUA = r"[\x{E000}-\x{F8FF}]"
# Characters every target charset allows: ASCII printable, kana, CJK punctuation (fast pre-filter).
_COMMON = r"[\x{20}-\x{7E}\x{3000}-\x{30FF}]"
ZENKAKU_KANA = r"^[\x{30A1}-\x{30F6}\x{30FC}\x{3000}\x{30FB}\x{30FD}\x{30FE}]+$"


@cache
def in_jisx0213(ch: str) -> bool:
    """JIS X 0213:2004 membership via Python's euc_jis_2004 codec (no data file needed)."""
    try:
        ch.encode("euc_jis_2004")
    except UnicodeEncodeError:
        return False
    return True


def outside_jis_chars(series: pl.Series) -> list[str]:
    """Distinct characters of series outside JIS X 0213 (private-use excluded: they are 外字)."""
    rest = series.drop_nulls().str.replace_all(_COMMON, "").str.replace_all(PUA, "")
    rest = rest.filter(rest != "").unique()
    if rest.is_empty():
        return []
    chars = set("".join(rest.to_list()))
    return sorted(ch for ch in chars if not in_jisx0213(ch))


def cp932_bytes(e: pl.Expr) -> pl.Expr:
    """Length in CP932 bytes: ASCII and half-width katakana take 1 byte, everything else 2."""
    return e.str.len_chars() * 2 - e.str.count_matches(r"[\x{00}-\x{7F}\x{FF61}-\x{FF9F}]")
