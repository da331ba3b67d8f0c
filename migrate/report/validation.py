"""Validation reports for PMO staff and vendors: one Excel workbook or one self-contained HTML file.

Rendered from ValidationResult objects only (their findings are already masked by item
sensitivity; a 個人番号 is a fixed marker). As a second line of defence every value shown is
scrubbed of anything shaped like a valid 個人番号. The vendor-scoped variant keeps only the results
whose `vendor` matches, so a vendor sees nothing of another vendor's files.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrate.errors import UsageError
from migrate.findings import REGISTRY
from migrate.i18n import t
from migrate.report.style import scrub_my_number
from migrate.report.validation_text import rule_headers

FORMATS = ("xlsx", "html")
SAMPLES_PER_RULE = 20  # failing rows shown per (file, rule, item)
SAMPLES_PER_FILE = 1000


def rule_title(code: str) -> str:
    ft = REGISTRY.get(code)
    return ft.title() if ft else code


def severity_label(severity: str | None) -> str:
    if severity == "error":
        return t("エラー", "error")
    if severity == "warning":
        return t("警告", "warning")
    return severity or ""


def file_status(res: Any) -> str:
    """Traffic light of one file: red with errors, amber with warnings or checks not run, else green."""
    if res.errors:
        return "red"
    if res.warnings or not res.complete:
        return "amber"
    return "green"


def file_status_label(status: str) -> str:
    return {
        "red": t("エラーあり", "errors"),
        "amber": t("要確認", "check"),
        "green": t("問題なし", "clean"),
    }.get(status, status)


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


@dataclass
class FileView:
    """Everything the renderers show about one file, as plain values (already masked and scrubbed)."""

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
    rules: list[dict[str, Any]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    samples: list[dict[str, Any]] = field(default_factory=list)
    samples_total: int = 0
    gaiji: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    columns: list[tuple[str, str]] = field(default_factory=list)  # (item, legacy columns) seen
    checks: list[dict[str, Any]] = field(default_factory=list)


def file_view(res: Any, samples_per_rule: int = SAMPLES_PER_RULE) -> FileView:
    import polars as pl

    f = res.findings
    rules = [
        {**c, "title": rule_title(c["code"]), "severity_label": severity_label(c["severity"])}
        for c in res.counts()
    ]
    items: list[dict[str, Any]] = []
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
        items = by_item.to_dicts()
    failing = f.filter(pl.col("line").is_not_null()).sort(["line", "item", "code"], nulls_last=True)
    picked = (
        failing.with_columns(pl.int_range(pl.len()).over("code", "item").alias("_n"))
        .filter(pl.col("_n") < samples_per_rule)
        .drop("_n")
        .head(SAMPLES_PER_FILE)
    )
    samples = [
        {
            "line": r["line"],
            "row": r["row"],
            "item": r["item"],
            "column": r["column"],
            "code": r["code"],
            "title": rule_title(r["code"]),
            "severity": r["severity"],
            "severity_label": severity_label(r["severity"]),
            "value": scrub_my_number(r["value"]),
            "mapped": scrub_my_number(r["mapped"]),
            "detail": _detail_text(r["detail"]),
        }
        for r in picked.to_dicts()
    ]
    columns = sorted(
        {
            (str(r["item"]), str(r["column"]))
            for r in f.select("item", "column").unique().to_dicts()
            if r["item"] and r["column"]
        }
    )
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
        gaiji=list(res.gaiji),
        skipped=list(res.skipped),
        columns=columns,
        checks=[dict(c) for c in res.checks],
    )


@dataclass
class ReportContext:
    title: str
    generated: dt.datetime
    vendor: str | None
    show_values: bool
    files: list[FileView]

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


def filter_vendor(results: Sequence[Any], vendor: str | None) -> list[Any]:
    """Only the results of one vendor (every result when vendor is None)."""
    if vendor is None:
        return list(results)
    return [r for r in results if r.vendor == vendor]


def build_context(
    results: Sequence[Any],
    *,
    vendor: str | None = None,
    show_values: bool = False,
    title: str | None = None,
    generated: dt.datetime | None = None,
) -> ReportContext:
    scoped = filter_vendor(results, vendor)
    default = t("移行データ検証レポート", "Migration data validation report")
    if vendor:
        default += f" — {vendor}"
    return ReportContext(
        title=title or default,
        generated=generated or dt.datetime.now().replace(microsecond=0),
        vendor=vendor,
        show_values=show_values,
        files=[file_view(r) for r in scoped],
    )


_UNSAFE_NAME = re.compile(r"[^\w.\-]+")


def _slug(text: str) -> str:
    return _UNSAFE_NAME.sub("_", text).strip("_") or "x"


def default_path(
    results: Sequence[Any], fmt: str, *, vendor: str | None = None, now: dt.datetime | None = None
) -> Path:
    """reports/validation-<file stem or timestamp>[-<vendor>].<fmt>."""
    scoped = filter_vendor(results, vendor)
    if len(scoped) == 1:
        stem = Path(scoped[0].file).stem
    else:
        stem = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    name = f"validation-{_slug(stem)}" + (f"-{_slug(vendor)}" if vendor else "")
    return Path("reports") / f"{name}.{fmt}"


def write_validation_report(
    results: Sequence[Any],
    fmt: str,
    path: str | Path | None = None,
    *,
    vendor: str | None = None,
    show_values: bool = False,
    title: str | None = None,
    generated: dt.datetime | None = None,
) -> Path:
    """Write a validation report (xlsx or html) atomically and return its path.

    `vendor` limits the report to that vendor's files (the vendor-scoped variant). `show_values`
    only changes the note on masking: values are masked when the validation ran.
    """
    if fmt not in FORMATS:
        raise UsageError(
            t("レポート形式 {f} には対応していません", "unknown report format {f}", f=fmt),
            hint=t("xlsx か html を指定してください", "use xlsx or html"),
        )
    ctx = build_context(results, vendor=vendor, show_values=show_values, title=title, generated=generated)
    target = Path(path) if path is not None else default_path(results, fmt, vendor=vendor, now=ctx.generated)
    if fmt == "xlsx":
        from migrate.report.xlsx_validation import write_workbook

        return write_workbook(ctx, target)
    from migrate.report.html import write_html

    return write_html(target, render_html(ctx))


def write_vendor_reports(
    results: Sequence[Any],
    fmt: str,
    out_dir: str | Path,
    *,
    show_values: bool = False,
    generated: dt.datetime | None = None,
) -> dict[str, Path]:
    """One vendor-scoped report per vendor named in results: {vendor: path}."""
    vendors = sorted({r.vendor for r in results if r.vendor})
    out: dict[str, Path] = {}
    for v in vendors:
        target = Path(out_dir) / f"validation-{_slug(v)}.{fmt}"
        out[v] = write_validation_report(
            results, fmt, target, vendor=v, show_values=show_values, generated=generated
        )
    return out


# ---------------------------------------------------------------------------------------------- HTML


@dataclass(frozen=True)
class _Tables:
    """The rows of one file's tables, as plain text cells (the template escapes them)."""

    rules: list[list[Any]]
    items: list[list[Any]]
    samples: list[list[Any]]
    gaiji: list[list[Any]]
    skipped: str


