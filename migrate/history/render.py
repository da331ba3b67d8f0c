"""The run history as text: the list of runs, a comparison of two runs, one source's trend."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from migrate.i18n import t
from migrate.output import table


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.2f}%"


def _verdict(ok: bool | None) -> str:
    if ok is None:
        return "-"
    return t("合格", "pass") if ok else t("基準未達", "BREACHED")


def _status(status: str) -> str:
    return {
        "complete": t("完了", "complete"),
        "running": t("実行中", "running"),
        "incomplete": t("未完了", "incomplete"),
    }.get(status, status)


def render_list(runs: Sequence[dict[str, Any]]) -> str:
    if not runs:
        return t("記録された実行はありません\n", "no runs recorded\n")
    headers = [
        t("実行", "run"),
        t("基準日", "as of"),
        t("スイート", "suite"),
        t("状態", "status"),
        t("開始", "started"),
        t("ファイル", "files"),
        t("引継", "carried"),
        t("行数", "rows"),
        t("エラー", "errors"),
        t("移行可能率", "readiness"),
        t("新規", "new"),
        t("解消", "fixed"),
        t("判定", "verdict"),
    ]
    rows = [
        [
            f"#{r['id']}",
            r["as_of"],
            r["suite"],
            _status(r["status"]),
            r["started_at"],
            r["files"],
            r["carried"],
            r["rows"],
            r["errors"],
            _pct(r["readiness"]),
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
            t("新規", "new"),
            t("解消", "fixed"),
            t("継続", "still"),
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
            rh = [
                t("規則", "rule"),
                t("項目", "item"),
                t("重大度", "severity"),
                t("新規", "new"),
                t("解消", "fixed"),
                t("継続", "still"),
            ]
            rr = [
                [r["code"], r["item"] or "-", r["severity"], r["new"], r["fixed"], r["still_failing"]]
                for r in src["by_rule"]
            ]
            lines += ["  " + line for line in table(rh, rr, right=[3, 4, 5]).splitlines()]
    return "\n".join(lines) + "\n"


def render_trend(source_id: str, points: Sequence[dict[str, Any]]) -> str:
    if not points:
        return t("{s} の完了済みの実行はありません\n", "no complete run of {s}\n", s=source_id)
    headers = [
        t("実行", "run"),
        t("基準日", "as of"),
        t("ファイル", "files"),
        t("行数", "rows"),
        t("エラー", "errors"),
        t("警告", "warnings"),
        t("移行可能率", "readiness"),
        t("新規", "new"),
        t("解消", "fixed"),
        t("継続", "still"),
        t("判定", "verdict"),
    ]
    rows = [
        [
            f"#{p['run_id']}",
            p["as_of"],
            p["files"],
            p["rows"],
            p["errors"],
            p["warnings"],
            _pct(p["readiness"]),
            p["new"],
            p["fixed"],
            p["still_failing"],
            _verdict(p["ok"]),
        ]
        for p in points
    ]
    head = t("■ {s} の推移", "■ trend of {s}", s=source_id)
    return head + "\n" + table(headers, rows, right=list(range(2, 10))) + "\n"
