"""Validate one delivered file and reduce the result to what history keeps (runs in a worker process).

The worker sees raw values; what leaves it does not: counts, line numbers and finding fingerprints
(HMAC of business key + item + rule). Any failure becomes an `unreadable` result, never the end
of the run. polars is imported lazily so the worker can size its thread pool first.

The hash a result carries is of the bytes actually validated (hashed as the reader reads them, in
the same pass; measured at +0.12 s on 200 MB, against +0.7 s and the disk space for a snapshot copy).
A file whose bytes or identity (inode, size, mtime) differ from what the run saw when it chose the
file is `file-changed`: no findings are kept for it, and it is never carried forward.

A worker dies with the run: the pool starts it with the parent's pid, and a watchdog thread (plus
PR_SET_PDEATHSIG on Linux) ends it as soon as that parent is gone, even when it was SIGKILLed.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from hashlib import sha256
from pathlib import Path
from typing import Any

from migrate.errors import MigrateError
from migrate.history.store import ResultRecord, fingerprint
from migrate.i18n import set_lang, t

UNREADABLE = "file-unreadable"
CHANGED = "file-changed"
TIMEOUT = "file-timeout"  # over the suite's file_timeout
LOST = "worker-lost"  # the process validating it died, and again on the retry
ANY_DEVICE = -1  # in an Ident: a worker on another host sees the shared file under its own st_dev
MESSAGE_MAX = 500
WATCHDOG_S = 0.25  # how often a worker looks for its parent

# (st_dev, st_ino, st_size, st_mtime_ns): a file is the same file only while all four hold.
Ident = tuple[int, int, int, int]


def ident_of(st: os.stat_result) -> Ident:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def current_ident(path: str | os.PathLike[str]) -> Ident | None:
    try:
        return ident_of(Path(path).stat())
    except OSError:
        return None


def same_file(now: Ident | None, seen: Ident | None) -> bool:
    """Whether the file is still the one seen (an ANY_DEVICE ident leaves st_dev out of it)."""
    if now is None or seen is None:
        return now == seen
    return now[1:] == seen[1:] and (seen[0] == ANY_DEVICE or now[0] == seen[0])


class FileTimeout(Exception):
    """The file's validation went past the suite's `file_timeout` (checked at every piece read)."""


def timeout_message(limit: float) -> str:
    return t(
        "制限時間 {s} 秒を超えたため検証を打ち切りました (スイートの file_timeout)",
        "validation stopped after the {s} s limit (the suite's file_timeout)",
        s=f"{limit:g}",
    )


def changed_message() -> str:
    return t(
        "検証中にファイルが変わりました (サイズ・更新時刻・inode または内容が異なります)。"
        "結果は残さず、次回あらためて検証します",
        "the file changed while the run was reading it (size, mtime, inode or content differ); "
        "no result is kept, it is validated again next run",
    )


@dataclass(frozen=True)
class SourceContext:
    """Everything a worker needs to validate a file of one source (picklable)."""

    source_id: str
    entity_ref: str  # BUSINESS@VERSION/ENTITY, resolved by the parent
    mapping: Any = None  # migrate.mapping.model.Mapping | None
    encoding: str | None = None
    delimiter: str | None = None
    refs: Any = None  # dict[str, pl.Series] | None
    remainder_one: str = "zero"
    fictional_lg_codes: tuple[str, ...] = ()  # declared by the suite (the mapping may add its own)
    key_items: tuple[str, ...] = ()  # the entity's primary key, never a 個人番号
    # (target, absolute path, mapping, sha256): reference extracts a cluster worker reads itself
    ref_files: tuple[tuple[str, str, Any, str], ...] = ()
    # (from key, to key): a reference extract that is an alternative for another (see with_ref_aliases)
    ref_aliases: tuple[tuple[str, str], ...] = ()


def with_ref_aliases(refs: Any, aliases: tuple[tuple[str, str], ...]) -> Any:
    """The reference values with each alias applied: `to` becomes the union of `to` and `from`
    (a 宛名番号 of 住民記録 or of the 住登外者 list). Applied here, on the worker's inputs, so the
    local pool and a cluster worker (which reads the extracts itself) see the same sets."""
    if not refs or not aliases:
        return refs
    import polars as pl

    out = dict(refs)
    for src, dst in aliases:
        if src in refs:
            # pl.concat, not Series.append: append extends the context's own Series in place
            out[dst] = refs[src] if dst not in out else pl.concat([out[dst], refs[src]]).unique()
    return out


@dataclass(frozen=True)
class FileTask:
    source_id: str
    path: str  # absolute
    rel: str  # as stored in history
    sha256: str | None
    size: int | None
    validation_key: str
    ident: Ident | None = None  # the file as the run found it (see ident_of)
    time_limit_s: float | None = None  # the suite's file_timeout


@dataclass
class _State:
    """What a worker validates with: the spec registry, each source's context, the fingerprint salt."""

    registry: Any = None
    contexts: dict[str, SourceContext] = field(default_factory=dict)
    salt: bytes = b""


