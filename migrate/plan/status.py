"""Green / amber / red per business, and the reasons a business is late, from the schedule."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from migrate.i18n import get_lang, t
from migrate.plan.cpm import UNFINISHED, Schedule
from migrate.plan.model import Thresholds
from migrate.plan.result import GateResult, Note, Status

_RANK: dict[str, int] = {"green": 0, "amber": 1, "red": 2}

# Every reason code a BusinessResult may carry, for reports and documentation (ja, en).
REASON_CODES: dict[str, tuple[str, str]] = {
    "deadline-overrun": ("完了見込が期限を超過", "projected after the deadline"),
    "progress-behind": ("作業中の工程が予定より遅れている", "started work is behind its duration"),
    "start-overdue": ("開始できる工程が未着手のまま", "work that could start has not started"),
    "slipped": ("基準計画より遅れた工程", "later than the baseline"),
    "low-float": ("期限までの余裕が少ない", "little float left to the deadline"),
    "waits-for-business": ("他業務の工程を待っている", "waits for another business's milestone"),
    "holds-other-deadline": ("他業務の期限を左右する工程", "on another business's near-critical chain"),
    "gate-failed": ("データ品質ゲートが未達", "a data-quality gate is not met"),
    "gate-stale": ("データ品質ゲートの計測が古い", "a data-quality gate was measured too long ago"),
    "migrated-late": ("期限後に移行済", "migrated after the deadline"),
}


def colour(float_days: int | None, th: Thresholds) -> Status:
    """red below red_below (0: projected after a deadline), amber below amber_below, else green."""
    if float_days is None:
        return "green"
    if float_days < th.red_below:
        return "red"
    if float_days < th.amber_below:
        return "amber"
    return "green"


def business_status(
    float_days: int | None,
    migrated: bool,
    gates: Sequence[GateResult],
    unfinished: set[str],
    th: Thresholds,
    overrun: int = 0,
) -> Status:
    """From the float; migrated: green, or amber when after the deadline (never green); then gates.

    A failed or stale gate on work it holds open raises the colour to `thresholds.gate_failed`.
    """
    status: Status = ("amber" if overrun > 0 else "green") if migrated else colour(float_days, th)
    held = any(g.holds and g.milestone in unfinished for g in gates)
    if held and th.gate_failed != "none" and _RANK[th.gate_failed] > _RANK[status]:
        status = th.gate_failed
    return status


def expected_progress(s: Schedule, key: str) -> float | None:
    """Percent a started milestone should have reached by the as-of date, had it kept to its duration."""
    es, dur = s.es[key], s.duration[key] - s.extra.get(key, 0)
    if s.state[key] != "in-progress" or es is None:
        return None
    if dur <= 0:
        return 100.0
    return round(min(100.0, 100.0 * max(0, s.as_of_index - es) / dur), 1)


def _label(s: Schedule, key: str) -> str:
    m = s.milestone[key]
    return f"{key} {m.name_en if get_lang() == 'en' and m.name_en else m.name}"


def reasons(
    s: Schedule,
    business: str,
    chain: Sequence[str],
    overrun: int,
    overrun_days: int,
    projected: str | None,
    deadline: str,
    gates: Sequence[GateResult],
    slips: Mapping[str, int | None],
    th: Thresholds,
    float_days: int | None = None,
) -> tuple[Note, ...]:
    """Why a business is (or may become) late: overrun first, then its driving chain's delays."""
    out: list[Note] = []
    if overrun > 0:
        out.append(
            Note(
                "deadline-overrun",
                t(
                    "完了見込 {f} が期限 {d} を {n} 営業日 ({c} 日) 超過",
                    "projected {f}: {n} working days ({c} days) after the deadline {d}",
                    f=projected,
                    d=deadline,
                    n=overrun,
                    c=overrun_days,
                ),
                business=business,
                days=overrun,
            )
        )
    delays: list[Note] = []
    waits: dict[str, str] = {}
    for key in chain:
        owner = s.business_of[key]
        state = s.state[key]
        if owner != business and state in UNFINISHED:
            latest = waits.get(owner)
            if latest is None or (s.ef[key] or 0) > (s.ef[latest] or 0):
                waits[owner] = key
        if state == "in-progress" and key not in s.held:  # a held one: its gate note says why
            es, dur = s.es[key], s.duration[key]
            assert es is not None
            elapsed = max(0, s.as_of_index - es)
            behind = (s.remaining[key] or 0) - max(0, dur - elapsed)
            if behind > 0:
                delays.append(
                    Note(
                        "progress-behind",
                        t(
                            "{m}: 進捗 {p}% (予定 {e}%)、{n} 営業日の遅れ",
                            "{m}: {p}% done, {e}% expected; {n} working days behind",
                            m=_label(s, key),
                            p=round(s.progress[key]),
                            e=round(expected_progress(s, key) or 0),
                            n=behind,
                        ),
                        business=owner,
                        milestone=key,
                        days=behind,
                    )
                )
        elif state == "not-started" and s.floor_cause[key] == "as-of" and s.ready[key] < s.as_of_index:
            late = s.as_of_index - s.ready[key]
            delays.append(
                Note(
                    "start-overdue",
                    t(
                        "{m}: {d} から開始できたが未着手 ({n} 営業日)",
                        "{m}: could start on {d} but has not started ({n} working days)",
                        m=_label(s, key),
                        d=s.index.date(s.ready[key]),
                        n=late,
                    ),
                    business=owner,
                    milestone=key,
                    days=late,
                )
            )
        slip = slips.get(key)
        if slip is not None and slip > 0:
            delays.append(
                Note(
                    "slipped",
                    t(
                        "{m}: 基準計画より {n} 営業日遅れ",
                        "{m}: {n} working days later than the baseline",
                        m=_label(s, key),
                        n=slip,
                    ),
                    business=owner,
                    milestone=key,
                    days=slip,
                )
            )
    out.extend(sorted(delays, key=lambda n: -(n.days or 0)))
    if not out and float_days is not None and float_days < th.amber_below:
        out.append(
            Note(
                "low-float",
                t(
                    "期限までの余裕が {n} 営業日 ({a} 営業日未満は注意)",
                    "only {n} working days of float to the deadline (amber below {a})",
                    n=float_days,
                    a=th.amber_below,
                ),
                business=business,
                days=float_days,
            )
        )
    for owner, key in waits.items():
        out.append(
            Note(
                "waits-for-business",
                t(
                    "{m} (完了見込 {f}) を待っている",
                    "waits for {m} (projected {f})",
                    m=_label(s, key),
                    f=s.finish_date(key),
                ),
                business=owner,
                milestone=key,
            )
        )
    # This business's work on another business's near-critical chain (e.g. juki's data migration).
    held: dict[str, tuple[int, str]] = {}
    for key, other, df in _bound_elsewhere(s).get(business, ()):
        if df >= th.amber_below:
            continue
        if other not in held or df < held[other][0]:
            held[other] = (df, key)
    for other, (df, key) in sorted(held.items(), key=lambda kv: kv[1][0]):
        out.append(
            Note(
                "holds-other-deadline",
                t(
                    "{m} は {o} の期限に対して余裕 {n} 営業日",
                    "{m} leaves {n} working days of float to {o}'s deadline",
                    m=_label(s, key),
                    o=other,
                    n=df,
                ),
                business=other,
                milestone=key,
                days=df,
            )
        )
    out.extend(gate_notes(business, gates, _unfinished(s)))
    return tuple(out)


