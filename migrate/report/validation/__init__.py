"""Validation results for people and machines: the terminal summary, JSON, JUnit, CSV, and the
Excel workbook or self-contained HTML report for PMO staff and vendors.

`render(results, fmt)` is the text of one stdout format; `write_validation_report` builds the
report's view (migrate.report.validation.view) once and writes it (xlsx or html) atomically.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from migrate.errors import UsageError
from migrate.i18n import t
from migrate.report.format import slug
from migrate.report.validation.view import ValidationView, build_view, filter_vendor

if TYPE_CHECKING:
    from migrate.validate.run import ValidationResult

FORMATS = ("xlsx", "html")
OUTPUTS = ("text", "json", "junit", "csv")


def render(
    results: Sequence[ValidationResult],
    fmt: str = "text",
    *,
    show_values: bool = False,
    max_findings: int | None = None,
) -> str:
    """The results as one stdout format: text summary, JSON envelope, JUnit XML or CSV."""
    if fmt == "json":
        from migrate.report.validation.json import render_json

        return render_json(results, max_findings)
    if fmt == "junit":
        from migrate.report.validation.junit import render_junit

        return render_junit(results)
    if fmt == "csv":
        from migrate.report.validation.csv import render_csv

        return render_csv(results, max_findings)
    from migrate.report.validation.text import render_text

    return render_text(results, show_values=show_values)


def default_path(
    results: Sequence[ValidationResult],
    fmt: str,
    *,
    vendor: str | None = None,
    now: dt.datetime | None = None,
) -> Path:
    """reports/validation-<file stem or timestamp>[-<vendor>].<fmt>."""
    scoped = filter_vendor(results, vendor)
    if len(scoped) == 1:
        stem = Path(scoped[0].file).stem
    else:
        stem = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    name = f"validation-{slug(stem)}" + (f"-{slug(vendor)}" if vendor else "")
    return Path("reports") / f"{name}.{fmt}"


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise UsageError(
            t("レポート形式 {f} には対応していません", "unknown report format {f}", f=fmt),
            hint=t("xlsx か html を指定してください", "use xlsx or html"),
        )


def write(view: ValidationView, fmt: str, path: str | Path) -> Path:
    """Write the report of a view as xlsx or html, atomically; return its path."""
    check_format(fmt)
    if fmt == "xlsx":
        from migrate.report.validation.xlsx import write_workbook

        return write_workbook(view, path)
    from migrate.report.html import write_html
    from migrate.report.validation.html import render_html

    return write_html(path, render_html(view))


def write_validation_report(
    results: Sequence[ValidationResult],
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
    check_format(fmt)
    view = build_view(results, vendor=vendor, show_values=show_values, title=title, generated=generated)
    target = Path(path) if path is not None else default_path(results, fmt, vendor=vendor, now=view.generated)
    return write(view, fmt, target)


def write_vendor_reports(
    results: Sequence[ValidationResult],
    fmt: str,
    out_dir: str | Path,
    *,
    show_values: bool = False,
    generated: dt.datetime | None = None,
) -> dict[str, Path]:
    """One vendor-scoped report per vendor named in results: {vendor: path}."""
    vendors = sorted({r.vendor for r in results if r.vendor})
    return {
        v: write_validation_report(
            results,
            fmt,
            Path(out_dir) / f"validation-{slug(v)}.{fmt}",
            vendor=v,
            show_values=show_values,
            generated=generated,
        )
        for v in vendors
    }
