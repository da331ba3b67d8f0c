"""The registry of check families, in the order the validator compiles them (item by item, then the entity).

Each family (migrate/checks/<family>.py) holds its finding codes, its polars expressions and its exports;
validate/compile.py and the exporters (spec/export_*.py) loop over FAMILIES.
"""

from __future__ import annotations

from typing import Any, Literal

from migrate.checks import (
    charset,
    check_digit,
    codes,
    dates,
    keys,
    length,
    patterns,
    ranges,
    references,
    required,
    rules,
    transforms,
    types,
)
from migrate.checks.family import ExportCtx, Family
from migrate.standard.model import Item

FAMILIES: tuple[Family, ...] = (
    required.FAMILY,
    types.FAMILY,
    dates.FAMILY,
    length.FAMILY,
    codes.FAMILY,
    patterns.FAMILY,
    ranges.FAMILY,
    charset._family(),
    check_digit._family(),
    references.FAMILY,
    transforms.FAMILY,
    keys.FAMILY,
    rules.FAMILY,
)
# codes whose expressions need migrate's data (MJ table, JIS enumeration from the codec) or other files
NOT_STANDALONE = frozenset(
    {"charset-outside-jis", "charset-outside-mj"} | {c for f in FAMILIES if not f.standalone for c in f.codes}
)


def family_of(code: str) -> Family:
    return next(f for f in FAMILIES if code in f.codes)


def family_parts(x: ExportCtx, item: Item, export: Literal["table_schema", "gx"]) -> list[tuple[str, Any]]:
    """What each family says of item in one export's terms (Table Schema or GX), in registry order."""
    out = []
    for fam in FAMILIES:
        fn = getattr(fam, export)
        part = fn(x, item) if fn is not None else None
        if part is not None:
            out.append((fam.name, part))
    return out
