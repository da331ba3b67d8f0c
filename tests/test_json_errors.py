"""With --format json an error is also a JSON object on stdout (the versioned envelope), converted at
the one error boundary (migrate/cli/__init__.py): a pipeline reading stdout always gets JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from migrate.checkdigit import my_number_check_digit
from migrate.mask import MY_NUMBER_MASK
from tests.conftest import ROOT, run

MAPPING = str(ROOT / "mappings/juki/midori-jumin-v1.yaml")
KEYS = {"code", "message", "file", "line", "hint", "exit_code"}


def _error(stdout: str) -> dict[str, Any]:
    doc = json.loads(stdout)
    assert doc["migrate"]["envelope"] == 1 and doc["kind"] == "error"
    data: dict[str, Any] = doc["data"]
    assert set(data) >= KEYS
    return data


def test_bad_csv_path() -> None:
    res = run("validate", "nope.csv", "--spec", "juki/jumin", "--format", "json")
    assert res.exit_code == 4
    err = _error(res.stdout)
    assert err["code"] == "input-unreadable" and err["exit_code"] == 4 and err["file"] == "nope.csv"
    assert err["message"] == "ファイルがありません"
    assert "nope.csv: ファイルがありません" in res.stderr  # the line on stderr is kept


def test_broken_yaml_mapping_names_file_and_line(tmp_path: Path) -> None:
    csv = tmp_path / "x.csv"
    csv.write_text("宛名番号\n0001000014\n", encoding="utf-8")
    broken = tmp_path / "m.yaml"
    broken.write_text("kind: migrate/mapping\nformat: 1\nitems: [\n", encoding="utf-8")
    res = run("validate", str(csv), "--mapping", str(broken), "--format", "json")
    assert res.exit_code == 3
    err = _error(res.stdout)
    assert err["code"] == "config-invalid" and err["file"] == str(broken) and err["line"] == 4
    assert err["message"].startswith("YAML の構文エラー")
    typed = tmp_path / "t.yaml"
    typed.write_text(
        "kind: migrate/mapping\nformat: 1\nid: x\nspec: juki\nentity: jumin\nsource: {columns: 5}\n"
        "items:\n  atena_no: {from: A}\n",
        encoding="utf-8",
    )
    res = run("--lang", "en", "mapping", "check", str(typed), "--format", "json")
    err = _error(res.stdout)
    assert res.exit_code == 3 and (err["file"], err["line"], err["key"]) == (str(typed), 6, "source.columns")


def test_broken_spec(tmp_path: Path) -> None:
    specs = tmp_path / "specs" / "juki"
    specs.mkdir(parents=True)
    (specs / "1.0.yaml").write_text("kind: migrate/spec\nformat: 1\nbusiness: [\n", encoding="utf-8")
    res = run("--specs", str(tmp_path / "specs"), "specs", "list", "--format", "json")
    assert res.exit_code == 3
    err = _error(res.stdout)
    assert err["file"] == str(specs / "1.0.yaml") and isinstance(err["line"], int)


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "x.csv", "--format", "json", "--fail-on", "bad"],  # click's usage error
        ["validate", "--format=json", "--no-such-option"],
        ["validate", "x.csv", "--format", "json"],  # ours: neither --spec nor --mapping
    ],
)
def test_usage_error(args: list[str]) -> None:
    res = run(*args)
    assert res.exit_code == 2
    err = _error(res.stdout)
    assert err["code"] == "usage-error" and err["exit_code"] == 2 and err["message"]
    assert "Error:" not in res.stderr and "エラー: " in res.stderr


def test_usage_error_in_english() -> None:
    res = run("--lang", "en", "validate", "x.csv", "--format", "json", "--fail-on", "bad")
    err = _error(res.stdout)
    assert "is not one of" in err["message"] and "for help" in err["hint"]


def test_text_format_prints_no_json() -> None:
    res = run("validate", "nope.csv", "--spec", "juki/jumin")
    assert res.exit_code == 4 and res.stdout == "" and "ファイルがありません" in res.stderr
    res = run("validate", "x.csv", "--format", "junit", "--fail-on", "bad")
    assert res.exit_code == 2 and res.stdout == ""


def test_other_commands_with_json(tmp_path: Path) -> None:
    res = run("nightly", str(tmp_path / "none.yaml"), "--format", "json")
    assert res.exit_code in (3, 4) and _error(res.stdout)["exit_code"] == res.exit_code
    res = run("history", "list", "--history", str(tmp_path / "h.sqlite"), "--format", "json", "--limit", "x")
    assert res.exit_code == 2 and _error(res.stdout)["code"] == "usage-error"


def test_my_number_in_an_error_is_masked(tmp_path: Path) -> None:
    number = "30000000003" + str(my_number_check_digit("30000000003"))
    res = run("validate", str(tmp_path / f"{number}.csv"), "--spec", "juki/jumin", "--format", "json")
    assert res.exit_code == 4 and number not in res.output
    assert MY_NUMBER_MASK in _error(res.stdout)["file"]


def test_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import migrate.cli.validate as validate_cli

    def broken(value: str) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(validate_cli, "parse_size", broken)
    res = run("validate", "x.csv", "--spec", "juki/jumin", "--format", "json")
    assert res.exit_code == 5 and "Traceback" not in res.output
    err = _error(res.stdout)
    assert err["code"] == "internal-error" and "RuntimeError: boom" in err["message"] and err["hint"]
