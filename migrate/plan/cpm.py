"""Critical path method in working days, from an as-of date, over the whole plan's dependency graph.

Conventions (Kelley & Walker's CPM, finish-to-start links, integer working-day indexes):
- work occupies [ES, EF); a not-started milestone starts no earlier than its predecessors' EF, the
  plan or business start, its planned_start and the as-of date (nothing more can happen in the past);
- a finished milestone is fixed at its actual dates; a started one keeps its actual start and has
  ceil(duration × (1 − progress)) working days left from the as-of date. Links into work that has
  already started are history, not constraints (the 手順書 allows steps out of order);
- the backward pass takes each business's deadline as a late-finish constraint on its deadline
  milestones (and `finish_by` on any milestone), and nothing else: the plan's overall finish is not a
  constraint. Total float = LF − EF is the float toward the nearest deadline that depends on the
  milestone (and whose deadline that is), negative exactly when that deadline is missed, by the
  overrun; work no deadline depends on has none. A business is late when any of its unfinished work
  has negative float, even when the deadline missed is another business's. `df` is the same number
  (kept as its own name for the callers that mean "toward a deadline").
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from migrate.i18n import t
from migrate.plan.calendar import WorkCalendar, WorkdayIndex
from migrate.plan.graph import build_graph, topological_order
from migrate.plan.model import Milestone, NationalStatus, Plan
from migrate.plan.result import Note, State

SCHEDULED: frozenset[State] = frozenset({"not-started", "in-progress", "not-applicable"})
UNFINISHED: frozenset[State] = frozenset({"not-started", "in-progress"})


@dataclass
class Schedule:
    """The raw result of the passes, in working-day indexes of `index`."""

    plan: Plan
    graph: nx.DiGraph
    index: WorkdayIndex
    as_of: dt.date
    as_of_index: int
    order: list[str]
    milestone: dict[str, Milestone] = field(default_factory=dict)
    business_of: dict[str, str] = field(default_factory=dict)
    state: dict[str, State] = field(default_factory=dict)
    duration: dict[str, int] = field(default_factory=dict)
    remaining: dict[str, int | None] = field(default_factory=dict)
    actual_start: dict[str, dt.date | None] = field(default_factory=dict)
    actual_finish: dict[str, dt.date | None] = field(default_factory=dict)
    progress: dict[str, float] = field(default_factory=dict)  # of started work, as used
    status: dict[str, NationalStatus | None] = field(default_factory=dict)  # as reported, unless rewound
    extra: dict[str, int] = field(default_factory=dict)  # what-if delays, working days
    es: dict[str, int | None] = field(default_factory=dict)
    ef: dict[str, int | None] = field(default_factory=dict)
    ls: dict[str, int | None] = field(default_factory=dict)
    lf: dict[str, int | None] = field(default_factory=dict)
    tf: dict[str, int | None] = field(default_factory=dict)
    ff: dict[str, int | None] = field(default_factory=dict)
    df: dict[str, int | None] = field(default_factory=dict)
    binding: dict[str, str | None] = field(default_factory=dict)
    floor: dict[str, int] = field(default_factory=dict)  # earliest start from dates alone
    floor_cause: dict[str, str] = field(default_factory=dict)  # "as-of", "planned-start" or "start"
    ready: dict[str, int] = field(default_factory=dict)  # when not-started work could start but for as-of
    driving: dict[str, tuple[str, ...]] = field(default_factory=dict)
    deadline_index: dict[str, int] = field(default_factory=dict)  # business → exclusive LF
    deadline_nodes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    held: frozenset[str] = frozenset()  # milestones a failed or stale gate holds open
    plan_finish: int = 0
    origin: int = 0  # index of this plan's own first working day (non-zero in a batch's shared index)
    memo: dict[str, Any] = field(default_factory=dict, repr=False)  # derived lookups (migrate.plan.status)
    warnings: list[Note] = field(default_factory=list)

    def start_date(self, key: str) -> dt.date | None:
        es = self.es[key]
        return None if es is None else self.index.start_date(es)

    def finish_date(self, key: str) -> dt.date | None:
        es, ef = self.es[key], self.ef[key]
        if ef is None:
            return None
        return self.index.finish_date(ef if es is None else es, ef)

    def succs(self, key: str) -> list[str]:
        """Successors whose start is still to come: the links that constrain this milestone."""
        return [s for s in self.graph.successors(key) if self.state[s] in ("not-started", "not-applicable")]


def working_duration(m: Milestone, cal: WorkCalendar) -> int:
    """duration, else the working days from planned_start to planned_finish inclusive."""
    if m.duration is not None:
        return m.duration
    assert m.planned_start is not None and m.planned_finish is not None
    return cal.working_days_between(m.planned_start, m.planned_finish + dt.timedelta(days=1))


def _dates(plan: Plan, as_of: dt.date) -> list[dt.date]:
    out = [plan.start, as_of]
    for b in plan.businesses:
        if b.start:
            out.append(b.start)
        for m in b.milestones:
            out.extend(
                d
                for d in (m.planned_start, m.planned_finish, m.actual_start, m.actual_finish, m.finish_by)
                if d is not None
            )
    return out


class _Warnings:
    """Collects data warnings, one note per (code, business) listing the milestones concerned."""

    def __init__(self) -> None:
        self._by: dict[tuple[str, str], list[str]] = {}

    def add(self, code: str, key: str) -> None:
        self._by.setdefault((code, key.partition(":")[0]), []).append(key)

    def notes(self) -> list[Note]:
        messages = {
            "actual-after-as-of": (
                "実績日が基準日より後のため無視しました",
                "actual dates after the as-of date were ignored",
            ),
            "finish-date-missing": (
                "完了ですが実績終了日がありません (基準日までに終了したとみなしました)",
                "done but without actual_finish (taken as finished by the as-of date)",
            ),
            "start-date-missing": (
                "作業中ですが実績開始日がありません (基準日に開始したとみなしました)",
                "in progress but without actual_start (taken as started on the as-of date)",
            ),
            "progress-missing": (
                "作業中ですが進捗率がありません (0% とみなしました)",
                "in progress but without progress (taken as 0%)",
            ),
            "status-mismatch": (
                "報告ステータスが実績日と合いません (実績日を優先しました)",
                "the reported status disagrees with the actual dates (the dates were used)",
            ),
            "out-of-order": (
                "先行作業の完了前に開始しています",
                "started before a predecessor finished",
            ),
        }
        out = []
        for (code, business), keys in self._by.items():
            ja, en = messages[code]
            out.append(
                Note(
                    code,
                    f"{t(ja, en)}: {', '.join(k.partition(':')[2] for k in keys)}",
                    business=business,
                    milestones=tuple(keys),
                )
            )
        return out


def schedule(
    plan: Plan,
    as_of: dt.date,
    calendar: WorkCalendar | None = None,
    extra_days: Mapping[str, int] | None = None,
    held: Collection[str] = (),
) -> Schedule:
    """Run the forward and backward passes. The plan must be valid (see load.plan_issues).

    `held`: milestones whose gate failed or is stale. They do not count as finished (a done one is
    back in progress with nothing left but the gate) and finish no earlier than the end of the as-of
    day, so their not-started successors start on the next working day at the earliest.
    """
    s, warn = prepare(plan, as_of, calendar, extra_days, held)
    _propagate(s)
    s.plan_finish = max((v for v in s.ef.values() if v is not None), default=s.as_of_index)
    _backward(s)
    s.warnings = warn.notes()
    return s


def prepare(
    plan: Plan,
    as_of: dt.date,
    calendar: WorkCalendar | None = None,
    extra_days: Mapping[str, int] | None = None,
    held: Collection[str] = (),
    *,
    graph: nx.DiGraph | None = None,
    order: list[str] | None = None,
    index: WorkdayIndex | None = None,
    deadline_nodes: Mapping[str, tuple[str, ...]] | None = None,
) -> tuple[Schedule, _Warnings]:
    """Everything of the schedule that needs no predecessor's dates: states, durations, floors, the
    fixed dates of finished and started work, the deadlines. `_propagate` and `_backward` (or the
    batched passes of migrate.plan.batch) do the rest.

    graph / order / deadline_nodes: those of a plan with the same steps and links (shared by a
    batch); index: a working-day index anchored on or before this plan's earliest date (a batch's
    common one), so every plan of a batch counts in the same integers.
    """
    cal = calendar or WorkCalendar.from_config(plan.calendar)
    extra = dict(extra_days or {})
    g = graph if graph is not None else build_graph(plan)
    first = min(_dates(plan, as_of))
    idx = index if index is not None else WorkdayIndex(cal, first)
    now = idx.start(as_of)
    s = Schedule(
        plan=plan,
        graph=g,
        index=idx,
        as_of=as_of,
        as_of_index=now,
        order=order if order is not None else topological_order(g),
    )
    s.origin = idx.start(cal.previous_working_day(first))  # 0 unless the index is a batch's
    s.held = frozenset(held)
    warn = _Warnings()

    plan_start = idx.start(plan.start)
    for b in plan.businesses:
        b_start = max(plan_start, idx.start(b.start)) if b.start else plan_start
        for m in b.milestones:
            key = f"{b.id}:{m.id}"
            s.milestone[key] = m
            s.business_of[key] = b.id
            _classify(s, key, m, working_duration(m, cal), as_of, warn)
            if key in s.held and s.state[key] == "done":
                s.state[key], s.progress[key], s.actual_finish[key] = "in-progress", 100.0, None
            s.extra[key] = extra.get(key, 0) if extra else 0
            # the latest of the floors; a tie goes to the as-of date, then to the business start
            floor, cause = (now, "as-of") if now >= b_start else (b_start, "start")
            ready = b_start
            if m.planned_start is not None:
                planned = idx.start(m.planned_start)
                ready = max(ready, planned)
                if planned > floor:
                    floor, cause = planned, "planned-start"
            s.floor[key], s.floor_cause[key], s.ready[key] = floor, cause, ready
    _fixed(s, warn)
    for b in plan.businesses:
        s.deadline_index[b.id] = idx.finish(plan.deadline_of(b))
        s.deadline_nodes[b.id] = (
            deadline_nodes[b.id] if deadline_nodes is not None else _deadline_nodes(plan, b.id, g)
        )
    return s, warn


def _classify(s: Schedule, key: str, m: Milestone, duration: int, as_of: dt.date, warn: _Warnings) -> None:
    start, finish, status = m.actual_start, m.actual_finish, m.status
    rewound = bool((start and start > as_of) or (finish and finish > as_of))
    if rewound:
        # Looking back from an earlier as-of (e.g. a baseline): the current status is hindsight.
        warn.add("actual-after-as-of", key)
        finish = finish if finish and finish <= as_of else None
        start = start if start and start <= as_of else None
        if start is None:
            finish = None
        status = None
    state: State
    if status == NationalStatus.not_applicable:
        state = "not-applicable"
    elif finish is not None or status == NationalStatus.done:
        state = "done"
        if finish is None:
            warn.add("finish-date-missing", key)
        elif status not in (None, NationalStatus.done):
            warn.add("status-mismatch", key)
    elif start is not None or status == NationalStatus.in_progress:
        state = "in-progress"
        if start is None:
            warn.add("start-date-missing", key)
        if status == NationalStatus.not_started:
            warn.add("status-mismatch", key)
        if m.progress is None and not rewound:
            warn.add("progress-missing", key)
    else:
        state = "not-started"
    s.state[key], s.status[key] = state, status
    s.duration[key] = max(0, duration) if state != "not-applicable" else 0
    s.actual_start[key], s.actual_finish[key] = start, finish
    if state == "in-progress":
        if rewound and start is not None:
            # Progress then is unknown: assume the work was on plan (elapsed / duration, below 100%).
            elapsed = s.as_of_index - s.index.start(start)
            s.progress[key] = min(99.0, 100.0 * elapsed / s.duration[key]) if s.duration[key] else 0.0
        else:
            s.progress[key] = m.progress or 0.0


def _fixed(s: Schedule, warn: _Warnings) -> None:
    """Dates that depend on no predecessor: finished work (actuals), started work (the rest from now)."""
    idx, now, g = s.index, s.as_of_index, s.graph
    for key in s.order:
        state, base = s.state[key], s.duration[key]
        if state in UNFINISHED:
            s.duration[key] = max(0, base + s.extra[key])
        dur = s.duration[key]
        if state == "done":
            start, finish = s.actual_start[key], s.actual_finish[key]
            ef = idx.finish(finish) if finish else None
            es = idx.start(start) if start else (max(s.origin, ef - dur) if ef is not None else None)
            s.es[key], s.ef[key], s.remaining[key] = es, ef, None
            s.driving[key] = ()
        elif state == "in-progress":
            start = s.actual_start[key]
            left = max(0, math.ceil(base * (1 - s.progress[key] / 100) - 1e-9) + s.extra[key])
            s.es[key] = idx.start(start) if start else now
            s.ef[key] = now + max(left, 1 if key in s.held else 0)
            s.remaining[key] = left
            s.driving[key] = ()
            if start and any(s.state[p] in UNFINISHED and p not in s.held for p in g.predecessors(key)):
                warn.add("out-of-order", key)
        else:
            s.remaining[key] = dur if state == "not-started" else None


def _propagate(s: Schedule) -> None:
    """The forward pass over work still to start: no earlier than its floor and its predecessors."""
    g = s.graph
    for key in s.order:
        state = s.state[key]
        if state not in ("not-started", "not-applicable"):
            continue
        known = [(e, p) for p in g.predecessors(key) if (e := s.ef[p]) is not None]
        if state == "not-applicable":
            es = max(e for e, _ in known) if known else s.floor[key]
        else:
            es = max([s.floor[key], *(e for e, _ in known)])
            s.ready[key] = max([s.ready[key], *(e for e, _ in known)])
        s.es[key], s.ef[key] = es, es + s.duration[key]
        s.driving[key] = tuple(p for e, p in known if e == es and s.state[p] in SCHEDULED)


def _deadline_nodes(plan: Plan, business_id: str, g: nx.DiGraph) -> tuple[str, ...]:
    """The deadline applies to the configured milestones, else to the business's last ones."""
    b = plan.business(business_id)
    refs = plan.deadline_refs(b)
    if refs:
        return tuple(f"{business_id}:{r}" for r in refs)
    keys = [f"{business_id}:{m.id}" for m in b.milestones]
    own = set(keys)
    return tuple(k for k in keys if not any(v in own for v in g.successors(k)))


