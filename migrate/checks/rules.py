"""Cross-field rules (`left op right`): numbers compare as numbers, ISO dates as text; 不詳 forms and
unparsable values are left to the date checks."""

from __future__ import annotations

import polars as pl

from migrate.checks.family import Ctx, Family
from migrate.standard.model import ItemType

CODES = ("rule-violated",)


def compile_entity(c: Ctx) -> None:
    for rule in c.entity.rules:
        if rule.left in c.skip_items or rule.right in c.skip_items:
            needs = [i for i in (rule.left, rule.right) if i in c.skip_items]
            c.skip("rule-violated", rule.left, "needs", needs=needs, rule=rule.id)
            continue
        li, ri = c.entity.item(rule.left), c.entity.item(rule.right)
        left, right = pl.col(rule.left), pl.col(rule.right)
        if {li.type, ri.type} <= {ItemType.integer, ItemType.decimal}:
            left, right = left.cast(pl.Float64, strict=False), right.cast(pl.Float64, strict=False)
        else:
            left = pl.when(left.str.contains(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}")).then(left)
            right = pl.when(right.str.contains(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}")).then(right)
        ops = {
            "<": left < right,
            "<=": left <= right,
            "==": left == right,
            "!=": left != right,
            ">=": left >= right,
            ">": left > right,
        }
        c.add(
            "rule-violated",
            rule.left,
            rule.severity.value,
            ops[rule.op],
            scope="row",
            rule=rule.id,
            other=rule.right,
            items=[rule.left, rule.right],
        )


FAMILY = Family("rules", CODES, compile_entity=compile_entity)
