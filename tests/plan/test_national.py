"""The 総務省 PMOツール figures: 完了率 = (完了済み + 対象外) ÷ 40, 作業中率 = 作業中 ÷ 40, 未着手率 = 未着手 ÷ 40."""

from __future__ import annotations

from migrate.plan.engine import compute
from migrate.plan.model import NationalStatus as S
from migrate.plan.national import combine, figures
from tests.plan.util import D, make_plan, ms


def test_each_of_forty_steps_is_two_and_a_half_percent() -> None:
    f = figures([S.done] * 24 + [S.in_progress] + [S.not_started] * 15, 40)
    assert f.completion_rate == 60.0
    assert f.in_progress_rate == 2.5
    assert f.not_started_rate == 37.5
    assert figures([S.done] * 25 + [S.not_started] * 15, 40).completion_rate == 62.5


def test_not_applicable_steps_and_unregistered_ones() -> None:
    f = figures([S.done] * 18 + [S.not_applicable] * 4 + [S.in_progress] * 2, 40)
    # 総務省: 対象外 steps count towards 完了率: (18 + 4) / 40
    assert f.completion_rate == 55.0
    assert f.in_progress_rate == 5.0
    assert f.unregistered == 16 and f.not_started == 16
    assert f.not_started_rate == 40.0
    assert f.completion_rate + f.in_progress_rate + f.not_started_rate == 100.0


def test_organisation_figures_sum_the_businesses() -> None:
    a = figures([S.done] * 40, 40)
    b = figures([S.done] * 10 + [S.not_started] * 30, 40)
    org = combine([a, b])
    assert org.steps == 80 and org.done == 50
    assert org.completion_rate == 62.5


def test_plan_figures_use_reported_status_else_the_actuals() -> None:
    milestones = [
        ms("s01", 5, step=1, status="完了", actual_start="2026-05-01", actual_finish="2026-05-08"),
        ms("s02", 5, "s01", step=2, actual_start="2026-05-11", actual_finish="2026-05-15"),  # derived: 完了
        ms("s03", 5, "s02", step=3, actual_start="2026-05-18", progress=50),  # derived: 作業中
        ms("s04", 5, "s03", step=4, status="対象外"),
        ms("s05", 5, "s04", step=5),
        ms("extra", 5, "s05"),  # no step number: not a national step
    ]
    r = compute(
        make_plan({"juki": milestones, "kokuho": [ms("s01", 3, step=1)]}, start="2026-05-01"), D(2026, 6, 1)
    )
    f = r.business("juki").national
    assert (f.done, f.in_progress, f.not_applicable, f.not_started, f.unregistered) == (2, 1, 1, 36, 35)
    assert f.completion_rate == 7.5  # (2 完了済み + 1 対象外) / 40
    assert r.national.steps == 80 and r.national.done == 2
    assert r.business("juki").milestone("s02").national_status == "完了済み"


def test_status_labels_are_the_pmo_tools_words() -> None:
    assert [s.value for s in S] == ["未着手", "作業中", "完了済み", "対象外"]
    # plans written with the older word 完了 still load as 完了済み
    milestones = [ms("s01", 5, step=1, status="完了", actual_start="2026-05-01", actual_finish="2026-05-08")]
    r = compute(make_plan({"juki": milestones}, start="2026-05-01"), D(2026, 6, 1))
    assert r.business("juki").milestone("s01").national_status == "完了済み"
    assert r.business("juki").national.to_dict()["completion_rate"] == 2.5
    assert "work_rate" not in r.business("juki").national.to_dict()
