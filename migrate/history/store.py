"""The run-history database (SQLite, stdlib sqlite3): schema migrations, run lifecycle, queries.

Consistency: a run row is written first with status `running`; each file's result (its counts and
finding keys) is one transaction; the run's per-source summary and its status `complete` are one
final transaction. A run killed in between stays `running`: the next run (which holds the lock, so
no live run can be `running`) marks it `incomplete` and deletes the results only it produced.
Comparisons, trends and gates only ever read `complete` runs.

Privacy: no value of any row is stored. A finding is stored as a fingerprint, an HMAC-SHA256 of
(business key, item, rule) under a random salt kept in the `meta` table, plus its line number.
A 個人番号 is never used as a key. The fingerprint is a pseudonym, not anonymisation: whoever holds
the database file holds the salt, so keep the file where the extracts themselves are kept (it is
created mode 0600). Texts that come from a delivery (paths, messages, column names) are stored with
every 個人番号 masked (migrate.mask.redact).
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from hashlib import sha256
from pathlib import Path
from typing import Any

from migrate import __version__
from migrate.errors import InputError
from migrate.i18n import t
from migrate.mask import redact, redact_obj, redact_opt

# Ordered schema migrations; PRAGMA user_version is the number of the last one applied. Never edit
# a released migration: append a new one.
MIGRATIONS: list[tuple[int, str]] = [
    (
        1,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta (key, value) VALUES ('salt', lower(hex(randomblob(32))));
        INSERT INTO meta (key, value) VALUES ('created_at', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            suite TEXT NOT NULL,
            suite_path TEXT,
            title TEXT,
            municipality TEXT,
            as_of TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'incomplete')),
            tool_version TEXT NOT NULL,
            pid INTEGER,
            host TEXT,
            options TEXT NOT NULL DEFAULT '{}',
            ok INTEGER,
            exit_code INTEGER,
            note TEXT
        );
        CREATE TABLE results (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            source_id TEXT NOT NULL,
            path TEXT NOT NULL,
            sha256 TEXT,
            size INTEGER,
            validation_key TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('ok', 'unreadable')),
            message TEXT,
            rows INTEGER NOT NULL DEFAULT 0,
            errors INTEGER NOT NULL DEFAULT 0,
            warnings INTEGER NOT NULL DEFAULT 0,
            error_rows INTEGER NOT NULL DEFAULT 0,
            readiness REAL,
            complete INTEGER NOT NULL DEFAULT 0,
            duration_s REAL,
            encoding TEXT,
            spec TEXT,
            entity TEXT,
            mapping TEXT,
            tool_version TEXT NOT NULL,
            checks_total INTEGER NOT NULL DEFAULT 0,
            checks_not_run INTEGER NOT NULL DEFAULT 0,
            skipped TEXT NOT NULL DEFAULT '[]',
            gaiji TEXT NOT NULL DEFAULT '[]'
        );
        CREATE INDEX results_run ON results(run_id);
        CREATE TABLE rule_counts (
            result_id INTEGER NOT NULL REFERENCES results(id),
            code TEXT NOT NULL,
            item TEXT,
            column_name TEXT,
            severity TEXT NOT NULL,
            count INTEGER NOT NULL,
            first_line INTEGER
        );
        CREATE INDEX rule_counts_result ON rule_counts(result_id);
        CREATE TABLE findings (
            result_id INTEGER NOT NULL REFERENCES results(id),
            fp TEXT NOT NULL,
            code TEXT NOT NULL,
            item TEXT,
            severity TEXT NOT NULL,
            line INTEGER
        );
        CREATE INDEX findings_result ON findings(result_id);
        CREATE TABLE run_files (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            source_id TEXT NOT NULL,
            path TEXT NOT NULL,
            result_id INTEGER NOT NULL REFERENCES results(id),
            status TEXT NOT NULL
                CHECK (status IN ('new', 'changed', 'revalidated', 'carried', 'unreadable')),
            PRIMARY KEY (run_id, source_id, path)
        );
        CREATE INDEX run_files_result ON run_files(result_id);
        CREATE TABLE run_sources (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            source_id TEXT NOT NULL,
            title TEXT,
            vendor TEXT NOT NULL,
            business TEXT NOT NULL,
            entity TEXT NOT NULL,
            spec TEXT,
            mapping TEXT,
            files INTEGER NOT NULL,
            unreadable INTEGER NOT NULL,
            rows INTEGER NOT NULL,
            errors INTEGER NOT NULL,
            warnings INTEGER NOT NULL,
            error_rows INTEGER NOT NULL,
            readiness REAL,
            new INTEGER NOT NULL,
            fixed INTEGER NOT NULL,
            still_failing INTEGER NOT NULL,
            new_errors INTEGER NOT NULL,
            previous_run_id INTEGER,
            ok INTEGER NOT NULL,
            thresholds TEXT NOT NULL DEFAULT '{}',
            breaches TEXT NOT NULL DEFAULT '[]',
            PRIMARY KEY (run_id, source_id)
        );
        CREATE INDEX run_sources_source ON run_sources(source_id, run_id);
        """,
    ),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass
