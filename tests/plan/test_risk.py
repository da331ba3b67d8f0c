"""Monte-Carlo deadline risk: exact against CPM without spread, a closed form, seeds, calibration, CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from migrate.plan.baseline import Baseline, BaselineBusiness, BaselineMilestone
from migrate.plan.calendar import WorkCalendar
from migrate.plan.catalog import business_catalog
from migrate.plan.cpm import schedule
from migrate.plan.engine import compute
from migrate.plan.load import load_plan
from migrate.plan.model import RiskConfig
from migrate.plan.risk import calibrate, simulate, spread_factors
from tests.conftest import run
from tests.plan.util import DEMO, DEMO_TOWN, DIAMOND, D, make_plan, ms, write_plan

AS_OF = D(2026, 6, 1)  # a Monday

# Two businesses, different deadlines, a cross-business link, work done and in progress.
TWO = {
    "juki": {
        "deadline": "2026-07-31",
        "milestones": [
            ms("a", 5, actual_start="2026-05-18", actual_finish="2026-05-22", status="完了"),
            ms("b", 10, "a", actual_start="2026-05-25", progress=30, status="作業中"),
            ms("c", 8, "b"),
            ms("d", 3, "c"),
        ],
    },
    "kokuho": {
        "deadline": "2026-06-26",
        "milestones": [ms("x", 12), ms("y", 6, "x", "juki:c"), ms("z", 0, "y")],
    },
}


def _same_as_cpm(plan: object, as_of: dt.date) -> None:
    r = compute(plan, as_of)  # type: ignore[arg-type]
    k = simulate(plan, as_of, runs=64, seed=3)  # type: ignore[arg-type]
    assert k.uncertain_milestones == 0
    for b in r.businesses:
        rb = k.business(b.id)
        assert (rb.p50, rb.p80, rb.p95) == (b.projected_finish,) * 3, b.id
        assert rb.probability == (1.0 if b.overrun_working_days == 0 else 0.0), b.id


def test_zero_spread_is_the_cpm_schedule_exactly() -> None:
    plan = make_plan(TWO, start="2026-05-18")
    _same_as_cpm(plan, AS_OF)
    r = compute(plan, AS_OF)
    assert r.business("kokuho").overrun_working_days > 0  # both outcomes are exercised
    assert r.business("juki").overrun_working_days == 0
    _same_as_cpm(plan.model_copy(update={"risk": RiskConfig(spread=0.0)}), AS_OF)


@pytest.mark.parametrize("path", [DEMO, DEMO_TOWN])
def test_zero_spread_on_the_demo_plans(path: Path) -> None:
    plan = load_plan(path, set(business_catalog()))
    # the demo declares a spread for `plan risk`; without it every run is the deterministic schedule
    _same_as_cpm(plan.model_copy(update={"risk": None}), D(2026, 11, 23))


def test_one_triangular_milestone_matches_the_closed_form() -> None:
    # D ~ triangular(10, 20, 40) rounded to whole days: P(D <= 25) = P(X < 25.5) = 1 − 14.5² / (30 × 20)
    plan = make_plan(
        {"juki": {"deadline": "2040-03-30", "milestones": [ms("a", 20, optimistic=10, pessimistic=40)]}},
        risk={"distribution": "triangular"},
    )
    cal = WorkCalendar()
    deadline = cal.add_working_days(AS_OF, 24)  # the 25th working day
    plan = plan.model_copy(
        update={"businesses": (plan.businesses[0].model_copy(update={"deadline": deadline}),)}
    )
    k = simulate(plan, AS_OF, runs=10_000, seed=11)
    expected = 1 - 14.5**2 / (30 * 20)
    assert k.business("juki").probability == pytest.approx(expected, abs=0.01)
    assert k.uncertain_milestones == 1


def test_pert_mean_and_median_of_one_milestone() -> None:
    # PERT(0, 10, 40): mean (0 + 4·10 + 40) / 6 = 13.33 working days, so P50 is day 13 or 14.
    plan = make_plan({"juki": [ms("a", 10, optimistic=0, pessimistic=40)]})
    k = simulate(plan, AS_OF, runs=10_000, seed=5)
    p50 = k.business("juki").p50
    assert p50 is not None
    days = WorkCalendar().working_days_between(AS_OF, p50 + dt.timedelta(days=1))
    assert days in (12, 13, 14)


def test_same_seed_same_result_other_seed_other_result() -> None:
    plan = make_plan(TWO, start="2026-05-18", risk={"spread": 0.4})
    first = simulate(plan, AS_OF, runs=2000, seed=7).to_dict()
    assert simulate(plan, AS_OF, runs=2000, seed=7).to_dict() == first
    other = simulate(plan, AS_OF, runs=2000, seed=8).to_dict()
    assert [b["probability"] for b in other["businesses"]] != [b["probability"] for b in first["businesses"]]


def test_a_far_deadline_is_certain_and_a_spread_moves_the_dates_later() -> None:
    plan = make_plan({"juki": {"deadline": "2040-03-30", "milestones": DIAMOND}}, risk={"spread": 0.5})
    k = simulate(plan, AS_OF, runs=5000)
    b = k.business("juki")
    assert b.probability == 1.0
    assert b.projected_finish is not None and b.p50 is not None and b.p95 is not None and b.p80 is not None
    assert b.projected_finish <= b.p50 <= b.p80 <= b.p95
    assert b.p95 > b.projected_finish  # the pessimistic side is longer (×1.75 against ×0.75)
    assert spread_factors(0.2) == pytest.approx((0.9, 1.3))


def test_criticality_index_of_a_diamond() -> None:
    # c (5 days) usually drives d; b (2 days, but up to 12) sometimes does.
    milestones = [
        ms("a", 3),
        ms("b", 2, "a", optimistic=1, pessimistic=12),
        ms("c", 5, "a"),
        ms("d", 1, "b", "c"),
    ]
    k = simulate(make_plan({"juki": milestones}), AS_OF, runs=4000)
    index = {c.key: c.index for c in k.business("juki").criticality}
    assert index["juki:a"] == 1.0 and index["juki:d"] == 1.0
    assert 0 < index["juki:b"] < 1 and 0 < index["juki:c"] < 1
    assert index["juki:b"] + index["juki:c"] >= 1  # every run has a chain through b or c


def test_calibration_from_a_baseline() -> None:
    # Six milestones finished since the baseline, each taking 1.5× its baseline duration (10 → 15).
    done = [
        ms(f"m{i}", 10, actual_start="2026-05-11", actual_finish="2026-05-29", status="完了")
        for i in range(6)
    ]
    plan = make_plan({"juki": [*done, ms("next", 10, *(f"m{i}" for i in range(6)))]}, start="2026-04-01")
    cal = WorkCalendar()
    assert cal.working_days_between(D(2026, 5, 11), D(2026, 5, 30)) == 15
    base = Baseline(
        name="B1",
        as_of=D(2026, 4, 15),
        municipality="テスト市",
        lg_code="131016",
        businesses={
            "juki": BaselineBusiness(
                deadline=D(2040, 3, 30),
                projected_finish=None,
                status="green",
                float_days=None,
                milestones={f"m{i}": BaselineMilestone(None, None, 10) for i in range(6)},
            )
        },
    )
    c = calibrate(schedule(plan, AS_OF, cal), cal, base)
    assert c is not None
    assert (c.observed, c.optimistic, c.pessimistic, c.median_ratio) == (6, 1.0, 1.5, 1.5)
    k = simulate(plan, AS_OF, runs=500, baseline=base)
    assert k.spread_source == "baseline" and k.pessimistic_factor == 1.5
    off = plan.model_copy(update={"risk": RiskConfig(calibrate=False)})
    assert simulate(off, AS_OF, runs=500, baseline=base).spread_source == "none"


def test_cli_risk_json_and_text(tmp_path: Path) -> None:
    path = write_plan(tmp_path / "plan.yaml", TWO, start="2026-05-18", risk={"spread": 0.3})
    res = run("plan", "risk", str(path), "--as-of", "2026-06-01", "--runs", "3000", "--format", "json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["kind"] == "plan-risk"
    data = doc["data"]
    assert data["runs"] == 3000 and data["distribution"] == "pert" and data["spread_source"] == "plan"
    kokuho = next(b for b in data["businesses"] if b["id"] == "kokuho")
    assert 0 <= kokuho["probability"] < 0.5
    assert kokuho["criticality"][0]["index"] > 0
    text = run("--lang", "en", "plan", "risk", str(path), "--as-of", "2026-06-01", "--runs", "500")
    assert text.exit_code == 0 and "P(on time)" in text.output and "criticality index" in text.output


def test_cli_status_shows_the_probability_only_with_uncertainty(tmp_path: Path) -> None:
    plain = write_plan(tmp_path / "plain.yaml", TWO, start="2026-05-18")
    out = run("--lang", "en", "plan", "status", str(plain), "--as-of", "2026-06-01").output
    assert "P(on time)" not in out
    doc = json.loads(run("plan", "status", str(plain), "--as-of", "2026-06-01", "--format", "json").output)
    assert doc["data"]["risk"] is None
    asked = run("--lang", "en", "plan", "status", str(plain), "--as-of", "2026-06-01", "--risk-runs", "200")
    assert asked.exit_code == 0 and "P(on time)" in asked.output
    spread = write_plan(tmp_path / "spread.yaml", TWO, start="2026-05-18", risk={"spread": 0.2})
    res = run("plan", "status", str(spread), "--as-of", "2026-06-01", "--format", "json")
    risk = json.loads(res.output)["data"]["risk"]
    assert risk["runs"] == 10_000 and len(risk["businesses"]) == 2


def test_cli_bad_runs_and_bad_estimates(tmp_path: Path) -> None:
    path = write_plan(tmp_path / "plan.yaml", TWO, start="2026-05-18")
    res = run("plan", "risk", str(path), "--runs", "0")
    assert res.exit_code == 2 and "Traceback" not in res.output
    bad = write_plan(tmp_path / "bad.yaml", {"juki": [ms("a", 10, optimistic=12)]})
    res = run("plan", "risk", str(bad))
    assert res.exit_code == 3 and "見積" in res.output


def test_probability_in_the_reports_and_the_rollup(tmp_path: Path) -> None:
    import openpyxl

    path = write_plan(tmp_path / "plan.yaml", TWO, start="2026-05-18", risk={"spread": 0.3})
    args = ["--as-of", "2026-06-01", "--risk-runs", "2000"]
    html = tmp_path / "r.html"
    assert (
        run("--lang", "en", "plan", "report", str(path), *args, "--format", "html", "-o", str(html)).exit_code
        == 0
    )
    assert "P(on time)" in html.read_text(encoding="utf-8")
    xlsx = tmp_path / "r.xlsx"
    assert run("--lang", "en", "plan", "report", str(path), *args, "-o", str(xlsx)).exit_code == 0
    rows = list(openpyxl.load_workbook(xlsx).worksheets[0].iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "code")
    col = header.index("P(on time)")  # the column's place is the workbook's business
    probs = {r[0]: r[col] for r in rows if r and r[0] in ("001", "024")}
    assert 0 < probs["001"] <= 1 and 0 <= probs["024"] < 0.5
    res = run("plan", "rollup", str(path), *args, "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)["data"]
    rows_p = [r["probability"] for r in data["rows"]]
    assert data["totals"]["expected_late"] == round(sum(1 - p for p in rows_p), 2)
    plain = write_plan(tmp_path / "plain.yaml", TWO, start="2026-05-18")
    data = json.loads(run("plan", "rollup", str(plain), "--format", "json").output)["data"]
    assert data["totals"]["expected_late"] is None
