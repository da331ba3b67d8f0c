"""Benchmark: `plan risk` Monte-Carlo, 10,000 runs of a 20-business × 40-step plan (800 milestones).

Run: .venv/bin/python bench/risk_bench.py [--runs N] [--repeat N]
The plan is made as in bench/plan_bench.py (the standard template, the first ten steps of every
business done, step 11 in progress) with a plan-wide spread of 0.2 (PERT-beta). Prints the best
wall time of `repeat` simulations in one process (the schedule, the draws, the vectorised forward
pass and the criticality back-tracking), after one warm-up run that loads the holiday tables.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def bench_plan() -> Any:
    from migrate.plan.catalog import business_catalog
    from migrate.plan.model import RiskConfig
    from migrate.plan.template import build_plan, load_template

    plan = build_plan(
        load_template(),
        municipality="ベンチ市",
        lg_code="131016",
        businesses=list(business_catalog().values()),
        start=dt.date(2024, 4, 1),
        deadline=dt.date(2026, 9, 30),  # ~30 working days after the planned finish
        deadline_reason="bench",
    )
    from bench.plan_bench import with_actuals

    return with_actuals(plan).model_copy(update={"risk": RiskConfig(spread=0.2)})


def run(runs: int = 10_000, repeat: int = 3) -> tuple[int, int, float, Any]:
    """(businesses, milestones, best seconds, result) of `repeat` timed simulations."""
    from migrate.plan.risk import simulate

    plan = bench_plan()
    as_of = dt.date(2024, 10, 15)
    simulate(plan, as_of, runs=100)  # warm-up: imports, holiday tables
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = simulate(plan, as_of, runs=runs, seed=0)
        best = min(best, time.perf_counter() - t0)
    return len(plan.businesses), len(plan.keys()), best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n_b, n_m, best, result = run(args.runs, args.repeat)
    worst = min(result.businesses, key=lambda b: b.probability if b.probability is not None else 1.0)
    print(
        f"plan risk: {n_b} businesses, {n_m} milestones, {args.runs:,} runs: "
        f"{best:.2f} s (best of {args.repeat})  lowest P(on time) {worst.id} {worst.probability:.3f}"
    )


if __name__ == "__main__":
    main()
