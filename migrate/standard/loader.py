"""Load every spec and code table under a specs/ folder, check cross-references, resolve names."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from migrate.errors import ConfigError, UsageError
from migrate.i18n import t
from migrate.standard.model import CodeTable, Entity, Spec
from migrate.standard.overlay import apply_overlay, is_overlay
from migrate.yamlfile import YamlDoc, check_kind, load_yaml, pydantic_error


def default_specs_dir() -> Path:
    """specs/ of the current project: $MIGRATE_SPECS, ./specs, or the one beside the package."""
    env = os.environ.get("MIGRATE_SPECS")
    if env:
        return Path(env)
    here = Path.cwd() / "specs"
    if here.is_dir():
        return here
    return Path(__file__).resolve().parents[2] / "specs"


@dataclass
class SpecRegistry:
    root: Path
    specs: dict[str, list[Spec]] = field(default_factory=dict)  # business id -> versions, oldest first
    code_tables: dict[str, CodeTable] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)  # spec key / code table id -> file

    @property
    def business_ids(self) -> list[str]:
        return sorted(self.specs, key=lambda b: self.latest(b).business.code)

    def latest(self, business: str) -> Spec:
        return self.specs[business][-1]

    def get(self, ref: str) -> Spec:
        """Resolve BUSINESS, BUSINESS@VERSION or a path to a spec file."""
        if ref.endswith((".yaml", ".yml")) and Path(ref).exists():
            return load_spec_file(Path(ref))
        business, _, version = ref.partition("@")
        if business not in self.specs:
            raise UsageError(
                t("業務 {b} の仕様がありません", "no specification for business {b}", b=business),
                hint=t("使える業務: {l}", "known businesses: {l}", l=", ".join(self.business_ids)),
            )
        if not version:
            return self.latest(business)
        for spec in self.specs[business]:
            if spec.version == version:
                return spec
        raise UsageError(
            t("{b} の版 {v} はありません", "business {b} has no version {v}", b=business, v=version),
            hint=t(
                "ある版: {l}", "available versions: {l}", l=", ".join(s.version for s in self.specs[business])
            ),
        )

    def entity(self, ref: str) -> tuple[Spec, Entity]:
        """Resolve BUSINESS[@VERSION][/ENTITY]; without ENTITY the spec must have exactly one."""
        spec_ref, _, entity_id = ref.partition("/")
        spec = self.get(spec_ref)
        if not entity_id:
            if len(spec.entities) == 1:
                return spec, spec.entities[0]
            raise UsageError(
                t("{s} には複数のエンティティがあります", "{s} has several entities", s=spec.key),
                hint=t(
                    "{s}/ENTITY の形で指定してください: {l}",
                    "name one as {s}/ENTITY: {l}",
                    s=spec.business.id,
                    l=", ".join(e.id for e in spec.entities),
                ),
            )
        try:
            return spec, spec.entity(entity_id)
        except KeyError:
            raise UsageError(
                t("{s} にエンティティ {e} はありません", "{s} has no entity {e}", s=spec.key, e=entity_id),
                hint=t("ある エンティティ: {l}", "entities: {l}", l=", ".join(e.id for e in spec.entities)),
            ) from None

    def code_table(self, table_id: str) -> CodeTable:
        return self.code_tables[table_id]


def _parse(doc: YamlDoc, model: type[Spec] | type[CodeTable]) -> Spec | CodeTable:
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise pydantic_error(doc, exc) from None


def engine_pattern_problem(pattern: str) -> str | None:
    """Why polars' regex engine (Rust `regex`: no lookaround, no backreferences) cannot run a pattern
    that Python's re may accept; None when it can. The checks run in polars, so they are tried there."""
    import polars as pl

    try:
        pl.Series([""], dtype=pl.Utf8).str.contains(pattern)
    except (pl.exceptions.PolarsError, BaseException) as exc:  # a Rust panic surfaces as BaseException
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        return str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
    return None


