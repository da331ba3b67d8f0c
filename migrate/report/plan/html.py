"""The milestone report as one self-contained HTML document (templates/plan.html), SVG Gantt inline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from migrate.i18n import t
from migrate.report.format import fiscal_label, fmt_date, percent
from migrate.report.labels import schedule_label
from migrate.report.plan.view import (
    REASONS_SHOWN,
    BusinessRow,
    PlanView,
    critical_text,
    deadline_text,
    is_critical,
    milestone_colour,
    milestone_label,
    national_label,
    overrun_text,
    risk_text,
    slip_text,
)

if TYPE_CHECKING:
    from markupsafe import Markup

    from migrate.plan.result import PlanResult
    from migrate.report.svg_gantt import Line


def _year_label(date_style: str) -> Callable[[int], str]:
    return lambda fy: fiscal_label(dt.date(fy, 4, 1), date_style)


def _lines(result: PlanResult) -> list[Line]:
    from migrate.report.svg_gantt import Line

    return [
        Line(result.as_of, t("基準日", "as of") + f" {result.as_of.isoformat()}", "as_of"),
        Line(result.national_target, t("国の目標", "national target"), "deadline", dashed=True),
    ]


def overview_svg(view: PlanView) -> Markup:
    """One row per business: its bar to the projected finish in its status colour, its deadline."""
    from migrate.report.svg_gantt import Bar, Row, gantt_svg

    style = view.date_style
    rows = []
    for row in view.rows:
        b = row.b
        bars: list[Bar] = []
        end = b.projected_finish or b.finish
        if b.start and end:
            title = t(
                "{n}: {s} – {f} ({st})",
                "{n}: {s} – {f} ({st})",
                n=row.label,
                s=fmt_date(b.start, style),
                f=fmt_date(end, style),
                st=row.status_label,
            )
            bars.append(Bar(b.start, end, "grey" if b.migrated else b.status, False, title))
            crit = [m for m in row.critical if m.start and m.finish]
            if crit:
                first = min(m.start for m in crit if m.start)
                last = max(m.finish for m in crit if m.finish)
                bars.append(
                    Bar(first, last, b.status, True, t("重要工程", "critical path") + f": {critical_text(b)}")
                )
        rows.append(Row(row.label, tuple(bars), 0, b.deadline, overrun_text(b), b.id))
    return gantt_svg(
        rows,
        lines=_lines(view.result),
        title=t("業務別ガントチャート", "Gantt chart by business"),
        year_label=_year_label(style),
    )


def business_svg(view: PlanView, row: BusinessRow) -> Markup:
    """One row per milestone of a business: bars by colour, critical ones outlined, baseline below."""
    from migrate.report.svg_gantt import Bar, Row, gantt_svg

    b, style = row.b, view.date_style
    rows = []
    base_b = view.baseline.businesses.get(b.id) if view.baseline is not None else None
    for m in b.milestones:
        if m.state == "not-applicable":
            continue
        bars: list[Bar] = []
        if base_b is not None:
            bm = base_b.milestones.get(m.id)
            if bm is not None and bm.start and bm.finish:
                bars.append(Bar(bm.start, bm.finish, "grey", False, t("基準計画", "baseline"), ghost=True))
        if m.start and m.finish:
            title = f"{milestone_label(m)}: {fmt_date(m.start, style)} – {fmt_date(m.finish, style)}"
            title += f" ({national_label(m)}"
            if m.total_float is not None:
                title += t(", 余裕 {n} 営業日", ", float {n} working days", n=m.total_float)
            title += ")"
            bars.append(
                Bar(m.start, m.finish, milestone_colour(m, view.result.thresholds), is_critical(m), title)
            )
        deadline = b.deadline if m.key in b.deadline_milestones else None
        rows.append(Row(milestone_label(m), tuple(bars), 1, deadline, "", m.key))
    return gantt_svg(rows, lines=_lines(view.result), title=row.label, year_label=_year_label(style))


def _status_row(view: PlanView, row: BusinessRow) -> dict[str, Any]:
    """One business as the HTML status table and its Gantt section show it (plain values)."""
    b, style, result = row.b, view.date_style, view.result
    return {
        "id": b.id,
        "label": row.label,
        "vendor": b.vendor or "-",
        "colour": row.colour,
        "status": row.status_label,
        "deadline": fmt_date(b.deadline, style),
        "special_support": bool(b.special_support),
        "deadline_text": deadline_text(b, result.as_of),
        "deadline_over": row.days_to_deadline < 0 and not b.migrated,
        "projected": fmt_date(b.projected_finish, style),
        "risk": risk_text(result, b),
        "overrun": overrun_text(b),
        "overrun_over": b.overrun_calendar_days > 0,
        "float": "" if b.float_days is None else b.float_days,
        "slip": slip_text(b.slip),
        "phase": row.phase,
        "critical": critical_text(b),
        "reasons": [n.message for n in b.reasons[:REASONS_SHOWN]],
        "more": [n.message for n in b.reasons[REASONS_SHOWN:]],
        "open": b.status == "red",
        "svg": business_svg(view, row),
    }


def render_html(view: PlanView) -> str:
    from migrate.report.style import COLOURS
    from migrate.report.templating import render

    result = view.result
    return render(
        "plan.html",
        title=view.title,
        generated=view.generated,
        meta_lines=list(view.meta_lines),
        counts=result.counts,
        businesses_total=len(result.businesses),
        completion_rate=percent(result.national.completion_rate),
        rows=[_status_row(view, row) for row in view.rows],
        overview=overview_svg(view),
        national=[
            [
                row.label,
                percent(row.b.national.completion_rate),
                percent(row.b.national.in_progress_rate),
                percent(row.b.national.not_started_rate),
                f"{row.b.national.done} + {row.b.national.not_applicable} / {row.b.national.steps}",
            ]
            for row in view.rows
        ],
        warnings=[w.message for w in result.warnings],
        colours=COLOURS,
        status_label=schedule_label,
    )
