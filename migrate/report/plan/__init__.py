"""Plan results for people: terminal text (migrate.report.plan.text), and the milestone report for
leadership as an Excel workbook (summary, Gantt, milestones) or one self-contained HTML file.

`write(view, fmt, path)` writes a PlanView (migrate.report.plan.view); `write_plan_report` builds
the view from a PlanResult and writes it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from migrate.errors import UsageError
from migrate.i18n import t
from migrate.report.format import DATE_STYLES, now, slug
from migrate.report.plan.view import PhaseNames, PlanView, build_view, is_critical

if TYPE_CHECKING:
    from migrate.plan.baseline import Baseline
    from migrate.plan.result import PlanResult
    from migrate.plan.template import ProcedureTemplate

__all__ = ["FORMATS", "default_path", "is_critical", "phase_names", "write", "write_plan_report"]

FORMATS = ("xlsx", "html")


def default_path(result: PlanResult, fmt: str) -> Path:
    stem = Path(result.path).stem if result.path else result.lg_code
    return Path("reports") / f"{slug(f'plan-{stem}-{result.as_of.isoformat()}')}.{fmt}"


def phase_names(template: ProcedureTemplate | None = None) -> PhaseNames:
    """The phases' names of a procedure template (default: the plan engine's own template).

    The names are cosmetic: a template that cannot be read leaves the phase ids shown.
    """
    if template is None:
        from migrate.errors import MigrateError
        from migrate.plan.template import load_template

        try:
            template = load_template()
        except (MigrateError, OSError):
            return {}
    return {p.id: (p.name_ja, p.name_en) for p in template.phases}


def _check(fmt: str, date_style: str) -> None:
    if fmt not in FORMATS:
        raise UsageError(
            t("レポート形式 {f} には対応していません", "unknown report format {f}", f=fmt),
            hint=t("xlsx か html を指定してください", "use xlsx or html"),
        )
    if date_style not in DATE_STYLES:
        raise UsageError(
            t("日付の形式 {d} には対応していません", "unknown date style {d}", d=date_style),
            hint="seireki | wareki | nendo",
        )


def write(view: PlanView, fmt: str, path: str | Path) -> Path:
    """Write the milestone report of a view (xlsx or html) atomically and return its path."""
    _check(fmt, view.date_style)
    if fmt == "xlsx":
        from migrate.report.plan.xlsx import write_workbook

        return write_workbook(view, path)
    from migrate.report.html import write_html
    from migrate.report.plan.html import render_html

    return write_html(path, render_html(view))


def write_plan_report(
    plan_result: PlanResult,
    fmt: str,
    path: str | Path | None = None,
    *,
    date_style: str = "seireki",
    baseline: Baseline | None = None,
    generated: dt.datetime | None = None,
    phases: PhaseNames | None = None,
) -> Path:
    """Write the milestone report (xlsx or html) atomically and return its path.

    date_style: seireki (2026-03-31), wareki (令和8年3月31日) or nendo (2026-03-31（令和7年度）).
    baseline: the Baseline compared against (migrate.plan.baseline); when given, its milestone
    dates are drawn as thin bars under the HTML Gantt's bars. Slips come from the result.
    phases: phase id → (Japanese, English) names (default: the procedure template's, phase_names()).
    """
    _check(fmt, date_style)
    view = build_view(
        plan_result,
        date_style=date_style,
        generated=generated or now(),
        baseline=baseline,
        phases=phase_names() if phases is None else phases,
    )
    return write(view, fmt, Path(path) if path is not None else default_path(plan_result, fmt))
