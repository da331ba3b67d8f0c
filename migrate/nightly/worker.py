"""Validate one delivered file and reduce the result to what history keeps (runs in a worker process).

The worker sees raw values; what leaves it does not: counts, line numbers and finding fingerprints
(HMAC of business key + item + rule). Any failure becomes an `unreadable` result, never the end
of the run. polars is imported lazily so the worker can size its thread pool first.
"""

from __future__ import annotations

import os
import pickle
import time
import traceback
from dataclasses import dataclass, field
from typing import Any

from migrate.errors import MigrateError
from migrate.history.store import ResultRecord, fingerprint
from migrate.i18n import set_lang, t

UNREADABLE = "file-unreadable"
MESSAGE_MAX = 500


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
    key_items: tuple[str, ...] = ()  # the entity's primary key, never a 個人番号


@dataclass(frozen=True)
class FileTask:
    source_id: str
    path: str  # absolute
    rel: str  # as stored in history
    sha256: str | None
    size: int | None
    validation_key: str


@dataclass
class _State:
    registry: Any = None
    contexts: dict[str, SourceContext] = field(default_factory=dict)
    salt: bytes = b""


_STATE = _State()


def install(registry: Any, contexts: dict[str, SourceContext], salt: bytes, lang: str | None = None) -> None:
    """Set the worker state directly (in-process runs with --jobs 1)."""
    _STATE.registry = registry
    _STATE.contexts = contexts
    _STATE.salt = salt
    if lang:
        set_lang(lang)


def init_worker(payload: bytes, threads: int, lang: str | None) -> None:
    """ProcessPoolExecutor initializer: size polars' pool before importing it, then unpickle the state."""
    os.environ.setdefault("POLARS_MAX_THREADS", str(max(1, threads)))
    registry, contexts, salt = pickle.loads(payload)
    install(registry, contexts, salt, lang)


def unreadable(task: FileTask, message: str, salt: bytes, duration_s: float = 0.0) -> ResultRecord:
    """A file that could not be validated: one error finding keyed by its path."""
    return ResultRecord(
        source_id=task.source_id,
        path=task.rel,
        validation_key=task.validation_key,
        status="unreadable",
        sha256=task.sha256,
        size=task.size,
        message=message[:MESSAGE_MAX],
        errors=1,
        duration_s=duration_s,
        counts=[
            {
                "code": UNREADABLE,
                "item": None,
                "column": None,
                "severity": "error",
                "count": 1,
                "first_line": None,
            }
        ],
        findings=[(fingerprint(salt, "u", task.rel), UNREADABLE, None, "error", None)],
    )


def validate_task(task: FileTask) -> ResultRecord:
    t0 = time.perf_counter()
    try:
        return _validate(task, t0)
    except MigrateError as exc:
        return unreadable(task, exc.render(), _STATE.salt, time.perf_counter() - t0)
    except Exception as exc:  # noqa: BLE001 - one bad file is a finding, never the end of the run
        if os.environ.get("MIGRATE_DEBUG"):
            traceback.print_exc()
        # Only the type: messages of unexpected errors (polars, codecs) may quote the data itself.
        message = t(
            "検証中に予期しないエラー ({e})。MIGRATE_DEBUG=1 で詳細を表示します",
            "unexpected error while validating ({e}); set MIGRATE_DEBUG=1 for details",
            e=type(exc).__name__,
        )
        return unreadable(task, message, _STATE.salt, time.perf_counter() - t0)


def _validate(task: FileTask, t0: float) -> ResultRecord:
    from migrate.validate.compile import Options
    from migrate.validate.run import validate_file

    ctx = _STATE.contexts[task.source_id]
    spec, entity = _STATE.registry.entity(ctx.entity_ref)
    options = Options(remainder_one="reject" if ctx.remainder_one == "reject" else "zero")
    # read in pieces like `migrate validate`: a worker's memory follows the piece size, not the file's
    result = validate_file(
        task.path,
        spec,
        entity,
        _STATE.registry,
        ctx.mapping,
        encoding=ctx.encoding,
        delimiter=ctx.delimiter,
        refs=ctx.refs,
        options=options,
        key_items=ctx.key_items,
    )
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
        findings=keyed_findings(result.findings, keys, _STATE.salt),
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
