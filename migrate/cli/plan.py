"""`migrate plan …`: migration milestones per business as a dependency graph toward each deadline."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from migrate.cli import format_option
from migrate.errors import ConfigError, UsageError
from migrate.i18n import t
from migrate.output import envelope

if TYPE_CHECKING:
    from migrate.plan.catalog import BusinessInfo
    from migrate.plan.model import Plan
    from migrate.plan.result import PlanResult
    from migrate.plan.rollup import RollupResult

# Heavy modules (networkx, openpyxl, pydantic models) are imported inside the commands.

AS_OF_HELP = "Status date (YYYY-MM-DD or 和暦, default: today); actuals after it are ignored."


def parse_date(value: str, option: str) -> dt.date:
    """ISO (2026-11-23), compact (20261123) or 和暦 (R8.11.23, 令和8年11月23日)."""
    from migrate.wareki import parse

    parsed = parse(value)
    if parsed is None or not parsed.valid:
        raise UsageError(
            t("{o} の日付 {v} を読めません", "cannot read the date {v} of {o}", o=option, v=value),
            hint=t("例: 2026-11-23 または R8.11.23", "e.g. 2026-11-23 or R8.11.23"),
        )
    from migrate.plan.model import DATE_MAX, DATE_MIN

    day = dt.date(parsed.year, parsed.month, parsed.day)
    if not DATE_MIN <= day <= DATE_MAX:
        # the working calendar is built between the plan's dates and this one: a year-1 date would
        # overflow it (and means a typo)
        raise UsageError(
            t(
                "{o} の日付 {v} は範囲外です ({a}〜{b})",
                "the date {v} of {o} is out of range ({a} to {b})",
                o=option,
                v=value,
                a=DATE_MIN.isoformat(),
                b=DATE_MAX.isoformat(),
            )
        )
    return day


def _as_of(value: str | None) -> dt.date:
    return parse_date(value, "--as-of") if value else dt.date.today()


def _catalog() -> dict[str, BusinessInfo]:
    from migrate.plan.catalog import business_catalog

    return business_catalog()


def _load(path: Path) -> Plan:
    from migrate.plan.load import load_plan

    return load_plan(path, set(_catalog()))


@contextlib.contextmanager
def _gate_source(history: Path | None, as_of: dt.date, suite: str | None = None) -> Iterator[Any]:
    """The nightly history as a gate source (None without one); exit 4 when it cannot be read."""
    if history is None:
        yield None
        return
    from migrate.history.gates import HistoryGateSource
    from migrate.history.store import HistoryStore

    store = HistoryStore.open(history, create=False)
    try:
        yield HistoryGateSource(store=store, as_of=as_of, suite=suite)
    finally:
        store.close()


def compute_with_history(
    plan: Plan,
    as_of: dt.date,
    history: Path | None,
    suite: str | None = None,
    **kw: Any,
) -> PlanResult:
    """The plan's status with its gates read from the nightly history DB (exit 4 when unreadable)."""
    from migrate.plan.engine import compute

    with _gate_source(history, as_of, suite) as gates:
        return compute(plan, as_of, gates=gates, **kw)


def _compute(
    path: Path,
    as_of: dt.date,
    baseline: str | None = None,
    history: Path | None = None,
    suite: str | None = None,
) -> PlanResult:
    from migrate.plan import baseline as bl

    plan = _load(path)
    base = bl.load(path, baseline) if baseline else None
    return compute_with_history(plan, as_of, history, suite, baseline=base, path=path, catalog=_catalog())


def with_risk(
    result: PlanResult,
    path: Path,
    runs: int | None,
    seed: int = 0,
    baseline: str | None = None,
    plan_model: Plan | None = None,
) -> PlanResult:
    """Attach the Monte-Carlo deadline probabilities when asked (runs) or when the plan is uncertain."""
    import dataclasses

    from migrate.plan import baseline as bl
    from migrate.plan.risk import DEFAULT_RUNS, check_runs, simulate

    plan = plan_model if plan_model is not None else _load(path)
    if runs is None and not plan.uncertain:
        return result
    runs = check_runs(runs if runs is not None else DEFAULT_RUNS)
    base: bl.Baseline | None
    if baseline:
        base = bl.load(path, baseline)
    else:  # the latest baseline saved on or before the as-of date calibrates the spread
        saved = [b for b in bl.list_baselines(path) if b.as_of <= result.as_of]
        base = max(saved, key=lambda b: b.as_of) if saved else None
    held = {g.milestone for b in result.businesses for g in b.gates if g.holds}
    risk = simulate(plan, result.as_of, runs=runs, seed=seed, baseline=base, held=held)
    return dataclasses.replace(result, risk=risk)