WorkerState = _State
_STATE = _State()


def install(registry: Any, contexts: dict[str, SourceContext], salt: bytes, lang: str | None = None) -> None:
    """Set the worker state directly (in-process runs with --jobs 1)."""
    _STATE.registry = registry
    _STATE.contexts = contexts
    _STATE.salt = salt
    if lang:
        set_lang(lang)


def init_worker(payload: bytes, threads: int, lang: str | None, parent: int | None = None) -> None:
    """ProcessPoolExecutor initializer: tie the worker's life to the parent's, size polars' pool before
    importing it, then unpickle the state."""
    if parent is not None:
        die_with_parent(parent)
    os.environ.setdefault("POLARS_MAX_THREADS", str(max(1, threads)))
    registry, contexts, salt = pickle.loads(payload)
    install(registry, contexts, salt, lang)


def die_with_parent(parent: int) -> None:
    """End this process as soon as `parent` is gone (a killed parent leaves no orphan behind).

    Its pipes do not tell the worker: the pool's queues are shared with the other workers, so they
    never reach end-of-file. PR_SET_PDEATHSIG (Linux) signals at once; the watchdog thread, which
    sees the change of parent pid on any POSIX system, is the portable fallback and also covers a
    parent that died before the signal was armed.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG = 1
        except (OSError, AttributeError):
            pass  # the watchdog below still ends the worker
    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCHDOG_S)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def unreadable(
    task: FileTask, message: str, salt: bytes, duration_s: float = 0.0, code: str = UNREADABLE
) -> ResultRecord:
    """A file that could not be validated: one error finding (code) keyed by its path."""
    return ResultRecord(
        source_id=task.source_id,
        path=task.rel,
        validation_key=task.validation_key,
        status="unreadable",
        sha256=None if code == CHANGED else task.sha256,  # a hash of what is no longer there
        size=None if code == CHANGED else task.size,
        message=message[:MESSAGE_MAX],
        errors=1,
        duration_s=duration_s,
        counts=[
            {
                "code": code,
                "item": None,
                "column": None,
                "severity": "error",
                "count": 1,
                "first_line": None,
            }
        ],
        findings=[(fingerprint(salt, "u", task.rel), code, None, "error", None)],
    )


def validate_task(task: FileTask, state: _State | None = None) -> ResultRecord:
    """Validate one file with the installed state (or the one given: a cluster worker keeps several)."""
    st = state or _STATE
    t0 = time.perf_counter()
    try:
        return _validate(task, t0, st)
    except FileTimeout:
        limit = task.time_limit_s or 0.0
        return unreadable(task, timeout_message(limit), st.salt, time.perf_counter() - t0, TIMEOUT)
    except MigrateError as exc:
        return unreadable(task, exc.render(), st.salt, time.perf_counter() - t0)
    except Exception as exc:  # noqa: BLE001 - one bad file is a finding, never the end of the run
        if os.environ.get("MIGRATE_DEBUG"):
            traceback.print_exc()
        # Only the type: messages of unexpected errors (polars, codecs) may quote the data itself.
        message = t(
            "検証中に予期しないエラー ({e})。MIGRATE_DEBUG=1 で詳細を表示します",
            "unexpected error while validating ({e}); set MIGRATE_DEBUG=1 for details",
            e=type(exc).__name__,
        )
        return unreadable(task, message, st.salt, time.perf_counter() - t0)


def _validate(task: FileTask, t0: float, st: _State) -> ResultRecord:
    from migrate.validate.compile import Options
    from migrate.validate.run import validate_file

    ctx = st.contexts[task.source_id]
    spec, entity = st.registry.entity(ctx.entity_ref)
    options = Options(
        remainder_one="reject" if ctx.remainder_one == "reject" else "zero",
        fictional_lg_codes=frozenset(ctx.fictional_lg_codes),
    )
    if task.ident is not None and not same_file(current_ident(task.path), task.ident):
        return unreadable(task, changed_message(), st.salt, time.perf_counter() - t0, CHANGED)
    read = sha256()
    limit = task.time_limit_s

    def on_read(data: bytes) -> None:
        read.update(data)
        if limit is not None and time.perf_counter() - t0 > limit:
            raise FileTimeout

    # read in pieces like `migrate validate`: a worker's memory follows the piece size, not the file's
    result = validate_file(
        task.path,
        spec,
        entity,
        st.registry,
        ctx.mapping,
        encoding=ctx.encoding,
        delimiter=ctx.delimiter,
        refs=with_ref_aliases(ctx.refs, ctx.ref_aliases),
        options=options,
        key_items=ctx.key_items,
        on_read=on_read if limit is not None else read.update,
    )
    if limit is not None and time.perf_counter() - t0 > limit:
        raise FileTimeout
    if read.hexdigest() != task.sha256 or (
        task.ident is not None and not same_file(current_ident(task.path), task.ident)
    ):
        return unreadable(task, changed_message(), st.salt, time.perf_counter() - t0, CHANGED)
    keys = result.extra.get("row_keys")
    return ResultRecord(
        source_id=task.source_id,
        path=task.rel,
        validation_key=task.validation_key,
        status="ok",
        sha256=task.sha256,
        size=task.size,
        rows=result.rows,
        errors=result.errors,
        warnings=result.warnings,
        error_rows=result.error_rows,
        readiness=result.readiness,
        complete=result.complete,
        duration_s=time.perf_counter() - t0,
        encoding=result.encoding,
        spec=result.spec,
        entity=result.entity,
        mapping=result.mapping,
        checks_total=len(result.checks),
        checks_not_run=sum(1 for c in result.checks if not c["ran"]),
        skipped=result.skipped,
        gaiji=[{k: v for k, v in g.items() if k != "char"} for g in result.gaiji],
        counts=result.counts(),
        findings=keyed_findings(result.findings, keys, st.salt),
    )


def keyed_findings(
    findings: Any, keys: Any, salt: bytes
) -> list[tuple[str, str, str | None, str, int | None]]:
    """(fingerprint, code, item, severity, line) per finding; the key value itself goes no further.

    A row finding is keyed by business key + item + rule, so it is recognised night after night even
    when rows move; without a usable key it falls back to its line. A file finding (a missing column,
    a broken quote) is keyed by rule, item, column and line, not by file name, so a re-delivery under
    a new name is the same finding.
    """
    import polars as pl

    frame = findings.select("row", "line", "item", "code", "severity", "column")
    if keys is not None and not frame.is_empty():
        index = pl.DataFrame({"row": pl.int_range(0, len(keys), eager=True, dtype=pl.Int64), "key": keys})
        frame = frame.join(index, on="row", how="left")
    else:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Utf8).alias("key"))
    out = []
    for row, line, item, code, severity, column, key in frame.iter_rows():
        if row is not None and key is not None:
            fp = fingerprint(salt, "k", key, item, code)
        elif row is not None:
            fp = fingerprint(salt, "l", line, item, code)
        else:
            fp = fingerprint(salt, "f", code, item, column, line)
        out.append((fp, code, item, severity, line))
    return out
