"""The working calendar of a Japanese municipality: weekends, national holidays and 12/29–1/3 are closed."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

from migrate.i18n import t
from migrate.plan.model import CalendarConfig

ONE_DAY = dt.timedelta(days=1)


@lru_cache(maxsize=256)
def _holidays(year: int) -> dict[dt.date, str]:
    """The national holidays of a year (jpholiday), about 20 times faster than year_holidays.

    jpholiday.year_holidays runs every checker on every day, and its 振替休日 and 国民の休日 checkers
    re-run all the others on the days around: ~0.14 s a year, seconds for a plan spanning to 2031.
    Here the fixed-rule checkers run on every day, and the two derived ones only on the three days
    after each holiday (a 振替休日 follows a run of holidays reaching back to a Sunday; a 国民の休日 is
    sandwiched between two holidays). If jpholiday's internals change, fall back to its public API.
    """
    import jpholiday

    try:
        from jpholiday.functions import new_api

        checkers = list(new_api.registry.checkers())
        derived_names = ("TransferHolidayChecker", "NationalHolidayChecker")
        derived = [c for c in checkers if type(c).__name__ in derived_names]
        fixed = [c for c in checkers if c not in derived]
        if len(derived) != 2:
            raise LookupError("unexpected jpholiday checkers")
        out: dict[dt.date, str] = {}
        d = dt.date(year, 1, 1)
        while d.year == year:
            for c in fixed:
                if c.is_holiday(d):
                    out[d] = c.holiday_name(d)
                    break
            d += ONE_DAY
        candidates = {p + dt.timedelta(days=k) for p in out for k in (1, 2, 3)} - out.keys()
        for d in sorted(c for c in candidates if c.year == year):
            for c in derived:
                if c.is_holiday(d):
                    out[d] = c.holiday_name(d)
                    break
        return dict(sorted(out.items()))
    except Exception:  # noqa: BLE001 - any change in jpholiday's internals: use its public API
        return dict(jpholiday.year_holidays(year))


def _year_end(d: dt.date) -> bool:
    # 行政機関の休日に関する法律 第1条: 12月29日から翌年1月3日まで
    return (d.month == 12 and d.day >= 29) or (d.month == 1 and d.day <= 3)


class WorkCalendar:
    """Which days are working days; moves and counts in working days."""

    def __init__(
        self,
        *,
        national_holidays: bool = True,
        year_end_break: bool = True,
        closed: Iterable[dt.date] = (),
        open_days: Iterable[dt.date] = (),
    ) -> None:
        self.national_holidays = national_holidays
        self.year_end_break = year_end_break
        self.closed = frozenset(closed)
        self.open_days = frozenset(open_days)

    @classmethod
    def from_config(cls, cfg: CalendarConfig) -> WorkCalendar:
        return cls(
            national_holidays=cfg.national_holidays,
            year_end_break=cfg.year_end_break,
            closed=cfg.closed,
            open_days=cfg.open,
        )

    def closed_reason(self, d: dt.date) -> str | None:
        """Why d is not a working day (in the current language), or None for a working day."""
        if d in self.open_days:
            return None
        if d in self.closed:
            return t("閉庁日", "closed day")
        if self.year_end_break and _year_end(d):
            return t("年末年始", "year-end break")
        if self.national_holidays:
            name = _holidays(d.year).get(d)
            if name:
                return name
        if d.weekday() >= 5:
            return t("土日", "weekend")
        return None

    def is_working_day(self, d: dt.date) -> bool:
        if d in self.open_days:
            return True
        if d.weekday() >= 5 or d in self.closed:
            return False
        if self.year_end_break and _year_end(d):
            return False
        return not (self.national_holidays and d in _holidays(d.year))

    def next_working_day(self, d: dt.date) -> dt.date:
        """d itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(d):
            d += ONE_DAY
        return d

    def previous_working_day(self, d: dt.date) -> dt.date:
        """d itself if it is a working day, else the last working day before it."""
        while not self.is_working_day(d):
            d -= ONE_DAY
        return d

    def add_working_days(self, d: dt.date, n: int) -> dt.date:
        """The n-th working day after d (before d when n < 0); d itself when n == 0."""
        step = ONE_DAY if n >= 0 else -ONE_DAY
        left = abs(n)
        while left:
            d += step
            if self.is_working_day(d):
                left -= 1
        return d

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in [start, end); negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        d = start
        while d < end:
            if self.is_working_day(d):
                count += 1
            d += ONE_DAY
        return count


class WorkdayIndex:
    """Numbers the working days from an anchor (0, 1, 2 …) so the schedule can work in integers.

    A piece of work occupies the half-open index range [start, finish): it starts at the beginning of
    day `start` and ends at the end of day `finish - 1`.
    """

    def __init__(self, calendar: WorkCalendar, anchor: dt.date) -> None:
        self.calendar = calendar
        self.anchor = calendar.previous_working_day(anchor)
        self._days: list[dt.date] = [self.anchor]

    def _cover(self, d: dt.date) -> None:
        cal, days = self.calendar, self._days
        cur = days[-1]
        while cur < d:
            cur += ONE_DAY
            if cal.is_working_day(cur):
                days.append(cur)
        if days[-1] < d:  # keep one working day at or after d so bisect has an answer
            days.append(cal.next_working_day(d))

    def _grow(self, i: int) -> None:
        while len(self._days) <= i:
            self._days.append(self.calendar.next_working_day(self._days[-1] + ONE_DAY))

    def start(self, d: dt.date) -> int:
        """Index of the first working day on or after d."""
        if d < self.anchor:
            raise ValueError(f"{d} is before the calendar anchor {self.anchor}")
        self._cover(d)
        return bisect.bisect_left(self._days, d)

    def finish(self, d: dt.date) -> int:
        """Exclusive end index of work that ends on d (or on the last working day before d)."""
        if d < self.anchor:
            raise ValueError(f"{d} is before the calendar anchor {self.anchor}")
        self._cover(d)
        return bisect.bisect_right(self._days, d)

    def days(self, last: dt.date, count: int = 0) -> list[dt.date]:
        """The working days from the anchor (index 0) on, covering `last` and at least `count` days:
        a lookup table for vectorised conversions (the list itself: do not modify it)."""
        self._cover(last)
        self._grow(count - 1)
        return self._days

    def date(self, i: int) -> dt.date:
        if i < 0:
            return self.calendar.add_working_days(self.anchor, i)
        self._grow(i)
        return self._days[i]

    def start_date(self, start: int) -> dt.date:
        return self.date(start)

    def finish_date(self, start: int, finish: int) -> dt.date:
        """The last day of work [start, finish); a zero-length milestone falls on its start day."""
        return self.date(finish - 1 if finish > start else start)
