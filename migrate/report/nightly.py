"""The nightly dashboard: one HTML file and one workbook per run, for the PMO or for one vendor.

Rendered from the run summary's `to_dict()` (migrate.history.summary.NightlyRun): run, totals,
vendors, sources (thresholds, breaches, files, rules new/fixed/still failing, trend) and notes.
The history keeps numbers and keyed findings only, never values, so a dashboard holds no personal
data; messages are still scrubbed of anything shaped like a 個人番号.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from hashlib import sha256
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from migrate.i18n import t
from migrate.report.style import COLOURS, scrub_my_number
from migrate.report.validation import rule_title, severity_label

if TYPE_CHECKING:
    from openpyxl import Workbook

_SUMS = (
    "files",
    "unreadable",
    "rows",
    "errors",
    "warnings",
    "error_rows",
    "new",
    "fixed",
    "still_failing",
    "new_errors",
)


def run_data(run_summary: Any, vendor: str | None = None) -> dict[str, Any]:
    """The summary as data, limited to one vendor when asked (sources, vendors and totals alike)."""
    if vendor is not None and hasattr(run_summary, "for_vendor"):
        run_summary = run_summary.for_vendor(vendor)
    data: dict[str, Any] = dict(run_summary.to_dict() if hasattr(run_summary, "to_dict") else run_summary)
    if vendor is None:
        return data
    sources = [s for s in data.get("sources", []) if s.get("vendor") == vendor]
    if len(sources) != len(data.get("sources", [])) or any(
        v.get("vendor") != vendor for v in data.get("vendors", [])
    ):
        # A plain dict that still holds other vendors: keep this vendor's part only.
        sums = {k: sum(int(s.get(k if k != "files" else "files_total") or 0) for s in sources) for k in _SUMS}
        rows, err = sums["rows"], sums["error_rows"]
        totals: dict[str, Any] = {
            **sums,
            "sources": len(sources),
            "sources_breached": sum(1 for s in sources if not s.get("ok")),
            "readiness": (rows - err) / rows if rows else None,
        }
        data = {
            **data,
            "sources": sources,
            "vendors": [v for v in data.get("vendors", []) if v.get("vendor") == vendor],
            "totals": totals,
            "notes": [],
        }
    return data


def source_status(s: Mapping[str, Any]) -> str:
    """red when a threshold is breached, amber when it holds but errors remain, else green."""
    if not s.get("ok"):
        return "red"
    if s.get("errors") or s.get("unreadable"):
        return "amber"
    return "green"


def source_status_label(status: str) -> str:
    return {
        "red": t("基準未達", "breached"),
        "amber": t("エラー残あり", "errors remain"),
        "green": t("基準達成", "passed"),
    }.get(status, status)


def file_status_label(status: str) -> str:
    return {
        "new": t("新規", "new"),
        "changed": t("更新", "changed"),
        "revalidated": t("再検証", "revalidated"),
        "carried": t("前回結果を継続", "unchanged (carried)"),
        "unreadable": t("読めない", "unreadable"),
    }.get(status, status)


def metric_label(metric: str) -> str:
    return {
        "readiness": t("移行可能率", "readiness"),
        "errors": t("エラー件数", "errors"),
        "warnings": t("警告件数", "warnings"),
        "new_errors": t("新規エラー", "new errors"),
        "complete": t("全検査実行", "all checks ran"),
        "unreadable": t("読めないファイル", "unreadable files"),
        "files": t("ファイル数", "files"),
    }.get(metric, metric)


def _fmt_metric(metric: str, value: Any) -> str:
    if value is None:
        return "-"
    if metric == "readiness" and isinstance(value, int | float):
        return f"{value:.2%}"
    if isinstance(value, bool):
        return t("はい", "yes") if value else t("いいえ", "no")
    return f"{value:,}" if isinstance(value, int) else str(value)


def breach_text(breaches: Sequence[Mapping[str, Any]]) -> str:
    return "; ".join(
        f"{metric_label(str(b.get('metric')))} {_fmt_metric(str(b.get('metric')), b.get('value'))}"
        f" ({t('基準', 'limit')} {_fmt_metric(str(b.get('metric')), b.get('limit'))})"
        for b in breaches
    )


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.2%}"


def title_of(data: Mapping[str, Any], vendor: str | None) -> str:
    run = data.get("run", {})
    name = run.get("title") or run.get("suite") or ""
    title = t("夜間検証ダッシュボード", "Nightly validation dashboard") + (f" — {name}" if name else "")
    return title + (f" — {vendor}" if vendor else "")


def _when(value: Any) -> str:
    """An ISO timestamp as 2026-11-23 09:51 (its own text when it is not one)."""
    if not value:
        return "-"
    try:
        return dt.datetime.fromisoformat(str(value)).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return str(value)


def meta_line(data: Mapping[str, Any]) -> str:
    run = data.get("run", {})
    return t(
        "基準日 {a} · 実行 #{i} ({s} – {f}) · 状態 {st} · migrate {v}",
        "as of {a} · run #{i} ({s} – {f}) · {st} · migrate {v}",
        a=run.get("as_of", "-"),
        i=run.get("id", "-"),
        s=_when(run.get("started_at")),
        f=_when(run.get("finished_at")),
        st=run.get("status", "-"),
        v=run.get("tool_version", "-"),
    )


def sparkline(
    trend: Sequence[Mapping[str, Any]], width: int = 120, height: int = 24
) -> dict[str, Any] | None:
    """Readiness over the last runs as the points of a small inline SVG (None for fewer than two)."""
    points = [p.get("readiness") for p in trend]
    values = [float(v) for v in points if isinstance(v, int | float)]
    if len(values) < 2:
        return None
    lo = min(min(values), 0.9)
    span = max(1e-9, 1.0 - lo)
    step = (width - 4) / (len(values) - 1)
    coords = " ".join(
        f"{2 + i * step:.1f},{2 + (height - 4) * (1 - (v - lo) / span):.1f}" for i, v in enumerate(values)
    )
    colour = COLOURS["green"] if values[-1] >= values[0] else COLOURS["red"]
    return {"width": width, "height": height, "points": coords, "colour": colour}


# ---------------------------------------------------------------------------------------------- HTML

FINDINGS_PER_FILE = 2000  # rows listed in a per-file report (every line is in its table by rule)
LINE_RANGES_SHOWN = 400  # line ranges listed per rule in a per-file report


def _file_view(f: Mapping[str, Any], href: str | None) -> dict[str, Any]:
    return {
        "name": Path(f["path"]).name,
        "href": href,
        "state": file_status_label(f.get("status", "")),
        "rows": f.get("rows", 0),
        "errors": f.get("errors", 0),
        "warnings": f.get("warnings", 0),
        "readiness": f.get("readiness"),
        "complete": f.get("complete"),
        "changes": f"{f.get('new', 0)} / {f.get('fixed', 0)} / {f.get('still_failing', 0)}",
        "message": scrub_my_number(f.get("message")) or "",
    }


def _source_view(s: Mapping[str, Any], links: Mapping[tuple[str, str], str]) -> dict[str, Any]:
    files = [_file_view(f, links.get((s["id"], f["path"]))) for f in s.get("files", [])]
    return {
        "id": s["id"],
        "title": s.get("title") or s["id"],
        "vendor": s.get("vendor"),
        "business_entity": f"{s.get('business')}/{s.get('entity')}",
        "spec": s.get("spec") or f"{s.get('business')}/{s.get('entity')}",
        "mapping": s.get("mapping") or "-",
        "previous_run": s.get("previous_run") or "-",
        "files_total": s.get("files_total", 0),
        "rows": s.get("rows", 0),
        "errors": s.get("errors", 0),
        "readiness": s.get("readiness"),
        "trend": sparkline(s.get("trend", [])),
        "changes": f"{s.get('new', 0)} / {s.get('fixed', 0)} / {s.get('still_failing', 0)}",
        "breaches": breach_text(s.get("breaches", [])),
        "status": source_status(s),
        "files": files,
        "linked": any(f["href"] for f in files),
        "rules": [
            [
                r["code"],
                rule_title(r["code"]),
                r.get("item") or "-",
                severity_label(r.get("severity")),
                r.get("new", 0),
                r.get("fixed", 0),
                r.get("still_failing", 0),
            ]
            for r in s.get("by_rule", [])
        ],
        "removed": ", ".join(Path(p).name for p in s.get("removed_files") or []),
    }


def render_html(
    data: Mapping[str, Any],
    *,
    vendor: str | None = None,
    generated: dt.datetime | None = None,
    links: Mapping[tuple[str, str], str] | None = None,
) -> str:
    """The dashboard as one self-contained HTML document (templates/nightly.html).

    links: (source id, file path) → the relative address of that file's own report.
    """
    from migrate.report.templating import render

    ok = data.get("ok")
    overall = "green" if ok else ("red" if ok is False else "amber")
    overall_label = t("基準を満たす", "thresholds held") if ok else t("基準未達あり", "thresholds breached")
    if ok is None:
        overall_label = t("未完了", "incomplete")
    return render(
        "nightly.html",
        title=title_of(data, vendor),
        generated=generated or dt.datetime.now().replace(microsecond=0),
        overall=overall,
        overall_label=overall_label,
        meta=meta_line(data),
        totals=data.get("totals", {}),
        vendors=[] if vendor else list(data.get("vendors", [])),
        sources=[_source_view(s, links or {}) for s in data.get("sources", [])],
        notes=[scrub_my_number(str(n)) for n in data.get("notes") or []],
        source_status_label=source_status_label,
    )


# ------------------------------------------------------------------------------- per-file reports


def _line_ranges(lines: Sequence[int]) -> str:
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


def file_findings(
    data: Mapping[str, Any], sources: Sequence[Mapping[str, Any]] | None = None
) -> dict[tuple[str, str], list[dict[str, Any]]] | None:
    """Each file's findings of this run from the history: {(source id, path): [finding]}, for the
    files of `sources` (default: every source of data).

    A finding is code, item, severity, line and whether it is new since the source's previous run
    (`change`: new | still | None without a previous run). The history keeps no value, so neither
    does this. None when the run names no history database or it cannot be read (the dashboard is
    then written without per-file reports).
    """
    from migrate.errors import MigrateError
    from migrate.history.compare import diff
    from migrate.history.store import HistoryStore

    run = data.get("run") or {}
    history, run_id = run.get("history"), run.get("id")
    if not history or run_id is None or not Path(str(history)).is_file():
        return None
    try:
        store = HistoryStore.open(str(history), create=False)
    except MigrateError:
        return None
    out: dict[tuple[str, str], list[dict[str, Any]]] = {}
    with store:
        for s in data.get("sources", []) if sources is None else sources:
            previous = s.get("previous_run")
            after = store.keyed_findings(int(run_id), s["id"])
            before = store.keyed_findings(int(previous), s["id"]) if previous is not None else None
            d = diff(before, after)
            new = {f.fp for f in d.new}
            for f in after:
                change = None if not d.baseline else ("new" if f.fp in new else "still")
                out.setdefault((s["id"], f.path), []).append(
                    {"code": f.code, "item": f.item, "severity": f.severity, "line": f.line, "change": change}
                )
    return out


def file_report_names(sources: Sequence[Mapping[str, Any]]) -> dict[tuple[str, str], str]:
    """(source id, path) → `files/<vendor>/<source>-<file stem>.html`, relative to the dashboard.

    Names come from the vendor's and the file's names through vendor_stems (safe characters, unique
    even on case-insensitive disks, a short hash where a name had to change); a 個人番号 in a file
    name was masked when the history stored the path, and is masked again here whatever its source.
    """
    from migrate.mask import redact
    from migrate.nightly.vendors import vendor_stems

    vendors = vendor_stems(str(s.get("vendor")) for s in sources)
    keys = sorted({(str(s["id"]), str(f["path"])) for s in sources for f in s.get("files", [])})
    wanted = {k: redact(f"{k[0]}-{Path(k[1]).stem}") for k in keys}
    folded = Counter(name.casefold() for name in wanted.values())
    for k, name in wanted.items():
        if folded[name.casefold()] > 1:  # the same file name in two folders: keep both
            wanted[k] = f"{name}-{sha256(redact(k[1]).encode()).hexdigest()[:8]}"
    # Paths equal once masked (never two in one history, which keeps them masked): numbered.
    used: set[str] = set()
    for k in keys:
        name, n = wanted[k], 1
        while name.casefold() in used:
            n += 1
            name = f"{wanted[k]}-{n}"
        used.add(name.casefold())
        wanted[k] = name
    stems = vendor_stems(wanted.values())
    vendor_of = {str(s["id"]): vendors[str(s.get("vendor"))] for s in sources}
    return {k: f"files/{redact(vendor_of[k[0]])}/{redact(stems[wanted[k]])}.html" for k in keys}


def render_file_html(
    data: Mapping[str, Any],
    source: Mapping[str, Any],
    file: Mapping[str, Any],
    findings: Sequence[Mapping[str, Any]],
    *,
    back: str,
    generated: dt.datetime | None = None,
) -> str:
    """One file's report: its figures, then every row with a finding, by rule and by line."""
    from migrate.report.templating import render
    from migrate.report.validation import file_status
    from migrate.report.validation import file_status_label as light_label

    run = data.get("run", {})
    columns = {(c.get("code"), c.get("item")): c.get("column") for c in file.get("counts", [])}
    by_rule: dict[tuple[str, str | None, str], list[Mapping[str, Any]]] = {}
    for f in findings:
        by_rule.setdefault((f["code"], f.get("item"), f["severity"]), []).append(f)
    rules = [
        {
            "code": code,
            "title": rule_title(code),
            "item": item or "-",
            "column": columns.get((code, item)) or "-",
            "severity": severity_label(severity),
            "count": len(group),
            "new": sum(1 for f in group if f.get("change") == "new"),
            "lines": _line_ranges([f["line"] for f in group if f.get("line") is not None])
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
            rule_title(f["code"]),
            f.get("item") or "-",
            columns.get((f["code"], f.get("item"))) or "-",
            severity_label(f["severity"]),
            change.get(f.get("change"), ""),
        ]
        for f in ordered[:FINDINGS_PER_FILE]
    ]
    status = file_status(
        SimpleNamespace(
            errors=file.get("errors", 0),
            warnings=file.get("warnings", 0),
            complete=bool(file.get("complete")) and file.get("status") != "unreadable",
        )
    )
    return render(
        "nightly_file.html",
        title=t("不備のある行", "Rows to fix") + f" — {Path(file['path']).name}",
        generated=generated or dt.datetime.now().replace(microsecond=0),
        back=back,
        status=status,
        status_label=light_label(status),
        source=source.get("title") or source["id"],
        vendor=source.get("vendor"),
        spec=file.get("spec") or source.get("spec") or f"{source.get('business')}/{source.get('entity')}",
        mapping=file.get("mapping") or source.get("mapping") or "-",
        run_id=run.get("id", "-"),
        validated_in_run=file.get("validated_in_run", run.get("id", "-")),
        as_of=run.get("as_of", "-"),
        state=file_status_label(file.get("status", "")),
        path=file["path"],
        rows=file.get("rows", 0),
        errors=file.get("errors", 0),
        warnings=file.get("warnings", 0),
        error_rows=file.get("error_rows", 0),
        readiness=file.get("readiness"),
        new=file.get("new", 0),
        fixed=file.get("fixed", 0),
        message=scrub_my_number(file.get("message")) or "",
        rules=rules,
        findings=rows,
        findings_total=len(findings),
    )


