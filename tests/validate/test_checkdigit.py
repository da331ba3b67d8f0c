"""Check digits: published test vectors, and the vectorized polars versions agree with the pure ones."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from migrate import checkdigit as c
from migrate.checks import check_digit as cd

digits = st.text(alphabet="0123456789", min_size=1, max_size=20)


def test_vectors() -> None:
    assert c.my_number_valid("123456789018")
    assert not c.my_number_valid("123456789012")
    assert c.corporate_number_valid("7123456789012")
    assert not c.corporate_number_valid("1123456789012")
    for code in ("131016", "011002", "271004", "010006"):
        assert c.lg_code_valid(code)
    assert not c.lg_code_valid("131017")


def test_mod11_remainder_one_is_configurable() -> None:
    body = next(
        f"{n:05d}"
        for n in range(100000)
        if sum(int(d) * (2 + i % 6) for i, d in enumerate(reversed(f"{n:05d}"))) % 11 == 1
    )
    assert c.mod11_w2_7_valid(body + "0", "zero")
    assert not c.mod11_w2_7_valid(body + "0", "reject")


def _vector(fn: object, values: list[str], *args: object) -> list[bool | None]:
    frame = pl.DataFrame({"v": values}, schema={"v": pl.Utf8})
    return frame.select(fn(pl.col("v"), *args).alias("ok"))["ok"].to_list()  # type: ignore[operator]


@settings(max_examples=200, deadline=None)
@given(st.lists(digits, min_size=1, max_size=30))
def test_vectorized_equals_pure(values: list[str]) -> None:
    def run(fn: object, width: int, lo: int, *args: object) -> list[bool | None]:
        frame = pl.DataFrame({"v": values}, schema={"v": pl.Utf8})
        n = frame.select(cd.number(pl.col("v"), lo, width).alias("n"))
        return n.select(fn(pl.col("n"), *args).alias("ok"))["ok"].to_list()  # type: ignore[operator]

    def pure(fn: object, width: int, lo: int) -> list[bool | None]:
        return [fn(v) if lo <= len(v) <= width else None for v in values]  # type: ignore[operator]

    assert run(cd.my_number, 12, 12) == pure(c.my_number_valid, 12, 12)
    assert run(cd.corporate_number, 13, 13) == pure(c.corporate_number_valid, 13, 13)
    assert run(cd.lg_code, 6, 6) == pure(c.lg_code_valid, 6, 6)
    assert run(cd.mod11_w2_7, 15, 2, 15, "zero") == pure(lambda v: c.mod11_w2_7_valid(v, "zero"), 15, 2)
    assert run(cd.mod11_w2_7, 15, 2, 15, "reject") == pure(lambda v: c.mod11_w2_7_valid(v, "reject"), 15, 2)


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_generated_my_numbers_validate(body: str) -> None:
    assert c.my_number_valid(body + str(c.my_number_check_digit(body)))
