"""Export a spec to other tools' formats: shared choices (paths, regexes) and the dispatcher.

Each format lives in its own module: export_frictionless (Table Schema / Data Package),
export_gx (Great Expectations suite, optional extra) and export_xlsx (Excel data dictionary).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrate.errors import UsageError
from migrate.i18n import t
from migrate.standard.model import CodeTable, Entity, Item, Spec

FORMATS = ("frictionless", "gx", "xlsx", "pandera")

# The rules are the check families' (migrate/checks): the exporters ask each family what it can say.


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


@dataclass(frozen=True)
class ExportResult:
    """What an export produced: a file written, or JSON text for stdout."""

    format: str
    path: Path | None
    text: str | None = None


def default_path(spec: Spec, entity_id: str | None, fmt: str, out_dir: Path = Path("reports")) -> Path:
    stem = f"{spec.business.id}-{spec.version}" + (f"-{entity_id}" if entity_id else "")
    suffix = {
        "frictionless": ".schema.json" if entity_id else ".datapackage.json",
        "gx": ".gx-suite.json",
        "xlsx": ".xlsx",
        "pandera": "_pandera.py",
    }[fmt]
    return out_dir / "specs" / f"{stem}{suffix}"


def export_spec(
    spec: Spec,
    code_tables: Mapping[str, CodeTable],
    fmt: str,
    *,
    entity_id: str | None = None,
    output: str | Path | None = None,
) -> ExportResult:
    """Export spec (or one entity) as fmt to output ("-" = return the JSON text; None = default path)."""
    from migrate.atomic import write_text

    if fmt not in FORMATS:
        raise UsageError(t("不明な出力形式です: {f}", "unknown export format: {f}", f=fmt))
    selected_entities(spec, entity_id)  # the friendly error for an unknown entity, before any work
    to_stdout = output is not None and str(output) == "-"
    if fmt == "xlsx" and to_stdout:
        raise UsageError(
            t("xlsx は標準出力に書けません", "xlsx cannot be written to stdout"),
            hint=t("-o でファイル名を指定してください", "pass -o FILE.xlsx"),
        )
    path = Path(output) if output is not None and not to_stdout else default_path(spec, entity_id, fmt)
    if fmt == "xlsx":
        from migrate.standard.export_xlsx import data_dictionary
        from migrate.xlsx import write_workbook_atomically

        wb = data_dictionary(spec, code_tables, entity_id=entity_id)
        return ExportResult(fmt, write_workbook_atomically(wb, path))
    if fmt == "pandera":
        from migrate.standard.export_pandera import to_pandera

        source = to_pandera(spec, code_tables, entity_id=entity_id)
        return ExportResult(fmt, None, source) if to_stdout else ExportResult(fmt, write_text(path, source))
    doc: Any
    if fmt == "frictionless":
        from migrate.standard.export_frictionless import to_frictionless

        doc = to_frictionless(spec, code_tables, entity_id=entity_id)
    else:
        from migrate.standard.export_gx import to_gx

        doc = to_gx(spec, code_tables, entity_id=entity_id)
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if to_stdout:
        return ExportResult(fmt, None, text)
    return ExportResult(fmt, write_text(path, text))
