"""Many plans' schedules at once: the CPM passes of migrate.plan.cpm, vectorised across plans.

A national or prefectural roll-up holds hundreds of plans made from one procedure template: the
same 20 × 40 steps and links, with their own dates, durations, statuses and actuals. Plans with
the same steps, links, deadline milestones and calendar form a group. A group shares one graph,
one topological order and one working-day index (anchored on its earliest date, so every plan
counts in the same integers; differences of indexes do not depend on the anchor). Per plan, the
work that needs no predecessor (states, durations, floors, the fixed dates of finished and
started work: `cpm.prepare`) is done in Python; the forward and backward passes then run once
per milestone over a numpy vector of the group's plans (shape (plans,)), with the same rules and
the same tie-breaking as the serial passes (`cpm._propagate`, `cpm._backward`): the first of equal
late-finish candidates binds, own deadlines before successors, successors in graph order.
The result is one ordinary `Schedule` per plan, equal to `cpm.schedule` (tests compare them).

numpy is imported here only (the roll-up pays for it, a single plan's status does not).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from migrate.plan.calendar import WorkCalendar, WorkdayIndex
from migrate.plan.cpm import Schedule, _dates, _deadline_nodes, prepare
from migrate.plan.graph import build_graph, topological_order
from migrate.plan.model import Plan

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Ints = npt.NDArray[np.int64]
    Bools = npt.NDArray[np.bool_]

NONE = -(2**40)  # "no date" in the int arrays (far below any index, so max() ignores it)
INF = 2**40  # "no constraint" for the late passes
_CODE = {"not-started": 0, "in-progress": 1, "done": 2, "not-applicable": 3}


def signature(plan: Plan) -> tuple[Any, ...]:
    """Plans with equal signatures share a graph, an order and deadline milestones."""
    return (
        plan.deadline_milestones,
        plan.calendar,
        tuple(
            (b.id, b.deadline_milestones, tuple((m.id, m.depends_on) for m in b.milestones))
            for b in plan.businesses
        ),
    )


def schedules(plans: Sequence[Plan], as_of: dt.date, held: Sequence[Collection[str]] = ()) -> list[Schedule]:
    """The schedule of every plan (same order), grouped by signature and computed group-wise."""
    out: list[Schedule | None] = [None] * len(plans)
    groups: dict[tuple[Any, ...], list[int]] = {}
    for i, p in enumerate(plans):
        groups.setdefault(signature(p), []).append(i)
    for members in groups.values():
        got = _group([plans[i] for i in members], as_of, [held[i] if held else () for i in members])
        for i, s in zip(members, got, strict=True):
            out[i] = s
    return [s for s in out if s is not None]


def _group(plans: list[Plan], as_of: dt.date, held: list[Collection[str]]) -> list[Schedule]:
    import numpy as np

    first = plans[0]
    cal = WorkCalendar.from_config(first.calendar)
    g = build_graph(first)
    order = topological_order(g)
    dnodes = {b.id: _deadline_nodes(first, b.id, g) for b in first.businesses}
    index = WorkdayIndex(cal, min(min(_dates(p, as_of)) for p in plans))
    prepared = [
        prepare(p, as_of, cal, None, h, graph=g, order=order, index=index, deadline_nodes=dnodes)
        for p, h in zip(plans, held, strict=True)
    ]
    ss = [s for s, _ in prepared]
    pos = {k: i for i, k in enumerate(order)}
    n, width = len(order), len(ss)

    def column(get: Any) -> Ints:
        return np.array([[get(s, k) for s in ss] for k in order], dtype=np.int64).reshape(n, width)

    state = column(lambda s, k: _CODE[s.state[k]])
    length = column(lambda s, k: s.remaining[k] or 0 if s.state[k] == "in-progress" else s.duration[k])
    own = np.full((n, width), INF, dtype=np.int64)
    own_any = np.zeros((n, width), dtype=bool)
    for b, nodes in dnodes.items():
        deadline = np.array([s.deadline_index[b] for s in ss], dtype=np.int64)
        for k in nodes:
            own[pos[k]] = np.minimum(own[pos[k]], deadline)
            own_any[pos[k]] = True
    for j, s in enumerate(ss):
        for k, m in s.milestone.items():
            if m.finish_by is not None:
                own[pos[k], j] = min(own[pos[k], j], s.index.finish(m.finish_by))
                own_any[pos[k], j] = True
    business_no = {b.id: i for i, b in enumerate(first.businesses)}
    shape = Shape(
        order=order,
        preds=[[pos[p] for p in g.predecessors(k)] for k in order],
        succs=[[pos[x] for x in g.successors(k)] for k in order],
        owner=np.array([business_no[k.partition(":")[0]] for k in order], dtype=np.int64),
    )
    out = passes(
        shape,
        state,
        dur=column(lambda s, k: s.duration[k]),
        floor=column(lambda s, k: s.floor[k]),
        ready=column(lambda s, k: s.ready[k]),
        es=column(lambda s, k: _int(s.es.get(k))),
        ef=column(lambda s, k: _int(s.ef.get(k))),
        length=length,
        own=own,
        own_any=own_any,
        as_of_index=np.array([s.as_of_index for s in ss], dtype=np.int64),
    )
    es, ef, ready, ls, lf, ff, bind, tf = out.es, out.ef, out.ready, out.ls, out.lf, out.ff, out.bind, out.tf
    preds, todo, drive = shape.preds, out.todo, out.drive
    ids = [b.id for b in first.businesses]
    for j, s in enumerate(ss):
        s.es = _dict(order, es[:, j])
        s.ef = _dict(order, ef[:, j])
        s.ready = dict(zip(order, ready[:, j].tolist(), strict=True))
        s.ls = _dict(order, ls[:, j], INF)
        s.lf = _dict(order, lf[:, j], INF)
        s.tf = _dict(order, tf[:, j], INF)
        s.df = dict(s.tf)
        s.ff = _dict(order, ff[:, j], INF)
        s.binding = {k: (ids[v] if v >= 0 else None) for k, v in zip(order, bind[:, j].tolist(), strict=True)}
        s.plan_finish = int(out.plan_finish[j])
        for i in range(n):
            if todo[i, j]:
                s.driving[order[i]] = tuple(order[p] for p in preds[i] if drive[(i, p)][j])
    for s, warn in prepared:
        s.warnings = warn.notes()
    return ss


@dataclass
class Shape:
    """What the plans of a group share: the topological order, links as positions, owners."""

    order: list[str]
    preds: list[list[int]]
    succs: list[list[int]]
    owner: Ints  # the business (its position in the plan) of each milestone


@dataclass
class Passes:
    """The passes' results, arrays of shape (milestones in topological order, plans)."""

    es: Ints
    ef: Ints
    ready: Ints
    ls: Ints
    lf: Ints
    ff: Ints
    tf: Ints
    bind: Ints  # the business whose deadline binds (its position), -1 for none
    todo: Bools  # placed by the forward pass (not started, not applicable)
    drive: dict[tuple[int, int], Bools]  # (milestone, predecessor): the predecessor drives its start
    plan_finish: Ints


