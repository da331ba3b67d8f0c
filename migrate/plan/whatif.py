"""What-if: delay milestones in memory and show the effect on every deadline (the files stay as they are)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from migrate.errors import UsageError
from migrate.i18n import t
from migrate.plan.calendar import WorkCalendar
from migrate.plan.engine import compute
from migrate.plan.model import NationalStatus, Plan
from migrate.plan.result import PlanResult, Status, _ToDict

_DELAY_RE = re.compile(r"^\s*(?P<ref>[^=\s]+)\s*=\s*(?P<n>[+-]?\d+)\s*(?P<unit>[dw]?)\s*$", re.IGNORECASE)
_UNIT_DAYS = {"": 1, "d": 1, "w": 5}  # d: working days; w: working weeks


@dataclass(frozen=True)
class Delay(_ToDict):
    milestone: str  # business:id
    days: int  # working days added (negative: brought forward)


@dataclass(frozen=True)
class BusinessChange(_ToDict):
    id: str
    name: str
    deadline: dt.date
    finish_before: dt.date | None
    finish_after: dt.date | None
    change: int | None  # working days the projected finish moves (positive = later)
    float_before: int | None
    float_after: int | None
    overrun_before: int
    overrun_after: int
    status_before: Status
    status_after: Status


@dataclass(frozen=True)
class WhatIfResult(_ToDict):
    delays: tuple[Delay, ...]
    changes: tuple[BusinessChange, ...]
    before: PlanResult
    after: PlanResult

    @property
    def affected(self) -> tuple[BusinessChange, ...]:
        return tuple(c for c in self.changes if c.change or c.status_before != c.status_after)

    def summary(self) -> dict[str, Any]:
        """The delays and changes without the two full results (for compact JSON)."""
        return {
            "delays": [d.to_dict() for d in self.delays],
            "changes": [c.to_dict() for c in self.changes],
            "as_of": self.after.as_of.isoformat(),
        }


def parse_delay(text: str) -> tuple[str, int]:
    """`juki:s31=+10d` → ("juki:s31", 10); units d (working days, the default) and w (5 working days)."""
    m = _DELAY_RE.match(text)
    if not m:
        raise UsageError(
            t("--delay {v} の形式が正しくありません", "--delay {v} is not understood", v=text),
            hint=t(
                "例: --delay juki:s31=+10d (営業日), --delay kokuho:s33=+2w", "e.g. --delay juki:s31=+10d"
            ),
        )
    return m.group("ref"), int(m.group("n")) * _UNIT_DAYS[m.group("unit").lower()]


def resolve(plan: Plan, ref: str) -> str:
    """`business:id`, or a bare milestone id that only one business has."""
    keys = plan.keys()
    if ":" in ref:
        if ref in keys:
            return ref
        candidates = []
    else:
        candidates = [k for k in keys if k.partition(":")[2] == ref]
        if len(candidates) == 1:
            return candidates[0]
    raise UsageError(
        t("マイルストーン {r} が特定できません", "cannot identify milestone {r}", r=ref),
        hint=t("業務:ID で指定してください: {l}", "name it as business:id: {l}", l=", ".join(candidates[:8]))
        if candidates
        else t("業務:ID で指定してください (例: juki:s31)", "name it as business:id (e.g. juki:s31)"),
    )


def delays_for(plan: Plan, specs: Iterable[str]) -> tuple[Delay, ...]:
    total: dict[str, int] = {}
    for spec in specs:
        ref, days = parse_delay(spec)
        key = resolve(plan, ref)
        business, _, mid = key.partition(":")
        m = plan.business(business).milestone(mid)
        if m.actual_finish is not None or m.status in (NationalStatus.done, NationalStatus.not_applicable):
            raise UsageError(
                t(
                    "{k} は完了または対象外のため遅らせられません",
                    "{k} is done or not applicable: it cannot be delayed",
                    k=key,
                )
            )
        total[key] = total.get(key, 0) + days
    return tuple(Delay(k, d) for k, d in total.items())


def what_if(plan: Plan, as_of: dt.date, delay_specs: Iterable[str], **kwargs: Any) -> WhatIfResult:
    delays = delays_for(plan, delay_specs)
    if not delays:
        raise UsageError(t("--delay を1つ以上指定してください", "give at least one --delay"))
    before = compute(plan, as_of, **kwargs)
    after = compute(plan, as_of, extra_days={d.milestone: d.days for d in delays}, **kwargs)
    cal = WorkCalendar.from_config(plan.calendar)
    changes = []
    for b0, b1 in zip(before.businesses, after.businesses, strict=True):
        f0, f1 = b0.projected_finish, b1.projected_finish
        changes.append(
            BusinessChange(
                id=b0.id,
                name=b0.name,
                deadline=b0.deadline,
                finish_before=f0,
                finish_after=f1,
                change=cal.working_days_between(f0, f1) if f0 and f1 else None,
                float_before=b0.float_days,
                float_after=b1.float_days,
                overrun_before=b0.overrun_working_days,
                overrun_after=b1.overrun_working_days,
                status_before=b0.status,
                status_after=b1.status,
            )
        )
    return WhatIfResult(delays=delays, changes=tuple(changes), before=before, after=after)
