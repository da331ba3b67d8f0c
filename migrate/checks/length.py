"""桁数: maximum length in characters or CP932 bytes, minimum length in characters."""

from __future__ import annotations

import polars as pl

from migrate.checks import charset as cs
from migrate.checks.family import Ctx, ExportCtx, Family, GxPart, TablePart, gx_expectation, present
from migrate.checks.types import field_type
from migrate.standard.model import Item, LengthUnit

CODES = ("length-exceeded", "byte-length-exceeded", "length-short")


def compile_item(c: Ctx, it: Item) -> None:
    v = pl.col(it.id)
    sev = it.severity.value
    if it.max_length is not None:
        if c.spec.length_unit_of(it) == LengthUnit.cp932_bytes:
            c.value("byte-length-exceeded", it.id, sev, cs.cp932_bytes(v) <= it.max_length, max=it.max_length)
        else:
            c.value("length-exceeded", it.id, sev, v.str.len_chars() <= it.max_length, max=it.max_length)
    if it.min_length:
        ok = ~present(v) | (v.str.len_chars() >= it.min_length)
        c.value("length-short", it.id, sev, ok, min=it.min_length)


def _bytes(x: ExportCtx, it: Item) -> bool:
    return it.max_length is not None and x.spec.length_unit_of(it) == LengthUnit.cp932_bytes


def table_schema(x: ExportCtx, it: Item) -> TablePart | None:
    if not (it.max_length or it.min_length):
        return None
    if field_type(it) != "string":  # Table Schema has no length for numbers and datetimes
        return TablePart(
            exact=False, not_exported=[f"{it.id}: length {it.min_length or 0}–{it.max_length or ''}"]
        )
    part = TablePart()
    if it.min_length:
        part.constraints["minLength"] = it.min_length
    if it.max_length:
        part.constraints["maxLength"] = it.max_length
    if _bytes(x, it):
        # n bytes ⇒ at most n characters: a necessary condition only
        part.exact = False
        part.not_exported.append(f"{it.id}: {it.max_length} CP932 bytes")
    return part


def gx(x: ExportCtx, it: Item) -> GxPart | None:
    if not (it.max_length or it.min_length):
        return None
    kwargs = {}
    if it.min_length:
        kwargs["min_value"] = it.min_length
    if it.max_length:
        kwargs["max_value"] = it.max_length
    exp = gx_expectation(x, it, "expect_column_value_lengths_to_be_between", kwargs, "length")
    if _bytes(x, it):
        exp["meta"]["length_unit"] = "cp932-bytes"
        exp["meta"]["note"] = (
            "limit counts CP932 bytes; checked here as characters (necessary condition only)"
        )
        return GxPart([exp], exact=False, not_exported=[f"{it.id}: {it.max_length} CP932 bytes"])
    return GxPart([exp])


FAMILY = Family("length", CODES, compile_item, table_schema=table_schema, gx=gx)
