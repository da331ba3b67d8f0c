"""The suite model (checks/*.yaml): which deliveries to validate nightly, against what, with which limits.

A suite names its sources: per vendor and business, the files (globs relative to the suite's root),
the spec entity, the mapping, the reference extracts for cross-file checks and the thresholds the
delivery must hold. Paths in a suite are relative to the suite file, so a suite and its deliveries
can move together.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from migrate.errors import ConfigError, InputError, UsageError
from migrate.i18n import t
from migrate.yamlfile import YamlDoc, check_kind, load_yaml, pydantic_error

SOURCE_ID_RE = r"^[a-z0-9][a-z0-9_.-]*$"
DEFAULT_HISTORY = Path("reports") / "history.sqlite"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Thresholds(_Strict):
    """What a delivery must hold for the night to pass; every limit is optional."""

    min_readiness: float | None = Field(default=None, ge=0.0, le=1.0)  # share of rows without errors
    max_errors: int | None = Field(default=None, ge=0)
    max_warnings: int | None = Field(default=None, ge=0)
    max_new_errors: int | None = Field(default=None, ge=0)  # regressions against the previous run
    require_complete: bool = False  # every declared check ran (no item skipped)

    def merged(self, override: Thresholds | None) -> Thresholds:
        if override is None:
            return self
        return Thresholds.model_validate({**self.model_dump(), **override.model_dump(exclude_unset=True)})


class RefSpec(_Strict):
    """A reference extract for cross-file checks (e.g. 宛名番号 must exist in 住民記録)."""

    target: str = Field(pattern=r"^[a-z][a-z0-9-]*(@[0-9.]+)?/[a-z][a-z0-9_]*$")  # BUSINESS[@V]/ENTITY
    path: str  # file or glob, relative to the suite root
    mapping: str | None = None


class Source(_Strict):
    """One stream of deliveries: one vendor, one business entity, one mapping."""

    id: str = Field(pattern=SOURCE_ID_RE)
    title: str | None = None
    vendor: str = Field(min_length=1)
    entity: str = Field(pattern=r"^[a-z][a-z0-9-]*(@[0-9.]+)?/[a-z][a-z0-9_]*$")  # BUSINESS[@V]/ENTITY
    mapping: str | None = None  # id under mappings/ or a path relative to the suite file
    paths: list[str] = Field(min_length=1)
    exclude: list[str] = Field(default_factory=list)  # e.g. partial uploads: "*.part"
    encoding: str | None = None
    delimiter: str | None = None
    refs: list[RefSpec] = Field(default_factory=list)
    thresholds: Thresholds | None = None
    optional: bool = False  # when true, a night without any file is not a breach
    mod11_remainder_one: Literal["zero", "reject"] = "zero"

    @property
    def business(self) -> str:
        return self.entity.split("/")[0].split("@")[0]

    @property
    def entity_id(self) -> str:
        return self.entity.split("/")[1]


class Suite(_Strict):
    kind: Literal["migrate/suite"]
    format: Literal[1]
    name: str = Field(pattern=SOURCE_ID_RE)
    title: str | None = None
    municipality: str | None = None
    root: str = "."  # the folder the source paths are relative to (relative to the suite file)
    history: str | None = (
        None  # history database (relative to the suite file); default reports/history.sqlite
    )
    thresholds: Thresholds = Field(default_factory=Thresholds)  # defaults for every source
    sources: list[Source] = Field(min_length=1)

    @field_validator("sources")
    @classmethod
    def _unique(cls, v: list[Source]) -> list[Source]:
        seen: set[str] = set()
        for s in v:
            if s.id in seen:
                raise ValueError(f"duplicate source id {s.id!r}")
            seen.add(s.id)
        return v


class LoadedSuite:
    """A suite plus where it came from, to resolve its relative paths and locate its keys."""

    def __init__(self, suite: Suite, path: Path, doc: YamlDoc | None = None) -> None:
        self.suite = suite
        self.path = path
        self.doc = doc

    @property
    def name(self) -> str:
        return self.suite.name

    @property
    def base(self) -> Path:
        return self.path.parent

    @property
    def root(self) -> Path:
        return (self.base / self.suite.root).resolve()

    def history_path(self, override: str | Path | None = None) -> Path:
        if override is not None:
            return Path(override)
        if self.suite.history:
            return self.base / self.suite.history
        return DEFAULT_HISTORY

    def thresholds(self, source: Source) -> Thresholds:
        return self.suite.thresholds.merged(source.thresholds)

    def mapping_ref(self, source: Source) -> str | Path | None:
        """An id stays an id (looked up under mappings/); a file path is relative to the suite file."""
        if source.mapping is None:
            return None
        return self._ref_path(source.mapping)

    def ref_mapping_ref(self, ref: RefSpec) -> str | Path | None:
        return None if ref.mapping is None else self._ref_path(ref.mapping)

    def _ref_path(self, ref: str) -> str | Path:
        if ref.endswith((".yaml", ".yml")) or "/" in ref or os.sep in ref:
            return self.base / ref
        return ref

    def expand(self, patterns: Sequence[str], exclude: Sequence[str] = ()) -> list[Path]:
        """Files matching the globs (relative to the root), without excluded ones, sorted, no folders."""
        found: dict[str, Path] = {}
        for pattern in patterns:
            full = pattern if Path(pattern).is_absolute() else str(self.root / pattern)
            # glob.glob, not Path.glob: patterns may be absolute or climb out of the root with "..".
            for hit in glob.glob(full, recursive=True):  # noqa: PTH207
                p = Path(hit)
                if p.is_dir():
                    continue
                if any(p.match(x) for x in exclude):
                    continue
                found[str(p.resolve())] = p.resolve()
        return [found[k] for k in sorted(found)]

    def relative(self, path: Path) -> str:
        """The path as stored in history: relative to the suite root when below it (POSIX separators)."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.resolve().as_posix()

    def error_at(self, message: str, keys: list[str | int], hint: str | None = None) -> ConfigError:
        if self.doc is not None:
            return self.doc.error(message, keys, hint=hint)
        return ConfigError(message, path=self.path, key=".".join(map(str, keys)), hint=hint)

    def source_index(self, source_id: str) -> int:
        return next(i for i, s in enumerate(self.suite.sources) if s.id == source_id)


