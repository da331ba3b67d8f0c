"""Benchmark: `plan rollup` over every municipality (1,741 × 20 businesses × 40 steps, generated).

Run: .venv/bin/python bench/rollup_bench.py [--municipalities N] [--repeat N] [--keep DIR]
Generates one plan per municipality of migrate/data/lg-codes.csv (the real 全国地方公共団体コード,
prefectures and the wards of designated cities left out: 1,741 organisations) into a temporary
folder, then runs `migrate plan rollup FOLDER --format json` in a child process and prints its wall
time (best of `repeat`), its peak RSS, and an excerpt of the per-prefecture 完了率 / 作業中率 / 未着手率
table. The plans are made from the standard 40-step template with seeded variation per
municipality: start dates, durations (0.7–1.6×), how far each business got (done, one step in
progress with a progress %, the rest not started), steps that do not apply (対象外), vendors and
some 特定移行支援システム with a later deadline.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

AS_OF = dt.date(2025, 10, 1)
VENDORS = [f"ベンダー{c}" for c in "ABCDEFGHIJKLMNOPQRST"]


def municipalities() -> list[tuple[str, str, str]]:
    """(lg_code, prefecture, name) of every 市区町村 in the bundled code list (no prefectures, no 行政区)."""
    with open(ROOT / "migrate" / "data" / "lg-codes.csv", encoding="utf-8", newline="") as f:
        return [
            (r["lgcode"], r["prefecture"], r["name"])
            for r in csv.DictReader(f)
            if r["lgcode"][2:5] != "000" and " " not in r["name"] and r["name"]
        ]


def _add_days(d: dt.date, working_days: float) -> dt.date:
    """About that many working days later (7/5 calendar days each): the generator needs no calendar."""
    return d + dt.timedelta(days=max(0, round(working_days * 7 / 5)))


def plan_data(
    lg_code: str, prefecture: str, name: str, template: Any, catalog: Any, rnd: random.Random
) -> dict[str, Any]:
    """One municipality's plan (`kind: migrate/plan`) with seeded actuals as of AS_OF."""
    start = dt.date(2023, 4, 3) + dt.timedelta(days=rnd.randrange(0, 150))
    pace = rnd.uniform(0.75, 1.5)  # how far this municipality got by the as-of date
    rules: dict[str, list[str]] = {}
    for rule in template.cross_business:
        for bid in catalog:
            if rule.applies_to(bid):
                rules.setdefault(f"{bid}:{rule.step}", []).append(rule.depends_on)
    businesses = []
    for bid, info in catalog.items():
        special = rnd.random() < 0.08
        b: dict[str, Any] = {"id": bid, "name": info.name_ja, "vendor": rnd.choice(VENDORS)}
        b["deadline"] = f"{2026 + rnd.randrange(1, 5)}-03-31" if special else "2026-03-31"
        if special:
            b |= {"special_support": True, "deadline_reason": "特定移行支援システム (ベンダー撤退)"}
        milestones = []
        budget = (AS_OF - start).days * pace * rnd.uniform(0.8, 1.2)
        cursor, spent, open_ = start, 0.0, True
        for st in template.steps:
            m: dict[str, Any] = {
                "id": st.id,
                "name": st.name_ja,
                "phase": st.phase,
                "step": st.step,
                "duration": max(0, round(st.duration * rnd.uniform(0.6, 1.3))),
                "depends_on": [*st.depends_on, *rules.get(f"{bid}:{st.id}", ())],
            }
            if rnd.random() < 0.03 and st.id != "s36":
                m["status"] = "対象外"
            elif open_:
                took = m["duration"] * rnd.uniform(0.8, 1.5)
                finish = _add_days(cursor, max(0, took - 1))
                if spent + took * 7 / 5 <= budget and finish < AS_OF:
                    m |= {"actual_start": str(cursor), "actual_finish": str(finish), "status": "完了済み"}
                    cursor, spent = finish + dt.timedelta(days=1), spent + took * 7 / 5
                else:
                    if cursor < AS_OF:
                        m |= {
                            "actual_start": str(cursor),
                            "progress": rnd.randrange(0, 95),
                            "status": "作業中",
                        }
                    open_ = False
            milestones.append(m)
        businesses.append({**b, "milestones": milestones})
    return {
        "kind": "migrate/plan",
        "format": 1,
        "municipality": {"name": name, "lg_code": lg_code, "prefecture": prefecture},
        "start": str(start),
        "deadline_milestones": ["s36"],
        "template": template.id,
        "businesses": businesses,
    }


