"""Spec → Frictionless Table Schema (one entity) or Tabular Data Package (all entities).

What Table Schema cannot say is written into each field's description and kept, machine-readable,
under the custom property ``x-migrate``: lengths counted in CP932 bytes (maxLength counts
characters: we export the byte limit as a character limit, a necessary condition only), conditional
requirements, check digits, JIS X 0213 / 行政事務標準文字 character sets and cross-field rules. Those
are checked by ``migrate validate``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from migrate import __version__
from migrate.checks import family_parts
from migrate.checks.family import ExportCtx, TablePart
from migrate.i18n import t
from migrate.standard.export_common import grouped, references_in_business, selected_entities
from migrate.standard.model import (
    CodeTable,
    DateRule,
    Entity,
    Item,
    ItemType,
    LengthUnit,
    Provenance,
    Required,
    Sensitivity,
    Severity,
    Spec,
)

PROFILE_VERSION = 1  # of the x-migrate properties we add


def _describe(spec: Spec, item: Item, table: CodeTable | None) -> str:
    unit = spec.length_unit_of(item)
    lines: list[str] = []
    if item.description:
        lines.append(item.description)
    lines.append(t("英語名: {n}", "Japanese name: {n}", n=item.name_en if not _en() else item.name_ja))
    if item.std_id:
        lines.append(t("標準の項目ID: {i}", "standard item id: {i}", i=item.std_id))
    if item.max_length or item.min_length:
        length = f"{item.min_length or 0}–{item.max_length or ''}"
        if unit == LengthUnit.cp932_bytes:
            lines.append(
                t(
                    "桁数は CP932 のバイト数 ({l}) です。Table Schema はバイト数を表せないため、"
                    "maxLength は同じ数を文字数の上限 (必要条件) として出力しています。"
                    "バイト数の検査は migrate validate で行います。",
                    "length {l} counts CP932 bytes, which Table Schema cannot express: maxLength "
                    "carries the same number as a character limit (a necessary condition only); "
                    "migrate validate checks the bytes.",
                    l=length,
                )
            )
        elif item.type in (ItemType.integer, ItemType.decimal):
            lines.append(t("桁数: {l} (文字数)", "length: {l} characters", l=length))
    if item.required == Required.conditional:
        cond = item.condition or (item.required_when.describe() if item.required_when else "")
        lines.append(
            t(
                "条件付き必須: {c} (Table Schema では表せないため required は付けていません)",
                "conditionally required: {c} (not expressible in Table Schema: no required constraint)",
                c=cond,
            )
        )
    if table is not None:
        lines.append(
            t(
                "コード表: {i} {n}",
                "code table: {i} {n}",
                i=table.id,
                n=table.name_en if _en() else table.name_ja,
            )
        )
        if table.pattern:
            lines.append(
                t(
                    "コード値に加えてパターン ({p}) に合う値も使えるため、enum ではなく両者を選択肢にした "
                    "pattern で表しています。",
                    "values matching the pattern ({p}) are accepted besides the codes, so the constraint "
                    "is one pattern with both as alternatives instead of an enum.",
                    p=table.pattern,
                )
            )
    if item.type == ItemType.date and item.effective_date_rule == DateRule.lenient:
        lines.append(
            t(
                "暦にない日付や不詳 (「令和○年頃」「年月日不詳」「推定…」「…上旬」) も使えるため、"
                "date 型ではなく string 型と pattern で表しています。",
                "non-calendar dates and 不詳 forms (「令和○年頃」「年月日不詳」「推定…」「…上旬」) are "
                "accepted, so this is a string with a pattern rather than a date.",
            )
        )
    if item.type == ItemType.decimal and item.scale is not None:
        lines.append(t("小数点以下 {n} 桁", "{n} decimal places", n=item.scale))
    if item.charset:
        lines.append(t("文字種: {c}", "character set: {c}", c=item.charset.value))
    if item.check_digit:
        lines.append(
            t(
                "検査数字: {c} (migrate validate で検査)",
                "check digit: {c} (checked by migrate validate)",
                c=item.check_digit.value,
            )
        )
    if item.references:
        lines.append(t("参照先: {r}", "references: {r}", r=item.references))
    if item.sensitivity == Sensitivity.my_number:
        lines.append(
            t(
                "特定個人情報 (個人番号): 値を報告・ログに出してはいけません",
                "特定個人情報 (My Number): its values must never appear in reports or logs",
            )
        )
    elif item.sensitivity == Sensitivity.personal:
        lines.append(t("個人情報", "personal data"))
    lines.append(
        t("違反時: {s}", "on violation: {s}", s=t("エラー", "error"))
        if item.severity == Severity.error
        else t("違反時: {s}", "on violation: {s}", s=t("アラート (警告)", "warning"))
    )
    prov = spec.provenance_of(item)
    lines.append(
        t("出典: 公式 (標準仕様書)", "provenance: official (published standard)")
        if prov == Provenance.official
        else t(
            "出典: 想定 (公式文書と照合するまでの当方のモデル化)",
            "provenance: assumed (our modelling until checked against the official document)",
        )
    )
    return "\n".join(lines)


def _en() -> bool:
    from migrate.i18n import get_lang

    return get_lang() == "en"


def patterns_together(patterns: list[str]) -> str:
    """Several full-match patterns as one (Table Schema has one per field): lookaheads for all but the last."""
    if len(patterns) == 1:
        return grouped(patterns[0])
    return "".join(f"(?=(?:{p})$)" for p in patterns[:-1]) + f"(?:{patterns[-1]})"


def field_parts(spec: Spec, item: Item, code_tables: Mapping[str, CodeTable]) -> list[tuple[str, TablePart]]:
    """What each check family says of item in Table Schema terms, in registry order."""
    return family_parts(ExportCtx(spec, code_tables), item, "table_schema")


def field(spec: Spec, item: Item, code_tables: Mapping[str, CodeTable]) -> dict[str, Any]:
    """One Table Schema field descriptor for item, from the check families' parts."""
    table = code_tables.get(item.code_table) if item.code_table else None
    parts = [p for _, p in field_parts(spec, item, code_tables)]
    ftype = next((p.type for p in parts if p.type), "string")
    constraints: dict[str, Any] = {}
    for p in parts:
        constraints.update(p.constraints)
    patterns = [q for p in parts for q in p.patterns]
    if patterns:
        constraints["pattern"] = patterns_together(patterns)
    not_exported = [n for p in parts for n in p.not_exported]
    desc: dict[str, Any] = {
        "name": item.id,
        "title": item.name_en if _en() else item.name_ja,
        "description": _describe(spec, item, table),
        "type": ftype,
    }
    if constraints:
        desc["constraints"] = constraints
    desc["x-migrate"] = {
        k: v
        for k, v in {
            "std_id": item.std_id,
            "name_ja": item.name_ja,
            "name_en": item.name_en,
            "type": item.type.value,
            "length_unit": spec.length_unit_of(item).value if item.max_length or item.min_length else None,
            "required": item.required.value,
            "condition": item.condition,
            "code_table": item.code_table,
            "date_rule": item.effective_date_rule.value if item.type == ItemType.date else None,
            "charset": item.charset.value if item.charset else None,
            "check_digit": item.check_digit.value if item.check_digit else None,
            "severity": item.severity.value,
            "sensitivity": item.sensitivity.value,
            "references": item.references,
            "provenance": spec.provenance_of(item).value,
            "not_exported": not_exported or None,
        }.items()
        if v is not None
    }
    return desc


