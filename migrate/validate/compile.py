"""Compile a spec entity into check definitions: what is checked, independent of how it runs.

The checks themselves are the families of migrate/checks (FAMILIES, in order): each item goes through
every family, then the entity-wide families (transform flags, keys, rules) run once.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from migrate.checks import FAMILIES
from migrate.checks.dates import DATE_SENTINELS, ISO_DATE, LENIENT_DATE
from migrate.checks.family import CheckDef, Ctx, Options, present
from migrate.checks.types import TIME_RE, YEAR_RE
from migrate.standard.loader import SpecRegistry
from migrate.standard.model import Entity, Spec

__all__ = [
    "DATE_SENTINELS",
    "ISO_DATE",
    "LENIENT_DATE",
    "TIME_RE",
    "YEAR_RE",
    "CheckDef",
    "Options",
    "compile_checks",
    "present",
]


def compile_checks(
    spec: Spec,
    entity: Entity,
    registry: SpecRegistry,
    flags: set[str] | list[str],
    *,
    skip_items: set[str] = frozenset(),  # type: ignore[assignment]
    refs: dict[str, pl.Series] | None = None,
    options: Options | None = None,
    skipped: list[dict[str, Any]] | None = None,
) -> tuple[list[CheckDef], dict[str, pl.Expr]]:
    """All checks for entity, and the derived columns they read.

    skipped: receives every declared check that cannot run here and why (an item it reads is not
    delivered: `needs`; a cross-file reference without its extract: `reference-not-given`), so a
    result never counts it as run.

    flags: the transform flag columns the mapping produces (`__x__<item>__<code>`). Derived columns
    (e.g. identifiers as integers, `__num__<item>`) are computed once, before the checks run.
    """
    ctx = Ctx(
        spec,
        entity,
        registry,
        {c for c in flags if c.startswith("__x__")},
        set(skip_items),
        refs,
        options or Options(),
        not_run=skipped if skipped is not None else [],
    )
    for it in entity.items:
        if it.id in skip_items:
            continue
        for fam in FAMILIES:
            if fam.compile_item is not None:
                fam.compile_item(ctx, it)
    for fam in FAMILIES:
        if fam.compile_entity is not None:
            fam.compile_entity(ctx)
    return ctx.out, ctx.derive
