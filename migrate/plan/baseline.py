"""Baselines: a named snapshot of a plan's dates, saved beside the plan, to measure slip against."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrate.atomic import write_text
from migrate.errors import ConfigError, UsageError
from migrate.i18n import t
from migrate.plan.result import PlanResult

BASELINE_KIND = "migrate/plan-baseline"
NAME_RE = re.compile(r"^\w[\w.-]*$")


@dataclass(frozen=True)
class BaselineMilestone:
    start: dt.date | None
    finish: dt.date | None
    duration: int


@dataclass(frozen=True)
class BaselineBusiness:
    deadline: dt.date
    projected_finish: dt.date | None
    status: str
    float_days: int | None
    milestones: dict[str, BaselineMilestone]


@dataclass(frozen=True)
class Baseline:
    name: str
    as_of: dt.date
    municipality: str
    lg_code: str
    businesses: dict[str, BaselineBusiness]

    def finish_of(self, key: str) -> dt.date | None:
        business, _, milestone = key.partition(":")
        b = self.businesses.get(business)
        m = b.milestones.get(milestone) if b else None
        return m.finish if m else None


def baseline_dir(plan_path: str | Path) -> Path:
    """`plan.yaml` keeps its baselines in `plan.baselines/` beside it."""
    p = Path(plan_path)
    return p.with_name(f"{p.stem}.baselines")


def check_name(name: str) -> str:
    if not NAME_RE.match(name):
        raise UsageError(
            t("基準計画の名前 {n} は使えません", "baseline name {n} is not allowed", n=name),
            hint=t(
                "英数字・かな漢字と . _ - で付けてください (例: R8-04)",
                "use letters, digits and . _ - (e.g. 2026-04)",
            ),
        )
    return name


def snapshot(result: PlanResult, name: str) -> Baseline:
    return Baseline(
        name=check_name(name),
        as_of=result.as_of,
        municipality=result.municipality,
        lg_code=result.lg_code,
        businesses={
            b.id: BaselineBusiness(
                deadline=b.deadline,
                projected_finish=b.projected_finish,
                status=b.status,
                float_days=b.float_days,
                milestones={m.id: BaselineMilestone(m.start, m.finish, m.duration) for m in b.milestones},
            )
            for b in result.businesses
        },
    )


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def to_data(baseline: Baseline) -> dict[str, Any]:
    return {
        "kind": BASELINE_KIND,
        "format": 1,
        "name": baseline.name,
        "as_of": baseline.as_of.isoformat(),
        "municipality": baseline.municipality,
        "lg_code": baseline.lg_code,
        "businesses": {
            bid: {
                "deadline": b.deadline.isoformat(),
                "projected_finish": _iso(b.projected_finish),
                "status": b.status,
                "float_days": b.float_days,
                "milestones": {
                    mid: {"start": _iso(m.start), "finish": _iso(m.finish), "duration": m.duration}
                    for mid, m in b.milestones.items()
                },
            }
            for bid, b in baseline.businesses.items()
        },
    }


def _date(v: Any) -> dt.date | None:
    return dt.date.fromisoformat(v) if v else None


def from_data(data: Any, path: Path) -> Baseline:
    try:
        if data.get("kind") != BASELINE_KIND or data.get("format") != 1:
            raise ValueError(f"kind must be {BASELINE_KIND} and format 1")
        return Baseline(
            name=str(data["name"]),
            as_of=dt.date.fromisoformat(data["as_of"]),
            municipality=str(data["municipality"]),
            lg_code=str(data["lg_code"]),
            businesses={
                bid: BaselineBusiness(
                    deadline=dt.date.fromisoformat(b["deadline"]),
                    projected_finish=_date(b.get("projected_finish")),
                    status=str(b.get("status", "")),
                    float_days=b.get("float_days"),
                    milestones={
                        mid: BaselineMilestone(
                            _date(m.get("start")), _date(m.get("finish")), int(m["duration"])
                        )
                        for mid, m in b["milestones"].items()
                    },
                )
                for bid, b in data["businesses"].items()
            },
        )
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise ConfigError(
            t("基準計画ファイルが壊れています: {e}", "the baseline file is broken: {e}", e=exc),
            path=path,
            hint=t(
                "保存し直してください (migrate plan baseline save)",
                "save it again (migrate plan baseline save)",
            ),
        ) from None


def save(plan_path: str | Path, baseline: Baseline, *, force: bool = False) -> Path:
    target = baseline_dir(plan_path) / f"{check_name(baseline.name)}.json"
    if target.exists() and not force:
        raise UsageError(
            t("基準計画 {n} は既にあります", "baseline {n} already exists", n=baseline.name),
            path=target,
            hint=t("上書きするには --force を付けてください", "pass --force to replace it"),
        )
    text = json.dumps(to_data(baseline), ensure_ascii=False, indent=1) + "\n"
    return write_text(target, text)


def list_baselines(plan_path: str | Path) -> list[Baseline]:
    folder = baseline_dir(plan_path)
    if not folder.is_dir():
        return []
    return sorted((load_file(p) for p in folder.glob("*.json")), key=lambda b: (b.as_of, b.name))


def load_file(path: Path) -> Baseline:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(
            t("基準計画ファイルを読めません: {e}", "cannot read the baseline file: {e}", e=exc), path=path
        ) from None
    return from_data(data, path)


def load(plan_path: str | Path, name: str) -> Baseline:
    path = baseline_dir(plan_path) / f"{check_name(name)}.json"
    if not path.is_file():
        names = [b.name for b in list_baselines(plan_path)]
        raise UsageError(
            t("基準計画 {n} がありません", "no baseline named {n}", n=name),
            path=path,
            hint=t("ある基準計画: {l}", "baselines: {l}", l=", ".join(names))
            if names
            else t(
                "migrate plan baseline save NAME PLAN で保存してください",
                "save one with migrate plan baseline save NAME PLAN",
            ),
        )
    return load_file(path)
