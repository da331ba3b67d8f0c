"""Roll-up at scale: plans read as columns and scheduled and summed per template with numpy.

A national roll-up reads 1,741 plans of 800 milestones each (1.4 million). One pydantic object, one
`Schedule` entry and one result per milestone cost ~45 ms a plan; here a plan is read in one pass
over its milestones into plain lists (types, ranges, dates and statuses checked as they are read),
the plan-level structure is validated by the pydantic model with each business's milestones left
out, the checks that depend only on the steps and links (ids, steps, references, cycles) run once
per template, and plans of one template are scheduled together (`batch.passes`) and summed per
business as arrays. The reasons of a business that is not migrated come from `status.reasons`
over a schedule filled from the arrays, so every row equals `plan status` of its plan.

Only what can be checked exactly goes this way: a plan in JSON whose milestones hold the usual
fields (id, name, phase, step, duration, dates, progress, status, depends_on, finish_by, notes).
Anything else — YAML, gates, three-point estimates or `risk.spread` (the roll-up simulates those),
a duration given by planned dates, a value of an unusual type, any error — makes `read` raise
`Fallback`, and the plan takes the per-plan path (`load_plan`, `compute_many`), which gives the same
result, or the error with its file, line and key path.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from migrate.plan.batch import INF, NONE, Shape, passes
from migrate.plan.calendar import WorkCalendar, WorkdayIndex
from migrate.plan.catalog import BusinessInfo
from migrate.plan.cpm import Schedule, _deadline_nodes, driving_chain
from migrate.plan.graph import build_graph, topological_order
from migrate.plan.load import PLAN_KIND, _json_doc, deadline_issues, lg_code_issues, plan_issues
from migrate.plan.model import (
    _STATUS_ALIASES,
    DATE_MAX,
    DATE_MIN,
    MAX_DURATION,
    Milestone,
    NationalStatus,
    Plan,
)
from migrate.plan.national import _make, combine
from migrate.plan.result import NationalFigures, Note, State, Status
from migrate.plan.rollup import RollupRow
from migrate.plan.status import colour, migrated_late, reasons

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Ints = npt.NDArray[np.int64]

FIELDS = frozenset(
    {
        "id",
        "name",
        "name_en",
        "phase",
        "step",
        "duration",
        "planned_start",
        "planned_finish",
        "actual_start",
        "actual_finish",
        "progress",
        "status",
        "depends_on",
        "finish_by",
        "note",
    }
)
DATE_FIELDS = ("actual_start", "actual_finish", "planned_start", "planned_finish", "finish_by")
_PLACEHOLDER = {"id": "m", "name": "m", "duration": 0}  # stands for a business's milestones
_STATES: tuple[State, ...] = ("not-started", "in-progress", "done", "not-applicable")
_CAUSES = ("as-of", "start", "planned-start")
_CODES = {
    NationalStatus.not_started: 0,
    NationalStatus.in_progress: 1,
    NationalStatus.done: 2,
    NationalStatus.not_applicable: 3,
}
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_DATES: dict[str, int] = {}  # ISO date → ordinal, for the dates already seen (they repeat a lot)
_STATUS: dict[str, int] = {}  # a status as written → its code
_LO, _HI = DATE_MIN.toordinal(), DATE_MAX.toordinal()


class Fallback(Exception):
    """The plan needs the per-plan path: not JSON, a field this path does not read, or an error."""


@dataclass
class Raw:
    """One plan read as columns, in plan order (business by business, milestone by milestone)."""

    path: str
    plan: Plan  # the plan-level fields, validated; each business's milestones are a placeholder
    template: tuple[Any, ...]  # steps and links (see _signature): plans with equal ones share a group
    names: list[str]
    names_en: list[str | None]
    status: list[int]  # -1: none written
    duration: list[int]
    progress: list[float]  # nan: none written
    dates: dict[str, list[int]]  # DATE_FIELDS → ordinals, 0: none


@dataclass(frozen=True)
class PlanRows:
    """What a roll-up keeps of one plan: its rows and its national figures."""

    path: str
    lg_code: str
    municipality: str
    rows: tuple[RollupRow, ...]
    national: NationalFigures


def _date(text: Any) -> int:
    got = _DATES.get(text) if type(text) is str else None
    if got is None:
        if type(text) is not str or not _DATE_RE.match(text):
            raise Fallback
        try:
            got = dt.date.fromisoformat(text).toordinal()
        except ValueError:
            raise Fallback from None
        if not _LO <= got <= _HI:
            raise Fallback
        _DATES[text] = got
    return got


def _status(text: Any) -> int:
    got = _STATUS.get(text) if type(text) is str else None
    if got is None:
        if type(text) is not str:
            raise Fallback
        v = _STATUS_ALIASES.get(text.strip().lower(), text.strip())
        try:
            got = _CODES[NationalStatus(v)]
        except ValueError:
            raise Fallback from None
        _STATUS[text] = got
    return got


def read(path: str | Path) -> Raw:
    """A JSON plan as columns; Fallback when it is not one this path reads exactly (see the module)."""
    doc = _json_doc(Path(path))
    if doc is None:
        raise Fallback
    data = doc.data
    if type(data) is not dict or data.get("kind") != PLAN_KIND or type(data.get("format")) is not int:
        raise Fallback
    businesses = data.get("businesses")
    if type(businesses) is not list or not businesses:
        raise Fallback
    outline = []
    for b in businesses:
        if type(b) is not dict or type(b.get("milestones")) is not list or not b["milestones"]:
            raise Fallback
        outline.append({**b, "milestones": [_PLACEHOLDER]})
    try:
        plan = Plan.model_validate({**data, "businesses": outline})
    except ValidationError:
        raise Fallback from None
    if plan.risk is not None and plan.risk.spread > 0:
        raise Fallback  # uncertain: the roll-up simulates it (per-plan path)
    if lg_code_issues(plan) or any(deadline_issues(plan, i) for i in range(len(businesses))):
        raise Fallback
    names: list[str] = []
    names_en: list[str | None] = []
    status: list[int] = []
    duration: list[int] = []
    progress: list[float] = []
    cols: dict[str, list[int]] = {k: [] for k in DATE_FIELDS}
    a_s, a_f, p_s, p_f, f_by = (cols[k] for k in DATE_FIELDS)
    shape: list[tuple[Any, ...]] = []
    nan = math.nan
    dates, status_codes = _DATES, _STATUS
    try:
        for b in businesses:
            steps = []
            for m in b["milestones"]:
                if type(m) is not dict or not FIELDS.issuperset(m):
                    raise Fallback
                deps = m.get("depends_on")
                if type(deps) is list:
                    deps = tuple(deps)
                elif type(deps) is str:
                    deps = (deps,)
                elif deps is None:
                    deps = ()
                else:
                    raise Fallback
                steps.append((m.get("id"), m.get("step"), deps))
                name = m.get("name")
                if type(name) is not str or not name:
                    raise Fallback
                names.append(name)
                en = m.get("name_en")
                if en is not None and type(en) is not str:
                    raise Fallback
                names_en.append(en)
                v = m.get("phase")
                if v is not None and type(v) is not str:
                    raise Fallback
                v = m.get("note")
                if v is not None and type(v) is not str:
                    raise Fallback
                d = m.get("duration")
                if type(d) is not int or not 0 <= d <= MAX_DURATION:
                    raise Fallback
                duration.append(d)
                v = m.get("status")
                if v is None:
                    status.append(-1)
                else:
                    x = status_codes.get(v)
                    status.append(_status(v) if x is None else x)
                v = m.get("progress")
                if v is None:
                    progress.append(nan)
                elif (type(v) is float or type(v) is int) and 0 <= v <= 100:
                    progress.append(float(v))
                else:
                    raise Fallback
                s0 = f0 = 0
                v = m.get("actual_start")
                if v is not None:
                    s0 = dates.get(v) or _date(v)
                v = m.get("actual_finish")
                if v is not None:
                    f0 = dates.get(v) or _date(v)
                    if s0 and f0 < s0:
                        raise Fallback  # actual-dates-reversed
                a_s.append(s0)
                a_f.append(f0)
                s0 = f0 = 0
                v = m.get("planned_start")
                if v is not None:
                    s0 = dates.get(v) or _date(v)
                v = m.get("planned_finish")
                if v is not None:
                    f0 = dates.get(v) or _date(v)
                    if s0 and f0 < s0:
                        raise Fallback  # planned-dates-reversed
                p_s.append(s0)
                p_f.append(f0)
                v = m.get("finish_by")
                f_by.append(0 if v is None else dates.get(v) or _date(v))
            shape.append((plan.businesses[len(shape)].deadline_milestones, tuple(steps)))
    except TypeError:  # an unhashable value where a date or status belongs
        raise Fallback from None
    return Raw(
        path=str(path),
        plan=plan,
        template=(plan.deadline_milestones, plan.calendar, plan.national_steps, tuple(shape)),
        names=names,
        names_en=names_en,
        status=status,
        duration=duration,
        progress=progress,
        dates=cols,
    )


@dataclass
class Template:
    """What every plan of a template shares: graph, order, deadline milestones, positions."""

    plan: Plan  # a valid plan with these steps and links (placeholder names, durations, dates)
    graph: Any  # its networkx graph
    shape: Shape
    keys: list[str]  # plan order
    topo: Ints  # plan-order index of each milestone in topological order
    business_of: dict[str, str]
    members: list[list[int]]  # per business: topological positions of its milestones, plan order
    ends: list[list[int]]  # per business: topological positions of its deadline milestones
    counted: list[list[int]]  # per business: topological positions of its milestones with a step
    plan_index: dict[str, int]  # key → plan-order index
    pos: dict[str, int]  # key → topological position


_TEMPLATES: dict[tuple[Any, ...], Template | None] = {}


def template(raw: Raw, known: Collection[str] | None) -> Template:
    """The template of a plan, checked once (ids, steps, references, cycles); Fallback when invalid."""
    sig = (raw.template, tuple(b.id for b in raw.plan.businesses), frozenset(known or ()), known is None)
    if sig not in _TEMPLATES:
        _TEMPLATES[sig] = _build(raw, known)
    got = _TEMPLATES[sig]
    if got is None:
        raise Fallback
    return got


def _build(raw: Raw, known: Collection[str] | None) -> Template | None:
    import numpy as np

    deadline_milestones, calendar, national_steps, shape = raw.template
    businesses = []
    for b, (b_deadline_milestones, steps) in zip(raw.plan.businesses, shape, strict=True):
        for mid, step, deps in steps:
            if type(mid) is not str or (step is not None and type(step) is not int):
                return None
            if any(type(d) is not str for d in deps):
                return None
        businesses.append(
            {
                "id": b.id,
                "deadline": DATE_MAX.isoformat(),
                "deadline_reason": "-",
                "deadline_milestones": b_deadline_milestones,
                "milestones": [
                    {"id": mid, "name": "-", "duration": 1, "step": step, "depends_on": list(deps)}
                    for mid, step, deps in steps
                ],
            }
        )
    try:
        plan = Plan.model_validate(
            {
                "municipality": {"name": "-", "lg_code": "131016"},
                "start": DATE_MIN.isoformat(),
                "national_steps": national_steps,
                "deadline_milestones": deadline_milestones,
                "calendar": calendar,
                "businesses": businesses,
            }
        )
    except ValidationError:
        return None
    if plan_issues(plan, known):
        return None
    g = build_graph(plan)
    order = topological_order(g)
    pos = {k: i for i, k in enumerate(order)}
    keys = plan.keys()
    where = _index(keys)
    business_no = {b.id: i for i, b in enumerate(plan.businesses)}
    members, ends, counted = [], [], []
    for b in plan.businesses:
        own = [f"{b.id}:{m.id}" for m in b.milestones]
        members.append([pos[k] for k in own])
        ends.append([pos[k] for k in _deadline_nodes(plan, b.id, g)])
        counted.append([pos[f"{b.id}:{m.id}"] for m in b.milestones if m.step is not None])
    return Template(
        plan=plan,
        graph=g,
        shape=Shape(
            order=order,
            preds=[[pos[p] for p in g.predecessors(k)] for k in order],
            succs=[[pos[x] for x in g.successors(k)] for k in order],
            owner=np.array([business_no[k.partition(":")[0]] for k in order], dtype=np.int64),
        ),
        keys=keys,
        topo=np.array([where[k] for k in order], dtype=np.int64),
        business_of={k: k.partition(":")[0] for k in keys},
        members=members,
        ends=ends,
        counted=counted,
        plan_index=where,
        pos=pos,
    )


def _index(keys: Sequence[str]) -> dict[str, int]:
    return {k: i for i, k in enumerate(keys)}


class _Names(dict[str, Milestone]):
    """Milestones by key, made on first use: the reasons name only the few on a driving chain."""

    def __init__(self, t: Template, raw: Raw) -> None:
        super().__init__()
        self.t, self.raw = t, raw

    def __missing__(self, key: str) -> Milestone:
        i = self.t.plan_index[key]
        m = Milestone.model_construct(
            id=key.partition(":")[2], name=self.raw.names[i], name_en=self.raw.names_en[i]
        )
        self[key] = m
        return m


class _Driving(dict[str, tuple[str, ...]]):
    """Each milestone's driving predecessors, from the forward pass's arrays, on first use."""

    def __init__(self, t: Template, todo: Any, drive: Mapping[tuple[int, int], Any], j: int) -> None:
        super().__init__()
        self.t, self.todo, self.drive, self.j = t, todo, drive, j

    def __missing__(self, key: str) -> tuple[str, ...]:
        i = self.t.pos[key]
        order, j = self.t.shape.order, self.j
        got = (
            tuple(order[p] for p in self.t.shape.preds[i] if self.drive[(i, p)][j]) if self.todo[i, j] else ()
        )
        self[key] = got
        return got


def rows(
    raws: Sequence[Raw],
    as_of: dt.date,
    known: Collection[str] | None,
    catalog: Mapping[str, BusinessInfo],
) -> list[PlanRows | None]:
    """The roll-up rows of each plan (same order); None for a plan whose template is invalid."""
    out: list[PlanRows | None] = [None] * len(raws)
    groups: dict[int, tuple[Template, list[int]]] = {}
    for i, raw in enumerate(raws):
        try:
            t = template(raw, known)
        except Fallback:
            continue
        groups.setdefault(id(t), (t, []))[1].append(i)
    for t, members in groups.values():
        for i, got in zip(members, _group(t, [raws[i] for i in members], as_of, catalog), strict=True):
            out[i] = got
    return out


def _group(
    t: Template, raws: list[Raw], as_of: dt.date, catalog: Mapping[str, BusinessInfo]
) -> list[PlanRows]:
    import numpy as np

    first = raws[0].plan
    cal = WorkCalendar.from_config(first.calendar)
    order, topo = t.shape.order, t.topo
    n, width = len(order), len(raws)

    def column(values: list[list[Any]], dtype: Any = np.int64) -> Any:
        return np.array(values, dtype=dtype).reshape(width, -1)[:, topo].T.copy()

    a_start = column([r.dates["actual_start"] for r in raws])
    a_finish = column([r.dates["actual_finish"] for r in raws])
    p_start = column([r.dates["planned_start"] for r in raws])
    f_by = column([r.dates["finish_by"] for r in raws])
    p_finish = column([r.dates["planned_finish"] for r in raws])
    written = column([r.status for r in raws])
    dur = column([r.duration for r in raws])
    reported = column([r.progress for r in raws], np.float64)

    # every plan's earliest date (cpm._dates) and the group's shared working-day index
    big = 10**9
    day0 = as_of.toordinal()
    firsts = []
    for j, r in enumerate(raws):
        p = r.plan
        lo = min([p.start.toordinal(), day0, *(b.start.toordinal() for b in p.businesses if b.start)])
        for col in (a_start, a_finish, p_start, p_finish, f_by):
            c = col[:, j]
            lo = min(lo, int(np.where(c > 0, c, big).min()))
        firsts.append(lo)
    index = WorkdayIndex(cal, dt.date.fromordinal(min(firsts)))
    deadlines = [[p.deadline_of(b).toordinal() for b in p.businesses] for p in (r.plan for r in raws)]
    last = max(
        day0,
        *(int(c.max()) for c in (a_start, a_finish, p_start, p_finish, f_by)),
        *(max(d) for d in deadlines),
        *(r.plan.start.toordinal() for r in raws),
    )
    wd = np.array([d.toordinal() for d in index.days(dt.date.fromordinal(last))], dtype=np.int64)

    def start_of(o: Any) -> Any:
        return np.searchsorted(wd, o, side="left").astype(np.int64)

    def finish_of(o: Any) -> Any:
        return np.searchsorted(wd, o, side="right").astype(np.int64)

    now = int(start_of(day0))
    origin = np.array(
        [int(start_of(cal.previous_working_day(dt.date.fromordinal(f)).toordinal())) for f in firsts],
        dtype=np.int64,
    )

    # cpm._classify: the state from the written status and the actuals (those after as-of ignored)
    rewound = (a_start > day0) | (a_finish > day0)
    finish = np.where(rewound & (a_finish > day0), 0, a_finish)
    start = np.where(rewound & (a_start > day0), 0, a_start)
    finish = np.where(rewound & (start == 0), 0, finish)
    status = np.where(rewound, -1, written)
    na = status == 3
    done = ~na & ((finish > 0) | (status == 2))
    going = ~na & ~done & ((start > 0) | (status == 1))
    state = np.select([na, done, going], [3, 2, 1], 0).astype(np.int64)
    dur = np.where(na, 0, dur)
    safe = np.maximum(dur, 1)
    elapsed = now - start_of(start)
    on_plan = np.where(dur > 0, np.minimum(99.0, 100.0 * elapsed / safe), 0.0)
    progress = np.where(
        going, np.where(rewound & (start > 0), on_plan, np.where(np.isnan(reported), 0.0, reported)), 0.0
    )

    # floors (cpm.prepare): the latest of the as-of date, the business start and planned_start
    plan_start = start_of(np.array([r.plan.start.toordinal() for r in raws], dtype=np.int64))
    b_start = np.array(
        [
            [
                max(int(ps), int(start_of(b.start.toordinal()))) if b.start else int(ps)
                for b in r.plan.businesses
            ]
            for r, ps in zip(raws, plan_start, strict=True)
        ],
        dtype=np.int64,
    ).T  # (businesses, plans)
    owner = t.shape.owner
    bs = b_start[owner]
    floor = np.where(now >= bs, now, bs)
    floor_cause = np.where(now >= bs, 0, 1)
    planned = np.where(p_start > 0, start_of(p_start), NONE)
    ready = np.where(p_start > 0, np.maximum(bs, planned), bs)
    later = (p_start > 0) & (planned > floor)
    floor = np.where(later, planned, floor)
    floor_cause = np.where(later, 2, floor_cause)

    # cpm._fixed: finished work at its actuals, started work the rest of its duration from now
    ef_done = np.where(finish > 0, finish_of(finish), NONE)
    es_done = np.where(
        start > 0, start_of(start), np.where(ef_done != NONE, np.maximum(origin, ef_done - dur), NONE)
    )
    left = np.maximum(0, np.ceil(dur * (1 - progress / 100) - 1e-9).astype(np.int64))
    es_going = np.where(start > 0, start_of(start), now)
    es = np.where(done, es_done, np.where(going, es_going, NONE))
    ef = np.where(done, ef_done, np.where(going, now + left, NONE))
    length = np.where(going, left, dur)

    own = np.full((n, width), INF, dtype=np.int64)
    own_any = np.zeros((n, width), dtype=bool)
    dl_index = finish_of(np.array(deadlines, dtype=np.int64).T)  # (businesses, plans)
    for bi, nodes in enumerate(t.ends):
        for k in nodes:
            own[k] = np.minimum(own[k], dl_index[bi])
            own_any[k] = True
    has_fb = f_by > 0
    own = np.where(has_fb, np.minimum(own, finish_of(f_by)), own)
    own_any |= has_fb

    out = passes(
        t.shape,
        state,
        dur=dur,
        floor=floor,
        ready=ready,
        es=es,
        ef=ef,
        length=length,
        own=own,
        own_any=own_any,
        as_of_index=np.full(width, now, dtype=np.int64),
    )
    es, ef, tf, bind = out.es, out.ef, out.tf, out.bind
    top = int(max(ef.max(), es.max(), now)) + 2
    wd = np.array([d.toordinal() for d in index.days(dt.date.fromordinal(last), top)], dtype=np.int64)
    unfinished = (state == 0) | (state == 1)
    reported_status = np.where(status >= 0, status, state)

    # per business, vectors over the plans
    nb = len(t.members)
    migrated, projected, slack, overrun, overrun_days, float_days = [], [], [], [], [], []
    national: list[list[NationalFigures]] = []
    dl_ord = np.array(deadlines, dtype=np.int64).T
    steps = [r.plan.national_steps for r in raws]
    for bi in range(nb):
        e = t.ends[bi]
        st_e, ef_e, es_e, fin_e = state[e], ef[e], es[e], finish[e]
        migrated.append(np.all((st_e == 2) | (st_e == 3), axis=0))
        at = np.where(ef_e > es_e, ef_e - 1, es_e)
        fin = np.where(st_e == 2, fin_e, wd[np.clip(at, 0, len(wd) - 1)])
        ok = (st_e != 3) & np.where(st_e == 2, fin_e > 0, ef_e != NONE)
        proj = np.where(ok, fin, 0).max(axis=0)
        projected.append(proj)
        ok_ef = (st_e != 3) & (ef_e != NONE)
        has = ok_ef.any(axis=0)
        sl = np.where(has, dl_index[bi] - np.where(ok_ef, ef_e, NONE).max(axis=0), 0)
        slack.append((sl, has))
        over = np.where(has, np.maximum(0, -sl), 0)
        overrun.append(over)
        overrun_days.append(np.where((proj > 0) & (over > 0), np.maximum(0, proj - dl_ord[bi]), 0))
        mb = t.members[bi]
        dfs = np.where(unfinished[mb] & (tf[mb] < INF), tf[mb], INF).min(axis=0)
        float_days.append(dfs)
        c = t.counted[bi]
        rs = reported_status[c]
        counts = [(rs == k).sum(axis=0).tolist() for k in range(4)]
        national.append(
            [
                _make(
                    steps[j],
                    counts[2][j],
                    counts[1][j],
                    counts[0][j] + max(0, steps[j] - len(c)),
                    counts[3][j],
                    max(0, steps[j] - len(c)),
                )
                for j in range(width)
            ]
        )
    lists: dict[str, list[list[Any]]] = {
        name: [v.tolist() for v in values]
        for name, values in (
            ("migrated", migrated),
            ("projected", projected),
            ("overrun", overrun),
            ("overrun_days", overrun_days),
            ("float", float_days),
        )
    }
    slacks = [(s.tolist(), h.tolist()) for s, h in slack]
    arrays: dict[str, Any] = {"state": state, "es": es, "ef": ef, "dur": dur, "left": left}
    arrays |= {"progress": progress, "cause": floor_cause, "ready": out.ready, "tf": tf, "bind": bind}
    arrays |= {"todo": out.todo, "drive": out.drive}
    results = []
    for j, r in enumerate(raws):
        p = r.plan
        sched: Schedule | None = None
        plan_rows = []
        for bi, b in enumerate(p.businesses):
            mig = lists["migrated"][bi][j]
            proj_o = lists["projected"][bi][j]
            proj = dt.date.fromordinal(proj_o) if proj_o else None
            slack_days: int | None = slacks[bi][0][j] if slacks[bi][1][j] else None
            over, over_days = lists["overrun"][bi][j], lists["overrun_days"][bi][j]
            deadline = p.deadline_of(b)
            least: int = lists["float"][bi][j]
            fl: int | None = None if mig else (least if least < INF else slack_days)
            st: Status = ("amber" if over > 0 else "green") if mig else colour(fl, p.thresholds)
            cause: Note | None
            if mig:
                cause = migrated_late(b.id, str(proj), str(deadline), over, over_days) if over else None
            else:
                if sched is None:
                    sched = _schedule(t, r, index, as_of, now, j, arrays)
                notes = reasons(
                    sched,
                    b.id,
                    driving_chain(sched, tuple(order[k] for k in t.ends[bi])),
                    over,
                    over_days,
                    str(proj) if proj else None,
                    str(deadline),
                    (),
                    {},
                    p.thresholds,
                    fl,
                )
                cause = next((x for x in notes if x.code != "deadline-overrun"), notes[0] if notes else None)
            info = catalog.get(b.id)
            plan_rows.append(
                RollupRow(
                    municipality=p.municipality.name,
                    lg_code=p.municipality.lg_code,
                    group=p.municipality.group,
                    business=b.id,
                    name=b.name or (info.name_ja if info else b.id),
                    vendor=b.vendor,
                    deadline=deadline,
                    special_support=b.special_support,
                    deadline_reason=b.deadline_reason,
                    projected_finish=proj,
                    migrated=mig,
                    status=st,
                    float_days=fl,
                    overrun_working_days=over,
                    overrun_calendar_days=over_days,
                    reason=cause.message if cause else None,
                    reason_code=cause.code if cause else None,
                    completion_rate=national[bi][j].completion_rate,
                )
            )
        results.append(
            PlanRows(
                path=r.path,
                lg_code=p.municipality.lg_code,
                municipality=p.municipality.name,
                rows=tuple(plan_rows),
                national=combine(national[bi][j] for bi in range(nb)),
            )
        )
    return results


def _schedule(
    t: Template, raw: Raw, index: WorkdayIndex, as_of: dt.date, now: int, j: int, a: Mapping[str, Any]
) -> Schedule:
    """Plan j's schedule as `status.reasons` and `cpm.driving_chain` read it, filled from the arrays."""
    order = t.shape.order
    state = [_STATES[c] for c in a["state"][:, j].tolist()]
    s = Schedule(plan=t.plan, graph=t.graph, index=index, as_of=as_of, as_of_index=now, order=order)
    s.business_of = t.business_of
    s.state = dict(zip(order, state, strict=True))
    s.es = _values(order, a["es"][:, j], NONE)
    s.ef = _values(order, a["ef"][:, j], NONE)
    s.duration = dict(zip(order, a["dur"][:, j].tolist(), strict=True))
    left, dur = a["left"][:, j].tolist(), a["dur"][:, j].tolist()
    s.remaining = {
        k: (x if st == "in-progress" else d if st == "not-started" else None)
        for k, st, x, d in zip(order, state, left, dur, strict=True)
    }
    s.progress = dict(zip(order, a["progress"][:, j].tolist(), strict=True))
    s.floor_cause = {k: _CAUSES[c] for k, c in zip(order, a["cause"][:, j].tolist(), strict=True)}
    s.ready = dict(zip(order, a["ready"][:, j].tolist(), strict=True))
    s.milestone = _Names(t, raw)
    s.driving = _Driving(t, a["todo"], a["drive"], j)
    ids = [b.id for b in t.plan.businesses]
    unfinished = {k for k, st in zip(order, state, strict=True) if st in ("not-started", "in-progress")}
    tf, bind = a["tf"][:, j].tolist(), a["bind"][:, j].tolist()
    elsewhere: dict[str, list[tuple[str, str, int]]] = {}
    for k in t.keys:  # plan order, as status._bound_elsewhere
        i = t.pos[k]
        owner, other = s.business_of[k], bind[i]
        if other < 0 or ids[other] == owner or tf[i] >= INF or k not in unfinished:
            continue
        elsewhere.setdefault(owner, []).append((k, ids[other], tf[i]))
    s.memo["unfinished"] = unfinished
    s.memo["bound-elsewhere"] = elsewhere
    return s


