"""Small hand-written plans for the plan tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from migrate.plan.model import Plan

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "demo" / "plan.yaml"
DEMO_TOWN = ROOT / "demo" / "plan-town.yaml"
D = dt.date


def plan_data(
    businesses: dict[str, Any],
    *,
    start: str = "2026-06-01",
    lg_code: str = "131016",
    **top: Any,
) -> dict[str, Any]:
    """businesses: id -> list of milestones, or a dict with milestones and business fields."""
    out = []
    for bid, spec in businesses.items():
        if isinstance(spec, list):
            spec = {"milestones": spec}
        spec = {"deadline": "2040-03-30", "deadline_reason": "test", **spec}
        out.append({"id": bid, **spec})
    return {
        "kind": "migrate/plan",
        "format": 1,
        "municipality": {"name": "テスト市", "lg_code": lg_code},
        "start": start,
        **top,
        "businesses": out,
    }


def make_plan(businesses: dict[str, Any], **kw: Any) -> Plan:
    return Plan.model_validate(yaml.safe_load(yaml.safe_dump(plan_data(businesses, **kw))))


def write_plan(path: Path, businesses: dict[str, Any], **kw: Any) -> Path:
    path.write_text(yaml.safe_dump(plan_data(businesses, **kw), allow_unicode=True), encoding="utf-8")
    return path


def ms(mid: str, duration: int, *deps: str, **fields: Any) -> dict[str, Any]:
    return {"id": mid, "name": mid.upper(), "duration": duration, "depends_on": list(deps), **fields}


# a(3) → b(2) → d(1); a → c(5) → d. Critical: a, c, d (9 working days). b has 3 days of float.
DIAMOND = [ms("a", 3), ms("b", 2, "a"), ms("c", 5, "a"), ms("d", 1, "b", "c")]
