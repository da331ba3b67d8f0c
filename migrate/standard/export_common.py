"""What every spec exporter shares: pattern rewriting for other regex engines, references, entities.

The exporters (export_frictionless, export_gx, export_pandera, export_xlsx) import this module and
migrate.standard.export dispatches to them, so no exporter imports the dispatcher back.
"""

from __future__ import annotations

import re

from migrate.errors import UsageError
from migrate.i18n import t
from migrate.standard.model import Entity, Item, Spec


def unanchored(pattern: str) -> str:
    """Drop a ^…$ pair around a whole-match pattern (Table Schema patterns are implicitly anchored).

    Patterns with anchors elsewhere (alternations of anchored branches) are left as they are: Python's
    re, which frictionless uses, accepts the redundant anchors.
    """
    if pattern.startswith("^") and pattern.endswith("$") and not pattern.endswith(r"\$"):
        inner = pattern[1:-1]
        if "^" not in inner.replace(r"\^", "").replace("[^", "") and "$" not in inner.replace(r"\$", ""):
            return inner
    return pattern


def grouped(pattern: str) -> str:
    """Wrap a pattern with a top-level alternative in a group, so ^…$ added by a tool spans it all."""
    return f"({pattern})" if "|" in pattern else pattern


def non_capturing(pattern: str) -> str:
    """Turn capturing groups into (?:…): pandas' str.contains warns on capture groups.

    Patterns with back-references keep their groups (numbering matters there).
    """
    if re.search(r"\\[1-9]|\(\?P=", pattern):
        return pattern
    out: list[str] = []
    escaped = in_class = False
    for i, ch in enumerate(pattern):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]" or pattern[i - 1] == "["
        elif ch == "[":
            in_class = True
        elif ch == "(" and not pattern.startswith("?", i + 1):
            out.append("(?:")
            continue
        out.append(ch)
    return "".join(out)


def anchored(pattern: str) -> str:
    """A whole-value regex for engines that search (Great Expectations' match_regex on pandas)."""
    return f"^(?:{non_capturing(unanchored(pattern))})$"


def references_in_business(spec: Spec, item: Item) -> tuple[str, str] | None:
    """(entity, item) when item references an item of the same business."""
    if not item.references:
        return None
    business, entity, target = item.references.split("/")
    if business != spec.business.id:
        return None
    return entity, target


def selected_entities(spec: Spec, entity_id: str | None) -> list[Entity]:
    if entity_id is None:
        return list(spec.entities)
    try:
        return [spec.entity(entity_id)]
    except KeyError:
        raise UsageError(
            t("{s} にエンティティ {e} はありません", "{s} has no entity {e}", s=spec.key, e=entity_id),
            hint=t("ある エンティティ: {l}", "entities: {l}", l=", ".join(e.id for e in spec.entities)),
        ) from None
