"""Roll-up of several plans (a prefecture's municipalities, a shared-procurement group).

How many businesses and municipalities are late, by how much, and why; grouped by municipality,
business and vendor (most delays are vendor staff shortages, so the vendor view matters).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from migrate.errors import UsageError
from migrate.i18n import t
from migrate.plan.national import combine
from migrate.plan.result import BusinessResult, NationalFigures, Note, PlanResult, Status, _ToDict


@dataclass(frozen=True)
class RollupRow(_ToDict):
    """One business of one municipality."""

    municipality: str
    lg_code: str
    group: str | None
    business: str
    name: str
    vendor: str | None
    deadline: dt.date
    special_support: bool
    deadline_reason: str | None
    projected_finish: dt.date | None
    migrated: bool
    status: Status
    float_days: int | None
    overrun_working_days: int
    overrun_calendar_days: int
    reason: str | None  # the first reason that is a cause (else the overrun itself)
    reason_code: str | None
    completion_rate: float
    probability: float | None = None  # P(on time) from `plan risk`, when the plan was simulated

    def to_dict(self) -> dict[str, Any]:
        """As _ToDict gives it, written out (a national roll-up has 34,820 rows, twice in JSON)."""
        pf = self.projected_finish
        return {
            "municipality": self.municipality,
            "lg_code": self.lg_code,
            "group": self.group,
            "business": self.business,
            "name": self.name,
            "vendor": self.vendor,
            "deadline": self.deadline.isoformat(),
            "special_support": self.special_support,
            "deadline_reason": self.deadline_reason,
            "projected_finish": pf.isoformat() if pf is not None else None,
            "migrated": self.migrated,
            "status": self.status,
            "float_days": self.float_days,
            "overrun_working_days": self.overrun_working_days,
            "overrun_calendar_days": self.overrun_calendar_days,
            "reason": self.reason,
            "reason_code": self.reason_code,
            "completion_rate": self.completion_rate,
            "probability": self.probability,
        }


@dataclass(frozen=True)
class Summary(_ToDict):
    """Counts for one municipality, business or vendor."""

    key: str
    label: str
    municipalities: int
    businesses: int
    migrated: int
    green: int
    amber: int
    red: int
    late: int  # projected (or finished) after the deadline
    max_overrun_working_days: int
    max_overrun_calendar_days: int
    special_support: int  # 特定移行支援システム
    deadline_reasons: tuple[str, ...]
    national: NationalFigures | None = None
    # Σ (1 − P(on time)) over the simulated businesses: how many to expect late (probabilities add
    # up this way whatever their correlation; a joint "all on time" would need the runs themselves).
    expected_late: float | None = None


@dataclass(frozen=True)
class RollupResult(_ToDict):
    as_of: dt.date
    totals: Mapping[str, int]
    national: NationalFigures
    municipalities: tuple[Summary, ...]
    by_business: tuple[Summary, ...]
    by_vendor: tuple[Summary, ...]
    late: tuple[RollupRow, ...]  # red or late rows, the largest overrun first
    rows: tuple[RollupRow, ...]
    paths: tuple[str, ...]
    # per prefecture (the first two digits of the 団体コード): counts and 完了率 / 作業中率 / 未着手率
    by_prefecture: tuple[Summary, ...] = ()
    # whether P(on time) was computed: plans simulated of plans, the runs used (never guessed)
    risk: Mapping[str, Any] | None = None


def _cause(b: BusinessResult) -> Note | None:
    """The first reason that explains (rather than restates) the business's position."""
    return next((n for n in b.reasons if n.code != "deadline-overrun"), b.reasons[0] if b.reasons else None)


def _expected_late(rows: Sequence[RollupRow]) -> float | None:
    ps = [r.probability for r in rows if r.probability is not None]
    return round(sum(1 - p for p in ps), 2) if ps else None


def _probability(result: PlanResult, business: str) -> float | None:
    return result.risk.business(business).probability if result.risk is not None else None


