"""Benchmark: `plan rollup` over every municipality (1,741 × 20 businesses × 40 steps, generated).

Run: .venv/bin/python bench/rollup_bench.py [--municipalities N] [--repeat N] [--keep DIR]
(`make bench` runs it too.) It prints the wall time (best of `repeat`) and that run's CPU time
(user + system of the command and its worker processes), plans/s and the peak RSS of the largest
process.
Generates one plan per municipality of migrate/data/lg-codes.csv (the real 全国地方公共団体コード,
prefectures and the wards of designated cities left out: 1,741 organisations) into a temporary
folder, then runs `migrate plan rollup FOLDER --format json` in a child process and prints its wall
time (best of `repeat`), its peak RSS, and an excerpt of the per-prefecture 完了率 / 作業中率 / 未着手率
table. The plans are made from the standard 40-step template with seeded variation per
municipality: start dates, durations (0.6–1.3×), a cut-over date per business from the mix below
(steps before it done at a pace that lands there, one step in progress with a progress %, the rest
not started), steps that do not apply (対象外), vendors, and 特定移行支援システム with later deadlines.
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

# The mix (documented, tuned to the national picture after the 令和7年度末 target): as of AS_OF most
# systems were cut over (本番移行, s36, 完了済み) by the 2026-03-31 target; SPECIAL_SHARE of them are
# 特定移行支援システム with a deadline from 2027-03-31 to 2030-03-31, cut over some months before it
# (a few after it); of the others LATE_SHARE were cut over after the target (amber: migrated late)
# and OPEN_SHARE are still open (red). Operation after the cut-over (s37–s40) goes on at the
# template's pace.
AS_OF = dt.date(2026, 6, 1)
TARGET = dt.date(2026, 3, 31)
SPECIAL_SHARE = 0.29
LATE_SHARE = 0.04
OPEN_SHARE = 0.03
VENDORS = [f"ベンダー{c}" for c in "ABCDEFGHIJKLMNOPQRST"]


def _between(rnd: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    return lo + dt.timedelta(days=rnd.randrange(0, (hi - lo).days + 1))


def municipalities() -> list[tuple[str, str, str]]:
    """(lg_code, prefecture, name) of every 市区町村 in the bundled code list (no prefectures, no 行政区)."""
    with open(ROOT / "migrate" / "data" / "lg-codes.csv", encoding="utf-8", newline="") as f:
        return [
            (r["lgcode"], r["prefecture"], r["name"])
            for r in csv.DictReader(f)
            if r["lgcode"][2:5] != "000" and " " not in r["name"] and r["name"]
        ]


def plan_data(
    lg_code: str, prefecture: str, name: str, template: Any, catalog: Any, rnd: random.Random
) -> dict[str, Any]:
    """One municipality's plan (`kind: migrate/plan`) with seeded actuals as of AS_OF (see the mix)."""
    start = dt.date(2023, 4, 3) + dt.timedelta(days=rnd.randrange(0, 150))
    rules: dict[str, list[str]] = {}
    for rule in template.cross_business:
        for bid in catalog:
            if rule.applies_to(bid):
                rules.setdefault(f"{bid}:{rule.step}", []).append(rule.depends_on)
    cut = [st.id for st in template.steps].index("s36")
    businesses = []
    for bid, info in catalog.items():
        b: dict[str, Any] = {"id": bid, "name": info.name_ja, "vendor": rnd.choice(VENDORS)}
        if rnd.random() < SPECIAL_SHARE:
            deadline = dt.date(2027 + rnd.randrange(0, 4), 3, 31)
            cutover = deadline - dt.timedelta(days=rnd.randrange(-40, 330))
            b |= {"special_support": True, "deadline_reason": "特定移行支援システム (ベンダー撤退)"}
        else:
            deadline, r = TARGET, rnd.random()
            if r < OPEN_SHARE:
                cutover = _between(rnd, dt.date(2026, 7, 1), dt.date(2026, 12, 25))
            elif r < OPEN_SHARE + LATE_SHARE:
                cutover = _between(rnd, dt.date(2026, 4, 6), dt.date(2026, 5, 22))
            else:
                cutover = _between(rnd, dt.date(2025, 10, 1), dt.date(2026, 3, 27))
        b["deadline"] = deadline.isoformat()
        durations = [max(0, round(st.duration * rnd.uniform(0.6, 1.3))) for st in template.steps]
        # the pace (calendar days per planned working day) that puts the cut-over on `cutover`
        pace = (cutover - start).days / max(1, sum(durations[: cut + 1]))
        milestones = []
        cursor = start
        for i, st in enumerate(template.steps):
            m: dict[str, Any] = {
                "id": st.id,
                "name": st.name_ja,
                "phase": st.phase,
                "step": st.step,
                "duration": durations[i],
                "depends_on": [*st.depends_on, *rules.get(f"{bid}:{st.id}", ())],
            }
            took = max(1, round(durations[i] * (pace if i <= cut else 7 / 5) * rnd.uniform(0.9, 1.1)))
            finish = cursor + dt.timedelta(days=took - 1)
            if i == cut:
                finish = max(cursor, cutover)
            if rnd.random() < 0.03 and st.id != "s36":
                m["status"] = "対象外"
                milestones.append(m)
                continue
            if finish < AS_OF:
                m |= {"actual_start": str(cursor), "actual_finish": str(finish), "status": "完了済み"}
            elif cursor < AS_OF:
                done = 100 * (AS_OF - cursor).days / max(1, took) * rnd.uniform(0.6, 1.05)
                m |= {"actual_start": str(cursor), "progress": min(95, round(done)), "status": "作業中"}
            milestones.append(m)
            cursor = finish + dt.timedelta(days=1)
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
        best, cpu, peak, code, out = float("inf"), 0.0, 0, 0, b""
        for _ in range(repeat):
            wall, used, rss, code, out = _measure_child(cmd)
            if wall < best:
                best, cpu = wall, used
            peak = max(peak, rss)
        data = json.loads(out)["data"] if code in (0, 1) and out else {}
        return {
            "plans": len(paths),
            "milestones": len(paths) * 800,
            "bytes": size,
            "generate": t_gen,
            "wall": best,
            "cpu": cpu,
            "rss": peak,
            "exit": code,
            "data": data,
        }


def _measure_child(cmd: list[str]) -> tuple[float, float, int, int, bytes]:
    """(wall, CPU (user + system, its worker processes included), peak RSS of the largest of those
    processes, exit code, stdout)."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        out.seek(0)
        cpu = usage.ru_utime + usage.ru_stime
        return wall, cpu, usage.ru_maxrss * 1024, os.waitstatus_to_exitcode(status), out.read()


def lines(res: dict[str, Any], excerpt: int = 8) -> list[str]:
    data = res["data"]
    head = (
        f"plan rollup: {res['plans']:,} municipalities × 20 businesses × 40 steps "
        f"({res['milestones']:,} milestones, {res['bytes'] / 1e6:,.0f} MB of JSON, generated in "
        f"{res['generate']:.1f} s): {res['wall']:.1f} s wall, {res['cpu']:.1f} s CPU, "
        f"{res['plans'] / res['wall']:,.0f} plans/s, peak RSS {res['rss'] / 1e6:,.0f} MB (exit {res['exit']}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    out = [head]
    tot = data.get("totals") or {}
    if tot:
        out.append(
            f"  {tot['businesses']:,} systems: {tot['migrated']:,} migrated, {tot['special_support']:,} "
            f"特定移行支援; green {tot['green']:,}, amber {tot['amber']:,}, red {tot['red']:,}"
        )
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