def _tables(fv: FileView) -> _Tables:
    return _Tables(
        rules=[
            [
                r["code"],
                r["title"],
                r["item"] or "-",
                r["column"] or "-",
                r["severity_label"],
                f"{r['count']:,}",
                r["first_line"] or "-",
            ]
            for r in fv.rules
        ],
        items=[
            [
                r["item"],
                r["column"] or "-",
                f"{r['errors']:,}",
                f"{r['warnings']:,}",
                f"{r['error_rows']:,}",
                ", ".join(r["codes"]),
            ]
            for r in fv.items
        ],
        samples=[
            [
                s["line"],
                s["code"],
                s["item"] or "-",
                s["column"] or "-",
                s["severity_label"],
                s["value"] or "",
                s["mapped"] or "",
                s["detail"],
            ]
            for s in fv.samples
        ],
        gaiji=[[g["codepoint"], g.get("cp932") or "-", g["count"], ", ".join(g["items"])] for g in fv.gaiji],
        skipped=", ".join(dict.fromkeys(s["item"] for s in fv.skipped)) or "-",
    )


def render_html(ctx: ReportContext) -> str:
    """The report as one self-contained HTML document (templates/validation.html)."""
    from migrate.report.style import COLOURS
    from migrate.report.templating import render

    total_rows = sum(f.rows for f in ctx.files)
    err_rows = sum(min(f.error_rows, f.rows) for f in ctx.files)
    return render(
        "validation.html",
        title=ctx.title,
        generated=ctx.generated,
        ctx=ctx,
        sections=[(fv, _tables(fv)) for fv in ctx.files],
        counts={s: sum(1 for f in ctx.files if f.status == s) for s in ("red", "amber", "green")},
        readiness=(total_rows - err_rows) / total_rows if total_rows else 0.0,
        rule_headers=rule_headers(),
        samples_per_rule=SAMPLES_PER_RULE,
        colours=COLOURS,
        file_status_label=file_status_label,
    )
