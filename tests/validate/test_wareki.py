"""和暦 ↔ 西暦 across era boundaries; the vectorized parser agrees with the pure one."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migrate import wareki
from migrate.mapping.transforms import parse_dates_frame


@pytest.mark.parametrize(
    ("text", "iso", "valid"),
    [
        ("S45.04.01", "1970-04-01", True),
        ("昭和45年4月1日", "1970-04-01", True),
        ("H01.01.08", "1989-01-08", True),
        ("平成元年1月8日", "1989-01-08", True),
        ("令和元年5月1日", "2019-05-01", True),
        ("3450401", "1970-04-01", True),
        ("Ｈ０１．０１．０８", "1989-01-08", True),
        ("H31.05.01", "2019-05-01", False),  # 平成 ended 2019-04-30
        ("S64.01.08", "1989-01-08", False),  # 昭和 ended 1989-01-07
        ("R01.04.30", "2019-04-30", False),  # before 令和
        ("H02.02.30", "1990-02-30", False),
        ("明治45年7月30日", "1912-07-30", False),  # 大正 began that day: accepted only by lenient items
    ],
)
def test_examples(text: str, iso: str, valid: bool) -> None:
    p = wareki.parse(text)
    assert p is not None and p.iso == iso and p.valid is valid
    frame = parse_dates_frame(pl.DataFrame({"v": [text]}).lazy(), "v", "s").collect()
    assert frame["v"][0] == iso
    assert frame["s"][0] == ("ok" if valid else "invalid")


def test_unparsed_and_fusho() -> None:
    frame = parse_dates_frame(
        pl.DataFrame({"v": ["abc", "年月日不詳", "令和○年頃", None]}).lazy(), "v", "s"
    ).collect()
    assert frame["s"].to_list() == ["unparsed", "fusho", "fusho", None]
    assert frame["v"].to_list() == ["abc", "年月日不詳", "令和○年頃", None]


def test_fiscal_year() -> None:
    assert wareki.fiscal_year(dt.date(2026, 3, 31)) == 2025
    assert wareki.fiscal_year_label(dt.date(2026, 3, 31)) == "令和7年度"
    assert wareki.to_wareki(dt.date(2026, 3, 31)) == "令和8年3月31日"
    assert wareki.to_wareki(dt.date(2019, 5, 1)) == "令和元年5月1日"


dates = st.dates(min_value=dt.date(1873, 1, 1), max_value=dt.date(2099, 12, 31))


@settings(max_examples=300, deadline=None)
@given(st.lists(dates, min_size=1, max_size=40), st.sampled_from(["letter", "kanji", "code7"]))
def test_roundtrip_all_forms(days: list[dt.date], style: str) -> None:
    texts = []
    for d in days:
        letter = wareki.to_wareki(d, "letter")
        if style == "letter":
            texts.append(letter)
        elif style == "kanji":
            texts.append(wareki.to_wareki(d))
        else:
            texts.append(wareki.era_of(d).code + letter[1:].replace(".", ""))
    for d, text in zip(days, texts, strict=True):
        p = wareki.parse(text)
        assert p is not None and p.valid and p.iso == d.isoformat()
    frame = parse_dates_frame(pl.DataFrame({"v": texts}).lazy(), "v", "s").collect()
    assert frame["v"].to_list() == [d.isoformat() for d in days]
    assert set(frame["s"]) == {"ok"}


@settings(max_examples=200, deadline=None)
@given(st.sampled_from("MTSHR"), st.integers(1, 70), st.integers(1, 12), st.integers(1, 31))
def test_vectorized_validity_matches_pure(era: str, y: int, m: int, d: int) -> None:
    text = f"{era}{y:02d}.{m:02d}.{d:02d}"
    p = wareki.parse(text)
    assert p is not None
    s = parse_dates_frame(pl.DataFrame({"v": [text]}).lazy(), "v", "s").collect()["s"][0]
    assert s == ("ok" if p.valid else "invalid")