def table_schema(
    spec: Spec, entity: Entity, code_tables: Mapping[str, CodeTable], *, in_package: bool
) -> dict[str, Any]:
    """The Table Schema of entity. Foreign keys to other entities need a package to resolve, so a
    standalone schema keeps only references within the entity itself (the rest stay described)."""
    schema: dict[str, Any] = {"fields": [field(spec, it, code_tables) for it in entity.items]}
    single_unique = {u[0] for u in entity.unique if len(u) == 1}
    for f in schema["fields"]:
        if f["name"] in single_unique:
            f.setdefault("constraints", {})["unique"] = True
    if entity.primary_key:
        schema["primaryKey"] = list(entity.primary_key)
    fks = []
    for it in entity.items:
        ref = references_in_business(spec, it)
        if ref is None:
            continue
        target_entity, target_item = ref
        same = target_entity == entity.id
        if not same and not in_package:
            continue
        fks.append(
            {
                "fields": [it.id],
                "reference": {"resource": "" if same else target_entity, "fields": [target_item]},
            }
        )
    if fks:
        schema["foreignKeys"] = fks
    schema["missingValues"] = [""]
    extra: dict[str, Any] = {"entity": entity.id, "name_ja": entity.name_ja, "name_en": entity.name_en}
    composite = [u for u in entity.unique if len(u) > 1]
    if composite:
        extra["uniqueKeys"] = composite
    if entity.rules:
        extra["rules"] = [
            {
                "id": r.id,
                "rule": f"{r.left} {r.op} {r.right}",
                "name_ja": r.name_ja,
                "severity": r.severity.value,
            }
            for r in entity.rules
        ]
    schema["x-migrate"] = extra
    return schema


