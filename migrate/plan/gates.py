"""Gates: a milestone may require a data-quality result, e.g. juki readiness ≥ 99.9 in the latest run.

The plan engine asks a GateSource for the latest value of a metric: migrate.history.gates reads the
nightly history (`plan status|critical|report|rollup --history DB`); without one every gate is
"not-measured" (未計測).

A GateSource is anything with `latest(metric_key) -> float | None`: the most recent measured value of
`metric_key` (e.g. "juki.readiness", a percentage), or None when it has never been measured. A source
that also has `measured(metric_key) -> {"value": …, "measured_at": "YYYY-MM-DD"} | None` tells when.

States: passed; failed (the value misses the threshold); stale (measured more than `max_age` calendar
days before the as-of date: not passed, whatever the value); not-measured. A failed or stale gate
holds its milestone (migrate.plan.cpm): it does not count as finished and its successors cannot
start in the projection before the next working day (the next nightly run can pass it at the earliest).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Protocol, runtime_checkable

from migrate.plan.model import Gate
from migrate.plan.result import GateResult, GateState


@runtime_checkable
class GateSource(Protocol):
    def latest(self, metric_key: str) -> float | None:
        """The latest measured value of metric_key, or None when not yet measured."""
        ...


class NoMeasurements:
    """The default source before nightly history exists: nothing is measured yet."""

    def latest(self, metric_key: str) -> float | None:
        return None


class StaticGateSource:
    """Fixed values, e.g. typed in by the PMO or in tests."""

    def __init__(self, values: Mapping[str, float], measured_at: Mapping[str, dt.date] | None = None) -> None:
        self.values = dict(values)
        self.measured_at = dict(measured_at or {})

    def latest(self, metric_key: str) -> float | None:
        return self.values.get(metric_key)

    def measured(self, metric_key: str) -> dict[str, object] | None:
        if metric_key not in self.values:
            return None
        when = self.measured_at.get(metric_key)
        return {"value": self.values[metric_key], "measured_at": when.isoformat() if when else None}


def evaluate(
    key: str, gate: Gate, source: GateSource, as_of: dt.date | None = None, max_age: int | None = None
) -> GateResult:
    value: float | None
    measured_at: dt.date | None = None
    found = source.measured(gate.metric) if hasattr(source, "measured") else None
    if found is not None:
        value = float(found["value"])
        when = found.get("measured_at")
        measured_at = dt.date.fromisoformat(str(when)[:10]) if when else None
    else:
        value = source.latest(gate.metric)
    age_limit = gate.max_age if gate.max_age is not None else max_age
    state: GateState = "not-measured"
    if value is not None:
        state = "passed" if gate.passes(value) else "failed"
        if (
            age_limit is not None
            and as_of is not None
            and measured_at is not None
            and (as_of - measured_at).days > age_limit
        ):
            state = "stale"
    return GateResult(
        milestone=key,
        metric=gate.metric,
        op=gate.op,
        threshold=gate.threshold,
        value=value,
        state=state,
        label=gate.label,
        measured_at=measured_at,
        max_age=age_limit,
    )
