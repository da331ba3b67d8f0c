"""`make bench`: validate a generated 1,000,000-row CP932 住民記録 extract and compare with baselines.

Prints one table: migrate validate (wall time, peak RSS), the baseline (Python cp932 decode +
polars.read_csv of the result), pandera only (the exported pandera schema on the baseline's frame of a
standard-layout copy of the file) and frictionless-py with the exported Table Schema (run on a slice
of the file and scaled, because a full run takes many minutes; the slice size is printed).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data"
ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
FRICTIONLESS_ROWS = int(os.environ.get("BENCH_FRICTIONLESS_ROWS", "20000"))
REPEAT = max(1, int(os.environ.get("BENCH_REPEAT", "3")))  # runs per command: best wall, highest RSS
PY = sys.executable


def measure(cmd: list[str], repeat: int = 1) -> tuple[float, int, int]:
    """(wall seconds, peak RSS bytes, exit code) of a child process; with repeat, the best wall time
    and the highest peak of that many runs (shared machines are noisy; memory is the worst seen)."""
    runs = [_measure_once(cmd) for _ in range(repeat)]
    return min(r[0] for r in runs), max(r[1] for r in runs), runs[-1][2]


def _measure_once(cmd: list[str]) -> tuple[float, int, int]:
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    return wall, usage.ru_maxrss * 1024, os.waitstatus_to_exitcode(status)


BASELINE = """
import sys, polars as pl
text = open(sys.argv[1], 'rb').read().decode('cp932')
df = pl.read_csv(text.encode('utf-8'), infer_schema=False)
assert df.height > 0
"""

# The same constraints as a plain pandera schema (`migrate specs export … --format pandera`: one named
# Check per rule, as users run it) on the baseline's frame: the standard-layout copy of the file (the
# mapping applied once, beforehand), read like the baseline, validated with lazy=True.
PANDERA = """
import importlib.util, sys, polars as pl
spec = importlib.util.spec_from_file_location('schema', sys.argv[2])
mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
import pandera.polars as pa
text = open(sys.argv[1], 'rb').read().decode('cp932')
df = pl.read_csv(text.encode('utf-8'), infer_schema=False)
try:
    mod.jumin_schema.validate(df, lazy=True)
except pa.errors.SchemaErrors as exc:
    assert exc.failure_cases.height > 0
