"""`make bench`: the nightly over 200 generated small 住民記録 files, local pool against a LocalCluster.

Both run the same suite with `--force` semantics (every file validated, nothing carried) into a fresh
history, so the difference is the executor's overhead: task submission, the state shipped as a
worker plugin, results travelling back. The cluster is 2 worker processes of 1 thread on 127.0.0.1,
like the local pool's 2 processes; its start-up is measured apart (a real cluster is already up).
Run alone: `python bench/nightly_cluster_bench.py [FILES]`.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROWS = 40  # per file: small deliveries, so the per-file overhead shows

SUITE = """kind: migrate/suite
format: 1
name: bench-nightly
history: history.sqlite
sources:
  - id: juki
    vendor: ベンダーA
    entity: juki@4.0/jumin
    mapping: {mapping}
    paths: ["deliveries/*.csv"]
"""


def make_suite(folder: Path, files: int) -> Path:
    from migrate.samples import JUKI_HEADER, atena, juki_rows

    (folder / "deliveries").mkdir(parents=True, exist_ok=True)
    a = JUKI_HEADER.index("宛名番号")
    for n in range(files):
        lines = [",".join(JUKI_HEADER)]
        for i, row in enumerate(juki_rows(ROWS, seed=n, defects=True)):
            row[a] = atena(100000 + n * 1000 + i)
            lines.append(",".join(f'"{v}"' if "," in v else v for v in row))
        (folder / "deliveries" / f"d{n:04d}.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("cp932"))
    suite = folder / "suite.yaml"
    mapping = ROOT / "mappings" / "juki" / "midori-jumin-v1.yaml"
    suite.write_text(SUITE.format(mapping=mapping), encoding="utf-8")
    return suite


def _night(suite: Path, registry: object, history: Path, executor: str) -> tuple[float, int]:
    from migrate.nightly.runner import NightlyOptions, run_nightly
    from migrate.nightly.suite import load_suite

    t0 = time.perf_counter()
    run = run_nightly(
        load_suite(suite), registry, NightlyOptions(jobs=2, force=True, history=history, executor=executor)
    )
    wall = time.perf_counter() - t0
    return wall, sum(len(s.files) for s in run.sources)


def run(files: int = 200, repeat: int = 1) -> dict[str, float]:
    """Best wall seconds of `repeat` nights per executor, and the cluster's start-up."""
    from distributed import LocalCluster

    from migrate.standard.loader import load_registry

    registry = load_registry(ROOT / "specs")
    with tempfile.TemporaryDirectory(prefix="nightly-bench-") as tmp:
        folder = Path(tmp)
        suite = make_suite(folder, files)
        local = []
        for i in range(repeat):
            wall, n = _night(suite, registry, folder / f"local-{i}.sqlite", "local")
            assert n == files, n
            local.append(wall)
        t0 = time.perf_counter()
        cluster = LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            dashboard_address=None,
            host="127.0.0.1",
            env={"POLARS_MAX_THREADS": "1"},  # as the local pool sizes its workers (cores / workers)
        )
        startup = time.perf_counter() - t0
        try:
            address = cluster.scheduler_address.replace("tcp://", "dask://")
            dask = []
            for i in range(repeat):
                wall, n = _night(suite, registry, folder / f"dask-{i}.sqlite", address)
                assert n == files, n
                dask.append(wall)
        finally:
            cluster.close(timeout=20)
    return {"files": files, "local": min(local), "dask": min(dask), "startup": startup}


def line(r: dict[str, float]) -> str:
    return (
        f"nightly, {int(r['files'])} files of {ROWS} rows: local pool (2 processes) {r['local']:.2f} s, "
        f"LocalCluster (2 workers) {r['dask']:.2f} s ({r['dask'] / r['local']:.2f}x; "
        f"{r['files'] / r['local']:.0f} vs {r['files'] / r['dask']:.0f} files/s; cluster start {r['startup']:.1f} s)"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    print(line(run(int(sys.argv[1]) if len(sys.argv) > 1 else 200)))
