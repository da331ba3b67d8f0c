"""Terminal summary of validation results (Japanese by default)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from migrate.findings import REGISTRY
from migrate.i18n import t
from migrate.output import table
from migrate.terminal import clean


def skip_reason(s: dict[str, Any]) -> str:
    """Why a check did not run, as a person reads it (one wording for text, HTML, Excel and JUnit)."""
    reason = s.get("reason")
    if reason == "column-missing":
        return t(
            "列がファイルにない: {c}", "columns missing: {c}", c=", ".join(s.get("columns") or []) or "-"
        )
    if reason == "needs":
        return t(
            "必要な項目がない: {n}",
            "needs items that are absent: {n}",
            n=", ".join(s.get("needs") or []) or "-",
        )
    if reason == "reference-not-given":
        return t(
            "参照先 {r} のファイルが指定されていない (--ref)",
            "no file given for the reference {r} (--ref)",
            r=s.get("references") or "-",
        )
    if reason == "check-error":
        return t("検査を実行できなかった", "the check could not be run")
    return str(reason or "-")


def rule_headers() -> list[str]:
    """Column headings of the per-rule summary, shared by the terminal, HTML and Excel renderings."""
    return [
        t("規則", "rule"),
        t("内容", "meaning"),
        t("項目", "item"),
        t("旧列", "legacy column"),
        t("重大度", "severity"),
        t("件数", "count"),
        t("初出行", "first line"),
    ]


def item_label(res: Any, item: str | None) -> str:
    """The item with its official データ項目ID beside it (seibetsu [03100011]) when the spec has one."""
    if not item:
        return "-"
    std = getattr(res, "std_ids", {}).get(item)
    return f"{item} [{std}]" if std else item


def _title(code: str) -> str:
    ft = REGISTRY.get(code)
    return ft.title() if ft else code


def render(results: Sequence[Any], samples: int = 15) -> str:
    out: list[str] = []
    for res in results:
        out.append(
            t(
                "■ {f}\n  仕様 {s}/{e}  マッピング {m}  文字コード {enc}  {n:,} 行  {sec:.2f} 秒",
                "■ {f}\n  spec {s}/{e}  mapping {m}  encoding {enc}  {n:,} rows  {sec:.2f} s",
                f=res.file,
                s=res.spec,
                e=res.entity,
                m=res.mapping or "-",
                enc=res.encoding,
                n=res.rows,
                sec=res.duration_s,
            )
        )
        out.append(
            t(
                "  エラー {e:,} 件 / 警告 {w:,} 件 / エラーのある行 {r:,} 行 / 移行可能率 {p:.2%}",
                "  errors {e:,} / warnings {w:,} / rows with errors {r:,} / readiness {p:.2%}",
                e=res.errors,
                w=res.warnings,
                r=res.error_rows,
                p=res.readiness,
            )
        )
        if not res.complete:
            names = ", ".join(dict.fromkeys(s["item"] for s in res.skipped)) or "-"
            out.append(
                t(
                    "  ⚠ 実行されなかった検査があります (項目: {i}): この結果は完全な検証ではありません",
                    "  ⚠ some checks did not run (items: {i}): this is not a complete validation",
                    i=names,
                )
            )
            missing = sorted(
                {c for s in res.skipped if s.get("reason") == "column-missing" for c in s["columns"]}
            )
            reasons = [skip_reason({"reason": "column-missing", "columns": missing})] if missing else []
            reasons += sorted({skip_reason(s) for s in res.skipped if s.get("reason") != "column-missing"})
            out.extend(f"    - {r}" for r in reasons[:5])
            if len(reasons) > 5:
                out.append(t("    - ほか {n} 件", "    - and {n} more", n=len(reasons) - 5))
        counts = res.counts()
        if counts:
            out.append("")
            out.append(
                table(
                    rule_headers(),
                    [
                        [
                            c["code"],
                            _title(c["code"]),
                            item_label(res, c["item"]),
                            c["column"] or "-",
                            t("エラー", "error") if c["severity"] == "error" else t("警告", "warning"),
                            f"{c['count']:,}",
                            c["first_line"] or "-",
                        ]
                        for c in counts
                    ],
                    right=(5, 6),
                )
            )
        if res.gaiji:
            out.append("")
            out.append(t("  外字 (文字同定が必要):", "  外字 (need 文字同定):"))
            for g in res.gaiji:
                out.append(
                    f"    {g['codepoint']} (CP932 {g['cp932'] or '-'}) x{g['count']}  [{', '.join(g['items'])}]"
                )
        rows = res.findings.filter(res.findings["line"].is_not_null()).head(samples).to_dicts()
        if rows:
            out.append("")
            out.append(
                t(
                    "  例 (先頭 {n} 件、値はマスク済み):",
                    "  examples (first {n}, values masked):",
                    n=len(rows),
                )
            )
            for r in rows:
                arrow = f"{r['value'] or ''} → {r['mapped'] or ''}" if r["item"] else ""
                condition = json.loads(r.get("detail") or "{}").get("condition")  # 条件付き必須, as worded
                arrow += f"  ({condition})" if condition else ""
                out.append(f"    {r['line']:>8}  {r['code']:<24} {item_label(res, r['item']):<20} {arrow}")
        out.append("")
    return clean("\n".join(out).rstrip()) + "\n"
