"""An item's own pattern (a regular expression searched in the value, as polars' str.contains does)."""

from __future__ import annotations

import polars as pl

from migrate.checks.family import Ctx, ExportCtx, Family, GxPart, TablePart, gx_expectation
from migrate.checks.types import field_type
from migrate.standard.model import Item

CODES = ("pattern-mismatch",)


def compile_item(c: Ctx, it: Item) -> None:
    if it.pattern:
        c.value(
            "pattern-mismatch",
            it.id,
            it.severity.value,
            pl.col(it.id).str.contains(it.pattern),
            pattern=it.pattern,
        )


def full_match(pattern: str) -> str:
    """The pattern as a full-match regex (Table Schema's reading) with the validator's search meaning."""
    if pattern.startswith("^") and pattern.endswith("$") and not pattern.endswith(r"\$"):
        inner = pattern[1:-1]
        if "^" not in inner.replace(r"\^", "").replace("[^", "") and "$" not in inner.replace(r"\$", ""):
            return inner
    return rf"[\s\S]*?(?:{pattern})[\s\S]*"


def table_schema(x: ExportCtx, it: Item) -> TablePart | None:
    if not it.pattern:
        return None
    if field_type(it) != "string":
        return TablePart(exact=False, not_exported=[f"{it.id}: pattern {it.pattern}"])
    return TablePart(patterns=[full_match(it.pattern)])


def gx(x: ExportCtx, it: Item) -> GxPart | None:
    if not it.pattern:
        return None
    exp = gx_expectation(x, it, "expect_column_values_to_match_regex", {"regex": it.pattern}, "pattern")
    return GxPart([exp])


FAMILY = Family("patterns", CODES, compile_item, table_schema=table_schema, gx=gx)
