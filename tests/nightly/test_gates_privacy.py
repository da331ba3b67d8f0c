"""Gates read the latest values from history; history holds no personal value at all."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from migrate.history.gates import HistoryGateSource, parse_metric_key
from migrate.io.csvfile import read_table
from tests.nightly.conftest import NIGHT1, NIGHT2, write_jumin, write_suite


@pytest.fixture
def two_nights(tmp_path: Path, night: Any) -> tuple[Path, Any, Any]:
    write_suite(tmp_path)
    write_jumin(tmp_path / "deliveries/a/chuo.csv", 20, defects=NIGHT1)
    first = night(as_of=dt.date(2025, 6, 1))
    write_jumin(tmp_path / "deliveries/a/chuo.csv", 20, defects=NIGHT2)
    second = night(as_of=dt.date(2025, 6, 2))
    return tmp_path, first, second


def test_parse_metric_key() -> None:
    assert parse_metric_key("juki.readiness") == ("readiness", "juki")
    assert parse_metric_key("juki.jumin.errors") == ("errors", "juki.jumin")
    assert parse_metric_key("readiness:juki/jumin") == ("readiness", "juki/jumin")
    assert parse_metric_key("ok:all") == ("ok", "all")
    assert parse_metric_key("juki.velocity") is None


def test_gates_see_the_latest_values(two_nights: tuple[Path, Any, Any]) -> None:
    folder, first, second = two_nights
    src2 = second.sources[0]
    with HistoryGateSource(folder / "history.sqlite") as gates:
        assert gates.latest("juki.readiness") == pytest.approx(src2.readiness)
        assert gates.latest("readiness:juki/jumin") == pytest.approx(src2.readiness)
        assert gates.latest("readiness:juki-a") == pytest.approx(src2.readiness)
        assert gates.latest("juki.jumin.errors") == src2.errors == 5
        assert gates.latest("all.new_errors") == 3
        assert gates.latest("juki.fixed") == 2
        assert gates.latest("ok:all") == 0.0
        assert gates.latest("readiness:vendor=ベンダーA") == pytest.approx(src2.readiness)
        assert gates.latest("kokuho.readiness") is None  # never measured
        assert gates.latest("juki.velocity") is None
        found = gates.measured("juki.errors")
        assert found is not None and found["runs"] == [second.run_id]
    with HistoryGateSource(folder / "history.sqlite", as_of=dt.date(2025, 6, 1)) as gates:
        assert gates.latest("juki.errors") == first.sources[0].errors == 4
    assert HistoryGateSource(folder / "missing.sqlite").latest("juki.readiness") is None
    assert not (folder / "missing.sqlite").exists()


def test_gate_source_fits_the_plan_protocol(two_nights: tuple[Path, Any, Any]) -> None:
    gates_mod = pytest.importorskip("migrate.plan.gates")
    model = pytest.importorskip("migrate.plan.model")
    folder, _, second = two_nights
    with HistoryGateSource(folder / "history.sqlite") as source:
        assert isinstance(source, gates_mod.GateSource)
        gate = model.Gate(metric="juki.readiness", min=0.999)
        result = gates_mod.evaluate("m1", gate, source)
        assert result.state == "failed"
        assert result.value == pytest.approx(second.sources[0].readiness)
        passing = gates_mod.evaluate("m2", model.Gate(metric="juki.readiness", min=0.5), source)
        assert passing.state == "passed"


def test_history_holds_no_personal_value(two_nights: tuple[Path, Any, Any]) -> None:
    folder, _, _ = two_nights
    table = read_table(folder / "deliveries/a/chuo.csv", "cp932")
    frame = table.frame
    forbidden: set[str] = set()
    for col in (
        "個人番号",
        "宛名番号",
        "世帯番号",
        "氏",
        "名",
        "氏カナ",
        "名カナ",
        "住所",
        "番地",
        "本籍",
        "郵便番号",
        "生年月日",
    ):
        # Short digit strings (a 7-digit 和暦 code) could occur by chance inside any hex digest.
        forbidden |= {
            v for v in frame[col].drop_nulls().to_list() if len(v) >= 2 and not (v.isdigit() and len(v) < 10)
        }
    forbidden |= {f"{a}　{b}" for a, b in zip(frame["氏"].to_list(), frame["名"].to_list(), strict=True)}
    assert any(len(v) == 12 and v.isdigit() for v in forbidden)  # the 個人番号 are among them
    db = sqlite3.connect(folder / "history.sqlite")
    leaks = []
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        cols = [r[1] for r in db.execute(f"PRAGMA table_info({name})")]
        for row in db.execute(f"SELECT * FROM {name}"):
            for col, value in zip(cols, row, strict=True):
                if isinstance(value, str):
                    leaks += [(name, col, v) for v in forbidden if v in value]
    assert leaks == []