def _check_businesses(result: PlanResult, only: tuple[str, ...]) -> None:
    known = [b.id for b in result.businesses]
    for bid in only:
        if bid not in known:
            raise UsageError(
                t("業務 {b} は計画にありません", "business {b} is not in the plan", b=bid),
                hint=t("計画の業務: {l}", "businesses in the plan: {l}", l=", ".join(known)),
            )


plan_arg = click.argument("plan_path", metavar="PLAN", type=click.Path(path_type=Path))
# PLAN may be left out with --suite (the suite's `plan:`)
plan_or_suite_arg = click.argument(
    "plan_path", metavar="[PLAN]", required=False, type=click.Path(path_type=Path)
)
as_of_opt = click.option("--as-of", "as_of", metavar="DATE", help=AS_OF_HELP)
HISTORY_HELP = "Nightly history database: gates read their latest values from it."
history_opt = click.option("--history", type=click.Path(path_type=Path), metavar="DB", help=HISTORY_HELP)
SUITE_HELP = "A nightly suite naming its plan (plan: PATH): read that plan, gates from the suite's history."
suite_opt = click.option(
    "--suite", "suite_path", type=click.Path(path_type=Path), metavar="SUITE", help=SUITE_HELP
)


def resolve_suite(
    plan_path: Path | None, history: Path | None, suite_path: Path | None
) -> tuple[Path, Path | None, str | None]:
    """(plan, history, suite name) from PLAN / --history / --suite; a suite fills in what is not given.

    Exit 2 without PLAN or --suite; 3 when the suite names no plan; 4 when its plan file is missing.
    """
    if suite_path is None:
        if plan_path is None:
            raise UsageError(
                t("計画ファイル (PLAN) か --suite を指定してください", "give a plan file (PLAN) or --suite")
            )
        return plan_path, history, None
    from migrate.errors import InputError
    from migrate.nightly.suite import load_suite

    loaded = load_suite(suite_path)
    named = loaded.plan_path()
    if plan_path is None:
        if named is None:
            raise loaded.error_at(
                t("スイートに計画 (plan:) がありません", "the suite names no plan (plan:)"),
                [],
                hint=t(
                    "スイートに plan: 計画ファイル を書くか、PLAN を指定してください",
                    "add plan: PATH to the suite, or give PLAN",
                ),
            )
        if not named.is_file():
            raise InputError(
                t("スイートの計画ファイルがありません", "the suite's plan file does not exist"),
                path=named,
                hint=t(
                    "{s} の plan: はスイートのファイルからの相対パスです",
                    "plan: in {s} is relative to the suite file",
                    s=suite_path,
                ),
            )
        plan_path = named
    return plan_path, history if history is not None else loaded.history_path(), loaded.name


@click.group()
def plan() -> None:
    """Migration plans: milestones, deadlines, critical path / 移行計画.

    A plan (kind: migrate/plan) lists a municipality's businesses, each with its vendor, deadline
    (令和7年度末, or a 特定移行支援システム's later date and reason) and milestones. Dates are
    scheduled in working days (weekends, national holidays and 12/29–1/3 are closed).
    """


