"""Two nights of deliveries: incremental runs, new/fixed/still-failing findings, thresholds."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from migrate.history.store import HistoryStore
from tests.nightly.conftest import NIGHT1, NIGHT2, write_jumin, write_suite


def _files(run: Any) -> dict[str, Any]:
    return {f.path: f for s in run.sources for f in s.files}


@pytest.fixture
def two_files(tmp_path: Path) -> Path:
    write_suite(tmp_path)
    write_jumin(tmp_path / "deliveries/a/chuo.csv", 20, seed=7, first_atena=100000, defects=NIGHT1)
    write_jumin(
        tmp_path / "deliveries/a/kita.csv", 12, seed=11, first_atena=200000, defects={3: ("性別", "X")}
    )
    return tmp_path


def test_two_nights_new_fixed_still(two_files: Path, night: Any) -> None:
    first = night(as_of=None)
    src = first.sources[0]
    assert first.ok is False
    assert {f.path: f.status for f in src.files} == {
        "deliveries/a/chuo.csv": "new",
        "deliveries/a/kita.csv": "new",
    }
    assert src.previous_run is None
    errors_night1 = src.errors
    assert _files(first)["deliveries/a/chuo.csv"].errors == 4
    assert _files(first)["deliveries/a/kita.csv"].errors == 1

    # Night 2: chuo.csv fixes two defects and brings three new ones; kita.csv is unchanged.
    write_jumin(two_files / "deliveries/a/chuo.csv", 20, seed=7, first_atena=100000, defects=NIGHT2)
    second = night()
    src = second.sources[0]
    files = _files(second)
    assert files["deliveries/a/chuo.csv"].status == "changed"
    assert files["deliveries/a/kita.csv"].status == "carried"
    assert files["deliveries/a/kita.csv"].validated_in_run == first.run_id
    assert src.previous_run == first.run_id
    assert (src.new, src.fixed) == (3, 2)
    assert src.new_errors == 3
    assert src.errors == errors_night1 + 1
    chuo = files["deliveries/a/chuo.csv"]
    assert (chuo.new, chuo.fixed, chuo.errors) == (3, 2, 5)
    assert files["deliveries/a/kita.csv"].new == files["deliveries/a/kita.csv"].fixed == 0
    rules = {(r["code"], r["item"]): (r["new"], r["fixed"]) for r in src.by_rule}
    assert rules[("code-unmapped", "seibetsu")] == (1, 1)
    assert rules[("code-invalid", "zokugara")] == (1, 1)
    assert rules[("wareki-date-invalid", "shojo_date")] == (1, 0)
    assert rules[("pattern-mismatch", "postal_code")] == (0, 0)
    # Every finding of night 1 is either fixed or still failing.
    assert src.fixed + src.still_failing == first.sources[0].new
    assert [p["run_id"] for p in src.trend] == [first.run_id, second.run_id]


def test_unchanged_night_is_carried_and_force_revalidates(two_files: Path, night: Any) -> None:
    first = night()
    second = night()
    assert {f.status for f in second.sources[0].files} == {"carried"}
    assert second.totals["validated"] == 0
    assert (second.sources[0].new, second.sources[0].fixed) == (0, 0)
    assert second.sources[0].still_failing == first.sources[0].new
    forced = night(force=True)
    assert {f.status for f in forced.sources[0].files} == {"revalidated"}
    assert (forced.sources[0].new, forced.sources[0].fixed) == (0, 0)
    assert forced.sources[0].errors == first.sources[0].errors


def test_mapping_change_forces_revalidation(tmp_path: Path, night: Any) -> None:
    mapping = tmp_path / "midori.yaml"
    mapping.write_text(
        Path(__file__).parents[2].joinpath("mappings/juki/midori-jumin-v1.yaml").read_text("utf-8")
    )
    write_suite(tmp_path, mapping=mapping)
    write_jumin(tmp_path / "deliveries/a/chuo.csv", 10, defects=NIGHT1)
    night()
    assert {f.status for f in night().sources[0].files} == {"carried"}
    mapping.write_text(mapping.read_text("utf-8") + "# reviewed\n", encoding="utf-8")
    assert {f.status for f in night().sources[0].files} == {"revalidated"}


def test_renamed_delivery_keeps_its_findings(two_files: Path, night: Any) -> None:
    """Findings are keyed by business key, not file name: a re-delivery under a new name is carried."""
    first = night()
    (two_files / "deliveries/a/chuo.csv").rename(two_files / "deliveries/a/chuo_v2.csv")
    second = night()
    src = second.sources[0]
    assert _files(second)["deliveries/a/chuo_v2.csv"].status == "carried"
    assert (src.new, src.fixed) == (0, 0)
    assert src.removed_files == ["deliveries/a/chuo.csv"]
    assert src.still_failing == first.sources[0].new


def test_thresholds_pass_and_breach(tmp_path: Path, night: Any) -> None:
    extra = """    thresholds: {min_readiness: 0.5, max_errors: 5, max_new_errors: 0}
  - id: empty-source
    vendor: ベンダーB
    entity: juki@4.0/jumin
    paths: ["deliveries/none/*.csv"]
  - id: optional-source
    vendor: ベンダーB
    entity: juki@4.0/jumin
    paths: ["deliveries/none/*.csv"]
    optional: true
