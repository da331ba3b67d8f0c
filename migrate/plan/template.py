"""The step template (the 手順書's ~40 steps in four phases) and the plans `plan init` makes from it."""

from __future__ import annotations

import datetime as dt
import graphlib
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator

from migrate.i18n import t
from migrate.plan.catalog import BusinessInfo
from migrate.plan.model import (
    MILESTONE_ID_RE,
    NATIONAL_STEPS,
    NATIONAL_TARGET,
    Business,
    Milestone,
    Municipality,
    NationalStatus,
    Plan,
    _Frozen,
)
from migrate.yamlfile import check_kind, load_yaml, pydantic_error

TEMPLATE_KIND = "migrate/procedure-template"


class Phase(_Frozen):
    id: str
    name_ja: str
    name_en: str


class Step(_Frozen):
    id: str = Field(pattern=MILESTONE_ID_RE)
    step: int | None = Field(default=None, ge=1)
    phase: str
    name_ja: str
    name_en: str
    duration: int = Field(ge=0)  # typical, working days
    depends_on: tuple[str, ...] = ()
    provenance: Literal["official", "assumed"] = "assumed"


class CrossRule(_Frozen):
    """`step` of each listed business (or all) depends on `depends_on` (business:step) when both are in."""

    step: str
    depends_on: str = Field(pattern=r"^[a-z][a-z0-9-]*:[A-Za-z0-9][A-Za-z0-9_.-]*$")
    businesses: Literal["all"] | tuple[str, ...] = "all"
    reason_ja: str | None = None
    reason_en: str | None = None

    def applies_to(self, business_id: str) -> bool:
        source = self.depends_on.partition(":")[0]
        if business_id == source:
            return False
        return self.businesses == "all" or business_id in self.businesses


class ProcedureTemplate(_Frozen):
    kind: Literal["migrate/procedure-template"]
    format: Literal[1]
    id: str
    title: str
    source: str | None = None
    provenance: Literal["official", "assumed"] = "assumed"
    notes: str | None = None
    national_steps: int = Field(default=NATIONAL_STEPS, ge=1)
    deadline_steps: tuple[str, ...] = ()
    phases: tuple[Phase, ...] = Field(min_length=1)
    steps: tuple[Step, ...] = Field(min_length=1)
    cross_business: tuple[CrossRule, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> ProcedureTemplate:
        ids = [s.id for s in self.steps]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"duplicate step ids: {', '.join(dup)}")
        known, phases = set(ids), {p.id for p in self.phases}
        for s in self.steps:
            if s.phase not in phases:
                raise ValueError(f"step {s.id}: unknown phase {s.phase!r}")
            for d in s.depends_on:
                if d not in known:
                    raise ValueError(f"step {s.id}: unknown dependency {d!r}")
        for d in self.deadline_steps:
            if d not in known:
                raise ValueError(f"deadline_steps: unknown step {d!r}")
        for rule in self.cross_business:
            if rule.step not in known or rule.depends_on.partition(":")[2] not in known:
                raise ValueError(f"cross_business: unknown step in {rule.step} → {rule.depends_on}")
        try:
            tuple(graphlib.TopologicalSorter({s.id: s.depends_on for s in self.steps}).static_order())
        except graphlib.CycleError as exc:
            raise ValueError(f"the steps' dependencies form a cycle: {' → '.join(exc.args[1])}") from None
        return self


def default_template_path() -> Path:
    return Path(str(resources.files("migrate") / "data" / "procedure-template.yaml"))


def load_template(path: str | Path | None = None) -> ProcedureTemplate:
    doc = load_yaml(path or default_template_path())
    check_kind(doc, TEMPLATE_KIND)
    try:
        return ProcedureTemplate.model_validate(doc.data)
    except ValidationError as exc:
        raise pydantic_error(doc, exc) from None


def build_plan(
    template: ProcedureTemplate,
    *,
    municipality: str,
    lg_code: str,
    businesses: Sequence[BusinessInfo],
    start: dt.date,
    deadline: dt.date | None = None,
    deadline_reason: str | None = None,
    template_name: str | None = None,
) -> Plan:
    """A plan with every step of the template for each business, ready for the PMO to edit."""
    planned = {b.id for b in businesses}
    out: list[Business] = []
    for info in businesses:
        extra: dict[str, list[str]] = {}
        for rule in template.cross_business:
            if rule.applies_to(info.id) and rule.depends_on.partition(":")[0] in planned:
                extra.setdefault(rule.step, []).append(rule.depends_on)
        milestones = tuple(
            Milestone(
                id=s.id,
                name=s.name_ja,
                name_en=s.name_en,
                phase=s.phase,
                step=s.step,
                duration=s.duration,
                status=NationalStatus.not_started,
                depends_on=(*s.depends_on, *extra.get(s.id, ())),
            )
            for s in template.steps
        )
        out.append(
            Business(
                id=info.id,
                name=info.name_ja,
                deadline=deadline or NATIONAL_TARGET,
                special_support=deadline is not None and deadline > NATIONAL_TARGET,
                deadline_reason=deadline_reason,
                milestones=milestones,
            )
        )
    return Plan(
        municipality=Municipality(name=municipality, lg_code=lg_code),
        start=start,
        national_steps=template.national_steps,
        deadline_milestones=template.deadline_steps,
        template=template_name or template.id,
        businesses=tuple(out),
    )


def late_from_the_start(plan: Plan) -> str | None:
    """One line when a fresh plan is already late: start, deadline, the working days it needs, why.

    A plan made today from the 40-step template for a past or near deadline is hundreds of working
    days late before anyone enters an actual: say so at `plan init`, not in the first status report.
    """
    from migrate.plan.calendar import WorkCalendar
    from migrate.plan.engine import compute

    result = compute(plan, plan.start, catalog={})
    late = [b for b in result.businesses if b.overrun_working_days > 0]
    if not late:
        return None
    worst = max(late, key=lambda b: b.overrun_working_days)
    assert worst.projected_finish is not None
    cal = WorkCalendar.from_config(plan.calendar)
    need = cal.working_days_between(plan.start, worst.projected_finish + dt.timedelta(days=1))
    return t(
        "注意: {n} 業務が期限に間に合わない計画です。開始 {s}、期限 {d}、所要 {w} 営業日 ({b}) で "
        "{o} 営業日超過。作業が既に始まっているなら --start に実際の開始日を指定し、実績を記入してください",
        "note: {n} businesses miss their deadline from the start: start {s}, deadline {d}, {w} working "
        "days of work ({b}), {o} working days late. If the work began earlier, pass --start with the "
        "real start date and fill in the actuals",
        n=len(late),
        s=plan.start,
        d=worst.deadline,
        w=need,
        b=worst.id,
        o=worst.overrun_working_days,
    )
