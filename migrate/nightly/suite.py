"""The suite model (checks/*.yaml): which deliveries to validate nightly, against what, with which limits.

A suite names its sources: per vendor and business, the files (globs relative to the suite's root),
the spec entity, the mapping, the reference extracts for cross-file checks and the thresholds the
delivery must hold. Paths in a suite are relative to the suite file, so a suite and its deliveries
can move together.

Sources stay under the root: a glob that is absolute or climbs with `..` is refused when the suite
is loaded (exit 3, file:line). Globs are matched by our own walk of the root, not `glob.glob`: a
symbolic link is followed only when its target stays under the root, a directory is never entered
twice on one path (a link loop would otherwise make `**` explode), and every hit that cannot be
validated as a regular file under the root is returned as a `Rejected` (a finding), never opened.
"""

from __future__ import annotations

import errno
import fnmatch
import glob
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from migrate.errors import ConfigError, InputError, UsageError
from migrate.i18n import t
from migrate.yamlfile import YamlDoc, check_kind, load_yaml, pydantic_error

SOURCE_ID_RE = r"^[a-z0-9][a-z0-9_.-]*$"
DEFAULT_HISTORY = Path("reports") / "history.sqlite"
# where files are validated: this machine's pool, or a Dask scheduler (see nightly.executor)
EXECUTOR_PATTERN = r"^(local|dask://(\[[0-9a-fA-F:]+\]|[A-Za-z0-9_.-]+):[0-9]{1,5})$"


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


def _under_root(pattern: str) -> str:
    """A source glob must stay under the suite's root: relative, without `..` (move `root` instead)."""
    if (
        PurePosixPath(pattern).is_absolute()
        or PureWindowsPath(pattern).is_absolute()
        or PureWindowsPath(pattern).drive
        or ".." in PurePosixPath(pattern.replace("\\", "/")).parts
    ):
        raise ValueError(
            t(
                "パスはスイートの root からの相対パスで、.. や絶対パスは使えません: {p}"
                " (ほかのフォルダは root を変えて指定してください)",
                "a path must be relative to the suite's root, without .. or an absolute path: {p}"
                " (point root at the folder instead)",
                p=pattern,
            )
        )
    if not pattern.strip():
        raise ValueError(t("空のパスです", "empty path"))
    return pattern


class RefSpec(_Strict):
    """A reference extract for cross-file checks (e.g. 宛名番号 must exist in 住民記録).

    With `also_for: BUSINESS/ENTITY/ITEM` the file is an alternative for that referenced item: its
    values (of `item`, default the target's one-item primary key) count as well, so a 宛名番号 found
    only in the 住登外者 list (atena/jutogai_atena) is not `reference-missing` (the set is the union).
    """

    target: str = Field(pattern=r"^[a-z][a-z0-9-]*(@[0-9.]+)?/[a-z][a-z0-9_]*$")  # BUSINESS[@V]/ENTITY
    path: str  # file or glob, relative to the suite root
    mapping: str | None = None
    also_for: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9-]*/[a-z][a-z0-9_]*/[a-z][a-z0-9_]*$")
    item: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*$")  # with also_for only

    @field_validator("path")
    @classmethod
    def _inside(cls, v: str) -> str:
        return _under_root(v)


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

    @field_validator("paths")
    @classmethod
    def _inside(cls, v: list[str]) -> list[str]:
        return [_under_root(p) for p in v]

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
    # the migration plan whose gates this suite's results feed (relative to the suite file):
    # `migrate plan status --suite SUITE` reads this plan with this suite's history
    plan: str | None = Field(default=None, min_length=1)
    sources: list[Source] = Field(min_length=1)
    executor: str | None = Field(default=None, pattern=EXECUTOR_PATTERN)  # local | dask://HOST:PORT
    file_timeout: float | None = Field(default=None, gt=0)  # seconds per file; over it: file-timeout
    # 全国地方公共団体コード of a fictional municipality (demo, training data), for every source
    fictional_lg_codes: list[str] = Field(default_factory=list)

    @field_validator("fictional_lg_codes", mode="before")
    @classmethod
    def _fictional(cls, v: object) -> object:
        from migrate.mapping.model import declared_fictional_codes

        return declared_fictional_codes(v)

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

    def plan_path(self) -> Path | None:
        """The suite's plan (`plan:`, relative to the suite file), or None when it names none."""
        return self.base / self.suite.plan if self.suite.plan else None

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
        """Regular files matching the globs under the root, without excluded ones, sorted."""
        return self.expand_checked(patterns, exclude)[0]

    def expand_checked(
        self, patterns: Sequence[str], exclude: Sequence[str] = ()
    ) -> tuple[list[Path], list[Rejected]]:
        """(files, rejected): regular files under the root (resolved, sorted) and the hits never opened."""
        root = self.root
        found: dict[str, Path] = {}
        rejected: dict[str, Rejected] = {}
        for pattern in patterns:
            _under_root(pattern)  # suites built in code skip the loader's check
            parts = tuple(x for x in pattern.replace("\\", "/").split("/") if x not in ("", "."))
            trailing_any = bool(parts) and parts[-1] == "**"
            for hit, problem in _walk(root, root, parts, frozenset()):
                rel = hit.relative_to(root).as_posix() if hit != root else "."
                if any(hit.match(x) for x in exclude):
                    continue
                if problem is not None:
                    rejected.setdefault(rel, Rejected(rel, problem))
                    continue
                real, why = _check_hit(root, hit)
                if real is None:
                    if not (trailing_any and why == "file-not-regular" and hit.is_dir()):
                        rejected.setdefault(rel, Rejected(rel, why or FILE_NOT_REGULAR))
                    continue
                found[str(real)] = real
        return [found[k] for k in sorted(found)], [rejected[k] for k in sorted(rejected)]

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


