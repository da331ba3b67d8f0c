"""Character-class checks: 全角カナ, 半角, JIS X 0213 membership and private-use 外字."""

from __future__ import annotations

from functools import cache

import polars as pl

PUA = r"[\x{E000}-\x{F8FF}]"
# 基本データリスト X 半角文字列: printable ASCII and 半角カタカナ (JIS X 0201)
HANKAKU = r"^[\x{20}-\x{7E}\x{FF61}-\x{FF9F}]*$"
# 基本データリスト Ｎ 全角文字列: any ASCII (letters, digits, space, controls) or 半角カナ is a finding
HALF_WIDTH_CHAR = r"[\x{00}-\x{7F}\x{FF61}-\x{FF9F}]"
ZENKAKU_KANA = r"^[\x{30A1}-\x{30F6}\x{30FC}\x{3000}\x{30FB}\x{30FD}\x{30FE}]+$"


@cache
def in_jisx0213(ch: str) -> bool:
    """JIS X 0213:2004 membership via Python's euc_jis_2004 codec (no data file needed)."""
    try:
        ch.encode("euc_jis_2004")
    except UnicodeEncodeError:
        return False
    return True


@cache
def jis_class() -> str:
    """A regex character class of every BMP character in JIS X 0213 plus the private-use area.

    Built once from the codec, so the membership test is one regex pass (a DFA) over the column.
    Private use is included because 外字 are reported by their own check.
    """
    ranges: list[tuple[int, int]] = []
    for cp in range(0x20, 0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        if (0xE000 <= cp <= 0xF8FF) or in_jisx0213(chr(cp)):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    parts = [rf"\x{{{a:X}}}" if a == b else rf"\x{{{a:X}}}-\x{{{b:X}}}" for a, b in ranges]
    return "[" + "".join(parts) + "]"


def outside_jis(e: pl.Expr) -> pl.Expr:
    """True where the value holds a character outside JIS X 0213 (private use excluded)."""
    return e.str.contains("[^" + jis_class()[1:])


def outside_jis_chars(values: pl.Series) -> list[str]:
    """The distinct offending characters of values (call on the failing rows only)."""
    rest = values.drop_nulls().str.replace_all(jis_class() + "+", "").unique()
    chars = set("".join(rest.to_list()))
    return sorted(ch for ch in chars if not in_jisx0213(ch))


def cp932_bytes(e: pl.Expr) -> pl.Expr:
    """Length in CP932 bytes: ASCII and half-width katakana take 1 byte, everything else 2."""
    return e.str.len_chars() * 2 - e.str.count_matches(r"[\x{00}-\x{7F}\x{FF61}-\x{FF9F}]")
