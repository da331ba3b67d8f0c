"""The 総務省 PMOツール figures: 完了率, 作業中率 and 未着手率 per business and per organisation.

As 総務省's dashboard counts them (shared/official facts): each business has `steps` steps (40 in the
手順書), statuses 完了済み / 作業中 / 未着手 / 対象外, and

    完了率 = (完了済み + 対象外) ÷ 40,   作業中率 = 作業中 ÷ 40,   未着手率 = 未着手 ÷ 40

so a step that does not apply counts as done and the three rates add up to 100 %. Only milestones
with a step number count; steps a plan does not list count as 未着手 (assumed: the national tool
shows an unregistered step as not started).
"""

from __future__ import annotations

from collections.abc import Iterable

from migrate.plan.model import NationalStatus
from migrate.plan.result import NationalFigures, State

_FROM_STATE: dict[State, NationalStatus] = {
    "not-started": NationalStatus.not_started,
    "in-progress": NationalStatus.in_progress,
    "done": NationalStatus.done,
    "not-applicable": NationalStatus.not_applicable,
}


def reported_status(status: NationalStatus | None, state: State) -> NationalStatus:
    """The status as registered, else the one the actual dates imply."""
    return status if status is not None else _FROM_STATE[state]


def _pct(n: int, d: int) -> float:
    return round(100.0 * n / d, 1) if d else 0.0


def _make(
    steps: int, done: int, in_progress: int, not_started: int, na: int, unregistered: int
) -> NationalFigures:
    return NationalFigures(
        steps=steps,
        done=done,
        in_progress=in_progress,
        not_started=not_started,
        not_applicable=na,
        unregistered=unregistered,
        completion_rate=_pct(done + na, steps),
        in_progress_rate=_pct(in_progress, steps),
        not_started_rate=_pct(not_started, steps),
    )


def figures(statuses: Iterable[NationalStatus], steps: int) -> NationalFigures:
    """Figures for one business from its steps' statuses (steps = 40 in the 手順書)."""
    counts = dict.fromkeys(NationalStatus, 0)
    for st in statuses:
        counts[st] += 1
    unregistered = max(0, steps - sum(counts.values()))
    return _make(
        steps,
        counts[NationalStatus.done],
        counts[NationalStatus.in_progress],
        counts[NationalStatus.not_started] + unregistered,
        counts[NationalStatus.not_applicable],
        unregistered,
    )


def combine(parts: Iterable[NationalFigures]) -> NationalFigures:
    """An organisation's (or a group's) figures: the sums over its businesses."""
    items = list(parts)
    return _make(
        sum(f.steps for f in items),
        sum(f.done for f in items),
        sum(f.in_progress for f in items),
        sum(f.not_started for f in items),
        sum(f.not_applicable for f in items),
        sum(f.unregistered for f in items),
    )
