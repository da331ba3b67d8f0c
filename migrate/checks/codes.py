"""Code tables (コード一覧): the value is one of the table's codes, or matches the table's pattern (続柄)."""

from __future__ import annotations

import re
from typing import Any

import polars as pl

from migrate.checks.family import Ctx, ExportCtx, Family, GxPart, TablePart, gx_expectation
from migrate.checks.types import field_type
from migrate.standard.model import CodeTable, Item

CODES = ("code-invalid",)


def compile_item(c: Ctx, it: Item) -> None:
    if not it.code_table:
        return
    table = c.registry.code_table(it.code_table)
    v = pl.col(it.id)
    ok = v.is_in(table.values)
    if table.pattern:
        ok = ok | v.str.contains(table.pattern)
    c.value("code-invalid", it.id, it.severity.value, ok, code_table=it.code_table)


def code_table_pattern(table: CodeTable) -> str | None:
    """For tables that also accept a pattern (続柄 chains): the codes and the pattern as alternatives,
    as one full-match regex (the table's pattern is searched, as the validator does)."""
    if not table.pattern:
        return None
    codes = "|".join(re.escape(c) for c in table.values)
    return f"({codes})|([\\s\\S]*?(?:{table.pattern})[\\s\\S]*)"


def table_schema(x: ExportCtx, it: Item) -> TablePart | None:
    table = x.code_tables.get(it.code_table) if it.code_table else None
    if table is None:
        return None
    if field_type(it) != "string":
        return TablePart(exact=False, not_exported=[f"{it.id}: code table {table.id}"])
    pattern = code_table_pattern(table)
    if pattern is None:
        return TablePart(constraints={"enum": list(table.values)})
    return TablePart(patterns=[pattern])


def gx(x: ExportCtx, it: Item) -> GxPart | None:
    table = x.code_tables.get(it.code_table) if it.code_table else None
    if table is None:
        return None
    pattern = code_table_pattern(table)
    if pattern is None:
        kwargs: dict[str, Any] = {"value_set": list(table.values)}
        exp = gx_expectation(
            x, it, "expect_column_values_to_be_in_set", kwargs, "code-table", code_table=table.id
        )
    else:
        kwargs = {"regex": f"^(?:{pattern})$"}
        exp = gx_expectation(
            x, it, "expect_column_values_to_match_regex", kwargs, "code-table", code_table=table.id
        )
    return GxPart([exp])


FAMILY = Family("codes", CODES, compile_item, table_schema=table_schema, gx=gx)
