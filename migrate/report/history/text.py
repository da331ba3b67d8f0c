"""The run history as terminal text: the list of runs, a comparison of two runs, one source's trend."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from migrate.i18n import t
from migrate.output import table
from migrate.report.format import pct
from migrate.report.labels import headings, run_status_label
from migrate.report.labels import verdict as _verdict_of
from migrate.report.nightly.text import COUNT_COLUMNS, RULE_COLUMNS, rule_rows


def _verdict(ok: bool | None) -> str:
    return _verdict_of(ok, none="-")


def render_list(runs: Sequence[dict[str, Any]]) -> str:
    if not runs:
        return t("記録された実行はありません\n", "no runs recorded\n")
    headers = [
        *headings("run", "as_of", "suite"),
        t("状態", "status"),
        *headings("started", "files", "carried", "rows", "errors", "readiness", "new", "fixed", "verdict"),
    ]
    rows = [
        [
            f"#{r['id']}",
            r["as_of"],
            r["suite"],
            run_status_label(r["status"]),
            r["started_at"],
            r["files"],
            r["carried"],
            r["rows"],
            r["errors"],
            pct(r["readiness"]),
            r["new"],
            r["fixed"],
            _verdict(r["ok"]),
        ]
        for r in runs
    ]
    out = table(headers, rows, right=[5, 6, 7, 8, 9, 10, 11])
    notes = [f"#{r['id']}: {r['note']}" for r in runs if r.get("note")]
    return out + "\n" + "".join(f"※ {n}\n" for n in notes)


def render_compare(result: dict[str, Any]) -> str:
    tot = result["totals"]
    lines = [
        t(
            "実行 #{a} → #{b}: 新規 {n} (うちエラー {ne}) / 解消 {f} / 継続 {s}",
            "run #{a} → #{b}: new {n} ({ne} errors) / fixed {f} / still failing {s}",
            a=result["before"],
            b=result["after"],
            n=tot["new"],
            ne=tot["new_errors"],
            f=tot["fixed"],
            s=tot["still_failing"],
        )
    ]
    for src in result["sources"]:
        lines.append("")
        where = {
            "both": "",
            "before": t(" (後の実行にはありません)", " (not in the later run)"),
            "after": t(" (前の実行にはありません)", " (not in the earlier run)"),
        }[src["in"]]
        lines.append(
            f"■ {src['source']}{where}: "
            + t(
                "新規 {n} / 解消 {f} / 継続 {s}",
                "new {n} / fixed {f} / still failing {s}",
                n=src["new"],
                f=src["fixed"],
                s=src["still_failing"],
            )
        )
        headers = [
            t("ファイル", "file"),
            t("内容", "content"),
            t("エラー 前", "errors before"),
            t("エラー 後", "errors after"),
            *headings("new", "fixed", "still"),
        ]
        rows = [
            [
                f["path"],
                {
                    "before": t("削除", "gone"),
                    "after": t("追加", "added"),
                }.get(f["in"], t("同一", "same") if f["same_content"] else t("変更", "changed")),
                "-" if f["errors_before"] is None else f["errors_before"],
                "-" if f["errors_after"] is None else f["errors_after"],
                f["new"],
                f["fixed"],
                f["still_failing"],
            ]
            for f in src["files"]
        ]
        lines += ["  " + line for line in table(headers, rows, right=[2, 3, 4, 5, 6]).splitlines()]
        if src["by_rule"]:
            rules = table(headings(*RULE_COLUMNS), rule_rows(src["by_rule"]), right=[3, 4, 5])
            lines += ["  " + line for line in rules.splitlines()]
    return "\n".join(lines) + "\n"


def render_trend(source_id: str, points: Sequence[dict[str, Any]]) -> str:
    if not points:
        return t("{s} の完了済みの実行はありません\n", "no complete run of {s}\n", s=source_id)
    headers = headings("run", "as_of", "files", *COUNT_COLUMNS, "verdict")
    rows = [
        [
            f"#{p['run_id']}",
            p["as_of"],
            p["files"],
            p["rows"],
            p["errors"],
            p["warnings"],
            pct(p["readiness"]),
            p["new"],
            p["fixed"],
            p["still_failing"],
            _verdict(p["ok"]),
        ]
        for p in points
    ]
    head = t("■ {s} の推移", "■ trend of {s}", s=source_id)
    return head + "\n" + table(headers, rows, right=list(range(2, 10))) + "\n"
