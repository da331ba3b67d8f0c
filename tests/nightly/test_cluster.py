"""Nightly on a Dask cluster (issue 17): the same night as the local pool, workers lost mid-file, an
unreachable scheduler, workers that cannot see the files, per-file time limits, largest files first.

One LocalCluster (2 worker processes, one thread each, 127.0.0.1 only) serves the module. Its scheduler
allows no failure of its own (`allowed-failures: 0`), so a killed worker surfaces at once as
KilledWorker and the executor's own retry is what is tested.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import dask
import pytest
from distributed import Client, LocalCluster

from migrate.errors import InputError
from migrate.history.store import HistoryStore, ResultRecord
from migrate.nightly import executor as executor_mod
from migrate.nightly.executor import DaskExecutor, LocalExecutor, run_remote
from migrate.nightly.runner import Meter, NightlyOptions, run_nightly
from migrate.nightly.suite import load_suite
from migrate.nightly.worker import FileTask, SourceContext
from tests.conftest import ROOT, run
from tests.nightly.conftest import NIGHT1, NIGHT2, write_jumin, write_suite

# the demo's second vendor: 課税 rows whose 宛名番号 must exist in the 住民記録 delivery (cross-file)
KAZEI = """  - id: zei-b
    vendor: ベンダーB
    entity: kojin-juminzei@3.0/kazei
    paths: ["deliveries/b/kazei_*.csv"]
    refs:
      - {target: juki@4.0/jumin, path: "deliveries/a/*.csv", mapping: midori-jumin-v1}
"""


def _kazei_writer() -> Any:
    spec = importlib.util.spec_from_file_location("make_deliveries", ROOT / "demo" / "make_deliveries.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write_kazei_file


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        c = LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            dashboard_address=None,
            host="127.0.0.1",
            env={"POLARS_MAX_THREADS": "1"},  # two cores shared by everyone
        )
    try:
        yield c
    finally:
        c.close(timeout=20)


@pytest.fixture
def address(cluster: LocalCluster) -> str:
    return cluster.scheduler_address.replace("tcp://", "dask://")


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """Night 1 of a two-vendor suite: two 住民記録 files, one 課税 file cross-checked against them."""
    write_suite(tmp_path, KAZEI)
    write_jumin(tmp_path / "deliveries/a/chuo.csv", 20, defects=NIGHT1)
    write_jumin(
        tmp_path / "deliveries/a/kita.csv", 12, seed=11, first_atena=200000, defects={3: ("性別", "X")}
    )
    # 宛名番号 from 100000: the first 20 exist in chuo.csv, the others nowhere (reference-missing)
    _kazei_writer()(tmp_path / "deliveries/b/kazei_2025.csv", 30, seed=17, atena_from=100000)
    return tmp_path


def _night(suite: Path, registry: Any, **options: Any) -> Any:
    return run_nightly(load_suite(suite), registry, NightlyOptions(**options))


def _rows(db_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every history row that says what the nights found, without run ids, row ids and times."""
    db = sqlite3.connect(db_path)
    try:
        runs = {rid: i for i, (rid,) in enumerate(db.execute("SELECT id FROM runs ORDER BY id"))}
        results = {
            rid: (runs[run], src, path)
            for rid, run, src, path in db.execute("SELECT id, run_id, source_id, path FROM results")
        }
        out: dict[str, list[tuple[Any, ...]]] = {}
        drop = {"id", "run_id", "result_id", "duration_s", "started_at", "finished_at", "pid", "host"}
        for table in ("results", "rule_counts", "findings", "run_files", "run_sources"):
            cur = db.execute(f"SELECT * FROM {table}")
            names = [d[0] for d in cur.description]
            rows = []
            for row in cur:
                rec = dict(zip(names, row, strict=True))
                where = (
                    results[rec["result_id"]]
                    if "result_id" in rec
                    else (runs.get(rec.get("run_id")), rec.get("source_id"), rec.get("path"))
                )
                if "previous_run_id" in rec:
                    rec["previous_run_id"] = runs.get(rec["previous_run_id"])
                rows.append((where, *(v for k, v in rec.items() if k not in drop)))
            out[table] = sorted(rows, key=repr)
        out["runs"] = [
            (status, ok, exit_code)
            for status, ok, exit_code in db.execute("SELECT status, ok, exit_code FROM runs ORDER BY id")
        ]
        return out
    finally:
        db.close()


