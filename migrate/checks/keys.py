"""Primary key and unique sets: a key seen before in the file is a duplicate (the first is kept);
a row with an empty key item is not compared (required-missing reports it)."""

from __future__ import annotations

import polars as pl

from migrate.checks.family import Ctx, Family, present

CODES = ("key-duplicate", "unique-duplicate")


def compile_entity(c: Ctx) -> None:
    e = c.entity
    keys = [(e.primary_key, "key-duplicate")] if e.primary_key else []
    keys += [(u, "unique-duplicate") for u in e.unique]
    for cols, code in keys:
        if any(col in c.skip_items for col in cols):
            c.skip(code, cols[0], "needs", needs=[col for col in cols if col in c.skip_items])
            continue
        any_null = pl.any_horizontal([~present(pl.col(col)) for col in cols])
        c.add(code, cols[0], "error", any_null | pl.struct(cols).is_first_distinct(), scope="key", keys=cols)


FAMILY = Family("keys", CODES, compile_entity=compile_entity)
