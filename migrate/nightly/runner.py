"""Run a suite: validate every delivered file (in parallel, incrementally), record the run, judge it.

Order of events, chosen so that a run killed at any point leaves history consistent:
prepare everything that can fail on configuration (exit 3 before any trace) → take the lock →
open history and clean up runs an earlier kill left `running` → record the run → validate the
files that changed, each result committed as it arrives → carry the unchanged ones forward (if they
are still the files first seen) → compare with each source's previous complete run, judge the
thresholds → mark the run complete.

Files are found under the suite's root only (see nightly.suite); a hit that is not a regular file
there (FIFO, device, socket, folder, link loop, link out of the root) is a finding and never opened.
A file is identified by its hash and its (device, inode, size, mtime) when first seen: the worker
hashes the bytes it validates, and a file that changed in between is `file-changed`, never a result
to carry forward.

Where the files are validated is the executor's business (nightly.executor: this machine's pool or a
Dask cluster); it is opened, and on a cluster every worker's view of the root and the reference files
checked, before the lock is taken. Files go largest first; the suite's `file_timeout` bounds each.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import stat
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from hashlib import sha256
from pathlib import Path
from typing import Any

from migrate import __version__
from migrate.errors import MigrateError, UsageError
from migrate.history.compare import diff_source
from migrate.history.store import HistoryStore, ResultRecord
from migrate.history.summary import NightlyRun, load_run_summary
from migrate.i18n import t
from migrate.mask import redact
from migrate.nightly.executor import Executor, merge_refs, open_executor
from migrate.nightly.lock import RunLock, lock_path_for
from migrate.nightly.suite import FILE_NOT_REGULAR, LoadedSuite, Rejected, Source, Thresholds
from migrate.nightly.worker import (
    ANY_DEVICE,
    CHANGED,
    FileTask,
    Ident,
    SourceContext,
    changed_message,
    current_ident,
    ident_of,
    unreadable,
    validate_task,
)

# Bump when what a validation leaves in history changes: every file is then validated afresh.
ENGINE_VERSION = "1"


@dataclass
class NightlyOptions:
    force: bool = False
    jobs: int = 2
    as_of: dt.date | None = None
    sources: Sequence[str] = ()  # only these source ids (default: all)
    vendor: str | None = None  # only this vendor's sources
    history: Path | None = None  # overrides the suite's history path
    executor: str | None = None  # local | dask://HOST:PORT; overrides the suite's `executor`


@dataclass
class PreparedSource:
    source: Source
    index: int  # position in the suite file, to locate errors
    spec_key: str
    context: SourceContext
    thresholds: Thresholds
    files: list[Path]
    digest: str  # everything but the file content that decides a validation's outcome
    problems: list[dict[str, Any]] = field(default_factory=list)  # source-level breaches (refs)
    rejected: list[Rejected] = field(default_factory=list)  # glob hits never opened (findings)
    ref_files: list[tuple[str, str, Any, str]] = field(default_factory=list)  # for cluster workers


class NotRegular(OSError):
    """The path is not (or no longer) a regular file: it is never read."""


@dataclass(frozen=True)
class Seen:
    """A file as the run first saw it: content hash and identity, and whether both held while hashed."""

    sha256: str
    size: int
    ident: Ident
    stable: bool


def hash_file(path: Path) -> Seen:
    """Hash a regular file, opened non-blocking and without following a link swapped in since the walk
    (a FIFO never blocks the run). The identity is taken before and after, on the descriptor and on
    the path: a file replaced or written while it was hashed is not `stable`."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as fh:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode):
            raise NotRegular(str(path))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        h = sha256()
        size = 0
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
            size += len(chunk)
        after = os.fstat(fd)
    ident = ident_of(before)
    stable = ident == ident_of(after) == current_ident(path) and size == before.st_size
    return Seen(h.hexdigest(), size, ident, stable)


