"""Check digits of Japanese public identifiers (pure functions; polars versions live in checks/)."""

from __future__ import annotations

from typing import Literal

Mod11RemainderOne = Literal["zero", "reject"]


def _digits(s: str, n: int) -> list[int] | None:
    if len(s) != n or not s.isascii() or not s.isdigit():
        return None
    return [int(c) for c in s]


def my_number_check_digit(body: str) -> int:
    """個人番号: check digit of the first 11 digits (番号法施行令 第8条).

    P(n) is the n-th digit from the right, Q(n) = n + 1 for n <= 6 and n - 5 for n >= 7.
    """
    digits = [int(c) for c in body]
    if len(digits) != 11:
        raise ValueError("a 個人番号 body has 11 digits")
    total = sum(p * (n + 1 if n <= 6 else n - 5) for n, p in enumerate(reversed(digits), start=1))
    r = total % 11
    return 0 if r <= 1 else 11 - r


def my_number_valid(s: str) -> bool:
    d = _digits(s, 12)
    return d is not None and my_number_check_digit(s[:11]) == d[11]


def corporate_number_check_digit(body: str) -> int:
    """法人番号: the FIRST digit checks the following 12 (weights 1/2 from the right)."""
    digits = [int(c) for c in body]
    if len(digits) != 12:
        raise ValueError("a 法人番号 body has 12 digits")
    total = sum(p * (1 if n % 2 else 2) for n, p in enumerate(reversed(digits), start=1))
    return 9 - total % 9


def corporate_number_valid(s: str) -> bool:
    d = _digits(s, 13)
    return d is not None and corporate_number_check_digit(s[1:]) == d[0]


def lg_code_check_digit(body: str) -> int:
    """全国地方公共団体コード: weights 6,5,4,3,2 on the first five digits, check = last digit of 11 - sum mod 11."""
    digits = [int(c) for c in body]
    if len(digits) != 5:
        raise ValueError("a 団体コード body has 5 digits")
    total = sum(p * w for p, w in zip(digits, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


def lg_code_valid(s: str) -> bool:
    d = _digits(s, 6)
    return d is not None and lg_code_check_digit(s[:5]) == d[5]


def mod11_w2_7_check_digit(body: str, remainder_one: Mod11RemainderOne = "zero") -> int | None:
    """宛名番号 / 世帯番号 (M11W2～7): weights 2..7 repeating from the rightmost body digit.

    Remainder 0 gives check digit 0. Remainder 1 (11 - 1 = 10) is not defined by the standard's text:
    "zero" maps it to 0 (a common vendor convention, assumed), "reject" treats such numbers as invalid
    (returns None).
    """
    if not body or not body.isascii() or not body.isdigit():
        raise ValueError("a body of digits is required")
    total = sum(int(c) * (2 + i % 6) for i, c in enumerate(reversed(body)))
    r = total % 11
    if r == 0:
        return 0
    if r == 1:
        return 0 if remainder_one == "zero" else None
    return 11 - r


def mod11_w2_7_valid(s: str, remainder_one: Mod11RemainderOne = "zero") -> bool:
    if len(s) < 2 or not s.isascii() or not s.isdigit():
        return False
    check = mod11_w2_7_check_digit(s[:-1], remainder_one)
    return check is not None and check == int(s[-1])