@plan.command("init")
@click.option("--municipality", required=True, help="団体名, e.g. ひかり台市.")
@click.option(
    "--lg-code", "lg_code", required=True, help="全国地方公共団体コード (6 digits with check digit)."
)
@click.option("--business", "businesses", multiple=True, metavar="ID", help="A business id (repeatable).")
@click.option("--all", "all_", is_flag=True, help="All 20 businesses.")
@click.option("--start", metavar="DATE", help="When the plan starts (default: today).")
@click.option(
    "--deadline", metavar="DATE", help="Deadline of every business (default 2026-03-31, 令和7年度末)."
)
@click.option("--deadline-reason", help="Why the deadline is later than the national target.")
@click.option(
    "--template", "template_path", type=click.Path(path_type=Path), help="A PMO's own step template."
)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("plan.yaml"), show_default=True)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@format_option("text", "json")
def init(
    municipality: str,
    lg_code: str,
    businesses: tuple[str, ...],
    all_: bool,
    start: str | None,
    deadline: str | None,
    deadline_reason: str | None,
    template_path: Path | None,
    output: Path,
    force: bool,
    fmt: str,
) -> None:
    """Write a plan from the standard procedure (about 40 steps per business), ready to edit."""
    from migrate.atomic import write_text
    from migrate.checkdigit import lg_code_valid
    from migrate.plan.load import dump_plan, plan_issues
    from migrate.plan.model import NATIONAL_TARGET
    from migrate.plan.template import build_plan, late_from_the_start, load_template

    if not lg_code_valid(lg_code):
        raise UsageError(
            t(
                "全国地方公共団体コード {c} が正しくありません",
                "全国地方公共団体コード {c} is not valid",
                c=lg_code,
            ),
            hint=t(
                "6桁で、6桁目は検査数字です (例: 131016)", "6 digits, the last a check digit (e.g. 131016)"
            ),
        )
    if not municipality.strip():
        raise UsageError(t("--municipality が空です", "--municipality is empty"))
    catalog = _catalog()
    if all_ == bool(businesses):
        raise UsageError(
            t("--business か --all のどちらかを指定してください", "give --business IDs or --all"),
            hint=t("業務: {l}", "businesses: {l}", l=", ".join(catalog)),
        )
    unknown = [b for b in businesses if b not in catalog]
    if unknown:
        raise UsageError(
            t("知らない業務です: {l}", "unknown businesses: {l}", l=", ".join(unknown)),
            hint=t("業務: {l}", "businesses: {l}", l=", ".join(catalog)),
        )
    chosen = list(catalog.values()) if all_ else [catalog[b] for b in dict.fromkeys(businesses)]
    deadline_date = parse_date(deadline, "--deadline") if deadline else None
    if deadline_date and deadline_date > NATIONAL_TARGET and not deadline_reason:
        raise UsageError(
            t(
                "国の目標 {n} より後の期限には --deadline-reason が必要です",
                "a deadline after the national target {n} needs --deadline-reason",
                n=NATIONAL_TARGET,
            )
        )
    start_date = parse_date(start, "--start") if start else dt.date.today()
    if start_date > (deadline_date or NATIONAL_TARGET):
        raise UsageError(
            t(
                "期限 {d} が開始日 {s} より前です",
                "the deadline {d} is before the start {s}",
                d=deadline_date or NATIONAL_TARGET,
                s=start_date,
            ),
            hint=t(
                "--deadline と --deadline-reason を指定してください (例: 特定移行支援システムの期限)",
                "pass --deadline and --deadline-reason (e.g. a 特定移行支援システム's deadline)",
            ),
        )
    if output.exists() and not force:
        raise UsageError(
            t("{p} は既にあります", "{p} already exists", p=output),
            hint=t("上書きするには --force を付けてください", "pass --force to overwrite it"),
        )
    template = load_template(template_path)
    plan_model = build_plan(
        template,
        municipality=municipality,
        lg_code=lg_code,
        businesses=chosen,
        start=start_date,
        deadline=deadline_date,
        deadline_reason=deadline_reason,
        template_name=str(template_path) if template_path else None,
    )
    issues = plan_issues(plan_model, set(catalog))
    if issues:
        raise ConfigError(issues[0].message, path=template_path, hint=issues[0].hint)
    header = t(
        "移行計画 (migrate plan init で作成). 期間は営業日・想定値です: 実績 (actual_start, actual_finish,\n"
        "progress, status) とベンダー、期限を記入してください。検査: migrate plan check {p}",
        "Migration plan (made by migrate plan init). Durations are working days and assumed: fill in\n"
        "the actuals (actual_start, actual_finish, progress, status), vendors and deadlines.\n"
        "Check: migrate plan check {p}",
        p=output.name,
    )
    write_text(output, dump_plan(plan_model, header))
    steps = sum(len(b.milestones) for b in plan_model.businesses)
    late = late_from_the_start(plan_model)
    if fmt == "json":
        data = {"path": str(output), "businesses": [b.id for b in chosen], "milestones": steps, "late": late}
        click.echo(envelope("plan-init", data))
        return
    if late:
        click.echo(late, err=True)
    click.echo(
        t(
            "{p} を作成しました: {b} 業務, {n} マイルストーン ({tpl})",
            "wrote {p}: {b} businesses, {n} milestones ({tpl})",
            p=output,
            b=len(chosen),
            n=steps,
            tpl=template.id,
        )
    )