def _bytes_digest(paths: Sequence[Path]) -> str:
    h = sha256()
    for p in paths:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def select_sources(loaded: LoadedSuite, options: NightlyOptions) -> list[tuple[int, Source]]:
    chosen = list(enumerate(loaded.suite.sources))
    if options.sources:
        known = {s.id for _, s in chosen}
        unknown = [s for s in options.sources if s not in known]
        if unknown:
            raise UsageError(
                t("スイートにないソースです: {s}", "no such source in the suite: {s}", s=", ".join(unknown)),
                hint=t("使えるソース: {l}", "sources: {l}", l=", ".join(sorted(known))),
            )
        chosen = [(i, s) for i, s in chosen if s.id in options.sources]
    if options.vendor:
        vendors = sorted({s.vendor for _, s in chosen})
        chosen = [(i, s) for i, s in chosen if s.vendor == options.vendor]
        if not chosen:
            raise UsageError(
                t("ベンダー {v} のソースはありません", "no source of vendor {v}", v=options.vendor),
                hint=t("ベンダー: {l}", "vendors: {l}", l=", ".join(vendors)),
            )
    return chosen


def prepare(loaded: LoadedSuite, registry: Any, options: NightlyOptions) -> list[PreparedSource]:
    """Resolve specs, mappings, files and reference extracts; configuration errors point into the suite."""
    from migrate.mapping.load import load_mapping, resolve_mapping_path

    code_files = sorted(p for k, p in registry.files.items() if k.startswith("code:"))
    code_digest = _bytes_digest(code_files)
    out = []
    for index, src in select_sources(loaded, options):
        where: list[str | int] = ["sources", index]
        try:
            spec, entity = registry.entity(src.entity)
        except UsageError as exc:
            raise loaded.error_at(exc.message, [*where, "entity"], hint=exc.hint) from None
        mapping = None
        mapping_digest = ""
        ref = loaded.mapping_ref(src)
        if ref is not None:
            try:
                mapping = load_mapping(ref)
                mapping_digest = _bytes_digest([resolve_mapping_path(ref)])
            except UsageError as exc:
                raise loaded.error_at(exc.message, [*where, "mapping"], hint=exc.hint) from None
            if mapping.entity != entity.id or mapping.spec.split("@")[0] != spec.business.id:
                raise loaded.error_at(
                    t(
                        "マッピング {m} は {ms}/{me} 用です ({s}/{e} ではありません)",
                        "mapping {m} is for {ms}/{me}, not {s}/{e}",
                        m=mapping.id,
                        ms=mapping.spec,
                        me=mapping.entity,
                        s=spec.business.id,
                        e=entity.id,
                    ),
                    [*where, "mapping"],
                )
        # A 個人番号 is never a key, not even hashed: such rows are keyed by line instead.
        sensitive = {it.id for it in entity.items if it.sensitivity.value == "my-number"}
        key_items = tuple(entity.primary_key) if not sensitive & set(entity.primary_key) else ()
        refs, ref_parts, problems, ref_files = _load_refs(loaded, registry, src, index)
        aliases = _ref_aliases(loaded, registry, src, index)
        files, rejected = loaded.expand_checked(src.paths, src.exclude)
        spec_file = registry.files.get(spec.key)
        digest = json.dumps(
            {
                "engine": ENGINE_VERSION,
                "tool": __version__,
                "spec": spec.key,
                "spec_file": _bytes_digest([spec_file]) if spec_file else None,
                "codes": code_digest,
                "mapping": mapping_digest,
                "encoding": src.encoding,
                "delimiter": src.delimiter,
                "remainder_one": src.mod11_remainder_one,
                "fictional_lg_codes": loaded.suite.fictional_lg_codes,
                "refs": ref_parts,
                "keys": key_items,
                **({"ref_aliases": aliases} if aliases else {}),
            },
            sort_keys=True,
        )
        out.append(
            PreparedSource(
                source=src,
                index=index,
                spec_key=spec.key,
                context=SourceContext(
                    source_id=src.id,
                    entity_ref=f"{spec.key}/{entity.id}",
                    mapping=mapping,
                    encoding=src.encoding,
                    delimiter=src.delimiter,
                    refs=refs,
                    remainder_one=src.mod11_remainder_one,
                    fictional_lg_codes=tuple(loaded.suite.fictional_lg_codes),
                    key_items=key_items,
                    ref_aliases=aliases,
                ),
                thresholds=loaded.thresholds(src),
                files=files,
                digest=sha256(digest.encode()).hexdigest(),
                problems=problems,
                rejected=rejected,
                ref_files=ref_files,
            )
        )
    return out


