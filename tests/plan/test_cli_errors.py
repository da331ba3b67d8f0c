"""Bad plans and bad options through the CLI: a located message and an exit code, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run
from tests.plan.util import DIAMOND, ms, write_plan

HEAD = """kind: migrate/plan
format: 1
municipality: {name: テスト市, lg_code: "131016"}
start: 2025-04-01
businesses:
  - id: juki
    milestones:
"""


def _check(tmp_path: Path, text: str) -> tuple[int, str]:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("plan", "check", str(path))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_cycle_names_its_path(tmp_path: Path) -> None:
    code, out = _check(
        tmp_path,
        HEAD
        + """      - {id: a, name: A, duration: 5}
      - {id: b, name: B, duration: 5, depends_on: [a, c]}
      - {id: c, name: C, duration: 5, depends_on: [b]}
""",
    )
    assert code == 3
    assert "plan.yaml:9:" in out
    assert "依存関係が循環しています: juki:b → juki:c → juki:b" in out


def test_cycle_across_businesses(tmp_path: Path) -> None:
    path = write_plan(
        tmp_path / "plan.yaml",
        {"juki": [ms("a", 1, "kokuho:x")], "kokuho": [ms("x", 1, "juki:a")]},
    )
    result = run("--lang", "en", "plan", "status", str(path))
    assert result.exit_code == 3
    assert "the dependencies form a cycle: " in result.output
    assert "juki:a" in result.output and "kokuho:x" in result.output


def test_unknown_dependency(tmp_path: Path) -> None:
    code, out = _check(
        tmp_path,
        HEAD
        + """      - {id: a, name: A, duration: 5}
      - {id: b, name: B, duration: 5, depends_on: [a, x]}
      - {id: c, name: C, duration: 5, depends_on: [kokuho:s31]}
""",
    )
    assert code == 3
    assert "plan.yaml:9:" in out and "依存先 juki:x が見つかりません" in out
    assert "plan.yaml:10:" in out and "依存先の業務 kokuho が計画にありません" in out
    assert "全 2 件" in out


def test_duplicate_milestone_and_business(tmp_path: Path) -> None:
    code, out = _check(
        tmp_path,
        HEAD
        + """      - {id: a, name: A, duration: 5}
      - {id: a, name: B, duration: 5}
  - id: juki
    milestones:
      - {id: z, name: Z, duration: 1}
""",
    )
    assert code == 3
    assert "plan.yaml:9:" in out and "juki のマイルストーン a が重複しています" in out
    assert "plan.yaml:10:" in out and "業務 juki が重複しています" in out


def test_broken_yaml_reports_its_line(tmp_path: Path) -> None:
    code, out = _check(tmp_path, "kind: migrate/plan\nformat: 1\nmunicipality: {name: x\n  lg_code: 1\n")
    assert code == 3
    assert "plan.yaml:4:" in out and "YAML の構文エラー" in out


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('lg_code: "131016"', 'lg_code: "131017"', "検査数字が正しくありません"),
        (
            "milestones:\n",
            "deadline: 2025-03-31\n    milestones:\n",
            "期限 2025-03-31 が開始日 2025-04-01 より前です",
        ),
        ("milestones:\n", "deadline: 2027-03-31\n    milestones:\n", "理由 (deadline_reason) がありません"),
        ("{id: a, name: A, duration: 5}", "{id: a, name: A}", "期間がありません"),
        (
            "{id: a, name: A, duration: 5}",
            "{id: a, name: A, duration: 5, status: 済み}",
            "値 '済み' は使えません",
        ),
        ("{id: a, name: A, duration: 5}", "{id: a, name: A, duration: 5, colour: red}", "不明なキーです"),
        ("- id: juki", "- id: jukki", "業務 jukki は知られていません"),
    ],
    ids=[
        "lg-code",
        "deadline-before-start",
        "reason-missing",
        "no-duration",
        "bad-status",
        "unknown-key",
        "business",
    ],
)
def test_invalid_plans(tmp_path: Path, old: str, new: str, expected: str) -> None:
    text = HEAD + "      - {id: a, name: A, duration: 5}\n"
    assert old in text
    code, out = _check(tmp_path, text.replace(old, new, 1))
    assert code == 3
    assert expected in out
    assert "plan.yaml:" in out


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    result = run("plan", "status", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 4
    assert "ファイルがありません" in result.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--as-of", "2026-13-01"], "--as-of の日付 2026-13-01 を読めません"),
        (["--business", "kokuho"], "業務 kokuho は計画にありません"),
        (["--baseline", "nothing"], "基準計画 nothing がありません"),
    ],
)
def test_bad_status_options_are_usage_errors(tmp_path: Path, args: list[str], expected: str) -> None:
    path = write_plan(tmp_path / "plan.yaml", {"juki": DIAMOND})
    result = run("plan", "status", str(path), *args)
    assert result.exit_code == 2, result.output
    assert expected in result.output


@pytest.mark.parametrize(
    ("delay", "expected"),
    [
        ("juki:a+10", "形式が正しくありません"),
        ("juki:zz=+1d", "マイルストーン juki:zz が特定できません"),
        ("a=+1d", "マイルストーン a が特定できません"),
        ("juki:a=+1d", "完了または対象外"),
    ],
)
def test_bad_delays(tmp_path: Path, delay: str, expected: str) -> None:
    milestones = [ms("a", 3, actual_start="2026-06-01", actual_finish="2026-06-03"), ms("b", 2, "a")]
    path = write_plan(tmp_path / "plan.yaml", {"juki": milestones, "kokuho": [ms("a", 1)]})
    result = run("plan", "what-if", str(path), "--delay", delay, "--as-of", "2026-06-08")
    assert result.exit_code == 2, result.output
    assert expected in result.output


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31"])
@pytest.mark.parametrize("command", ["status", "risk", "critical"])
def test_as_of_out_of_range_is_a_usage_error(tmp_path: Path, date: str, command: str) -> None:
    path = write_plan(tmp_path / "plan.yaml", {"juki": DIAMOND})
    result = run("--lang", "en", "plan", command, str(path), "--as-of", date)
    assert result.exit_code == 2, result.output
    assert "out of range (1900-01-01 to 2199-12-31)" in result.output
    assert "Traceback" not in result.output and "OverflowError" not in result.output
