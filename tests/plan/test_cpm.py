"""CPM on hand-computed plans: dates, floats, actuals, deadlines, cross-business links."""

from __future__ import annotations

from migrate.plan.engine import compute
from tests.plan.util import DIAMOND, D, make_plan, ms

# 2026-06-01 is a Monday; working days 6/1..6/5, 6/8..6/12, 6/15…


def test_diamond_dates_and_floats() -> None:
    # The deadline on the day the chain finishes: the textbook CPM floats.
    r = compute(make_plan({"juki": {"deadline": "2026-06-11", "milestones": DIAMOND}}), D(2026, 6, 1))
    b = r.business("juki")
    a, bb, c, d = (b.milestone(x) for x in "abcd")
    assert (a.early_start, a.early_finish) == (D(2026, 6, 1), D(2026, 6, 3))
    assert (bb.early_start, bb.early_finish) == (D(2026, 6, 4), D(2026, 6, 5))
    assert (c.early_start, c.early_finish) == (D(2026, 6, 4), D(2026, 6, 10))
    assert (d.early_start, d.early_finish) == (D(2026, 6, 11), D(2026, 6, 11))
    assert (bb.late_start, bb.late_finish) == (D(2026, 6, 9), D(2026, 6, 10))
    assert [m.total_float for m in (a, bb, c, d)] == [0, 3, 0, 0]
    assert [m.free_float for m in (a, bb, c, d)] == [0, 3, 0, 0]
    assert [m.critical for m in (a, bb, c, d)] == [True, False, True, True]
    assert b.critical_path == ("juki:a", "juki:c", "juki:d")
    assert r.critical_path == ("juki:a", "juki:c", "juki:d")
    assert b.projected_finish == D(2026, 6, 11)
    assert r.plan_finish == D(2026, 6, 11)


def test_deadline_makes_float_negative_by_the_overrun() -> None:
    plan = make_plan({"juki": {"deadline": "2026-06-10", "milestones": DIAMOND}})
    b = compute(plan, D(2026, 6, 1)).business("juki")
    assert [b.milestone(x).total_float for x in "abcd"] == [-1, 2, -1, -1]
    assert b.milestone("b").free_float == 3
    assert b.overrun_working_days == 1
    assert b.overrun_calendar_days == 1
    assert b.slack == -1
    assert b.float_days == -1
    assert b.status == "red"
    assert b.reasons[0].code == "deadline-overrun"


def test_amber_threshold() -> None:
    plan = make_plan({"juki": {"deadline": "2026-06-30", "milestones": DIAMOND}})
    b = compute(plan, D(2026, 6, 1)).business("juki")
    assert b.float_days == 13  # 6/12 … 6/30: 13 working days after 6/11
    assert b.status == "amber"
    assert b.reasons[0].code == "low-float"
    plan = make_plan(
        {"juki": {"deadline": "2026-06-30", "milestones": DIAMOND}}, thresholds={"amber_below": 10}
    )
    assert compute(plan, D(2026, 6, 1)).business("juki").status == "green"


def test_actuals_fix_the_past_and_progress_sets_the_remaining_work() -> None:
    milestones = [
        ms("a", 3, actual_start="2026-06-01", actual_finish="2026-06-03", status="完了"),
        ms("b", 2, "a"),  # not started although a finished: pushed to the as-of date
        ms("c", 5, "a", actual_start="2026-06-04", progress=20, status="作業中"),
        ms("d", 1, "b", "c"),
    ]
    r = compute(make_plan({"juki": {"deadline": "2026-06-12", "milestones": milestones}}), D(2026, 6, 8))
    b = r.business("juki")
    a, bb, c, d = (b.milestone(x) for x in "abcd")
    assert a.state == "done" and a.total_float is None and a.finish == D(2026, 6, 3)
    assert (bb.early_start, bb.early_finish) == (D(2026, 6, 8), D(2026, 6, 9))
    # c: ceil(5 × 0.8) = 4 days left from 6/8 → 6/11; 2 of 5 days elapsed → 40% expected
    assert c.remaining == 4 and c.finish == D(2026, 6, 11) and c.start == D(2026, 6, 4)
    assert c.expected_progress == 40.0
    assert (d.early_start, d.early_finish) == (D(2026, 6, 12), D(2026, 6, 12))
    assert [m.total_float for m in (bb, c, d)] == [2, 0, 0]
    codes = {n.code: n for n in b.reasons}
    assert codes["progress-behind"].days == 1
    assert codes["progress-behind"].milestone == "juki:c"
    assert b.national.done == 0 and b.national.unregistered == 40  # steps without a number do not count


def test_start_overdue_reason() -> None:
    milestones = [
        ms("a", 3, actual_start="2026-06-01", actual_finish="2026-06-03"),
        ms("b", 10, "a"),
    ]
    plan = make_plan({"juki": {"deadline": "2026-06-19", "milestones": milestones}})
    b = compute(plan, D(2026, 6, 10)).business("juki")
    overdue = next(n for n in b.reasons if n.code == "start-overdue")
    assert overdue.days == 4  # could start 6/4; 6/4, 6/5, 6/8, 6/9 lost
    assert b.status == "red"


def test_as_of_on_a_holiday_counts_from_the_next_working_day() -> None:
    r = compute(make_plan({"juki": [ms("a", 2)]}, start="2026-11-01"), D(2026, 11, 23))
    assert r.as_of_working_day == D(2026, 11, 24)
    assert r.business("juki").milestone("a").early_finish == D(2026, 11, 25)