def _load_refs(
    loaded: LoadedSuite, registry: Any, src: Source, index: int
) -> tuple[Any, list[Any], list[dict[str, Any]], list[tuple[str, str, Any, str]]]:
    """Key values of the reference extracts, their content hashes, problems (a breach, not a crash),
    and (target, path, mapping, hash) of each file read, for workers that read them themselves."""
    from migrate.mapping.load import load_mapping
    from migrate.validate.run import load_refs

    if not src.refs:
        return None, [], [], []
    values: dict[str, Any] = {}
    parts: list[Any] = []
    problems: list[dict[str, Any]] = []
    ref_files: list[tuple[str, str, Any, str]] = []
    for ri, ref in enumerate(src.refs):
        try:
            registry.entity(ref.target)
        except UsageError as exc:
            raise loaded.error_at(
                exc.message, ["sources", index, "refs", ri, "target"], hint=exc.hint
            ) from None
        mref = loaded.ref_mapping_ref(ref)
        try:
            mapping = load_mapping(mref) if mref is not None else None
        except UsageError as exc:
            raise loaded.error_at(
                exc.message, ["sources", index, "refs", ri, "mapping"], hint=exc.hint
            ) from None
        files, rejected = loaded.expand_checked([ref.path])
        for rej in rejected:
            problems.append({"metric": "refs", "value": rej.rel, "limit": None, "detail": rej.message()})
        if not files and not rejected:
            problems.append({"metric": "refs", "value": ref.path, "limit": None, "detail": "no-file"})
            continue
        for f in files:
            try:
                seen = hash_file(f)
                part = load_refs([(ref.target, f, mapping)], registry)
                if not seen.stable or current_ident(f) != seen.ident:
                    problems.append(
                        {
                            "metric": "refs",
                            "value": loaded.relative(f),
                            "limit": None,
                            "detail": changed_message(),
                        }
                    )
                    continue
                parts.append([ref.target, loaded.relative(f), seen.sha256])
                ref_files.append((ref.target, str(f), mapping, seen.sha256))
            except NotRegular:
                detail = Rejected(loaded.relative(f), FILE_NOT_REGULAR).message()
                problems.append(
                    {"metric": "refs", "value": loaded.relative(f), "limit": None, "detail": detail}
                )
                continue
            except (MigrateError, OSError) as exc:
                problems.append(
                    {
                        "metric": "refs",
                        "value": loaded.relative(f),
                        "limit": None,
                        "detail": exc.render() if isinstance(exc, MigrateError) else type(exc).__name__,
                    }
                )
                continue
            merge_refs(values, part)
    return values or None, parts, problems, ref_files


def _ref_aliases(loaded: LoadedSuite, registry: Any, src: Source, index: int) -> tuple[tuple[str, str], ...]:
    """(key of the alternative's values, key they also count for) for each ref with `also_for`."""
    out = []
    for ri, ref in enumerate(src.refs):
        if ref.also_for is None:
            if ref.item is not None:
                raise loaded.error_at(
                    t("item は also_for と一緒に指定します", "item goes with also_for"),
                    ["sources", index, "refs", ri, "item"],
                )
            continue
        spec, entity = registry.entity(ref.target)
        item = ref.item or (entity.primary_key[0] if len(entity.primary_key) == 1 else None)
        if item is None or item not in entity.item_ids:
            raise loaded.error_at(
                t(
                    "{e} に項目 {i} がありません",
                    "{e} has no item {i}",
                    e=ref.target,
                    i=item or "?",
                ),
                ["sources", index, "refs", ri, "item" if ref.item else "also_for"],
                hint=t(
                    "item: で {e} のどの項目の値を使うか指定してください",
                    "say with item: which item of {e} gives the values",
                    e=ref.target,
                ),
            )
        out.append((f"{spec.business.id}/{entity.id}/{item}", ref.also_for))
    return tuple(out)