# --------------------------------------------------------------------------------------------- Excel


def build_workbook(data: Mapping[str, Any], *, vendor: str | None = None, generated: dt.datetime) -> Workbook:
    from migrate.report.xlsx_common import add_sheet, new_workbook, table, title_block

    wb = new_workbook()
    totals = data.get("totals", {})
    sources = list(data.get("sources", []))
    ws = add_sheet(wb, t("概要", "Summary"))
    start = title_block(
        ws,
        title_of(data, vendor),
        [
            meta_line(data),
            t("作成 {d}", "generated {d}", d=generated.strftime("%Y-%m-%d %H:%M")),
            t(
                "ソース {s} (基準未達 {b}) · ファイル {f} · 移行可能率 {r} · 新たな不備 {n} · 解消 {x}",
                "sources {s} ({b} breached) · files {f} · readiness {r} · new {n} · fixed {x}",
                s=totals.get("sources", 0),
                b=totals.get("sources_breached", 0),
                f=totals.get("files", 0),
                r=_pct(totals.get("readiness")),
                n=totals.get("new", 0),
                x=totals.get("fixed", 0),
            ),
        ],
    )
    table(
        ws,
        [
            t("ソース", "source"),
            t("ベンダー", "vendor"),
            t("業務", "business"),
            t("エンティティ", "entity"),
            t("ファイル", "files"),
            t("読めない", "unreadable"),
            t("行数", "rows"),
            t("エラー", "errors"),
            t("警告", "warnings"),
            t("移行可能率", "readiness"),
            t("新規", "new"),
            t("解消", "fixed"),
            t("継続", "still failing"),
            t("基準未達", "breaches"),
            t("判定", "status"),
        ],
        [
            [
                s.get("title") or s["id"],
                s.get("vendor"),
                s.get("business"),
                s.get("entity"),
                s.get("files_total", 0),
                s.get("unreadable", 0),
                s.get("rows", 0),
                s.get("errors", 0),
                s.get("warnings", 0),
                s.get("readiness"),
                s.get("new", 0),
                s.get("fixed", 0),
                s.get("still_failing", 0),
                breach_text(s.get("breaches", [])),
                source_status(s),
            ]
            for s in sources
        ],
        start_row=start,
        freeze_columns=1,
        number_formats={6: "#,##0", 7: "#,##0", 8: "#,##0", 9: "0.00%"},
        status_column=14,
        status_text=source_status_label,
    )
    if not vendor:
        ws = add_sheet(wb, t("ベンダー別", "By vendor"))
        table(
            ws,
            [
                t("ベンダー", "vendor"),
                t("ソース", "sources"),
                t("基準未達", "breached"),
                t("ファイル", "files"),
                t("行数", "rows"),
                t("エラー", "errors"),
                t("警告", "warnings"),
                t("移行可能率", "readiness"),
                t("新規", "new"),
                t("解消", "fixed"),
                t("継続", "still failing"),
                t("判定", "status"),
            ],
            [
                [
                    v.get("vendor"),
                    v.get("sources", 0),
                    v.get("sources_breached", 0),
                    v.get("files", 0),
                    v.get("rows", 0),
                    v.get("errors", 0),
                    v.get("warnings", 0),
                    v.get("readiness"),
                    v.get("new", 0),
                    v.get("fixed", 0),
                    v.get("still_failing", 0),
                    "green" if v.get("ok") else "red",
                ]
                for v in data.get("vendors", [])
            ],
            freeze_columns=1,
            number_formats={4: "#,##0", 5: "#,##0", 6: "#,##0", 7: "0.00%"},
            status_column=11,
            status_text=source_status_label,
        )
    ws = add_sheet(wb, t("ファイル", "Files"))
    table(
        ws,
        [
            t("ソース", "source"),
            t("ファイル", "file"),
            t("状態", "state"),
            t("行数", "rows"),
            t("エラー", "errors"),
            t("警告", "warnings"),
            t("エラー行", "rows with errors"),
            t("移行可能率", "readiness"),
            t("全検査実行", "complete"),
            t("新規", "new"),
            t("解消", "fixed"),
            t("継続", "still failing"),
            t("文字コード", "encoding"),
            t("仕様", "spec"),
            t("マッピング", "mapping"),
            t("メッセージ", "message"),
            t("パス", "path"),
        ],
        [
            [
                s["id"],
                Path(f["path"]).name,
                file_status_label(f.get("status", "")),
                f.get("rows", 0),
                f.get("errors", 0),
                f.get("warnings", 0),
                f.get("error_rows", 0),
                f.get("readiness"),
                t("はい", "yes") if f.get("complete") else t("いいえ", "no"),
                f.get("new", 0),
                f.get("fixed", 0),
                f.get("still_failing", 0),
                f.get("encoding"),
                f.get("spec"),
                f.get("mapping"),
                scrub_my_number(f.get("message")),
                f["path"],
            ]
            for s in sources
            for f in s.get("files", [])
        ],
        freeze_columns=2,
        number_formats={3: "#,##0", 4: "#,##0", 5: "#,##0", 6: "#,##0", 7: "0.00%"},
    )
    ws = add_sheet(wb, t("規則別", "By rule"))
    table(
        ws,
        [
            t("ソース", "source"),
            t("規則", "rule"),
            t("内容", "meaning"),
            t("項目", "item"),
            t("重大度", "severity"),
            t("新規", "new"),
            t("解消", "fixed"),
            t("継続", "still failing"),
        ],
        [
            [
                s["id"],
                r["code"],
                rule_title(r["code"]),
                r.get("item"),
                severity_label(r.get("severity")),
                r.get("new", 0),
                r.get("fixed", 0),
                r.get("still_failing", 0),
            ]
            for s in sources
            for r in s.get("by_rule", [])
        ],
        freeze_columns=2,
    )
    ws = add_sheet(wb, t("推移", "Trend"))
    table(
        ws,
        [
            t("ソース", "source"),
            t("実行", "run"),
            t("基準日", "as of"),
            t("移行可能率", "readiness"),
            t("行数", "rows"),
            t("エラー", "errors"),
            t("警告", "warnings"),
            t("新規", "new"),
            t("解消", "fixed"),
            t("基準達成", "ok"),
        ],
        [
            [
                s["id"],
                p.get("run_id"),
                p.get("as_of"),
                p.get("readiness"),
                p.get("rows"),
                p.get("errors"),
                p.get("warnings"),
                p.get("new"),
                p.get("fixed"),
                t("はい", "yes") if p.get("ok") else t("いいえ", "no"),
            ]
            for s in sources
            for p in s.get("trend", [])
        ],
        freeze_columns=2,
        number_formats={3: "0.00%", 4: "#,##0", 5: "#,##0", 6: "#,##0"},
    )
    ws = add_sheet(wb, t("外字", "Gaiji"))
    table(
        ws,
        [
            t("ソース", "source"),
            t("ファイル", "file"),
            t("コードポイント", "code point"),
            "CP932",
            t("件数", "count"),
            t("項目", "items"),
        ],
        [
            [
                s["id"],
                Path(f["path"]).name,
                g.get("codepoint"),
                g.get("cp932"),
                g.get("count"),
                g.get("items"),
            ]
            for s in sources
            for f in s.get("files", [])
            for g in f.get("gaiji", [])
        ],
        freeze_columns=2,
    )
    return wb