def load_suite(path: str | Path) -> LoadedSuite:
    """Read and check a suite file; every problem names the file, the key path and the line."""
    p = Path(path)
    doc = load_yaml(p)
    check_kind(doc, "migrate/suite")
    try:
        suite = Suite.model_validate(doc.data)
    except ValidationError as exc:
        raise pydantic_error(doc, exc) from None
    return LoadedSuite(suite, p, doc)


def find_suite(ref: str | Path | None) -> Path:
    """A path, a suite name looked up as checks/<name>.yaml, or (None) the only suite under checks/."""
    checks = Path.cwd() / "checks"
    if ref is None:
        found = sorted(checks.glob("*.yaml")) if checks.is_dir() else []
        suites = [p for p in found if "migrate/suite" in p.read_text(encoding="utf-8", errors="replace")]
        if len(suites) == 1:
            return suites[0]
        raise UsageError(
            t("スイートを指定してください", "name a suite")
            if suites
            else t("checks/ にスイートがありません", "no suite under checks/"),
            hint=t("スイート: {l}", "suites: {l}", l=", ".join(p.stem for p in suites))
            if suites
            else t("スイートファイルのパスを指定してください", "give a suite file path"),
        )
    p = Path(ref)
    if p.exists():
        return p
    if p.suffix not in (".yaml", ".yml"):
        cand = checks / f"{ref}.yaml"
        if cand.exists():
            return cand
    raise InputError(
        t("スイート {s} が見つかりません", "suite {s} not found", s=ref),
        hint=t(
            "スイートファイルのパスか checks/ にある名前を指定してください",
            "give a suite file path or a name under checks/",
        ),
    )
