"""Invariants of the CPM engine on random plans (hypothesis)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import jpholiday
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrate.plan.calendar import _holidays
from migrate.plan.engine import compute
from migrate.plan.result import PlanResult
from tests.plan.util import make_plan

AS_OF = dt.date(2026, 6, 1)


@st.composite
def random_plans(draw: st.DrawFn, deadlines: bool) -> dict[str, Any]:
    """One or two businesses, random DAGs (edges only forward), optional cross-business links."""
    businesses: dict[str, Any] = {}
    keys: list[str] = []
    for bid in draw(st.sampled_from([["juki"], ["juki", "kokuho"]])):
        n = draw(st.integers(min_value=1, max_value=9))
        milestones = []
        for i in range(n):
            earlier = keys[:]  # milestones of earlier businesses and earlier ones of this one
            deps = draw(st.lists(st.sampled_from(earlier), max_size=3, unique=True)) if earlier else []
            milestones.append(
                {
                    "id": f"m{i}",
                    "name": f"M{i}",
                    "duration": draw(st.integers(min_value=0, max_value=15)),
                    "depends_on": [d if not d.startswith(f"{bid}:") else d.partition(":")[2] for d in deps],
                }
            )
            keys.append(f"{bid}:m{i}")
        spec: dict[str, Any] = {"milestones": milestones}
        if deadlines:
            spec["deadline"] = (
                AS_OF + dt.timedelta(days=draw(st.integers(min_value=0, max_value=120)))
            ).isoformat()
        businesses[bid] = spec
    return businesses


def _unfinished(r: PlanResult) -> list[Any]:
    return [m for b in r.businesses for m in b.milestones if m.state in ("not-started", "in-progress")]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_plans(deadlines=False))
def test_without_a_binding_deadline_floats_are_never_negative(businesses: dict[str, Any]) -> None:
    r = compute(make_plan(businesses, start=AS_OF.isoformat()), AS_OF)
    ms = _unfinished(r)
    # Float is toward the deadlines only (2040 here), never toward the plan's own finish.
    assert all(m.total_float is not None and m.total_float > 0 for m in ms)
    assert all(m.free_float is not None and 0 <= m.free_float <= m.total_float for m in ms)
    assert not any(m.critical for m in ms) and not r.critical_path
    assert all(b.overrun_working_days == 0 for b in r.businesses)
    for b in r.businesses:
        assert b.float_days is not None and b.slack is not None and 0 < b.float_days <= b.slack
        # the business's driving chain has the float its header states, or less for another's deadline
        assert all((r.milestone(k).total_float or 0) <= b.slack for k in b.critical_path)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_plans(deadlines=True))
def test_negative_float_equals_the_overrun(businesses: dict[str, Any]) -> None:
    r = compute(make_plan(businesses, start=AS_OF.isoformat()), AS_OF)
    ms = _unfinished(r)
    worst = max(b.overrun_working_days for b in r.businesses)
    least = min(m.total_float for m in ms if m.total_float is not None)
    if worst == 0:
        assert least >= 0
    else:
        assert least == -worst
    for b in r.businesses:
        ends = [r.milestone(k) for k in b.deadline_milestones]
        own = min(m.total_float for m in ends if m.total_float is not None)
        if b.overrun_working_days:
            assert own <= -b.overrun_working_days
            assert b.float_days is not None and b.float_days <= -b.overrun_working_days
            assert b.status == "red"
        assert b.slack is not None and b.overrun_working_days == max(0, -b.slack)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_plans(deadlines=True))
def test_schedule_respects_every_dependency(businesses: dict[str, Any]) -> None:
    r = compute(make_plan(businesses, start=AS_OF.isoformat()), AS_OF)
    for b in r.businesses:
        for m in b.milestones:
            assert m.early_start is not None and m.early_start >= AS_OF
            for dep in m.depends_on:
                p = r.milestone(dep)
                assert p.early_finish is not None
                if p.duration and m.duration:
                    assert p.early_finish < m.early_start
            if m.late_start is not None and m.early_start is not None:
                assert (m.late_start >= m.early_start) == (m.total_float is not None and m.total_float >= 0)


def test_fast_holidays_match_jpholiday() -> None:
    for year in (2019, 2020, 2021, 2026):  # era change, Olympics moves, GW 振替休日
        assert _holidays(year) == dict(jpholiday.year_holidays(year))
