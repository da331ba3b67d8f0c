"""Differences between two versions of a spec, as plain data (for text, JSON and reports).

Items are matched by id within an entity of the same id; an item that disappears while another
appears with the same std_id is reported as changed (its id changed), not removed + added. Item
attributes are compared by their effective values: a length unit or provenance inherited from the
spec's default counts as the item's own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from migrate.errors import InputError
from migrate.i18n import t
from migrate.standard.loader import SpecRegistry, load_spec_file
from migrate.standard.model import Entity, Item, ItemType, Spec

# Item attributes in the order a reader expects them; "id" is the match key, handled apart.
ITEM_ATTRIBUTES = (
    "std_id",
    "name_ja",
    "name_en",
    "type",
    "min_length",
    "max_length",
    "length_unit",
    "required",
    "condition",
    "required_when",
    "code_table",
    "pattern",
    "range",
    "scale",
    "unsigned",
    "integer_digits",
    "date_rule",
    "charset",
    "check_digit",
    "check_digit_severity",
    "severity",
    "sensitivity",
    "references",
    "provenance",
    "description",
    # as published in a 基本データリスト: an official import against our modelling differs here too
    "official_type",
    "romaji",
    "repeat",
    "foreign_key",
    "definition",
    "explanation",
    "std_ref",
    "source_ref",
)
ENTITY_ATTRIBUTES = ("name_ja", "name_en", "description", "primary_key", "unique")
SPEC_ATTRIBUTES = ("business", "source", "effective", "length_unit", "provenance", "notes")


def resolve(reg: SpecRegistry, ref: str) -> Spec:
    """BUSINESS, BUSINESS@VERSION or the path of a spec file (which must exist)."""
    if ref.endswith((".yaml", ".yml")) or "/" in ref or "\\" in ref:
        path = Path(ref)
        if not path.is_file():
            raise InputError(
                t("仕様ファイルがありません", "spec file not found"),
                path=path,
                hint=t(
                    "BUSINESS@VERSION か既存の YAML を指定してください",
                    "pass BUSINESS@VERSION or an existing YAML",
                ),
            )
        return load_spec_file(path)
    return reg.get(ref)


def _effective(spec: Spec, item: Item) -> dict[str, Any]:
    data = item.model_dump(mode="json", by_alias=True, exclude={"id"})
    data["length_unit"] = spec.length_unit_of(item).value if (item.max_length or item.min_length) else None
    data["provenance"] = spec.provenance_of(item).value
    data["date_rule"] = (
        item.effective_date_rule.value if item.type in (ItemType.date, ItemType.datetime) else None
    )
    return data


def _changes(old: dict[str, Any], new: dict[str, Any], attributes: tuple[str, ...]) -> list[dict[str, Any]]:
    return [
        {"attribute": a, "old": old.get(a), "new": new.get(a)} for a in attributes if old.get(a) != new.get(a)
    ]


def _item_ref(item: Item) -> dict[str, Any]:
    return {"id": item.id, "std_id": item.std_id, "name_ja": item.name_ja, "name_en": item.name_en}


def _item_summary(spec: Spec, item: Item) -> dict[str, Any]:
    return {
        **_item_ref(item),
        "type": item.type.value,
        "max_length": item.max_length,
        "required": item.required.value,
        "provenance": spec.provenance_of(item).value,
    }


def _entity_ref(entity: Entity) -> dict[str, Any]:
    return {"id": entity.id, "name_ja": entity.name_ja, "name_en": entity.name_en, "items": len(entity.items)}


def diff_entities(old_spec: Spec, old: Entity, new_spec: Spec, new: Entity) -> dict[str, Any]:
    """Changes of one entity present in both versions."""
    old_items = {i.id: i for i in old.items}
    new_items = {i.id: i for i in new.items}
    removed = [i for i in old.items if i.id not in new_items]
    added = [i for i in new.items if i.id not in old_items]
    pairs: list[tuple[Item, Item]] = [(old_items[i.id], i) for i in new.items if i.id in old_items]
    # Renamed ids: same std_id on both sides.
    by_std_added = {i.std_id: i for i in added if i.std_id}
    for r in list(removed):
        a = by_std_added.get(r.std_id) if r.std_id else None
        if a is not None:
            pairs.append((r, a))
            removed.remove(r)
            added.remove(a)
    changed = []
    for o, n in pairs:
        changes = _changes(_effective(old_spec, o), _effective(new_spec, n), ITEM_ATTRIBUTES)
        if o.id != n.id:
            changes.insert(0, {"attribute": "id", "old": o.id, "new": n.id})
        if changes:
            changed.append({**_item_ref(n), "changes": changes})
    old_e = old.model_dump(mode="json", include=set(ENTITY_ATTRIBUTES))
    new_e = new.model_dump(mode="json", include=set(ENTITY_ATTRIBUTES))
    old_rules = {r.id: r.model_dump(mode="json") for r in old.rules}
    new_rules = {r.id: r.model_dump(mode="json") for r in new.rules}
    return {
        "id": new.id,
        "name_ja": new.name_ja,
        "name_en": new.name_en,
        "changes": _changes(old_e, new_e, ENTITY_ATTRIBUTES),
        "items_added": [_item_summary(new_spec, i) for i in added],
        "items_removed": [_item_summary(old_spec, i) for i in removed],
        "items_changed": changed,
        "rules_added": [r for k, r in new_rules.items() if k not in old_rules],
        "rules_removed": [r for k, r in old_rules.items() if k not in new_rules],
        "rules_changed": [
            {"id": k, "changes": _changes(old_rules[k], r, tuple(r))}
            for k, r in new_rules.items()
            if k in old_rules and old_rules[k] != r
        ],
    }


def _spec_ref(spec: Spec) -> dict[str, Any]:
    return {
        "key": spec.key,
        "business": spec.business.id,
        "version": spec.version,
        "source": f"{spec.source.title} {spec.source.version}",
        "published": spec.source.published.isoformat() if spec.source.published else None,
        "effective": spec.effective.isoformat(),
    }


def diff_specs(old: Spec, new: Spec) -> dict[str, Any]:
    """Everything that differs from old to new, as plain data; an empty diff has zero counts."""
    old_entities = {e.id: e for e in old.entities}
    new_entities = {e.id: e for e in new.entities}
    entities = []
    for e in new.entities:
        if e.id in old_entities:
            d = diff_entities(old, old_entities[e.id], new, e)
            if any(d[k] for k in d if k not in ("id", "name_ja", "name_en")):
                entities.append(d)
    old_s = old.model_dump(mode="json", include=set(SPEC_ATTRIBUTES))
    new_s = new.model_dump(mode="json", include=set(SPEC_ATTRIBUTES))
    spec_changes = [
        c for c in _changes(old_s, new_s, SPEC_ATTRIBUTES) if c["attribute"] not in ("source", "effective")
    ]
    # Source and effective date change with every version: shown in the header, not as changes.
    entities_added = [_entity_ref(e) for e in new.entities if e.id not in old_entities]
    entities_removed = [_entity_ref(e) for e in old.entities if e.id not in new_entities]
    summary = {
        "entities_added": len(entities_added),
        "entities_removed": len(entities_removed),
        "entities_changed": len(entities),
        "items_added": sum(len(e["items_added"]) for e in entities)
        + sum(len(new_entities[e["id"]].items) for e in entities_added),
        "items_removed": sum(len(e["items_removed"]) for e in entities)
        + sum(len(old_entities[e["id"]].items) for e in entities_removed),
        "items_changed": sum(len(e["items_changed"]) for e in entities),
        "key_changes": sum(
            1 for e in entities for c in e["changes"] if c["attribute"] in ("primary_key", "unique")
        ),
        "spec_changes": len(spec_changes),
    }
    return {
        "old": _spec_ref(old),
        "new": _spec_ref(new),
        "identical": not any(summary.values()),
        "summary": summary,
        "spec_changes": spec_changes,
        "entities_added": entities_added,
        "entities_removed": entities_removed,
        "entities": entities,
    }


def _show(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items() if v is not None) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def render_text(diff: dict[str, Any], *, en: bool = False) -> str:
    """A readable diff: + added, - removed, ~ changed with attribute old → new."""

    def name(d: dict[str, Any]) -> str:
        return str(d["name_en"] if en else d["name_ja"])

    lines = [f"{diff['old']['key']} → {diff['new']['key']}"]
    lines.append(f"  {diff['old']['source']} → {diff['new']['source']}")
    if diff["identical"]:
        lines.append(t("差分はありません", "no differences"))
        return "\n".join(lines)
    for c in diff["spec_changes"]:
        if c["attribute"] == "notes":  # prose: the JSON output carries both texts
            lines.append(t("~ 注記が変わりました", "~ notes changed"))
        else:
            lines.append(f"~ {c['attribute']}: {_show(c['old'])} → {_show(c['new'])}")
    for e in diff["entities_added"]:
        lines.append(
            t(
                "+ エンティティ {i} {n} ({c} 項目)",
                "+ entity {i} {n} ({c} items)",
                i=e["id"],
                n=name(e),
                c=e["items"],
            )
        )
    for e in diff["entities_removed"]:
        lines.append(
            t(
                "- エンティティ {i} {n} ({c} 項目)",
                "- entity {i} {n} ({c} items)",
                i=e["id"],
                n=name(e),
                c=e["items"],
            )
        )
    for e in diff["entities"]:
        lines.append("")
        lines.append(f"[{e['id']}] {name(e)}")
        for c in e["changes"]:
            label = {
                "primary_key": t("主キー", "primary key"),
                "unique": t("一意の組", "unique keys"),
            }.get(c["attribute"], c["attribute"])
            lines.append(f"  ~ {label}: {_show(c['old'])} → {_show(c['new'])}")
        for i in e["items_added"]:
            detail = (
                f"{i['type']}" + (f", {i['max_length']}" if i["max_length"] else "") + f", {i['required']}"
            )
            lines.append(f"  + {i['id']} {name(i)} ({detail})")
        for i in e["items_removed"]:
            lines.append(f"  - {i['id']} {name(i)}")
        for i in e["items_changed"]:
            lines.append(f"  ~ {i['id']} {name(i)}")
            for c in i["changes"]:
                lines.append(f"      {c['attribute']}: {_show(c['old'])} → {_show(c['new'])}")
        for r in e["rules_added"]:
            lines.append(
                t("  + ルール {i}", "  + rule {i}", i=r["id"]) + f" ({r['left']} {r['op']} {r['right']})"
            )
        for r in e["rules_removed"]:
            lines.append(t("  - ルール {i}", "  - rule {i}", i=r["id"]))
        for r in e["rules_changed"]:
            lines.append(t("  ~ ルール {i}", "  ~ rule {i}", i=r["id"]))
            for c in r["changes"]:
                lines.append(f"      {c['attribute']}: {_show(c['old'])} → {_show(c['new'])}")
    s = diff["summary"]
    lines.append("")
    lines.append(
        t(
            "合計: エンティティ +{ea} -{er} ~{ec} / 項目 +{ia} -{ir} ~{ic} / キー変更 {k}",
            "total: entities +{ea} -{er} ~{ec} / items +{ia} -{ir} ~{ic} / key changes {k}",
            ea=s["entities_added"],
            er=s["entities_removed"],
            ec=s["entities_changed"],
            ia=s["items_added"],
            ir=s["items_removed"],
            ic=s["items_changed"],
            k=s["key_changes"],
        )
    )
    return "\n".join(lines)
