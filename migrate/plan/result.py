"""Result objects of the plan engine: what terminal, JSON, Excel and HTML reports render.

PlanResult → BusinessResult → MilestoneResult, all frozen, with `to_dict()` giving JSON-ready data
(dates as ISO strings). Floats and slips are in working days of the plan's calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import Enum
from typing import Any, Literal

State = Literal["not-started", "in-progress", "done", "not-applicable"]
Status = Literal["green", "amber", "red"]
GateState = Literal["passed", "failed", "stale", "not-measured"]


def _json(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, Mapping):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    return value


class _ToDict:
    def to_dict(self) -> dict[str, Any]:
        return {f.name: _json(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]


@dataclass(frozen=True)
class Note(_ToDict):
    """A reason for lateness or a warning about the plan's data: a stable code plus a message."""

    code: str
    message: str  # in the language current when the result was computed
    business: str | None = None
    milestone: str | None = None  # business:id
    days: int | None = None  # working days, when the note is about an amount of time
    milestones: tuple[str, ...] = ()  # for notes that group several milestones


@dataclass(frozen=True)
class GateResult(_ToDict):
    milestone: str
    metric: str
    op: str  # ">=" or "<="
    threshold: float
    value: float | None
    state: GateState
    label: str | None = None
    measured_at: dt.date | None = None  # the as-of date of the run the value comes from
    max_age: int | None = None  # calendar days after which a measurement is stale

    @property
    def holds(self) -> bool:
        """A failed or stale gate holds its milestone: not finished, its successors wait."""
        return self.state in ("failed", "stale")

    def show(self, value: float | None) -> str:
        """A value of this gate's metric as people read it: readiness (a ratio) as a percentage."""
        if value is None:
            return "-"
        if self.metric.endswith(".readiness") or self.metric.startswith("readiness:"):
            return f"{value * 100:.2f}%".replace(".00%", "%")
        return f"{value:g}"


@dataclass(frozen=True)
class NationalFigures(_ToDict):
    """The 総務省 PMOツール figures: each of the `steps` steps weighs 100/steps % (2.5% for 40)."""

    steps: int  # steps counted (40 per business, times the businesses for an organisation)
    done: int  # 完了済み
    in_progress: int  # 作業中
    not_started: int  # 未着手 (including steps the plan does not list)
    not_applicable: int  # 対象外
    unregistered: int  # steps the plan does not list (counted as 未着手)
    completion_rate: float  # 完了率 = (完了済み + 対象外) / steps, in %
    in_progress_rate: float  # 作業中率 = 作業中 / steps, in %
    not_started_rate: float  # 未着手率 = 未着手 / steps, in %


@dataclass(frozen=True)
class MilestoneResult(_ToDict):
    key: str  # business:id
    business: str
    id: str
    name: str
    name_en: str | None
    phase: str | None
    step: int | None
    state: State
    national_status: str  # 未着手 / 作業中 / 完了済み / 対象外 as reported (or derived from the actuals)
    duration: int  # working days (what-if delays included)
    remaining: int | None  # working days still to do (None when done or not applicable)
    progress: float | None  # percent, as reported
    expected_progress: float | None  # percent a started milestone should have reached by the as-of date
    planned_start: dt.date | None
    planned_finish: dt.date | None
    actual_start: dt.date | None
    actual_finish: dt.date | None
    start: dt.date | None  # actual, else projected (early) start
    finish: dt.date | None  # actual, else projected (early) finish
    early_start: dt.date | None
    early_finish: dt.date | None
    late_start: dt.date | None
    late_finish: dt.date | None
    total_float: int | None  # toward the nearest deadline depending on it (None: none does); < 0 = missed
    free_float: int | None
    deadline_float: int | None  # the same as total_float (one definition), kept for its readers
    binding_deadline: str | None  # the business whose deadline sets deadline_float
    critical: bool  # total_float <= 0 on unfinished work
    on_critical_path: bool  # on its own business's driving chain to the deadline milestone
    depends_on: tuple[str, ...]
    gate: GateResult | None
    baseline_finish: dt.date | None = None
    slip: int | None = None  # working days later than the baseline (negative = earlier)