def _values(order: list[str], values: Any, missing: int) -> dict[str, int | None]:
    return {k: (None if v == missing else v) for k, v in zip(order, values.tolist(), strict=True)}


def read_batch(
    paths: Sequence[str | Path],
    as_of: dt.date,
    catalog: Mapping[str, BusinessInfo],
    known: Collection[str] | None,
    lang: str | None = None,
) -> list[PlanRows | None]:
    """Read and roll up a batch of plans (same order); None for each plan that needs the per-plan
    path. Runs in a worker process too (plain arguments and results; the language passed along)."""
    from migrate.i18n import set_lang

    if lang is not None:
        set_lang(lang)
    raws: list[Raw] = []
    where: list[int] = []
    for i, p in enumerate(paths):
        try:
            raws.append(read(p))
        except Fallback:
            continue
        where.append(i)
    out: list[PlanRows | None] = [None] * len(paths)
    for i, got in zip(where, rows(raws, as_of, known, catalog), strict=True):
        out[i] = got
    return out


def batches(
    paths: Sequence[Path],
    as_of: dt.date,
    catalog: Mapping[str, BusinessInfo],
    known: Collection[str] | None,
    *,
    size: int,
    jobs: int = 1,
) -> Iterator[tuple[list[Path], list[PlanRows | None]]]:
    """`read_batch` over the paths `size` at a time, in order; over `jobs` processes when there is
    more than one batch (each holds one batch at a time: memory is bounded by jobs × one batch)."""
    from migrate.i18n import get_lang

    chunks = [list(paths[i : i + size]) for i in range(0, len(paths), size)]
    if jobs <= 1 or len(chunks) <= 1:
        for chunk in chunks:
            yield chunk, read_batch(chunk, as_of, catalog, known)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork: the workers start at once (no re-import); they touch nothing of the parent's but this
    context = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    )
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(chunks)), mp_context=context)
    try:
        lang = get_lang()
        n = len(chunks)
        done = pool.map(read_batch, chunks, [as_of] * n, [catalog] * n, [known] * n, [lang] * n)
        yield from zip(chunks, done, strict=True)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
