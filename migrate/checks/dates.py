"""DATE items: calendar dates (YYYY-MM-DD, 0000-01-01 / 9999-12-31 sentinels) and lenient dates (不詳).

The 不詳 markers are migrate.wareki.FUSHO_RE's, the same for the validator, the mapping's 和暦
transform and every export.
"""

from __future__ import annotations

import polars as pl

from migrate.checks.family import Ctx, ExportCtx, Family, GxPart, TablePart, gx_expectation
from migrate.standard.model import DateRule, Item, ItemType
from migrate.wareki import FUSHO_RE

CODES = ("date-invalid",)
ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
# 基本データリスト 凡例）データ型: DATE 0000-01-01 / 9999-12-31 mean "unknown" / "open-ended" (期間の範囲)
DATE_SENTINELS = ["0000-01-01", "9999-12-31"]
LENIENT_DATE = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
# 住民記録: lenient dates also accept non-calendar dates (2/29 of a non-leap year, 明治45年7月30日 as
# recorded) and any text carrying a 不詳 marker (「令和○年頃」「年月日不詳」「推定…」「…上旬」).
# [\s\S] rather than `.`: a marker counts on any line of a value, as the validator's search finds it.
LENIENT_DATE_PATTERN = rf"{LENIENT_DATE[1:-1]}|[\s\S]*{FUSHO_RE.pattern}[\s\S]*"


def compile_item(c: Ctx, it: Item) -> None:
    if it.type != ItemType.date:
        return
    v = pl.col(it.id)
    if it.effective_date_rule == DateRule.calendar:
        ok = v.str.contains(ISO_DATE) & (
            v.str.to_date("%Y-%m-%d", strict=False).is_not_null() | v.is_in(DATE_SENTINELS)
        )
    else:
        ok = v.str.contains(LENIENT_DATE) | v.str.contains(FUSHO_RE.pattern)
    c.value("date-invalid", it.id, it.severity.value, ok, rule=it.effective_date_rule.value)


def table_schema(x: ExportCtx, it: Item) -> TablePart | None:
    if it.type != ItemType.date:
        return None
    if it.effective_date_rule == DateRule.calendar:
        # Python's strptime takes 2020-1-1 and refuses year 0000: close to migrate, not the same
        note = f"{it.id}: calendar date as exactly YYYY-MM-DD, with the sentinels {', '.join(DATE_SENTINELS)}"
        return TablePart(type="date", exact=False, not_exported=[note])
    return TablePart(patterns=[LENIENT_DATE_PATTERN])


def gx(x: ExportCtx, it: Item) -> GxPart | None:
    if it.type != ItemType.date:
        return None
    if it.effective_date_rule == DateRule.calendar:
        kwargs = {"strftime_format": "%Y-%m-%d"}
        exp = gx_expectation(x, it, "expect_column_values_to_match_strftime_format", kwargs, "calendar-date")
        note = f"{it.id}: calendar date as exactly YYYY-MM-DD, with the sentinels {', '.join(DATE_SENTINELS)}"
        return GxPart([exp], exact=False, not_exported=[note])
    regex = f"^(?:{LENIENT_DATE_PATTERN})$"
    return GxPart(
        [gx_expectation(x, it, "expect_column_values_to_match_regex", {"regex": regex}, "date-format")]
    )


FAMILY = Family("dates", CODES, compile_item, table_schema=table_schema, gx=gx)
