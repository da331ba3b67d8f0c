"""Float and status as a PMO reads them: float toward each business's own deadline, migrated late, init."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from migrate.i18n import set_lang
from migrate.plan.engine import compute
from migrate.report.plan import write_plan_report
from migrate.report.plan.text import critical_text, status_text
from tests.conftest import run
from tests.plan.util import D, make_plan, ms

AS_OF = D(2026, 6, 1)  # a Monday

# juki: a(5) → cut(5) → operate(60) (operation runs on after the deadline milestone and ends the plan).
# kokuho: x(10) → y(5) toward an earlier deadline; kokuho:y also waits for juki:a.
TWO = {
    "juki": {
        "deadline": "2026-06-30",
        "deadline_milestones": ["cut"],
        "milestones": [ms("a", 5), ms("cut", 5, "a"), ms("operate", 60, "cut")],
    },
    "kokuho": {"deadline": "2026-06-19", "milestones": [ms("x", 10), ms("y", 5, "x", "juki:a")]},
}


def test_float_is_toward_each_business_deadline_not_the_plan_finish() -> None:
    r = compute(make_plan(TWO), AS_OF)
    juki, kokuho = r.business("juki"), r.business("kokuho")
    # juki's cut ends 6/12; 6/15 … 6/30 are 12 working days. The plan ends with juki:operate in 2026-09.
    assert juki.projected_finish == D(2026, 6, 12) and juki.slack == 12
    assert r.plan_finish is not None and r.plan_finish > D(2026, 8, 31)
    cut, operate = juki.milestone("cut"), juki.milestone("operate")
    assert cut.total_float == 12 and not cut.critical  # was 0 (toward the plan's finish)
    assert operate.total_float is None and not operate.critical and operate.late_finish is None
    # kokuho: y ends 6/19, its deadline: no float; juki:a also drives it (float 5 toward kokuho)
    assert kokuho.float_days == 0 and kokuho.milestone("y").critical
    a = juki.milestone("a")
    assert (a.total_float, a.binding_deadline) == (5, "kokuho")
    assert juki.float_days == 5  # the least float of its unfinished work, toward kokuho's deadline
    assert r.critical_path == ("kokuho:x", "kokuho:y")
    # one definition: the chain under each header carries the float the header reads, or less
    for b in r.businesses:
        assert b.float_days is not None
        assert all((r.milestone(k).total_float or 0) <= (b.slack or 0) for k in b.critical_path)


def test_critical_text_states_the_definition_and_the_deadline() -> None:
    set_lang("en")
    text = critical_text(compute(make_plan(TWO), AS_OF))
    assert "never to the plan's overall finish" in text
    cut_row = next(line for line in text.splitlines() if line.startswith("juki:cut"))
    assert cut_row.split()[-2:] == ["+12", "juki"]
    a_row = next(line for line in text.splitlines() if line.startswith("juki:a "))
    assert a_row.split()[-2:] == ["+5", "kokuho"]


MIGRATED = {
    "juki": {  # finished 2026-04-10, after its 2026-03-31 deadline
        "deadline": "2026-03-31",
        "deadline_reason": None,
        "milestones": [ms("a", 5, actual_start="2026-03-02", actual_finish="2026-04-10", status="完了")],
    },
    "kokuho": {  # finished on time
        "deadline": "2026-03-31",
        "deadline_reason": None,
        "milestones": [ms("x", 5, actual_start="2026-03-02", actual_finish="2026-03-06", status="完了")],
    },
}


def test_migrated_after_the_deadline_is_not_green_and_says_how_late() -> None:
    r = compute(make_plan(MIGRATED, start="2026-03-02"), D(2026, 11, 23))
    juki, kokuho = r.business("juki"), r.business("kokuho")
    assert juki.migrated and juki.status == "amber"
    assert juki.overrun_working_days == 8 and juki.overrun_calendar_days == 10  # 4/1 … 4/10, 4/10 − 3/31
    assert [n.code for n in juki.reasons] == ["migrated-late"]
    assert kokuho.migrated and kokuho.status == "green" and not kokuho.reasons
    text = status_text(r)
    row = next(line for line in text.splitlines() if line.startswith("juki"))
    assert "移行済 (期限後 8 営業日)" in row and "黄" in row
    assert "2026-04-10 に移行済: 期限 2026-03-31 より 8 営業日 (10 日) 遅れ" in text
    kokuho_row = next(line for line in text.splitlines() if line.startswith("kokuho"))
    assert "期限後" not in kokuho_row and "緑" in kokuho_row


def test_the_workbook_shows_no_days_to_deadline_for_a_finished_business(tmp_path: Path) -> None:
    plan = make_plan({**MIGRATED, "jido-teate": [ms("z", 10)]}, start="2026-03-02")
    result = compute(plan, D(2026, 11, 23))
    set_lang("en")
    path = write_plan_report(result, "xlsx", tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(path).worksheets[0]
    header_row = next(r for r in ws.iter_rows(values_only=True) if r and "business" in [str(v) for v in r])
    col = [str(v) for v in header_row].index(next(str(v) for v in header_row if "to deadline" in str(v)))
    values = {str(r[0]): r[col] for r in ws.iter_rows(values_only=True) if r and r[0] in ("001", "027")}
    assert values["001"] is None  # juki finished: no (negative, red) days to the deadline
    assert isinstance(values["027"], int) and values["027"] > 0


def test_init_says_why_a_fresh_plan_is_late(tmp_path: Path) -> None:
    out = tmp_path / "plan.yaml"
    args = ["plan", "init", "--municipality", "テスト市", "--lg-code", "131016", "--business", "juki"]
    res = run("--lang", "en", *args, "--start", "2025-10-01", "-o", str(out))
    assert res.exit_code == 0, res.output
    line = next(x for x in res.output.splitlines() if x.startswith("note:"))
    assert "start 2025-10-01, deadline 2026-03-31" in line and "working days late" in line
    assert "--start" in line
    res = run(*args, "--start", "2020-04-01", "-o", str(out), "--force", "--format", "json")
    assert json.loads(res.output)["data"]["late"] is None
