"""What the milestone reports show, computed once from a PlanResult (migrate.plan.engine.compute).

Nothing is rescheduled here. The only arithmetic is presentation: calendar days from the as-of date
to each deadline, and the colour of a milestone bar from its own deadline float with the plan's
thresholds (migrate.plan.status.colour). The names of the procedure's phases come in with the view
(from the procedure template, read by the plan engine's loader), never read here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from migrate.i18n import get_lang, t
from migrate.report.format import fmt_date, percent, stamp
from migrate.report.labels import milestone_state_label, schedule_label

if TYPE_CHECKING:
    from migrate.plan.baseline import Baseline
    from migrate.plan.result import BusinessResult, MilestoneResult, PlanResult

REASONS_SHOWN = 4  # in the HTML status table; the rest fold away (all are on the Excel 注記 sheet)
_RANK = {"red": 0, "amber": 1, "green": 2}
UNFINISHED = ("not-started", "in-progress")
PhaseNames = Mapping[str, tuple[str, str]]  # phase id → (Japanese, English)


def ordered(result: PlanResult) -> list[BusinessResult]:
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


def business_name(b: BusinessResult) -> str:
    return b.name_en if get_lang() == "en" and b.name_en else b.name


def business_label(b: BusinessResult) -> str:
    name = business_name(b)
    return f"{b.code} {name}" if b.code else str(name)


def milestone_name(m: MilestoneResult) -> str:
    return m.name_en if get_lang() == "en" and m.name_en else m.name


def milestone_label(m: MilestoneResult) -> str:
    return f"{m.id} {milestone_name(m)}"


def is_critical(m: MilestoneResult) -> bool:
    """Unfinished work on the critical path (no float left) or on its business's driving chain."""
    return m.state in UNFINISHED and (m.critical or m.on_critical_path)


def critical_milestones(b: BusinessResult) -> list[MilestoneResult]:
    return [m for m in b.milestones if is_critical(m)]


def critical_text(b: BusinessResult, limit: int = 3) -> str:
    crit = critical_milestones(b)
    text = ", ".join(milestone_label(m) for m in crit[:limit])
    if len(crit) > limit:
        text += t(" 他 {n} 件", " and {n} more", n=len(crit) - limit)
    return text


def days_to_deadline(b: BusinessResult, as_of: dt.date) -> int:
    """Calendar days from the as-of date to the deadline (negative: the deadline has passed)."""
    return (b.deadline - as_of).days


def colour_of(b: BusinessResult) -> str:
    """The business's colour: grey once migrated on time, else its status (amber: migrated late)."""
    return "grey" if b.migrated and b.overrun_working_days <= 0 else str(b.status)


def business_status_label(b: BusinessResult) -> str:
    if b.migrated and b.overrun_working_days > 0:
        return t("移行済 (期限後)", "migrated late")
    return t("移行済", "migrated") if b.migrated else schedule_label(b.status)


def deadline_text(b: BusinessResult, as_of: dt.date) -> str:
    if b.migrated:
        return t("移行済", "migrated")
    days = days_to_deadline(b, as_of)
    if days >= 0:
        return t("残り {n} 日", "{n} days left", n=f"{days:,}")
    return t("期限経過 {n} 日", "{n} days past", n=f"{-days:,}")


def overrun_text(b: BusinessResult) -> str:
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


def risk_text(result: PlanResult, b: BusinessResult) -> str:
    """`期限内確率 97.8% · P80 2027-03-24` when the result carries `plan risk` (else empty)."""
    if result.risk is None:
        return ""
    rb = result.risk.business(b.id)
    if rb.probability is None or b.migrated:
        return ""
    p80 = rb.p80.isoformat() if rb.p80 else "-"
    return t("期限内確率 {p} · P80 {d}", "P(on time) {p} · P80 {d}", p=percent(rb.probability * 100), d=p80)