def _rows(result: PlanResult) -> list[RollupRow]:
    return [
        RollupRow(
            municipality=result.municipality,
            lg_code=result.lg_code,
            group=result.group,
            business=b.id,
            name=b.name,
            vendor=b.vendor,
            deadline=b.deadline,
            special_support=b.special_support,
            deadline_reason=b.deadline_reason,
            projected_finish=b.projected_finish,
            migrated=b.migrated,
            status=b.status,
            float_days=b.float_days,
            overrun_working_days=b.overrun_working_days,
            overrun_calendar_days=b.overrun_calendar_days,
            reason=cause.message if (cause := _cause(b)) else None,
            reason_code=cause.code if cause else None,
            completion_rate=b.national.completion_rate,
            probability=_probability(result, b.id),
        )
        for b in result.businesses
    ]


def _summary(
    key: str, label: str, rows: Sequence[RollupRow], national: NationalFigures | None = None
) -> Summary:
    return Summary(
        key=key,
        label=label,
        municipalities=len({r.lg_code for r in rows}),
        businesses=len(rows),
        migrated=sum(r.migrated for r in rows),
        green=sum(r.status == "green" for r in rows),
        amber=sum(r.status == "amber" for r in rows),
        red=sum(r.status == "red" for r in rows),
        late=sum(r.overrun_working_days > 0 for r in rows),
        max_overrun_working_days=max((r.overrun_working_days for r in rows), default=0),
        max_overrun_calendar_days=max((r.overrun_calendar_days for r in rows), default=0),
        special_support=sum(r.special_support for r in rows),
        deadline_reasons=tuple(sorted({r.deadline_reason for r in rows if r.deadline_reason})),
        national=national,
        expected_late=_expected_late(rows),
    )


def _group(
    rows: Iterable[RollupRow], key: Callable[[RollupRow], str], label: Callable[[RollupRow], str]
) -> list[Summary]:
    groups: dict[str, list[RollupRow]] = {}
    for r in rows:
        groups.setdefault(key(r), []).append(r)
    out = [_summary(k, label(v[0]), v) for k, v in groups.items()]
    return sorted(out, key=lambda s: (-s.red, -s.late, -s.max_overrun_working_days, s.key))


