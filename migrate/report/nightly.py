"""The nightly dashboard: one HTML file and one workbook per run, for the PMO or for one vendor.

Rendered from the run summary's `to_dict()` (migrate.history.summary.NightlyRun): run, totals,
vendors, sources (thresholds, breaches, files, rules new/fixed/still failing, trend) and notes.
The history keeps numbers and keyed findings only, never values, so a dashboard holds no personal
data; messages are still scrubbed of anything shaped like a 個人番号.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migrate.i18n import get_lang, t
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


def sparkline(trend: Sequence[Mapping[str, Any]], width: int = 120, height: int = 24) -> str:
    """Readiness over the last runs as a small inline SVG (empty when fewer than two points)."""
    points = [p.get("readiness") for p in trend]
    values = [float(v) for v in points if isinstance(v, int | float)]
    if len(values) < 2:
        return ""
    lo = min(min(values), 0.9)
    span = max(1e-9, 1.0 - lo)
    step = (width - 4) / (len(values) - 1)
    coords = " ".join(
        f"{2 + i * step:.1f},{2 + (height - 4) * (1 - (v - lo) / span):.1f}" for i, v in enumerate(values)
    )
    colour = COLOURS["green"] if values[-1] >= values[0] else COLOURS["red"]
    return (
        f'<svg width="{width}" height="{height}" role="img" aria-label="trend">'
        f'<polyline points="{coords}" fill="none" stroke="#{colour}" stroke-width="1.5"/></svg>'
    )


# ---------------------------------------------------------------------------------------------- HTML


def render_html(
    data: Mapping[str, Any], *, vendor: str | None = None, generated: dt.datetime | None = None
) -> str:
    from migrate.report.html import badge, esc, page, table

    when = generated or dt.datetime.now().replace(microsecond=0)
    title = title_of(data, vendor)
    totals = data.get("totals", {})
    sources = list(data.get("sources", []))
    ok = data.get("ok")
    overall = "green" if ok else ("red" if ok is False else "amber")
    overall_label = t("基準を満たす", "thresholds held") if ok else t("基準未達あり", "thresholds breached")
    if ok is None:
        overall_label = t("未完了", "incomplete")
    body = [
        f"<h1>{esc(title)} {badge(overall, overall_label)}</h1>",
        f'<p class="meta">{esc(meta_line(data))}</p>',
        '<div class="cards">'
        + "".join(
            f'<div class="card{cls}"><div class="n">{esc(value)}</div>{esc(label)}</div>'
            for cls, value, label in (
                (" red", totals.get("sources_breached", 0), t("基準未達のソース", "sources breached")),
                ("", totals.get("sources", 0), t("ソース", "sources")),
                ("", totals.get("files", 0), t("ファイル", "files")),
                ("", _pct(totals.get("readiness")), t("移行可能率", "readiness")),
                ("", f"{totals.get('errors', 0):,}", t("エラー", "errors")),
                (" red", f"{totals.get('new', 0):,}", t("新たな不備", "new findings")),
                (" green", f"{totals.get('fixed', 0):,}", t("解消した不備", "fixed findings")),
            )
        )
        + "</div>",
    ]
    vendors = list(data.get("vendors", []))
    if vendors and not vendor:
        body.append(f"<h2>{esc(t('ベンダー別', 'By vendor'))}</h2>")
        body.append(
            table(
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
                        esc(v.get("vendor")),
                        v.get("sources", 0),
                        v.get("sources_breached", 0),
                        v.get("files", 0),
                        f"{v.get('rows', 0):,}",
                        f"{v.get('errors', 0):,}",
                        f"{v.get('warnings', 0):,}",
                        _pct(v.get("readiness")),
                        v.get("new", 0),
                        v.get("fixed", 0),
                        v.get("still_failing", 0),
                        badge(
                            "green" if v.get("ok") else "red",
                            source_status_label("green" if v.get("ok") else "red"),
                        ),
                    ]
                    for v in vendors
                ],
                num=tuple(range(1, 11)),
                raw=(0, 11),
            )
        )
    body.append(f"<h2>{esc(t('ソース別', 'By source'))}</h2>")
    if sources:
        body.append(
            table(
                [
                    t("ソース", "source"),
                    t("ベンダー", "vendor"),
                    t("業務/エンティティ", "business/entity"),
                    t("ファイル", "files"),
                    t("行数", "rows"),
                    t("エラー", "errors"),
                    t("移行可能率", "readiness"),
                    t("推移", "trend"),
                    t("新規 / 解消 / 継続", "new / fixed / still"),
                    t("基準未達", "breaches"),
                    t("判定", "status"),
                ],
                [
                    [
                        f'<a href="#s-{esc(s["id"])}">{esc(s.get("title") or s["id"])}</a>',
                        esc(s.get("vendor")),
                        esc(f"{s.get('business')}/{s.get('entity')}"),
                        esc(s.get("files_total", 0)),
                        esc(f"{s.get('rows', 0):,}"),
                        esc(f"{s.get('errors', 0):,}"),
                        esc(_pct(s.get("readiness"))),
                        sparkline(s.get("trend", [])),
                        esc(f"{s.get('new', 0)} / {s.get('fixed', 0)} / {s.get('still_failing', 0)}"),
                        esc(breach_text(s.get("breaches", []))),
                        badge(source_status(s), source_status_label(source_status(s))),
                    ]
                    for s in sources
                ],
                num=(3, 4, 5, 6),
                raw=tuple(range(11)),
                row_class=[source_status(s) for s in sources],
                first_class="name",
            )
        )
    else:
        body.append(f"<p>{esc(t('対象のソースはありません。', 'No sources in scope.'))}</p>")
    for s in sources:
        body.append(_source_section(s))
    notes = data.get("notes") or []
    if notes:
        body.append(f"<h2>{esc(t('注記', 'Notes'))}</h2>")
        body.append("<ul>" + "".join(f"<li>{esc(scrub_my_number(str(n)))}</li>" for n in notes) + "</ul>")
    return page(title, "\n".join(body), generated=when, lang=get_lang())


def _source_section(s: Mapping[str, Any]) -> str:
    from migrate.report.html import badge, esc, table

    st = source_status(s)
    out = [
        f'<section id="s-{esc(s["id"])}"><h2>{esc(s.get("title") or s["id"])} '
        f"{badge(st, source_status_label(st))}</h2>",
        '<p class="meta">'
        + esc(
            t(
                "ベンダー {v} · 仕様 {sp} · マッピング {m} · 前回実行 #{p}",
                "vendor {v} · spec {sp} · mapping {m} · previous run #{p}",
                v=s.get("vendor"),
                sp=s.get("spec") or f"{s.get('business')}/{s.get('entity')}",
                m=s.get("mapping") or "-",
                p=s.get("previous_run") or "-",
            )
        )
        + "</p>",
    ]
    if s.get("breaches"):
        out.append(f'<p class="note">{esc(breach_text(s["breaches"]))}</p>')
    files = s.get("files", [])
    if files:
        out.append(
            table(
                [
                    t("ファイル", "file"),
                    t("状態", "state"),
                    t("行数", "rows"),
                    t("エラー", "errors"),
                    t("警告", "warnings"),
                    t("移行可能率", "readiness"),
                    t("全検査実行", "complete"),
                    t("新規 / 解消 / 継続", "new / fixed / still"),
                    t("メッセージ", "message"),
                ],
                [
                    [
                        Path(f["path"]).name,
                        file_status_label(f.get("status", "")),
                        f"{f.get('rows', 0):,}",
                        f"{f.get('errors', 0):,}",
                        f"{f.get('warnings', 0):,}",
                        _pct(f.get("readiness")),
                        t("はい", "yes") if f.get("complete") else t("いいえ", "no"),
                        f"{f.get('new', 0)} / {f.get('fixed', 0)} / {f.get('still_failing', 0)}",
                        scrub_my_number(f.get("message")) or "",
                    ]
                    for f in files
                ],
                num=(2, 3, 4, 5),
            )
        )
    rules = s.get("by_rule", [])
    if rules:
        out.append(f"<h3>{esc(t('規則別の変化', 'Rules: new, fixed, still failing'))}</h3>")
        out.append(
            table(
                [
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
                        r["code"],
                        rule_title(r["code"]),
                        r.get("item") or "-",
                        severity_label(r.get("severity")),
                        r.get("new", 0),
                        r.get("fixed", 0),
                        r.get("still_failing", 0),
                    ]
                    for r in rules
                ],
                num=(4, 5, 6),
            )
        )
    if s.get("removed_files"):
        out.append(
            '<p class="small">'
            + esc(t("前回からなくなったファイル: ", "files gone since the previous run: "))
            + esc(", ".join(Path(p).name for p in s["removed_files"]))
            + "</p>"
        )
    out.append("</section>")
    return "".join(out)


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
    """
    from migrate.atomic import write_text
    from migrate.mask import redact
    from migrate.xlsx import write_workbook_atomically

    when = generated or dt.datetime.now().replace(microsecond=0)
    out = Path(out_dir)
    scopes: list[str | None] = [vendor]
    if per_vendor and vendor is None:
        scopes += sorted({str(v.get("vendor")) for v in run_data(run_summary).get("vendors", [])})
    from migrate.nightly.vendors import vendor_stems

    # the same unique stems as the nightly's per-vendor output: two vendors never share a file
    stems = vendor_stems(s for s in scopes if s)
    paths: list[Path] = []
    for scope in scopes:
        data = run_data(run_summary, scope)
        stem = "dashboard" + (f"-{stems[scope]}" if scope else "")
        html = redact(render_html(data, vendor=scope, generated=when))
        paths.append(write_text(out / f"{stem}.html", html))
        paths.append(
            write_workbook_atomically(
                build_workbook(data, vendor=scope, generated=when), out / f"{stem}.xlsx"
            )
        )
    return paths