"""

FRICTIONLESS = """
import json, sys
from frictionless import Resource, Schema, Dialect
schema = Schema.from_descriptor(json.load(open(sys.argv[2])))
report = Resource(sys.argv[1], schema=schema, encoding='cp932').validate()
"""


def main() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    big = DATA / f"juki-{ROWS}.csv"
    if not big.exists():
        print(f"generating {ROWS:,} rows → {big} …", file=sys.stderr)
        from migrate.samples import write_juki

        write_juki(big, ROWS)
    size = big.stat().st_size
    mapping = str(ROOT / "mappings/juki/midori-jumin-v1.yaml")
    migrate = [
        PY,
        "-m",
        "migrate",
        "validate",
        str(big),
        "--mapping",
        mapping,
        "--format",
        "json",
        "-o",
        os.devnull,
    ]
    rows = []
    wall, rss, code = measure(migrate, REPEAT)
    rows.append(("migrate validate (pieces of 12 MB, default)", wall, rss, ROWS))
    w_wall, w_rss, _ = measure([*migrate, "--chunk-size", "0"], REPEAT)
    rows.append(("migrate validate --chunk-size 0 (whole file)", w_wall, w_rss, ROWS))
    b_wall, b_rss, _ = measure([PY, "-c", BASELINE, str(big)], REPEAT)
    rows.append(("baseline: cp932 decode + polars.read_csv", b_wall, b_rss, ROWS))
    p_note = ""
    try:
        std, module = _standard_copy(big, mapping)
        p_wall, p_rss, p_code = measure([PY, "-c", PANDERA, str(std), str(module)], REPEAT)
        if p_code == 0:
            rows.append(("pandera only: baseline + exported schema", p_wall, p_rss, ROWS))
            p_note = f"pandera only / baseline: {p_wall / b_wall:.2f}x   validate / pandera only: {wall / p_wall:.2f}x"
        else:
            p_note = f"pandera-only run failed (exit {p_code})"
    except (subprocess.CalledProcessError, OSError) as exc:
        p_note = f"pandera-only run skipped: {exc}"
    # frictionless on a slice (standard item names: it validates the mapped layout's schema as exported)
    slice_path = DATA / f"juki-std-{FRICTIONLESS_ROWS}.csv"
    schema_path = DATA / "juki-jumin.schema.json"
    f_note = ""
    try:
        subprocess.run(
            [
                PY,
                "-m",
                "migrate",
                "specs",
                "export",
                "juki@4.0",  # the spec midori-jumin-v1 maps to
                "jumin",
                "--format",
                "frictionless",
                "-o",
                str(schema_path),
            ],
            check=True,
            cwd=ROOT,
            capture_output=True,
        )
        _write_standard_slice(big, slice_path, mapping)
        f_wall, f_rss, _ = measure([PY, "-c", FRICTIONLESS, str(slice_path), str(schema_path)])
        scaled = f_wall * ROWS / FRICTIONLESS_ROWS
        rows.append((f"frictionless-py ({FRICTIONLESS_ROWS:,} rows, scaled)", scaled, f_rss, ROWS))
        f_note = f"frictionless (scaled) / migrate validate: {scaled / wall:.1f}x  (issue expected >= 20x)"
    except (subprocess.CalledProcessError, OSError) as exc:
        f_note = f"frictionless run skipped: {exc}"
    print(f"\nfile: {big.name}  {size / 1e6:,.0f} MB  {ROWS:,} rows  (best of {REPEAT} runs, highest RSS)\n")
    print(f"{'run':<48} {'wall s':>8} {'peak RSS MB':>12} {'RSS/file':>9}")
    for name, w, r, _ in rows:
        print(f"{name:<48} {w:>8.2f} {r / 1e6:>12,.0f} {r / size:>9.2f}")
    print(f"\nvalidate / baseline: {wall / b_wall:.2f}x  (target <= 1.5x)   exit code {code}")
    print(f"whole file / baseline: {w_wall / b_wall:.2f}x")
    print(f"peak RSS / file size: {rss / size:.2f}x  (target <= 3x)")
    if p_note:
        print(p_note)
    print(f_note)
    _risk_section()
    _nightly_cluster_section()
    _xref_section()
    _rollup_section()


def _risk_section() -> None:
    """`plan risk`: 10,000 Monte-Carlo runs of a 20-business, 800-milestone plan (bench/risk_bench.py)."""
    sys.path.insert(0, str(ROOT))
    from bench.risk_bench import run

    n_b, n_m, best, _ = run(10_000, REPEAT)
    print(f"\nplan risk: {n_b} businesses, {n_m} milestones, 10,000 runs: {best:.2f} s (best of {REPEAT})")


def _nightly_cluster_section() -> None:
    """The nightly over 200 small files: local pool vs a LocalCluster (bench/nightly_cluster_bench.py)."""
    sys.path.insert(0, str(ROOT))
    from bench.nightly_cluster_bench import line, run

    print("\n" + line(run(200, REPEAT)))


def _xref_section() -> None:
    """A 1M-row 個人住民税 extract whose 宛名番号 are looked up in the 1M-row 住民記録 one (bench/xref_bench.py)."""
    sys.path.insert(0, str(ROOT))
    from bench.xref_bench import line, run

    print("\n" + line(run(ROWS, REPEAT)))


def _rollup_section() -> None:
    """`plan rollup` over 1,741 generated municipality plans (bench/rollup_bench.py)."""
    sys.path.insert(0, str(ROOT))
    from bench.rollup_bench import lines, run

    print("\n" + "\n".join(lines(run(None, REPEAT))))


def _standard_copy(big: Path, mapping: str) -> tuple[Path, Path]:
    """The whole file mapped to standard item names (CP932, written once, piece by piece) and the
    exported pandera module of its entity: what a plain-pandera user would validate."""
    out = big.with_name(big.stem + "-std.csv")
    module = DATA / "juki_jumin_schema.py"
    subprocess.run(
        [
            PY,
            "-m",
            "migrate",
            "specs",
            "export",
            "juki@4.0",
            "jumin",
            "--format",
            "pandera",
            "-o",
            str(module),
        ],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    if out.exists():
        return out, module
    from migrate.io.csvfile import LINE, iter_table
    from migrate.mapping.apply import apply_mapping
    from migrate.mapping.load import load_mapping
    from migrate.standard.loader import load_registry

    _, entity = load_registry(ROOT / "specs").entity("juki@4.0/jumin")
    m = load_mapping(mapping)
    tmp = out.with_suffix(".tmp")
    with open(tmp, "wb") as fh:
        for i, piece in enumerate(iter_table(big, "cp932")):
            mapped = apply_mapping(piece.frame, m, entity).frame
            cols = [c for c in mapped.columns if not c.startswith("__") and c != LINE]
            fh.write(mapped.select(cols).write_csv(include_header=i == 0).encode("cp932", "replace"))
    tmp.replace(out)
    return out, module


def _write_standard_slice(big: Path, out: Path, mapping: str) -> None:
    """The first rows mapped to standard item names, CP932, so both tools read the same layout."""
    if out.exists():
        return
    import polars as pl

    from migrate.io.csvfile import LINE, read_table
    from migrate.mapping.apply import apply_mapping
    from migrate.mapping.load import load_mapping
    from migrate.standard.loader import load_registry

    head = big.with_suffix(".head.csv")
    with open(big, "rb") as src, open(head, "wb") as dst:
        for i, line in enumerate(src):
            if i > FRICTIONLESS_ROWS:
                break
            dst.write(line)
    _, entity = load_registry(ROOT / "specs").entity("juki@4.0/jumin")
    mapped = apply_mapping(read_table(head).frame, load_mapping(mapping), entity).frame
    cols = [c for c in mapped.columns if not c.startswith("__") and c != LINE]
    text = mapped.select(cols).write_csv()
    out.write_bytes(text.encode("cp932", "replace"))
    _ = pl


if __name__ == "__main__":
    main()
