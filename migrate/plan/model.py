"""The plan model: a municipality, its businesses, their milestones and deadlines (no networkx here)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from migrate.standard.model import BUSINESS_ID_RE

MILESTONE_ID_RE = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
METRIC_RE = r"^[a-z0-9][a-z0-9_.-]*$"

# 令和7年度末: the national target of the 標準化法's 基本方針 for every business that is not a
# 特定移行支援システム.
NATIONAL_TARGET = dt.date(2026, 3, 31)
NATIONAL_STEPS = 40  # 手順書: 40 steps per business; each 完了 step is 2.5% of 完了率


# Dates a plan may hold: the schedule steps day by day and a year-1 or year-9999 date overflows
# Python's date arithmetic; no migration plan needs anything outside these.
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2199, 12, 31)


def _in_range(d: dt.date) -> dt.date:
    if not DATE_MIN <= d <= DATE_MAX:
        raise ValueError(f"date {d.isoformat()} is outside {DATE_MIN.isoformat()} – {DATE_MAX.isoformat()}")
    return d


# A date a plan may hold. Checked on the date fields only (not a validator on every field of every
# model: a national roll-up validates 1.4 million milestones).
PlanDate = Annotated[dt.date, AfterValidator(_in_range)]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NationalStatus(StrEnum):
    """The status a municipality registers per step in the PMOツール."""

    not_started = "未着手"
    in_progress = "作業中"
    done = "完了済み"
    not_applicable = "対象外"

    @property
    def en(self) -> str:
        return _STATUS_EN[self]


_STATUS_EN = {
    NationalStatus.not_started: "not-started",
    NationalStatus.in_progress: "in-progress",
    NationalStatus.done: "done",
    NationalStatus.not_applicable: "not-applicable",
}
_STATUS_ALIASES = {v: k.value for k, v in _STATUS_EN.items()} | {
    "n/a": "対象外",
    "completed": "完了済み",
    "完了": "完了済み",  # the word plans used before the PMOツール label 完了済み
}


def dependency_key(business: str, ref: str) -> str:
    """`s31` (same business) or `juki:s31` (another business) → the plan-wide key `juki:s31`."""
    return ref if ":" in ref else f"{business}:{ref}"


class Gate(_Frozen):
    """A data-quality condition a milestone must meet, e.g. juki readiness ≥ 0.999 in the last nightly run."""

    metric: str = Field(pattern=METRIC_RE)
    min: float | None = None
    max: float | None = None
    label: str | None = None
    max_age: int | None = Field(default=None, ge=0)  # calendar days; default: the plan's gate_max_age

    @model_validator(mode="after")
    def _one_bound(self) -> Gate:
        if (self.min is None) == (self.max is None):
            raise ValueError("a gate takes exactly one of: min, max")
        if self.metric.endswith(".readiness") or self.metric.startswith("readiness:"):
            if not 0 <= self.threshold <= 1:
                raise ValueError(
                    f"readiness is a ratio from 0 to 1 (write {self.threshold / 100:g} for {self.threshold:g} %)"
                )
        return self

    @property
    def op(self) -> str:
        return ">=" if self.min is not None else "<="

    @property
    def threshold(self) -> float:
        value = self.min if self.min is not None else self.max
        assert value is not None
        return value

    def passes(self, value: float) -> bool:
        return value >= self.threshold if self.min is not None else value <= self.threshold


MAX_DURATION = 5200  # working days in a milestone: about 20 years, far beyond any migration step


class Milestone(_Frozen):
    """One step or milestone of one business: planned duration, actuals and the national status."""

    id: str = Field(pattern=MILESTONE_ID_RE)
    name: str = Field(min_length=1)
    name_en: str | None = None
    phase: str | None = None
    step: int | None = Field(default=None, ge=1)  # the 手順書 step number, counted in the national figures
    # working days; bounded (≈ 20 years) because the schedule walks the calendar day by day
    duration: int | None = Field(default=None, ge=0, le=MAX_DURATION)
    planned_start: PlanDate | None = None  # also "start no earlier than"
    planned_finish: PlanDate | None = None
    actual_start: PlanDate | None = None
    actual_finish: PlanDate | None = None
    progress: float | None = Field(default=None, ge=0, le=100)  # percent
    # Three-point estimate for `plan risk` (working days): duration is the most likely value.
    optimistic: float | None = Field(default=None, ge=0, le=MAX_DURATION)
    pessimistic: float | None = Field(default=None, ge=0, le=MAX_DURATION)
    status: NationalStatus | None = None
    depends_on: tuple[str, ...] = ()
    finish_by: PlanDate | None = None  # an extra late-finish constraint (e.g. a 議会 date)
    gate: Gate | None = None
    note: str | None = None

    @field_validator("status", mode="before")
    @classmethod
    def _status_alias(cls, v: Any) -> Any:
        if isinstance(v, str):
            return _STATUS_ALIASES.get(v.strip().lower(), v.strip())
        return v

    @field_validator("depends_on", mode="before")
    @classmethod
    def _one_dep(cls, v: Any) -> Any:
        if isinstance(v, str):
            return (v,)
        return () if v is None else v


class Business(_Frozen):
    """One business of the plan, its vendor and deadline (a 特定移行支援システム carries a later one)."""

    id: str = Field(pattern=BUSINESS_ID_RE)
    name: str | None = None
    vendor: str | None = None
    deadline: PlanDate | None = None  # default: the plan's default_deadline
    special_support: bool = False  # 特定移行支援システム (formerly 移行困難システム)
    deadline_reason: str | None = None
    deadline_milestones: tuple[str, ...] | None = None  # default: the plan's, else the business's last ones
    start: PlanDate | None = None  # work of this business starts no earlier than this
    note: str | None = None
    milestones: tuple[Milestone, ...] = Field(min_length=1)

    @field_validator("deadline_milestones", mode="before")
    @classmethod
    def _one_milestone(cls, v: Any) -> Any:
        return (v,) if isinstance(v, str) else v

    def milestone(self, milestone_id: str) -> Milestone:
        for m in self.milestones:
            if m.id == milestone_id:
                return m
        raise KeyError(milestone_id)


class Municipality(_Frozen):
    name: str = Field(min_length=1)  # 団体名
    lg_code: str = Field(pattern=r"^\d{6}$")  # 全国地方公共団体コード (check digit checked on load)
    prefecture: str | None = None
    group: str | None = None  # a shared-procurement group, for roll-ups


class CalendarConfig(_Frozen):
    """Working days: weekdays minus national holidays, the year-end break and extra closed days."""

    national_holidays: bool = True
    year_end_break: bool = True  # 12/29–1/3 (行政機関の休日に関する法律)
    closed: tuple[PlanDate, ...] = ()
    open: tuple[PlanDate, ...] = ()  # e.g. a Saturday cut-over


class Thresholds(_Frozen):
    """Status colours from the float toward the deadlines, in working days."""

    amber_below: int = 20  # amber when the float is below this
    red_below: int = 0  # red when below this: 0 means red = projected after the deadline
    gate_failed: Literal["amber", "red", "none"] = "amber"  # a failed gate on unfinished work

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.red_below > self.amber_below:
            raise ValueError("red_below must not exceed amber_below")
        return self


class RiskConfig(_Frozen):
    """Duration uncertainty for `plan risk` where a milestone has no optimistic / pessimistic of its own.

    spread s: optimistic = (1 − s/2) × duration, pessimistic = (1 + 1.5 s) × duration (0.2 → 0.9×,
    1.3×): work overruns more often and further than it underruns.
    """

    spread: float = Field(default=0.0, ge=0, le=2)
    distribution: Literal["pert", "triangular"] = "pert"  # PERT-beta (λ = 4) or triangular
    calibrate: bool = True  # use the slip observed against a baseline when there is one


class Plan(_Frozen):
    """A municipality's migration plan (`kind: migrate/plan`)."""

    kind: Literal["migrate/plan"] = "migrate/plan"
    format: Literal[1] = 1
    municipality: Municipality
    start: PlanDate  # no work of the plan is scheduled before this
    national_target: PlanDate = NATIONAL_TARGET
    default_deadline: PlanDate | None = None  # default: national_target
    national_steps: int = Field(default=NATIONAL_STEPS, ge=1)
    deadline_milestones: tuple[str, ...] = ()  # the milestone(s) each deadline applies to, e.g. s36 本番移行
    template: str | None = None  # the procedure template the plan was made from (informational)
    calendar: CalendarConfig = CalendarConfig()
    thresholds: Thresholds = Thresholds()
    risk: RiskConfig | None = None
    gate_max_age: int | None = Field(default=None, ge=0)  # a gate measured longer ago (days) is stale
    businesses: tuple[Business, ...] = Field(min_length=1)

    @field_validator("deadline_milestones", mode="before")
    @classmethod
    def _one_milestone(cls, v: Any) -> Any:
        return (v,) if isinstance(v, str) else v

    def business(self, business_id: str) -> Business:
        for b in self.businesses:
            if b.id == business_id:
                return b
        raise KeyError(business_id)

    def deadline_of(self, business: Business) -> dt.date:
        return business.deadline or self.default_deadline or self.national_target

    def deadline_refs(self, business: Business) -> tuple[str, ...]:
        """The milestone ids the business's deadline applies to (before falling back to its last ones)."""
        if business.deadline_milestones is not None:
            return business.deadline_milestones
        ids = {m.id for m in business.milestones}
        return tuple(r for r in self.deadline_milestones if r in ids)

    def keys(self) -> list[str]:
        return [f"{b.id}:{m.id}" for b in self.businesses for m in b.milestones]

    @property
    def uncertain(self) -> bool:
        """Whether any duration carries uncertainty (a plan-wide spread or a three-point estimate)."""
        if self.risk is not None and self.risk.spread > 0:
            return True
        return any(
            m.optimistic is not None or m.pessimistic is not None
            for b in self.businesses
            for m in b.milestones
        )
