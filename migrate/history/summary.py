"""The summary of one run as plain data (NightlyRun): what the text, JSON, JUnit and dashboard show.

Built from the history database only, so `migrate nightly` and `migrate history show` print the
same thing. Readiness is a ratio (0–1) here, as in validation results; gates speak in percent.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from migrate.history.compare import diff_source
from migrate.history.store import HistoryStore


@dataclass
class FileSummary:
    path: str
    status: str  # new | changed | revalidated | carried | unreadable
    sha256: str | None
    size: int | None
    rows: int
    errors: int
    warnings: int
    error_rows: int
    readiness: float | None
    complete: bool
    duration_s: float | None
    encoding: str | None
    spec: str | None
    mapping: str | None
    tool_version: str
    message: str | None
    validated_in_run: int  # the run whose validation this is (earlier than this run when carried)
    new: int = 0
    fixed: int = 0
    still_failing: int = 0
    counts: list[dict[str, Any]] = field(
        default_factory=list
    )  # code, item, column, severity, count, first_line
    gaiji: list[dict[str, Any]] = field(default_factory=list)  # codepoint, cp932, count, items
    skipped: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class SourceSummary:
    id: str
    title: str | None
    vendor: str
    business: str
    entity: str
    spec: str | None
    mapping: str | None
    previous_run: int | None
    files_total: int
    unreadable: int
    rows: int
    errors: int
    warnings: int
    error_rows: int
    readiness: float | None
    new: int
    fixed: int
    still_failing: int
    new_errors: int
    ok: bool
    thresholds: dict[str, Any] = field(default_factory=dict)
    breaches: list[dict[str, Any]] = field(default_factory=list)  # metric, value, limit
    files: list[FileSummary] = field(default_factory=list)
    removed_files: list[str] = field(default_factory=list)
    by_rule: list[dict[str, Any]] = field(
        default_factory=list
    )  # code, item, severity, new, fixed, still_failing
    trend: list[dict[str, Any]] = field(default_factory=list)  # run_id, as_of, readiness, errors, ...


@dataclass
class NightlyRun:
    """One nightly run, ready to render; `to_dict()` is the JSON a dashboard renderer reads."""

    run_id: int
    suite: str
    title: str | None
    municipality: str | None
    as_of: str
    started_at: str
    finished_at: str | None
    status: str  # running | complete | incomplete
    tool_version: str
    options: dict[str, Any]
    ok: bool | None
    exit_code: int | None
    note: str | None
    history: str
    sources: list[SourceSummary] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. an earlier killed run cleaned up

    @property
    def totals(self) -> dict[str, Any]:
        files = [f for s in self.sources for f in s.files]
        rows = sum(s.rows for s in self.sources)
        error_rows = sum(s.error_rows for s in self.sources)
        return {
            "sources": len(self.sources),
            "sources_breached": sum(1 for s in self.sources if not s.ok),
            "files": len(files),
            "validated": sum(1 for f in files if f.status in ("new", "changed", "revalidated")),
            "carried": sum(1 for f in files if f.status == "carried"),
            "unreadable": sum(1 for f in files if f.status == "unreadable"),
            "rows": rows,
            "errors": sum(s.errors for s in self.sources),
            "warnings": sum(s.warnings for s in self.sources),
            "error_rows": error_rows,
            "readiness": (rows - error_rows) / rows if rows else None,
            "new": sum(s.new for s in self.sources),
            "fixed": sum(s.fixed for s in self.sources),
            "still_failing": sum(s.still_failing for s in self.sources),
            "new_errors": sum(s.new_errors for s in self.sources),
        }

    @property
    def vendors(self) -> list[dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for s in self.sources:
            v = out.setdefault(
                s.vendor,
                {
                    "vendor": s.vendor,
                    "sources": 0,
                    "sources_breached": 0,
                    "files": 0,
                    "unreadable": 0,
                    "rows": 0,
                    "errors": 0,
                    "warnings": 0,
                    "error_rows": 0,
                    "new": 0,
                    "fixed": 0,
                    "still_failing": 0,
                },
            )
            v["sources"] += 1
            v["sources_breached"] += 0 if s.ok else 1
            v["files"] += s.files_total
            for k in (
                "unreadable",
                "rows",
                "errors",
                "warnings",
                "error_rows",
                "new",
                "fixed",
                "still_failing",
            ):
                v[k] += getattr(s, k)
        for v in out.values():
            v["readiness"] = (v["rows"] - v["error_rows"]) / v["rows"] if v["rows"] else None
            v["ok"] = v["sources_breached"] == 0
        return sorted(out.values(), key=lambda v: v["vendor"])

    def for_vendor(self, vendor: str) -> NightlyRun:
        """Only this vendor's sources: what a vendor may be shown."""
        return replace(self, sources=[s for s in self.sources if s.vendor == vendor], notes=[])

    def to_dict(self) -> dict[str, Any]:
        return {
            "run": {
                "id": self.run_id,
                "suite": self.suite,
                "title": self.title,
                "municipality": self.municipality,
                "as_of": self.as_of,
                "started_at": self.started_at,
                "finished_at": self.finished_at,
                "status": self.status,
                "tool_version": self.tool_version,
                "options": self.options,
                "history": self.history,
                "note": self.note,
            },
            "ok": self.ok,
            "exit_code": self.exit_code,
            "totals": self.totals,
            "vendors": self.vendors,
            "sources": [asdict(s) for s in self.sources],
            "notes": self.notes,
        }


