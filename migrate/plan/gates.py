"""Gates: a milestone may require a data-quality result, e.g. juki readiness ≥ 99.9 in the latest run.

The plan engine asks a GateSource for the latest value of a metric. The nightly-history store will
provide the real source; until nightly history exists every gate is "not-measured" (未計測).

A GateSource is anything with `latest(metric_key) -> float | None`: the most recent measured value of
`metric_key` (e.g. "juki.readiness", a percentage), or None when it has never been measured.
"""

from __future__ import annotations

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

    def __init__(self, values: Mapping[str, float]) -> None:
        self.values = dict(values)

    def latest(self, metric_key: str) -> float | None:
        return self.values.get(metric_key)


def evaluate(key: str, gate: Gate, source: GateSource) -> GateResult:
    value = source.latest(gate.metric)
    state: GateState = "not-measured"
    if value is not None:
        state = "passed" if gate.passes(value) else "failed"
    return GateResult(
        milestone=key,
        metric=gate.metric,
        op=gate.op,
        threshold=gate.threshold,
        value=value,
        state=state,
        label=gate.label,
    )
