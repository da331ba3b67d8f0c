"""End to end through the CLI on fixture extracts with known injected defects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migrate.samples import JUKI_DEFECTS, write_juki
from tests.conftest import ROOT, run

MAPPING = str(ROOT / "mappings/juki/midori-jumin-v1.yaml")


@pytest.fixture(scope="module")
def juki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_juki(tmp_path_factory.mktemp("x") / "juki.csv", 40)


def test_finds_exactly_the_injected_errors(juki: Path) -> None:
    res = run("validate", str(juki), "--mapping", MAPPING, "--format", "json")
    assert res.exit_code == 1
    doc = json.loads(res.stdout)
    assert doc["migrate"]["envelope"] == 1 and doc["kind"] == "validation"
    data = doc["data"][0]
    errors = {(f["line"], f["code"]) for f in data["findings"] if f["severity"] == "error"}
    expected = {
        (row + 2, code) for row, (_, _, code) in JUKI_DEFECTS.items() if code != "charset-zenkaku-kana"
    }
    assert errors == expected
    warnings = {(f["line"], f["code"]) for f in data["findings"] if f["severity"] == "warning"}
    assert (13, "charset-zenkaku-kana") in warnings
    # setai_no references juki/setai: without --ref that check does not run, and the result says so
    assert data["rows"] == 40 and data["summary"]["complete"] is False
    assert [(s["item"], s["reason"]) for s in data["skipped"]] == [("setai_no", "reference-not-given")]
    assert data["summary"]["readiness"] == pytest.approx((40 - len(expected)) / 40)
    assert data["gaiji"][0]["codepoint"] == "U+E000" and data["gaiji"][0]["cp932"] == "F040"


def test_my_number_never_shown(juki: Path) -> None:
    numbers = [line.split(",")[2] for line in juki.read_text(encoding="cp932").splitlines()[1:]]
    for args in ([], ["--show-values"]):
        for fmt in ("json", "text", "junit"):
            out = run("validate", str(juki), "--mapping", MAPPING, "--format", fmt, *args).stdout
            assert not any(n and n in out for n in numbers)


def test_personal_values_masked_unless_asked(juki: Path) -> None:
    masked = run("validate", str(juki), "--mapping", MAPPING, "--format", "json").stdout
    shown = run("validate", str(juki), "--mapping", MAPPING, "--format", "json", "--show-values").stdout
    assert "12-34567" not in masked and "12-34567" in shown


def test_text_and_junit(juki: Path) -> None:
    text = run("validate", str(juki), "--mapping", MAPPING).stdout
    assert "移行可能率" in text and "check-digit-invalid" in text
    en = run("--lang", "en", "validate", str(juki), "--mapping", MAPPING).stdout
    assert "readiness" in en
    xml = run("validate", str(juki), "--mapping", MAPPING, "--format", "junit").stdout
    assert xml.startswith("<?xml") and "<failure" in xml


def test_clean_file_exits_zero(tmp_path: Path) -> None:
    f = write_juki(tmp_path / "clean.csv", 20, defects=False)
    res = run("validate", str(f), "--mapping", MAPPING, "--format", "json")
    data = json.loads(res.stdout)["data"][0]
    assert [x for x in data["findings"] if x["severity"] == "error"] == []
    assert res.exit_code == 0


def test_cross_file_reference(tmp_path: Path) -> None:
    spec_dir = ROOT / "specs"
    ref = tmp_path / "jumin.csv"
    ref.write_text("atena_no\n0001000014\n", encoding="utf-8")
    setai = tmp_path / "setai.csv"
    setai.write_text(
        "setai_no,setainushi_atena_no\n0005000017,0001000014\n0005000028,0001000025\n", encoding="utf-8"
    )
    res = run(
        "validate", str(setai), "--spec", "juki/setai", "--ref", f"juki/jumin={ref}", "--format", "json"
    )
    findings = json.loads(res.stdout)["data"][0]["findings"]
    refs = [(f["line"], f["item"]) for f in findings if f["code"] == "reference-missing"]
    assert refs == [(3, "setainushi_atena_no")]
    assert spec_dir.exists()


def test_standard_headers_without_mapping_and_missing_columns(tmp_path: Path) -> None:
    f = tmp_path / "std.csv"
    f.write_text("宛名番号,氏名\n0001000014,山田　太郎\n", encoding="utf-8")
    data = json.loads(run("validate", str(f), "--spec", "juki/jumin", "--format", "json").stdout)["data"][0]
    assert data["summary"]["complete"] is False
    assert {"column-missing"} <= {x["code"] for x in data["findings"]}


@pytest.mark.parametrize(
    ("args", "code", "text"),
    [
        (["validate", "nope.csv", "--spec", "juki/jumin"], 4, "ファイルがありません"),
        (["validate", "x.csv"], 2, "--spec"),
        (["validate", "x.csv", "--spec", "nosuch/x"], 2, "nosuch"),
        (["validate", "x.csv", "--spec", "juki"], 2, "jumin"),
    ],
)
def test_usage_and_input_errors(args: list[str], code: int, text: str) -> None:
    res = run(*args)
    assert res.exit_code == code and text in res.stderr and "Traceback" not in res.stderr


def test_broken_mapping_names_file_and_line(tmp_path: Path, juki: Path) -> None:
    bad = tmp_path / "m.yaml"
    bad.write_text(
        "kind: migrate/mapping\nformat: 1\nid: x\nspec: juki\nentity: jumin\nitems:\n  atena_no: {from: A, transforms: [bogus]}\n"
    )
    res = run("validate", str(juki), "--mapping", str(bad))
    assert res.exit_code == 3 and f"{bad}:7" in res.stderr
    broken = tmp_path / "b.yaml"
    broken.write_text("kind: migrate/mapping\nitems: [\n")
    res = run("validate", str(juki), "--mapping", str(broken))
    assert res.exit_code == 3 and str(broken) in res.stderr


def test_mapping_check(tmp_path: Path) -> None:
    assert run("mapping", "check", MAPPING).exit_code == 0
    m = tmp_path / "m.yaml"
    m.write_text(
        "kind: migrate/mapping\nformat: 1\nid: lint\nspec: juki\nentity: jumin\n"
        "source: {columns: [A, B, C]}\n"
        "items:\n  atena_no: {from: A}\n  seibetsu: {from: B, codes: {M: '1', F: '7'}}\n  nosuch: {from: A}\n"
    )
    res = run("mapping", "check", str(m), "--format", "json")
    issues = {(i["code"], i["item"]) for i in json.loads(res.stdout)["data"]["issues"]}
    assert res.exit_code == 1
    assert {
        ("unknown-item", "nosuch"),
        ("required-unmapped", "shimei"),
        ("code-target-unknown", "seibetsu"),
    } <= issues
    assert ("column-ignored", None) in issues


def test_source_file_never_modified(juki: Path) -> None:
    before = juki.read_bytes()
    run("validate", str(juki), "--mapping", MAPPING)
    assert juki.read_bytes() == before