def passes(
    shape: Shape,
    state: Ints,
    *,
    dur: Ints,
    floor: Ints,
    ready: Ints,
    es: Ints,
    ef: Ints,
    length: Ints,
    own: Ints,
    own_any: Bools,
    as_of_index: Ints,
) -> Passes:
    """The forward and backward passes (cpm._propagate, cpm._backward) over a vector of plans.

    state: 0 not started, 1 in progress, 2 done, 3 not applicable; es / ef: the fixed dates of
    finished and started work (NONE elsewhere); own: each milestone's own late-finish constraint
    (its business's deadline, finish_by; INF for none). es, ef and ready are updated in place.
    """
    import numpy as np

    n, width = state.shape
    preds, succs, owner = shape.preds, shape.succs, shape.owner
    pending = state == 0
    todo = pending | (state == 3)  # not started or not applicable: the forward pass places them
    scheduled = state != 2

    # forward pass (cpm._propagate): one vector over the plans per milestone
    drive: dict[tuple[int, int], Bools] = {}
    for i in range(n):
        if not todo[i].any():
            continue
        known = ef[preds[i]] if preds[i] else np.full((0, width), NONE, dtype=np.int64)
        top = known.max(axis=0) if preds[i] else np.full(width, NONE, dtype=np.int64)
        start = np.where(pending[i], np.maximum(floor[i], top), np.where(top == NONE, floor[i], top))
        es[i] = np.where(todo[i], start, es[i])
        ef[i] = np.where(todo[i], start + dur[i], ef[i])
        ready[i] = np.where(pending[i], np.maximum(ready[i], top), ready[i])
        for j, p in enumerate(preds[i]):
            drive[(i, p)] = todo[i] & (known[j] != NONE) & (known[j] == start) & scheduled[p]

    last = ef.max(axis=0) if n else np.full(width, NONE, dtype=np.int64)  # NONE: no finish at all
    plan_finish = np.where(last == NONE, as_of_index, last)

    # backward pass (cpm._backward)
    lf = np.full((n, width), INF, dtype=np.int64)
    ls = np.full((n, width), INF, dtype=np.int64)
    ff = np.full((n, width), INF, dtype=np.int64)
    bind = np.full((n, width), -1, dtype=np.int64)
    for i in reversed(range(n)):
        if not scheduled[i].any():
            continue
        best = own[i].copy()
        who = np.where(own_any[i], owner[i], -1)
        first_start = own[i].copy()
        for x in succs[i]:
            open_x = todo[x]
            cand = np.where(open_x & (ls[x] < INF), ls[x], INF)
            better = cand < best
            best = np.where(better, cand, best)
            who = np.where(better, bind[x], who)
            first_start = np.minimum(first_start, np.where(open_x, es[x], INF))
        live = scheduled[i] & (best < INF)
        lf[i] = np.where(live, best, INF)
        ls[i] = np.where(live, best - length[i], INF)
        bind[i] = np.where(live, who, -1)
        ff[i] = np.where(scheduled[i] & (first_start < INF), first_start - ef[i], INF)
    tf = np.where(lf < INF, lf - ef, INF)
    return Passes(es, ef, ready, ls, lf, ff, tf, bind, todo, drive, plan_finish)


def _int(v: int | None) -> int:
    return NONE if v is None else v


def _dict(order: list[str], values: Any, missing: int = NONE) -> dict[str, int | None]:
    return {k: (None if v == missing else v) for k, v in zip(order, values.tolist(), strict=True)}