def write_dashboard(
    run_summary: Any,
    out_dir: str | Path,
    *,
    vendor: str | None = None,
    per_vendor: bool = False,
    generated: dt.datetime | None = None,
) -> list[Path]:
    """Write dashboard.html and dashboard.xlsx into out_dir and return their paths.

    run_summary: a NightlyRun (or its `to_dict()`). vendor: only that vendor's sources (files are
    named dashboard-<vendor>.*). per_vendor: also write one vendor-scoped pair per vendor.

    Beside them, when the run's history database can be read, one report per file with the rows
    to fix (files/<vendor>/<source>-<file>.html, see file_report_names), linked from the file
    tables: a vendor's folder holds its own files only, so it can go to the vendor with its
    dashboard. Only the dashboards are returned.
    """
    from migrate.report.html import write_html
    from migrate.xlsx import write_workbook_atomically

    when = generated or dt.datetime.now().replace(microsecond=0)
    out = Path(out_dir)
    full = run_data(run_summary)
    scopes: list[str | None] = [vendor]
    if per_vendor and vendor is None:
        scopes += sorted({str(v.get("vendor")) for v in full.get("vendors", [])})
    from migrate.nightly.vendors import vendor_stems

    # the same unique stems as the nightly's per-vendor output: two vendors never share a file
    stems = vendor_stems(s for s in scopes if s)
    shown = run_data(run_summary, vendor) if vendor is not None else full
    links = write_file_reports(full, out, sources=shown.get("sources", []), dashboard=stems, generated=when)
    paths: list[Path] = []
    for scope in scopes:
        data = run_data(run_summary, scope)
        stem = "dashboard" + (f"-{stems[scope]}" if scope else "")
        paths.append(
            write_html(out / f"{stem}.html", render_html(data, vendor=scope, generated=when, links=links))
        )
        paths.append(
            write_workbook_atomically(
                build_workbook(data, vendor=scope, generated=when), out / f"{stem}.xlsx"
            )
        )
    return paths