def _summary(run: Any) -> Any:
    return (
        run.ok,
        [
            (s.id, s.errors, s.warnings, s.rows, s.new, s.fixed, s.still_failing, s.breaches)
            for s in run.sources
        ],
        sorted((f.path, f.status, f.errors, f.warnings, f.rows) for s in run.sources for f in s.files),
    )


def test_cluster_night_is_the_local_night(demo: Path, address: str, registry: Any) -> None:
    """Two nights (new, fixed, carried, a cross-file reference): the same findings, counts and rows."""
    local_db, cluster_db = demo / "local.sqlite", demo / "cluster.sqlite"
    HistoryStore.open(local_db).close()
    shutil.copy(local_db, cluster_db)  # one salt: fingerprints comparable across the two histories
    nights = []
    for night in (1, 2):
        if night == 2:
            write_jumin(demo / "deliveries/a/chuo.csv", 20, defects=NIGHT2)
        here = _night(demo / "suite.yaml", registry, history=local_db, executor="local", jobs=1)
        there = _night(demo / "suite.yaml", registry, history=cluster_db, executor=address)
        assert _summary(there) == _summary(here)
        nights.append(there)
    first, second = nights
    assert {f.status for s in first.sources for f in s.files} == {"new"}
    juki, zei = second.sources
    assert (juki.new, juki.fixed) == (3, 2)
    assert {f.path: f.status for f in zei.files} == {"deliveries/b/kazei_2025.csv": "revalidated"}
    codes = {c["code"] for f in zei.files for c in f.counts}
    assert "reference-missing" in codes  # the worker read the reference extract itself
    assert _rows(cluster_db) == _rows(local_db)
    with sqlite3.connect(cluster_db) as db:
        options = [o for (o,) in db.execute("SELECT options FROM runs ORDER BY id")]
    assert all('"executor": "dask"' in o for o in options)


def test_worker_killed_mid_file_every_file_is_recorded(
    tmp_path: Path, cluster: LocalCluster, address: str, registry: Any
) -> None:
    write_suite(tmp_path)
    write_jumin(tmp_path / "deliveries/a/big.csv", 120_000, first_atena=1_000_000)  # a few seconds
    for i in range(3):
        write_jumin(tmp_path / f"deliveries/a/small{i}.csv", 10, first_atena=100000 * (i + 1), defects=NIGHT1)
    with Client(cluster, set_as_default=False) as watcher:
        pids = watcher.run(os.getpid)
        box: dict[str, Any] = {}

        def night() -> None:
            try:
                box["run"] = _night(tmp_path / "suite.yaml", registry, executor=address)
            except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
                box["error"] = exc

        thread = threading.Thread(target=night, daemon=True)
        thread.start()
        killed = None
        since: dict[Any, float] = {}
        deadline = time.monotonic() + 40
        while killed is None and thread.is_alive() and time.monotonic() < deadline:
            for worker, keys in watcher.processing().items():
                for key in keys:
                    since.setdefault((worker, key), time.monotonic())
                    if str(key).startswith("run_remote") and time.monotonic() - since[(worker, key)] > 0.5:
                        killed = worker  # the one still on the big file
                if killed:
                    os.kill(pids[killed], signal.SIGKILL)
                    break
            time.sleep(0.05)
        thread.join(60)
    assert killed is not None, "no worker was seen validating the big file"
    assert not thread.is_alive(), "the night never ended after its worker was killed"
    if "error" in box:
        raise box["error"]
    files = {f.path: f for s in box["run"].sources for f in s.files}
    assert set(files) == {"deliveries/a/big.csv", *(f"deliveries/a/small{i}.csv" for i in range(3))}
    assert files["deliveries/a/big.csv"].status == "new"  # retried elsewhere and validated
    assert files["deliveries/a/big.csv"].rows == 120_000
    assert all(files[f"deliveries/a/small{i}.csv"].errors == len(NIGHT1) for i in range(3))
    assert box["run"].status == "complete"


