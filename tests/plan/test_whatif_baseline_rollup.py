"""What-if delays, baselines and slip, roll-up of several plans."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from migrate.errors import UsageError
from migrate.plan import baseline as bl
from migrate.plan.engine import compute
from migrate.plan.rollup import rollup
from migrate.plan.whatif import parse_delay, what_if
from tests.conftest import run
from tests.plan.util import DEMO, DEMO_TOWN, DIAMOND, D, make_plan, ms, write_plan


def test_parse_delay() -> None:
    assert parse_delay("juki:s31=+10d") == ("juki:s31", 10)
    assert parse_delay("s31=2w") == ("s31", 10)
    assert parse_delay("kokuho:s33 = -3") == ("kokuho:s33", -3)
    with pytest.raises(UsageError):
        parse_delay("juki:s31+10d")


def test_what_if_on_and_off_the_critical_path() -> None:
    plan = make_plan(
        {
            "juki": {"deadline": "2026-06-12", "milestones": DIAMOND},
            "kokuho": {"deadline": "2026-06-30", "milestones": [ms("t", 5, "juki:c")]},
        }
    )
    w = what_if(plan, D(2026, 6, 1), ["juki:b=+3d"])  # b has 3 days of float: nothing moves
    assert not w.affected
    w = what_if(plan, D(2026, 6, 1), ["juki:c=+10d"])
    juki, kokuho = (w.changes[0], w.changes[1])
    assert (juki.finish_before, juki.finish_after, juki.change) == (D(2026, 6, 11), D(2026, 6, 25), 10)
    assert (juki.status_before, juki.status_after) == ("amber", "red")
    assert juki.overrun_after == 9
    assert kokuho.change == 10 and kokuho.finish_after == D(2026, 7, 1)  # c ends 6/24
    assert w.before.business("juki").milestone("c").duration == 5
    assert w.after.business("juki").milestone("c").duration == 15


def test_what_if_adds_to_the_remaining_work_of_a_started_milestone() -> None:
    milestones = [ms("a", 10, actual_start="2026-06-01", progress=50), ms("b", 1, "a")]
    w = what_if(make_plan({"juki": milestones}), D(2026, 6, 8), ["a=+4d"])
    a0, a1 = w.before.milestone("juki:a"), w.after.milestone("juki:a")
    assert (a0.remaining, a1.remaining) == (5, 9)
    assert w.changes[0].change == 4


def test_what_if_cli_leaves_the_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    shutil.copy(DEMO, path)
    before = path.read_bytes()
    result = run("plan", "what-if", str(path), "--delay", "kokuho:s33=+10d", "--as-of", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert "計画ファイルは変更していません" in result.output
    assert "kokuho 国民健康保険" in result.output and "+10" in result.output
    assert path.read_bytes() == before
    data = json.loads(
        run(
            "plan",
            "what-if",
            str(path),
            "--delay",
            "kaigo-hoken:s29=-20d",
            "--as-of",
            "2026-11-23",
            "--format",
            "json",
        ).output
    )
    change = next(c for c in data["data"]["changes"] if c["id"] == "kaigo-hoken")
    assert change["change"] == -20


def test_baseline_save_list_and_slip(tmp_path: Path) -> None:
    milestones = [ms("a", 5, actual_start="2026-06-01"), ms("b", 5, "a")]
    path = write_plan(tmp_path / "plan.yaml", {"juki": milestones}, start="2026-06-01")
    assert run("plan", "baseline", "save", "R8-06", str(path), "--as-of", "2026-06-01").exit_code == 0
    saved = tmp_path / "plan.baselines" / "R8-06.json"
    assert json.loads(saved.read_text(encoding="utf-8"))["kind"] == "migrate/plan-baseline"
    again = run("plan", "baseline", "save", "R8-06", str(path), "--as-of", "2026-06-01")
    assert again.exit_code == 2 and "--force" in again.output
    assert "R8-06" in run("plan", "baseline", "list", str(path)).output

    # a week later, a is only 20% done: 4 days left from 6/8 instead of finishing 6/5
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "actual_start: '2026-06-01'", "actual_start: '2026-06-01'\n    progress: 20"
        )
    )
    r = compute(make_plan({"juki": [ms("a", 5, actual_start="2026-06-01", progress=20), ms("b", 5, "a")]}, start="2026-06-01"),
                D(2026, 6, 8), baseline=bl.load(path, "R8-06"))  # fmt: skip
    b = r.business("juki")
    assert b.milestone("a").baseline_finish == D(2026, 6, 5)
    assert b.milestone("a").slip == 4  # 6/5 → 6/11
    assert b.milestone("b").slip == 4 and b.slip == 4
    assert any(n.code == "slipped" for n in b.reasons)
    result = run("plan", "slip", str(path), "--baseline", "R8-06", "--as-of", "2026-06-08")
    assert result.exit_code == 0, result.output
    assert "+4" in result.output
    status = json.loads(
        run(
            "plan", "status", str(path), "--baseline", "R8-06", "--as-of", "2026-06-08", "--format", "json"
        ).output
    )
    assert status["data"]["baseline"]["name"] == "R8-06"


def test_baseline_names_and_broken_files(tmp_path: Path) -> None:
    path = write_plan(tmp_path / "plan.yaml", {"juki": DIAMOND})
    bad = run("plan", "baseline", "save", "../x", str(path))
    assert bad.exit_code == 2
    folder = tmp_path / "plan.baselines"
    folder.mkdir()
    (folder / "old.json").write_text("{not json", encoding="utf-8")
    result = run("plan", "slip", str(path), "--baseline", "old")
    assert result.exit_code == 3 and "old.json" in result.output


def test_bundled_demo_baseline_shows_slip() -> None:
    result = run("plan", "slip", str(DEMO), "--baseline", "R8-04", "--as-of", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert "kaigo-hoken:s29" in result.output


def test_rollup_of_the_demo_group() -> None:
    from migrate.plan.load import load_plan

    results = [compute(load_plan(p), D(2026, 11, 23), path=p) for p in (DEMO, DEMO_TOWN)]
    r = rollup(results)
    assert r.totals["municipalities"] == 2 and r.totals["businesses"] == 11
    assert r.totals["municipalities_late"] == 2
    assert r.totals["late"] == 2 and r.totals["red"] == 2
    assert [row.business for row in r.late] == ["kokuho", "kaigo-hoken"]  # largest overrun first
    assert r.late[0].municipality == "そよかぜ町" and r.late[0].reason_code == "progress-behind"
    vendor = r.by_vendor[0]
    assert vendor.key == "あさひ情報サービス株式会社" and vendor.red == 2 and vendor.municipalities == 2
    kokuho = next(s for s in r.by_business if s.key == "kokuho")
    assert (kokuho.municipalities, kokuho.late) == (2, 1)
    assert r.national.steps == 11 * 40
    with pytest.raises(UsageError):
        rollup([results[0], results[0]])


def test_rollup_cli() -> None:
    result = run("plan", "rollup", str(DEMO), str(DEMO_TOWN), "--as-of", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert "ロールアップ: 2 団体 / 11 業務" in result.output
    assert "[ベンダー別]" in result.output and "あさひ情報サービス株式会社" in result.output
    data = json.loads(
        run("plan", "rollup", str(DEMO), str(DEMO_TOWN), "--as-of", "2026-11-23", "--format", "json").output
    )
    assert data["kind"] == "plan-rollup" and data["data"]["totals"]["late"] == 2
    assert (
        run(
            "plan", "rollup", str(DEMO), str(DEMO_TOWN), "--as-of", "2026-11-23", "--fail-on", "red"
        ).exit_code
        == 1
    )
