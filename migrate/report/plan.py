"""Milestone reports for leadership: an Excel workbook (summary, Gantt, milestones) or one HTML file.

Rendered from a PlanResult (migrate.plan.engine.compute); nothing is rescheduled here. The only
arithmetic is presentation: calendar days from the as-of date to each deadline, and the colour of
a milestone bar from its own deadline float with the plan's thresholds (migrate.plan.status.colour).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migrate.errors import UsageError
from migrate.i18n import get_lang, t
from migrate.report.style import DATE_STYLES, fmt_date, status_label

if TYPE_CHECKING:
    from markupsafe import Markup

FORMATS = ("xlsx", "html")
REASONS_SHOWN = 4  # in the HTML status table; the rest fold away (all are on the Excel 注記 sheet)
_RANK = {"red": 0, "amber": 1, "green": 2}
UNFINISHED = ("not-started", "in-progress")


# ------------------------------------------------------------------------------------ shared helpers


def ordered(result: Any) -> list[Any]:
    """Businesses most urgent first: red, amber, green; then the least slack; then the 3-digit code."""
    return sorted(
        result.businesses,
        key=lambda b: (
            _RANK.get(b.status, 3),
            b.migrated,
            b.slack if b.slack is not None else 10**6,
            b.code or "999",
            b.id,
        ),
    )


def business_label(b: Any) -> str:
    name = b.name_en if get_lang() == "en" and b.name_en else b.name
    return f"{b.code} {name}" if b.code else str(name)


def milestone_label(m: Any) -> str:
    name = m.name_en if get_lang() == "en" and m.name_en else m.name
    return f"{m.id} {name}"


def is_critical(m: Any) -> bool:
    """Unfinished work on the critical path (no float left) or on its business's driving chain."""
    return m.state in UNFINISHED and (m.critical or m.on_critical_path)


def critical_milestones(b: Any) -> list[Any]:
    return [m for m in b.milestones if is_critical(m)]


def critical_text(b: Any, limit: int = 3) -> str:
    crit = critical_milestones(b)
    text = ", ".join(milestone_label(m) for m in crit[:limit])
    if len(crit) > limit:
        text += t(" 他 {n} 件", " and {n} more", n=len(crit) - limit)
    return text


def days_to_deadline(b: Any, as_of: dt.date) -> int:
    """Calendar days from the as-of date to the deadline (negative: the deadline has passed)."""
    return (b.deadline - as_of).days


def colour_of(b: Any) -> str:
    """The business's colour: grey once migrated on time, else its status (amber: migrated late)."""
    return "grey" if b.migrated and b.overrun_working_days <= 0 else str(b.status)


def business_status_label(b: Any) -> str:
    if b.migrated and b.overrun_working_days > 0:
        return t("移行済 (期限後)", "migrated late")
    return t("移行済", "migrated") if b.migrated else status_label(b.status)


def deadline_text(b: Any, as_of: dt.date) -> str:
    if b.migrated:
        return t("移行済", "migrated")
    days = days_to_deadline(b, as_of)
    if days >= 0:
        return t("残り {n} 日", "{n} days left", n=f"{days:,}")
    return t("期限経過 {n} 日", "{n} days past", n=f"{-days:,}")


def overrun_text(b: Any) -> str:
    if b.migrated and b.overrun_working_days > 0:
        return t(
            "移行済 (期限後 {c} 日, {w} 営業日)",
            "migrated {c} days late ({w} working days)",
            c=f"{b.overrun_calendar_days:,}",
            w=f"{b.overrun_working_days:,}",
        )
    if b.migrated:
        return t("移行済", "migrated")
    if b.overrun_calendar_days > 0:
        return t(
            "{c} 日超過見込 ({w} 営業日)",
            "{c} days late ({w} working days)",
            c=f"{b.overrun_calendar_days:,}",
            w=f"{b.overrun_working_days:,}",
        )
    if b.slack is not None:
        return t("余裕 {n} 営業日", "{n} working days to spare", n=b.slack)
    return ""


def risk_text(result: Any, b: Any) -> str:
    """`期限内確率 97.8% · P80 2027-03-24` when the result carries `plan risk` (else empty)."""
    risk = getattr(result, "risk", None)
    if risk is None:
        return ""
    rb = risk.business(b.id)
    if rb.probability is None or b.migrated:
        return ""
    p80 = rb.p80.isoformat() if rb.p80 else "-"
    return t("期限内確率 {p} · P80 {d}", "P(on time) {p} · P80 {d}", p=f"{rb.probability * 100:.1f}%", d=p80)


def slip_text(days: int | None) -> str:
    if days is None:
        return ""
    if days > 0:
        return t("{n} 営業日遅れ", "{n} working days later", n=days)
    if days < 0:
        return t("{n} 営業日前倒し", "{n} working days earlier", n=-days)
    return t("変化なし", "unchanged")


def state_label(state: str) -> str:
    return {
        "not-started": t("未着手", "not started"),
        "in-progress": t("作業中", "in progress"),
        "done": t("完了済み", "done"),
        "not-applicable": t("対象外", "not applicable"),
    }.get(state, state)


