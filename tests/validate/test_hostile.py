"""Hostile and ordinary delivery mistakes, end to end: a finding or a one-line error with the documented
exit code (0 ok, 1 findings, 2 usage, 3 invalid spec/mapping/plan, 4 input unreadable, 5 internal),
never a traceback, a hang or a result that claims more than was checked.

Categories: structure (missing columns, blank/CR-only/wide/header-only files), special files (FIFO,
device, folder), options (encoding, delimiter, piece size), YAML (zero-pad, duplicate keys, empty
`from`, patterns polars cannot run, plan bounds), faults (unreadable file, damaged history, full disk).
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from migrate.errors import ExitCode
from migrate.mapping.load import load_mapping
from migrate.samples import write_juki
from migrate.standard.loader import load_registry
from migrate.validate.run import validate_file
from tests.conftest import ROOT, SPECS, run

MAPPING = str(ROOT / "mappings/juki/midori-jumin-v1.yaml")


@pytest.fixture(scope="module")
def juki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_juki(tmp_path_factory.mktemp("hostile") / "juki.csv", 30)


def _rows(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="cp932")
    return list(csv.reader(io.StringIO(text, newline="")))


def _write(path: Path, rows: list[list[str]], eol: str = "\r\n") -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator=eol).writerows(rows)
    path.write_bytes(out.getvalue().encode("cp932"))
    return path


def _drop(src: Path, dst: Path, *columns: str) -> Path:
    rows = _rows(src)
    keep = [i for i, name in enumerate(rows[0]) if name not in columns]
    return _write(dst, [[r[i] for i in keep] for r in rows])


def _json(*args: str) -> tuple[int, dict[str, Any]]:
    res = run("validate", *args, "--format", "json")
    return res.exit_code, json.loads(res.stdout)["data"][0]


def _one_line_error(res: Any, code: ExitCode, *needles: str) -> None:
    assert res.exit_code == int(code), (res.exit_code, res.output)
    err = res.stderr.strip().splitlines()
    assert err and "Traceback" not in res.stderr and "内部エラー" not in res.stderr, res.stderr
    for needle in needles:
        assert needle in err[-1], (needle, err[-1])


# ---------------------------------------------------------------------------------------------------
# structure: a missing column is a finding, the rest of the file is still validated
# ---------------------------------------------------------------------------------------------------


def test_column_a_rule_reads_is_missing(juki: Path, tmp_path: Path) -> None:
    """住民区分 feeds jumin_shubetsu, which three required_when conditions read (it used to exit 5)."""
    path = _drop(juki, tmp_path / "no-kubun.csv", "住民区分")
    code, data = _json(str(path), "--mapping", MAPPING)
    assert code == 1
    codes = {(f["code"], f["column"]) for f in data["findings"]}
    assert ("column-missing", "住民区分") in codes
    # the rest of the file is still checked: the injected 宛名番号 check digit (line 9) is found
    assert any(f["code"] == "check-digit-invalid" and f["line"] == 9 for f in data["findings"])
    needs = [s for s in data["skipped"] if s.get("needs") == ["jumin_shubetsu"]]
    assert {s["code"] for s in needs} == {"conditional-required-missing"} and len(needs) == 3
    assert all(s["columns"] == ["住民区分"] for s in needs)
    assert data["summary"]["complete"] is False
    # a file-level error: the file is not ready as delivered (not 90 %)
    assert data["summary"]["readiness"] == 0.0 and data["summary"]["readiness_measurable"] is False


def test_a_rule_over_a_missing_item_is_listed_as_not_run(juki: Path, tmp_path: Path) -> None:
    path = _drop(juki, tmp_path / "no-birth.csv", "生年月日")
    code, data = _json(str(path), "--mapping", MAPPING)
    assert code == 1
    rules = [s for s in data["skipped"] if s.get("code") == "rule-violated"]
    assert {s["rule"] for s in rules} == {"birth-before-resident", "birth-before-address"}
    assert all(s["columns"] == ["生年月日"] for s in rules)
    assert all(c["ran"] for c in data["checks"])  # what is listed as a check did run


def test_wrong_file_for_the_mapping(tmp_path: Path) -> None:
    """Nothing the mapping reads is there (it used to fail in the 外字 count with a SchemaError)."""
    path = tmp_path / "other.csv"
    path.write_text("x,y\n1,2\n3,4\n", encoding="utf-8")
    code, data = _json(str(path), "--mapping", MAPPING)
    assert code == 1
    missing = [f for f in data["findings"] if f["code"] == "column-missing"]
    assert len(missing) >= 20 and data["rows"] == 2
    assert data["summary"]["readiness"] == 0.0 and data["summary"]["complete"] is False
    assert {f["column"] for f in data["findings"] if f["code"] == "column-unmapped"} == {"x", "y"}


def test_most_columns_missing_is_not_100_percent_ready(juki: Path, tmp_path: Path) -> None:
    rows = _rows(juki)
    path = _write(tmp_path / "three.csv", [r[:3] for r in rows])
    code, data = _json(str(path), "--mapping", MAPPING)
    assert code == 1 and data["summary"]["file_errors"] >= 17
    assert data["summary"]["readiness"] == 0.0


def test_header_only_says_no_data_rows(juki: Path, tmp_path: Path) -> None:
    path = _write(tmp_path / "header.csv", _rows(juki)[:1])
    code, data = _json(str(path), "--mapping", MAPPING)
    assert code == 0 and data["rows"] == 0
    assert [(f["code"], f["severity"]) for f in data["findings"]] == [("no-data-rows", "warning")]
    assert data["summary"]["readiness_measurable"] is False
    text = run("validate", str(path), "--mapping", MAPPING).stdout
    assert "no-data-rows" in text and "データ行がない" in text


def test_blank_lines_only(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_bytes(b"\r\n\n \n\r\n")
    for chunk in ("12M", "1", "0"):
        res = run("validate", str(path), "--mapping", MAPPING, "--chunk-size", chunk)
        _one_line_error(res, ExitCode.INPUT, str(path), "空のファイル")


def test_cr_only_line_ends_are_line_ends(juki: Path, tmp_path: Path) -> None:
    """An old-Mac export (CR only) is read line by line, quickly, with a warning, not as one header."""
    path = tmp_path / "cr.csv"
    path.write_bytes(juki.read_bytes().replace(b"\r\n", b"\r"))
    t0 = time.perf_counter()
    code, data = _json(str(path), "--mapping", MAPPING)
    assert time.perf_counter() - t0 < 20
    _, crlf = _json(str(juki), "--mapping", MAPPING)
    assert code == 1 and data["rows"] == crlf["rows"] == 30
    assert [f["code"] for f in data["findings"] if f["line"] == 1] == ["line-end-cr-only"]
    same = [f for f in data["findings"] if f["code"] != "line-end-cr-only"]
    assert same == crlf["findings"]


def test_hundred_thousand_columns_in_bounded_time(tmp_path: Path) -> None:
    """The header (names, duplicates) and the mapping plan are linear in the columns: 10⁵ columns took
    minutes when a list was searched per column."""
    from migrate.io.csvfile import read_table
    from migrate.mapping.apply import plan_mapping

    n = 100_000
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i % 50_000}" for i in range(n)) + "\n" + ",".join("1" * n) + "\n", "utf-8")
    entity = load_registry(SPECS).entity("juki/jumin")[1]
    t0 = time.perf_counter()
    table = read_table(path)
    plan = plan_mapping(table.header, load_mapping(MAPPING), entity)
    assert time.perf_counter() - t0 < 15
    assert len(table.header) == n and table.header[50_000] == "c0_2"
    assert sum(i.code == "header-duplicate" for i in table.issues) == 50_000
    assert len(plan.unmapped_columns) == n and len(plan.missing_columns) == 22
    # and end to end, a wide file is a result with findings, not a wait
    small = tmp_path / "wide-small.csv"
    small.write_text(",".join(f"c{i}" for i in range(5000)) + "\n" + ",".join("1" * 5000) + "\n", "utf-8")
    code, data = _json(str(small), "--mapping", MAPPING, "--max-findings", "5")
    assert code == 1 and data["findings_total"] > 5000 and data["truncated"] is True


def test_a_file_without_line_ends_or_with_absurd_width_is_refused_fast(tmp_path: Path) -> None:
    """Binary or one-line files (17 MB, no line end) and a header of 10⁶ empty cells: refused in
    bounded time and memory instead of being read whole as one header."""
    one_line = tmp_path / "one-line.csv"
    one_line.write_bytes(b"a" * (17 << 20))
    commas = tmp_path / "commas.csv"
    commas.write_bytes(b"," * 1_000_000 + b"\n1\n")
    t0 = time.perf_counter()
    _one_line_error(run("validate", str(one_line), "--spec", "juki/jumin"), ExitCode.INPUT, "16 MB")
    _one_line_error(run("validate", str(commas), "--spec", "juki/jumin"), ExitCode.INPUT, f"{commas}:1:")
    assert time.perf_counter() - t0 < 15


# ---------------------------------------------------------------------------------------------------
# special files: refused up front (exit 4), never opened in a way that blocks
# ---------------------------------------------------------------------------------------------------


def _cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MIGRATE_LANG": "ja"}
    return subprocess.run(
        [sys.executable, "-m", "migrate", "--specs", str(SPECS), *args],
        capture_output=True,
        text=True,
        timeout=timeout,  # a hang fails the test instead of hanging CI
        cwd=ROOT,
        env=env,
        check=False,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "delivery.csv"
    os.mkfifo(fifo)
    res = _cli("validate", str(fifo), "--mapping", MAPPING, timeout=30)
    assert res.returncode == 4, res.stderr
    assert str(fifo) in res.stderr and "FIFO" in res.stderr and "Traceback" not in res.stderr


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/null", "folder"])
def test_device_or_folder_is_refused(tmp_path: Path, special: str) -> None:
    path = tmp_path if special == "folder" else Path(special)
    if not path.exists():
        pytest.skip(f"{special} absent")
    res = run("validate", str(path), "--mapping", MAPPING)
    _one_line_error(res, ExitCode.INPUT, str(path))


def test_unreadable_file_is_an_input_error(juki: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not click's usage error (exit 2): the reader refuses it with exit 4 and a remedy."""
    real_open, real_access = os.open, os.access

    def deny_open(path: Any, flags: int, *a: Any, **k: Any) -> int:
        if Path(path) == juki:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *a, **k)

    monkeypatch.setattr(os, "open", deny_open)
    monkeypatch.setattr(os, "access", lambda p, m, *a, **k: Path(p) != juki and real_access(p, m))
    res = run("validate", str(juki), "--mapping", MAPPING)
    _one_line_error(res, ExitCode.INPUT, str(juki), "権限")


