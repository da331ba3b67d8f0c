"""Spec → Great Expectations 1.x ExpectationSuite (JSON), one suite per entity.

great_expectations is an optional extra (``pip install 'migrate[gx]'``): it is imported only in
:func:`to_gx`, to check that every expectation we generate is one GX knows with valid arguments.
:func:`suite_dicts` builds the plain data and needs no GX.

The suites assume the DataFrame was read with every column as text (``dtype=str``), as legacy
extracts should be (leading zeros, codes): numeric types are therefore checked by regex, and
ranges, check digits, CP932 byte lengths, JIS X 0213 / 行政事務標準文字 and cross-field rules are
listed in the suite's meta as not exported (``migrate validate`` checks them).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from migrate import __version__
from migrate.checks import family_parts
from migrate.checks.family import ExportCtx, GxPart, gx_expectation
from migrate.errors import ConfigError
from migrate.i18n import t
from migrate.standard.export_common import non_capturing, selected_entities
from migrate.standard.model import (
    CodeTable,
    Entity,
    Item,
    Severity,
    Spec,
)

GX_SEVERITY = {Severity.error: "critical", Severity.warning: "warning"}
INTEGER_PATTERN = r"[+-]?[0-9]+"


def _decimal_pattern(scale: int | None) -> str:
    frac = r"[0-9]+" if scale is None else f"[0-9]{{1,{scale}}}" if scale else ""
    return r"[+-]?[0-9]+" + (rf"(\.{frac})?" if frac else "")


def _exp(
    etype: str, kwargs: dict[str, Any], meta: dict[str, Any], severity: str = "critical"
) -> dict[str, Any]:
    return {"type": etype, "kwargs": kwargs, "meta": meta, "severity": severity}


def _item_meta(spec: Spec, item: Item, check: str) -> dict[str, Any]:
    return {
        k: v
        for k, v in {
            "migrate_check": check,
            "item_id": item.id,
            "std_id": item.std_id,
            "name_ja": item.name_ja,
            "name_en": item.name_en,
            "severity": item.severity.value,
            "provenance": spec.provenance_of(item).value,
        }.items()
        if v is not None
    }


def item_parts(spec: Spec, item: Item, code_tables: Mapping[str, CodeTable]) -> list[tuple[str, GxPart]]:
    """What each check family says of item as GX expectations, in registry order."""
    return family_parts(ExportCtx(spec, code_tables), item, "gx")


def item_expectations(spec: Spec, item: Item, code_tables: Mapping[str, CodeTable]) -> list[dict[str, Any]]:
    """The expectations for one item's column, in a stable order (the registry's)."""
    exists = gx_expectation(ExportCtx(spec, code_tables), item, "expect_column_to_exist", {}, "column-exists")
    exists["severity"] = "critical"
    out = [exists]
    for _, part in item_parts(spec, item, code_tables):
        for exp in part.expectations:
            if "regex" in exp["kwargs"]:  # pandas' str.contains warns on capture groups
                exp["kwargs"]["regex"] = non_capturing(exp["kwargs"]["regex"])
            out.append(exp)
    return out


def _not_exported(spec: Spec, entity: Entity, code_tables: Mapping[str, CodeTable]) -> list[str]:
    notes = [n for it in entity.items for _, p in item_parts(spec, it, code_tables) for n in p.not_exported]
    notes.extend(f"rule {r.id}: {r.left} {r.op} {r.right}" for r in entity.rules)
    return notes


def suite_dict(spec: Spec, entity: Entity, code_tables: Mapping[str, CodeTable]) -> dict[str, Any]:
    """One ExpectationSuite as plain data (the shape ``ExpectationSuite(**d)`` accepts)."""
    expectations: list[dict[str, Any]] = []
    for it in entity.items:
        expectations.extend(item_expectations(spec, it, code_tables))
    keys = [entity.primary_key] if entity.primary_key else []
    keys += [u for u in entity.unique if u != entity.primary_key]
    for i, key in enumerate(keys):
        meta = {"migrate_check": "primary-key" if i == 0 and entity.primary_key else "unique", "items": key}
        if len(key) == 1:
            expectations.append(_exp("expect_column_values_to_be_unique", {"column": key[0]}, meta))
        else:
            expectations.append(
                _exp("expect_compound_columns_to_be_unique", {"column_list": list(key)}, meta)
            )
    return {
        "name": f"{spec.key}/{entity.id}",
        "expectations": expectations,
        "meta": {
            "migrate": {
                "generator": f"migrate {__version__}",
                "spec": spec.key,
                "business": spec.business.id,
                "business_code": spec.business.code,
                "version": spec.version,
                "source": f"{spec.source.title} {spec.source.version}",
                "entity": entity.id,
                "entity_name_ja": entity.name_ja,
                "entity_name_en": entity.name_en,
                "primary_key": entity.primary_key,
                "read_as": "all columns as text (dtype=str); empty cells as null",
                "not_exported": _not_exported(spec, entity, code_tables),
            }
        },
        "notes": t(
            "{s} {e} ({n}) の検査。migrate が生成。検査数字・文字種・条件付き必須・項目間ルールは "
            "migrate validate で検査します。",
            "Checks of {s} {e} ({n}), generated by migrate. Check digits, character sets, conditional "
            "requirements and cross-field rules are checked by migrate validate.",
            s=spec.key,
            e=entity.id,
            n=entity.name_ja,
        ),
    }


def suite_dicts(
    spec: Spec, code_tables: Mapping[str, CodeTable], *, entity_id: str | None = None
) -> list[dict[str, Any]]:
    return [suite_dict(spec, e, code_tables) for e in selected_entities(spec, entity_id)]


def _import_gx() -> Any:
    try:
        from great_expectations.core.expectation_suite import ExpectationSuite
    except ImportError as exc:
        # An optional extra that is not installed: a set-up problem (exit 3), not a bug.
        raise ConfigError(
            t(
                "Great Expectations がインストールされていません ({e})",
                "Great Expectations is not installed ({e})",
                e=exc,
            ),
            hint=t(
                "pip install 'migrate[gx]' でインストールしてください",
                "install it with pip install 'migrate[gx]'",
            ),
        ) from None
    return ExpectationSuite


def to_gx(
    spec: Spec, code_tables: Mapping[str, CodeTable], *, entity_id: str | None = None
) -> dict[str, Any] | list[dict[str, Any]]:
    """The suite for ENTITY (a dict), or for every entity (a list of dicts), checked by GX itself."""
    suite_cls = _import_gx()
    out = []
    for d in suite_dicts(spec, code_tables, entity_id=entity_id):
        try:
            suite = suite_cls(**d)
        except Exception as exc:  # noqa: BLE001 - any GX rejection means our generator is wrong
            raise ConfigError(
                t(
                    "Great Expectations が生成したスイート {n} を受け付けません: {e}",
                    "Great Expectations rejects the generated suite {n}: {e}",
                    n=d["name"],
                    e=exc,
                )
            ) from None
        if len(suite.expectations) != len(d["expectations"]):
            raise ConfigError(
                t(
                    "Great Expectations がスイート {n} の期待値の一部を受け付けません",
                    "Great Expectations dropped some expectations of suite {n}",
                    n=d["name"],
                ),
                hint=t(
                    "対応している great_expectations 1.x を使ってください",
                    "use a supported great_expectations 1.x",
                ),
            )
        gx_doc = suite.to_json_dict()
        gx_doc.pop("id", None)  # an ephemeral id means nothing outside a GX context
        out.append(gx_doc)
    if entity_id is not None:
        return out[0]
    return out