def _unfinished(s: Schedule) -> set[str]:
    got = s.memo.get("unfinished")
    if got is None:
        got = s.memo["unfinished"] = {k for k, v in s.state.items() if v in UNFINISHED}
    return got


def _bound_elsewhere(s: Schedule) -> dict[str, list[tuple[str, str, int]]]:
    """Per business, its unfinished work whose float is toward another business's deadline
    (key, that business, float), in plan order: computed once per schedule, not once per business."""
    got = s.memo.get("bound-elsewhere")
    if got is None:
        got = {}
        for key in s.milestone:
            owner, other, df = s.business_of[key], s.binding[key], s.df[key]
            if other is None or other == owner or df is None or s.state[key] not in UNFINISHED:
                continue
            got.setdefault(owner, []).append((key, other, df))
        s.memo["bound-elsewhere"] = got
    return got


def gate_notes(business: str, gates: Sequence[GateResult], unfinished: Collection[str]) -> tuple[Note, ...]:
    """A note per failed or stale gate on work it holds: value, threshold and when it was measured."""
    out = []
    for g in gates:
        if not g.holds or g.milestone not in unfinished:
            continue
        when = g.measured_at.isoformat() if g.measured_at else t("日付不明", "date unknown")
        if g.state == "failed":
            note = t(
                "{m} のゲート {k} が未達: {v} (基準 {op} {th}, {d} 計測)。達成まで完了とせず後続は開始できません",
                "gate {k} of {m} not met: {v} (needs {op} {th}, measured {d}); held: not finished, "
                "its successors cannot start",
                m=g.milestone,
                k=g.metric,
                v=g.show(g.value),
                op=g.op,
                th=g.show(g.threshold),
                d=when,
            )
        else:
            note = t(
                "{m} のゲート {k} の計測 ({d}, 値 {v}) が {a} 日より古いため未確認。夜間検証を実行してください",
                "gate {k} of {m} is stale: measured {d} (value {v}), more than {a} days ago; run the nightly",
                m=g.milestone,
                k=g.metric,
                v=g.show(g.value),
                d=when,
                a=g.max_age,
            )
        out.append(Note(f"gate-{g.state}", note, business=business, milestone=g.milestone))
    return tuple(out)


def migrated_late(business: str, finished: str, deadline: str, overrun: int, overrun_days: int) -> Note:
    return Note(
        "migrated-late",
        t(
            "{f} に移行済: 期限 {d} より {n} 営業日 ({c} 日) 遅れ",
            "migrated on {f}: {n} working days ({c} days) after the deadline {d}",
            f=finished,
            d=deadline,
            n=overrun,
            c=overrun_days,
        ),
        business=business,
        days=overrun,
    )