def national_label(m: Any) -> str:
    return state_label(m.state) if get_lang() == "en" else str(m.national_status)


@lru_cache(maxsize=1)
def _phase_names() -> dict[str, tuple[str, str]]:
    try:
        from migrate.plan.template import load_template

        return {p.id: (p.name_ja, p.name_en) for p in load_template().phases}
    except Exception:  # noqa: BLE001 - phase names are cosmetic; fall back to the ids
        return {}


def phase_label(phase: str | None) -> str:
    if not phase:
        return ""
    names = _phase_names().get(phase)
    return t(names[0], names[1]) if names else phase


def milestone_colour(m: Any, thresholds: Any) -> str:
    """Grey when done; else the plan's colour rule applied to the milestone's own deadline float."""
    if m.state == "done":
        return "grey"
    from migrate.plan.model import Thresholds
    from migrate.plan.status import colour

    th = thresholds if isinstance(thresholds, Thresholds) else Thresholds(**dict(thresholds))
    return str(colour(m.deadline_float, th))


def pct(x: float | None) -> str:
    return "" if x is None else f"{x:.1f}%"


def _rate(x: float | None) -> str:
    """NationalFigures rates are percentages (2.5 per step of 40)."""
    return "" if x is None else f"{x:.1f}%"


def title_of(result: Any) -> str:
    return t(
        "{m} 基幹業務システム標準化 移行状況",
        "{m}: standardisation of core systems, migration status",
        m=result.municipality,
    )


def meta_lines(result: Any, date_style: str, generated: dt.datetime) -> list[str]:
    n = result.national
    c = result.counts
    lines = [
        t(
            "基準日 {d} · 作成 {g} · 国の目標 {n}",
            "as of {d} · generated {g} · national target {n}",
            d=fmt_date(result.as_of, date_style),
            g=generated.strftime("%Y-%m-%d %H:%M"),
            n=fmt_date(result.national_target, date_style),
        ),
        t(
            "遅延 {r} · 注意 {a} · 順調 {g} · 移行済 {m} / {b} 業務",
            "late {r} · at risk {a} · on track {g} · migrated {m} of {b} businesses",
            r=c.get("red", 0),
            a=c.get("amber", 0),
            g=c.get("green", 0),
            m=c.get("migrated", 0),
            b=c.get("businesses", len(result.businesses)),
        ),
        t(
            "国の指標 (手順 {s}): 完了率 {d} · 作業中率 {w} · 未着手率 {ns}",
            "national figures ({s} steps): completion {d} · in progress {w} · not started {ns}",
            s=n.steps,
            d=_rate(n.completion_rate),
            w=_rate(n.in_progress_rate),
            ns=_rate(n.not_started_rate),
        ),
    ]
    if result.baseline:
        lines.append(
            t(
                "基準計画 {n} ({d} 時点) との比較",
                "compared with baseline {n} (as of {d})",
                n=result.baseline.get("name"),
                d=result.baseline.get("as_of"),
            )
        )
    return lines


_UNSAFE_NAME = re.compile(r"[^\w.\-]+")


def default_path(result: Any, fmt: str) -> Path:
    stem = Path(result.path).stem if result.path else result.lg_code
    name = _UNSAFE_NAME.sub("_", f"plan-{stem}-{result.as_of.isoformat()}")
    return Path("reports") / f"{name}.{fmt}"


def write_plan_report(
    plan_result: Any,
    fmt: str,
    path: str | Path | None = None,
    *,
    date_style: str = "seireki",
    baseline: Any | None = None,
    generated: dt.datetime | None = None,
) -> Path:
    """Write the milestone report (xlsx or html) atomically and return its path.

    date_style: seireki (2026-03-31), wareki (令和8年3月31日) or nendo (2026-03-31（令和7年度）).
    baseline: the Baseline compared against (migrate.plan.baseline); when given, its milestone
    dates are drawn as thin bars under the HTML Gantt's bars. Slips come from the result.
    """
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
    when = generated or dt.datetime.now().replace(microsecond=0)
    target = Path(path) if path is not None else default_path(plan_result, fmt)
    if fmt == "xlsx":
        from migrate.report.xlsx_plan import write_workbook

        return write_workbook(plan_result, target, date_style=date_style, generated=when)
    from migrate.report.html import write_html

    return write_html(
        target, render_html(plan_result, date_style=date_style, baseline=baseline, generated=when)
    )


# ---------------------------------------------------------------------------------------------- HTML


def _year_label(date_style: str) -> Any:
    from migrate.wareki import fiscal_year_label

    if date_style == "wareki":
        return lambda fy: fiscal_year_label(dt.date(fy, 4, 1))
    return lambda fy: t("{y}年度", "FY{y}", y=fy)


def _lines(result: Any) -> list[Any]:
    from migrate.report.svg_gantt import Line

    return [
        Line(result.as_of, t("基準日", "as of") + f" {result.as_of.isoformat()}", "as_of"),
        Line(result.national_target, t("国の目標", "national target"), "deadline", dashed=True),
    ]


