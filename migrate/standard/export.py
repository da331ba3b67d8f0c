"""Export a spec to other tools' formats: the dispatcher and the default paths.

Each format lives in its own module: export_frictionless (Table Schema / Data Package),
export_gx (Great Expectations suite, optional extra), export_pandera (pandera schema module) and
export_xlsx (Excel data dictionary); what they share is export_common.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrate.errors import UsageError
from migrate.i18n import t
from migrate.standard.export_common import anchored, selected_entities
from migrate.standard.model import CodeTable, Spec

__all__ = ["FORMATS", "ExportResult", "anchored", "default_path", "export_spec"]

FORMATS = ("frictionless", "gx", "xlsx", "pandera")

# The rules are the check families' (migrate/checks): the exporters ask each family what it can say.


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
