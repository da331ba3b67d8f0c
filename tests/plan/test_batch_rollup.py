"""Roll-up at scale: batched schedules equal the per-plan CPM, per-prefecture figures, suites naming plans."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.rollup_bench import AS_OF, municipalities, plan_data, plan_text
from migrate.nightly.runner import NightlyOptions, run_nightly
from migrate.nightly.suite import load_suite
from migrate.plan.batch import schedules
from migrate.plan.catalog import business_catalog
from migrate.plan.cpm import Schedule, schedule
from migrate.plan.engine import compute, compute_many
from migrate.plan.load import load_plan
from migrate.plan.model import Plan
from migrate.plan.rollup import rollup
from migrate.plan.template import load_template
from migrate.standard.loader import load_registry
from tests.conftest import SPECS, run
from tests.nightly.conftest import NIGHT1, write_jumin, write_suite
from tests.plan.test_gates_history import BUSINESSES as GATED
from tests.plan.test_properties import random_plans
from tests.plan.util import DEMO, DEMO_TOWN, make_plan, write_plan

SHIFTED = ("es", "ef", "ls", "lf", "floor", "ready")
SAME = (
    "state",
    "duration",
    "remaining",
    "tf",
    "ff",
    "df",
    "binding",
    "floor_cause",
    "driving",
    "deadline_nodes",
)


def _generated(count: int, folder: Path | None = None) -> list[tuple[Path | None, Plan]]:
    """The bench's municipalities (real 団体コード): different starts, durations, statuses, actuals."""
    template, catalog = load_template(), business_catalog()
    out: list[tuple[Path | None, Plan]] = []
    for lg_code, pref, name in municipalities()[:: 1741 // count][:count]:
        data = plan_data(lg_code, pref, name, template, catalog, random.Random(lg_code))
        if folder is None:
            out.append((None, Plan.model_validate(data)))
        else:
            path = folder / f"{lg_code}.json"
            path.write_text(plan_text(data), encoding="utf-8")
            out.append((path, load_plan(path)))
    return out


def _same_schedule(batched: Schedule, serial: Schedule) -> None:
    shift = batched.index.start(serial.index.anchor)  # the batch counts from its earliest plan
    for name in SHIFTED:
        got = {k: None if v is None else v - shift for k, v in getattr(batched, name).items()}
        assert got == getattr(serial, name), name
    for name in SAME:
        assert getattr(batched, name) == getattr(serial, name), name
    assert batched.plan_finish - shift == serial.plan_finish
    assert [w.to_dict() for w in batched.warnings] == [w.to_dict() for w in serial.warnings]


def _without_milestones(r: Any) -> dict[str, Any]:
    d = r.to_dict()
    for b in d["businesses"]:
        b["milestones"] = []
    return d


@pytest.mark.parametrize("as_of", [AS_OF, dt.date(2026, 11, 24)])
def test_batched_schedules_equal_the_per_plan_cpm(as_of: dt.date) -> None:
    plans = [p for _, p in _generated(6)]
    demo = [load_plan(DEMO, set(business_catalog())), load_plan(DEMO_TOWN, set(business_catalog()))]
    everything = [*plans, *demo]
    states = {s for p in plans for s in schedule(p, as_of).state.values()}
    assert states == {"done", "in-progress", "not-started", "not-applicable"}  # every kind is exercised
    for batched, p in zip(schedules(everything, as_of), everything, strict=True):
        _same_schedule(batched, schedule(p, as_of))
    # the business-level results (what a roll-up reads) are equal too
    for got, p in zip(compute_many(everything, as_of), everything, strict=True):
        assert _without_milestones(got) == _without_milestones(compute(p, as_of))


def test_batched_gates_hold_like_the_serial_ones() -> None:
    from migrate.plan.gates import StaticGateSource

    plan = make_plan(GATED, start="2026-06-01")
    src = StaticGateSource({"juki.readiness": 0.8917}, {"juki.readiness": dt.date(2026, 6, 7)})
    day = dt.date(2026, 6, 8)
    other = make_plan(GATED, start="2026-06-01", lg_code="011002")
    got = compute_many([plan, other], day, gates=src)
    assert got[0].business("juki").status == "amber"
    assert _without_milestones(got[0]) == _without_milestones(compute(plan, day, gates=src))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(random_plans(deadlines=True), min_size=1, max_size=3), st.integers(0, 40))
def test_batched_equals_serial_on_random_plans(items: list[dict[str, Any]], offset: int) -> None:
    # plans of one shape batch together only when their steps and links agree: mixed shapes are
    # grouped apart, equal ones share the vectors; starts differ so the shared index is exercised
    start = dt.date(2026, 5, 1) + dt.timedelta(days=offset)
    plans = [make_plan(b, start=(start + dt.timedelta(days=7 * i)).isoformat()) for i, b in enumerate(items)]
    plans += [make_plan(items[0], start="2026-04-01")]
    day = dt.date(2026, 6, 1)
    for batched, p in zip(schedules(plans, day), plans, strict=True):
        _same_schedule(batched, schedule(p, day))


