"""The step template and `plan init`."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from migrate.plan.load import load_plan
from migrate.plan.template import load_template
from tests.conftest import run


def test_bundled_template_has_forty_steps_in_four_phases() -> None:
    tpl = load_template()
    assert len(tpl.steps) == 40
    assert [p.name_ja for p in tpl.phases] == ["計画立案", "ベンダー選定・契約", "移行", "運用"]
    by_step = {s.step: s for s in tpl.steps}
    assert by_step[24].name_ja == "RFPベンダー質問回答"
    assert by_step[25].name_ja == "ベンダーからのRFP回答"
    names = {s.name_ja for s in tpl.steps}
    assert {"Fit&Gap分析", "予算要求調整", "ベンダ選定", "データ移行 (リハーサル含む)", "連携テスト"} <= names
    assert tpl.deadline_steps == ("s36",)
    assert all(s.duration > 0 for s in tpl.steps)


def test_init_writes_an_editable_plan_with_cross_business_links(tmp_path: Path) -> None:
    out = tmp_path / "plan.yaml"
    result = run(
        "plan", "init", "--municipality", "テスト市", "--lg-code", "131016",
        "--business", "juki", "--business", "kokuho", "--business", "kojin-juminzei",
        "--start", "2024-04-01", "-o", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "3 業務, 120 マイルストーン" in result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# 移行計画")
    assert "&id" not in text  # no YAML anchors in a file people edit
    plan = load_plan(out)
    kokuho = plan.business("kokuho").milestone("s33")
    assert set(kokuho.depends_on) == {"s31", "s32", "juki:s31", "kojin-juminzei:s31"}
    assert "juki:s31" not in plan.business("juki").milestone("s33").depends_on
    assert plan.business("juki").deadline.isoformat() == "2026-03-31"
    data = yaml.safe_load(text)
    assert data["deadline_milestones"] == ["s36"]
    assert data["businesses"][0]["milestones"][23]["name"] == "RFPベンダー質問回答"

    again = run(
        "plan",
        "init",
        "--municipality",
        "テスト市",
        "--lg-code",
        "131016",
        "--all",
        "--start",
        "2024-04-01",
        "-o",
        str(out),
    )
    assert again.exit_code == 2
    assert "--force" in again.output


def test_init_all_and_json(tmp_path: Path) -> None:
    out = tmp_path / "all.yaml"
    result = run(
        "plan", "init", "--municipality", "テスト市", "--lg-code", "131016", "--all",
        "--start", "2024-04-01", "-o", str(out), "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["kind"] == "plan-init"
    assert len(data["data"]["businesses"]) == 20 and data["data"]["milestones"] == 800
    assert run("plan", "check", str(out)).exit_code == 0


def test_init_later_deadline_needs_a_reason(tmp_path: Path) -> None:
    base = ["plan", "init", "--municipality", "テスト市", "--lg-code", "131016", "--business", "kaigo-hoken"]
    out = tmp_path / "p.yaml"
    result = run(*base, "--deadline", "2031-03-31", "-o", str(out))
    assert result.exit_code == 2
    assert "--deadline-reason" in result.output
    result = run(*base, "--deadline", "2031-03-31", "--deadline-reason", "ベンダー人員不足", "-o", str(out))
    assert result.exit_code == 0, result.output
    b = load_plan(out).business("kaigo-hoken")
    assert b.special_support and b.deadline_reason == "ベンダー人員不足"


def test_init_rejects_bad_input(tmp_path: Path) -> None:
    out = str(tmp_path / "p.yaml")
    base = ["plan", "init", "--municipality", "テスト市", "-o", out]
    assert "検査数字" in run(*base, "--lg-code", "131017", "--all").output
    result = run(*base, "--lg-code", "131016", "--business", "kokuhoo")
    assert result.exit_code == 2 and "知らない業務です: kokuhoo" in result.output
    result = run(*base, "--lg-code", "131016")
    assert result.exit_code == 2 and "--business" in result.output


def test_init_with_a_pmo_template(tmp_path: Path) -> None:
    tpl = tmp_path / "steps.yaml"
    tpl.write_text(
        """kind: migrate/procedure-template
format: 1
id: my-pmo
title: 当市の作業項目
national_steps: 3
deadline_steps: [go-live]
phases: [{id: p, name_ja: 全体, name_en: All}]
steps:
  - {id: plan, step: 1, phase: p, duration: 20, name_ja: 計画, name_en: Plan}
  - {id: buy, step: 2, phase: p, duration: 40, depends_on: [plan], name_ja: 調達, name_en: Buy}
  - {id: go-live, step: 3, phase: p, duration: 5, depends_on: [buy], name_ja: 本番, name_en: Go live}
""",
        encoding="utf-8",
    )
    out = tmp_path / "p.yaml"
    result = run(
        "plan", "init", "--municipality", "テスト市", "--lg-code", "131016", "--business", "juki",
        "--template", str(tpl), "--start", "2025-04-01", "-o", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    plan = load_plan(out)
    assert [m.id for m in plan.business("juki").milestones] == ["plan", "buy", "go-live"]
    assert plan.national_steps == 3

    tpl.write_text(tpl.read_text(encoding="utf-8").replace("depends_on: [plan]", "depends_on: [go-live]"))
    result = run(
        "plan", "init", "--municipality", "テスト市", "--lg-code", "131016", "--business", "juki",
        "--template", str(tpl), "--start", "2025-04-01", "-o", str(out), "--force",
    )  # fmt: skip
    assert result.exit_code == 3
    assert "steps.yaml" in result.output and "cycle" in result.output