def die_on_poison(key: str, task: FileTask, lang: str) -> ResultRecord:
    """On a worker: what an out-of-memory kill does to the process validating poison.csv."""
    if task.rel.endswith("poison.csv"):
        os._exit(137)
    return run_remote(key, task, lang)


def test_file_that_loses_its_worker_twice_is_worker_lost_not_dropped(
    tmp_path: Path, cluster: LocalCluster, registry: Any
) -> None:
    write_suite(tmp_path)
    write_jumin(tmp_path / "deliveries/a/poison.csv", 10)
    write_jumin(tmp_path / "deliveries/a/fine.csv", 10, first_atena=200000)
    ex = DaskExecutor(cluster.scheduler_address, fn=die_on_poison)
    try:
        night = run_nightly(load_suite(tmp_path / "suite.yaml"), registry, NightlyOptions(), executor=ex)
    finally:
        ex.close()
    files = {f.path: f for s in night.sources for f in s.files}
    assert files["deliveries/a/fine.csv"].status == "new"
    lost = files["deliveries/a/poison.csv"]
    assert lost.status == "unreadable" and [c["code"] for c in lost.counts] == ["worker-lost"]
    assert night.ok is False and night.status == "complete"
    # Never carried: the next night (on this machine) validates it again.
    again = _night(tmp_path / "suite.yaml", registry, jobs=1)
    retried = {f.path: f for f in again.sources[0].files}["deliveries/a/poison.csv"]
    assert (retried.status, retried.rows) == ("revalidated", 10)


def die_on_poison_here(task: FileTask) -> ResultRecord:
    """In a local pool process: the same kill."""
    from migrate.nightly.worker import validate_task

    if task.rel.endswith("poison.csv"):
        os._exit(137)
    return validate_task(task)


def test_local_pool_retries_a_broken_pool_then_records_worker_lost(tmp_path: Path, registry: Any) -> None:
    write_suite(tmp_path)
    write_jumin(tmp_path / "deliveries/a/poison.csv", 10)
    for i in range(2):
        write_jumin(tmp_path / f"deliveries/a/fine{i}.csv", 10, first_atena=200000 * (i + 1))
    ex = LocalExecutor(2, fn=die_on_poison_here)
    night = run_nightly(load_suite(tmp_path / "suite.yaml"), registry, NightlyOptions(jobs=2), executor=ex)
    files = {f.path: f for s in night.sources for f in s.files}
    assert [c["code"] for c in files["deliveries/a/poison.csv"].counts] == ["worker-lost"]
    # the files the broken pool took down with it were validated in the fresh one
    assert all(files[f"deliveries/a/fine{i}.csv"].status == "new" for i in range(2))
    assert night.status == "complete"


def test_workers_that_cannot_see_a_path_stop_the_night_before_it_starts(cluster: LocalCluster) -> None:
    ex = DaskExecutor(cluster.scheduler_address)
    try:
        with pytest.raises(InputError) as err:
            ex.check_paths([Path("/nonexistent-shared/deliveries")])
        ex.check_paths([ROOT])  # what they do see passes
    finally:
        ex.close()
    assert err.value.exit_code == 4
    assert "/nonexistent-shared/deliveries" in err.value.message and "tcp://127.0.0.1:" in err.value.message
    assert err.value.hint and "共有ファイルシステム" in err.value.hint  # a shared filesystem


def test_unreachable_scheduler_is_exit_4_in_bounded_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    suite = write_suite(tmp_path)
    write_jumin(tmp_path / "deliveries/a/chuo.csv", 8)
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setattr(executor_mod, "CONNECT_TIMEOUT_S", 1.5)
    t0 = time.monotonic()
    result = run("--lang", "en", "nightly", str(suite), "--executor", f"dask://127.0.0.1:{port}", "-q")
    assert time.monotonic() - t0 < 15
    assert result.exit_code == 4, result.output
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"dask://127.0.0.1:{port}" in result.stderr and "--executor local" in result.stderr
    assert not (tmp_path / "history.sqlite").exists()  # nothing recorded


