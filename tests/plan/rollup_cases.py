"""Plans for the roll-up exactness test and the current path's roll-up of them (the reference).

`tests/plan/data/rollup-reference.json.gz` holds the plan files (frozen: a later change of the bench
generator does not change them) and the `RollupResult.to_dict()` the per-plan path gave for them
(Japanese messages, as of AS_OF, gates from GATES). Regenerate only when the roll-up's output is
meant to change: `.venv/bin/python -m tests.plan.rollup_cases` (it uses the per-plan path:
`load_plan` + `compute` + `with_risk` + `rollup`).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import random
from pathlib import Path
from typing import Any

from migrate.plan.gates import StaticGateSource

REFERENCE = Path(__file__).resolve().parent / "data" / "rollup-reference.json.gz"
AS_OF = dt.date(2026, 6, 1)
# a failed gate (measured the day before) and a stale one (measured 40 days before, max_age 30)
GATES = StaticGateSource(
    {"juki.readiness": 0.9917, "zei.readiness": 0.9995},
    {"juki.readiness": dt.date(2026, 5, 31), "zei.readiness": dt.date(2026, 4, 22)},
)


def _complete(b: dict[str, Any], finish: dt.date, rnd: random.Random) -> None:
    """Every milestone of the business done, the cut-over (s36) on `finish`, the rest around it."""
    day = finish - dt.timedelta(days=2 * len(b["milestones"]))
    for m in b["milestones"]:
        if m.get("status") == "対象外":
            continue
        start = day
        day = finish if m["id"] == "s36" else day + dt.timedelta(days=rnd.randrange(1, 3))
        m.update(status="完了済み", actual_start=str(start), actual_finish=str(max(start, day)))
        m.pop("progress", None)
        day += dt.timedelta(days=1)


def cases() -> dict[str, str]:
    """file name → text: generated municipalities with every status, actuals, gates, risk, quirks."""
    from bench.rollup_bench import municipalities, plan_data, plan_text
    from migrate.plan.catalog import business_catalog
    from migrate.plan.template import load_template

    template, catalog = load_template(), business_catalog()
    out: dict[str, str] = {}
    orgs = municipalities()[::70][:24]
    for n, (lg_code, pref, name) in enumerate(orgs):
        rnd = random.Random(f"case:{lg_code}")
        data = plan_data(lg_code, pref, name, template, catalog, rnd)
        bs = data["businesses"]
        if n % 3 == 0:  # migrated, mostly on time, one business late
            for i, b in enumerate(bs):
                if not b.get("special_support"):
                    late = i == 3
                    _complete(b, dt.date(2026, 4, 20) if late else dt.date(2026, 2, 2 + i), rnd)
        if n % 4 == 1:  # a 特定移行支援システム far from its deadline (green), one close to it (amber)
            bs[5] |= {"deadline": "2030-03-29", "special_support": True, "deadline_reason": "特定移行支援"}
            bs[6] |= {"deadline": "2027-01-29", "special_support": True, "deadline_reason": "特定移行支援"}
        if n == 2:  # gates: juki failed, zei stale (gate_max_age 30)
            data["gate_max_age"] = 30
            bs[0]["milestones"][29]["gate"] = {"metric": "juki.readiness", "min": 0.999}
            bs[1]["milestones"][29]["gate"] = {"metric": "zei.readiness", "min": 0.999, "label": "税"}
        if n == 4:
            data["risk"] = {"spread": 0.2}  # simulated: P(on time) in the roll-up
        if n == 5:  # actuals after the as-of date (rewound), done without finish, started without start
            m = bs[2]["milestones"]
            m[0] |= {"actual_start": "2026-05-20", "actual_finish": "2026-07-01", "status": "完了済み"}
            m[1].pop("actual_finish", None)
            m[1]["status"] = "完了済み"
            m[2] = {k: v for k, v in m[2].items() if k not in ("actual_start", "actual_finish", "progress")}
            m[2]["status"] = "作業中"
        if n == 6:  # planned starts, a finish_by, a status alias, a single depends_on string
            m = bs[4]["milestones"]
            m[20]["planned_start"] = "2026-09-01"
            m[25]["finish_by"] = "2026-10-30"
            m[30]["planned_start"] = "2026-11-02"
            m[30]["planned_finish"] = "2026-12-25"
            bs[7]["milestones"][3]["status"] = "done" if bs[7]["milestones"][3].get("actual_finish") else None
            bs[8]["milestones"][1]["depends_on"] = bs[8]["milestones"][1]["depends_on"][0]
        if n == 7:  # plan-wide defaults and a group
            data["municipality"]["group"] = "共同調達グループA"
            data["thresholds"] = {"amber_below": 40, "red_below": -5}
            data["calendar"] = {"closed": ["2026-08-13", "2026-08-14"]}
        if n == 8:  # a vendorless business, a business name from the catalog
            bs[3].pop("vendor")
            bs[4].pop("name")
        out[f"plan-{lg_code}.json"] = plan_text(data)
    root = Path(__file__).resolve().parents[2]
    for demo in ("plan.yaml", "plan-town.yaml"):
        out[f"demo-{demo}"] = (root / "demo" / demo).read_text(encoding="utf-8")
    return out


def write_cases(folder: Path, texts: dict[str, str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return sorted(folder / name for name in texts)


def per_plan_rollup(paths: list[Path]) -> dict[str, Any]:
    """The roll-up of the plans by the per-plan path (one `compute` each), as JSON-ready data."""
    from migrate.cli.plan import with_risk
    from migrate.plan.catalog import business_catalog
    from migrate.plan.engine import compute
    from migrate.plan.load import load_plan
    from migrate.plan.rollup import rollup

    known = set(business_catalog())
    results = []
    for p in paths:
        plan = load_plan(p, known)
        results.append(with_risk(compute(plan, AS_OF, gates=GATES, path=p), p, None, plan_model=plan))
    return rollup(results, [str(p) for p in paths]).to_dict()


def load_reference() -> tuple[dict[str, str], dict[str, Any]]:
    with gzip.open(REFERENCE, "rt", encoding="utf-8") as f:
        data = json.load(f)
    return data["plans"], data["expected"]


def relative(result: dict[str, Any], folder: Path) -> dict[str, Any]:
    """The paths in a roll-up made relative to the folder the plans were written to."""
    text = json.dumps(result, ensure_ascii=False).replace(str(folder) + "/", "")
    return json.loads(text)


if __name__ == "__main__":
    import tempfile

    texts = cases()
    with tempfile.TemporaryDirectory() as tmp:
        expected = relative(per_plan_rollup(write_cases(Path(tmp), texts)), Path(tmp))
    REFERENCE.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps({"plans": texts, "expected": expected}, ensure_ascii=False, sort_keys=True)
    with gzip.open(REFERENCE, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write(payload)
    print(REFERENCE, REFERENCE.stat().st_size)