# ---------------------------------------------------------------------------------------------------
# options: exit 2 with a message
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value", "needle"),
    [
        ("--encoding", "hex", "hex"),
        ("--encoding", "no-such-codec", "no-such-codec"),
        ("--delimiter", "::", "::"),
        ("--delimiter", '"', "区切り"),
        ("--chunk-size", "9999G", "9999G"),
        ("--chunk-size", "nan", "nan"),
        ("--chunk-size", "-1", "chunk-size"),
    ],
)
def test_bad_option_is_a_usage_error(juki: Path, option: str, value: str, needle: str) -> None:
    res = run("validate", str(juki), "--mapping", MAPPING, option, value)
    _one_line_error(res, ExitCode.USAGE, needle)


def test_tab_delimiter_by_name(tmp_path: Path) -> None:
    path = tmp_path / "std.txt"
    path.write_text("atena_no\tseibetsu\n0000000015\t1\n", encoding="utf-8")
    res = run("validate", str(path), "--spec", "juki/jumin", "--delimiter", "tab", "--format", "json")
    data = json.loads(res.stdout)["data"][0]
    assert data["delimiter"] == "\t" and data["rows"] == 1


def test_spec_without_entity_takes_the_mapping_s(juki: Path) -> None:
    code, data = _json(str(juki), "--mapping", MAPPING, "--spec", "juki")
    assert code == 1 and data["entity"] == "jumin"


