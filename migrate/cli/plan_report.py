"""`migrate plan report`: the milestone report for leadership as an Excel workbook or one HTML file.

This module attaches `report` to the plan group (migrate.cli.plan) and is what the command line
loads for `migrate plan` (LAZY_COMMANDS), so the plan group never imports it back. Thin: parse,
compute the plan's status with the plan engine, render with migrate.report.plan.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from migrate.cli.plan import compute_with_history, plan, resolve_suite, with_risk
from migrate.i18n import t


def _date(value: str | None, option: str) -> dt.date:
    if not value:
        return dt.date.today()
    from migrate.errors import UsageError
    from migrate.wareki import parse

    parsed = parse(value)
    if parsed is None or not parsed.valid:
        raise UsageError(
            t("{o} の日付 {v} を読めません", "cannot read the date {v} of {o}", o=option, v=value),
            hint=t("例: 2026-11-23 または R8.11.23", "e.g. 2026-11-23 or R8.11.23"),
        )
    return dt.date(parsed.year, parsed.month, parsed.day)


@click.command("report")
@click.argument("plan_path", metavar="[PLAN]", required=False, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "html"]),
    default="xlsx",
    show_default=True,
    help="Report format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Where to write (default: reports/plan-….<format>).",
)
@click.option("--as-of", "as_of", metavar="DATE", help="Status date (YYYY-MM-DD or 和暦, default: today).")
@click.option("--baseline", "baseline_name", metavar="NAME", help="Show slip against a saved baseline.")
@click.option(
    "--dates",
    "date_style",
    type=click.Choice(["seireki", "wareki", "nendo"]),
    default="seireki",
    show_default=True,
    help="Dates in 西暦, 和暦, or 西暦 with the 年度.",
)
@click.option(
    "--history",
    type=click.Path(path_type=Path),
    metavar="DB",
    help="Nightly history database: gates read their latest values from it.",
)
@click.option(
    "--suite",
    "suite_path",
    type=click.Path(path_type=Path),
    metavar="SUITE",
    help="A nightly suite naming its plan (plan: PATH): read that plan, gates from the suite's history.",
)
@click.option(
    "--risk-runs",
    "risk_runs",
    type=int,
    metavar="N",
    help="Add P(on time) from N Monte-Carlo runs (default 10,000 when the plan has uncertainty).",
)
def report(
    plan_path: Path | None,
    fmt: str,
    output: Path | None,
    as_of: str | None,
    baseline_name: str | None,
    date_style: str,
    history: Path | None,
    risk_runs: int | None,
    suite_path: Path | None,
) -> None:
    """Write the milestone report: status per business and a Gantt chart / 進捗報告書を作成する."""
    from migrate.plan import baseline as bl
    from migrate.plan.catalog import business_catalog
    from migrate.plan.load import load_plan
    from migrate.plan.template import load_template
    from migrate.report.plan import phase_names, write_plan_report

    plan_path, history, suite = resolve_suite(plan_path, history, suite_path)
    catalog = business_catalog()
    plan = load_plan(plan_path, set(catalog))
    base = bl.load(plan_path, baseline_name) if baseline_name else None
    day = _date(as_of, "--as-of")
    result = compute_with_history(plan, day, history, suite, baseline=base, path=plan_path, catalog=catalog)
    result = with_risk(result, plan_path, risk_runs)
    phases = phase_names(load_template())
    path = write_plan_report(result, fmt, output, date_style=date_style, baseline=base, phases=phases)
    click.echo(t("レポート: {p}", "report: {p}", p=path), err=True)
    click.echo(str(path))


plan.add_command(report)
