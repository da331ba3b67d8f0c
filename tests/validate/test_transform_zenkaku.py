"""The `zenkaku` transform: legacy half-width text → データ型 Ｎ (全角文字列), vectorised with jaconv's tables."""

from __future__ import annotations

import jaconv
import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from migrate.checks.charset import HALF_WIDTH_CHAR
from migrate.mapping.transforms import zenkaku


def _run(values: list[str | None]) -> list[str | None]:
    return pl.select(zenkaku(pl.lit(pl.Series(values, dtype=pl.Utf8)))).to_series().to_list()


def test_examples() -> None:
    assert _run(["1-2-3 ｶﾞｰﾃﾞﾝﾊｲﾂ101", "ABC", "本町1丁目", "", None]) == [
        "１－２－３\u3000ガーデンハイツ１０１",
        "ＡＢＣ",
        "本町１丁目",
        "",
        None,
    ]


HALF = st.text(st.sampled_from([chr(c) for c in range(0x20, 0x7F)] + [chr(c) for c in range(0xFF61, 0xFFA0)]))


@given(st.lists(st.one_of(HALF, st.text(max_size=8)), max_size=8))
def test_no_half_width_character_survives_and_kanji_stay(values: list[str]) -> None:
    out = _run(list(values))
    for before, after in zip(values, out, strict=True):
        assert after is not None
        assert not pl.Series([after]).str.contains(HALF_WIDTH_CHAR).item() or any(
            ord(ch) < 0x20 or ord(ch) == 0x7F for ch in before
        )  # control characters are not text: they stay (and the Ｎ check reports them)
        # agrees with jaconv character by character where jaconv converts (half-width kana + marks aside)
        if all(0x20 < ord(ch) < 0x7F for ch in before):
            assert after == jaconv.h2z(before, kana=False, ascii=True, digit=True)