def plan_text(data: dict[str, Any]) -> str:
    """JSON (which is YAML too) with one milestone a line: what a tool exporting plans would write."""
    dump = lambda v: json.dumps(v, ensure_ascii=False)  # noqa: E731
    head = ",\n".join(f"  {dump(k)}: {dump(v)}" for k, v in data.items() if k != "businesses")
    parts = []
    for b in data["businesses"]:
        fields = ", ".join(f"{dump(k)}: {dump(v)}" for k, v in b.items() if k != "milestones")
        rows = ",\n".join(f"      {dump(m)}" for m in b["milestones"])
        parts.append(f'    {{{fields}, "milestones": [\n{rows}\n    ]}}')
    return "{\n" + head + ',\n  "businesses": [\n' + ",\n".join(parts) + "\n  ]\n}\n"


def generate(folder: Path, count: int | None = None, seed: int = 0) -> list[Path]:
    """Write one plan per municipality into folder (the first `count` of the code list); their paths."""
    from migrate.plan.catalog import business_catalog
    from migrate.plan.template import load_template

    template, catalog = load_template(), business_catalog()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for lg_code, prefecture, name in municipalities()[:count]:
        rnd = random.Random(f"{seed}:{lg_code}")
        path = folder / f"plan-{lg_code}.json"
        path.write_text(
            plan_text(plan_data(lg_code, prefecture, name, template, catalog, rnd)), encoding="utf-8"
        )
        paths.append(path)
    return paths


def run(count: int | None = None, repeat: int = 3, keep: Path | None = None) -> dict[str, Any]:
    """Generate, roll up `repeat` times; wall (best), peak RSS, rows, the per-prefecture figures."""
    with tempfile.TemporaryDirectory(prefix="rollup-bench-") as tmp:
        folder = keep or Path(tmp)
        t0 = time.perf_counter()
        paths = generate(folder, count)
        t_gen = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in paths)
        cmd = [sys.executable, "-m", "migrate", "plan", "rollup", str(folder), "--as-of", AS_OF.isoformat()]
        cmd += ["--format", "json"]
        best, peak, code, out = float("inf"), 0, 0, b""
        for _ in range(repeat):
            wall, rss, code, out = _measure_child(cmd)
            best, peak = min(best, wall), max(peak, rss)
        data = json.loads(out)["data"] if code in (0, 1) and out else {}
        return {
            "plans": len(paths),
            "milestones": len(paths) * 800,
            "bytes": size,
            "generate": t_gen,
            "wall": best,
            "rss": peak,
            "exit": code,
            "data": data,
        }


def _measure_child(cmd: list[str]) -> tuple[float, int, int, bytes]:
    """(wall, peak RSS of that child, exit code, stdout)."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        out.seek(0)
        return wall, usage.ru_maxrss * 1024, os.waitstatus_to_exitcode(status), out.read()


def lines(res: dict[str, Any], excerpt: int = 8) -> list[str]:
    data = res["data"]
    head = (
        f"plan rollup: {res['plans']:,} municipalities × 20 businesses × 40 steps "
        f"({res['milestones']:,} milestones, {res['bytes'] / 1e6:,.0f} MB of YAML, generated in "
        f"{res['generate']:.1f} s): {res['wall']:.1f} s, peak RSS {res['rss'] / 1e6:,.0f} MB "
        f"(exit {res['exit']})"
    )
    out = [head]
    prefs = data.get("by_prefecture") or []
    if prefs:
        out.append(
            f"  {'prefecture':<8} {'orgs':>5} {'完了率':>7} {'作業中率':>8} {'未着手率':>8} {'late':>6}"
        )
        for p in prefs[:excerpt]:
            n = p["national"]
            out.append(
                f"  {p['label']:<8} {p['municipalities']:>5} {n['completion_rate']:>6.1f}% "
                f"{n['in_progress_rate']:>7.1f}% {n['not_started_rate']:>7.1f}% {p['late']:>6}"
            )
        out.append(
            f"  … {len(prefs)} prefectures in all; national 完了率 {data['national']['completion_rate']}%"
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--municipalities", type=int, default=None, help="default: all 1,741")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the plans here (kept) instead of a temp folder")
    args = parser.parse_args()
    print("\n".join(lines(run(args.municipalities, args.repeat, args.keep))))


if __name__ == "__main__":
    main()
