"""Compute a plan's status from an as-of date: schedule, floats, colours, reasons, national figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

from migrate.plan.baseline import Baseline
from migrate.plan.calendar import WorkCalendar
from migrate.plan.catalog import BusinessInfo, business_catalog
from migrate.plan.cpm import UNFINISHED, Schedule, driving_chain, schedule
from migrate.plan.gates import GateSource, NoMeasurements, evaluate
from migrate.plan.model import Business, Plan, dependency_key
from migrate.plan.national import combine, figures, reported_status
from migrate.plan.result import BusinessResult, GateResult, MilestoneResult, PlanResult
from migrate.plan.status import business_status, expected_progress, gate_notes, migrated_late, reasons


def compute(
    plan: Plan,
    as_of: dt.date,
    *,
    gates: GateSource | None = None,
    baseline: Baseline | None = None,
    extra_days: Mapping[str, int] | None = None,
    path: str | Path | None = None,
    catalog: Mapping[str, BusinessInfo] | None = None,
) -> PlanResult:
    """The full status of a valid plan as of a date (actuals after that date are ignored)."""
    cal = WorkCalendar.from_config(plan.calendar)
    gate_results = gate_states(plan, as_of, gates)
    held = {k for k, g in gate_results.items() if g.holds}
    s = schedule(plan, as_of, cal, extra_days, held)
    return _result(s, plan, as_of, cal, gate_results, baseline, path, catalog)


def compute_many(
    plans: Sequence[Plan],
    as_of: dt.date,
    *,
    gates: GateSource | None = None,
    paths: Sequence[str | Path | None] = (),
    catalog: Mapping[str, BusinessInfo] | None = None,
    milestones: bool = False,
) -> list[PlanResult]:
    """The status of many plans at once (migrate.plan.batch): equal to `compute` of each, business by
    business; without `milestones` the per-milestone results are left out (a roll-up needs none)."""
    from migrate.plan.batch import schedules

    gate_results = [gate_states(p, as_of, gates) for p in plans]
    held = [{k for k, g in gr.items() if g.holds} for gr in gate_results]
    names = catalog if catalog is not None else business_catalog()
    return [
        _result(s, p, as_of, s.index.calendar, gr, None, path, names, milestones)
        for s, p, gr, path in zip(
            schedules(plans, as_of, held), plans, gate_results, paths or [None] * len(plans), strict=True
        )
    ]


def _result(
    s: Schedule,
    plan: Plan,
    as_of: dt.date,
    cal: WorkCalendar,
    gate_results: Mapping[str, GateResult],
    baseline: Baseline | None,
    path: str | Path | None,
    catalog: Mapping[str, BusinessInfo] | None,
    milestones: bool = True,
) -> PlanResult:
    names = catalog if catalog is not None else business_catalog()
    slips: dict[str, int | None] = {}
    if baseline is not None:
        for key in s.milestone:
            base, now = baseline.finish_of(key), s.actual_finish[key] or s.finish_date(key)
            slips[key] = cal.working_days_between(base, now) if base and now else None
    critical = {k for k in s.order if s.state[k] in UNFINISHED and (tf := s.tf[k]) is not None and tf <= 0}
    businesses = tuple(
        _business(s, plan, b, cal, names.get(b.id), gate_results, slips, critical, baseline, milestones)
        for b in plan.businesses
    )
    counts = {c: sum(1 for b in businesses if b.status == c) for c in ("green", "amber", "red")}
    counts["migrated"] = sum(1 for b in businesses if b.migrated)
    counts["late"] = sum(1 for b in businesses if b.overrun_working_days > 0)
    counts["businesses"] = len(businesses)
    return PlanResult(
        municipality=plan.municipality.name,
        lg_code=plan.municipality.lg_code,
        prefecture=plan.municipality.prefecture,
        group=plan.municipality.group,
        path=str(path) if path is not None else None,
        as_of=as_of,
        as_of_working_day=s.index.date(s.as_of_index),
        national_target=plan.national_target,
        plan_start=plan.start,
        plan_finish=s.index.date(s.plan_finish - 1) if s.plan_finish > s.origin else None,
        thresholds=plan.thresholds.model_dump(),
        counts=counts,
        critical_path=tuple(sorted(critical, key=lambda k: (s.es[k] or 0, s.ef[k] or 0, k))),
        national=combine(b.national for b in businesses),
        businesses=businesses,
        warnings=tuple(s.warnings),
        baseline={"name": baseline.name, "as_of": baseline.as_of.isoformat()} if baseline else None,
    )


def gate_states(plan: Plan, as_of: dt.date, gates: GateSource | None) -> dict[str, GateResult]:
    """Every gate of the plan against the source (none: all not measured), stale after gate_max_age."""
    source = gates or NoMeasurements()
    return {
        f"{b.id}:{m.id}": evaluate(f"{b.id}:{m.id}", m.gate, source, as_of, plan.gate_max_age)
        for b in plan.businesses
        for m in b.milestones
        if m.gate is not None
    }


def _business(
    s: Schedule,
    plan: Plan,
    b: Business,
    cal: WorkCalendar,
    info: BusinessInfo | None,
    gate_results: Mapping[str, GateResult],
    slips: Mapping[str, int | None],
    critical: Collection[str],
    baseline: Baseline | None,
    with_milestones: bool = True,
) -> BusinessResult:
    keys = [f"{b.id}:{m.id}" for m in b.milestones]
    ends = s.deadline_nodes[b.id]
    chain = driving_chain(s, ends)
    on_chain = set(chain)
    migrated = all(s.state[k] in ("done", "not-applicable") for k in ends)
    end_finishes = [f for k in ends if s.state[k] != "not-applicable" and (f := _finish(s, k)) is not None]
    projected = max(end_finishes) if end_finishes else None
    deadline = plan.deadline_of(b)
    end_efs = [ef for k in ends if s.state[k] != "not-applicable" and (ef := s.ef[k]) is not None]
    slack = s.deadline_index[b.id] - max(end_efs) if end_efs else None
    overrun = max(0, -slack) if slack is not None else 0
    overrun_days = max(0, (projected - deadline).days) if projected and overrun else 0
    unfinished = {k for k in keys if s.state[k] in UNFINISHED}
    dfs = [d for k in unfinished if (d := s.df[k]) is not None]
    float_days = None if migrated else (min(dfs) if dfs else slack)
    gates = tuple(gate_results[k] for k in keys if k in gate_results)
    status = business_status(float_days, migrated, gates, unfinished, plan.thresholds, overrun)
    why = (
        ((migrated_late(b.id, str(projected), str(deadline), overrun, overrun_days),) if overrun else ())
        + gate_notes(b.id, gates, unfinished)
        if migrated
        else reasons(
            s,
            b.id,
            chain,
            overrun,
            overrun_days,
            str(projected) if projected else None,
            str(deadline),
            gates,
            slips,
            plan.thresholds,
            float_days,
        )
    )
    milestones = (
        tuple(
            _milestone(s, k, gate_results.get(k), k in critical, k in on_chain, baseline, slips) for k in keys
        )
        if with_milestones
        else ()
    )
    spans = [_span(s, k) for k in keys]
    starts = [a for a, _ in spans if a]
    finishes = [z for _, z in spans if z]
    pending = sorted(unfinished, key=lambda k: (s.es[k] or 0, k))
    statuses = [reported_status(s.status[k], s.state[k]) for k in keys if s.milestone[k].step is not None]
    base_b = baseline.businesses.get(b.id) if baseline else None
    base_finish = base_b.projected_finish if base_b else None
    return BusinessResult(
        id=b.id,
        code=info.code if info else None,
        name=b.name or (info.name_ja if info else b.id),
        name_en=info.name_en if info else None,
        vendor=b.vendor,
        deadline=deadline,
        special_support=b.special_support,
        deadline_reason=b.deadline_reason,
        deadline_milestones=ends,
        start=min(starts) if starts else None,
        finish=max(finishes) if finishes else None,
        projected_finish=projected,
        migrated=migrated,
        float_days=float_days,
        slack=slack,
        overrun_working_days=overrun,
        overrun_calendar_days=overrun_days,
        status=status,
        phase=s.milestone[pending[0]].phase if pending else None,
        current=tuple(k for k in keys if s.state[k] == "in-progress"),
        reasons=why,
        critical_path=chain,
        national=figures(statuses, plan.national_steps),
        gates=gates,
        milestones=milestones,
        baseline_projected_finish=base_finish,
        slip=cal.working_days_between(base_finish, projected) if base_finish and projected else None,
    )


def _span(s: Schedule, key: str) -> tuple[dt.date | None, dt.date | None]:
    """(start, finish) as a MilestoneResult shows them: actual, else projected (early)."""
    state = s.state[key]
    if state == "done":
        return s.actual_start[key], s.actual_finish[key]
    early = state != "not-applicable"
    return (
        s.actual_start[key] or (s.start_date(key) if early else None),
        s.actual_finish[key] or (s.finish_date(key) if early else None),
    )


def _finish(s: Schedule, key: str) -> dt.date | None:
    return s.actual_finish[key] if s.state[key] == "done" else s.finish_date(key)


def _milestone(
    s: Schedule,
    key: str,
    gate: GateResult | None,
    critical: bool,
    on_chain: bool,
    baseline: Baseline | None,
    slips: Mapping[str, int | None],
) -> MilestoneResult:
    m = s.milestone[key]
    state = s.state[key]
    business = s.business_of[key]
    scheduled = state in UNFINISHED
    idx = s.index
    ls, lf = s.ls[key], s.lf[key]
    early_start = s.start_date(key) if state != "not-applicable" else None
    early_finish = s.finish_date(key) if state != "not-applicable" else None
    return MilestoneResult(
        key=key,
        business=business,
        id=m.id,
        name=m.name,
        name_en=m.name_en,
        phase=m.phase,
        step=m.step,
        state=state,
        national_status=reported_status(s.status[key], state).value,
        duration=s.duration[key],
        remaining=s.remaining[key] if scheduled else None,
        progress=100.0 if state == "done" else s.progress.get(key, m.progress),
        expected_progress=expected_progress(s, key),
        planned_start=m.planned_start,
        planned_finish=m.planned_finish,
        actual_start=s.actual_start[key],
        actual_finish=s.actual_finish[key],
        start=s.actual_start[key] or (early_start if state != "done" else None),
        finish=s.actual_finish[key] or (early_finish if state != "done" else None),
        early_start=early_start,
        early_finish=early_finish,
        late_start=idx.start_date(ls) if scheduled and ls is not None else None,
        late_finish=idx.finish_date(ls, lf) if scheduled and ls is not None and lf is not None else None,
        total_float=s.tf[key] if scheduled else None,
        free_float=s.ff[key] if scheduled else None,
        deadline_float=s.df[key] if scheduled else None,
        binding_deadline=s.binding[key] if scheduled else None,
        critical=critical,
        on_critical_path=on_chain,
        depends_on=tuple(dependency_key(business, r) for r in m.depends_on),
        gate=gate,
        baseline_finish=baseline.finish_of(key) if baseline else None,
        slip=slips.get(key),
    )
