"""Load a mapping file (YAML) with errors that name file, key path and line."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from migrate.errors import UsageError
from migrate.i18n import t
from migrate.mapping.model import Mapping
from migrate.yamlfile import check_kind, load_yaml, pydantic_error


def default_mappings_dir() -> Path:
    return Path.cwd() / "mappings"


def resolve_mapping_path(ref: str | Path) -> Path:
    """A path, or a mapping id looked up as mappings/**/<id>.yaml."""
    p = Path(ref)
    if p.exists() or p.suffix in (".yaml", ".yml"):
        return p
    hits = sorted(default_mappings_dir().glob(f"**/{ref}.yaml"))
    if not hits:
        raise UsageError(
            t("マッピング {m} が見つかりません", "mapping {m} not found", m=ref),
            hint=t(
                "ファイルのパスか mappings/ にある id を指定してください",
                "give a file path or an id under mappings/",
            ),
        )
    return hits[0]


def load_mapping(ref: str | Path) -> Mapping:
    path = resolve_mapping_path(ref)
    doc = load_yaml(path)
    check_kind(doc, "migrate/mapping")
    try:
        return Mapping.model_validate(doc.data)
    except ValidationError as exc:
        raise pydantic_error(doc, exc) from None
