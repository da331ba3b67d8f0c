"""Fixtures for the report tests: a validated 住民記録 extract with injected hostile values, a
computed plan with red, amber and green businesses and a baseline, and a small nightly run."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest

from migrate.samples import JUKI_HEADER, juki_rows, my_number
from tests.conftest import ROOT, SPECS
from tests.report.helpers import done_until

# Values a legacy extract may carry that Excel would evaluate; each lands in a finding's value.
FORMULA = '=HYPERLINK("http://example.invalid","x")'
DDE = "+cmd|' /C calc'!A0"
AT = "@SUM(1+1)"
# A valid 個人番号 typed into a column whose sensitivity is "none": only the report's scrub hides it.
STRAY_MY_NUMBER = my_number(random.Random(99))
AS_OF = dt.date(2025, 4, 1)


@dataclasses.dataclass
class JukiExtract:
    path: Path
    my_numbers: list[str]  # every 個人番号 of the input (12 digits), valid or not


def write_hostile_juki(path: Path, rows: int = 60) -> JukiExtract:
    data = [list(r) for r in juki_rows(rows)]
    col = {name: i for i, name in enumerate(JUKI_HEADER)}
    data[9][col["性別"]] = FORMULA  # code-unmapped (sensitivity none: shown as is)
    data[17][col["続柄"]] = DDE  # code-invalid
    data[23][col["性別"]] = AT
    data[25][col["性別"]] = STRAY_MY_NUMBER
    with open(path, "w", encoding="cp932", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(JUKI_HEADER)
        w.writerows(data)
    numbers = [r[col["個人番号"]] for r in data if r[col["個人番号"]]] + [STRAY_MY_NUMBER]
    return JukiExtract(path, numbers)


def validate(path: Path, *, show_values: bool = False) -> Any:
    from migrate.mapping.load import load_mapping
    from migrate.standard import load_registry
    from migrate.validate.run import validate_file

    reg = load_registry(SPECS)
    spec, entity = reg.entity("juki@4.0/jumin")  # the spec midori-jumin-v1 maps to
    mapping = load_mapping(ROOT / "mappings" / "juki" / "midori-jumin-v1.yaml")
    return validate_file(path, spec, entity, reg, mapping, show_values=show_values)


@pytest.fixture(scope="session")
def juki_extract(tmp_path_factory: pytest.TempPathFactory) -> JukiExtract:
    return write_hostile_juki(tmp_path_factory.mktemp("juki") / "j.csv")


@pytest.fixture(scope="session")
def juki_result(juki_extract: JukiExtract) -> Any:
    return validate(juki_extract.path)


@pytest.fixture(scope="session")
def two_vendor_results(juki_result: Any, tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    other = tmp_path_factory.mktemp("juki-b") / "other-vendor.csv"
    write_hostile_juki(other, 30)
    b = dataclasses.replace(validate(other), vendor="ベンダーB")
    return [juki_result, b]


# ------------------------------------------------------------------------------------------- plans


def build_plan() -> tuple[Any, Any]:
    """4 businesses as of 2025-04-01: juki green, inkan red, kojin-juminzei green (特定移行支援,
    deadline 2031), kokuho amber; a baseline taken at the start. Returns (plan, baseline)."""
    from migrate.plan.baseline import snapshot
    from migrate.plan.catalog import business_catalog
    from migrate.plan.engine import compute
    from migrate.plan.model import Thresholds
    from migrate.plan.template import build_plan as from_template
    from migrate.plan.template import load_template

    cat = business_catalog()
    plan = from_template(
        load_template(),
        municipality="みどり市",
        lg_code="999997",
        businesses=[cat["juki"], cat["inkan"], cat["kojin-juminzei"], cat["kokuho"]],
        start=dt.date(2023, 4, 3),
    )
    plan = plan.model_copy(update={"thresholds": Thresholds(amber_below=30)})
    first = compute(plan, plan.start)
    baseline = snapshot(first, "R5-04")

    def progress(b: Any, lag_days: int, vendor: str, **extra: Any) -> Any:
        out = done_until(b, first, AS_OF - dt.timedelta(days=lag_days))
        return b.model_copy(update={"milestones": out, "vendor": vendor, **extra})

    juki, inkan, kojin, kokuho = plan.businesses
    businesses = (
        progress(juki, 0, "北斗システムズ"),
        progress(inkan, 250, "北斗システムズ"),
        progress(
            kojin,
            0,
            "あさひ情報",
            deadline=dt.date(2031, 3, 31),
            special_support=True,
            deadline_reason="ベンダーの要員不足 (特定移行支援システム)",
        ),
        progress(kokuho, 170, DDE),  # a hostile vendor name: must stay text in Excel
    )
    return plan.model_copy(update={"businesses": businesses}), baseline


@pytest.fixture(scope="session")
def plan_and_baseline() -> tuple[Any, Any]:
    return build_plan()


@pytest.fixture(scope="session")
def plan_result(plan_and_baseline: tuple[Any, Any]) -> Any:
    from migrate.plan.engine import compute

    plan, baseline = plan_and_baseline
    return compute(plan, AS_OF, baseline=baseline, path="plan.yaml")


@pytest.fixture
def plan_file(tmp_path: Path, plan_and_baseline: tuple[Any, Any]) -> Path:
    """The plan as YAML with its baseline saved beside it (for the CLI)."""
    from migrate.plan import baseline as bl
    from migrate.plan.load import dump_plan

    plan, baseline = plan_and_baseline
    path = tmp_path / "plan.yaml"
    path.write_text(dump_plan(plan), encoding="utf-8")
    bl.save(path, baseline)
    return path


# ------------------------------------------------------------------------------------------ nightly


@pytest.fixture(scope="session")
def nightly_run(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Two nights of a two-vendor suite: the second night changes vendor A's delivery."""
    from migrate.nightly.runner import NightlyOptions, run_nightly
    from migrate.nightly.suite import load_suite
    from migrate.samples import write_juki
    from migrate.standard import load_registry

    root = tmp_path_factory.mktemp("nightly")
    (root / "a").mkdir()
    (root / "b").mkdir()
    (root / "suite.yaml").write_text(
        "kind: migrate/suite\nformat: 1\nname: midori-nightly\ntitle: みどり市 夜間検証\n"
        "municipality: みどり市\nhistory: history.sqlite\nthresholds: {min_readiness: 0.99}\n"
        "sources:\n"
        "  - {id: juki-a, title: 住民記録 (ベンダーA), vendor: ベンダーA, entity: juki@4.0/jumin,\n"
        "     mapping: midori-jumin-v1, paths: ['a/*.csv']}\n"
        "  - {id: juki-b, title: 住民記録 (ベンダーB), vendor: ベンダーB, entity: juki@4.0/jumin,\n"
        "     mapping: midori-jumin-v1, paths: ['b/*.csv']}\n",
        encoding="utf-8",
    )
    write_hostile_juki(root / "a" / "a-0001.csv", 60)
    write_juki(root / "b" / "b-0001.csv", 40, seed=3, defects=False)
    registry = load_registry(SPECS)
    suite = load_suite(root / "suite.yaml")
    run_nightly(suite, registry, NightlyOptions(jobs=1, as_of=dt.date(2026, 11, 22)))
    write_juki(root / "a" / "a-0001.csv", 70, seed=8)
    return run_nightly(suite, registry, NightlyOptions(jobs=1, as_of=dt.date(2026, 11, 23)))
