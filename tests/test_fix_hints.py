"""From finding to fix (issue 16): every finding code says what to do about it, in both languages, in
every output; the terminal summary shows errors first and keeps one language per table."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from migrate.findings import REGISTRY, severity_label, with_hints
from migrate.i18n import set_lang
from migrate.samples import write_juki
from tests.conftest import ROOT, run

MAPPING = str(ROOT / "mappings/juki/midori-jumin-v1.yaml")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def juki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_juki(tmp_path_factory.mktemp("hints") / "juki.csv", 40)


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_every_code_has_a_hint_in_both_languages(code: str) -> None:
    ft = REGISTRY[code]
    assert ft.hint_ja.strip() and ft.hint_en.strip()
    assert JAPANESE.search(ft.hint_ja), "the Japanese hint is Japanese"
    assert ft.hint_ja != ft.hint_en
    set_lang("en")
    assert ft.hint() == ft.hint_en
    set_lang("ja")
    assert ft.hint() == ft.hint_ja


def test_docs_list_every_hint() -> None:
    text = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    section = text.split("## From finding to fix", 1)[1].split("\n## ", 1)[0]
    rows = {line.split("|")[1].strip(" `"): line for line in section.splitlines() if line.startswith("| `")}
    assert set(rows) == set(REGISTRY)
    for code, ft in REGISTRY.items():
        assert ft.hint_ja.replace("|", "&#124;") in rows[code] and ft.hint_en in rows[code], code


def test_with_hints_adds_without_replacing() -> None:
    data: dict[str, Any] = {
        "counts": [{"code": "check-digit-invalid", "count": 2}],
        "other": {"code": "x", "count": 1},
    }
    kept = {"code": "nul-byte", "severity": "error", "hint": "mine"}
    with_hints([data, kept])
    assert data["counts"][0]["hint"] == REGISTRY["check-digit-invalid"].hint_ja
    assert "hint" not in data["other"] and kept["hint"] == "mine"


def test_json_carries_hint_and_message(juki: Path) -> None:
    doc = json.loads(run("validate", str(juki), "--mapping", MAPPING, "--format", "json").stdout)
    data = doc["data"][0]
    assert doc["migrate"]["envelope"] == 1 and {"findings", "summary", "checks"} <= set(data)
    assert data["findings"] and data["summary"]["counts"]
    for f in data["findings"]:
        assert f["hint"] == REGISTRY[f["code"]].hint_ja and f["message"] == REGISTRY[f["code"]].title_ja
        assert {"line", "row", "column", "item", "code", "severity", "value", "mapped", "detail"} <= set(f)
    assert all(c["hint"] == REGISTRY[c["code"]].hint_ja for c in data["summary"]["counts"])
    en = json.loads(
        run("--lang", "en", "validate", str(juki), "--mapping", MAPPING, "--format", "json").stdout
    )
    assert {f["hint"] for f in en["data"][0]["findings"]} <= {ft.hint_en for ft in REGISTRY.values()}


def test_terminal_summary_shows_hints_errors_first_and_one_language(juki: Path) -> None:
    text = run("validate", str(juki), "--mapping", MAPPING).stdout
    assert "修正のヒント:" in text
    assert REGISTRY["check-digit-invalid"].hint_ja in text
    assert REGISTRY["charset-zenkaku-kana"].hint_ja in text
    examples = text.split("  例 (", 1)[1].splitlines()[1:]
    severities = [line.split()[1] for line in examples if line.strip()]
    assert "警告" in severities and "エラー" in severities
    assert severities == sorted(severities, key=["エラー", "警告", "情報"].index)
    # the warning of line 13 comes after the errors of later lines
    assert int(examples[-1].split()[0]) == 13
    for word in ("warning", " error ", "info"):
        assert word not in text
    en = run("--lang", "en", "validate", str(juki), "--mapping", MAPPING).stdout
    assert "how to fix:" in en and REGISTRY["check-digit-invalid"].hint_en in en
    # legacy column names are the vendor's (Japanese) data; the tool's own words are English
    assert not any(word in en for word in ("エラー", "警告", "情報", "修正のヒント", "重大度"))


def test_severity_words_per_language() -> None:
    assert [severity_label(s) for s in ("error", "warning", "info")] == ["エラー", "警告", "情報"]
    set_lang("en")
    assert [severity_label(s) for s in ("error", "warning", "info")] == ["error", "warning", "info"]


def test_mapping_check_table_in_japanese(tmp_path: Path) -> None:
    m = tmp_path / "m.yaml"
    m.write_text(
        "kind: migrate/mapping\nformat: 1\nid: lint\nspec: juki\nentity: jumin\nsource: {columns: [A, B]}\n"
        "items:\n  atena_no: {from: A}\n",
        encoding="utf-8",
    )
    out = run("mapping", "check", str(m)).stdout
    assert "重大度" in out and ("エラー" in out or "警告" in out)
    assert not re.search(r"^(error|warning)\b", out, re.M)


def test_show_values_says_so(juki: Path) -> None:
    text = run("validate", str(juki), "--mapping", MAPPING, "--show-values").stdout
    first = text.splitlines()[0]
    assert "マスクせずに表示" in first and "個人番号は常にマスク" in first
    assert "マスクせずに" not in run("validate", str(juki), "--mapping", MAPPING).stdout
    res = run("validate", str(juki), "--mapping", MAPPING, "--show-values", "--format", "json")
    assert "マスクせずに表示" in res.stderr and json.loads(res.stdout)["kind"] == "validation"


def test_junit_message_has_the_hint(juki: Path) -> None:
    xml = run("validate", str(juki), "--mapping", MAPPING, "--format", "junit").stdout
    failures = ET.fromstring(xml.split("?>", 1)[1]).iter("failure")
    messages = {f.get("message") or "" for f in failures}
    assert any(REGISTRY["check-digit-invalid"].hint_ja in m and "行目" in m for m in messages)
    en = run("--lang", "en", "validate", str(juki), "--mapping", MAPPING, "--format", "junit").stdout
    assert REGISTRY["check-digit-invalid"].hint_en in en and "first at line" in en


def test_nightly_json_counts_carry_hints(tmp_path: Path) -> None:
    from tests.nightly.conftest import NIGHT1, write_jumin, write_suite

    suite = write_suite(tmp_path)
    write_jumin(tmp_path / "deliveries/a/chuo.csv", 20, defects=NIGHT1)
    res = run("nightly", str(suite), "-j", "1", "-q", "--format", "json")
    counts = [c for s in json.loads(res.stdout)["data"]["sources"] for f in s["files"] for c in f["counts"]]
    assert {c["code"] for c in counts} >= {"code-unmapped", "check-digit-invalid"}
    assert all(c["hint"] == REGISTRY[c["code"]].hint_ja for c in counts)
