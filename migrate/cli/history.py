"""`migrate history`: the nightly runs recorded in the history database.

RUN is a run number, `latest`, `previous` or `latest~N` (N complete runs before the latest).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from migrate.i18n import t
from migrate.terminal import echo


def _history_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = click.option(
        "--suite",
        "suite_ref",
        help="Read the history path from this suite (file or name under checks/).",
    )(fn)
    fn = click.option(
        "--history",
        type=click.Path(path_type=Path),
        envvar="MIGRATE_HISTORY",
        help="History database (default: reports/history.sqlite).",
    )(fn)
    return fn


def _open(history: Path | None, suite_ref: str | None) -> Any:
    from migrate.history.store import HistoryStore
    from migrate.nightly.suite import DEFAULT_HISTORY, find_suite, load_suite

    if history is None and suite_ref is not None:
        history = load_suite(find_suite(suite_ref)).history_path()
    return HistoryStore.open(history or DEFAULT_HISTORY, create=False)


def _emit(text: str, output: Path | None) -> None:
    if output:
        from migrate.atomic import write_text

        write_text(output, text if text.endswith("\n") else text + "\n")
        echo(t("書き出しました: {p}", "wrote {p}", p=output), err=True)
    else:
        echo(text, nl=not text.endswith("\n"))


_output = click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to a file (atomic).")


@click.group()
def history() -> None:
    """Nightly runs: list, show, compare, trend / 夜間検証の履歴."""


@history.command("list")
@_history_options
@click.option("--limit", type=click.IntRange(1), default=30, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_output
def list_runs(history: Path | None, suite_ref: str | None, limit: int, fmt: str, output: Path | None) -> None:
    """The recorded runs, newest first / 実行の一覧."""
    from migrate.output import envelope
    from migrate.report.history import render_list

    suite = None
    if suite_ref is not None:
        from migrate.nightly.suite import find_suite, load_suite

        suite = load_suite(find_suite(suite_ref)).name
    with _open(history, suite_ref) as store:
        runs = store.overview(suite=suite, limit=limit)
    _emit(envelope("nightly-runs", runs) if fmt == "json" else render_list(runs), output)


@history.command("show")
@click.argument("run", default="latest")
@_history_options
@click.option("--vendor", help="Only this vendor's sources.")
@click.option("--source", "sources", multiple=True, help="Only this source id (repeatable).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "junit"]), default="text", show_default=True
)
@_output
def show(
    run: str,
    history: Path | None,
    suite_ref: str | None,
    vendor: str | None,
    sources: tuple[str, ...],
    fmt: str,
    output: Path | None,
) -> None:
    """One run as the nightly printed it / 実行の詳細."""
    from migrate.history.summary import load_run_summary
    from migrate.report.nightly import render

    with _open(history, suite_ref) as store:
        run_id = store.resolve_run(run)
        summary = load_run_summary(store, run_id, sources=sources or None)
    if vendor:
        summary = summary.for_vendor(vendor)
    _emit(render(summary, fmt), output)


@history.command("compare")
@click.argument("run_a")
@click.argument("run_b", default="latest")
@_history_options
@click.option("--source", "sources", multiple=True, help="Only this source id (repeatable).")
@click.option("--vendor", help="Only this vendor's sources.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_output
def compare(
    run_a: str,
    run_b: str,
    history: Path | None,
    suite_ref: str | None,
    sources: tuple[str, ...],
    vendor: str | None,
    fmt: str,
    output: Path | None,
) -> None:
    """What is new, fixed and still failing from RUN_A to RUN_B / 2 つの実行の比較."""
    from migrate.history.compare import compare_runs
    from migrate.output import envelope
    from migrate.report.history import render_compare

    with _open(history, suite_ref) as store:
        a = store.resolve_run(run_a)
        b = store.resolve_run(run_b)
        wanted: set[str] | None = set(sources) if sources else None
        if vendor:
            of_vendor = {
                r["source_id"] for rid in (a, b) for r in store.run_sources(rid) if r["vendor"] == vendor
            }
            wanted = of_vendor if wanted is None else wanted & of_vendor
        result = compare_runs(store, a, b, sources=wanted)
    if fmt == "json":
        from migrate.findings import with_hints

        result = with_hints(result)
    _emit(envelope("nightly-compare", result) if fmt == "json" else render_compare(result), output)


@history.command("trend")
@click.argument("source")
@_history_options
@click.option("--limit", type=click.IntRange(1), default=30, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_output
def trend(
    source: str, history: Path | None, suite_ref: str | None, limit: int, fmt: str, output: Path | None
) -> None:
    """Readiness and error counts of SOURCE over its runs / ソースの推移."""
    from migrate.output import envelope
    from migrate.report.history import render_trend

    keys = (
        "run_id",
        "as_of",
        "files",
        "unreadable",
        "rows",
        "errors",
        "warnings",
        "error_rows",
        "readiness",
        "new",
        "fixed",
        "still_failing",
        "new_errors",
        "ok",
    )
    with _open(history, suite_ref) as store:
        points = [
            {k: (bool(r[k]) if k == "ok" else r[k]) for k in keys}
            for r in store.source_trend(source, limit=limit)
        ]
    text = (
        envelope("nightly-trend", {"source": source, "points": points})
        if fmt == "json"
        else render_trend(source, points)
    )
    _emit(text, output)


@history.command("metric")
@click.argument("keys", nargs=-1, required=True)
@_history_options
@click.option("--as-of", "as_of", help="Only runs on or before this night (YYYY-MM-DD).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def metric(
    keys: tuple[str, ...], history: Path | None, suite_ref: str | None, as_of: str | None, fmt: str
) -> None:
    """What a milestone gate reads for each metric KEY (e.g. juki.readiness) / ゲートが読む値."""
    from migrate.cli.nightly import parse_date
    from migrate.history.gates import HistoryGateSource
    from migrate.output import envelope, table

    date = parse_date(as_of)
    with _open(history, suite_ref) as store, HistoryGateSource(store=store, as_of=date) as gates:
        found = [{"key": k, **(gates.measured(k) or {"value": None})} for k in keys]
    if fmt == "json":
        click.echo(envelope("gate-metrics", found))
        return
    rows = [
        [
            f["key"],
            t("未計測", "not measured") if f["value"] is None else f"{f['value']:.4g}",
            ", ".join(f.get("sources", [])),
            ", ".join(f"#{r}" for r in f.get("runs", [])),
        ]
        for f in found
    ]
    click.echo(
        table([t("指標", "metric"), t("値", "value"), t("ソース", "sources"), t("実行", "runs")], rows)
    )
