"""Terminal summary of validation results (Japanese by default; one language per table).

Read from the ValidationResults themselves: the terminal shows counts and the first examples only,
so none of the report view's group-bys over every finding is run for it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from migrate.findings import SEVERITIES, hint_of, severity_label, severity_rank, title_of
from migrate.i18n import t
from migrate.output import table, width
from migrate.report.validation.view import rule_headers, skip_reason
from migrate.terminal import clean

if TYPE_CHECKING:
    from migrate.validate.run import ValidationResult


def item_label(res: ValidationResult, item: str | None) -> str:
    """The item with its official データ項目ID beside it (seibetsu [03100011]) when the spec has one."""
    if not item:
        return "-"
    std = res.std_ids.get(item)
    return f"{item} [{std}]" if std else item


def show_values_notice() -> str:
    """The one line every output of a --show-values run carries (terminal summary, or stderr)."""
    return t(
        "注意: --show-values のため個人情報の値をマスクせずに表示しています (個人番号は常にマスクします)",
        "note: --show-values: personal values are shown unmasked (a 個人番号 is always masked)",
    )


def examples(res: ValidationResult, samples: int) -> list[dict[str, Any]]:
    """The findings shown as examples: errors first, then warnings, then information, each by line
    (a warning on line 2 must not push the first error out of the sample)."""
    import polars as pl

    found = res.findings.filter(pl.col("line").is_not_null())
    if found.is_empty():
        return []
    order = {sev: severity_rank(sev) for sev in SEVERITIES}
    rank = pl.col("severity").replace_strict(order, default=len(order), return_dtype=pl.Int64)
    rows: list[dict[str, Any]] = found.sort(rank, "line", maintain_order=True).head(samples).to_dicts()
    return rows


def render_text(results: Sequence[ValidationResult], samples: int = 10, *, show_values: bool = False) -> str:
    out: list[str] = [show_values_notice(), ""] if show_values else []
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
                            title_of(c["code"]),
                            item_label(res, c["item"]),
                            c["column"] or "-",
                            severity_label(c["severity"]),
                            f"{c['count']:,}",
                            c["first_line"] or "-",
                        ]
                        for c in counts
                    ],
                    right=(5, 6),
                )
            )
            out.append("")
            out.append(t("  修正のヒント:", "  how to fix:"))
            for code in dict.fromkeys(c["code"] for c in counts):
                out.append(f"    {code}: {hint_of(code) or '-'}")
        if res.gaiji:
            out.append("")
            out.append(t("  外字 (文字同定が必要):", "  外字 (need 文字同定):"))
            for g in res.gaiji:
                out.append(
                    f"    {g['codepoint']} (CP932 {g['cp932'] or '-'}) x{g['count']}  [{', '.join(g['items'])}]"
                )
        rows = examples(res, samples)
        if rows:
            out.append("")
            out.append(
                t(
                    "  例 ({n} 件、エラー → 警告 → 情報の順、値はマスクなし・個人番号はマスク済み):",
                    "  examples ({n}, errors first, then warnings and information; values unmasked but 個人番号):",
                    n=len(rows),
                )
                if show_values
                else t(
                    "  例 ({n} 件、エラー → 警告 → 情報の順、値はマスク済み):",
                    "  examples ({n}, errors first, then warnings and information; values masked):",
                    n=len(rows),
                )
            )
            for r in rows:
                arrow = f"{r['value'] or ''} → {r['mapped'] or ''}" if r["item"] else ""
                condition = json.loads(r.get("detail") or "{}").get("condition")  # 条件付き必須, as worded
                arrow += f"  ({condition})" if condition else ""
                sev = severity_label(r["severity"])
                sev += " " * max(0, 7 - width(sev))  # エラー is six columns wide, "warning" seven
                out.append(
                    f"    {r['line']:>8}  {sev} {r['code']:<24} {item_label(res, r['item']):<20} {arrow}"
                )
        out.append("")
    return clean("\n".join(out).rstrip()) + "\n"
