"""The progress bar on stderr (migrate/progress.py): drawn on a terminal only, redrawn at most every
interval, with done / total, MB/s and time left; silent in a pipe, under --format json, --quiet and CI.
The clock is a counter the test moves: nothing depends on real time."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import migrate.progress as progress
from migrate.cli.nightly import LiveLine
from migrate.i18n import set_lang
from migrate.nightly.runner import Meter
from migrate.progress import ProgressBar, wanted
from migrate.samples import write_juki
from tests.conftest import ROOT, run
from tests.nightly.conftest import write_jumin, write_suite

MAPPING = str(ROOT / "mappings/juki/midori-jumin-v1.yaml")


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def _not_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")


def test_bar_shows_share_rate_and_time_left() -> None:
    stream, clock = Tty(), Clock()
    bar = ProgressBar("juki.csv", 10_000_000, stream=stream, clock=clock)
    clock.now += 2.0
    bar.advance(4_000_000)  # 4 MB in 2 s: 2 MB/s, 6 MB left: 3 s
    assert stream.getvalue() == (
        "\r\x1b[2Kjuki.csv  [########------------]  40%  4.0/10.0 MB  2.0 MB/s  残り 0:03"
    )
    set_lang("en")
    assert bar.line().endswith("2.0 MB/s  0:03 left")


def test_redrawn_at_most_every_interval_and_closed_with_a_newline() -> None:
    stream, clock = Tty(), Clock()
    bar = ProgressBar("x", 1000, stream=stream, clock=clock, interval=0.1)
    for _ in range(50):  # fifty reads within 50 ms: one draw
        clock.now += 0.001
        bar.on_read(b"x" * 10)
    assert stream.getvalue().count("\r") == 1
    clock.now += 0.2
    bar.on_read(b"x" * 500)
    assert stream.getvalue().count("\r") == 2
    bar.close()
    out = stream.getvalue()
    assert out.endswith("100%  0.0/0.0 MB  0.0 MB/s\n") and out.count("\r") == 3
    assert "残り" not in out.rsplit("\r", 1)[1]  # nothing left: no time left shown


def test_unknown_total_and_nothing_drawn_nothing_closed() -> None:
    stream, clock = Tty(), Clock()
    ProgressBar("x", None, stream=stream, clock=clock).close()
    assert stream.getvalue() == ""
    bar = ProgressBar("x", None, stream=stream, clock=clock)
    clock.now += 1
    bar.advance(3_000_000)
    assert stream.getvalue() == "\r\x1b[2Kx  3.0 MB  3.0 MB/s"


def test_label_is_cleaned_for_the_terminal() -> None:
    stream = Tty()
    ProgressBar("evil\x1b]0;title\x07.csv", 10, stream=stream, clock=Clock()).advance(1)
    assert "\x1b]" not in stream.getvalue() and "evil.csv" in stream.getvalue()


def test_wanted_only_on_a_terminal_a_person_watches(monkeypatch: pytest.MonkeyPatch) -> None:
    assert wanted(Tty()) is True
    assert wanted(io.StringIO()) is False
    assert wanted(Tty(), fmt="json") is False
    assert wanted(Tty(), quiet=True) is False
    monkeypatch.setenv("CI", "true")
    assert wanted(Tty()) is False
    monkeypatch.delenv("CI")
    monkeypatch.setenv("TERM", "dumb")
    assert wanted(Tty()) is False


def test_nightly_live_line_has_bytes_files_and_time_left() -> None:
    stream, clock = Tty(), Clock()
    live = LiveLine(stream=stream, clock=clock)
    clock.now += 4.0
    live(Meter(1, 4, 2_000_000, 4.0, 2, "local", bytes_total=8_000_000))
    line = stream.getvalue()
    assert "[#####---------------]  25%  2.0/8.0 MB  0.5 MB/s  残り 0:12" in line
    assert "1/4 ファイル" in line and "2 ワーカー (local)" in line
    live.end()
    assert stream.getvalue().endswith("\n")


def test_validate_draws_from_on_read_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = write_juki(tmp_path / "juki.csv", 40)
    seen: list[str | None] = []

    def on_terminal(stream: object = None, *, fmt: str | None = None, quiet: bool = False) -> bool:
        seen.append(fmt)
        return fmt != "json"

    monkeypatch.setattr(progress, "wanted", on_terminal)
    res = run("validate", str(f), "--mapping", MAPPING, "--chunk-size", "1K")
    assert seen == ["text"]
    drawn = res.stderr.split("\r\x1b[2K")
    assert len(drawn) >= 2 and drawn[-1].startswith("juki.csv  [####################] 100%")
    assert "\r" not in res.stdout
    res = run("validate", str(f), "--mapping", MAPPING, "--format", "json")
    assert "\r" not in res.output


def test_nothing_written_when_not_a_terminal(tmp_path: Path) -> None:
    f = write_juki(tmp_path / "juki.csv", 20)
    res = run("validate", str(f), "--mapping", MAPPING, "--chunk-size", "1K")
    assert "\r" not in res.stderr and "\x1b" not in res.stderr and "MB/s" not in res.stderr
    suite = write_suite(tmp_path)
    write_jumin(tmp_path / "deliveries/a/chuo.csv", 10)
    res = run("nightly", str(suite), "-j", "1")
    assert "\r" not in res.stderr and "MB/s" not in res.stderr
    assert "[1/1]" in res.stderr  # the per-file lines a log keeps
