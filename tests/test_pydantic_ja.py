"""pydantic's validation errors in Japanese (English with --lang en), with key path and file:line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from migrate.i18n import set_lang
from migrate.yamlfile import pydantic_message
from tests.conftest import run

PLAN = """kind: migrate/plan
format: 1
municipality: {{name: テスト市, lg_code: "131016"}}
start: 2025-04-01
businesses:
  - id: juki
    deadline: 2040-03-30
    deadline_reason: test
    milestones:
      - {{id: a, name: A, duration: {duration}}}
"""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")
    n: int = 0
    ratio: float = 0.0
    name: str = ""
    flag: bool = False
    day: dt.date = dt.date(2026, 1, 1)
    kind: Literal["a", "b"] = "a"
    positive: int = Field(default=1, gt=0)
    at_least: int = Field(default=1, ge=1)
    small: int = Field(default=1, lt=10)
    at_most: int = Field(default=1, le=9)
    items: list[int] = Field(default_factory=lambda: [1], min_length=1, max_length=2)
    text: str = Field(default="ab", min_length=2, max_length=3, pattern="^[a-z]+$")
    needed: str


def _error(**data: object) -> dict[str, object]:
    try:
        _Model.model_validate({"needed": "x", **data})
    except ValidationError as exc:
        return dict(exc.errors()[0])
    raise AssertionError("no error")


CASES = [
    ({"n": "abc"}, "int_parsing", "整数ではありません (値: 'abc')"),
    ({"n": 1.5}, "int_from_float", "整数で書いてください"),
    ({"ratio": "x"}, "float_parsing", "数値ではありません"),
    ({"name": 5}, "string_type", "文字列ではありません (値: 5)"),
    ({"flag": "maybe"}, "bool_parsing", "true / false ではありません"),
    ({"day": "2026-02-30"}, "date_from_datetime_parsing", "日付 (YYYY-MM-DD) ではありません"),
    ({"kind": "c"}, "literal_error", "値 'c' は使えません"),
    ({"positive": 0}, "greater_than", "0 より大きい値にしてください (値: 0)"),
    ({"at_least": 0}, "greater_than_equal", "1 以上にしてください"),
    ({"small": 10}, "less_than", "10 より小さい値にしてください"),
    ({"at_most": 10}, "less_than_equal", "9 以下にしてください"),
    ({"items": []}, "too_short", "要素が少なすぎます (最小 1 個、実際 0 個)"),
    ({"items": [1, 2, 3]}, "too_long", "要素が多すぎます (最大 2 個、実際 3 個)"),
    ({"text": "a"}, "string_too_short", "文字列が短すぎます (最小 2 文字)"),
    ({"text": "abcd"}, "string_too_long", "文字列が長すぎます (最大 3 文字)"),
    ({"text": "AB"}, "string_pattern_mismatch", "形式が正しくありません"),
    ({"items": "x"}, "list_type", "リスト"),
    ({"other": 1}, "extra_forbidden", "不明なキーです"),
]


@pytest.mark.parametrize(("data", "kind", "ja"), CASES, ids=[c[1] for c in CASES])
def test_common_types_in_japanese_and_english(data: dict[str, object], kind: str, ja: str) -> None:
    err = _error(**data)
    assert err["type"] == kind
    set_lang("ja")
    assert ja in pydantic_message(err)
    set_lang("en")
    english = pydantic_message(err)
    assert english and not any("\u3040" <= ch <= "\u9fff" for ch in english)


def test_missing_key() -> None:
    try:
        _Model.model_validate({})
    except ValidationError as exc:
        err = exc.errors()[0]
    set_lang("ja")
    assert pydantic_message(err) == "必須のキーがありません"
    set_lang("en")
    assert pydantic_message(err) == "required key is missing"


def test_plan_with_a_wrong_type_through_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN.format(duration="abc"), encoding="utf-8")
    res = run("plan", "check", str(path))
    assert res.exit_code == 3 and "Traceback" not in res.output
    assert f"{path}:10:" in res.stderr and "duration" in res.stderr
    assert "整数ではありません (値: 'abc')" in res.stderr and "Input should" not in res.stderr
    en = run("--lang", "en", "plan", "check", str(path))
    assert en.exit_code == 3 and f"{path}:10:" in en.stderr and "Input should be a valid integer" in en.stderr


def test_plan_with_a_negative_duration(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN.format(duration="-1"), encoding="utf-8")
    res = run("plan", "check", str(path))
    assert (
        res.exit_code == 3 and "0 以上にしてください (値: -1)" in res.stderr and f"{path}:10:" in res.stderr
    )


def test_mapping_with_a_wrong_type(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(
        "kind: migrate/mapping\nformat: 1\nid: x\nspec: juki\nentity: jumin\nsource: {columns: 5}\n"
        "items:\n  atena_no: {from: A}\n",
        encoding="utf-8",
    )
    res = run("mapping", "check", str(path))
    assert res.exit_code == 3 and f"{path}:6:19 source.columns: リスト" in res.stderr
    en = run("--lang", "en", "mapping", "check", str(path))
    assert f"{path}:6:19 source.columns: Input should be a valid list" in en.stderr
