"""What the validation reports show, computed once from the ValidationResults: typed and frozen.

Findings are already masked by item sensitivity when they reach here (a 個人番号 is a fixed marker);
as a second line of defence every value and detail shown is scrubbed of anything shaped like a
valid 個人番号. The vendor-scoped view keeps only the results whose `vendor` matches, so a vendor
sees nothing of another vendor's files.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migrate.findings import hint_of, severity_label, title_of
from migrate.i18n import t
from migrate.report.format import now
from migrate.report.labels import headings
from migrate.report.style import scrub_my_number

if TYPE_CHECKING:
    from migrate.validate.run import ValidationResult

RULE_COLUMNS = ("rule", "meaning", "item", "legacy_column", "severity", "count", "first_line")
SAMPLES_PER_RULE = 20  # failing rows shown per (file, rule, item)
SAMPLES_PER_FILE = 1000


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
    return headings(*RULE_COLUMNS)


def file_status(res: ValidationResult) -> str:
    """Traffic light of one file: red with errors, amber with warnings or checks not run, else green."""
    return light(res.errors, res.warnings, res.complete)


def light(errors: int, warnings: int, complete: bool) -> str:
    if errors:
        return "red"
    if warnings or not complete:
        return "amber"
    return "green"


def _detail_text(detail: str | None) -> str:
    if not detail:
        return ""
    try:
        data = json.loads(detail)
    except ValueError:
        return str(scrub_my_number(detail))
    if not data:
        return ""
    parts = [f"{k}={', '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in sorted(data.items())]
    return str(scrub_my_number("; ".join(parts)))


@dataclass(frozen=True)
class RuleRow:
    code: str
    title: str
    item: str | None
    column: str | None
    severity: str
    severity_label: str
    count: int
    first_line: int | None
    hint: str  # the code's fix hint (migrate.findings.hint_of), "" for none


@dataclass(frozen=True)
class ItemRow:
    item: str
    column: str | None
    errors: int
    warnings: int
    error_rows: int
    codes: tuple[str, ...]


@dataclass(frozen=True)
class SampleRow:
    line: int | None
    row: int | None
    item: str | None
    column: str | None
    code: str
    title: str
    severity: str
    severity_label: str
    value: str | None
    mapped: str | None
    detail: str


@dataclass(frozen=True)
class GaijiRow:
    char: str | None
    codepoint: str
    cp932: str | None
    count: int
    items: tuple[str, ...]


@dataclass(frozen=True)
class CheckRow:
    """A check that was meant to run: ran, or skipped with the reason."""

    item: str | None
    code: str | None
    severity: str | None
    ran: bool
    skipped: bool = False
    reason: str = ""  # skipped: why


@dataclass(frozen=True)
class FileView:
    """Everything the reports show about one file, as plain values (already masked and scrubbed)."""

    file: str
    name: str
    vendor: str | None
    spec: str
    entity: str
    mapping: str | None
    encoding: str
    delimiter: str
    rows: int
    errors: int
    warnings: int
    error_rows: int
    readiness: float
    complete: bool
    status: str
    checks_total: int
    checks_ran: int
    duration_s: float
    rules: tuple[RuleRow, ...] = ()
    items: tuple[ItemRow, ...] = ()
    samples: tuple[SampleRow, ...] = ()
    samples_total: int = 0
    gaiji: tuple[GaijiRow, ...] = ()
    skipped_items: str = "-"  # the items whose checks did not run, once each
    columns: tuple[tuple[str, str], ...] = ()  # (item, legacy columns) seen
    checks: tuple[CheckRow, ...] = ()  # those that ran or not, then those skipped


def file_view(res: ValidationResult, samples_per_rule: int = SAMPLES_PER_RULE) -> FileView:
    import polars as pl

    f = res.findings
    rules = tuple(
        RuleRow(
            code=c["code"],
            title=title_of(c["code"]),
            item=c["item"],
            column=c["column"],
            severity=c["severity"],
            severity_label=severity_label(c["severity"]),
            count=c["count"],
            first_line=c["first_line"],
            hint=hint_of(c["code"]) or "",
        )
        for c in res.counts()
    )
    items: tuple[ItemRow, ...] = ()
    if not f.is_empty():
        by_item = (
            f.filter(pl.col("item").is_not_null())
            .group_by("item")
            .agg(
                pl.col("column").drop_nulls().first().alias("column"),
                (pl.col("severity") == "error").sum().alias("errors"),
                (pl.col("severity") == "warning").sum().alias("warnings"),
                pl.col("line").filter(pl.col("severity") == "error").n_unique().alias("error_rows"),
                pl.col("code").unique().sort().alias("codes"),
            )
            .sort(["errors", "warnings", "item"], descending=[True, True, False])
        )
        items = tuple(
            ItemRow(r["item"], r["column"], r["errors"], r["warnings"], r["error_rows"], tuple(r["codes"]))
            for r in by_item.to_dicts()
        )
    failing = f.filter(pl.col("line").is_not_null()).sort(["line", "item", "code"], nulls_last=True)
    picked = (
        failing.with_columns(pl.int_range(pl.len()).over("code", "item").alias("_n"))
        .filter(pl.col("_n") < samples_per_rule)
        .drop("_n")
        .head(SAMPLES_PER_FILE)
    )
    samples = tuple(
        SampleRow(
            line=r["line"],
            row=r["row"],
            item=r["item"],
            column=r["column"],
            code=r["code"],
            title=title_of(r["code"]),
            severity=r["severity"],
            severity_label=severity_label(r["severity"]),
            value=scrub_my_number(r["value"]),
            mapped=scrub_my_number(r["mapped"]),
            detail=_detail_text(r["detail"]),
        )
        for r in picked.to_dicts()
    )
    columns = sorted(
        {
            (str(r["item"]), str(r["column"]))
            for r in f.select("item", "column").unique().to_dicts()
            if r["item"] and r["column"]
        }
    )
    checks = tuple(
        CheckRow(c.get("item"), c.get("code"), c.get("severity"), bool(c.get("ran"))) for c in res.checks
    ) + tuple(CheckRow(s["item"], s.get("code"), None, False, True, skip_reason(s)) for s in res.skipped)
    return FileView(
        file=res.file,
        name=Path(res.file).name,
        vendor=res.vendor,
        spec=res.spec,
        entity=res.entity,
        mapping=res.mapping,
        encoding=res.encoding,
        delimiter=res.delimiter,
        rows=res.rows,
        errors=res.errors,
        warnings=res.warnings,
        error_rows=res.error_rows,
        readiness=res.readiness,
        complete=res.complete,
        status=file_status(res),
        checks_total=len(res.checks),
        checks_ran=sum(1 for c in res.checks if c.get("ran")),
        duration_s=res.duration_s,
        rules=rules,
        items=items,
        samples=samples,
        samples_total=failing.height,
        gaiji=tuple(
            GaijiRow(g.get("char"), g["codepoint"], g.get("cp932"), g["count"], tuple(g["items"]))
            for g in res.gaiji
        ),
        skipped_items=", ".join(dict.fromkeys(s["item"] for s in res.skipped)) or "-",
        columns=tuple(columns),
        checks=checks,
    )


@dataclass(frozen=True)
class ValidationView:
    """One validation report: its title and scope, and one FileView per file in scope."""

    title: str
    generated: dt.datetime
    vendor: str | None
    show_values: bool
    files: tuple[FileView, ...]

    @property
    def masking_note(self) -> str:
        if self.show_values:
            return t(
                "個人情報の値を表示しています (--show-values)。個人番号は常に非表示です。取扱注意",
                "personal values shown (--show-values); 個人番号 is never shown. Handle with care",
            )
        return t(
            "個人情報の値はマスクしています。個人番号は常に非表示です",
            "personal values are masked; 個人番号 is never shown",
        )

    @property
    def scope_note(self) -> str:
        if self.vendor:
            return t(
                "対象: {v} のファイルのみ ({n} 件)",
                "scope: files of {v} only ({n})",
                v=self.vendor,
                n=len(self.files),
            )
        return t("対象: 全ファイル ({n} 件)", "scope: all files ({n})", n=len(self.files))

    @property
    def readiness(self) -> float:
        """Rows without an error over every file in scope (0 with no rows)."""
        total = sum(f.rows for f in self.files)
        bad = sum(min(f.error_rows, f.rows) for f in self.files)
        return (total - bad) / total if total else 0.0

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)


def filter_vendor(results: Sequence[ValidationResult], vendor: str | None) -> list[ValidationResult]:
    """Only the results of one vendor (every result when vendor is None)."""
    if vendor is None:
        return list(results)
    return [r for r in results if r.vendor == vendor]


def build_view(
    results: Sequence[ValidationResult],
    *,
    vendor: str | None = None,
    show_values: bool = False,
    title: str | None = None,
    generated: dt.datetime | None = None,
) -> ValidationView:
    scoped = filter_vendor(results, vendor)
    default = t("移行データ検証レポート", "Migration data validation report")
    if vendor:
        default += f" — {vendor}"
    return ValidationView(
        title=title or default,
        generated=generated or now(),
        vendor=vendor,
        show_values=show_values,
        files=tuple(file_view(r) for r in scoped),
    )