@dataclass(frozen=True)
class BusinessResult(_ToDict):
    id: str
    code: str | None
    name: str
    name_en: str | None
    vendor: str | None
    deadline: dt.date
    special_support: bool  # 特定移行支援システム
    deadline_reason: str | None
    deadline_milestones: tuple[str, ...]  # keys the deadline applies to
    start: dt.date | None
    finish: dt.date | None  # of all its milestones, operation included
    projected_finish: dt.date | None  # of the deadline milestones: actual when migrated
    migrated: bool  # every deadline milestone is done
    float_days: int | None  # the least deadline float of its unfinished work (None when migrated)
    slack: int | None  # working days from projected_finish to the deadline (negative = overrun)
    overrun_working_days: int
    overrun_calendar_days: int
    status: Status
    phase: str | None  # the phase of its earliest unfinished step
    current: tuple[str, ...]  # keys of the milestones in progress
    reasons: tuple[Note, ...]
    critical_path: tuple[str, ...]  # the driving chain to projected_finish, other businesses included
    national: NationalFigures
    gates: tuple[GateResult, ...]
    milestones: tuple[MilestoneResult, ...]
    baseline_projected_finish: dt.date | None = None
    slip: int | None = None

    def milestone(self, milestone_id: str) -> MilestoneResult:
        for m in self.milestones:
            if m.id == milestone_id or m.key == milestone_id:
                return m
        raise KeyError(milestone_id)


@dataclass(frozen=True)
class PlanResult(_ToDict):
    municipality: str
    lg_code: str
    prefecture: str | None
    group: str | None
    path: str | None
    as_of: dt.date  # as asked
    as_of_working_day: dt.date  # the first working day on or after as_of: remaining work starts here
    national_target: dt.date
    plan_start: dt.date
    plan_finish: dt.date | None
    thresholds: Mapping[str, Any]
    counts: Mapping[str, int]  # businesses by status, plus migrated and late
    critical_path: tuple[str, ...]  # every unfinished milestone with total_float <= 0, by start
    national: NationalFigures
    businesses: tuple[BusinessResult, ...]
    warnings: tuple[Note, ...]
    baseline: Mapping[str, Any] | None = None  # name and as_of of the baseline compared against
    risk: RiskResult | None = None  # Monte-Carlo deadline probabilities, when asked for

    def business(self, business_id: str) -> BusinessResult:
        for b in self.businesses:
            if b.id == business_id:
                return b
        raise KeyError(business_id)

    def milestone(self, key: str) -> MilestoneResult:
        business, _, _ = key.partition(":")
        return self.business(business).milestone(key)


@dataclass(frozen=True)
class Criticality(_ToDict):
    key: str  # business:id (another business's milestone when it drives this one's deadline)
    index: float  # share of the runs in which it lies on the business's driving chain, 0–1


@dataclass(frozen=True)
class BusinessRisk(_ToDict):
    """Monte-Carlo outcome of one business: finish dates of its deadline milestones over the runs."""

    id: str
    deadline: dt.date
    migrated: bool
    projected_finish: dt.date | None  # the deterministic CPM projection (durations as planned)
    probability: float | None  # P(finish <= deadline), 0–1; None when it has nothing to finish
    p50: dt.date | None
    p80: dt.date | None
    p95: dt.date | None
    criticality: tuple[Criticality, ...]  # most often critical first


@dataclass(frozen=True)
class RiskResult(_ToDict):
    """`plan risk`: what the runs assumed and what came out, per business."""

    as_of: dt.date
    runs: int
    seed: int
    distribution: str  # "pert" (PERT-beta, λ = 4) or "triangular"
    optimistic_factor: float  # × duration where a milestone has no optimistic of its own
    pessimistic_factor: float
    spread_source: str  # "plan" (risk.spread), "baseline" (calibrated) or "none"
    calibration: Mapping[str, Any] | None  # baseline, milestones observed, slip-ratio quantiles
    uncertain_milestones: int  # unfinished milestones whose duration varies
    businesses: tuple[BusinessRisk, ...]

    def business(self, business_id: str) -> BusinessRisk:
        for b in self.businesses:
            if b.id == business_id:
                return b
        raise KeyError(business_id)
