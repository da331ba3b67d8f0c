"""The roll-up's columnar path (migrate.plan.columns) against the per-plan path: equal results."""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrate.cli import plan as cli_plan
from migrate.cli.plan import rollup_files
from migrate.plan.catalog import business_catalog
from migrate.plan.columns import Fallback, read, read_batch
from migrate.plan.engine import compute
from migrate.plan.load import load_plan
from migrate.plan.rollup import _rows
from tests.conftest import run
from tests.plan import rollup_cases
from tests.plan.rollup_cases import AS_OF, GATES, load_reference, per_plan_rollup, relative, write_cases
from tests.plan.util import plan_data

CATALOG = business_catalog()


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path], dict[str, Any]]:
    texts, expected = load_reference()
    folder = tmp_path_factory.mktemp("cases")
    return folder, write_cases(folder, texts), expected


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_rollup_equals_the_stored_reference_of_the_per_plan_path(
    reference: tuple[Path, list[Path], dict[str, Any]], jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, paths, expected = reference
    monkeypatch.setattr(cli_plan, "FAST_BATCH", 5)  # several batches: over 2 processes with jobs=2
    got = relative(rollup_files(paths, AS_OF, gates=GATES, jobs=jobs).to_dict(), folder)
    assert got == expected
    # the cases exercise what the columnar path reads and what it leaves to the per-plan path
    fast = read_batch(paths, AS_OF, CATALOG, set(CATALOG))
    fallback = {p.name for p, r in zip(paths, fast, strict=True) if r is None}
    assert fallback == {"demo-plan.yaml", "demo-plan-town.yaml", "plan-015849.json", "plan-044245.json"}
    codes = {r["reason_code"] for r in expected["rows"]}
    assert {"progress-behind", "start-overdue", "migrated-late", "gate-failed", None} <= codes
    assert {r["status"] for r in expected["rows"]} == {"green", "amber", "red"}
    assert expected["risk"]["plans_simulated"] == 2


@pytest.mark.parametrize("as_of", [dt.date(2025, 10, 1), dt.date(2026, 11, 24)])
def test_the_rollup_equals_the_per_plan_path_at_other_dates(
    reference: tuple[Path, list[Path], dict[str, Any]], as_of: dt.date, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, paths, _ = reference
    monkeypatch.setattr(rollup_cases, "AS_OF", as_of)
    assert rollup_files(paths, as_of, gates=GATES, jobs=1).to_dict() == per_plan_rollup(paths)


def test_english_messages_are_equal_too(reference: tuple[Path, list[Path], dict[str, Any]]) -> None:
    from migrate.i18n import set_lang

    _, paths, _ = reference
    set_lang("en")
    got = rollup_files(paths[:8], AS_OF, gates=GATES, jobs=2).to_dict()
    assert got == per_plan_rollup(paths[:8])
    assert any("working days" in (r["reason"] or "") for r in got["rows"])


@st.composite
def milestones(draw: st.DrawFn, n: int) -> list[dict[str, Any]]:
    """Statuses, actuals before and after the as-of date, progress, planned starts, finish_by."""
    out = []
    day = lambda lo, hi: (AS_OF + dt.timedelta(days=draw(st.integers(lo, hi)))).isoformat()  # noqa: E731
    for i in range(n):
        m: dict[str, Any] = {"id": f"m{i}", "name": f"M{i}", "duration": draw(st.integers(0, 12))}
        deps = draw(st.lists(st.integers(0, i - 1), max_size=2, unique=True)) if i else []
        m["depends_on"] = [f"m{d}" for d in deps]
        kind = draw(st.sampled_from(["none", "done", "going", "na", "status", "rewound"]))
        if kind == "done":
            m |= {"actual_start": day(-60, -20), "actual_finish": day(-19, 0), "status": "完了済み"}
        elif kind == "going":
            m["actual_start"] = day(-30, 0)
            if draw(st.booleans()):
                m["progress"] = draw(st.integers(0, 100))
        elif kind == "na":
            m["status"] = "対象外"
        elif kind == "status":
            m["status"] = draw(st.sampled_from(["未着手", "作業中", "完了済み", "done", " Completed "]))
        elif kind == "rewound":
            m |= {"actual_start": day(-10, 5), "actual_finish": day(6, 20), "status": "完了済み"}
        if draw(st.booleans()):
            m["planned_start"] = day(-20, 40)
        if draw(st.integers(0, 5)) == 0:
            m["finish_by"] = day(0, 60)
        if draw(st.booleans()):
            m["step"] = i + 1
        out.append(m)
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(1, 8).flatmap(milestones),
    st.integers(1, 6).flatmap(milestones),
    st.integers(-60, 200),
    st.sampled_from([None, {"amber_below": 5, "red_below": -3}]),
)
def test_columnar_rows_equal_the_per_plan_rows_on_random_plans(
    juki: list[dict[str, Any]], kokuho: list[dict[str, Any]], slack: int, thresholds: Any
) -> None:
    kokuho[-1]["depends_on"] = [*kokuho[-1]["depends_on"], f"juki:{juki[-1]['id']}"]
    deadline = (AS_OF + dt.timedelta(days=slack)).isoformat()
    data = plan_data(
        {"juki": {"milestones": juki, "deadline": deadline}, "kokuho": kokuho},
        start=(AS_OF - dt.timedelta(days=70)).isoformat(),
        **({"thresholds": thresholds} if thresholds else {}),
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        (got,) = read_batch([path], AS_OF, CATALOG, set(CATALOG))
        expected = compute(load_plan(path, set(CATALOG)), AS_OF, path=path)
    assert got is not None  # every field here is one the columnar path reads
    assert [r.to_dict() for r in got.rows] == [r.to_dict() for r in _rows(expected)]
    assert got.national == expected.national


def test_unusual_plans_take_the_per_plan_path(tmp_path: Path) -> None:
    base = plan_data({"juki": [{"id": "a", "name": "A", "duration": 3}]})
    variants = {
        "gate": {"gate": {"metric": "juki.readiness", "min": 0.9}},
        "estimate": {"optimistic": 2},
        "no-duration": {"duration": None, "planned_start": "2026-06-01", "planned_finish": "2026-06-05"},
        "string-duration": {"duration": "3"},
        "bool-progress": {"progress": True, "actual_start": "2026-06-01"},
        "datetime": {"actual_start": "2026-06-01T00:00:00"},
        "unknown-field": {"owner": "x"},
        "list-date": {"actual_start": ["2026-06-01"]},
        "reversed": {"actual_start": "2026-06-05", "actual_finish": "2026-06-01"},
        "bad-status": {"status": "済"},
    }
    for name, change in variants.items():
        data = json.loads(json.dumps(base))
        data["businesses"][0]["milestones"][0] |= change
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        with pytest.raises(Fallback):
            read(path)
    ok = tmp_path / "ok.json"
    ok.write_text(json.dumps(base), encoding="utf-8")
    assert read(ok).duration == [3]


def test_a_broken_plan_among_many_names_its_file_and_line(
    reference: tuple[Path, list[Path], dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, paths, _ = reference
    folder = tmp_path / "plans"
    folder.mkdir()
    for p in paths:
        if p.suffix == ".json":
            (folder / p.name).write_bytes(p.read_bytes())
    victim = sorted(folder.iterdir())[9]
    lines = victim.read_text(encoding="utf-8").splitlines()
    lines[40] = re.sub(r'"duration": \d+', '"duration": -5', lines[40])  # a milestone of businesses[0]
    victim.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(cli_plan, "FAST_BATCH", 4)
    res = run("--lang", "en", "plan", "rollup", str(folder), "--as-of", AS_OF.isoformat())
    assert res.exit_code == 3, res.output
    assert f"{victim.name}:41" in res.output and "duration" in res.output
    assert "Traceback" not in res.output


def test_a_rows_dict_is_the_generic_one(reference: tuple[Path, list[Path], dict[str, Any]]) -> None:
    from migrate.plan.result import _ToDict

    _, paths, _ = reference
    rows = rollup_files(paths[2:4], AS_OF, jobs=1).rows
    assert rows and all(r.to_dict() == _ToDict.to_dict(r) for r in rows)
