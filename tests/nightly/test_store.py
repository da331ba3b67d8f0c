"""The history database: schema migrations from version 0, refusing what it cannot read."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from migrate.errors import InputError
from migrate.history import store as store_mod
from migrate.history.store import SCHEMA_VERSION, HistoryStore, ResultRecord, fingerprint

TABLES = {"meta", "runs", "results", "rule_counts", "findings", "run_files", "run_sources"}


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")} - {
            "sqlite_sequence"
        }


def test_migrates_from_version_zero(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    sqlite3.connect(path).close()  # an empty database: user_version 0
    with HistoryStore.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert len(store.salt) == 32
        salt = store.salt
    assert _tables(path) == TABLES
    with HistoryStore.open(path) as store:
        assert store.migrate() == []  # nothing pending: idempotent
        assert store.salt == salt  # the salt belongs to the database, kept across opens


def test_each_database_has_its_own_salt(tmp_path: Path) -> None:
    with HistoryStore.open(tmp_path / "a.sqlite") as a, HistoryStore.open(tmp_path / "b.sqlite") as b:
        assert a.salt != b.salt
        assert fingerprint(a.salt, "k", "0001000055") != fingerprint(b.salt, "k", "0001000055")


def test_a_later_migration_upgrades_and_keeps_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "h.sqlite"
    with HistoryStore.open(path) as store:
        run = store.begin_run(
            suite="s", suite_path=None, title=None, municipality=None, as_of="2025-06-01", options={}
        )
    extra = (
        SCHEMA_VERSION + 1,
        "ALTER TABLE runs ADD COLUMN operator TEXT;\nCREATE INDEX runs_suite ON runs(suite);",
    )
    monkeypatch.setattr(store_mod, "MIGRATIONS", [*store_mod.MIGRATIONS, extra])
    monkeypatch.setattr(store_mod, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with HistoryStore.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION + 1
        row = store.run(run)
        assert row is not None and row["suite"] == "s" and row["operator"] is None


def test_a_failed_migration_leaves_the_previous_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "h.sqlite"
    HistoryStore.open(path).close()
    broken = (SCHEMA_VERSION + 1, "ALTER TABLE runs ADD COLUMN x TEXT;\nTHIS IS NOT SQL;")
    monkeypatch.setattr(store_mod, "MIGRATIONS", [*store_mod.MIGRATIONS, broken])
    monkeypatch.setattr(store_mod, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(sqlite3.OperationalError):
        HistoryStore.open(path)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert "x" not in {r[1] for r in db.execute("PRAGMA table_info(runs)")}


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    with pytest.raises(InputError, match=r"newer|新しい"):
        HistoryStore.open(path)


def test_not_a_database_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    path.write_bytes(b"this is a CSV, not SQLite\n" * 100)
    with pytest.raises(InputError):
        HistoryStore.open(path)
    with pytest.raises(InputError):
        HistoryStore.open(tmp_path / "missing.sqlite", create=False)
    assert not (tmp_path / "missing.sqlite").exists()


def test_discarding_a_run_removes_only_what_it_produced(tmp_path: Path) -> None:
    with HistoryStore.open(tmp_path / "h.sqlite") as store:
        kw = {"suite": "s", "suite_path": None, "title": None, "municipality": None, "options": {}}
        r1 = store.begin_run(as_of="2025-06-01", **kw)
        rec = ResultRecord(
            source_id="a", path="x.csv", validation_key="k", rows=3, findings=[("fp", "c", "i", "error", 2)]
        )
        rid = store.record_result(r1, rec, "new")
        store.finish_run(r1, [], ok=True, exit_code=0)
        r2 = store.begin_run(as_of="2025-06-02", **kw)
        store.carry(r2, [("a", "x.csv", rid)])
        store.record_result(r2, ResultRecord(source_id="a", path="y.csv", validation_key="k2"), "new")
        assert store.recover() == [r2]
        assert store.db.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 1  # run 1's result stays
        assert store.db.execute("SELECT COUNT(*) FROM run_files WHERE run_id = ?", (r2,)).fetchone()[0] == 0
        assert store.db.execute("SELECT COUNT(*) FROM findings").fetchone()[0] == 1
        row = store.run(r2)
        assert row is not None and row["status"] == "incomplete" and row["note"]