def _resource(spec: Spec, entity: Entity, code_tables: Mapping[str, CodeTable]) -> dict[str, Any]:
    desc = [entity.description] if entity.description else []
    composite = [u for u in entity.unique if len(u) > 1]
    if composite:
        desc.append(
            t(
                "一意の組: {u} (Table Schema v1 では表せません)",
                "unique together: {u} (not expressible in Table Schema v1)",
                u="; ".join(", ".join(u) for u in composite),
            )
        )
    for r in entity.rules:
        desc.append(
            t(
                "項目間ルール {i}: {r} ({n})",
                "cross-field rule {i}: {r} ({n})",
                i=r.id,
                r=f"{r.left} {r.op} {r.right}",
                n=r.name_en if _en() else r.name_ja,
            )
        )
    res: dict[str, Any] = {
        "name": entity.id,
        "profile": "tabular-data-resource",
        "title": entity.name_en if _en() else entity.name_ja,
        "path": f"{entity.id}.csv",
        "scheme": "file",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": table_schema(spec, entity, code_tables, in_package=True),
    }
    if desc:
        res["description"] = "\n".join(desc)
    return res


def _meta(spec: Spec) -> dict[str, Any]:
    return {
        "profile": PROFILE_VERSION,
        "generator": f"migrate {__version__}",
        "spec": spec.key,
        "business": spec.business.model_dump(mode="json"),
        "source": spec.source.model_dump(mode="json"),
        "effective": spec.effective.isoformat(),
        "length_unit": spec.length_unit.value,
        "provenance": spec.provenance.value,
        "notes": spec.notes,
    }


def to_frictionless(
    spec: Spec, code_tables: Mapping[str, CodeTable], *, entity_id: str | None = None
) -> dict[str, Any]:
    """A Table Schema descriptor for one entity, or a Tabular Data Package for the whole spec."""
    entities = selected_entities(spec, entity_id)
    name = spec.business.name_en if _en() else spec.business.name_ja
    if entity_id is not None:
        schema = table_schema(spec, entities[0], code_tables, in_package=False)
        schema["x-migrate"] = {**_meta(spec), **schema["x-migrate"]}
        return schema
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": f"{spec.business.id}-{spec.version}",
        "title": t(
            "{n} データ項目 ({s} {v})",
            "{n} data items ({s} {v})",
            n=name,
            s=spec.source.title,
            v=spec.source.version,
        ),
        "description": t(
            "{n} (業務コード {c}) の標準仕様 第{v}版 から migrate が生成したデータパッケージです。"
            "Table Schema で表せない規則 (CP932 バイト長、検査数字、文字種、条件付き必須、項目間ルール) は "
            "各項目の説明と x-migrate に記載し、migrate validate で検査します。",
            "Data package generated by migrate from version {v} of the standard specification of "
            "{n} (business code {c}). Rules Table Schema cannot express (CP932 byte lengths, check "
            "digits, character sets, conditional requirements, cross-field rules) are described per "
            "field and under x-migrate, and checked by migrate validate.",
            n=name,
            c=spec.business.code,
            v=spec.version,
        ),
        "version": spec.version,
        "sources": [
            {
                k: v
                for k, v in {
                    "title": f"{spec.source.title} {spec.source.version}",
                    "path": spec.source.url,
                }.items()
                if v
            }
        ],
        "resources": [_resource(spec, e, code_tables) for e in entities],
        "x-migrate": _meta(spec),
    }
    return package
