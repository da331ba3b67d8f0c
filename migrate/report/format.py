"""Numbers, dates and file names as every report writes them: one function each.

Ratios (readiness, P(on time)) are 0–1 and shown with `pct`; the plan's national figures are
already percentages (2.5 per step of 40) and shown with `percent`. Dates are 西暦, 和暦 or 西暦
with the 年度 (migrate.wareki); file names keep word characters, dots and dashes only.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from migrate.i18n import t
from migrate.wareki import fiscal_year, fiscal_year_label, to_wareki

DateStyle = Literal["seireki", "wareki", "nendo"]
DATE_STYLES: tuple[DateStyle, ...] = ("seireki", "wareki", "nendo")


def pct(ratio: float | None, digits: int = 2, *, none: str = "-") -> str:
    """A ratio (0–1) as 12.34% (`none` for None)."""
    return none if ratio is None else f"{float(ratio):.{digits}%}"


def percent(value: float | None, digits: int = 1, *, none: str = "") -> str:
    """A value already in percent (the national figures) as 12.5%."""
    return none if value is None else f"{value:.{digits}f}%"


def num(value: Any) -> str:
    """1,234 for numbers; other values as they are (a dash for None)."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return f"{value:,}"
    return str(value)


def yes_no(value: object) -> str:
    return t("はい", "yes") if value else t("いいえ", "no")


def fmt_date(d: dt.date | None, style: str = "seireki") -> str:
    """A date as text: 2026-03-31 (西暦), 令和8年3月31日 (和暦) or 2026-03-31（令和7年度）."""
    if d is None:
        return ""
    if style == "wareki":
        return to_wareki(d)
    if style == "nendo":
        return f"{d.isoformat()}（{fiscal_year_label(d)}）"
    return d.isoformat()


def fiscal_label(d: dt.date, style: str = "seireki") -> str:
    """The 年度 of a date: 令和7年度 in the 和暦 style, else 2025年度 / FY2025."""
    if style == "wareki":
        return fiscal_year_label(d)
    return t("{y}年度", "FY{y}", y=fiscal_year(d))


def stamp(when: dt.datetime) -> str:
    """A report's creation time: 2026-11-23 09:51."""
    return when.strftime("%Y-%m-%d %H:%M")


def iso_stamp(value: Any) -> str:
    """An ISO timestamp as 2026-11-23 09:51 (its own text when it is not one, a dash when empty)."""
    if not value:
        return "-"
    try:
        return stamp(dt.datetime.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def now() -> dt.datetime:
    """The creation time of a report written now (to the second)."""
    return dt.datetime.now().replace(microsecond=0)


_UNSAFE_NAME = re.compile(r"[^\w.\-]+")


def slug(text: str) -> str:
    """A file-name part: runs of other characters become one underscore (never empty)."""
    return _UNSAFE_NAME.sub("_", text).strip("_") or "x"
