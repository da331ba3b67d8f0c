"""Deadline risk: Monte-Carlo over the dependency graph in working days, vectorised over the runs.

Method (schedule risk analysis as in Vose, *Risk Analysis*, ch. 18, and the PMBOK's "quantitative
risk analysis"): each unfinished milestone's duration is drawn from a three-point estimate
(optimistic a, most likely m = `duration`, pessimistic b), then the CPM forward pass of
migrate.plan.cpm runs on every draw at once: one numpy array of shape (runs,) per milestone, walked
in the schedule's topological order, with the same floors (plan / business start, planned_start,
the as-of date), the same actuals (finished milestones fixed; started ones keep their start and do
the rest of their drawn duration, ceil(D × (1 − progress)) from the as-of date).

- Distribution: PERT-beta (λ = 4): a + (b − a) · Beta(1 + 4 (m − a)/(b − a), 1 + 4 (b − m)/(b − a)),
  or triangular (a, m, b). A drawn duration is rounded to whole working days (half up), as the
  deterministic schedule counts them; with a = m = b every run is the CPM schedule exactly.
- Default three points: a plan-wide `risk: {spread: s}` gives a = (1 − s/2) m and b = (1 + 1.5 s) m
  (s = 0.2: 0.9×, 1.3×). A milestone's own `optimistic` / `pessimistic` win over the spread.
- Calibration: with a baseline, the slip ratio of every milestone finished since (actual working
  days ÷ the baseline's duration) gives the factors instead: a = P10 of the ratios (at most 1),
  b = P90 (at least 1), once at least CALIBRATION_MIN milestones are observed.
- Per business: P(the deadline milestones finish by the deadline) and P50 / P80 / P95 finish dates
  (sample quantiles, inverted CDF, so each is a date some run reached). Criticality index: the share
  of runs in which a milestone lies on the business's driving chain, back-tracked from the latest
  deadline milestone through every predecessor whose finish set the start (boolean arrays).

numpy is imported here only: `plan risk` and `plan status --risk-runs` pay for it, nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from migrate.errors import UsageError
from migrate.i18n import t
from migrate.plan.calendar import WorkCalendar
from migrate.plan.cpm import SCHEDULED, UNFINISHED, Schedule, schedule
from migrate.plan.model import Plan, RiskConfig
from migrate.plan.result import BusinessRisk, Criticality, RiskResult

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from migrate.plan.baseline import Baseline

    IntArray = npt.NDArray[np.int64]
    Value = int | IntArray

DEFAULT_RUNS = 10_000
MAX_RUNS = 1_000_000
CALIBRATION_MIN = 5  # finished milestones needed before the observed slip replaces the spread
TOP = 5  # milestones listed per business by criticality index
QUANTILES = (0.5, 0.8, 0.95)


@dataclass(frozen=True)
class Calibration:
    baseline: str
    observed: int
    optimistic: float  # factor × duration
    pessimistic: float
    median_ratio: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "baseline": self.baseline,
            "observed": self.observed,
            "optimistic": self.optimistic,
            "pessimistic": self.pessimistic,
            "median_ratio": self.median_ratio,
        }


def spread_factors(spread: float) -> tuple[float, float]:
    """(optimistic, pessimistic) factors of a plan-wide spread: 0.2 → (0.9, 1.3)."""
    return 1 - spread / 2, 1 + 1.5 * spread


def calibrate(s: Schedule, cal: WorkCalendar, baseline: Baseline) -> Calibration | None:
    """Factors from the slip ratio (actual ÷ baseline working days) of milestones finished since."""
    import numpy as np

    ratios = []
    for key, state in s.state.items():
        start, finish = s.actual_start[key], s.actual_finish[key]
        if state != "done" or start is None or finish is None or finish <= baseline.as_of:
            continue
        business, _, mid = key.partition(":")
        b = baseline.businesses.get(business)
        planned = b.milestones.get(mid) if b else None
        if planned is None or planned.duration <= 0:
            continue
        actual = cal.working_days_between(start, finish + dt.timedelta(days=1))
        ratios.append(actual / planned.duration)
    if len(ratios) < CALIBRATION_MIN:
        return None
    r = np.asarray(ratios, dtype=float)
    return Calibration(
        baseline=baseline.name,
        observed=len(ratios),
        optimistic=round(min(1.0, float(np.quantile(r, 0.1))), 3),
        pessimistic=round(max(1.0, float(np.quantile(r, 0.9))), 3),
        median_ratio=round(float(np.median(r)), 3),
    )


def check_runs(runs: int) -> int:
    if not 1 <= runs <= MAX_RUNS:
        raise UsageError(
            t("試行回数 {n} は範囲外です", "{n} runs is out of range", n=runs),
            hint=t("1 から {m} の間で指定してください", "give 1 to {m}", m=f"{MAX_RUNS:,}"),
        )
    return runs


def simulate(
    plan: Plan,
    as_of: dt.date,
    *,
    runs: int = DEFAULT_RUNS,
    seed: int = 0,
    baseline: Baseline | None = None,
    calendar: WorkCalendar | None = None,
    top: int = TOP,
    held: Collection[str] = (),
) -> RiskResult:
    """Run the Monte-Carlo schedule of a valid plan; deterministic for a seed.

    `held`: milestones a failed or stale gate holds open (see migrate.plan.gates).
    """
    import numpy as np

    check_runs(runs)
    cal = calendar or WorkCalendar.from_config(plan.calendar)
    s = schedule(plan, as_of, cal, held=held)
    cfg = plan.risk or RiskConfig()
    calib = calibrate(s, cal, baseline) if baseline is not None and cfg.calibrate else None
    if calib is not None:
        lo_f, hi_f, source = calib.optimistic, calib.pessimistic, "baseline"
    else:
        lo_f, hi_f = spread_factors(cfg.spread)
        source = "plan" if cfg.spread > 0 else "none"

    # Three points of every unfinished milestone; only those with a < b are drawn.
    varying: list[tuple[str, float, float, float]] = []
    for key in s.order:
        if s.state[key] not in UNFINISHED:
            continue
        m, likely = s.milestone[key], float(s.duration[key])
        lo = m.optimistic if m.optimistic is not None else lo_f * likely
        hi = m.pessimistic if m.pessimistic is not None else hi_f * likely
        lo, hi = min(lo, likely), max(hi, likely)
        if lo < hi:
            varying.append((key, lo, likely, hi))
    rng = np.random.default_rng(seed)
    drawn: dict[str, npt.NDArray[np.float64]] = {}
    if varying:
        a = np.array([v[1] for v in varying])[:, None]
        mode = np.array([v[2] for v in varying])[:, None]
        b = np.array([v[3] for v in varying])[:, None]
        shape = (len(varying), runs)
        if cfg.distribution == "triangular":
            x = rng.triangular(
                np.broadcast_to(a, shape), np.broadcast_to(mode, shape), np.broadcast_to(b, shape)
            )
        else:
            alpha = 1 + 4 * (mode - a) / (b - a)
            beta = 1 + 4 * (b - mode) / (b - a)
            x = a + (b - a) * rng.beta(np.broadcast_to(alpha, shape), np.broadcast_to(beta, shape))
        drawn = {v[0]: x[i] for i, v in enumerate(varying)}

    es, ef = _forward(s, drawn)
    businesses = tuple(_business(s, plan, bid, es, ef, runs, top) for bid in s.deadline_nodes)
    return RiskResult(
        as_of=as_of,
        runs=runs,
        seed=seed,
        distribution=cfg.distribution,
        optimistic_factor=round(lo_f, 3),
        pessimistic_factor=round(hi_f, 3),
        spread_source=source,
        calibration=calib.to_dict() if calib else None,
        uncertain_milestones=len(varying),
        businesses=businesses,
    )


def _forward(
    s: Schedule, drawn: dict[str, npt.NDArray[np.float64]]
) -> tuple[dict[str, Value | None], dict[str, Value | None]]:
    """Early start / finish per milestone: a Python int where fixed, an int array over the runs else."""
    import numpy as np

    es: dict[str, Value | None] = {}
    ef: dict[str, Value | None] = {}
    now = s.as_of_index
    for key in s.order:
        state = s.state[key]
        if state == "done":
            es[key], ef[key] = s.es[key], s.ef[key]
            continue
        x = drawn.get(key)
        if state == "in-progress":
            start = s.es[key]
            assert start is not None
            es[key] = start
            if x is None:
                ef[key] = s.ef[key]
            else:
                left = np.ceil(x * (1 - s.progress[key] / 100) - 1e-9).astype(np.int64)
                ef[key] = now + np.maximum(left, 1 if key in s.held else 0)
            continue
        known = [e for p in s.graph.predecessors(key) if (e := ef[p]) is not None]
        start_v: Value
        if state == "not-applicable":
            start_v = _max(known) if known else s.floor[key]
            es[key], ef[key] = start_v, start_v
            continue
        start_v = _max([s.floor[key], *known])
        dur: Value = s.duration[key] if x is None else np.floor(x + 0.5).astype(np.int64)
        es[key], ef[key] = start_v, start_v + dur
    return es, ef


def _max(values: list[Value]) -> Value:
    import numpy as np

    arrays = [v for v in values if not isinstance(v, int)]
    scalars = [v for v in values if isinstance(v, int)]
    if not arrays:
        return max(scalars)
    out = arrays[0]
    for v in arrays[1:]:
        out = np.maximum(out, v)
    return np.maximum(out, max(scalars)) if scalars else out


def _business(
    s: Schedule,
    plan: Plan,
    bid: str,
    es: dict[str, Value | None],
    ef: dict[str, Value | None],
    runs: int,
    top: int,
) -> BusinessRisk:
    import numpy as np

    b = plan.business(bid)
    deadline = plan.deadline_of(b)
    ends = [k for k in s.deadline_nodes[bid] if s.state[k] != "not-applicable" and ef[k] is not None]
    migrated = all(s.state[k] in ("done", "not-applicable") for k in s.deadline_nodes[bid])
    projected = _projected(s, ends)
    if not ends:
        return BusinessRisk(bid, deadline, migrated, None, None, None, None, None, ())
    if migrated:
        on_time = 1.0 if projected is not None and projected <= deadline else 0.0
        return BusinessRisk(bid, deadline, True, projected, on_time, projected, projected, projected, ())
    last_ef = np.broadcast_to(_max([ef[k] for k in ends if ef[k] is not None]), (runs,))  # type: ignore[misc]
    # The last working day of each end, as the engine dates it (a zero-length milestone: its start day).
    days = []
    for k in ends:
        e, st = ef[k], es[k]
        assert e is not None
        if s.state[k] == "done":
            fin = s.actual_finish[k]
            days.append(s.index.start(fin) if fin and s.index.calendar.is_working_day(fin) else e - 1)
        else:
            assert st is not None
            days.append(np.where(np.asarray(e) > np.asarray(st), np.asarray(e) - 1, np.asarray(st)))
    finish_day = np.broadcast_to(_max(days), (runs,))
    probability = float(np.mean(last_ef <= s.deadline_index[bid]))
    q = np.quantile(finish_day, QUANTILES, method="inverted_cdf")
    p50, p80, p95 = (s.index.date(int(v)) for v in q)
    return BusinessRisk(
        id=bid,
        deadline=deadline,
        migrated=False,
        projected_finish=projected,
        probability=probability,
        p50=p50,
        p80=p80,
        p95=p95,
        criticality=_criticality(s, ends, es, ef, runs, top),
    )


def _projected(s: Schedule, ends: list[str]) -> dt.date | None:
    finishes = [
        f
        for k in ends
        if (f := (s.actual_finish[k] if s.state[k] == "done" else s.finish_date(k))) is not None
    ]
    return max(finishes) if finishes else None


def _criticality(
    s: Schedule,
    ends: list[str],
    es: dict[str, Value | None],
    ef: dict[str, Value | None],
    runs: int,
    top: int,
) -> tuple[Criticality, ...]:
    """Back-track the driving chain of every run at once: on[key] is a (runs,) boolean array."""
    import numpy as np

    live = [k for k in ends if s.state[k] in UNFINISHED]
    if not live:
        return ()
    latest = _max([v for k in live if (v := ef[k]) is not None])
    on: dict[str, npt.NDArray[np.bool_]] = {}
    for k in live:
        mark = np.broadcast_to(np.asarray(ef[k]) == np.asarray(latest), (runs,))
        on[k] = on[k] | mark if k in on else mark.copy()
    for key in reversed(s.order):
        here = on.get(key)
        if here is None or s.state[key] not in ("not-started", "not-applicable") or not here.any():
            continue
        start = np.asarray(es[key])
        for p in s.graph.predecessors(key):
            e = ef[p]
            if e is None or s.state[p] not in SCHEDULED:
                continue
            drives = here & (np.asarray(e) == start)
            if drives.any():
                on[p] = on[p] | drives if p in on else drives
    index = [(float(np.count_nonzero(v)) / runs, k) for k, v in on.items() if s.state[k] != "not-applicable"]
    position = {k: i for i, k in enumerate(s.order)}
    index.sort(key=lambda c: (-c[0], position[c[1]]))
    return tuple(Criticality(k, round(i, 4)) for i, k in index[:top] if i > 0)
