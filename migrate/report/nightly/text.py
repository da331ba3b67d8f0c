"""A nightly run as terminal text (Japanese by default): per source its files, verdict and changes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from migrate.findings import severity_label
from migrate.i18n import t
from migrate.output import table
from migrate.report.format import pct
from migrate.report.labels import delivery_label, headings, verdict
from migrate.report.nightly.view import vendor_rows
from migrate.terminal import clean

if TYPE_CHECKING:
    from migrate.history.summary import FileSummary, NightlyRun, SourceSummary

COUNT_COLUMNS = ("rows", "errors", "warnings", "readiness", "new", "fixed", "still")
RULE_COLUMNS = ("rule", "item", "severity", "new", "fixed", "still")


def rule_rows(rules: list[dict[str, Any]]) -> list[list[Any]]:
    """Rules new, fixed and still failing as terminal rows (the severity in words)."""
    return [
        [r["code"], r["item"] or "-", severity_label(r["severity"]), r["new"], r["fixed"], r["still_failing"]]
        for r in rules
    ]


def breach_text(b: dict[str, Any]) -> str:
    m, v, lim = b.get("metric"), b.get("value"), b.get("limit")
    if m == "files":
        return t("納品ファイルがありません", "no delivered file")
    if m == "unreadable":
        return t("読込不可のファイル {v} 件", "{v} unreadable file(s)", v=v)
    if m == "readiness":
        return t("移行可能率 {v} < {l}", "readiness {v} < {l}", v=pct(v), l=pct(lim))
    if m == "errors":
        return t("エラー {v} 件 > {l} 件", "errors {v} > {l}", v=v, l=lim)
    if m == "warnings":
        return t("警告 {v} 件 > {l} 件", "warnings {v} > {l}", v=v, l=lim)
    if m == "new_errors":
        return t(
            "前回からの新規エラー {v} 件 > {l} 件", "new errors since the previous run {v} > {l}", v=v, l=lim
        )
    if m == "complete":
        return t("実行されなかった検査があります", "some checks did not run")
    if m == "refs":
        if b.get("detail") == "no-file":
            return t("参照ファイルがありません: {v}", "no reference file matches {v}", v=v)
        return t(
            "参照ファイルを読めません: {v} ({d})",
            "cannot read reference file {v} ({d})",
            v=v,
            d=b.get("detail"),
        )
    return f"{m} {v} / {lim}"


def _file_row(f: FileSummary, run_id: int, baseline: bool) -> list[Any]:
    status = delivery_label(f.status, short=True)
    if f.status == "carried":
        status += f" (#{f.validated_in_run})"
    readable = f.status != "unreadable"
    return [
        f.path,
        status,
        f.rows if readable else "-",
        f.errors,
        f.warnings,
        pct(f.readiness) if readable else "-",
        f.new,
        f.fixed if baseline else "-",
        f.still_failing if baseline else "-",
    ]


def _source_block(s: SourceSummary, run_id: int) -> list[str]:
    head = f"■ {s.id}"
    if s.title:
        head += f"  {s.title}"
    head += f"  [{s.vendor}]  {s.spec or s.business}/{s.entity}"
    if s.mapping:
        head += t("  マッピング {m}", "  mapping {m}", m=s.mapping)
    head += (
        t("  比較対象: 実行 #{p}", "  compared with run #{p}", p=s.previous_run)
        if s.previous_run is not None
        else t("  (初回: 比較対象なし)", "  (first run: nothing to compare)")
    )
    lines = [head]
    baseline = s.previous_run is not None
    headers = [*headings("file"), t("状態", "status"), *headings(*COUNT_COLUMNS)]
    rows = [_file_row(f, run_id, baseline) for f in s.files]
    rows.append(
        [
            t("計", "total"),
            "",
            s.rows,
            s.errors,
            s.warnings,
            pct(s.readiness),
            s.new,
            s.fixed if baseline else "-",
            s.still_failing if baseline else "-",
        ]
    )
    lines += ["  " + line for line in table(headers, rows, right=[2, 3, 4, 5, 6, 7, 8]).splitlines()]
    for f in s.files:
        if f.message:
            lines.append(f"  ! {f.path}: {f.message}")
    if s.removed_files:
        lines.append(
            t(
                "  前回あって今回ないファイル: {l}",
                "  files gone since the previous run: {l}",
                l=", ".join(s.removed_files),
            )
        )
    if s.breaches:
        lines.append(
            t(
                "  判定: 基準未達 — {b}",
                "  verdict: BREACHED — {b}",
                b="; ".join(breach_text(b) for b in s.breaches),
            )
        )
    else:
        lines.append(t("  判定: 合格", "  verdict: pass"))
    changed = [r for r in s.by_rule if r["new"] or r["fixed"]] if baseline else []
    if changed:
        lines.append(t("  前回からの変化 (規則別):", "  changes since the previous run (by rule):"))
        lines += [
            "    " + line
            for line in table(headings(*RULE_COLUMNS), rule_rows(changed), right=[3, 4, 5]).splitlines()
        ]
    return lines


def render_text(run: NightlyRun) -> str:
    tot = run.totals
    title = f"{run.title}" if run.title else ""
    lines = [
        t("夜間検証 {s}", "nightly validation {s}", s=run.suite)
        + (f" — {title}" if title else "")
        + (f" ({run.municipality})" if run.municipality else ""),
        t(
            "実行 #{r}  基準日 {a}  開始 {b}  状態 {st}  結果: {v}",
            "run #{r}  as of {a}  started {b}  status {st}  result: {v}",
            r=run.run_id,
            a=run.as_of,
            b=run.started_at,
            st=run.status,
            v=verdict(run.ok),
        ),
        t(
            "ファイル {f} (検証 {v} / 前回結果 {c} / 読込不可 {u})  行 {r}  エラー {e}  警告 {w}  "
            "移行可能率 {p}  新規 {n} / 解消 {x} / 継続 {s}",
            "files {f} (validated {v} / carried {c} / unreadable {u})  rows {r}  errors {e}  warnings {w}  "
            "readiness {p}  new {n} / fixed {x} / still failing {s}",
            f=tot["files"],
            v=tot["validated"],
            c=tot["carried"],
            u=tot["unreadable"],
            r=tot["rows"],
            e=tot["errors"],
            w=tot["warnings"],
            p=pct(tot["readiness"]),
            n=tot["new"],
            x=tot["fixed"],
            s=tot["still_failing"],
        ),
    ]
    for note in run.notes:
        lines.append(f"※ {note}")
    if run.note:
        lines.append(f"※ {run.note}")
    for s in run.sources:
        lines.append("")
        lines += _source_block(s, run.run_id)
    if run.sources:
        lines += ["", t("ベンダー別", "by vendor")]
        headers = headings("vendor", "sources", "files", *COUNT_COLUMNS, "verdict")
        rows = [
            [
                v.vendor,
                v.sources,
                v.files,
                v.rows,
                v.errors,
                v.warnings,
                pct(v.readiness),
                v.new,
                v.fixed,
                v.still_failing,
                verdict(v.ok),
            ]
            for v in vendor_rows(run.vendors)
        ]
        lines += table(headers, rows, right=list(range(1, 10))).splitlines()
    return clean("\n".join(lines)) + "\n"