def _backward(s: Schedule) -> None:
    """One backward pass with the deadlines (and `finish_by`) as the only late-finish constraints.

    Total float = LF − EF toward the nearest deadline that depends on the milestone (`binding` names
    whose deadline that is); work no deadline depends on (e.g. operation after the cut-over) has no
    late dates and no float. Own constraints come first so a tie is attributed to the own business.
    """
    constraints: dict[str, list[tuple[int, str]]] = {}
    for b, nodes in s.deadline_nodes.items():
        for n in nodes:
            constraints.setdefault(n, []).append((s.deadline_index[b], b))
    for key, m in s.milestone.items():
        if m.finish_by is not None:
            constraints.setdefault(key, []).append((s.index.finish(m.finish_by), s.business_of[key]))
    for key in reversed(s.order):
        state = s.state[key]
        s.ls[key] = s.lf[key] = s.tf[key] = s.ff[key] = s.df[key] = s.binding[key] = None
        if state not in SCHEDULED:
            continue
        ef = s.ef[key]
        assert ef is not None
        length = (s.remaining[key] or 0) if state == "in-progress" else s.duration[key]
        succ = s.succs(key)
        own = constraints.get(key, [])
        cands = [*own, *((v, s.binding[x]) for x in succ if (v := s.ls[x]) is not None)]
        # Free float: how far it can slip without moving a successor (or, at an end, its deadline).
        starts = [v for v in (s.es[x] for x in succ) if v is not None]
        if starts or own:
            s.ff[key] = min([*starts, *(c for c, _ in own)]) - ef
        if cands:
            lf, bound = min(cands, key=lambda c: c[0])
            s.lf[key], s.ls[key], s.binding[key] = lf, lf - length, bound
            s.tf[key] = s.df[key] = lf - ef


def driving_chain(s: Schedule, ends: tuple[str, ...]) -> tuple[str, ...]:
    """Every milestone that drives the latest of `ends`, in start order (other businesses included)."""
    live = [e for e in ends if s.state[e] in UNFINISHED and s.ef[e] is not None]
    if not live:
        return ()
    latest = max(s.ef[e] or 0 for e in live)
    todo = [e for e in live if s.ef[e] == latest]
    seen: set[str] = set()
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        todo.extend(s.driving[key])
    chain = [k for k in seen if s.state[k] != "not-applicable"]
    return tuple(sorted(chain, key=lambda k: (s.es[k] or 0, s.ef[k] or 0, k)))
