"""A run killed midway leaves history consistent; an overlapping run is refused; stale locks are taken over."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from migrate.nightly import worker
from migrate.nightly.lock import RunLock, RunLocked, lock_path_for
from tests.conftest import ROOT, SPECS
from tests.nightly.conftest import NIGHT1, write_jumin, write_suite


@pytest.fixture
def three_files(tmp_path: Path) -> Path:
    write_suite(tmp_path)
    for i, name in enumerate(("a1.csv", "a2.csv", "a3.csv")):
        write_jumin(
            tmp_path / "deliveries/a" / name, 10, seed=7 + i, first_atena=100000 * (i + 1), defects=NIGHT1
        )
    return tmp_path


def _consistent(db_path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(db_path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.execute("PRAGMA foreign_keys = ON")
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    # Nothing of an unfinished run is left but its row.
    assert (
        db.execute(
            """SELECT COUNT(*) FROM results r JOIN runs u ON u.id = r.run_id WHERE u.status != 'complete'"""
        ).fetchone()[0]
        == 0
    )
    assert (
        db.execute(
            """SELECT COUNT(*) FROM run_files f JOIN runs u ON u.id = f.run_id WHERE u.status != 'complete'"""
        ).fetchone()[0]
        == 0
    )
    return db


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from migrate.nightly.runner import NightlyOptions, run_nightly
    from migrate.nightly.suite import load_suite
    from migrate.standard.loader import load_registry

    def die(run_id, rec):
        # After the first file is committed: the worst moment, between run start and completion.
        os.kill(os.getpid(), signal.SIGKILL)

    run_nightly(load_suite(sys.argv[1]), load_registry(sys.argv[2]), NightlyOptions(jobs=1), on_recorded=die)
    """
)


def test_killed_run_leaves_history_consistent(three_files: Path, night: Any) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", KILLER, str(three_files / "suite.yaml"), str(SPECS)],
        cwd=ROOT,
        capture_output=True,
        timeout=300,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode(errors="replace")
    lock = lock_path_for(three_files / "history.sqlite")
    assert lock.exists()  # the killed process could not clean up
    db = sqlite3.connect(three_files / "history.sqlite")
    assert db.execute("SELECT status FROM runs").fetchall() == [("running",)]
    assert db.execute("SELECT COUNT(*) FROM run_files").fetchone()[0] == 1  # one file had been committed
    db.close()

    run = night()  # takes over the stale lock, marks the killed run incomplete, completes
    assert run.status == "complete"
    assert any("#1" in n for n in run.notes)
    src = run.sources[0]
    assert src.previous_run is None  # an incomplete run is never a baseline
    assert {f.status for f in src.files} == {"new"}  # nothing carried from the killed run
    assert src.files_total == 3
    db = _consistent(three_files / "history.sqlite")
    assert db.execute("SELECT id, status FROM runs ORDER BY id").fetchall() == [
        (1, "incomplete"),
        (2, "complete"),
    ]
    assert not lock.exists()


def test_exception_midway_marks_the_run_incomplete(
    three_files: Path, night: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = worker.validate_task
    calls = {"n": 0}

    def flaky(task: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # Ctrl-C, or SIGTERM from cron (turned into the same)
        return real(task)

    monkeypatch.setattr("migrate.nightly.runner.validate_task", flaky)
    with pytest.raises(KeyboardInterrupt):
        night()
    assert not lock_path_for(three_files / "history.sqlite").exists()
    db = _consistent(three_files / "history.sqlite")
    assert db.execute("SELECT status FROM runs").fetchall() == [("incomplete",)]
    monkeypatch.setattr("migrate.nightly.runner.validate_task", real)
    run = night()
    assert run.status == "complete" and run.run_id == 2
    assert {f.status for f in run.sources[0].files} == {"new"}


def test_overlapping_run_is_refused(three_files: Path, night: Any) -> None:
    history = three_files / "history.sqlite"
    with RunLock(lock_path_for(history), suite="other"):
        with pytest.raises(RunLocked) as exc:
            night()
        assert str(os.getpid()) in exc.value.message
        assert exc.value.exit_code == 4
    assert (
        not history.exists()
        or sqlite3.connect(history).execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 0
    )
    assert night().status == "complete"  # once released, the next run goes


def test_stale_lock_of_a_dead_process_is_taken_over(three_files: Path, night: Any) -> None:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    lock = lock_path_for(three_files / "history.sqlite")
    import socket

    lock.write_text(json.dumps({"pid": proc.pid, "host": socket.gethostname(), "started_at": "x"}))
    run = night()
    assert run.status == "complete"
    assert any(str(proc.pid) in n for n in run.notes)


def test_lock_of_another_host_is_respected(tmp_path: Path) -> None:
    lock = tmp_path / "h.sqlite.lock"
    lock.write_text(json.dumps({"pid": 1, "host": "another-host.example", "started_at": "x"}))
    with pytest.raises(RunLocked, match="another-host"):
        RunLock(lock).acquire()


TERMINATOR = KILLER.replace("signal.SIGKILL", "signal.SIGTERM")


def test_sigterm_closes_the_run_cleanly(three_files: Path) -> None:
    """cron/systemd stop a job with SIGTERM: the run is marked incomplete at once and the lock released."""
    proc = subprocess.run(
        [sys.executable, "-c", TERMINATOR, str(three_files / "suite.yaml"), str(SPECS)],
        cwd=ROOT,
        capture_output=True,
        timeout=300,
    )
    assert proc.returncode != 0
    assert not lock_path_for(three_files / "history.sqlite").exists()
    db = _consistent(three_files / "history.sqlite")
    assert db.execute("SELECT status FROM runs").fetchall() == [("incomplete",)]
