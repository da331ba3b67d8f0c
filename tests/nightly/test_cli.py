"""`migrate nightly` and `migrate history` as a user runs them: output, exit codes, no tracebacks."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from migrate.nightly.lock import RunLock, lock_path_for
from migrate.nightly.suite import load_suite
from tests.conftest import ROOT, run
from tests.nightly.conftest import NIGHT1, NIGHT2, write_jumin, write_suite


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    path = write_suite(tmp_path)
    write_jumin(tmp_path / "deliveries/a/chuo.csv", 20, defects=NIGHT1)
    write_jumin(tmp_path / "deliveries/a/kita.csv", 10, first_atena=200000)
    return path


def test_nightly_twice_text_json_junit(suite: Path, tmp_path: Path) -> None:
    first = run(
        "nightly", str(suite), "--jobs", "1", "--as-of", "2025-06-01", "--junit", str(tmp_path / "n1.xml")
    )
    assert first.exit_code == 1, first.output
    assert "夜間検証 test-nightly" in first.stdout
    assert "基準未達" in first.stdout
    assert "初回" in first.stdout
    xml = ET.parse(tmp_path / "n1.xml").getroot()
    assert xml.tag == "testsuites" and int(xml.get("failures", "0")) >= 1

    write_jumin(tmp_path / "deliveries/a/chuo.csv", 20, defects=NIGHT2)
    second = run(
        "--lang", "en", "nightly", str(suite), "-j", "1", "--format", "json", "--as-of", "2025-06-02"
    )
    assert second.exit_code == 1
    doc = json.loads(second.stdout)
    assert doc["kind"] == "nightly-run" and doc["migrate"]["envelope"] == 1
    data = doc["data"]
    assert data["run"]["as_of"] == "2025-06-02"
    assert data["totals"]["carried"] == 1 and data["totals"]["validated"] == 1
    assert (data["totals"]["new"], data["totals"]["fixed"]) == (3, 2)
    assert "1 unchanged file(s) carried forward" in second.stderr

    junit = run("nightly", str(suite), "-j", "1", "--format", "junit", "-q")
    root = ET.fromstring(junit.stdout)
    assert root.find("testsuite") is not None
    assert junit.stderr == ""


def test_nightly_passes_with_exit_0(tmp_path: Path) -> None:
    suite = write_suite(tmp_path)
    write_jumin(tmp_path / "deliveries/a/clean.csv", 8)
    text = suite.read_text(encoding="utf-8").replace("max_errors: 0", "max_errors: 0, max_warnings: 100")
    suite.write_text(text.replace("min_readiness: 0.999", "min_readiness: 0.9"), encoding="utf-8")
    result = run("nightly", str(suite), "-j", "1", "-q")
    assert result.exit_code == 0, result.output
    assert "合格" in result.stdout


def test_history_commands(suite: Path, tmp_path: Path) -> None:
    run("nightly", str(suite), "-j", "1", "-q")
    write_jumin(tmp_path / "deliveries/a/chuo.csv", 20, defects=NIGHT2)
    run("nightly", str(suite), "-j", "1", "-q")
    h = ["--history", str(tmp_path / "history.sqlite")]

    listed = run("history", "list", *h)
    assert listed.exit_code == 0 and "#2" in listed.stdout and "#1" in listed.stdout
    runs = json.loads(run("history", "list", "--suite", str(suite), "--format", "json").stdout)["data"]
    assert [r["id"] for r in runs] == [2, 1]

    shown = run("history", "show", "previous", *h)
    assert shown.exit_code == 0 and "実行 #1" in shown.stdout
    vendor = json.loads(
        run("history", "show", "latest", *h, "--vendor", "ベンダーA", "--format", "json").stdout
    )
    assert [s["vendor"] for s in vendor["data"]["sources"]] == ["ベンダーA"]

    cmp = run("--lang", "en", "history", "compare", "1", "2", *h)
    assert cmp.exit_code == 0
    assert "new 3 (3 errors) / fixed 2" in cmp.stdout
    cmp_json = json.loads(run("history", "compare", "latest~1", "latest", *h, "--format", "json").stdout)
    assert cmp_json["data"]["totals"]["fixed"] == 2

    trend = json.loads(run("history", "trend", "juki-a", *h, "--format", "json").stdout)["data"]
    assert [p["run_id"] for p in trend["points"]] == [1, 2]
    assert [p["errors"] for p in trend["points"]] == [4, 5]

    metric = json.loads(
        run("history", "metric", "juki.errors", "nothing.readiness", *h, "--format", "json").stdout
    )
    assert [m["value"] for m in metric["data"]] == [5.0, None]


def test_history_errors_are_messages_not_tracebacks(tmp_path: Path) -> None:
    missing = run("history", "list", "--history", str(tmp_path / "none.sqlite"))
    assert missing.exit_code == 4
    assert "履歴データベースがありません" in missing.stderr
    assert "Traceback" not in missing.output
    bad = run("history", "show", "yesterday", "--history", str(tmp_path / "none.sqlite"))
    assert bad.exit_code == 4


def test_bad_run_reference(suite: Path, tmp_path: Path) -> None:
    run("nightly", str(suite), "-j", "1", "-q")
    h = ["--history", str(tmp_path / "history.sqlite")]
    assert run("history", "show", "yesterday", *h).exit_code == 2
    assert run("history", "show", "99", *h).exit_code == 4


def test_overlapping_run_is_refused_by_the_cli(suite: Path, tmp_path: Path) -> None:
    with RunLock(lock_path_for(tmp_path / "history.sqlite")):
        result = run("nightly", str(suite), "-j", "1")
    assert result.exit_code == 4
    assert "別の夜間検証が実行中です" in result.stderr
    assert "Traceback" not in result.output


SUITE_ERRORS = [
    ("kind: migrate/suite\nformat: 1\nname: x\nsources:\n  - id: a\n    vendor: v\n", 5, "sources.0.entity"),
    (
        "kind: migrate/suite\nformat: 1\nname: x\nthresholds:\n  min_readiness: 99.9\nsources: []\n",
        5,
        "thresholds.min_readiness",
    ),
    (
        "kind: migrate/suite\nformat: 1\nname: x\nsources:\n  - id: a\n    vendor: v\n"
        "    entity: juki/jumin\n    paths: [x]\n    colour: red\n",
        9,
        "colour",
    ),
    ("kind: migrate/mapping\nformat: 1\n", 1, "kind"),
    ("kind: migrate/suite\nformat: 1\nname: x\nsources: [\n", None, None),
]


@pytest.mark.parametrize(("text", "line", "key"), SUITE_ERRORS)
def test_bad_suite_is_exit_3_with_file_and_line(
    tmp_path: Path, text: str, line: int | None, key: str | None
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("nightly", str(path))
    assert result.exit_code == 3, result.output
    assert f"{path}:" in result.stderr
    if line is not None:
        assert f"{path}:{line}" in result.stderr
    if key is not None:
        assert key in result.stderr
    assert "Traceback" not in result.output


def test_unknown_entity_and_mapping_point_into_the_suite(tmp_path: Path) -> None:
    path = write_suite(tmp_path)
    path.write_text(path.read_text("utf-8").replace("juki@4.0/jumin", "juki@9.9/jumin"), encoding="utf-8")
    result = run("nightly", str(path))
    assert result.exit_code == 3
    assert f"{path}:11" in result.stderr and "sources.0.entity" in result.stderr
    path = write_suite(tmp_path, mapping=Path("no-such-mapping"))
    result = run("nightly", str(path))
    assert result.exit_code == 3
    assert "sources.0.mapping" in result.stderr


def test_missing_suite_and_bad_date(tmp_path: Path) -> None:
    assert run("nightly", str(tmp_path / "nope.yaml")).exit_code == 4
    assert run("nightly", str(tmp_path / "nope.yaml"), "--as-of", "June").exit_code == 2


def test_committed_suites_load() -> None:
    suites = sorted((ROOT / "checks").glob("*.yaml"))
    assert suites
    for path in suites:
        loaded = load_suite(path)
        assert loaded.suite.sources