def _source_meta(store: HistoryStore, run_id: int) -> list[dict[str, Any]]:
    rows = store.run_sources(run_id)
    if rows:
        return [dict(r) for r in rows]
    # A run that did not complete has no per-source summary: show its files only.
    ids = sorted({r["source_id"] for r in store.run_files(run_id)})
    return [{"source_id": sid, "vendor": "?", "business": "?", "entity": "?"} for sid in ids]


def load_run_summary(
    store: HistoryStore, run_id: int, *, trend_limit: int = 14, sources: Iterable[str] | None = None
) -> NightlyRun:
    run = store.run(run_id)
    if run is None:
        raise KeyError(run_id)
    wanted = set(sources) if sources is not None else None
    out = NightlyRun(
        run_id=run_id,
        suite=run["suite"],
        title=run["title"],
        municipality=run["municipality"],
        as_of=run["as_of"],
        started_at=run["started_at"],
        finished_at=run["finished_at"],
        status=run["status"],
        tool_version=run["tool_version"],
        options=json.loads(run["options"] or "{}"),
        ok=None if run["ok"] is None else bool(run["ok"]),
        exit_code=run["exit_code"],
        note=run["note"],
        history=str(store.path),
    )
    for meta in _source_meta(store, run_id):
        sid = meta["source_id"]
        if wanted is not None and sid not in wanted:
            continue
        previous = meta.get("previous_run_id")
        if "previous_run_id" not in meta:
            previous = store.previous_run_for_source(sid, before=run_id)
        d = diff_source(store, sid, run_id, previous)
        per_file = d.by_file()
        files = []
        for r in store.run_files(run_id, sid):
            counts = per_file.get(r["path"], {})
            files.append(
                FileSummary(
                    path=r["path"],
                    status=r["file_status"],
                    sha256=r["sha256"],
                    size=r["size"],
                    rows=r["rows"],
                    errors=r["errors"],
                    warnings=r["warnings"],
                    error_rows=r["error_rows"],
                    readiness=r["readiness"],
                    complete=bool(r["complete"]),
                    duration_s=r["duration_s"],
                    encoding=r["encoding"],
                    spec=r["spec"],
                    mapping=r["mapping"],
                    tool_version=r["tool_version"],
                    message=r["message"],
                    validated_in_run=r["produced_by"],
                    new=counts.get("new", 0),
                    fixed=counts.get("fixed", 0),
                    still_failing=counts.get("still_failing", 0),
                    counts=store.rule_counts(r["result_id"]),
                    gaiji=json.loads(r["gaiji"] or "[]"),
                    skipped=json.loads(r["skipped"] or "[]"),
                )
            )
        current_paths = {f.path for f in files}
        removed = (
            sorted({r["path"] for r in store.run_files(previous, sid)} - current_paths)
            if previous is not None
            else []
        )
        rows = sum(f.rows for f in files)
        error_rows = sum(f.error_rows for f in files)
        trend = [
            {
                "run_id": tr["run_id"],
                "as_of": tr["as_of"],
                "readiness": tr["readiness"],
                "rows": tr["rows"],
                "errors": tr["errors"],
                "warnings": tr["warnings"],
                "new": tr["new"],
                "fixed": tr["fixed"],
                "ok": bool(tr["ok"]),
            }
            for tr in store.source_trend(sid, limit=trend_limit, until=run_id)
        ]
        out.sources.append(
            SourceSummary(
                id=sid,
                title=meta.get("title"),
                vendor=meta["vendor"],
                business=meta["business"],
                entity=meta["entity"],
                spec=meta.get("spec"),
                mapping=meta.get("mapping"),
                previous_run=previous,
                files_total=len(files),
                unreadable=sum(1 for f in files if f.status == "unreadable"),
                rows=rows,
                errors=sum(f.errors for f in files),
                warnings=sum(f.warnings for f in files),
                error_rows=error_rows,
                readiness=(rows - error_rows) / rows if rows else None,
                new=len(d.new),
                fixed=len(d.fixed),
                still_failing=len(d.still),
                new_errors=d.new_errors,
                ok=bool(meta.get("ok", False)),
                thresholds=json.loads(meta.get("thresholds") or "{}"),
                breaches=json.loads(meta.get("breaches") or "[]"),
                files=files,
                removed_files=removed,
                by_rule=d.by_rule(),
                trend=trend,
            )
        )
    return out