def probability(result: PlanResult, b: BusinessResult) -> float | str:
    """P(on time) of a business as a 0–1 number, "-" once migrated, 未計算 when `plan risk` did not run."""
    if result.risk is None:
        return t("未計算", "not computed")
    if b.migrated:
        return "-"
    try:
        p = result.risk.business(b.id).probability
    except KeyError:
        return t("未計算", "not computed")
    return "-" if p is None else p


def slip_text(days: int | None) -> str:
    if days is None:
        return ""
    if days > 0:
        return t("{n} 営業日遅れ", "{n} working days later", n=days)
    if days < 0:
        return t("{n} 営業日前倒し", "{n} working days earlier", n=-days)
    return t("変化なし", "unchanged")


def national_label(m: MilestoneResult) -> str:
    return milestone_state_label(m.state) if get_lang() == "en" else str(m.national_status)


def milestone_colour(m: MilestoneResult, thresholds: object) -> str:
    """Grey when done; else the plan's colour rule applied to the milestone's own deadline float."""
    if m.state == "done":
        return "grey"
    from migrate.plan.model import Thresholds
    from migrate.plan.status import colour

    th = thresholds if isinstance(thresholds, Thresholds) else Thresholds(**dict(thresholds))  # type: ignore[call-overload]
    return str(colour(m.deadline_float, th))


def title_of(result: PlanResult) -> str:
    return t(
        "{m} 基幹業務システム標準化 移行状況",
        "{m}: standardisation of core systems, migration status",
        m=result.municipality,
    )


def meta_lines(result: PlanResult, date_style: str, generated: dt.datetime) -> list[str]:
    n = result.national
    c = result.counts
    lines = [
        t(
            "基準日 {d} · 作成 {g} · 国の目標 {n}",
            "as of {d} · generated {g} · national target {n}",
            d=fmt_date(result.as_of, date_style),
            g=stamp(generated),
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
            d=percent(n.completion_rate),
            w=percent(n.in_progress_rate),
            ns=percent(n.not_started_rate),
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


@dataclass(frozen=True)
class BusinessRow:
    """One business as every rendering shows it: the result, and what is derived from it once."""

    b: BusinessResult
    label: str
    colour: str
    status_label: str
    days_to_deadline: int
    probability: float | str
    phase: str
    critical: tuple[MilestoneResult, ...]


@dataclass(frozen=True)
class PlanView:
    """The milestone report of one PlanResult: businesses most urgent first, labels made once."""

    result: PlanResult
    date_style: str
    generated: dt.datetime
    title: str
    meta_lines: tuple[str, ...]
    rows: tuple[BusinessRow, ...]
    baseline: Baseline | None = None
    phases: PhaseNames = field(default_factory=dict)

    def phase_label(self, phase: str | None) -> str:
        return phase_label(self.phases, phase)


def phase_label(names: PhaseNames, phase: str | None) -> str:
    """A phase by the procedure template's name (its id when the template does not name it)."""
    if not phase:
        return ""
    pair = names.get(phase)
    return t(pair[0], pair[1]) if pair else phase


def build_view(
    result: PlanResult,
    *,
    date_style: str = "seireki",
    generated: dt.datetime,
    baseline: Baseline | None = None,
    phases: PhaseNames | None = None,
) -> PlanView:
    names: PhaseNames = dict(phases or {})
    rows = tuple(
        BusinessRow(
            b=b,
            label=business_label(b),
            colour=colour_of(b),
            status_label=business_status_label(b),
            days_to_deadline=days_to_deadline(b, result.as_of),
            probability=probability(result, b),
            phase=phase_label(names, b.phase),
            critical=tuple(critical_milestones(b)),
        )
        for b in ordered(result)
    )
    return PlanView(
        result=result,
        date_style=date_style,
        generated=generated,
        title=title_of(result),
        meta_lines=tuple(meta_lines(result, date_style, generated)),
        rows=rows,
        baseline=baseline,
        phases=names,
    )