def write_file_reports(
    data: Mapping[str, Any],
    out_dir: str | Path,
    *,
    sources: Sequence[Mapping[str, Any]] | None = None,
    dashboard: Mapping[str, str] | None = None,
    generated: dt.datetime | None = None,
) -> dict[tuple[str, str], str]:
    """One report per file of `sources` (default: every source of data) with its rows to fix.

    Returns (source id, path) → the report's address relative to out_dir ({} when the history
    cannot be read). dashboard: vendor → the stem of that vendor's dashboard, which the reports
    link back to (else dashboard.html).
    """
    from migrate.report.html import write_html

    chosen = list(data.get("sources", []) if sources is None else sources)
    found = file_findings(data, chosen)
    if found is None:
        return {}
    names = file_report_names(list(data.get("sources", [])))
    out = Path(out_dir)
    links: dict[tuple[str, str], str] = {}
    for s in chosen:
        stem = (dashboard or {}).get(str(s.get("vendor")))
        back = "../../" + (f"dashboard-{stem}" if stem else "dashboard") + ".html"
        for f in s.get("files", []):
            key = (str(s["id"]), str(f["path"]))
            html = render_file_html(data, s, f, found.get(key, []), back=back, generated=generated)
            write_html(out / names[key], html)
            links[key] = names[key]
    return links
