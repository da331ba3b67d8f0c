"""Milestone gates read their values from the run history (satisfies migrate.plan.gates.GateSource).

A metric key names a scope and a metric, in either of two spellings:
  `SCOPE.METRIC`   the plan's form (lower-case ASCII): `juki.readiness`, `juki.jumin.errors`,
                   `juki-jumin-a.readiness` (a source id), `all.new_errors`
  `METRIC:SCOPE`   `readiness:juki/jumin`, `errors:juki-jumin-a`, `readiness:vendor=ベンダーA`, `ok:all`
SCOPE is a source id, a business, BUSINESS/ENTITY (or BUSINESS.ENTITY), `vendor=NAME`, or `all`.
Each source in scope contributes its latest complete run (on or before `as_of`), so a run of only
some sources does not hide the others. Metrics: readiness (a ratio 0–1, the unit of the
validation result and the suites' min_readiness: "readiness ≥ 0.999" is 99.9 %), errors, warnings, rows, error_rows, files, unreadable, new, fixed,
still_failing, new_errors (sums), breached (sources breaching their thresholds), ok (1 or 0).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

from migrate.history.store import HistoryStore

SUMS = (
    "errors",
    "warnings",
    "rows",
    "error_rows",
    "unreadable",
    "new",
    "fixed",
    "still_failing",
    "new_errors",
)
METRICS = ("readiness", "files", "breached", "ok", *SUMS)


def parse_metric_key(key: str) -> tuple[str, str] | None:
    """(metric, scope) or None when the key names no known metric."""
    if ":" in key:
        metric, _, scope = key.partition(":")
    else:
        scope, _, metric = key.rpartition(".")
    metric = metric.strip()
    if metric not in METRICS:
        return None
    return metric, (scope.strip() or "all")


class HistoryGateSource:
    """`latest(metric_key) -> float | None` over a history database; None when never measured."""

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        store: HistoryStore | None = None,
        suite: str | None = None,
        as_of: dt.date | None = None,
    ) -> None:
        self._own = store is None
        self.store = store
        if store is None and path is not None and Path(path).exists():
            self.store = HistoryStore.open(path, create=False)
        self.suite = suite
        self.as_of = as_of

    def close(self) -> None:
        if self._own and self.store is not None:
            self.store.close()
            self.store = None

    def __enter__(self) -> HistoryGateSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _latest_rows(self) -> list[sqlite3.Row]:
        """Each source's row in its latest complete run (within suite and as_of)."""
        assert self.store is not None
        where = ["r.status = 'complete'"]
        args: list[Any] = []
        if self.suite:
            where.append("r.suite = ?")
            args.append(self.suite)
        if self.as_of:
            where.append("r.as_of <= ?")
            args.append(self.as_of.isoformat())
        cond = " AND ".join(where)
        sql = f"""SELECT s.*, r.as_of AS run_as_of FROM run_sources s JOIN runs r ON r.id = s.run_id
                  WHERE {cond} AND s.run_id = (
                      SELECT MAX(s2.run_id) FROM run_sources s2 JOIN runs r ON r.id = s2.run_id
                      WHERE {cond} AND s2.source_id = s.source_id)"""
        return list(self.store.db.execute(sql, [*args, *args]))

    @staticmethod
    def _in_scope(row: sqlite3.Row, scope: str, rows: list[sqlite3.Row]) -> bool:
        if scope in ("all", "*"):
            return True
        if scope.startswith("vendor="):
            return bool(row["vendor"] == scope.partition("=")[2])
        if any(r["source_id"] == scope for r in rows):
            return bool(row["source_id"] == scope)
        business, sep, entity = scope.replace(".", "/", 1).partition("/")
        if row["business"] != business.split("@")[0]:
            return False
        return not sep or row["entity"] == entity

    def measured(self, metric_key: str) -> dict[str, Any] | None:
        """The value with what it rests on (sources and runs), or None when never measured."""
        parsed = parse_metric_key(metric_key)
        if parsed is None or self.store is None:
            return None
        metric, scope = parsed
        latest = self._latest_rows()
        rows = [r for r in latest if self._in_scope(r, scope, latest)]
        if not rows:
            return None
        value: float | None
        if metric == "readiness":
            total = sum(r["rows"] for r in rows)
            value = None if total == 0 else (total - sum(r["error_rows"] for r in rows)) / total
        elif metric == "files":
            value = float(sum(r["files"] for r in rows))
        elif metric == "breached":
            value = float(sum(1 for r in rows if not r["ok"]))
        elif metric == "ok":
            value = 1.0 if all(r["ok"] for r in rows) else 0.0
        else:
            value = float(sum(r[metric] for r in rows))
        if value is None:
            return None
        return {
            "metric": metric,
            "scope": scope,
            "value": value,
            "sources": sorted(r["source_id"] for r in rows),
            "runs": sorted({r["run_id"] for r in rows}),
            "measured_at": min(r["run_as_of"] for r in rows),  # the oldest run it rests on (staleness)
        }

    def latest(self, metric_key: str) -> float | None:
        found = self.measured(metric_key)
        return None if found is None else float(found["value"])