class ResultRecord:
    """What one validated (or unreadable) file leaves in history: numbers and keyed findings only."""

    source_id: str
    path: str
    validation_key: str
    status: str = "ok"  # ok | unreadable
    sha256: str | None = None
    size: int | None = None
    message: str | None = None
    rows: int = 0
    errors: int = 0
    warnings: int = 0
    error_rows: int = 0
    readiness: float | None = None
    complete: bool = False
    duration_s: float = 0.0
    encoding: str | None = None
    spec: str | None = None
    entity: str | None = None
    mapping: str | None = None
    tool_version: str = __version__
    checks_total: int = 0
    checks_not_run: int = 0
    skipped: list[dict[str, Any]] = field(default_factory=list)
    gaiji: list[dict[str, Any]] = field(default_factory=list)  # codepoint, cp932, count, items
    counts: list[dict[str, Any]] = field(
        default_factory=list
    )  # code, item, column, severity, count, first_line
    findings: list[tuple[str, str, str | None, str, int | None]] = field(default_factory=list)
    # (fp, code, item, severity, line)


@dataclass(frozen=True)
class KeyedFinding:
    fp: str
    code: str
    item: str | None
    severity: str
    line: int | None
    path: str


def fingerprint(salt: bytes, *parts: object) -> str:
    """HMAC-SHA256 over the parts (unit-separated), 128 bits in hex: stable per database, not reversible."""
    msg = "\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8")
    return hmac.new(salt, msg, sha256).hexdigest()[:32]


