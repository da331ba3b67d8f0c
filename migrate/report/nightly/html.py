"""The nightly dashboard (templates/nightly.html) and each file's own report (nightly_file.html)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from migrate.findings import severity_label, title_of
from migrate.i18n import t
from migrate.report.format import now
from migrate.report.labels import light_label, source_status_label
from migrate.report.nightly.view import DashboardView, FileRow, SourceView
from migrate.report.validation.view import light

FINDINGS_PER_FILE = 2000  # rows listed in a per-file report (every line is in its table by rule)
LINE_RANGES_SHOWN = 400  # line ranges listed per rule in a per-file report


def _rule_rows(s: SourceView) -> list[list[object]]:
    return [
        [r.code, r.title, r.item or "-", r.severity_label, r.new, r.fixed, r.still_failing] for r in s.rules
    ]


def render_html(view: DashboardView) -> str:
    from migrate.report.templating import render

    return render(
        "nightly.html",
        title=view.title,
        generated=view.generated,
        overall=view.overall,
        overall_label=view.overall_label,
        meta=view.meta,
        totals=view.totals,
        vendors=view.vendors,
        sources=view.sources,
        notes=view.notes,
        source_status_label=source_status_label,
        rule_rows=_rule_rows,
    )


def line_ranges(lines: Sequence[int]) -> str:
    """5, 7–9, 12 (at most LINE_RANGES_SHOWN ranges, then how many lines are left)."""
    ranges: list[tuple[int, int]] = []
    for n in sorted(set(lines)):
        if ranges and n == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], n)
        else:
            ranges.append((n, n))
    shown = [f"{a}" if a == b else f"{a}–{b}" for a, b in ranges[:LINE_RANGES_SHOWN]]
    rest = sum(b - a + 1 for a, b in ranges[LINE_RANGES_SHOWN:])
    if rest:
        shown.append(t("他 {n:,} 行", "{n:,} more lines", n=rest))
    return ", ".join(shown)


def render_file_html(
    run: Mapping[str, Any],
    source: SourceView,
    file: FileRow,
    findings: Sequence[Mapping[str, Any]],
    *,
    back: str,
    generated: dt.datetime | None = None,
) -> str:
    """One file's report: its figures, then every row with a finding, by rule and by line.

    findings: code, item, severity, line and change (new | still | None) of each (migrate.report.
    nightly.files.file_findings); the history keeps no value, so neither does this.
    """
    from migrate.report.templating import render

    columns = file.columns
    by_rule: dict[tuple[str, str | None, str], list[Mapping[str, Any]]] = {}
    for f in findings:
        by_rule.setdefault((f["code"], f.get("item"), f["severity"]), []).append(f)
    rules = [
        {
            "code": code,
            "title": title_of(code),
            "item": item or "-",
            "column": columns.get((code, item)) or "-",
            "severity": severity_label(severity),
            "count": len(group),
            "new": sum(1 for f in group if f.get("change") == "new"),
            "lines": line_ranges([f["line"] for f in group if f.get("line") is not None])
            or t("(ファイル全体)", "(whole file)"),
        }
        for (code, item, severity), group in sorted(
            by_rule.items(), key=lambda kv: (kv[0][2] != "error", -len(kv[1]), kv[0][0], kv[0][1] or "")
        )
    ]
    change = {"new": t("新規", "new"), "still": t("継続", "still failing"), None: ""}
    ordered = sorted(findings, key=lambda f: (f.get("line") or 0, f.get("item") or "", f["code"]))
    rows = [
        [
            f.get("line") if f.get("line") is not None else "-",
            f["code"],
            title_of(f["code"]),
            f.get("item") or "-",
            columns.get((f["code"], f.get("item"))) or "-",
            severity_label(f["severity"]),
            change.get(f.get("change"), ""),
        ]
        for f in ordered[:FINDINGS_PER_FILE]
    ]
    status = light(file.errors, file.warnings, bool(file.complete) and file.status != "unreadable")
    run_id = run.get("id", "-")
    return render(
        "nightly_file.html",
        title=t("不備のある行", "Rows to fix") + f" — {file.name}",
        generated=generated or now(),
        back=back,
        status=status,
        status_label=light_label(status),
        source=source.title,
        vendor=source.vendor,
        spec=file.spec or source.spec,
        mapping=file.mapping or source.mapping,
        run_id=run_id,
        validated_in_run=run_id if file.validated_in_run is None else file.validated_in_run,
        as_of=run.get("as_of", "-"),
        state=file.state,
        path=file.path,
        rows=file.rows,
        errors=file.errors,
        warnings=file.warnings,
        error_rows=file.error_rows,
        readiness=file.readiness,
        new=file.new,
        fixed=file.fixed,
        message=file.message,
        rules=rules,
        findings=rows,
        findings_total=len(findings),
    )
