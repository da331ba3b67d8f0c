"""Findings a mapping's transforms raise (flag columns `__x__<item>__<code>`: unmapped legacy code,
和暦 that never existed …): checks on the mapped data that only a mapping can produce."""

from __future__ import annotations

import polars as pl

from migrate.checks.family import Ctx, Family

CODES = ("code-unmapped", "wareki-date-invalid")


def compile_entity(c: Ctx) -> None:
    for flag in sorted(c.flags):
        _, _, rest = flag.partition("__x__")
        item, _, code = rest.partition("__")
        if item in c.entity.item_ids and item not in c.skip_items:
            c.add(code, item, c.entity.item(item).severity.value, ~pl.col(flag).fill_null(False))


FAMILY = Family("transforms", CODES, compile_entity=compile_entity, standalone=False)
