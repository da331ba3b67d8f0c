"""Benchmark: a plan with all 20 businesses × the full step template (800 milestones).

Run: .venv/bin/python bench/plan_bench.py [--repeat N]
Prints the time to build the plan, validate it, and compute its status (CPM, floats, reasons,
national figures) — cold (first call in the process: imports, holiday tables) and warm.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def with_actuals(plan: Any) -> Any:
    """Realistic actuals: the first ten steps of every business done, step 11 in progress."""
    from migrate.plan.model import NationalStatus

    businesses = []
    for b in plan.businesses:
        ms = []
        for m in b.milestones:
            if m.step is not None and m.step <= 10:
                m = m.model_copy(
                    update={
                        "actual_start": dt.date(2024, 4, 1),
                        "actual_finish": dt.date(2024, 9, 30),
                        "status": NationalStatus.done,
                    }
                )
            elif m.step == 11:
                m = m.model_copy(
                    update={
                        "actual_start": dt.date(2024, 10, 1),
                        "progress": 50.0,
                        "status": NationalStatus.in_progress,
                    }
                )
            ms.append(m)
        businesses.append(b.model_copy(update={"milestones": tuple(ms)}))
    return plan.model_copy(update={"businesses": tuple(businesses)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    t0 = time.perf_counter()
    from migrate.plan.catalog import business_catalog
    from migrate.plan.engine import compute
    from migrate.plan.load import plan_issues
    from migrate.plan.template import build_plan, load_template

    t_import = time.perf_counter() - t0

    catalog = business_catalog()
    t0 = time.perf_counter()
    plan = build_plan(
        load_template(),
        municipality="ベンチ市",
        lg_code="131016",
        businesses=list(catalog.values()),
        start=dt.date(2024, 4, 1),
        deadline=dt.date(2031, 3, 31),
        deadline_reason="bench",
    )
    plan = with_actuals(plan)
    t_build = time.perf_counter() - t0

    t0 = time.perf_counter()
    issues = plan_issues(plan, set(catalog))
    t_check = time.perf_counter() - t0
    assert not issues, issues

    as_of = dt.date(2024, 10, 15)
    t0 = time.perf_counter()
    result = compute(plan, as_of)
    t_cold = time.perf_counter() - t0
    warm = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        compute(plan, as_of)
        warm.append(time.perf_counter() - t0)

    n = len(plan.keys())
    print(f"plan: {len(plan.businesses)} businesses, {n} milestones, finishes {result.plan_finish}")
    print(f"import (networkx, pydantic, jpholiday):  {t_import * 1000:7.1f} ms")
    print(f"build from the template:                 {t_build * 1000:7.1f} ms")
    print(f"validate (ids, references, cycles):      {t_check * 1000:7.1f} ms")
    print(f"compute, cold (holiday tables):          {t_cold * 1000:7.1f} ms")
    print(f"compute, warm (median of {args.repeat}):            {statistics.median(warm) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