@plan.command("check")
@plan_arg
@as_of_opt
@format_option("text", "json")
def check(plan_path: Path, as_of: str | None, fmt: str) -> None:
    """Validate a plan: ids, dependencies, cycles, dates, deadlines (exit 3 when invalid)."""
    from migrate.plan.engine import compute
    from migrate.plan.graph import build_graph
    from migrate.plan.load import check_plan_file
    from migrate.report.plan.text import check_text

    plan_model, errors = check_plan_file(plan_path, set(_catalog()))
    if errors:
        if fmt == "json":
            click.echo(envelope("plan-check", {"valid": False, "errors": [e.to_dict() for e in errors]}))
        for e in errors[:-1]:
            click.echo(t("エラー: ", "error: ") + e.render(), err=True)
        last = errors[-1]
        if len(errors) > 1:
            total = t("全 {n} 件", "{n} problems in all", n=len(errors))
            last.hint = f"{last.hint}; {total}" if last.hint else total
        raise last
    result = compute(plan_model, _as_of(as_of), path=plan_path, catalog=_catalog())
    edges = build_graph(plan_model).number_of_edges()
    if fmt == "json":
        data = {
            "valid": True,
            "businesses": len(plan_model.businesses),
            "milestones": len(plan_model.keys()),
            "dependencies": edges,
            "warnings": [w.to_dict() for w in result.warnings],
        }
        click.echo(envelope("plan-check", data))
        return
    click.echo(check_text(result, edges))


@plan.command("status")
@plan_or_suite_arg
@as_of_opt
@click.option(
    "--business", "details", multiple=True, metavar="ID", help="Also list this business's milestones."
)
@click.option("--baseline", metavar="NAME", help="Show slip against a saved baseline.")
@click.option(
    "--fail-on",
    type=click.Choice(["red", "amber", "none"]),
    default="none",
    show_default=True,
    help="Exit 1 when a business is at or above this status.",
)
@click.option(
    "--risk-runs",
    "risk_runs",
    type=int,
    metavar="N",
    help="Add P(on time) from N Monte-Carlo runs (default 10,000 when the plan has uncertainty).",
)
@history_opt
@suite_opt
@format_option("text", "json")
def status(
    plan_path: Path | None,
    as_of: str | None,
    details: tuple[str, ...],
    baseline: str | None,
    fail_on: str,
    risk_runs: int | None,
    history: Path | None,
    suite_path: Path | None,
    fmt: str,
) -> None:
    """Status per business: projected finish, float, green/amber/red, 完了率, reasons."""
    from migrate.report.plan.text import status_text

    plan_path, history, suite = resolve_suite(plan_path, history, suite_path)
    result = _compute(plan_path, _as_of(as_of), baseline, history, suite)
    _check_businesses(result, details)
    result = with_risk(result, plan_path, risk_runs)
    if fmt == "json":
        click.echo(envelope("plan-status", result.to_dict()))
    else:
        click.echo(status_text(result, details))
    _fail(result.counts, fail_on)


def _fail(counts: Any, fail_on: str) -> None:
    if fail_on == "none":
        return
    levels = ["red"] if fail_on == "red" else ["red", "amber"]
    if any(counts.get(level) for level in levels):
        click.get_current_context().exit(1)


