"""Gates fed by the nightly history: a failed gate holds its milestone, a stale one is not passed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from migrate.nightly.runner import NightlyOptions, run_nightly
from migrate.nightly.suite import load_suite
from migrate.plan.engine import compute
from migrate.plan.gates import StaticGateSource
from migrate.standard.loader import load_registry
from tests.conftest import SPECS, run
from tests.nightly.conftest import NIGHT1, write_jumin, write_suite
from tests.plan.util import D, make_plan, ms, write_plan

AS_OF = D(2026, 6, 8)  # a Monday
GATE = {"metric": "juki.readiness", "min": 0.999, "label": "準備率"}

# juki: load (done last week, gated) → check (not started); kokuho's go-live waits for juki:load.
BUSINESSES = {
    "juki": {
        "deadline": "2026-07-31",
        "milestones": [
            ms("load", 5, actual_start="2026-06-01", actual_finish="2026-06-05", status="完了", gate=GATE),
            ms("check", 3, "load"),
        ],
    },
    "kokuho": {"deadline": "2026-08-31", "milestones": [ms("live", 2, "juki:load")]},
}


def test_a_failed_gate_holds_its_milestone_and_its_successors() -> None:
    plan = make_plan(BUSINESSES, start="2026-06-01")
    ok = compute(plan, AS_OF, gates=StaticGateSource({"juki.readiness": 0.9995}, {"juki.readiness": AS_OF}))
    assert ok.milestone("juki:load").state == "done"
    assert ok.milestone("juki:check").early_start == AS_OF
    assert ok.business("juki").status == "green"

    src = StaticGateSource({"juki.readiness": 0.8917}, {"juki.readiness": D(2026, 6, 7)})
    r = compute(plan, AS_OF, gates=src)
    load = r.milestone("juki:load")
    assert load.state == "in-progress" and load.actual_finish is None  # not finished while it fails
    assert load.gate is not None and load.gate.state == "failed" and load.gate.measured_at == D(2026, 6, 7)
    # successors start the next working day at the earliest (the next nightly can pass the gate)
    assert r.milestone("juki:check").early_start == D(2026, 6, 9)
    assert r.milestone("kokuho:live").early_start == D(2026, 6, 9)
    juki = r.business("juki")
    assert juki.status == "amber" and not r.warnings  # no "out of order" noise from the hold
    note = next(n for n in juki.reasons if n.code == "gate-failed")
    assert note.milestone == "juki:load"
    assert "89.17%" in note.message and "99.90%" in note.message and "2026-06-07" in note.message
    red = make_plan(BUSINESSES, start="2026-06-01", thresholds={"gate_failed": "red"})
    assert compute(red, AS_OF, gates=src).business("juki").status == "red"


def test_a_gate_older_than_max_age_is_stale_not_passed() -> None:
    plan = make_plan(BUSINESSES, start="2026-06-01", gate_max_age=3)
    old = StaticGateSource({"juki.readiness": 0.9995}, {"juki.readiness": D(2026, 6, 1)})  # 7 days
    r = compute(plan, AS_OF, gates=old)
    gate = r.milestone("juki:load").gate
    assert gate is not None and gate.state == "stale" and gate.max_age == 3
    assert r.milestone("juki:load").state == "in-progress"
    assert any(n.code == "gate-stale" for n in r.business("juki").reasons)
    fresh = StaticGateSource({"juki.readiness": 0.9995}, {"juki.readiness": D(2026, 6, 5)})  # 3 days
    assert compute(plan, AS_OF, gates=fresh).milestone("juki:load").gate.state == "passed"  # type: ignore[union-attr]
    # a gate's own max_age wins over the plan's
    own = {**BUSINESSES["juki"]}
    own["milestones"] = [
        ms("load", 5, actual_start="2026-06-01", actual_finish="2026-06-05", gate={**GATE, "max_age": 10}),
        ms("check", 3, "load"),
    ]
    plan = make_plan({**BUSINESSES, "juki": own}, start="2026-06-01", gate_max_age=3)
    assert compute(plan, AS_OF, gates=old).milestone("juki:load").gate.state == "passed"  # type: ignore[union-attr]


def test_cli_reads_gates_from_the_nightly_history(tmp_path: Path) -> None:
    write_suite(tmp_path)
    write_jumin(tmp_path / "deliveries/a/chuo.csv", 20, defects=NIGHT1)  # 4 of 20 rows fail: 80 %
    run_nightly(
        load_suite(tmp_path / "suite.yaml"),
        load_registry(SPECS),
        NightlyOptions(jobs=1, as_of=dt.date(2026, 6, 7)),
    )
    db = tmp_path / "history.sqlite"
    plan = write_plan(tmp_path / "plan.yaml", BUSINESSES, start="2026-06-01")
    args = ["--as-of", "2026-06-08", "--history", str(db)]
    res = run("--lang", "en", "plan", "status", str(plan), *args)
    assert res.exit_code == 0, res.output
    assert "juki:load juki.readiness >= 99.90%: 80% (2026-06-07) [failed: held open]" in res.output
    doc = json.loads(run("plan", "status", str(plan), *args, "--format", "json").output)
    juki = next(b for b in doc["data"]["businesses"] if b["id"] == "juki")
    assert juki["status"] == "amber" and juki["gates"][0]["value"] == 0.8
    assert juki["gates"][0]["measured_at"] == "2026-06-07"
    for command in ("critical", "risk", "rollup"):
        res = run("plan", command, str(plan), *args)
        assert res.exit_code == 0, (command, res.output)
    crit = json.loads(run("plan", "critical", str(plan), *args, "--format", "json").output)
    assert "juki:load" in crit["data"]["businesses"][0]["critical_path"][0]["key"]
    out = tmp_path / "r.html"
    res = run("plan", "report", str(plan), *args, "--format", "html", "-o", str(out))
    assert res.exit_code == 0, res.output
    missing = run("plan", "status", str(plan), "--history", str(tmp_path / "none.sqlite"))
    assert missing.exit_code == 4 and "Traceback" not in missing.output


def test_readiness_is_a_ratio_everywhere() -> None:
    """One unit (issue 14): a gate written as a percentage is refused with the ratio to write instead."""
    import pydantic
    import pytest

    from migrate.plan.model import Gate

    with pytest.raises(pydantic.ValidationError, match=r"write 0\.999 for 99\.9 %"):
        Gate(metric="juki.readiness", min=99.9)
    assert Gate(metric="juki.readiness", min=0.999).threshold == 0.999
    assert Gate(metric="juki.errors", max=100).threshold == 100  # counts are not ratios
