"""New, fixed and still-failing findings between two runs, by finding fingerprint (key + item + rule)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from migrate.history.store import HistoryStore, KeyedFinding


@dataclass
class Diff:
    """Findings of the later run that the earlier lacked (new), the reverse (fixed), and both (still)."""

    new: list[KeyedFinding]
    fixed: list[KeyedFinding]
    still: list[KeyedFinding]
    baseline: bool = True  # False when there was no earlier run: everything is new

    @property
    def new_errors(self) -> int:
        return sum(1 for f in self.new if f.severity == "error")

    def totals(self) -> dict[str, int]:
        return {"new": len(self.new), "fixed": len(self.fixed), "still_failing": len(self.still)}

    def by_file(self) -> dict[str, dict[str, int]]:
        """New and still-failing count against the later file, fixed against the earlier one."""
        out: dict[str, dict[str, int]] = {}
        for name, group in (("new", self.new), ("fixed", self.fixed), ("still_failing", self.still)):
            for path, n in Counter(f.path for f in group).items():
                out.setdefault(path, {"new": 0, "fixed": 0, "still_failing": 0})[name] = n
        return out

    def by_rule(self) -> list[dict[str, Any]]:
        rows: dict[tuple[str, str | None, str], dict[str, Any]] = {}
        for name, group in (("new", self.new), ("fixed", self.fixed), ("still_failing", self.still)):
            for (code, item, severity), n in Counter((f.code, f.item, f.severity) for f in group).items():
                row = rows.setdefault(
                    (code, item, severity),
                    {
                        "code": code,
                        "item": item,
                        "severity": severity,
                        "new": 0,
                        "fixed": 0,
                        "still_failing": 0,
                    },
                )
                row[name] = n
        return sorted(
            rows.values(),
            key=lambda r: (
                r["severity"] != "error",
                -(r["new"] + r["still_failing"]),
                r["code"],
                r["item"] or "",
            ),
        )


def diff(before: Sequence[KeyedFinding] | None, after: Sequence[KeyedFinding]) -> Diff:
    if before is None:
        return Diff(new=list(after), fixed=[], still=[], baseline=False)
    before_fps = {f.fp for f in before}
    after_fps = {f.fp for f in after}
    return Diff(
        new=[f for f in after if f.fp not in before_fps],
        fixed=[f for f in before if f.fp not in after_fps],
        still=[f for f in after if f.fp in before_fps],
    )


def diff_source(store: HistoryStore, source_id: str, run_id: int, previous: int | None) -> Diff:
    after = store.keyed_findings(run_id, source_id)
    before = store.keyed_findings(previous, source_id) if previous is not None else None
    return diff(before, after)


def compare_runs(
    store: HistoryStore, run_a: int, run_b: int, *, sources: Iterable[str] | None = None
) -> dict[str, Any]:
    """Per source of either run: totals, per file and per rule, of what changed from run_a to run_b."""
    ids_a = {r["source_id"] for r in store.run_sources(run_a)} | {
        r["source_id"] for r in store.run_files(run_a)
    }
    ids_b = {r["source_id"] for r in store.run_sources(run_b)} | {
        r["source_id"] for r in store.run_files(run_b)
    }
    wanted = set(sources) if sources is not None else None
    out = []
    for sid in sorted(ids_a | ids_b):
        if wanted is not None and sid not in wanted:
            continue
        before = store.keyed_findings(run_a, sid) if sid in ids_a else None
        after = store.keyed_findings(run_b, sid) if sid in ids_b else []
        d = diff(before, after)
        files_a = {r["path"]: r for r in store.run_files(run_a, sid)}
        files_b = {r["path"]: r for r in store.run_files(run_b, sid)}
        per_file = d.by_file()
        files = []
        for path in sorted(set(files_a) | set(files_b)):
            a, b = files_a.get(path), files_b.get(path)
            files.append(
                {
                    "path": path,
                    "in": "both" if a and b else ("before" if a else "after"),
                    "same_content": bool(a and b and a["sha256"] == b["sha256"]),
                    "errors_before": a["errors"] if a else None,
                    "errors_after": b["errors"] if b else None,
                    "readiness_before": a["readiness"] if a else None,
                    "readiness_after": b["readiness"] if b else None,
                    **per_file.get(path, {"new": 0, "fixed": 0, "still_failing": 0}),
                }
            )
        out.append(
            {
                "source": sid,
                "in": "both" if sid in ids_a and sid in ids_b else ("before" if sid in ids_a else "after"),
                **d.totals(),
                "new_errors": d.new_errors,
                "files": files,
                "by_rule": d.by_rule(),
            }
        )
    return {
        "before": run_a,
        "after": run_b,
        "totals": {k: sum(s[k] for s in out) for k in ("new", "fixed", "still_failing", "new_errors")},
        "sources": out,
    }