@plan.command("critical")
@plan_or_suite_arg
@as_of_opt
@click.option("--business", "only", multiple=True, metavar="ID", help="Only this business (repeatable).")
@history_opt
@suite_opt
@format_option("text", "json")
def critical(
    plan_path: Path | None,
    as_of: str | None,
    only: tuple[str, ...],
    history: Path | None,
    suite_path: Path | None,
    fmt: str,
) -> None:
    """The critical path of each business (its driving chain) and of the whole plan."""
    from migrate.report.plan.text import critical_text

    plan_path, history, suite = resolve_suite(plan_path, history, suite_path)
    result = _compute(plan_path, _as_of(as_of), history=history, suite=suite)
    _check_businesses(result, only)
    if fmt == "json":
        data = {
            "as_of": result.as_of.isoformat(),
            "plan_finish": result.plan_finish.isoformat() if result.plan_finish else None,
            "critical_path": list(result.critical_path),
            "businesses": [
                {
                    "id": b.id,
                    "projected_finish": b.projected_finish.isoformat() if b.projected_finish else None,
                    "float_days": b.float_days,
                    "status": b.status,
                    "critical_path": [result.milestone(k).to_dict() for k in b.critical_path],
                }
                for b in result.businesses
                if not only or b.id in only
            ],
        }
        click.echo(envelope("plan-critical", data))
        return
    click.echo(critical_text(result, only))