# ---------------------------------------------------------------------------------------------------
# YAML: mappings, specs and plans are refused at load with file:line (exit 3)
# ---------------------------------------------------------------------------------------------------

MAPPING_HEAD = """\
kind: migrate/mapping
format: 1
id: hostile
spec: juki@4.0
entity: jumin
source: {SOURCE}
items:
  atena_no: {ITEM}
  setai_no: {from: 世帯番号}
"""


@pytest.mark.parametrize(
    ("source", "item", "needle"),
    [
        ("{}", "{from: 宛名番号, transforms: [{zero-pad: 1000000000}]}", "zero-pad"),
        ("{}", "{from: 宛名番号, transforms: [{zero-pad: true}]}", "zero-pad"),
        ("{encoding: hex}", "{from: 宛名番号}", "hex"),
        ("{delimiter: '::'}", "{from: 宛名番号}", "::"),
        ("{}", '{from: ""}', "from"),
        ("{}", "{from: []}", "from"),
        ("{}", "{from: 宛名番号, split: {separator: '', index: 0}}", "separator"),
    ],
)
def test_mapping_check_refuses_what_validate_cannot_run(
    juki: Path, tmp_path: Path, source: str, item: str, needle: str
) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(MAPPING_HEAD.replace("{SOURCE}", source).replace("{ITEM}", item), encoding="utf-8")
    for args in (("mapping", "check", str(path)), ("validate", str(juki), "--mapping", str(path))):
        res = run(*args)
        _one_line_error(res, ExitCode.CONFIG, f"{path}:", needle)


