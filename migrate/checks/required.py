"""Required and conditionally required items (データ出力条件 必須 / 条件付き必須)."""

from __future__ import annotations

import polars as pl

from migrate.checks.family import Ctx, ExportCtx, Family, GxPart, TablePart, gx_expectation, present
from migrate.standard.model import Item, Required

CODES = ("required-missing", "conditional-required-missing")


def compile_item(c: Ctx, it: Item) -> None:
    v = pl.col(it.id)
    sev = it.severity.value
    if it.required == Required.required:
        c.add("required-missing", it.id, sev, present(v))
    elif it.required_when is not None and it.required_when.item in c.skip_items:
        c.skip("conditional-required-missing", it.id, "needs", needs=[it.required_when.item])
    elif it.required_when is not None:
        cond_col = pl.col(it.required_when.item)
        w = it.required_when
        if w.equals is not None:
            cond = cond_col == w.equals
        elif w.in_ is not None:
            cond = cond_col.is_in(w.in_)
        else:
            cond = present(cond_col) if w.present else ~present(cond_col)
        c.add(
            "conditional-required-missing",
            it.id,
            sev,
            ~cond.fill_null(False) | present(v),
            scope="row",
            condition=it.condition or w.describe(),
        )


def _blank_note(it: Item) -> str:
    return f"{it.id}: a value of spaces only (半角/全角) counts as missing in migrate"


def table_schema(x: ExportCtx, it: Item) -> TablePart | None:
    if it.required == Required.required:
        return TablePart(constraints={"required": True}, not_exported=[_blank_note(it)])
    if it.required == Required.conditional:
        return TablePart(
            exact=False, not_exported=[f"{it.id}: conditionally required ({it.condition or ''})"]
        )
    return None


def gx(x: ExportCtx, it: Item) -> GxPart | None:
    if it.required == Required.required:
        exp = gx_expectation(x, it, "expect_column_values_to_not_be_null", {}, "required")
        return GxPart([exp], not_exported=[_blank_note(it)])
    if it.required == Required.conditional:
        return GxPart(exact=False, not_exported=[f"{it.id}: conditionally required ({it.condition or ''})"])
    return None


FAMILY = Family("required", CODES, compile_item, table_schema=table_schema, gx=gx)