def overview_svg(result: Any, date_style: str = "seireki") -> Markup:
    """One row per business: its bar to the projected finish in its status colour, its deadline."""
    from migrate.report.svg_gantt import Bar, Row, gantt_svg

    rows = []
    for b in ordered(result):
        bars: list[Bar] = []
        end = b.projected_finish or b.finish
        if b.start and end:
            title = t(
                "{n}: {s} – {f} ({st})",
                "{n}: {s} – {f} ({st})",
                n=business_label(b),
                s=fmt_date(b.start, date_style),
                f=fmt_date(end, date_style),
                st=business_status_label(b),
            )
            bars.append(Bar(b.start, end, "grey" if b.migrated else b.status, False, title))
            crit = [m for m in critical_milestones(b) if m.start and m.finish]
            if crit:
                first = min(m.start for m in crit)
                last = max(m.finish for m in crit)
                bars.append(
                    Bar(first, last, b.status, True, t("重要工程", "critical path") + f": {critical_text(b)}")
                )
        note = overrun_text(b)
        rows.append(Row(business_label(b), tuple(bars), 0, b.deadline, note, b.id))
    return gantt_svg(
        rows,
        lines=_lines(result),
        title=t("業務別ガントチャート", "Gantt chart by business"),
        year_label=_year_label(date_style),
    )


def business_svg(result: Any, b: Any, date_style: str = "seireki", baseline: Any | None = None) -> Markup:
    """One row per milestone of a business: bars by colour, critical ones outlined, baseline below."""
    from migrate.report.svg_gantt import Bar, Row, gantt_svg

    rows = []
    base_b = baseline.businesses.get(b.id) if baseline is not None else None
    for m in b.milestones:
        if m.state == "not-applicable":
            continue
        bars: list[Bar] = []
        if base_b is not None:
            bm = base_b.milestones.get(m.id)
            if bm is not None and bm.start and bm.finish:
                bars.append(Bar(bm.start, bm.finish, "grey", False, t("基準計画", "baseline"), ghost=True))
        if m.start and m.finish:
            title = (
                f"{milestone_label(m)}: {fmt_date(m.start, date_style)} – {fmt_date(m.finish, date_style)}"
            )
            title += f" ({national_label(m)}"
            if m.total_float is not None:
                title += t(", 余裕 {n} 営業日", ", float {n} working days", n=m.total_float)
            title += ")"
            bars.append(Bar(m.start, m.finish, milestone_colour(m, result.thresholds), is_critical(m), title))
        deadline = b.deadline if m.key in b.deadline_milestones else None
        rows.append(Row(milestone_label(m), tuple(bars), 1, deadline, "", m.key))
    return gantt_svg(
        rows,
        lines=_lines(result),
        title=business_label(b),
        year_label=_year_label(date_style),
    )


def _status_row(result: Any, b: Any, date_style: str, baseline: Any | None) -> dict[str, Any]:
    """One business as the HTML status table and its Gantt section show it (plain values)."""
    days = days_to_deadline(b, result.as_of)
    return {
        "id": b.id,
        "label": business_label(b),
        "vendor": b.vendor or "-",
        "colour": colour_of(b),
        "status": business_status_label(b),
        "deadline": fmt_date(b.deadline, date_style),
        "special_support": bool(b.special_support),
        "deadline_text": deadline_text(b, result.as_of),
        "deadline_over": days < 0 and not b.migrated,
        "projected": fmt_date(b.projected_finish, date_style),
        "risk": risk_text(result, b),
        "overrun": overrun_text(b),
        "overrun_over": b.overrun_calendar_days > 0,
        "float": "" if b.float_days is None else b.float_days,
        "slip": slip_text(b.slip),
        "phase": phase_label(b.phase),
        "critical": critical_text(b),
        "reasons": [n.message for n in b.reasons[:REASONS_SHOWN]],
        "more": [n.message for n in b.reasons[REASONS_SHOWN:]],
        "open": b.status == "red",
        "svg": business_svg(result, b, date_style, baseline),
    }


def render_html(
    result: Any,
    *,
    date_style: str = "seireki",
    baseline: Any | None = None,
    generated: dt.datetime | None = None,
) -> str:
    """The report as one self-contained HTML document (templates/plan.html)."""
    from migrate.report.style import COLOURS
    from migrate.report.templating import render

    when = generated or dt.datetime.now().replace(microsecond=0)
    businesses = ordered(result)
    return render(
        "plan.html",
        title=title_of(result),
        generated=when,
        meta_lines=meta_lines(result, date_style, when),
        counts=result.counts,
        businesses_total=len(result.businesses),
        completion_rate=_rate(result.national.completion_rate),
        rows=[_status_row(result, b, date_style, baseline) for b in businesses],
        overview=overview_svg(result, date_style),
        national=[
            [
                business_label(b),
                _rate(b.national.completion_rate),
                _rate(b.national.in_progress_rate),
                _rate(b.national.not_started_rate),
                f"{b.national.done} + {b.national.not_applicable} / {b.national.steps}",
            ]
            for b in businesses
        ],
        warnings=[w.message for w in result.warnings],
        colours=COLOURS,
        status_label=status_label,
    )
