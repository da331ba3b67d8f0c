"""The working calendar: weekends, national holidays, 12/29–1/3, extra closed and open days."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migrate.plan.calendar import WorkCalendar, WorkdayIndex

D = dt.date
CAL = WorkCalendar()


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 12, 28), True),  # Monday before the break
        (D(2026, 12, 29), False),
        (D(2026, 12, 30), False),
        (D(2026, 12, 31), False),
        (D(2027, 1, 1), False),  # 元日, also in the break
        (D(2027, 1, 2), False),
        (D(2027, 1, 3), False),
        (D(2027, 1, 4), True),
        (D(2026, 4, 28), True),
        (D(2026, 4, 29), False),  # 昭和の日 (Wednesday)
        (D(2026, 4, 30), True),
        (D(2026, 5, 1), True),
        (D(2026, 5, 2), False),  # Saturday
        (D(2026, 5, 3), False),  # 憲法記念日 (Sunday)
        (D(2026, 5, 4), False),  # みどりの日
        (D(2026, 5, 5), False),  # こどもの日
        (D(2026, 5, 6), False),  # 振替休日
        (D(2026, 5, 7), True),
        (D(2026, 11, 23), False),  # 勤労感謝の日
    ],
)
def test_working_days(day: dt.date, working: bool) -> None:
    assert CAL.is_working_day(day) is working


def test_year_end_counts() -> None:
    assert CAL.add_working_days(D(2026, 12, 28), 1) == D(2027, 1, 4)
    assert CAL.add_working_days(D(2027, 1, 4), -1) == D(2026, 12, 28)
    # 12/25 (Fri), 12/28 (Mon), 1/4 (Mon)
    assert CAL.working_days_between(D(2026, 12, 25), D(2027, 1, 5)) == 3
    assert CAL.working_days_between(D(2027, 1, 5), D(2026, 12, 25)) == -3


def test_golden_week_counts() -> None:
    assert CAL.add_working_days(D(2026, 4, 28), 1) == D(2026, 4, 30)
    assert CAL.add_working_days(D(2026, 4, 28), 3) == D(2026, 5, 7)
    # 4/27, 4/28, 4/30, 5/1, 5/7
    assert CAL.working_days_between(D(2026, 4, 27), D(2026, 5, 8)) == 5
    assert CAL.next_working_day(D(2026, 5, 2)) == D(2026, 5, 7)
    assert CAL.previous_working_day(D(2026, 5, 6)) == D(2026, 5, 1)


def test_closed_reason() -> None:
    assert CAL.closed_reason(D(2026, 5, 4)) == "みどりの日"
    assert CAL.closed_reason(D(2026, 12, 30)) == "年末年始"
    assert CAL.closed_reason(D(2026, 6, 6)) == "土日"
    assert CAL.closed_reason(D(2026, 6, 8)) is None


def test_extra_closed_and_open_days() -> None:
    cal = WorkCalendar(closed=[D(2026, 8, 14)], open_days=[D(2027, 1, 2)])
    assert not cal.is_working_day(D(2026, 8, 14))
    assert cal.closed_reason(D(2026, 8, 14)) == "閉庁日"
    assert cal.is_working_day(D(2027, 1, 2))  # a Saturday cut-over in the break
    assert cal.add_working_days(D(2026, 12, 28), 1) == D(2027, 1, 2)


def test_year_end_break_can_be_switched_off() -> None:
    cal = WorkCalendar(year_end_break=False)
    assert cal.is_working_day(D(2026, 12, 29))
    assert not cal.is_working_day(D(2027, 1, 1))  # still 元日


def test_workday_index_half_open_ranges() -> None:
    idx = WorkdayIndex(CAL, D(2026, 12, 25))
    assert idx.start(D(2026, 12, 25)) == 0
    assert idx.start(D(2026, 12, 29)) == 2  # closed: the next working day, 1/4
    assert idx.finish(D(2026, 12, 29)) == 2  # work ending in the break ended on 12/28
    assert idx.date(2) == D(2027, 1, 4)
    # three days of work from 12/25: 12/25, 12/28, 1/4
    assert idx.finish_date(0, 3) == D(2027, 1, 4)
    assert idx.finish_date(2, 2) == D(2027, 1, 4)  # a zero-length milestone sits on its start


@settings(max_examples=80, deadline=None)
@given(
    st.dates(min_value=D(2024, 1, 1), max_value=D(2031, 12, 31)),
    st.integers(min_value=0, max_value=400),
)
def test_add_and_count_agree(day: dt.date, n: int) -> None:
    start = CAL.next_working_day(day)
    end = CAL.add_working_days(start, n)
    assert CAL.is_working_day(end)
    assert CAL.working_days_between(start, end) == n
    assert CAL.add_working_days(end, -n) == start
