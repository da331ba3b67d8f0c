"""Date styles and the 個人番号 scrub shared by every report."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given
from hypothesis import strategies as st

from migrate.checkdigit import my_number_valid
from migrate.mask import MY_NUMBER_MASK
from migrate.report.format import fmt_date
from migrate.report.style import scrub_my_number
from migrate.samples import my_number


def test_date_styles() -> None:
    d = dt.date(2026, 3, 31)
    assert fmt_date(d) == "2026-03-31"
    assert fmt_date(d, "wareki") == "令和8年3月31日"
    assert fmt_date(d, "nendo") == "2026-03-31（令和7年度）"
    assert fmt_date(dt.date(2019, 5, 1), "wareki") == "令和元年5月1日"
    assert fmt_date(None) == ""


def test_scrub_examples() -> None:
    assert scrub_my_number("123456789018") == MY_NUMBER_MASK  # the domain notes' test vector
    assert scrub_my_number("番号 1234-5678-9018 です") == f"番号 {MY_NUMBER_MASK} です"
    assert scrub_my_number("１２３４５６７８９０１８") == MY_NUMBER_MASK
    assert scrub_my_number("123456789012") == "123456789012"  # wrong check digit: not a 個人番号
    assert scrub_my_number("0123456789018") == "0123456789018"  # 13 digits: a 法人番号 shape
    assert scrub_my_number(None) is None and scrub_my_number("") == ""


@given(
    st.integers(0, 2**32), st.text(alphabet="abcあい -", max_size=5), st.text(alphabet="xyzうえ ", max_size=5)
)
def test_every_valid_my_number_is_scrubbed(seed: int, before: str, after: str) -> None:
    n = my_number(random.Random(seed))
    assert my_number_valid(n)
    out = scrub_my_number(f"{before}{n}{after}")
    assert n not in (out or "")
    assert out == f"{before}{MY_NUMBER_MASK}{after}"