def test_prefecture_figures_and_the_national_rates(tmp_path: Path) -> None:
    items = _generated(5, tmp_path)
    results = compute_many([p for _, p in items], AS_OF)
    r = rollup(results)
    by_code = {s.key: s for s in r.by_prefecture}
    for res in results:
        pref = by_code[res.lg_code[:2]]
        assert pref.label != pref.key  # a real code has its prefecture's name
    for s in r.by_prefecture:
        members = [m for m in results if m.lg_code[:2] == s.key]
        done = sum(m.national.done + m.national.not_applicable for m in members)
        steps = sum(m.national.steps for m in members)
        assert s.national is not None and s.national.completion_rate == round(100 * done / steps, 1)
        assert s.municipalities == len(members)
        n = s.national
        assert abs(n.completion_rate + n.in_progress_rate + n.not_started_rate - 100) < 0.2
    assert r.risk is not None and r.risk["computed"] is False
    assert all(row.probability is None for row in r.rows)  # never a probability not computed


def test_rollup_cli_over_a_folder_of_json_plans(tmp_path: Path) -> None:
    items = _generated(3, tmp_path)
    res = run("--lang", "en", "plan", "rollup", str(tmp_path), "--as-of", AS_OF.isoformat())
    assert res.exit_code == 0, res.output
    assert "[by prefecture (first two digits of the 団体コード)]" in res.output
    assert "P(on time): not computed" in res.output
    data = json.loads(
        run("plan", "rollup", str(tmp_path), "--as-of", "2025-10-01", "--format", "json").output
    )
    assert data["data"]["totals"]["municipalities"] == 3 and data["data"]["risk"]["computed"] is False
    assert {p["key"] for p in data["data"]["by_prefecture"]} == {
        str(p.municipality.lg_code)[:2] for _, p in items
    }
    # the same plans as YAML give the same roll-up
    yaml_dir = tmp_path / "yaml"
    yaml_dir.mkdir()
    from migrate.plan.load import dump_plan

    for path, p in items:
        assert path is not None
        (yaml_dir / f"{path.stem}.yaml").write_text(dump_plan(p), encoding="utf-8")
    again = json.loads(
        run("plan", "rollup", str(yaml_dir), "--as-of", "2025-10-01", "--format", "json").output
    )
    for doc in (data, again):
        doc["data"]["paths"] = []
    assert again["data"] == data["data"]


def test_rollup_probability_columns_when_risk_is_asked(tmp_path: Path) -> None:
    items = _generated(2, tmp_path)
    args = ["--as-of", AS_OF.isoformat(), "--risk-runs", "200"]
    res = run("--lang", "en", "plan", "rollup", str(tmp_path), *args)
    assert res.exit_code == 0, res.output
    assert "P(on time): Monte-Carlo (200 runs) for 2 of 2 plans" in res.output
    data = json.loads(run("plan", "rollup", str(tmp_path), *args, "--format", "json").output)["data"]
    assert data["risk"] == {"computed": True, "plans_simulated": 2, "plans": 2, "runs": [200]}
    assert all(p["expected_late"] is not None for p in data["by_prefecture"])
    assert len(items) == 2


def test_a_json_plan_error_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    data = {"kind": "migrate/plan", "format": 1, "municipality": {"name": "x", "lg_code": "131016"}}
    text = json.dumps(
        {**data, "start": "2026-06-01", "businesses": [{"id": "juki", "milestones": []}]}, indent=1
    )
    path.write_text(text, encoding="utf-8")
    res = run("plan", "check", str(path))
    assert res.exit_code == 3 and "bad.json:" in res.output and "Traceback" not in res.output


def test_a_suite_names_its_plan(tmp_path: Path) -> None:
    write_plan(tmp_path / "plan.yaml", GATED, start="2026-06-01")
    suite = write_suite(tmp_path, extra="plan: plan.yaml\n")
    write_jumin(tmp_path / "deliveries/a/chuo.csv", 20, defects=NIGHT1)
    run_nightly(load_suite(suite), load_registry(SPECS), NightlyOptions(jobs=1, as_of=dt.date(2026, 6, 7)))
    res = run("--lang", "en", "plan", "status", "--suite", str(suite), "--as-of", "2026-06-08")
    assert res.exit_code == 0, res.output
    assert "[failed: held open]" in res.output  # the suite's history (history.sqlite beside it) was read
    for command in ("critical", "risk"):
        assert run("plan", command, "--suite", str(suite), "--as-of", "2026-06-08").exit_code == 0
    out = tmp_path / "r.xlsx"
    assert (
        run("plan", "report", "--suite", str(suite), "--as-of", "2026-06-08", "-o", str(out)).exit_code == 0
    )
    # errors: no PLAN and no suite (2); a suite without plan: (3, the suite named); its plan missing (4)
    assert run("plan", "status").exit_code == 2
    bare = write_suite(tmp_path / "bare") if (tmp_path / "bare").mkdir() is None else None
    assert bare is not None
    res = run("plan", "status", "--suite", str(bare))
    assert res.exit_code == 3 and "suite.yaml" in res.output and "plan:" in res.output
    gone = tmp_path / "gone"
    gone.mkdir()
    res = run(
        "--lang", "en", "plan", "status", "--suite", str(write_suite(gone, extra="plan: nowhere.yaml\n"))
    )
    assert res.exit_code == 4 and "nowhere.yaml" in res.output and "Traceback" not in res.output
