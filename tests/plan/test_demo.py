"""The bundled demo plans (`make demo`), status text and JSON, critical path, gates, --fail-on."""

from __future__ import annotations

import json
from pathlib import Path

from migrate.plan.engine import compute
from migrate.plan.gates import StaticGateSource
from migrate.plan.load import load_plan
from tests.conftest import run
from tests.plan.util import DEMO, DEMO_TOWN, DIAMOND, D, write_plan

AS_OF = D(2026, 11, 23)


def test_demo_city_status() -> None:
    r = compute(load_plan(DEMO), AS_OF)
    status = {b.id: b.status for b in r.businesses}
    assert status == {
        "juki": "green",
        "inkan": "green",
        "kojin-juminzei": "green",
        "shugaku": "green",
        "kokuho": "amber",
        "kaigo-hoken": "red",
        "jido-teate": "green",
    }
    assert r.counts["migrated"] == 4
    assert r.as_of_working_day == D(2026, 11, 24)  # 勤労感謝の日
    kaigo = r.business("kaigo-hoken")
    assert kaigo.special_support and kaigo.deadline == D(2027, 3, 31)
    assert kaigo.overrun_working_days > 60
    assert [n.code for n in kaigo.reasons[:2]] == ["deadline-overrun", "progress-behind"]
    assert r.business("jido-teate").deadline == D(2031, 3, 31)
    assert {b.vendor for b in r.businesses} == {"北斗システムズ株式会社", "あさひ情報サービス株式会社"}
    (gate,) = r.business("juki").gates
    assert gate.state == "not-measured" and gate.metric == "juki.readiness"
    assert not r.warnings


def test_demo_status_text_and_json() -> None:
    result = run("plan", "status", str(DEMO), "--as-of", "2026-11-23")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "ひかり台市 (992011)" in out and "令和8年11月23日" in out
    assert "赤 kaigo-hoken 介護保険" in out
    assert "未計測" in out
    assert "2026-11-24 から" in out
    result = run("plan", "status", str(DEMO), "--as-of", "2026-11-23", "--format", "json")
    data = json.loads(result.output)
    assert data["kind"] == "plan-status"
    kaigo = next(b for b in data["data"]["businesses"] if b["id"] == "kaigo-hoken")
    assert kaigo["status"] == "red" and kaigo["deadline"] == "2027-03-31"
    m = kaigo["milestones"][28]
    assert m["key"] == "kaigo-hoken:s29" and m["state"] == "in-progress" and m["on_critical_path"]
    en = run("--lang", "en", "plan", "status", str(DEMO), "--as-of", "2026-11-23", "--business", "kokuho")
    assert "amber kokuho National health insurance" in en.output
    assert "Interface (connection) tests" in en.output


def test_fail_on(tmp_path: Path) -> None:
    assert run("plan", "status", str(DEMO), "--as-of", "2026-11-23", "--fail-on", "red").exit_code == 1
    assert run("plan", "status", str(DEMO), "--as-of", "2026-11-23").exit_code == 0
    green = write_plan(tmp_path / "p.yaml", {"juki": DIAMOND})
    assert run("plan", "status", str(green), "--as-of", "2026-06-01", "--fail-on", "amber").exit_code == 0


def test_critical_command() -> None:
    result = run("plan", "critical", str(DEMO), "--as-of", "2026-11-23", "--business", "kaigo-hoken")
    assert result.exit_code == 0, result.output
    assert "kaigo-hoken:s29" in result.output and "kaigo-hoken:s36" in result.output
    data = json.loads(run("plan", "critical", str(DEMO), "--as-of", "2026-11-23", "--format", "json").output)
    chains = {b["id"]: [m["key"] for m in b["critical_path"]] for b in data["data"]["businesses"]}
    assert chains["juki"] == []
    assert chains["kaigo-hoken"][-1] == "kaigo-hoken:s36"


def test_check_lists_data_notes() -> None:
    result = run("plan", "check", str(DEMO_TOWN))
    assert result.exit_code == 0
    assert result.output.startswith("OK: そよかぜ町 (993816) 4 業務, 160 マイルストーン")


def test_gates_from_a_source() -> None:
    plan = load_plan(DEMO)
    failed = compute(plan, AS_OF, gates=StaticGateSource({"juki.readiness": 0.992})).business("juki")
    assert failed.gates[0].state == "failed" and failed.gates[0].value == 0.992
    # a failed gate holds the data migration open (issue 14): not finished, the business amber
    assert failed.status == "amber" and failed.milestone("s31").state == "in-progress"
    assert failed.reasons[-1].code == "gate-failed" and "99.20%" in failed.reasons[-1].message
    passed = compute(plan, AS_OF, gates=StaticGateSource({"juki.readiness": 0.9995})).business("juki")
    assert passed.gates[0].state == "passed" and passed.status == "green"
    assert passed.milestone("s31").state == "done"
    # before the migration, a failed gate makes the business amber
    early = compute(plan, D(2025, 6, 2), gates=StaticGateSource({"juki.readiness": 0.9})).business("juki")
    assert early.status in ("amber", "red")
    assert any(n.code == "gate-failed" for n in early.reasons)


def test_every_reason_code_is_documented() -> None:
    from migrate.plan.status import REASON_CODES

    results = [compute(load_plan(p), AS_OF) for p in (DEMO, DEMO_TOWN)]
    results.append(compute(load_plan(DEMO), D(2025, 6, 2), gates=StaticGateSource({"juki.readiness": 0.5})))
    codes = {n.code for r in results for b in r.businesses for n in b.reasons}
    assert codes <= set(REASON_CODES)
    assert {"deadline-overrun", "progress-behind", "low-float", "gate-failed"} <= codes