def judge(
    th: Thresholds, agg: dict[str, Any], *, optional: bool, baseline: bool, problems: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Every threshold the source breaches: [{metric, value, limit}] (empty = the night passes)."""
    out = list(problems)
    if agg["files_total"] == 0:
        if not optional:
            out.append({"metric": "files", "value": 0, "limit": 1})
        return out
    if agg["unreadable"]:
        out.append({"metric": "unreadable", "value": agg["unreadable"], "limit": 0})
    if th.min_readiness is not None and (agg["readiness"] is None or agg["readiness"] < th.min_readiness):
        out.append({"metric": "readiness", "value": agg["readiness"], "limit": th.min_readiness})
    if th.max_errors is not None and agg["errors"] > th.max_errors:
        out.append({"metric": "errors", "value": agg["errors"], "limit": th.max_errors})
    if th.max_warnings is not None and agg["warnings"] > th.max_warnings:
        out.append({"metric": "warnings", "value": agg["warnings"], "limit": th.max_warnings})
    # Regressions need a baseline: on a source's first night every finding is "new".
    if baseline and th.max_new_errors is not None and agg["new_errors"] > th.max_new_errors:
        out.append({"metric": "new_errors", "value": agg["new_errors"], "limit": th.max_new_errors})
    if th.require_complete and not agg["complete"]:
        out.append({"metric": "complete", "value": False, "limit": True})
    return out


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """cron and systemd stop jobs with SIGTERM: unwind like Ctrl-C so the run is closed cleanly."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


Progress = Callable[[str], None]
Recorded = Callable[[int, ResultRecord], None]


@dataclass(frozen=True)
class Meter:
    """Where the night stands, after each file recorded: for a live progress line."""

    done: int
    total: int
    bytes_done: int
    elapsed_s: float
    workers: int
    executor: str
    bytes_total: int = 0  # of every file to validate this night: with bytes_done, the time left

    @property
    def files_per_s(self) -> float:
        return self.done / max(self.elapsed_s, 1e-6)

    @property
    def mb_per_s(self) -> float:
        return self.bytes_done / 1e6 / max(self.elapsed_s, 1e-6)


def _validate_here(task: FileTask) -> ResultRecord:
    """One file in this process (--jobs 1), looked up here so tests can interpose on validate_task."""
    return validate_task(task)


def executor_spec(loaded: LoadedSuite, options: NightlyOptions) -> str:
    """The command line's executor, else the suite's, else this machine."""
    return options.executor or loaded.suite.executor or "local"


def run_nightly(
    loaded: LoadedSuite,
    registry: Any,
    options: NightlyOptions | None = None,
    *,
    progress: Progress | None = None,
    on_recorded: Recorded | None = None,
    clock: Callable[[], str] | None = None,
    meter: Callable[[Meter], None] | None = None,
    executor: Executor | None = None,
) -> NightlyRun:
    """Validate the suite's deliveries and record the run; the summary says whether every threshold held.

    meter, when given, is told after each file where the night stands (and replaces the per-file
    progress lines); executor, when given, is used (and left open) instead of the one the options name.
    """
    opts = options or NightlyOptions()
    say = progress or (lambda _msg: None)
    prepared = prepare(loaded, registry, opts)
    history = loaded.history_path(opts.history)
    own = executor is None
    ex = executor or open_executor(executor_spec(loaded, opts), opts.jobs, here=_validate_here)
    try:
        # Before the lock: a worker that cannot see the deliveries fails the night before it begins.
        ex.check_paths([loaded.root, *(Path(f[1]) for ps in prepared for f in ps.ref_files)])
        return _run_locked(loaded, registry, opts, prepared, history, ex, say, on_recorded, clock, meter)
    finally:
        if own:
            ex.close()


def _run_locked(
    loaded: LoadedSuite,
    registry: Any,
    opts: NightlyOptions,
    prepared: list[PreparedSource],
    history: Path,
    ex: Executor,
    say: Progress,
    on_recorded: Recorded | None,
    clock: Callable[[], str] | None,
    meter: Callable[[Meter], None] | None,
) -> NightlyRun:
    lock = RunLock(lock_path_for(history), suite=loaded.name)
    with lock, _sigterm_as_interrupt():
        store = HistoryStore.open(history, clock=clock) if clock else HistoryStore.open(history)
        try:
            notes = []
            if lock.took_over is not None:
                notes.append(
                    t(
                        "残っていたロック (pid {p}) を解除しました",
                        "removed a stale lock (pid {p})",
                        p=lock.took_over.pid,
                    )
                )
            recovered = store.recover()
            if recovered:
                notes.append(
                    t(
                        "途中で終了した実行 {r} を未完了として整理しました",
                        "marked run(s) {r} incomplete (they ended before completing)",
                        r=", ".join(f"#{r}" for r in recovered),
                    )
                )
                say(notes[-1])
            run_id = store.begin_run(
                suite=loaded.name,
                suite_path=str(loaded.path),
                title=loaded.suite.title,
                municipality=loaded.suite.municipality,
                as_of=(opts.as_of or dt.date.today()).isoformat(),
                options={
                    "force": opts.force,
                    "jobs": opts.jobs,
                    "sources": [p.source.id for p in prepared],
                    "vendor": opts.vendor,
                    "executor": ex.name,
                },
                pid=os.getpid(),
                host=socket.gethostname(),
            )
            try:
                _validate_all(store, run_id, loaded, registry, prepared, opts, say, on_recorded, ex, meter)
                ok = _finish(store, run_id, prepared)
            except BaseException as exc:
                store.discard_run(
                    run_id, t("中断: {e}", "interrupted: {e}", e=type(exc).__name__ or "interrupted")
                )
                raise
            summary = load_run_summary(store, run_id)
            summary.notes = notes
            assert summary.ok is ok
            return summary
        finally:
            store.close()


def _validate_all(
    store: HistoryStore,
    run_id: int,
    loaded: LoadedSuite,
    registry: Any,
    prepared: list[PreparedSource],
    opts: NightlyOptions,
    say: Progress,
    on_recorded: Recorded | None,
    ex: Executor,
    meter: Callable[[Meter], None] | None,
) -> None:
    salt = store.salt
    limit = loaded.suite.file_timeout
    carried: list[tuple[FileTask, int]] = []
    tasks: list[tuple[FileTask, str]] = []
    immediate: list[ResultRecord] = []
    for ps in prepared:
        sid = ps.source.id
        previous = store.previous_run_for_source(sid, before=run_id)
        before = {r["path"]: r for r in store.run_files(previous, sid)} if previous is not None else {}
        reusable = {r["validation_key"]: r for r in before.values() if r["status"] == "ok"}
        for rej in ps.rejected:
            task = FileTask(sid, str(loaded.root / rej.rel), redact(rej.rel), None, None, "unreadable")
            immediate.append(unreadable(task, rej.message(), salt, code=rej.code))
        for path in ps.files:
            rel = redact(loaded.relative(path))  # as history keeps it: a 個人番号 in a name is masked
            try:
                seen = hash_file(path)
            except NotRegular:
                task = FileTask(sid, str(path), rel, None, None, "unreadable")
                msg = Rejected(rel, FILE_NOT_REGULAR).message()
                immediate.append(unreadable(task, msg, salt, code=FILE_NOT_REGULAR))
                continue
            except OSError as exc:
                task = FileTask(sid, str(path), rel, None, None, "unreadable")
                msg = t("読み込めません: {e}", "cannot read: {e}", e=exc.strerror or type(exc).__name__)
                immediate.append(unreadable(task, msg, salt))
                continue
            digest, size = seen.sha256, seen.size
            vkey = sha256(f"{ps.digest}:{digest}".encode()).hexdigest()
            if not seen.stable:
                task = FileTask(sid, str(path), rel, None, None, vkey)
                immediate.append(unreadable(task, changed_message(), salt, code=CHANGED))
                continue
            file_task = FileTask(sid, str(path), rel, digest, size, vkey, seen.ident, limit)
            old = before.get(rel)
            if not opts.force:
                hit = (
                    old
                    if old is not None and old["validation_key"] == vkey and old["status"] == "ok"
                    else None
                )
                hit = hit or reusable.get(vkey)
                if hit is not None:
                    carried.append((file_task, int(hit["result_id"])))
                    continue
            status = "new" if old is None else ("changed" if old["sha256"] != digest else "revalidated")
            tasks.append((file_task, status))
    if carried:
        say(
            t(
                "変更のない {n} ファイルは前回の結果を引き継ぎます",
                "{n} unchanged file(s) carried forward",
                n=len(carried),
            )
        )
    for rec in immediate:
        store.record_result(run_id, rec, "unreadable")
        if on_recorded:
            on_recorded(run_id, rec)
    status_of = {(task.source_id, task.rel): status for task, status in tasks}
    size_of = {(task.source_id, task.rel): task.size or 0 for task, _ in tasks}
    # Largest first: on many workers, the long files must not be the last to start.
    todo = sorted((task for task, _ in tasks), key=lambda task: -(task.size or 0))
    done = 0
    nbytes = 0
    total_bytes = sum(size_of.values())
    t0 = time.perf_counter()
    workers = ex.workers() if meter is not None else 0

    def record(rec: ResultRecord) -> None:
        nonlocal done, nbytes
        done += 1
        nbytes += size_of[(rec.source_id, rec.path)]
        status = "unreadable" if rec.status == "unreadable" else status_of[(rec.source_id, rec.path)]
        store.record_result(run_id, rec, status)
        if meter is not None:
            meter(Meter(done, len(tasks), nbytes, time.perf_counter() - t0, workers, ex.name, total_bytes))
        else:
            _say_file(say, rec, done, len(tasks))
        if on_recorded:
            on_recorded(run_id, rec)

    contexts = {ps.source.id: ps.context for ps in prepared}
    if ex.name != "local":
        # A cluster worker reads the reference extracts itself (the shared paths checked before the
        # night), and sees the shared files under its own st_dev.
        contexts = {
            ps.source.id: replace(ps.context, refs=None, ref_files=tuple(ps.ref_files))
            if ps.ref_files
            else ps.context
            for ps in prepared
        }
        todo = [
            replace(task, ident=(ANY_DEVICE, *task.ident[1:])) if task.ident is not None else task
            for task in todo
        ]
    ex.run(todo, registry, contexts, salt, record)
    # Carried last, and only while still the file first hashed: one replaced or written meanwhile is
    # `file-changed` (its old result says nothing about what is there now).
    still, moved = [], []
    for task, result_id in carried:
        if current_ident(task.path) == task.ident:
            still.append((task.source_id, task.rel, result_id))
        else:
            moved.append(unreadable(task, changed_message(), salt, code=CHANGED))
    store.carry(run_id, still)
    for rec in moved:
        store.record_result(run_id, rec, "unreadable")
        if on_recorded:
            on_recorded(run_id, rec)


def _say_file(say: Progress, rec: ResultRecord, done: int, total: int) -> None:
    say(
        t(
            "[{i}/{n}] {s} {p}: {r} 行, エラー {e}",
            "[{i}/{n}] {s} {p}: {r} rows, {e} errors",
            i=done,
            n=total,
            s=rec.source_id,
            p=rec.path,
            r=rec.rows,
            e=rec.errors,
        )
        if rec.status == "ok"
        else t(
            "[{i}/{n}] {s} {p}: 読込不可",
            "[{i}/{n}] {s} {p}: unreadable",
            i=done,
            n=total,
            s=rec.source_id,
            p=rec.path,
        )
    )


def _finish(store: HistoryStore, run_id: int, prepared: list[PreparedSource]) -> bool:
    rows_out = []
    for ps in prepared:
        src = ps.source
        previous = store.previous_run_for_source(src.id, before=run_id)
        d = diff_source(store, src.id, run_id, previous)
        files = store.run_files(run_id, src.id)
        rows = sum(r["rows"] for r in files)
        error_rows = sum(r["error_rows"] for r in files)
        agg = {
            "files_total": len(files),
            "unreadable": sum(1 for r in files if r["status"] == "unreadable"),
            "rows": rows,
            "errors": sum(r["errors"] for r in files),
            "warnings": sum(r["warnings"] for r in files),
            "error_rows": error_rows,
            "readiness": (rows - error_rows) / rows if rows else None,
            "complete": all(r["complete"] for r in files if r["status"] == "ok"),
            "new_errors": d.new_errors,
        }
        breaches = judge(
            ps.thresholds, agg, optional=src.optional, baseline=previous is not None, problems=ps.problems
        )
        rows_out.append(
            {
                **agg,
                "id": src.id,
                "title": src.title,
                "vendor": src.vendor,
                "business": src.business,
                "entity": ps.context.entity_ref.rsplit("/", 1)[1],
                "spec": ps.spec_key,
                "mapping": ps.context.mapping.id if ps.context.mapping is not None else None,
                "previous_run": previous,
                **d.totals(),
                "thresholds": ps.thresholds.model_dump(exclude_none=True),
                "breaches": breaches,
                "ok": not breaches,
            }
        )
    ok = all(r["ok"] for r in rows_out)
    store.finish_run(run_id, rows_out, ok=ok, exit_code=0 if ok else 1)
    return ok