class HistoryStore:
    """One history database. Open with `HistoryStore.open(path)`; use as a context manager."""

    def __init__(self, path: Path, db: sqlite3.Connection, clock: Callable[[], str] = _now) -> None:
        self.path = path
        self.db = db
        self.clock = clock
        self._salt: bytes | None = None

    # -- opening and schema -------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True, clock: Callable[[], str] = _now) -> HistoryStore:
        p = Path(path)
        if not create and not p.exists():
            raise InputError(
                t("履歴データベースがありません", "no history database"),
                path=p,
                hint=t(
                    "migrate nightly を一度実行するか --history で場所を指定してください",
                    "run migrate nightly once, or point --history at the database",
                ),
            )
        try:
            if create:
                p.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(
                t(
                    "履歴データベースのフォルダを作れません: {e}",
                    "cannot create the history folder: {e}",
                    e=exc.strerror,
                ),
                path=p.parent,
            ) from None
        try:
            _private_file(p, create=create)
            db = sqlite3.connect(p, isolation_level=None, timeout=30.0)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA foreign_keys = ON")
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
            if version < SCHEMA_VERSION:
                db.execute("PRAGMA journal_mode = WAL")  # persistent: set once, when created or upgraded
            db.execute("PRAGMA synchronous = NORMAL")
            # a damaged page surfaces only when a query reaches it (mid-run, as an internal error):
            # check every page once, at open (linear in the file, about a second per 100 MB)
            check = db.execute("PRAGMA quick_check(1)").fetchone()[0]
            if check != "ok":
                raise sqlite3.DatabaseError(str(check))
        except sqlite3.DatabaseError as exc:
            raise InputError(
                t(
                    "履歴データベースが壊れているか読めません: {e}",
                    "history database damaged or unreadable: {e}",
                    e=exc,
                ),
                path=p,
                hint=t(
                    "バックアップから戻すか、このファイルを別名に移してください (次の migrate nightly が新しく作ります)"
                    "。別のファイルなら --history で正しいファイルを指定してください",
                    "restore it from a backup, or move it aside (the next migrate nightly starts a new one); "
                    "if it is the wrong file, point --history at the right one",
                ),
            ) from None
        store = cls(p, db, clock)
        store.migrate()
        return store

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> list[int]:
        """Apply every pending migration, each in its own transaction; return the versions applied."""
        current = self.schema_version
        if current > SCHEMA_VERSION:
            raise InputError(
                t(
                    "履歴データベースの形式 (v{v}) はこの migrate (v{m} まで対応) より新しいものです",
                    "the history database (schema v{v}) is newer than this migrate supports (v{m})",
                    v=current,
                    m=SCHEMA_VERSION,
                ),
                path=self.path,
                hint=t("migrate を更新してください", "upgrade migrate"),
            )
        applied = []
        for version, sql in MIGRATIONS:
            if version <= current:
                continue
            with self.transaction():
                for statement in _statements(sql):
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {int(version)}")
            applied.append(version)
        return applied

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    @property
    def salt(self) -> bytes:
        if self._salt is None:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'salt'").fetchone()
            self._salt = bytes.fromhex(row[0])
        return self._salt

    # -- the run lifecycle (the caller holds the run lock) --------------------------------------

    def recover(self) -> list[int]:
        """Mark runs left `running` by a killed process incomplete and drop what only they produced."""
        ids = [r[0] for r in self.db.execute("SELECT id FROM runs WHERE status = 'running' ORDER BY id")]
        for run_id in ids:
            self.discard_run(
                run_id,
                t("前回の実行が途中で終了しました", "the run ended before completing (killed or crashed)"),
            )
        return ids

    def discard_run(self, run_id: int, note: str) -> None:
        with self.transaction() as db:
            orphan = """SELECT id FROM results WHERE run_id = :r
                        AND id NOT IN (SELECT result_id FROM run_files WHERE run_id != :r)"""
            db.execute("DELETE FROM run_files WHERE run_id = :r", {"r": run_id})
            db.execute("DELETE FROM run_sources WHERE run_id = :r", {"r": run_id})
            db.execute(f"DELETE FROM findings WHERE result_id IN ({orphan})", {"r": run_id})
            db.execute(f"DELETE FROM rule_counts WHERE result_id IN ({orphan})", {"r": run_id})
            db.execute(f"DELETE FROM results WHERE id IN ({orphan})", {"r": run_id})
            db.execute(
                "UPDATE runs SET status = 'incomplete', finished_at = ?, note = ? WHERE id = ?",
                (self.clock(), redact(note), run_id),
            )

    def begin_run(
        self,
        *,
        suite: str,
        suite_path: str | None,
        title: str | None,
        municipality: str | None,
        as_of: str,
        options: dict[str, Any],
        pid: int | None = None,
        host: str | None = None,
    ) -> int:
        with self.transaction() as db:
            cur = db.execute(
                """INSERT INTO runs (suite, suite_path, title, municipality, as_of, started_at, status,
                                     tool_version, pid, host, options)
                   VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)""",
                (
                    suite,
                    redact_opt(suite_path),
                    title,
                    municipality,
                    as_of,
                    self.clock(),
                    __version__,
                    pid,
                    host,
                    json.dumps(options, ensure_ascii=False, sort_keys=True),
                ),
            )
            assert cur.lastrowid is not None
            return int(cur.lastrowid)

    def record_result(self, run_id: int, rec: ResultRecord, status: str) -> int:
        """One file's result, its counts and finding keys, and its place in the run: one transaction."""
        rec = _redacted(rec)
        with self.transaction() as db:
            cur = db.execute(
                """INSERT INTO results (run_id, source_id, path, sha256, size, validation_key, status,
                     message, rows, errors, warnings, error_rows, readiness, complete, duration_s,
                     encoding, spec, entity, mapping, tool_version, checks_total, checks_not_run,
                     skipped, gaiji)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    run_id,
                    rec.source_id,
                    rec.path,
                    rec.sha256,
                    rec.size,
                    rec.validation_key,
                    rec.status,
                    rec.message,
                    rec.rows,
                    rec.errors,
                    rec.warnings,
                    rec.error_rows,
                    rec.readiness,
                    int(rec.complete),
                    rec.duration_s,
                    rec.encoding,
                    rec.spec,
                    rec.entity,
                    rec.mapping,
                    rec.tool_version,
                    rec.checks_total,
                    rec.checks_not_run,
                    json.dumps(rec.skipped, ensure_ascii=False),
                    json.dumps(rec.gaiji, ensure_ascii=False),
                ),
            )
            assert cur.lastrowid is not None
            result_id = int(cur.lastrowid)
            db.executemany(
                """INSERT INTO rule_counts (result_id, code, item, column_name, severity, count, first_line)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                [
                    (
                        result_id,
                        c["code"],
                        c.get("item"),
                        c.get("column"),
                        c["severity"],
                        int(c["count"]),
                        c.get("first_line"),
                    )
                    for c in rec.counts
                ],
            )
            db.executemany(
                "INSERT INTO findings (result_id, fp, code, item, severity, line) VALUES (?, ?, ?, ?, ?, ?)",
                [(result_id, *f) for f in rec.findings],
            )
            db.execute(
                "INSERT INTO run_files (run_id, source_id, path, result_id, status) VALUES (?, ?, ?, ?, ?)",
                (run_id, rec.source_id, rec.path, result_id, status),
            )
            return result_id

    def carry(self, run_id: int, carried: Sequence[tuple[str, str, int]]) -> None:
        """Files unchanged since the previous run: (source_id, path, result_id) joins this run as is."""
        if not carried:
            return
        with self.transaction() as db:
            db.executemany(
                """INSERT INTO run_files (run_id, source_id, path, result_id, status)
                   VALUES (?, ?, ?, ?, 'carried')""",
                [(run_id, s, redact(p), r) for s, p, r in carried],
            )

    def finish_run(self, run_id: int, sources: Sequence[dict[str, Any]], *, ok: bool, exit_code: int) -> None:
        with self.transaction() as db:
            for s in sources:
                db.execute(
                    """INSERT INTO run_sources (run_id, source_id, title, vendor, business, entity, spec,
                         mapping, files, unreadable, rows, errors, warnings, error_rows, readiness, new,
                         fixed, still_failing, new_errors, previous_run_id, ok, thresholds, breaches)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    (
                        run_id,
                        s["id"],
                        s.get("title"),
                        s["vendor"],
                        s["business"],
                        s["entity"],
                        s.get("spec"),
                        s.get("mapping"),
                        s["files_total"],
                        s["unreadable"],
                        s["rows"],
                        s["errors"],
                        s["warnings"],
                        s["error_rows"],
                        s["readiness"],
                        s["new"],
                        s["fixed"],
                        s["still_failing"],
                        s["new_errors"],
                        s.get("previous_run"),
                        int(s["ok"]),
                        json.dumps(s.get("thresholds", {}), ensure_ascii=False),
                        json.dumps(s.get("breaches", []), ensure_ascii=False),
                    ),
                )
            db.execute(
                "UPDATE runs SET status = 'complete', finished_at = ?, ok = ?, exit_code = ? WHERE id = ?",
                (self.clock(), int(ok), exit_code, run_id),
            )

    # -- queries --------------------------------------------------------------------------------

    def run(self, run_id: int) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        return row

    def runs(self, *, suite: str | None = None, limit: int | None = None) -> list[sqlite3.Row]:
        sql = "SELECT * FROM runs"
        args: list[Any] = []
        if suite:
            sql += " WHERE suite = ?"
            args.append(suite)
        sql += " ORDER BY id DESC"
        if limit:
            sql += " LIMIT ?"
            args.append(limit)
        return list(self.db.execute(sql, args))

    def overview(self, *, suite: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Runs, newest first, with their totals (files validated and carried, rows, errors, breaches)."""
        out = []
        for r in self.runs(suite=suite, limit=limit):
            f = self.db.execute(
                """SELECT COUNT(*) AS files,
                          COALESCE(SUM(status = 'carried'), 0) AS carried,
                          COALESCE(SUM(status = 'unreadable'), 0) AS unreadable
                   FROM run_files WHERE run_id = ?""",
                (r["id"],),
            ).fetchone()
            s = self.db.execute(
                """SELECT COUNT(*) AS sources, COALESCE(SUM(rows), 0) AS rows,
                          COALESCE(SUM(errors), 0) AS errors, COALESCE(SUM(warnings), 0) AS warnings,
                          COALESCE(SUM(error_rows), 0) AS error_rows, COALESCE(SUM(new), 0) AS new,
                          COALESCE(SUM(fixed), 0) AS fixed, COALESCE(SUM(1 - ok), 0) AS breached
                   FROM run_sources WHERE run_id = ?""",
                (r["id"],),
            ).fetchone()
            row = {k: r[k] for k in r.keys() if k not in ("options", "pid", "host")}  # noqa: SIM118 - sqlite3.Row iterates values, keys() gives names
            row.update(dict(f))
            row.update(dict(s))
            row["ok"] = None if r["ok"] is None else bool(r["ok"])
            row["readiness"] = (s["rows"] - s["error_rows"]) / s["rows"] if s["rows"] else None
            out.append(row)
        return out

    def resolve_run(self, ref: str, *, suite: str | None = None) -> int:
        """RUN as an id, `latest`, `previous`, or `latest~N` (N complete runs before the latest)."""
        text = ref.strip().lower()
        back = None
        if text in ("latest", "last"):
            back = 0
        elif text in ("previous", "prev"):
            back = 1
        elif text.startswith(("latest~", "last~")) and text.partition("~")[2].isdigit():
            back = int(text.partition("~")[2])
        if back is not None:
            sql = "SELECT id FROM runs WHERE status = 'complete'"
            args: list[Any] = []
            if suite:
                sql += " AND suite = ?"
                args.append(suite)
            sql += " ORDER BY id DESC LIMIT 1 OFFSET ?"
            row = self.db.execute(sql, [*args, back]).fetchone()
            if row is None:
                raise InputError(
                    t("該当する完了済みの実行がありません: {r}", "no complete run matches {r}", r=ref),
                    path=self.path,
                )
            return int(row[0])
        if text.lstrip("#").isdigit():
            run_id = int(text.lstrip("#"))
            if self.run(run_id) is None:
                raise InputError(t("実行 #{r} はありません", "no run #{r}", r=run_id), path=self.path)
            return run_id
        from migrate.errors import UsageError

        raise UsageError(
            t("実行の指定が正しくありません: {r}", "bad run reference: {r}", r=ref),
            hint=t(
                "番号、latest、previous、latest~N のいずれかです",
                "use a number, latest, previous or latest~N",
            ),
        )

    def previous_run_for_source(self, source_id: str, before: int | None = None) -> int | None:
        """The latest complete run (before run `before`) that validated this source."""
        sql = """SELECT MAX(s.run_id) FROM run_sources s JOIN runs r ON r.id = s.run_id
                 WHERE r.status = 'complete' AND s.source_id = ?"""
        args: list[Any] = [source_id]
        if before is not None:
            sql += " AND s.run_id < ?"
            args.append(before)
        row = self.db.execute(sql, args).fetchone()
        return None if row is None or row[0] is None else int(row[0])

    def run_files(self, run_id: int, source_id: str | None = None) -> list[sqlite3.Row]:
        sql = """SELECT f.source_id, f.path, f.status AS file_status, f.result_id, r.*,
                        r.run_id AS produced_by
                 FROM run_files f JOIN results r ON r.id = f.result_id
                 WHERE f.run_id = ?"""
        args: list[Any] = [run_id]
        if source_id is not None:
            sql += " AND f.source_id = ?"
            args.append(source_id)
        return list(self.db.execute(sql + " ORDER BY f.source_id, f.path", args))

    def run_sources(self, run_id: int) -> list[sqlite3.Row]:
        return list(self.db.execute("SELECT * FROM run_sources WHERE run_id = ? ORDER BY rowid", (run_id,)))

    def rule_counts(self, result_id: int) -> list[dict[str, Any]]:
        rows = self.db.execute(
            """SELECT code, item, column_name AS "column", severity, count, first_line FROM rule_counts
               WHERE result_id = ? ORDER BY severity, count DESC, code""",
            (result_id,),
        )
        return [dict(r) for r in rows]

    def keyed_findings(self, run_id: int, source_id: str) -> list[KeyedFinding]:
        rows = self.db.execute(
            """SELECT g.fp, g.code, g.item, g.severity, g.line, f.path
               FROM run_files f JOIN findings g ON g.result_id = f.result_id
               WHERE f.run_id = ? AND f.source_id = ?""",
            (run_id, source_id),
        )
        return [KeyedFinding(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]

    def source_trend(self, source_id: str, *, limit: int = 30, until: int | None = None) -> list[sqlite3.Row]:
        """The source's figures in its last `limit` complete runs (up to run `until`), oldest first."""
        return list(
            self.db.execute(
                """SELECT r.as_of, r.started_at, s.* FROM run_sources s
                   JOIN runs r ON r.id = s.run_id
                   WHERE s.source_id = ? AND r.status = 'complete' AND r.id <= ?
                   ORDER BY r.id DESC LIMIT ?""",
                (source_id, until if until is not None else 2**62, limit),
            )
        )[::-1]


def _private_file(path: Path, *, create: bool) -> None:
    """The database (and the -wal / -shm files SQLite gives the same mode) readable by its owner only:
    it holds file names, messages and pseudonymous finding keys of deliveries (mode 0600)."""
    import os

    if create and not path.exists():
        try:
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
        except FileExistsError:
            pass
        except OSError:
            return  # sqlite3 reports it with its own message
    try:
        if path.is_file() and path.stat().st_mode & 0o077:
            path.chmod(0o600)
    except OSError:
        pass  # not ours to change (read-only copy): reading it is still allowed


def _redacted(rec: ResultRecord) -> ResultRecord:
    """The record with the content rule applied to every text that came from a delivery (path,
    message, column names, skipped items, 外字 notes): a 個人番号 is never stored (migrate.mask)."""
    return replace(
        rec,
        path=redact(rec.path),
        message=redact_opt(rec.message),
        skipped=redact_obj(rec.skipped),
        gaiji=redact_obj(rec.gaiji),
        counts=redact_obj(rec.counts),
    )


def _statements(sql: str) -> list[str]:
    """Split a migration script on `;` at line ends (our migrations contain no `;` inside literals)."""
    return [s.strip() for s in sql.split(";\n") if s.strip().rstrip(";").strip()]
