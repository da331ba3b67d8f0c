"""What a check family is: its finding codes, its polars expressions and its exports, in one place.

A family compiles the checks of one item (or of the entity) into CheckDefs for the validator, and
says what Table Schema and Great Expectations can express of the same rule. An export part is
`exact` when it accepts and rejects the same present values as the validator (the registry test runs
a corpus through both); otherwise what it cannot say is listed under not-exported.
Messages and titles of the codes are migrate/findings.py's (REGISTRY): a family names its codes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import polars as pl

from migrate.checkdigit import Mod11RemainderOne
from migrate.standard.model import CodeTable, Entity, Item, Severity, Spec

if TYPE_CHECKING:
    from migrate.standard.loader import SpecRegistry


@dataclass(frozen=True)
class CheckDef:
    id: str
    code: str
    item: str
    severity: str
    expr: pl.Expr  # True passes; null counts as passing (emptiness is the required check's business)
    detail: dict[str, Any] = field(default_factory=dict)
    # value: reads only its item (its value, flags and derived columns), so it can run on distinct values;
    # row: reads other items of the same row; key: compares rows with each other (across the whole file)
    scope: str = "value"


@dataclass
class Options:
    remainder_one: Mod11RemainderOne = "zero"
    # 全国地方公共団体コード declared fictional (a demo's own): accepted as known, no lg-code-unknown
    fictional_lg_codes: frozenset[str] = frozenset()


def present(e: pl.Expr) -> pl.Expr:
    return e.is_not_null() & (e.str.strip_chars(" \u3000") != "")


# transform flags that already report a value, so the value check does not report it twice
_FLAGGED = {"code-invalid": "code-unmapped", "date-invalid": "wareki-date-invalid"}


@dataclass
class Ctx:
    """What a family compiles into: the checks, the derived columns they read, the checks that cannot run."""

    spec: Spec
    entity: Entity
    registry: SpecRegistry
    flags: set[str]
    skip_items: set[str]
    refs: dict[str, pl.Series] | None
    opts: Options
    out: list[CheckDef] = field(default_factory=list)
    derive: dict[str, pl.Expr] = field(default_factory=dict)
    not_run: list[dict[str, Any]] = field(default_factory=list)

    def skip(self, code: str, item: str, reason: str, **detail: Any) -> None:
        self.not_run.append({"item": item, "code": code, "reason": reason, "columns": [], **detail})

    def add(
        self, code: str, item: str, severity: str, expr: pl.Expr, scope: str = "value", **detail: Any
    ) -> None:
        self.out.append(CheckDef(f"c{len(self.out)}", code, item, severity, expr, detail, scope))

    def value(self, code: str, item: str, severity: str, ok: pl.Expr, **detail: Any) -> None:
        """A check on the value itself: absent values pass (that is required-missing's job), and rows a
        transform already reported (unmapped legacy code, 和暦 that never existed) are not reported twice."""
        v = pl.col(item)
        expr: pl.Expr = pl.when(present(v)).then(ok)
        for flag in (f"__x__{item}__code-unmapped", f"__x__{item}__wareki-date-invalid"):
            if flag in self.flags and code in _FLAGGED:
                expr = expr | pl.col(flag).fill_null(False)
        self.add(code, item, severity, expr, **detail)


@dataclass(frozen=True)
class ExportCtx:
    """What an exporter knows: the spec, its code tables and the entity."""

    spec: Spec
    code_tables: Mapping[str, CodeTable]
    entity: Entity | None = None


@dataclass
class TablePart:
    """A family's share of one Table Schema field: its type, constraints, full-match patterns (ANDed)."""

    type: str | None = None
    constraints: dict[str, Any] = field(default_factory=dict)
    patterns: list[str] = field(default_factory=list)
    exact: bool = True
    not_exported: list[str] = field(default_factory=list)


@dataclass
class GxPart:
    """A family's expectations for one item (GX 1.x, all columns read as text, empty cells as null)."""

    expectations: list[dict[str, Any]] = field(default_factory=list)
    exact: bool = True
    not_exported: list[str] = field(default_factory=list)


GX_SEVERITY = {Severity.error: "critical", Severity.warning: "warning"}


def gx_expectation(
    x: ExportCtx, item: Item, etype: str, kwargs: dict[str, Any], check: str, **meta: Any
) -> dict[str, Any]:
    base = {
        "migrate_check": check,
        "item_id": item.id,
        "std_id": item.std_id,
        "name_ja": item.name_ja,
        "name_en": item.name_en,
        "severity": item.severity.value,
        "provenance": x.spec.provenance_of(item).value,
    }
    full = {k: v for k, v in {**base, **meta}.items() if v is not None}
    return {
        "type": etype,
        "kwargs": {"column": item.id, **kwargs},
        "meta": full,
        "severity": GX_SEVERITY[item.severity],
    }


@dataclass(frozen=True)
class Family:
    """One check family. codes: its finding codes (titles and messages: migrate/findings.py)."""

    name: str
    codes: tuple[str, ...]
    compile_item: Callable[[Ctx, Item], None] | None = None
    compile_entity: Callable[[Ctx], None] | None = None
    table_schema: Callable[[ExportCtx, Item], TablePart | None] | None = None
    gx: Callable[[ExportCtx, Item], GxPart | None] | None = None
    # the expressions need migrate's own data or other files (MJ table, --ref extracts, mapping flags):
    # not written into a standalone pandera schema
    standalone: bool = True
    # what no export can say, per item (None: the family has nothing to say for it)
    describe: Callable[[ExportCtx, Item], str | None] | None = None
