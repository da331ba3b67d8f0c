"""Loading specs: every committed spec loads, and a broken one is one line naming file and line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.cli import cli
from migrate.standard.loader import SpecRegistry, load_registry
from tests.conftest import SPECS

# The 20 businesses of the programme (domain notes): ids used throughout the product.
BUSINESS_IDS = {
    "juki",
    "inkan",
    "koseki",
    "koseki-fuhyo",
    "senkyo",
    "kojin-juminzei",
    "hojin-juminzei",
    "kotei-shisanzei",
    "keijidoshazei",
    "shugaku",
    "kenko-kanri",
    "jido-fuyo-teate",
    "seikatsu-hogo",
    "shogaisha-fukushi",
    "kaigo-hoken",
    "kokuho",
    "koki-korei",
    "kokumin-nenkin",
    "jido-teate",
    "kodomo-kosodate",
}
JUKI_TABLES = ("jumin-shubetsu", "jumin-jotai", "seibetsu", "zokugara", "ido-jiyu")


@pytest.fixture(scope="module")
def reg() -> SpecRegistry:
    return load_registry(SPECS)


# 共通機能 imported as specs of their own (outside the 20; tax and welfare extracts refer to them)
COMMON_FUNCTION_IDS = {"atena"}


def test_every_committed_spec_loads_and_covers_the_20_businesses(reg: SpecRegistry) -> None:
    assert set(reg.business_ids) == BUSINESS_IDS | COMMON_FUNCTION_IDS
    for versions in reg.specs.values():
        for spec in versions:
            assert spec.entities
    codes = [reg.latest(b).business.code for b in reg.business_ids]
    assert codes == sorted(codes)


def test_juki_has_both_versions_and_61_notes_say_assumed(reg: SpecRegistry) -> None:
    assert [s.version for s in reg.specs["juki"]] == ["4.0", "6.1"]
    latest = reg.get("juki")
    assert latest.version == "6.1" and str(latest.source.published) == "2026-03-25"
    assert latest.notes and "assumed" in latest.notes


def _specs_dir(tmp_path: Path, spec_text: str) -> Path:
    root = tmp_path / "specs"
    (root / "codes").mkdir(parents=True)
    for table in JUKI_TABLES:
        shutil.copy(SPECS / "codes" / f"{table}.yaml", root / "codes" / f"{table}.yaml")
    (root / "juki").mkdir()
    (root / "juki" / "4.0.yaml").write_text(spec_text, encoding="utf-8")
    return root


def _line_of(text: str, needle: str) -> int:
    for n, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return n
    raise AssertionError(needle)


def _list(root: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [*extra, "--specs", str(root), "specs", "list"])
    return result.exit_code, result.stderr


def test_tmp_copy_of_juki_is_valid(tmp_path: Path) -> None:
    text = (SPECS / "juki" / "4.0.yaml").read_text(encoding="utf-8")
    code, err = _list(_specs_dir(tmp_path, text))
    assert code == 0, err


def _corrupt(kind: str) -> tuple[str, str, str]:
    """(spec text, needle on the line the error must name, words the message must contain)."""
    text = (SPECS / "juki" / "4.0.yaml").read_text(encoding="utf-8")
    if kind == "bad-yaml":
        bad = text.replace("    name_ja: 世帯\n", "    name_ja: 世帯: 重複\n", 1)
        return bad, "name_ja: 世帯: 重複", "YAML"
    if kind == "unknown-type":
        bad = text.replace("type: flag, required: optional}", "type: picture, required: optional}", 1)
        return bad, "type: picture", "picture"
    if kind == "dangling-code-table":
        bad = text.replace("code_table: seibetsu", "code_table: no-such-table", 1)
        return bad, "no-such-table", "no-such-table"
    if kind == "unknown-key":
        bad = text.replace("{id: atena_no, std_id", "{id: atena_no, colour: red, std_id", 1)
        return bad, "colour: red", "colour"
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["bad-yaml", "unknown-type", "dangling-code-table", "unknown-key"])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_broken_spec_is_one_line_with_file_and_line(tmp_path: Path, kind: str, lang: str) -> None:
    text, needle, words = _corrupt(kind)
    root = _specs_dir(tmp_path, text)
    code, err = _list(root, "--lang", lang)
    assert code == 3, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    [message] = lines
    assert message.startswith("エラー: " if lang == "ja" else "error: ")
    m = re.search(r"4\.0\.yaml:(\d+)(?::\d+)?", message)
    assert m, message
    expected = _line_of(text, needle)
    assert int(m.group(1)) == expected, message
    assert words.lower() in message.lower()
    assert str(root / "juki" / "4.0.yaml") in message
    assert "Traceback" not in err


def test_file_name_must_match_version(tmp_path: Path) -> None:
    text = (
        (SPECS / "juki" / "4.0.yaml").read_text(encoding="utf-8").replace('version: "4.0"', 'version: "4.1"')
    )
    code, err = _list(_specs_dir(tmp_path, text))
    assert code == 3
    assert "4.0.yaml:" in err and "4.1" in err


def test_missing_specs_folder_exit_3(tmp_path: Path) -> None:
    code, err = _list(tmp_path / "nowhere")
    assert code == 3
    assert "nowhere" in err