def test_mapping_check_dry_runs_what_validate_would_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever validate would fail on with this mapping fails the lint too (a transform polars
    cannot run is simulated: the lint maps and checks made-up rows the way validate does)."""
    from migrate.mapping import apply

    def broken(e: pl.Expr, name: str) -> pl.Expr:
        return e.str.contains("(?=x)")  # an expression polars refuses when it runs

    assert "mapping-unrunnable" not in run("mapping", "check", MAPPING).stdout
    monkeypatch.setattr(apply, "_simple", broken)
    res = run("mapping", "check", MAPPING, "--format", "json")
    issues = json.loads(res.stdout)["data"]["issues"]
    assert res.exit_code == 1 and "mapping-unrunnable" in {i["code"] for i in issues}


def test_duplicate_yaml_keys_name_both_lines(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    text = MAPPING_HEAD.replace("{SOURCE}", "{}").replace("{ITEM}", "{from: 宛名番号}")
    path.write_text(text + "  atena_no: {from: 個人番号}\n", encoding="utf-8")
    res = run("mapping", "check", str(path))
    _one_line_error(res, ExitCode.CONFIG, f"{path}:10:", "atena_no", "8", "10")
    res = run("--lang", "en", "mapping", "check", str(path))
    _one_line_error(res, ExitCode.CONFIG, "duplicate key 'atena_no' (lines 8 and 10)")


def _specs_copy(tmp_path: Path) -> Path:
    dst = tmp_path / "specs"
    dst.mkdir()
    shutil.copytree(SPECS / "codes", dst / "codes")
    shutil.copytree(SPECS / "juki", dst / "juki")
    return dst


def test_pattern_polars_cannot_run_is_refused_at_load(tmp_path: Path) -> None:
    specs = _specs_copy(tmp_path)
    spec = specs / "juki" / "4.0.yaml"
    text = spec.read_text(encoding="utf-8")
    assert 'pattern: "^[0-9]{3}-?[0-9]{4}$"' in text
    spec.write_text(text.replace('"^[0-9]{3}-?[0-9]{4}$"', '"^(?=[0-9])[0-9]{3}-?[0-9]{4}$"', 1), "utf-8")
    line = next(i for i, ln in enumerate(spec.read_text("utf-8").splitlines(), 1) if "(?=" in ln)
    res = run("--specs", str(specs), "specs", "list")
    _one_line_error(res, ExitCode.CONFIG, f"{spec}:{line}:", "polars")


@pytest.mark.parametrize("mode", ["rows", "distinct"])
def test_a_check_that_cannot_run_is_never_counted_and_hides_no_other(
    juki: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    """Bypassing the load-time check (a pattern polars refuses): that check is reported as not run,
    the checks of the other items still run and report, and the result is not complete."""
    from migrate.validate import run as vrun

    if mode == "distinct":  # the first validation (new distinct values, gated by segment) too
        for name in ("DISTINCT_RATIO", "DATE_RATIO", "NEW_RATIO"):
            monkeypatch.setattr(vrun, name, 2.0)
        monkeypatch.setattr(vrun, "DISTINCT_MIN_ROWS", 0)
    reg = load_registry(SPECS)
    spec, entity = reg.entity("juki/jumin")
    postal = entity.item("postal_code").model_copy(update={"pattern": "^(?=[0-9])[0-9]{3}-?[0-9]{4}$"})
    broken = entity.model_copy(
        update={"items": [postal if it.id == "postal_code" else it for it in entity.items]}
    )
    result = validate_file(juki, spec, broken, reg, load_mapping(MAPPING), chunk_bytes=None)
    assert result.complete is False
    not_run = [c for c in result.checks if not c["ran"]]
    assert [(c["item"], c["code"]) for c in not_run] == [("postal_code", "pattern-mismatch")]
    assert [(s["item"], s["reason"]) for s in result.skipped if s["reason"] == "check-error"] == [
        ("postal_code", "check-error")
    ]
    found = set(zip(result.findings["line"], result.findings["code"], strict=True))
    assert {(9, "check-digit-invalid"), (5, "date-invalid"), (19, "code-invalid")} <= found


PLAN = ROOT / "demo" / "plan.yaml"


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("    duration: 10\n", "    duration: 100000000\n", "5200"),
        ("start: 2023-04-03\n", "start: 0001-01-01\n", "0001-01-01"),
        ("    actual_start: 2023-04-03\n", "    actual_start: 0001-01-01\n", "0001-01-01"),
    ],
)
def test_plan_bounds(tmp_path: Path, old: str, new: str, needle: str) -> None:
    """A huge duration (it hung) or a year-1 date (OverflowError) makes the plan invalid, fast."""
    text = PLAN.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "plan.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    t0 = time.perf_counter()
    for cmd in ("check", "status"):
        res = run("plan", cmd, str(path), "--as-of", "2026-11-23")
        _one_line_error(res, ExitCode.CONFIG, f"{path}:", needle)
    assert time.perf_counter() - t0 < 20


# ---------------------------------------------------------------------------------------------------
# results that say what they are
# ---------------------------------------------------------------------------------------------------


def test_reference_without_ref_is_not_complete(juki: Path) -> None:
    _, data = _json(str(juki), "--mapping", MAPPING)
    refs = [s for s in data["skipped"] if s["reason"] == "reference-not-given"]
    assert refs == [
        {
            "item": "setai_no",
            "code": "reference-missing",
            "reason": "reference-not-given",
            "columns": [],
            "references": "juki/setai/setai_no",
        }
    ]
    assert data["summary"]["complete"] is False


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("many") / "many.csv"
    rows = ["atena_no,seibetsu"] + [f"{1000000000 + i},7" for i in range(1001)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_json_lists_every_finding_unless_capped(many: Path) -> None:
    args = (str(many), "--spec", "juki/jumin")
    _, data = _json(*args)
    total = data["findings_total"]
    assert total > 1001 and len(data["findings"]) == total and data["truncated"] is False
    _, capped = _json(*args, "--max-findings", "10")
    assert len(capped["findings"]) == 10 and capped["truncated"] is True
    assert capped["findings_total"] == total
    _, none = _json(*args, "--max-findings", "0")
    assert none["findings"] == [] and none["truncated"] is True


def test_rule_violated_names_every_column(juki: Path, tmp_path: Path) -> None:
    rows = _rows(juki)
    h = rows[0]
    rows[4][h.index("生年月日")] = "H10.01.01"
    rows[4][h.index("住民日")] = "S50.01.01"  # born after becoming a resident
    path = _write(tmp_path / "rule.csv", rows)
    _, data = _json(str(path), "--mapping", MAPPING, "--show-values")
    hits = [f for f in data["findings"] if f["code"] == "rule-violated" and f["line"] == 5]
    by_rule = {f["detail"]["rule"]: f for f in hits}
    f = by_rule["birth-before-resident"]
    assert f["column"] == "生年月日 | 住民日" and f["detail"]["items"] == ["birth_date", "resident_since"]
    assert f["value"] == "H10.01.01 | S50.01.01"


# ---------------------------------------------------------------------------------------------------
# faults: damaged history, full disk
# ---------------------------------------------------------------------------------------------------


def test_damaged_history_database(tmp_path: Path) -> None:
    from migrate.history.store import HistoryStore

    path = tmp_path / "history.sqlite"
    HistoryStore.open(path).close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = DELETE")
    db.execute("CREATE TABLE filler (x)")
    db.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,)] * 2000)
    db.commit()
    db.close()
    raw = bytearray(path.read_bytes())
    raw[-4096 * 20 : -4096 * 10] = b"\x55" * (4096 * 10)  # pages no query of `history list` reads
    path.write_bytes(bytes(raw))
    res = run("history", "list", "--history", str(path))
    _one_line_error(res, ExitCode.INPUT, str(path), "壊れて", "バックアップ")


def test_full_disk_is_one_line_with_the_path(
    juki: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(self: Path, *a: Any, **k: Any) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_text", full)
    out = tmp_path / "result.json"
    res = run("validate", str(juki), "--mapping", MAPPING, "--format", "json", "-o", str(out))
    _one_line_error(res, ExitCode.INPUT, str(out), "ディスクの空き")
    assert not out.exists() and not list(tmp_path.glob(".result.json.*"))


def test_findings_frame_is_well_typed_when_nothing_is_checked(tmp_path: Path) -> None:
    reg = load_registry(SPECS)
    spec, entity = reg.entity("juki/jumin")
    path = tmp_path / "none.csv"
    path.write_text("x\n1\n", encoding="utf-8")
    result = validate_file(path, spec, entity, reg, load_mapping(MAPPING))
    assert result.findings.schema["line"] == pl.Int64 and result.rows == 1
