"""What Excel and HTML reports share: the status colours and my-number scrubbing."""

from __future__ import annotations

import re

from migrate.checkdigit import my_number_check_digit

# One palette for both formats (hex without '#', as openpyxl wants it).
COLOURS = {
    "green": "2E7D32",
    "amber": "F9A825",
    "red": "C62828",
    "grey": "90A4AE",  # done / not applicable
    "head": "DDEBF7",
    "critical": "000000",
    "deadline": "C62828",
    "as_of": "1565C0",
}
# Text colour readable on each fill.
ON_COLOUR = {"green": "FFFFFF", "amber": "1F2328", "red": "FFFFFF", "grey": "1F2328"}


_TWELVE_DIGITS = re.compile(
    r"(?<![0-9０-９])([0-9０-９]{4}[-\s]?[0-9０-９]{4}[-\s]?[0-9０-９]{4})(?![0-9０-９])"
)
_ZEN = str.maketrans("０１２３４５６７８９", "0123456789")


def scrub_my_number(text: str | None) -> str | None:
    """Replace anything shaped like a valid 個人番号 (12 digits, check digit right) by the fixed marker.

    Defence in depth: the validator already masks items whose sensitivity is my-number, but a
    個人番号 typed into a free-text column (方書, 備考) would otherwise reach a report.
    """
    if not text:
        return text
    from migrate.mask import MY_NUMBER_MASK  # migrate.mask imports polars: only when needed

    def repl(m: re.Match[str]) -> str:
        digits = re.sub(r"[-\s]", "", m.group(1)).translate(_ZEN)
        if len(digits) == 12 and my_number_check_digit(digits[:11]) == int(digits[11]):
            return MY_NUMBER_MASK
        return m.group(0)

    return _TWELVE_DIGITS.sub(repl, text)
