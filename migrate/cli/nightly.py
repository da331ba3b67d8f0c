"""`migrate nightly SUITE`: validate every delivered extract of a suite, record the run, judge it.

Exit codes: 0 every threshold holds · 1 a threshold is breached · 2 usage · 3 the suite (or a spec
or mapping it names) is invalid · 4 another run holds the lock, or the suite or history cannot be
read, or a Dask scheduler cannot be reached or its workers cannot see the suite's files · 5 internal
error. An unreadable delivery is a finding (exit 1), not a failed run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

import click

from migrate.cli import app
from migrate.errors import ExitCode, UsageError
from migrate.i18n import t
from migrate.terminal import echo


def parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(
            t("日付の形式が正しくありません: {v}", "bad date: {v}", v=value),
            hint=t("YYYY-MM-DD で指定してください", "use YYYY-MM-DD"),
        ) from None


@click.command()
@click.argument("suite", required=False)
@click.option("--force", is_flag=True, help="Validate every file, even those unchanged since the last run.")
@click.option(
    "--jobs", "-j", type=click.IntRange(1, 64), default=2, show_default=True, help="Files in parallel."
)
@click.option(
    "--history",
    type=click.Path(path_type=Path),
    envvar="MIGRATE_HISTORY",
    help="History database (default: the suite's `history`, else reports/history.sqlite).",
)
@click.option("--source", "sources", multiple=True, help="Only this source id (repeatable).")
@click.option("--vendor", help="Only this vendor's sources (what that vendor may see).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "junit"]), default="text", show_default=True
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write the output to a file (atomic).")
@click.option("--junit", "junit_path", type=click.Path(path_type=Path), help="Also write JUnit XML here.")
@click.option(
    "--json", "json_path", type=click.Path(path_type=Path), help="Also write the JSON summary here."
)
@click.option(
    "--per-vendor",
    "per_vendor",
    type=click.Path(path_type=Path),
    help="Also write one JSON and one JUnit file per vendor into this folder (each sees only its own).",
)
@click.option("--dashboard", type=click.Path(path_type=Path), help="Write the HTML/Excel dashboard here.")
@click.option("--as-of", "as_of", help="The night this run stands for (YYYY-MM-DD; default today).")
@click.option(
    "--executor",
    help="Where files are validated: local (this machine, --jobs processes; default) or "
    "dask://HOST:PORT (a Dask scheduler; needs migrate[cluster]). Overrides the suite's `executor`.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr.")
@click.pass_context
def nightly(
    ctx: click.Context,
    suite: str | None,
    force: bool,
    jobs: int,
    history: Path | None,
    sources: tuple[str, ...],
    vendor: str | None,
    fmt: str,
    output: Path | None,
    junit_path: Path | None,
    json_path: Path | None,
    per_vendor: Path | None,
    dashboard: Path | None,
    as_of: str | None,
    executor: str | None,
    quiet: bool,
) -> None:
    """Validate every delivered extract of SUITE and record the run / 納品データの夜間一括検証.

    SUITE is a suite file or its name under checks/ (default: the only suite there). Files unchanged
    since the last run are not validated again (their result is carried forward) unless --force.
    """
    from migrate.atomic import write_text
    from migrate.nightly.executor import parse_executor
    from migrate.nightly.runner import NightlyOptions, run_nightly
    from migrate.nightly.suite import find_suite, load_suite
    from migrate.report.nightly import render

    date = parse_date(as_of)
    if executor is not None:
        parse_executor(executor)
    loaded = load_suite(find_suite(suite))
    registry = app(ctx).registry()

    def progress(msg: str) -> None:
        if not quiet:
            echo(msg, err=True)

    from migrate.progress import wanted

    live = LiveLine() if wanted(fmt=fmt, quiet=quiet) else None
    try:
        run = run_nightly(
            loaded,
            registry,
            NightlyOptions(
                force=force,
                jobs=jobs,
                as_of=date,
                sources=sources,
                vendor=vendor,
                history=history,
                executor=executor,
            ),
            progress=progress,
            meter=live,
        )
    finally:
        if live is not None:
            live.end()
    text = render(run, fmt)
    if output:
        write_text(output, text if text.endswith("\n") else text + "\n")
        echo(t("書き出しました: {p}", "wrote {p}", p=output), err=True)
    else:
        echo(text, nl=not text.endswith("\n"))
    if junit_path:
        write_text(junit_path, render(run, "junit"))
        progress(t("JUnit: {p}", "JUnit: {p}", p=junit_path))
    if json_path:
        write_text(json_path, render(run, "json") + "\n")
        progress(t("JSON: {p}", "JSON: {p}", p=json_path))
    if per_vendor:
        from migrate.nightly.vendors import vendor_stems

        stems = vendor_stems(v["vendor"] for v in run.vendors)
        for v in run.vendors:
            own = run.for_vendor(v["vendor"])
            stem = stems[v["vendor"]]
            write_text(per_vendor / f"{stem}.json", render(own, "json") + "\n")
            write_text(per_vendor / f"{stem}.junit.xml", render(own, "junit"))
        progress(t("ベンダー別: {p}", "per vendor: {p}", p=per_vendor))
    if dashboard:
        write_dashboard(run, dashboard, progress, per_vendor=per_vendor is not None)
    if not run.ok:
        ctx.exit(int(ExitCode.FINDINGS))


class LiveLine:
    """On a terminal: the night's progress bar (migrate.progress), told after each file recorded:
    bytes done of the night's total, MB/s, time left, files done / total and the workers."""

    def __init__(self, stream: TextIO | None = None, clock: Callable[[], float] | None = None) -> None:
        from migrate.progress import ProgressBar

        self.bar = ProgressBar(t("夜間検証", "nightly"), None, stream=stream, clock=clock)

    def __call__(self, m: Any) -> None:
        self.bar.update(
            m.bytes_done,
            getattr(m, "bytes_total", 0) or None,
            extra=t(
                "{d}/{n} ファイル  {f:.1f} ファイル/秒  {w} ワーカー ({x})",
                "{d}/{n} files  {f:.1f} files/s  {w} worker(s) ({x})",
                d=m.done,
                n=m.total,
                f=m.files_per_s,
                w=m.workers,
                x=m.executor,
            ),
        )

    def end(self) -> None:
        self.bar.close()


def write_dashboard(run: Any, out_dir: Path, say: Callable[[str], None], *, per_vendor: bool = False) -> None:
    """The HTML/Excel dashboard, and where the per-file reports went (when the history had them)."""
    from migrate.report.nightly import write_dashboard as write

    for path in write(run, out_dir, per_vendor=per_vendor):
        say(t("ダッシュボード: {p}", "dashboard: {p}", p=path))
    files = out_dir / "files"
    if files.is_dir():
        say(t("行別の不備: {p}", "findings by row: {p}", p=files))
