"""Value types other than dates: integer, decimal, flag, datetime, TIME and YEAR (基本データリスト データ型).

Digits are half-width only ([0-9], never `\\d`: polars' and Python's `\\d` also match full-width and
other scripts' digits, which データ型 9 excludes).
"""

from __future__ import annotations

from typing import Any

import polars as pl

from migrate.checks.family import Ctx, ExportCtx, Family, GxPart, TablePart, gx_expectation
from migrate.standard.model import Item, ItemType

CODES = ("type-integer", "type-decimal", "flag-invalid", "datetime-invalid", "time-invalid", "year-invalid")
FLAG_VALUES = ("0", "1")
TIME_RE = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"  # TIME: HH:MM:SS, 秒は省略可能
YEAR_RE = r"^[0-9]{4}$"  # YEAR: YYYY (0000 / 9999 = unknown / open-ended)
DATETIME_RE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?$"


def number_re(it: Item) -> str:
    """The full-match regex of an integer or decimal item (sign, digits before the point, scale)."""
    sign = "" if it.unsigned else "[+-]?"
    whole = rf"[0-9]{{1,{it.integer_digits}}}" if it.integer_digits else r"[0-9]+"
    if it.type == ItemType.integer:
        return rf"^{sign}{whole}$"
    frac = rf"(\.[0-9]{{1,{it.scale}}})?" if it.scale is not None else r"(\.[0-9]+)?"
    return rf"^{sign}{whole}{frac}$"


def compile_item(c: Ctx, it: Item) -> None:
    v = pl.col(it.id)
    sev = it.severity.value
    detail: dict[str, Any] = {"unsigned": True} if it.unsigned else {}
    if it.integer_digits:
        detail["digits"] = it.integer_digits
    if it.type == ItemType.integer:
        c.value("type-integer", it.id, sev, v.str.contains(number_re(it)), **detail)
    elif it.type == ItemType.decimal:
        c.value("type-decimal", it.id, sev, v.str.contains(number_re(it)), scale=it.scale, **detail)
    elif it.type == ItemType.flag:
        c.value("flag-invalid", it.id, sev, v.is_in(list(FLAG_VALUES)))
    elif it.type == ItemType.datetime:
        norm = v.str.replace(" ", "T", literal=True)
        ok = norm.str.contains(DATETIME_RE) & (
            norm.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False).is_not_null()
        )
        c.value("datetime-invalid", it.id, sev, ok)
    elif it.type == ItemType.time:
        c.value("time-invalid", it.id, sev, v.str.contains(TIME_RE))
    elif it.type == ItemType.year:
        c.value("year-invalid", it.id, sev, v.str.contains(YEAR_RE))


def field_type(it: Item) -> str:
    """The Table Schema type an item is exported as (text with a pattern where a type would differ)."""
    return {ItemType.integer: "integer", ItemType.decimal: "number", ItemType.datetime: "datetime"}.get(
        it.type, "string"
    )


def _inner(rx: str) -> str:
    return rx[1:-1]


def table_schema(x: ExportCtx, it: Item) -> TablePart | None:
    if it.type in (ItemType.integer, ItemType.decimal):
        # a typed field (so ranges export as minimum/maximum); Python's number parsing also takes
        # full-width digits and, for numbers, exponents: migrate is stricter
        note = f"{it.id}: {it.type.value} as migrate reads it ({number_re(it)}), half-width digits only"
        return TablePart(type=field_type(it), exact=False, not_exported=[note])
    if it.type == ItemType.flag:
        return TablePart(constraints={"enum": list(FLAG_VALUES)})
    if it.type == ItemType.datetime:
        return TablePart(type="datetime", exact=False, not_exported=[f"{it.id}: datetime as {DATETIME_RE}"])
    if it.type == ItemType.time:
        return TablePart(patterns=[_inner(TIME_RE)])
    if it.type == ItemType.year:
        return TablePart(patterns=[_inner(YEAR_RE)])
    return None


def gx(x: ExportCtx, it: Item) -> GxPart | None:
    regex = {
        ItemType.integer: number_re(it) if it.type == ItemType.integer else "",
        ItemType.decimal: number_re(it) if it.type == ItemType.decimal else "",
        ItemType.time: TIME_RE,
        ItemType.year: YEAR_RE,
        ItemType.datetime: DATETIME_RE.replace("(T", "([T ]"),
    }.get(it.type)
    check = f"{it.type.value}-format"
    if it.type == ItemType.flag:
        kwargs = {"value_set": list(FLAG_VALUES)}
        return GxPart([gx_expectation(x, it, "expect_column_values_to_be_in_set", kwargs, "flag")])
    if not regex:
        return None
    exp = gx_expectation(x, it, "expect_column_values_to_match_regex", {"regex": regex}, check)
    if it.type == ItemType.datetime:  # the regex cannot tell a calendar date
        return GxPart([exp], exact=False, not_exported=[f"{it.id}: datetime on the calendar"])
    return GxPart([exp])


FAMILY = Family("types", CODES, compile_item, table_schema=table_schema, gx=gx)