FILE_NOT_REGULAR = "file-not-regular"
FILE_OUTSIDE_ROOT = "file-outside-root"
SYMLINK_LOOP = "symlink-loop"
FILE_MISSING = "file-unreadable"  # a dangling link: the hit exists, its target does not
_UNRESOLVED = "unresolved"  # a link that never resolves (a loop of links): not a directory to enter


@dataclass(frozen=True)
class Rejected:
    """A glob hit that is never opened: where (relative to the root, as matched) and why (a finding code)."""

    rel: str
    code: str

    def message(self) -> str:
        if self.code == FILE_OUTSIDE_ROOT:
            return t(
                "スイートの root の外を指すリンクです (読みません)",
                "a link to outside the suite's root (not read)",
            )
        if self.code == SYMLINK_LOOP:
            return t("シンボリックリンクがループしています", "a symbolic link loop")
        if self.code == FILE_MISSING:
            return t("リンク先のファイルがありません", "the link's target does not exist")
        return t(
            "通常のファイルではありません (FIFO・デバイス・ソケット・フォルダは読みません)",
            "not a regular file (FIFOs, devices, sockets and folders are never read)",
        )


def _dir_key(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino) if stat.S_ISDIR(st.st_mode) else None


def _enter(
    root: Path, path: Path, seen: frozenset[tuple[int, int]]
) -> tuple[frozenset[tuple[int, int]] | None, str | None]:
    """Whether to descend into path: (the walk stack with it, None), or (None, why not) for a link that
    leaves the root or loops; (None, None) for anything that is not a directory."""
    if path.is_symlink():
        try:
            real = Path(os.path.realpath(path, strict=True))
        except OSError as exc:
            return None, _UNRESOLVED if exc.errno == errno.ELOOP else None
        except RuntimeError:
            return None, _UNRESOLVED
        if not real.is_dir():
            return None, None
        if not real.is_relative_to(root):
            return None, FILE_OUTSIDE_ROOT
    key = _dir_key(path)
    if key is None:
        return None, None
    if key in seen:
        return None, SYMLINK_LOOP
    return seen | {key}, None


def _entries(path: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(path) as it:
            return sorted(it, key=lambda e: e.name)
    except OSError:
        return []


def _walk(
    root: Path, here: Path, parts: tuple[str, ...], seen: frozenset[tuple[int, int]]
) -> Iterator[tuple[Path, str | None]]:
    """(path, None) for each path under here matching parts (glob syntax, `**` any depth, hidden names
    only when the pattern names them, as glob does), (path, code) for a directory not entered."""
    if not seen:
        seen = frozenset(k for k in [_dir_key(here)] if k is not None)
    if not parts:
        yield here, None
        return
    head, rest = parts[0], parts[1:]
    if head == "**":
        yield from _walk(root, here, rest, seen)
        for entry in _entries(here):
            if entry.name.startswith("."):
                continue
            child = Path(entry.path)
            inner, why = _enter(root, child, seen)
            if inner is not None:
                yield from _walk(root, child, parts, inner)
            elif why not in (None, _UNRESOLVED):
                yield child, why
            elif not rest:
                yield child, None  # a file, or a link that never resolves: judged as a hit
        return
    if glob.has_magic(head):
        names = [
            e.name
            for e in _entries(here)
            if fnmatch.fnmatchcase(e.name, head) and (head.startswith(".") or not e.name.startswith("."))
        ]
    else:
        names = [head] if os.path.lexists(here / head) else []
    for name in names:
        child = here / name
        if not rest:
            yield child, None
            continue
        inner, why = _enter(root, child, seen)
        if inner is not None:
            yield from _walk(root, child, rest, inner)
        elif why is not None:
            yield child, SYMLINK_LOOP if why == _UNRESOLVED else why


def _check_hit(root: Path, hit: Path) -> tuple[Path | None, str | None]:
    """The resolved regular file under root for a glob hit, or (None, the finding code)."""
    try:
        real = Path(os.path.realpath(hit, strict=True))
    except OSError as exc:
        return None, SYMLINK_LOOP if exc.errno == errno.ELOOP else FILE_MISSING
    except RuntimeError:
        return None, SYMLINK_LOOP
    if not real.is_relative_to(root):
        return None, FILE_OUTSIDE_ROOT
    try:
        mode = real.stat().st_mode
    except OSError:
        return None, FILE_MISSING
    if not stat.S_ISREG(mode):
        return None, FILE_NOT_REGULAR
    return real, None


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