@plan.command("risk")
@plan_or_suite_arg
@click.option(
    "--runs", type=int, default=10_000, show_default=True, help="Monte-Carlo runs (1 to 1,000,000)."
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed: same seed, same result.")
@click.option(
    "--baseline",
    metavar="NAME",
    help="Calibrate the spread on slip since this baseline (default: the latest saved one).",
)
@as_of_opt
@history_opt
@suite_opt
@format_option("text", "json")
def risk(
    plan_path: Path | None,
    runs: int,
    seed: int,
    baseline: str | None,
    as_of: str | None,
    history: Path | None,
    suite_path: Path | None,
    fmt: str,
) -> None:
    """Deadline risk: P(on time), P50/P80/P95 finish and criticality index per business (Monte-Carlo)."""
    from migrate.plan.risk import check_runs
    from migrate.report.plan.text import risk_text

    check_runs(runs)
    plan_path, history, suite = resolve_suite(plan_path, history, suite_path)
    result = _compute(plan_path, _as_of(as_of), history=history, suite=suite)
    result = with_risk(result, plan_path, runs, seed, baseline)
    assert result.risk is not None
    if fmt == "json":
        click.echo(envelope("plan-risk", result.risk.to_dict()))
        return
    click.echo(risk_text(result, result.risk))


@plan.group("baseline")
def baseline() -> None:
    """Save and list baselines (snapshots to measure slip against)."""


@baseline.command("save")
@click.argument("name")
@plan_arg
@as_of_opt
@click.option("--force", is_flag=True, help="Replace a baseline of the same name.")
def baseline_save(name: str, plan_path: Path, as_of: str | None, force: bool) -> None:
    """Save the plan's current dates as baseline NAME (in PLAN's .baselines folder)."""
    from migrate.plan import baseline as bl

    bl.check_name(name)
    result = _compute(plan_path, _as_of(as_of))
    path = bl.save(plan_path, bl.snapshot(result, name), force=force)
    click.echo(t("基準計画 {n} を保存しました: {p}", "saved baseline {n}: {p}", n=name, p=path))


@baseline.command("list")
@plan_arg
@format_option("text", "json")
def baseline_list(plan_path: Path, fmt: str) -> None:
    """List the baselines saved for PLAN."""
    from migrate.plan import baseline as bl
    from migrate.report.plan.text import baselines_text

    if not plan_path.is_file():
        _load(plan_path)  # the friendly "file not found"
    items = bl.list_baselines(plan_path)
    if fmt == "json":
        click.echo(
            envelope(
                "plan-baselines",
                [
                    {"name": b.name, "as_of": b.as_of.isoformat(), "businesses": len(b.businesses)}
                    for b in items
                ],
            )
        )
        return
    click.echo(baselines_text(items))


@plan.command("slip")
@plan_arg
@click.option("--baseline", "baseline_name", required=True, metavar="NAME", help="A saved baseline.")
@as_of_opt
@format_option("text", "json")
def slip(plan_path: Path, baseline_name: str, as_of: str | None, fmt: str) -> None:
    """Slip per milestone and business against a baseline, in working days."""
    from migrate.report.plan.text import slip_text

    result = _compute(plan_path, _as_of(as_of), baseline_name)
    if fmt == "json":
        data = {
            "baseline": result.baseline,
            "as_of": result.as_of.isoformat(),
            "businesses": [
                {
                    "id": b.id,
                    "deadline": b.deadline.isoformat(),
                    "baseline_projected_finish": b.baseline_projected_finish.isoformat()
                    if b.baseline_projected_finish
                    else None,
                    "projected_finish": b.projected_finish.isoformat() if b.projected_finish else None,
                    "slip": b.slip,
                    "milestones": [
                        {
                            "key": m.key,
                            "baseline_finish": m.baseline_finish.isoformat() if m.baseline_finish else None,
                            "finish": m.finish.isoformat() if m.finish else None,
                            "slip": m.slip,
                        }
                        for m in b.milestones
                    ],
                }
                for b in result.businesses
            ],
        }
        click.echo(envelope("plan-slip", data))
        return
    click.echo(slip_text(result))


@plan.command("what-if")
@plan_arg
@click.option(
    "--delay",
    "delays",
    multiple=True,
    required=True,
    metavar="ID=+Nd",
    help="Delay a milestone, e.g. juki:s31=+10d (working days; w = 5 days). Repeatable.",
)
@as_of_opt
@click.option("--all", "show_all", is_flag=True, help="List every business, not only the affected ones.")
@format_option("text", "json")
def what_if(plan_path: Path, delays: tuple[str, ...], as_of: str | None, show_all: bool, fmt: str) -> None:
    """The effect of delays on every deadline, without changing the plan file."""
    from migrate.plan.whatif import what_if as run
    from migrate.report.plan.text import what_if_text

    plan_model = _load(plan_path)
    result = run(plan_model, _as_of(as_of), delays, path=plan_path, catalog=_catalog())
    if fmt == "json":
        click.echo(envelope("plan-what-if", result.summary()))
        return
    click.echo(what_if_text(result, show_all))


ROLLUP_BATCH = 64  # plans loaded and scheduled together: memory stays bounded by one batch
FAST_BATCH = 128  # plans read as columns and rolled up together, per process (migrate.plan.columns)


def _jobs() -> int:
    """Processes for the roll-up: the cores this process may use."""
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _plan_files(paths: tuple[Path, ...]) -> list[Path]:
    """Each PLAN, a folder standing for its *.yaml, *.yml and *.json files (sorted)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = sorted(x for x in p.iterdir() if x.suffix in (".yaml", ".yml", ".json") and x.is_file())
            if not found:
                raise UsageError(
                    t("{p} に計画ファイルがありません", "no plan files in {p}", p=p),
                    hint=t(
                        "*.yaml / *.yml / *.json を置いてください", "put *.yaml, *.yml or *.json plans there"
                    ),
                )
            out.extend(found)
        else:
            out.append(p)
    return out


def rollup_files(
    files: list[Path],
    day: dt.date,
    *,
    gates: Any = None,
    risk_runs: int | None = None,
    jobs: int | None = None,
) -> RollupResult:
    """The roll-up of plan files. JSON plans of the usual fields are read as columns and rolled up
    per template, FAST_BATCH at a time over the cores (migrate.plan.columns); the others (YAML,
    gates, risk, any error) take the per-plan path ROLLUP_BATCH at a time, in file order, so an error
    is the same (file, line, key path) and the result equal either way."""
    from migrate.plan.columns import PlanRows, batches
    from migrate.plan.engine import compute_many
    from migrate.plan.rollup import RollupBuilder

    catalog = _catalog()
    builder = RollupBuilder()
    fast: Iterator[tuple[list[Path], list[PlanRows | None]]]
    if risk_runs is None:  # with --risk-runs every plan is simulated: the per-plan path
        workers = jobs if jobs is not None else _jobs()
        fast = batches(files, day, catalog, set(catalog), size=FAST_BATCH, jobs=workers)
    else:
        fast = iter([(files, [None] * len(files))])
    for chunk, got in fast:
        for i in range(0, len(chunk), ROLLUP_BATCH):
            part = list(zip(chunk[i : i + ROLLUP_BATCH], got[i : i + ROLLUP_BATCH], strict=True))
            slow = [p for p, g in part if g is None]
            plans = [_load(p) for p in slow]
            results = compute_many(plans, day, gates=gates, paths=slow, catalog=catalog)
            full = {
                p: with_risk(r, p, risk_runs, plan_model=m)
                for p, m, r in zip(slow, plans, results, strict=True)
            }
            for p, g in part:
                if g is None:
                    builder.add(full[p])
                else:
                    builder.add_rows(g.lg_code, g.municipality, g.path, day, g.rows, g.national)
    return builder.result([str(p) for p in files])


@plan.command("rollup")
@click.argument("plan_paths", metavar="PLAN...", nargs=-1, required=True, type=click.Path(path_type=Path))
@as_of_opt
@click.option(
    "--fail-on",
    type=click.Choice(["red", "amber", "none"]),
    default="none",
    show_default=True,
    help="Exit 1 when a business is at or above this status.",
)
@history_opt
@click.option(
    "--risk-runs",
    "risk_runs",
    type=int,
    metavar="N",
    help="Add P(on time) from N Monte-Carlo runs per plan (default 10,000 for plans with uncertainty).",
)
@format_option("text", "json")
def rollup(
    plan_paths: tuple[Path, ...],
    as_of: str | None,
    fail_on: str,
    history: Path | None,
    risk_runs: int | None,
    fmt: str,
) -> None:
    """Summarise several plans (a prefecture, a shared-procurement group): who is late, by how much, why."""
    # A PLAN may be a folder (its *.yaml, *.yml, *.json); how the files are read: rollup_files.
    from migrate.plan.risk import check_runs
    from migrate.report.plan.text import rollup_text

    if risk_runs is not None:
        check_runs(risk_runs)
    day = _as_of(as_of)
    files = _plan_files(plan_paths)
    with _gate_source(history, day) as gates:
        result = rollup_files(files, day, gates=gates, risk_runs=risk_runs)
    if fmt == "json":
        click.echo(envelope("plan-rollup", result.to_dict()))
    else:
        click.echo(rollup_text(result))
    _fail(result.totals, fail_on)


@plan.command("import")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--layout", "layout_path", type=click.Path(path_type=Path), help="Column layout (YAML).")
@click.option("--municipality", required=True, help="団体名.")
@click.option("--lg-code", "lg_code", required=True, help="全国地方公共団体コード.")
@click.option("--start", metavar="DATE", help="When the plan starts (default: the earliest date in the WBS).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("plan.yaml"), show_default=True)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def import_(
    workbook: Path,
    layout_path: Path | None,
    municipality: str,
    lg_code: str,
    start: str | None,
    output: Path,
    force: bool,
) -> None:
    """Read a WBS kept in Excel into a plan (columns mapped by a layout file)."""
    from migrate.atomic import write_text
    from migrate.plan.importer import import_workbook, load_layout
    from migrate.plan.load import dump_plan

    if output.exists() and not force:
        raise UsageError(
            t("{p} は既にあります", "{p} already exists", p=output),
            hint=t("上書きするには --force を付けてください", "pass --force to overwrite it"),
        )
    layout = load_layout(layout_path)
    plan_model = import_workbook(
        workbook,
        layout,
        municipality=municipality,
        lg_code=lg_code,
        catalog=_catalog(),
        start=parse_date(start, "--start") if start else None,
        strict=layout_path is not None,
    )
    header = t("{w} から migrate plan import で作成", "made by migrate plan import from {w}", w=workbook.name)
    write_text(output, dump_plan(plan_model, header))
    click.echo(
        t(
            "{p} を作成しました: {b} 業務, {n} マイルストーン",
            "wrote {p}: {b} businesses, {n} milestones",
            p=output,
            b=len(plan_model.businesses),
            n=len(plan_model.keys()),
        )
    )