def _check_patterns(doc: YamlDoc, spec: Spec | CodeTable) -> None:
    """Every pattern of a spec or code table must run in the engine that runs the checks (exit 3 with
    file:line), never be found unusable halfway through a validation."""
    where: list[tuple[str, list[str | int]]] = []
    if isinstance(spec, CodeTable):
        where = [(spec.pattern, ["pattern"])] if spec.pattern else []
    else:
        for ei, ent in enumerate(spec.entities):
            where += [
                (it.pattern, ["entities", ei, "items", ii, "pattern"])
                for ii, it in enumerate(ent.items)
                if it.pattern
            ]
    for pattern, keys in where:
        problem = engine_pattern_problem(pattern)
        if problem is not None:
            raise doc.error(
                t(
                    "このパターンは検証エンジン (polars) で使えません: {e}",
                    "pattern not supported by the check engine (polars): {e}",
                    e=problem,
                ),
                keys,
                hint=t(
                    "先読み・後読み (?= ?! ?<= ?<!) と後方参照は使えません",
                    "lookaround (?= ?! ?<= ?<!) and backreferences are not supported",
                ),
            )


def load_spec_file(path: Path) -> Spec:
    doc = load_yaml(path)
    check_kind(doc, "migrate/spec")
    spec = _parse(doc, Spec)
    assert isinstance(spec, Spec)
    _check_patterns(doc, spec)
    return apply_overlay(spec, path)


def load_registry(root: str | Path | None = None) -> SpecRegistry:
    """Load and cross-check everything under root (default: default_specs_dir())."""
    base = Path(root) if root is not None else default_specs_dir()
    if not base.is_dir():
        raise ConfigError(
            t("仕様フォルダがありません", "specs folder not found"),
            path=base,
            hint=t(
                "--specs で指定するか MIGRATE_SPECS を設定してください", "pass --specs or set MIGRATE_SPECS"
            ),
        )
    reg = SpecRegistry(root=base)
    docs: dict[str, YamlDoc] = {}
    for path in sorted((base / "codes").glob("*.yaml")) if (base / "codes").is_dir() else []:
        doc = load_yaml(path)
        check_kind(doc, "migrate/code-table")
        table = _parse(doc, CodeTable)
        assert isinstance(table, CodeTable)
        _check_patterns(doc, table)
        if table.id in reg.code_tables:
            raise doc.error(
                t("コード表 {i} が重複しています", "duplicate code table {i}", i=table.id), ["id"]
            )
        reg.code_tables[table.id] = table
        reg.files[f"code:{table.id}"] = path
    for path in sorted(base.glob("*/*.yaml")):
        if path.parent.name == "codes" or is_overlay(path):
            continue
        doc = load_yaml(path)
        check_kind(doc, "migrate/spec")
        spec = _parse(doc, Spec)
        assert isinstance(spec, Spec)
        _check_patterns(doc, spec)
        spec = apply_overlay(spec, path)  # our additions to an imported spec (spec/overlay.py)
        if spec.business.id != path.parent.name:
            raise doc.error(
                t(
                    "業務 id {b} がフォルダ名 {d} と一致しません",
                    "business id {b} does not match its folder {d}",
                    b=spec.business.id,
                    d=path.parent.name,
                ),
                ["business", "id"],
            )
        if path.stem != spec.version:
            raise doc.error(
                t(
                    "版 {v} がファイル名 {f} と一致しません",
                    "version {v} does not match the file name {f}",
                    v=spec.version,
                    f=path.name,
                ),
                ["version"],
            )
        reg.specs.setdefault(spec.business.id, []).append(spec)
        reg.files[spec.key] = path
        docs[spec.key] = doc
    for versions in reg.specs.values():
        versions.sort(key=lambda s: s.version_tuple)
    for key, doc in docs.items():
        business, _, version = key.partition("@")
        spec = next(s for s in reg.specs[business] if s.version == version)
        _cross_check(reg, spec, doc)
    return reg


def _cross_check(reg: SpecRegistry, spec: Spec, doc: YamlDoc) -> None:
    for ei, entity in enumerate(spec.entities):
        for ii, item in enumerate(entity.items):
            where: list[str | int] = ["entities", ei, "items", ii]
            if item.code_table and item.code_table not in reg.code_tables:
                raise doc.error(
                    t(
                        "コード表 {c} が定義されていません",
                        "code table {c} is not defined",
                        c=item.code_table,
                    ),
                    [*where, "code_table"],
                    hint=t(
                        "specs/codes/ にコード表を追加してください", "add the code table under specs/codes/"
                    ),
                )
            if item.references:
                b, e, i = item.references.split("/")
                ok = False
                if b in reg.specs:
                    target = reg.latest(b) if b != spec.business.id else spec
                    try:
                        target.entity(e).item(i)
                        ok = True
                    except KeyError:
                        ok = False
                if not ok:
                    raise doc.error(
                        t("参照先 {r} が見つかりません", "reference {r} does not exist", r=item.references),
                        [*where, "references"],
                    )