def test_executor_names_cli_over_suite_and_bad_ones(tmp_path: Path, address: str) -> None:
    suite = write_suite(tmp_path)
    write_jumin(tmp_path / "deliveries/a/chuo.csv", 8, defects=NIGHT1)
    text = suite.read_text(encoding="utf-8")
    bad = run("--lang", "en", "nightly", str(suite), "--executor", "spark://x:1", "-q")
    assert bad.exit_code == 2 and "dask://HOST:PORT" in bad.stderr
    suite.write_text(text.replace("history:", "executor: yarn\nhistory:"), encoding="utf-8")
    assert run("nightly", str(suite), "-q").exit_code == 3
    suite.write_text(text.replace("history:", f"executor: {address}\nhistory:"), encoding="utf-8")
    assert run("nightly", str(suite), "-q").exit_code == 1  # the suite's cluster
    assert run("nightly", str(suite), "-q", "--force", "--executor", "local", "-j", "1").exit_code == 1
    with sqlite3.connect(tmp_path / "history.sqlite") as db:
        used = [o for (o,) in db.execute("SELECT options FROM runs ORDER BY id")]
    assert ['"executor": "dask"' in used[0], '"executor": "local"' in used[1]] == [True, True]


@pytest.mark.parametrize("where", ["local", "cluster"])
def test_file_over_its_time_limit_is_a_finding_and_the_night_goes_on(
    tmp_path: Path, address: str, registry: Any, where: str
) -> None:
    suite = write_suite(tmp_path)
    write_jumin(tmp_path / "deliveries/a/chuo.csv", 20, defects=NIGHT1)
    write_jumin(tmp_path / "deliveries/a/kita.csv", 12, first_atena=200000)
    text = suite.read_text(encoding="utf-8")
    suite.write_text(text.replace("history:", "file_timeout: 0.000001\nhistory:"), encoding="utf-8")
    executor = address if where == "cluster" else "local"
    night = _night(suite, registry, executor=executor, jobs=2)
    files = night.sources[0].files
    assert len(files) == 2 and night.status == "complete" and night.ok is False
    assert all([c["code"] for c in f.counts] == ["file-timeout"] for f in files)
    assert all(f.status == "unreadable" for f in files)
    # A generous limit: validated as usual (the limit is what made them fail).
    suite.write_text(text.replace("history:", "file_timeout: 300\nhistory:"), encoding="utf-8")
    again = _night(suite, registry, executor=executor, jobs=1)
    assert {f.path: f.errors for f in again.sources[0].files} == {
        "deliveries/a/chuo.csv": len(NIGHT1),
        "deliveries/a/kita.csv": 0,
    }


class _Recording:
    """An executor that validates in this process and remembers the order it was given."""

    name = "local"

    def __init__(self) -> None:
        self.order: list[str] = []

    def workers(self) -> int:
        return 1

    def check_paths(self, paths: Sequence[Path]) -> None:
        pass

    def close(self) -> None:
        pass

    def run(
        self,
        tasks: Sequence[FileTask],
        registry: Any,
        contexts: dict[str, SourceContext],
        salt: bytes,
        record: Any,
    ) -> None:
        from migrate.nightly.executor import LocalExecutor

        self.order = [t.rel for t in tasks]
        LocalExecutor(1).run(tasks, registry, contexts, salt, record)


def test_largest_files_first_and_the_meter(tmp_path: Path, registry: Any) -> None:
    write_suite(tmp_path)
    for name, rows in [("a", 5), ("b", 40), ("c", 15), ("d", 25)]:
        write_jumin(tmp_path / f"deliveries/a/{name}.csv", rows, first_atena=100000 + rows * 1000)
    ex = _Recording()
    seen: list[Meter] = []
    lines: list[str] = []
    run_nightly(
        load_suite(tmp_path / "suite.yaml"),
        registry,
        NightlyOptions(),
        executor=ex,
        meter=seen.append,
        progress=lines.append,
    )
    assert ex.order == [f"deliveries/a/{n}.csv" for n in "bdca"]
    assert [m.done for m in seen] == [1, 2, 3, 4] and {m.total for m in seen} == {4}
    assert seen[-1].bytes_done == sum((tmp_path / f"deliveries/a/{n}.csv").stat().st_size for n in "abcd")
    assert seen[-1].files_per_s > 0 and seen[-1].executor == "local"
    assert not any(line.startswith("[") for line in lines)  # the meter replaces the per-file lines