def _prefecture_names() -> dict[str, str]:
    """The 2-digit prefecture code → its name, from the bundled 全国地方公共団体コード list."""
    import csv
    from importlib import resources

    text = (resources.files("migrate") / "data" / "lg-codes.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    return {r["lgcode"][:2]: r["prefecture"] for r in rows if r["lgcode"][2:5] == "000"}


def prefecture_of(lg_code: str) -> str:
    """The prefecture of a 全国地方公共団体コード: its first two digits (01 北海道 … 47 沖縄県)."""
    return lg_code[:2]


class RollupBuilder:
    """Adds plan results one at a time and keeps only their rows and summaries (bounded memory)."""

    def __init__(self) -> None:
        self.rows: list[RollupRow] = []
        self.municipalities: list[Summary] = []
        self.prefecture: dict[str, list[Summary]] = {}
        self.seen: dict[str, str] = {}
        self.as_of: dt.date | None = None
        self.simulated = 0  # plans with Monte-Carlo probabilities
        self.runs: set[int] = set()
        self.plans = 0

    def add(self, r: PlanResult) -> None:
        self.add_rows(r.lg_code, r.municipality, r.path, r.as_of, _rows(r), r.national, r.risk)

    def add_rows(
        self,
        lg_code: str,
        municipality: str,
        path: str | None,
        as_of: dt.date,
        rows: Sequence[RollupRow],
        national: NationalFigures,
        risk: Any = None,
    ) -> None:
        """One plan's rows (`_rows` of its result, or the roll-up's columnar path's)."""
        if lg_code in self.seen:
            raise UsageError(
                t(
                    "団体コード {c} の計画が2つあります ({a}, {b})",
                    "two plans for 団体コード {c} ({a}, {b})",
                    c=lg_code,
                    a=self.seen[lg_code],
                    b=path,
                )
            )
        self.seen[lg_code] = path or municipality
        self.as_of = self.as_of or as_of
        self.plans += 1
        if risk is not None:
            self.simulated += 1
            self.runs.add(risk.runs)
        self.rows.extend(rows)
        summary = _summary(lg_code, municipality, rows, national)
        self.municipalities.append(summary)
        self.prefecture.setdefault(prefecture_of(lg_code), []).append(summary)

    def result(self, paths: Sequence[str] = ()) -> RollupResult:
        if not self.plans or self.as_of is None:
            raise UsageError(t("計画ファイルを1つ以上指定してください", "give at least one plan file"))
        rows = self.rows
        municipalities = sorted(
            self.municipalities, key=lambda s: (-s.red, -s.late, -s.max_overrun_working_days, s.key)
        )
        names = _prefecture_names()
        pref_rows: dict[str, list[RollupRow]] = {}
        for row in rows:
            pref_rows.setdefault(prefecture_of(row.lg_code), []).append(row)
        prefectures = tuple(
            _merge(code, names.get(code, code), items, pref_rows.get(code, []))
            for code, items in sorted(self.prefecture.items())
        )
        unassigned = t("(ベンダー未設定)", "(no vendor)")
        late = sorted(
            (r for r in rows if r.status == "red" or r.overrun_working_days > 0),
            key=lambda r: (-r.overrun_working_days, r.lg_code, r.business),
        )
        totals: dict[str, Any] = {
            "municipalities": self.plans,
            "municipalities_late": sum(1 for m in municipalities if m.late),
            "municipalities_red": sum(1 for m in municipalities if m.red),
            "businesses": len(rows),
            "migrated": sum(r.migrated for r in rows),
            "green": sum(r.status == "green" for r in rows),
            "amber": sum(r.status == "amber" for r in rows),
            "red": sum(r.status == "red" for r in rows),
            "late": sum(r.overrun_working_days > 0 for r in rows),
            "special_support": sum(r.special_support for r in rows),
            "max_overrun_working_days": max((r.overrun_working_days for r in rows), default=0),
            "expected_late": _expected_late(rows),
        }
        risk = {
            "computed": self.simulated > 0,
            "plans_simulated": self.simulated,
            "plans": self.plans,
            "runs": sorted(self.runs),
        }
        return RollupResult(
            as_of=self.as_of,
            totals=totals,
            national=combine(m.national for m in self.municipalities if m.national is not None),
            municipalities=tuple(municipalities),
            by_business=tuple(_group(rows, lambda r: r.business, lambda r: r.name)),
            by_vendor=tuple(_group(rows, lambda r: r.vendor or unassigned, lambda r: r.vendor or unassigned)),
            late=tuple(late),
            rows=tuple(rows),
            paths=tuple(paths),
            by_prefecture=prefectures,
            risk=risk,
        )


def _merge(key: str, label: str, items: Sequence[Summary], rows: Sequence[RollupRow]) -> Summary:
    """A prefecture's summary from its municipalities' (national figures: the sums of theirs)."""
    return Summary(
        key=key,
        label=label,
        municipalities=sum(m.municipalities for m in items),
        businesses=sum(m.businesses for m in items),
        migrated=sum(m.migrated for m in items),
        green=sum(m.green for m in items),
        amber=sum(m.amber for m in items),
        red=sum(m.red for m in items),
        late=sum(m.late for m in items),
        max_overrun_working_days=max((m.max_overrun_working_days for m in items), default=0),
        max_overrun_calendar_days=max((m.max_overrun_calendar_days for m in items), default=0),
        special_support=sum(m.special_support for m in items),
        deadline_reasons=tuple(sorted({x for m in items for x in m.deadline_reasons})),
        national=combine(m.national for m in items if m.national is not None),
        expected_late=_expected_late(rows),
    )


def rollup(results: Iterable[PlanResult], paths: Sequence[str] = ()) -> RollupResult:
    """The roll-up of plan results (consumed one at a time: only rows and summaries are kept)."""
    builder = RollupBuilder()
    for r in results:
        builder.add(r)
    return builder.result(paths)
