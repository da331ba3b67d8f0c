"""Plain-data summaries of specs for listings (CLI tables, JSON, reports)."""

from __future__ import annotations

from typing import Any

from migrate.standard.loader import SpecRegistry
from migrate.standard.model import Entity, LengthUnit, Provenance, Spec


def list_rows(reg: SpecRegistry) -> list[dict[str, Any]]:
    rows = []
    for bid in reg.business_ids:
        spec = reg.latest(bid)
        items = [i for e in spec.entities for i in e.items]
        rows.append(
            {
                "id": bid,
                "code": spec.business.code,
                "name_ja": spec.business.name_ja,
                "name_en": spec.business.name_en,
                "ministry": spec.business.ministry,
                "ministry_provenance": spec.business.ministry_provenance.value,
                "version": spec.version,
                # assumed: version and date not confirmed against the publisher (`specs list`: 要確認)
                "version_provenance": spec.source.provenance.value,
                "published": spec.source.published.isoformat() if spec.source.published else None,
                "versions": [s.version for s in reg.specs[bid]],
                "source": spec.source.title,
                "effective": spec.effective.isoformat(),
                "entities": len(spec.entities),
                "items": len(items),
                "official_items": sum(spec.provenance_of(i) == Provenance.official for i in items),
                "assumed_items": sum(spec.provenance_of(i) == Provenance.assumed for i in items),
            }
        )
    return rows


def item_rows(spec: Spec, entity: Entity) -> list[dict[str, Any]]:
    rows = []
    for it in entity.items:
        unit = spec.length_unit_of(it)
        length = ""
        if it.max_length:
            length = f"{it.min_length}-{it.max_length}" if it.min_length else str(it.max_length)
            length += "B" if unit == LengthUnit.cp932_bytes else ""
        checks = [
            x
            for x in (
                it.check_digit.value if it.check_digit else None,
                it.charset.value if it.charset else None,
                f"date:{it.effective_date_rule.value}" if it.type.value in ("date", "datetime") else None,
                "ref:" + it.references if it.references else None,
            )
            if x
        ]
        rows.append(
            {
                "id": it.id,
                "std_id": it.std_id,
                "name_ja": it.name_ja,
                "name_en": it.name_en,
                "type": it.type.value,
                "length": length,
                "length_unit": unit.value,
                "required": it.required.value
                + (f" ({it.condition})" if it.condition else "")
                + (f" [{it.required_when.describe()}]" if it.required_when else ""),
                "required_when": it.required_when.describe() if it.required_when else None,
                "official_type": it.official_type,
                "romaji": it.romaji,
                "code_table": it.code_table,
                "pattern": it.pattern,
                "checks": " ".join(checks),
                "severity": it.severity.value,
                "sensitivity": it.sensitivity.value,
                "provenance": spec.provenance_of(it).value,
                "source_ref": it.source_ref,
            }
        )
    return rows
