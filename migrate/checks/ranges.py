"""Numeric ranges (minimum / maximum); a value that is not a number is left to the type check."""

from __future__ import annotations

import polars as pl

from migrate.checks.family import Ctx, ExportCtx, Family, GxPart, TablePart
from migrate.checks.types import field_type
from migrate.standard.model import Item

CODES = ("out-of-range",)


def compile_item(c: Ctx, it: Item) -> None:
    if it.range is None:
        return
    num = pl.col(it.id).cast(pl.Float64, strict=False)
    ok = pl.lit(True)
    if it.range.min is not None:
        ok = ok & (num >= it.range.min)
    if it.range.max is not None:
        ok = ok & (num <= it.range.max)
    c.value("out-of-range", it.id, it.severity.value, ok, min=it.range.min, max=it.range.max)


def _note(it: Item) -> str:
    assert it.range is not None
    return f"{it.id}: range {it.range.min}..{it.range.max}"


def table_schema(x: ExportCtx, it: Item) -> TablePart | None:
    if it.range is None:
        return None
    ftype = field_type(it)
    if ftype not in ("integer", "number"):
        return TablePart(exact=False, not_exported=[_note(it)])
    part = TablePart(exact=False)  # the number itself is parsed by Table Schema's rules (see types)
    if it.range.min is not None:
        part.constraints["minimum"] = int(it.range.min) if ftype == "integer" else it.range.min
    if it.range.max is not None:
        part.constraints["maximum"] = int(it.range.max) if ftype == "integer" else it.range.max
    return part


def gx(x: ExportCtx, it: Item) -> GxPart | None:
    # columns are read as text: GX compares text with numbers
    return None if it.range is None else GxPart(exact=False, not_exported=[_note(it)])


FAMILY = Family("ranges", CODES, compile_item, table_schema=table_schema, gx=gx)
