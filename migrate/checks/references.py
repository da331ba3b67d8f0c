"""Cross-file references (`references: business/entity/item`): the value exists in the referenced extract."""

from __future__ import annotations

import polars as pl

from migrate.checks.family import Ctx, ExportCtx, Family, GxPart, TablePart
from migrate.standard.model import Item

CODES = ("reference-missing",)


def compile_item(c: Ctx, it: Item) -> None:
    if not it.references:
        return
    if c.refs and it.references in c.refs:
        ok = pl.col(it.id).is_in(c.refs[it.references].implode())
        c.value("reference-missing", it.id, it.severity.value, ok, references=it.references)
    else:
        c.skip("reference-missing", it.id, "reference-not-given", references=it.references)


def _note(it: Item) -> list[str]:
    return [f"{it.id}: references {it.references}"]


def table_schema(x: ExportCtx, it: Item) -> TablePart | None:
    # foreignKeys within the business are written by the exporter (a package resolves them)
    return TablePart(exact=False, not_exported=_note(it)) if it.references else None


def gx(x: ExportCtx, it: Item) -> GxPart | None:
    return GxPart(exact=False, not_exported=_note(it)) if it.references else None


FAMILY = Family("references", CODES, compile_item, table_schema=table_schema, gx=gx, standalone=False)
