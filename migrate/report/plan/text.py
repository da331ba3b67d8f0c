"""Plan results as terminal text (Japanese by default): status, critical path, risk, slip, what-if,
roll-up; the Excel and HTML reports beside it read the same results through the plan view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from migrate.i18n import get_lang, t
from migrate.output import table
from migrate.plan.baseline import Baseline
from migrate.plan.result import BusinessResult, GateResult, NationalFigures, Note, PlanResult, RiskResult
from migrate.plan.rollup import RollupResult, Summary
from migrate.plan.whatif import WhatIfResult
from migrate.report.format import pct
from migrate.report.labels import colour_word as colour
from migrate.report.labels import milestone_state_label
from migrate.report.labels import phase_word as phase
from migrate.wareki import fiscal_year, fiscal_year_label, to_wareki


def en() -> bool:
    return get_lang() == "en"


def date(d: dt.date | None) -> str:
    return d.isoformat() if d else "-"


def days(n: int | None, signed: bool = True) -> str:
    if n is None:
        return "-"
    return f"{n:+d}" if signed else str(n)


def fiscal(d: dt.date) -> str:
    """年度 of a date: 令和7年度 (ja) or FY2025 (en)."""
    return f"FY{fiscal_year(d)}" if en() else fiscal_year_label(d)


def deadline(b: BusinessResult) -> str:
    text = f"{b.deadline.isoformat()} {fiscal(b.deadline)}"
    return f"{text} {t('特定', 'special')}" if b.special_support else text


def business_label(b: BusinessResult) -> str:
    return f"{b.id} {b.name_en if en() and b.name_en else b.name}"


def national_line(n: NationalFigures) -> str:
    return t(
        "完了率 {c}% (完了済み {d} + 対象外 {a} / {s})  作業中率 {w}%  未着手率 {u}%",
        "completion {c}% (done {d} + not applicable {a} of {s})  in progress {w}%  not started {u}%",
        c=n.completion_rate,
        d=n.done,
        a=n.not_applicable,
        s=n.steps,
        w=n.in_progress_rate,
        u=n.not_started_rate,
    )


def _header(r: PlanResult) -> list[str]:
    as_of = r.as_of.isoformat()
    if not en():
        as_of += f" ({to_wareki(r.as_of)})"
    lines = [
        t(
            "{m} ({c}) 移行計画  基準日 {d}",
            "{m} ({c}) migration plan  as of {d}",
            m=r.municipality,
            c=r.lg_code,
            d=as_of,
        )
    ]
    if r.as_of_working_day != r.as_of:
        lines.append(
            t(
                "  基準日は閉庁日のため、残作業は {d} から数えます",
                "  the as-of date is not a working day: remaining work counts from {d}",
                d=r.as_of_working_day.isoformat(),
            )
        )
    c = r.counts
    lines.append(
        t(
            "全体: {n} 業務  移行済 {mig}  緑 {g}  黄 {a}  赤 {r}  期限超過見込 {late}",
            "overall: {n} businesses  migrated {mig}  green {g}  amber {a}  red {r}  late {late}",
            n=c["businesses"],
            mig=c["migrated"],
            g=c["green"],
            a=c["amber"],
            r=c["red"],
            late=c["late"],
        )
    )
    lines.append("      " + national_line(r.national))
    if r.baseline:
        lines.append(
            t(
                "基準計画 {n} ({d}) と比較",
                "compared with baseline {n} ({d})",
                n=r.baseline["name"],
                d=r.baseline["as_of"],
            )
        )
    return lines


def _finish(b: BusinessResult) -> str:
    if b.migrated and b.overrun_working_days > 0:
        late = t("期限後 {n} 営業日", "{n} working days late", n=b.overrun_working_days)
        return f"{date(b.projected_finish)} {t('移行済', 'migrated')} ({late})"
    if b.migrated:
        return f"{date(b.projected_finish)} {t('移行済', 'migrated')}"
    return date(b.projected_finish)


def status_text(r: PlanResult, details: Sequence[str] = ()) -> str:
    out = _header(r)
    out.append("")
    with_slip = r.baseline is not None
    headers = (
        ["business", "vendor", "deadline", "projected", "float", "status", "done %", "phase"]
        if en()
        else ["業務", "ベンダー", "期限", "完了見込", "余裕", "状態", "完了率", "段階"]
    )
    if with_slip:
        headers.insert(5, t("スリップ", "slip"))
    if r.risk is not None:
        headers.insert(len(headers) - 2, t("期限内確率", "P(on time)"))
    rows = []
    for b in r.businesses:
        row = [
            business_label(b),
            b.vendor or "-",
            deadline(b),
            _finish(b),
            days(b.float_days),
            colour(b.status),
            f"{b.national.completion_rate}%",
            t("移行済", "migrated") if b.migrated else phase(b.phase),
        ]
        if with_slip:
            row.insert(5, days(b.slip))
        if r.risk is not None:
            row.insert(len(row) - 2, pct(r.risk.business(b.id).probability, 1))
        rows.append(row)
    right = [4, 6] if not with_slip else [4, 5, 7]
    if r.risk is not None:
        right = [*right[:-1], right[-1], right[-1] + 1]
    out.append(table(headers, rows, right=tuple(right)))
    out.append(FLOAT_DEFINITION())
    if r.risk is not None:
        out.append(t("期限内確率: ", "P(on time): ") + risk_assumptions(r.risk))
    for b in r.businesses:
        if b.status == "green":
            continue
        out.append("")
        head = f"{colour(b.status)} {business_label(b)}: {t('期限', 'deadline')} {b.deadline.isoformat()}"
        if b.deadline_reason:
            kind = t("特定移行支援: ", "special support: ") if b.special_support else ""
            head += f" ({kind}{b.deadline_reason})"
        out.append(head)
        out.extend(f"  - {n.message}" for n in b.reasons[:6])
        if not b.reasons:
            out.append("  - " + t("余裕 {n} 営業日", "{n} working days of float", n=b.float_days))
    gates = [g for b in r.businesses for g in b.gates]
    if gates:
        out.append("")
        out.append(t("ゲート:", "gates:"))
        for g in gates:
            out.append("  " + gate_line(g))
    if r.warnings:
        out.append("")
        out.append(
            t(
                "計画データの注意 {n} 件 (migrate plan check で一覧)",
                "{n} notes on the plan's data (list them with migrate plan check)",
                n=len(r.warnings),
            )
        )
    for bid in details:
        out.append("")
        out.extend(milestone_lines(r.business(bid)))
    return "\n".join(out)


def gate_line(g: GateResult) -> str:
    """`juki:s31 juki.readiness >= 99.9: 89.17 (2026-11-23) [未達: 保留]`."""
    value = t("未計測", "not yet measured") if g.value is None else g.show(g.value)
    if g.measured_at is not None:
        value += f" ({g.measured_at.isoformat()})"
    state = {
        "passed": t("達成", "passed"),
        "failed": t("未達: 完了とせず保留", "failed: held open"),
        "stale": t("計測が {a} 日より古い: 保留", "older than {a} days: held open", a=g.max_age),
        "not-measured": t("未計測", "not measured"),
    }[g.state]
    return f"{g.milestone} {g.metric} {g.op} {g.show(g.threshold)}: {value} [{state}]"


def _business_line(b: BusinessResult) -> str:
    return (
        f"{business_label(b)}  {t('期限', 'deadline')} {deadline(b)}  {t('完了見込', 'projected')} "
        f"{_finish(b)}  {t('余裕', 'float')} {days(b.float_days)}  {colour(b.status)}"
    )


def milestone_lines(b: BusinessResult) -> list[str]:
    lines = [_business_line(b), "  " + national_line(b.national)]
    headers = (
        ["id", "step", "name", "status", "%", "start", "finish", "TF", "FF", "toward", "CP"]
        if en()
        else ["ID", "手順", "名称", "状況", "進捗", "開始", "終了", "総余裕", "自由余裕", "対象の期限", "CP"]
    )
    rows = []
    for m in b.milestones:
        mark = "★" if m.on_critical_path else ("*" if m.critical else "")
        progress = "" if m.progress is None else f"{m.progress:g}"
        name = m.name_en if en() and m.name_en else m.name
        rows.append(
            [
                m.id,
                m.step or "",
                name,
                m.national_status if not en() else milestone_state_label(m.state, short=True),
                progress,
                date(m.start),
                date(m.finish),
                days(m.total_float, signed=False),
                days(m.free_float, signed=False),
                m.binding_deadline or "-",
                mark,
            ]
        )
    lines.append(table(headers, rows, right=(1, 4, 7, 8)))
    lines.append(
        t(
            "★ 業務のクリティカルパス  * 総余裕 0 以下  日数は営業日",
            "★ on the business's critical path  * total float <= 0  days are working days",
        )
    )
    lines.append(FLOAT_DEFINITION())
    return lines


def FLOAT_DEFINITION() -> str:
    return t(
        "余裕・総余裕: その工程に依存する最も近い期限 (対象の期限の業務) までの営業日。計画全体の完了日"
        "ではなく各業務の期限に対して測ります。業務の余裕はその未完了工程の最小値です",
        "float / TF: working days to the nearest deadline that depends on the milestone (the business "
        "whose deadline that is), never to the plan's overall finish; a business's float is the least "
        "of its unfinished work",
    )


def check_text(r: PlanResult, edges: int) -> str:
    n = sum(len(b.milestones) for b in r.businesses)
    lines = [
        t(
            "OK: {m} ({c}) {b} 業務, {n} マイルストーン, 依存 {e}",
            "OK: {m} ({c}) {b} businesses, {n} milestones, {e} dependencies",
            m=r.municipality,
            c=r.lg_code,
            b=len(r.businesses),
            n=n,
            e=edges,
        )
    ]
    lines.extend(_notes(r.warnings))
    return "\n".join(lines)


def _notes(notes: Sequence[Note]) -> list[str]:
    return [f"{t('注意', 'note')} [{n.code}] {n.business or ''}: {n.message}" for n in notes]


def critical_text(r: PlanResult, only: Sequence[str] = ()) -> str:
    lines = _header(r)[:1]
    for b in r.businesses:
        if only and b.id not in only:
            continue
        lines.append("")
        lines.append(_business_line(b))
        if not b.critical_path:
            lines.append("  " + t("(移行済: クリティカルパスなし)", "(migrated: no critical path)"))
            continue
        rows = []
        for key in b.critical_path:
            m = r.milestone(key)
            rows.append(
                [
                    key,
                    m.name_en if en() and m.name_en else m.name,
                    date(m.start),
                    date(m.finish),
                    m.remaining,
                    days(m.total_float),
                    m.binding_deadline or "-",
                ]
            )
        headers = (
            ["milestone", "name", "start", "finish", "left", "TF", "toward"]
            if en()
            else ["マイルストーン", "名称", "開始", "終了", "残日数", "総余裕", "対象の期限"]
        )
        lines.append(table(headers, rows, right=(4, 5)))
    lines.append("")
    lines.append(FLOAT_DEFINITION())
    if not only:
        lines.append(
            t(
                "計画全体: 総余裕 0 以下のマイルストーン {n} 件 (計画の完了 {f})",
                "whole plan: {n} milestones with total float <= 0 (plan finishes {f})",
                n=len(r.critical_path),
                f=date(r.plan_finish),
            )
        )
    return "\n".join(lines)


def baselines_text(baselines: Sequence[Baseline]) -> str:
    if not baselines:
        return t("基準計画はまだありません", "no baselines yet")
    headers = ["name", "as of", "businesses"] if en() else ["名前", "基準日", "業務数"]
    return table(headers, [[b.name, b.as_of.isoformat(), len(b.businesses)] for b in baselines], right=(2,))


def slip_text(r: PlanResult, limit: int = 15) -> str:
    lines = _header(r)
    lines.append("")
    headers = (
        ["business", "deadline", "baseline finish", "projected", "slip", "status"]
        if en()
        else ["業務", "期限", "基準の完了見込", "完了見込", "スリップ", "状態"]
    )
    rows = [
        [
            business_label(b),
            date(b.deadline),
            date(b.baseline_projected_finish),
            _finish(b),
            days(b.slip),
            colour(b.status),
        ]
        for b in r.businesses
    ]
    lines.append(table(headers, rows, right=(4,)))
    slipped = sorted(
        (m for b in r.businesses for m in b.milestones if m.slip),
        key=lambda m: -(m.slip or 0),
    )
    if slipped:
        lines.append("")
        lines.append(t("スリップの大きいマイルストーン:", "milestones that slipped most:"))
        headers = (
            ["milestone", "name", "baseline", "now", "slip"]
            if en()
            else ["マイルストーン", "名称", "基準", "現在", "スリップ"]
        )
        rows = [
            [m.key, m.name, date(m.baseline_finish), date(m.finish), days(m.slip)] for m in slipped[:limit]
        ]
        lines.append(table(headers, rows, right=(4,)))
    return "\n".join(lines)


def what_if_text(w: WhatIfResult, show_all: bool = False) -> str:
    lines = [
        t(
            "what-if ({m}, 基準日 {d}): 計画ファイルは変更していません",
            "what-if ({m}, as of {d}): the plan file is unchanged",
            m=w.after.municipality,
            d=w.after.as_of.isoformat(),
        )
    ]
    for d in w.delays:
        m = w.before.milestone(d.milestone)
        lines.append(f"  {d.milestone} {m.name}: {d.days:+d} {t('営業日', 'working days')}")
    lines.append("")
    changes = w.changes if show_all else w.affected
    if not changes:
        lines.append(t("どの業務の完了見込も変わりません", "no business's projected finish changes"))
        return "\n".join(lines)
    headers = (
        ["business", "deadline", "before", "after", "change", "float", "status"]
        if en()
        else ["業務", "期限", "完了見込(前)", "完了見込(後)", "変化", "余裕(前→後)", "状態(前→後)"]
    )
    rows = [
        [
            f"{c.id} {c.name}",
            date(c.deadline),
            date(c.finish_before),
            date(c.finish_after),
            days(c.change),
            f"{days(c.float_before)} → {days(c.float_after)}",
            f"{colour(c.status_before)} → {colour(c.status_after)}",
        ]
        for c in changes
    ]
    lines.append(table(headers, rows, right=(4,)))
    newly = [c for c in changes if c.overrun_after > 0 and c.overrun_before == 0]
    if newly:
        lines.append("")
        lines.append(
            t(
                "期限超過になる業務: {l}",
                "businesses that would miss their deadline: {l}",
                l=", ".join(f"{c.id} (+{c.overrun_after})" for c in newly),
            )
        )
    return "\n".join(lines)


def _summary_rows(items: Sequence[Summary], with_risk: bool = False) -> list[list[object]]:
    return [
        [
            s.label,
            s.municipalities,
            s.businesses,
            s.migrated,
            s.green,
            s.amber,
            s.red,
            s.late,
            s.max_overrun_working_days,
            *([("-" if s.expected_late is None else f"{s.expected_late:.2f}")] if with_risk else []),
        ]
        for s in items
    ]


LIST_LIMIT = 50  # rows per roll-up list on the terminal (worst first); JSON has them all


def _more(n: int) -> list[str]:
    if n <= LIST_LIMIT:
        return []
    return [
        t(
            "… 他 {n} 行 (全件は --format json)",
            "… {n} more rows (all of them with --format json)",
            n=n - LIST_LIMIT,
        )
    ]


def rollup_text(r: RollupResult) -> str:
    tot = r.totals
    lines = [
        t(
            "ロールアップ: {m} 団体 / {b} 業務  基準日 {d}",
            "roll-up: {m} organisations / {b} businesses  as of {d}",
            m=tot["municipalities"],
            b=tot["businesses"],
            d=r.as_of.isoformat(),
        ),
        t(
            "期限超過見込: {lm} 団体 {lb} 業務 (最大 {mx} 営業日)  赤 {red}  黄 {amber}  緑 {green}  "
            "移行済 {mig}  特定移行支援 {sp}",
            "late: {lm} organisations, {lb} businesses (at most {mx} working days)  red {red}  "
            "amber {amber}  green {green}  migrated {mig}  special support {sp}",
            lm=tot["municipalities_late"],
            lb=tot["late"],
            mx=tot["max_overrun_working_days"],
            red=tot["red"],
            amber=tot["amber"],
            green=tot["green"],
            mig=tot["migrated"],
            sp=tot["special_support"],
        ),
        "      " + national_line(r.national),
    ]
    count_headers = (
        ["orgs", "businesses", "migrated", "green", "amber", "red", "late", "max overrun"]
        if en()
        else ["団体数", "業務数", "移行済", "緑", "黄", "赤", "超過", "最大超過"]
    )
    right: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7, 8)
    with_risk = tot.get("expected_late") is not None
    if with_risk:
        count_headers = [*count_headers, t("遅延の期待数", "expected late")]
        right = (*right, 9)
        lines.append(
            "      "
            + t(
                "遅延の期待数 (Σ 1 − 期限内確率, モンテカルロ): {e}",
                "expected late (Σ 1 − P(on time), Monte-Carlo): {e}",
                e=f"{tot['expected_late']:.2f}",
            )
        )
    for title, dimension, items in (
        (t("団体別", "by organisation"), t("団体", "organisation"), r.municipalities),
        (t("業務別", "by business"), t("業務", "business"), r.by_business),
        (t("ベンダー別", "by vendor"), t("ベンダー", "vendor"), r.by_vendor),
    ):
        lines.append("")
        lines.append(f"[{title}]")
        lines.append(
            table([dimension, *count_headers], _summary_rows(items[:LIST_LIMIT], with_risk), right=right)
        )
        lines.extend(_more(len(items)))
    if r.by_prefecture:
        lines.append("")
        lines.append(
            t("[都道府県別 (団体コード上2桁)]", "[by prefecture (first two digits of the 団体コード)]")
        )
        pref_headers = (
            ["prefecture", "orgs", "completion", "in progress", "not started", "red", "late"]
            if en()
            else ["都道府県", "団体数", "完了率", "作業中率", "未着手率", "赤", "超過"]
        )
        if with_risk:
            pref_headers.append(t("遅延の期待数", "expected late"))
        pref_rows = [
            [
                f"{s.key} {s.label}" if s.label != s.key else s.key,
                s.municipalities,
                f"{s.national.completion_rate}%" if s.national else "-",
                f"{s.national.in_progress_rate}%" if s.national else "-",
                f"{s.national.not_started_rate}%" if s.national else "-",
                s.red,
                s.late,
                *([("-" if s.expected_late is None else f"{s.expected_late:.2f}")] if with_risk else []),
            ]
            for s in r.by_prefecture
        ]
        lines.append(table(pref_headers, pref_rows, right=tuple(range(1, len(pref_headers)))))
    lines.append("")
    lines.append(risk_status(r))
    if r.late:
        lines.append("")
        lines.append(t("[遅延の内訳]", "[what is late and why]"))
        headers = (
            ["organisation", "business", "vendor", "deadline", "projected", "overrun", "why"]
            if en()
            else ["団体", "業務", "ベンダー", "期限", "完了見込", "超過", "理由"]
        )
        if with_risk:
            headers.insert(6, t("期限内確率", "P(on time)"))
        rows = [
            [
                row.municipality,
                f"{row.business} {row.name}",
                row.vendor or "-",
                date(row.deadline) + (f" {t('特定', 'special')}" if row.special_support else ""),
                date(row.projected_finish),
                row.overrun_working_days,
                *([pct(row.probability, 1)] if with_risk else []),
                _why(row.reason, row.deadline_reason),
            ]
            for row in r.late[:LIST_LIMIT]
        ]
        lines.append(table(headers, rows, right=(5, 6) if with_risk else (5,)))
        lines.extend(_more(len(r.late)))
    return "\n".join(lines)


def risk_status(r: RollupResult) -> str:
    """Whether P(on time) was computed, and for how many plans: a probability is never guessed."""
    k = r.risk or {}
    if not k.get("computed"):
        return t(
            "期限内確率: 未計算 (--risk-runs N で計算、計画に risk.spread か三点見積があれば自動)",
            "P(on time): not computed (give --risk-runs N; plans with risk.spread or three-point "
            "estimates are simulated by default)",
        )
    runs = "/".join(f"{n:,}" for n in k.get("runs", []))
    return t(
        "期限内確率: {s} / {n} 計画でモンテカルロ ({r} 回試行) により計算 (他の計画は -)",
        "P(on time): Monte-Carlo ({r} runs) for {s} of {n} plans (- for the others)",
        s=k.get("plans_simulated"),
        n=k.get("plans"),
        r=runs,
    )


def _why(reason: str | None, deadline_reason: str | None) -> str:
    parts = [
        p
        for p in (reason, deadline_reason and t("期限延長の理由: ", "deadline extended: ") + deadline_reason)
        if p
    ]
    return " / ".join(parts) or "-"


def risk_assumptions(k: RiskResult) -> str:
    dist = "PERT-beta (λ=4)" if k.distribution == "pert" else t("三角分布", "triangular")
    if k.spread_source == "baseline" and k.calibration:
        c = k.calibration
        source = t(
            "基準計画 {b} 以降に完了した {n} 件の実績/計画比 (P10–P90) から補正",
            "calibrated on the actual/baseline ratio of {n} milestones finished since baseline {b} (P10–P90)",
            b=c["baseline"],
            n=c["observed"],
        )
    elif k.spread_source == "plan":
        source = t("計画の risk.spread", "the plan's risk.spread")
    else:
        source = t("幅なし (個別の見積のみ)", "no plan-wide spread (own estimates only)")
    return t(
        "{r} 回試行 (seed {s}), {d}; 楽観 {lo}× / 悲観 {hi}× 期間 ({src}); 幅のある工程 {n} 件",
        "{r} runs (seed {s}), {d}; optimistic {lo}× / pessimistic {hi}× duration ({src}); "
        "{n} milestones vary",
        r=f"{k.runs:,}",
        s=k.seed,
        d=dist,
        lo=f"{k.optimistic_factor:g}",
        hi=f"{k.pessimistic_factor:g}",
        src=source,
        n=k.uncertain_milestones,
    )


def risk_text(r: PlanResult, k: RiskResult) -> str:
    lines = _header(r)[:1]
    lines.append(t("期限リスク (モンテカルロ): ", "deadline risk (Monte-Carlo): ") + risk_assumptions(k))
    lines.append("")
    headers = (
        ["business", "deadline", "projected (CPM)", "P(on time)", "P50", "P80", "P95"]
        if en()
        else ["業務", "期限", "完了見込(CPM)", "期限内確率", "P50", "P80", "P95"]
    )
    rows = []
    for b in r.businesses:
        rb = k.business(b.id)
        rows.append(
            [
                business_label(b),
                deadline(b),
                _finish(b),
                pct(rb.probability, 1),
                date(rb.p50),
                date(rb.p80),
                date(rb.p95),
            ]
        )
    lines.append(table(headers, rows, right=(3,)))
    crit = [(b, k.business(b.id)) for b in r.businesses if k.business(b.id).criticality]
    if crit:
        lines.append("")
        lines.append(
            t(
                "クリティカル指数 (期限の工程へのドライビングチェーンに入った試行の割合):",
                "criticality index (share of runs on the driving chain to the deadline milestone):",
            )
        )
        for b, rb in crit:
            items = ", ".join(f"{c.key} {c.index * 100:.0f}%" for c in rb.criticality)
            lines.append(f"  {b.id}: {items}")
    lines.append("")
    lines.append(
        t(
            "P50/P80/P95: その日までに期限の工程が完了した試行の割合 (営業日、政府の休日カレンダー)",
            "P50/P80/P95: the deadline milestones finish by that date in 50/80/95% of the runs "
            "(working days, government calendar)",
        )
    )
    return "\n".join(lines)
