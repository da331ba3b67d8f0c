"""A nightly run for people and machines: terminal text, JSON, JUnit, and the dashboard (one HTML
file and one workbook per run, for the PMO or for one vendor) with one report per file beside it.

`render(run, fmt)` is the text of one stdout format; `write_dashboard` builds each dashboard's view
(migrate.report.nightly.view) once and writes its HTML and Excel renderings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migrate.report.format import now
from migrate.report.nightly.files import file_report_names, write_file_reports
from migrate.report.nightly.view import run_data

if TYPE_CHECKING:
    from migrate.history.summary import NightlyRun

__all__ = ["file_report_names", "render", "run_data", "write_dashboard", "write_file_reports"]


def render(run: NightlyRun, fmt: str = "text") -> str:
    """The run as one stdout format: text (ends in a newline), JSON envelope or JUnit XML."""
    if fmt == "json":
        from migrate.findings import with_hints
        from migrate.output import envelope

        return envelope("nightly-run", with_hints(run.to_dict()))
    if fmt == "junit":
        from migrate.report.nightly.junit import render_junit

        return render_junit(run)
    from migrate.report.nightly.text import render_text

    return render_text(run)


def write_dashboard(
    run_summary: NightlyRun | Mapping[str, Any],
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
    from migrate.nightly.vendors import vendor_stems
    from migrate.report.html import write_html
    from migrate.report.nightly.html import render_html
    from migrate.report.nightly.view import build_view
    from migrate.report.nightly.xlsx import write_workbook

    when = generated or now()
    out = Path(out_dir)
    full = run_data(run_summary)
    scopes: list[str | None] = [vendor]
    if per_vendor and vendor is None:
        scopes += sorted({str(v.get("vendor")) for v in full.get("vendors", [])})
    # the same unique stems as the nightly's per-vendor output: two vendors never share a file
    stems = vendor_stems(s for s in scopes if s)
    shown = run_data(run_summary, vendor) if vendor is not None else full
    links = write_file_reports(full, out, sources=shown.get("sources", []), dashboard=stems, generated=when)
    paths: list[Path] = []
    for scope in scopes:
        view = build_view(run_data(run_summary, scope), vendor=scope, generated=when, links=links)
        stem = "dashboard" + (f"-{stems[scope]}" if scope else "")
        paths.append(write_html(out / f"{stem}.html", render_html(view)))
        paths.append(write_workbook(view, out / f"{stem}.xlsx"))
    return paths