"""
    write_suite(tmp_path, extra=extra)
    write_jumin(tmp_path / "deliveries/a/chuo.csv", 20, defects=NIGHT1)
    run = night()
    by_id = {s.id: s for s in run.sources}
    assert by_id["juki-a"].ok is True  # 4 errors <= 5, readiness 80% >= 50%
    assert by_id["empty-source"].ok is False
    assert by_id["empty-source"].breaches == [{"metric": "files", "value": 0, "limit": 1}]
    assert by_id["optional-source"].ok is True
    assert run.ok is False
    # Night 2 brings new errors: max_new_errors 0 is breached even though max_errors still holds.
    write_jumin(tmp_path / "deliveries/a/chuo.csv", 20, defects={**NIGHT1, 10: ("性別", "Z")})
    run2 = night(sources=["juki-a"])
    assert [s.id for s in run2.sources] == ["juki-a"]
    assert run2.sources[0].breaches == [{"metric": "new_errors", "value": 1, "limit": 0}]
    assert run2.ok is False


def test_unreadable_file_is_a_finding(two_files: Path, night: Any) -> None:
    (two_files / "deliveries/a/empty.csv").write_bytes(b"")
    (two_files / "deliveries/a/garbage.csv").write_bytes(bytes(range(256)) * 20)
    run = night()
    files = _files(run)
    assert files["deliveries/a/empty.csv"].status == "unreadable"
    assert files["deliveries/a/garbage.csv"].status == "unreadable"
    assert files["deliveries/a/empty.csv"].message
    assert files["deliveries/a/chuo.csv"].status == "new"  # the run went on
    src = run.sources[0]
    assert {"metric": "unreadable", "value": 2, "limit": 0} in src.breaches
    assert files["deliveries/a/empty.csv"].counts[0]["code"] == "file-unreadable"
    # Unreadable files are retried the next night (never carried); once fixed, the finding is fixed.
    write_jumin(two_files / "deliveries/a/empty.csv", 5, first_atena=300000)
    (two_files / "deliveries/a/garbage.csv").unlink()
    run2 = night()
    files2 = _files(run2)
    assert files2["deliveries/a/empty.csv"].status == "changed"
    assert run2.sources[0].fixed == 2
    assert run2.sources[0].unreadable == 0


def test_vendor_selection(tmp_path: Path, night: Any) -> None:
    extra = """  - id: juki-b
    vendor: ベンダーB
    entity: juki@4.0/jumin
    mapping: midori-jumin-v1
    paths: ["deliveries/b/*.csv"]
"""
    write_suite(tmp_path, extra=extra)
    write_jumin(tmp_path / "deliveries/a/x.csv", 5)
    write_jumin(tmp_path / "deliveries/b/y.csv", 5, first_atena=500000)
    run = night(vendor="ベンダーB")
    assert [s.id for s in run.sources] == ["juki-b"]
    assert [v["vendor"] for v in run.vendors] == ["ベンダーB"]
    full = night()
    assert [s.vendor for s in full.for_vendor("ベンダーA").sources] == ["ベンダーA"]
    # juki-b was validated in the vendor-only run: the full run carries it.
    assert {f.status for f in full.sources[1].files} == {"carried"}


def test_parallel_matches_serial(two_files: Path, night: Any) -> None:
    serial = night(jobs=1)
    parallel = night(jobs=2, force=True)
    assert parallel.sources[0].errors == serial.sources[0].errors
    assert parallel.sources[0].warnings == serial.sources[0].warnings
    assert (parallel.sources[0].new, parallel.sources[0].fixed) == (0, 0)
    with sqlite3.connect(two_files / "history.sqlite") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_history_is_shared_by_the_store(two_files: Path, night: Any) -> None:
    run = night()
    with HistoryStore.open(two_files / "history.sqlite", create=False) as store:
        assert store.resolve_run("latest") == run.run_id
        assert [r["id"] for r in store.runs()] == [run.run_id]
        assert store.overview()[0]["files"] == 2