def test_year_end_and_golden_week_in_a_schedule() -> None:
    plan = make_plan({"juki": [ms("a", 3)], "kokuho": [ms("x", 4)]}, start="2026-12-25")
    r = compute(plan, D(2026, 12, 25))
    assert r.business("juki").milestone("a").early_finish == D(2027, 1, 4)
    plan = make_plan({"juki": [ms("a", 4)]}, start="2026-04-28")
    assert compute(plan, D(2026, 4, 28)).business("juki").milestone("a").early_finish == D(2026, 5, 7)


def test_planned_dates_give_duration_and_a_start_no_earlier_than() -> None:
    milestones = [
        ms("a", 2),
        {
            "id": "b",
            "name": "B",
            "planned_start": "2026-06-15",
            "planned_finish": "2026-06-17",
            "depends_on": ["a"],
        },
    ]
    b = compute(make_plan({"juki": milestones}), D(2026, 6, 1)).business("juki").milestone("b")
    assert b.duration == 3
    assert (b.early_start, b.early_finish) == (D(2026, 6, 15), D(2026, 6, 17))


def test_not_applicable_is_a_zero_length_pass_through() -> None:
    milestones = [ms("a", 3), ms("x", 10, "a", status="対象外"), ms("b", 2, "x")]
    b = compute(make_plan({"juki": milestones}), D(2026, 6, 1)).business("juki")
    assert b.milestone("x").state == "not-applicable"
    assert b.milestone("x").early_start is None
    assert b.milestone("b").early_start == D(2026, 6, 4)
    assert b.critical_path == ("juki:a", "juki:b")


def test_deadline_milestones_and_finish_by() -> None:
    milestones = [ms("a", 3), ms("cut", 2, "a"), ms("after", 20, "cut", finish_by="2026-07-31")]
    plan = make_plan(
        {"juki": {"deadline": "2026-06-05", "deadline_milestones": ["cut"], "milestones": milestones}}
    )
    b = compute(plan, D(2026, 6, 1)).business("juki")
    assert b.projected_finish == D(2026, 6, 5)
    assert b.deadline_milestones == ("juki:cut",)
    assert b.overrun_working_days == 0
    assert b.milestone("cut").total_float == 0  # on its own deadline
    assert b.milestone("after").deadline_float == 19  # ends 7/3; 7/6 … 7/31 without 7/20 海の日


def test_cross_business_dependency_and_reasons() -> None:
    plan = make_plan(
        {
            "juki": {"deadline": "2026-12-31", "milestones": [ms("migrate", 10)]},
            "kokuho": {"deadline": "2026-06-12", "milestones": [ms("test", 5, "juki:migrate")]},
        }
    )
    r = compute(plan, D(2026, 6, 1))
    juki, kokuho = r.business("juki"), r.business("kokuho")
    assert kokuho.projected_finish == D(2026, 6, 19)  # 6/15–6/19 after juki's 6/1–6/12
    assert kokuho.overrun_working_days == 5
    assert kokuho.critical_path == ("juki:migrate", "kokuho:test")
    assert {n.code for n in kokuho.reasons} >= {"deadline-overrun", "waits-for-business"}
    assert juki.milestone("migrate").binding_deadline == "kokuho"
    assert juki.milestone("migrate").deadline_float == -5
    assert juki.status == "red"  # its work makes kokuho miss its deadline
    assert juki.overrun_working_days == 0
    held = next(n for n in juki.reasons if n.code == "holds-other-deadline")
    assert held.business == "kokuho" and held.days == -5


def test_migrated_business_is_green_with_its_actual_finish() -> None:
    milestones = [ms("a", 3, actual_start="2026-06-01", actual_finish="2026-06-03")]
    plan = make_plan({"juki": {"deadline": "2026-06-03", "milestones": milestones}})
    b = compute(plan, D(2026, 6, 10)).business("juki")
    assert b.migrated and b.status == "green" and b.float_days is None and b.overrun_working_days == 0
    plan = make_plan({"juki": {"deadline": "2026-06-02", "milestones": milestones}})
    b = compute(plan, D(2026, 6, 10)).business("juki")
    assert b.migrated and b.status == "amber" and b.float_days is None  # late: never green
    assert b.projected_finish == D(2026, 6, 3)
    assert b.overrun_working_days == 1  # finished a day late: history, still reported
    assert b.critical_path == ()


def test_actuals_after_the_as_of_date_are_ignored() -> None:
    milestones = [
        ms("a", 10, actual_start="2026-06-01", actual_finish="2026-06-12", status="完了"),
        ms("b", 5, "a", actual_start="2026-06-15", status="作業中", progress=50),
    ]
    r = compute(make_plan({"juki": milestones}), D(2026, 6, 8))
    a, b = r.business("juki").milestone("a"), r.business("juki").milestone("b")
    assert a.state == "in-progress" and a.actual_finish is None
    assert a.progress == 50.0  # assumed on plan: 5 of 10 days
    assert b.state == "not-started"
    assert {w.code for w in r.warnings} == {"actual-after-as-of"}


def test_status_without_dates_is_reported_as_a_warning() -> None:
    milestones = [ms("a", 3, status="完了"), ms("b", 4, "a", status="作業中")]
    r = compute(make_plan({"juki": milestones}), D(2026, 6, 8))
    assert {w.code for w in r.warnings} == {"finish-date-missing", "start-date-missing", "progress-missing"}
    b = r.business("juki").milestone("b")
    assert b.state == "in-progress" and b.remaining == 4


def test_what_if_extra_days_move_only_what_depends_on_them() -> None:
    plan = make_plan({"juki": DIAMOND})
    r = compute(plan, D(2026, 6, 1), extra_days={"juki:b": 3})
    assert r.business("juki").projected_finish == D(2026, 6, 11)  # b had 3 days of float
    r = compute(plan, D(2026, 6, 1), extra_days={"juki:b": 4})
    assert r.business("juki").projected_finish == D(2026, 6, 12)
