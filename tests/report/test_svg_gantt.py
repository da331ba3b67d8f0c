"""The SVG Gantt: a pure function of rows; well-formed, escaped, bars where the dates say."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from migrate.report.svg_gantt import Bar, Layout, Line, Row, chart_range, gantt_svg, monday

NS = "{http://www.w3.org/2000/svg}"
D = dt.date


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_bars_lines_and_labels() -> None:
    rows = [
        Row(
            "001 住民基本台帳",
            (Bar(D(2025, 4, 7), D(2025, 9, 30), "red", True, "t<1>"),),
            0,
            D(2026, 3, 31),
            "超過",
        ),
        Row("s01 <推進>", (Bar(D(2025, 4, 7), D(2025, 4, 18), "grey"),), 1),
        Row("base", (Bar(D(2025, 4, 7), D(2025, 5, 30), "grey", ghost=True),), 1),
    ]
    svg = gantt_svg(
        rows,
        lines=[
            Line(D(2025, 6, 2), "基準日", "as_of"),
            Line(D(2026, 3, 31), "国の目標", "deadline", dashed=True),
        ],
        title="テスト & <x>",
    )
    root = parse(svg)
    assert root.tag == f"{NS}svg"
    assert root.find(f"{NS}title").text == "テスト & <x>"
    rects = root.findall(f"{NS}rect")
    fills = [r.get("fill") for r in rects]
    assert "#C62828" in fills and "#90A4AE" in fills
    critical = [r for r in rects if r.get("stroke") == "#000000"]
    assert len(critical) == 1 and critical[0].find(f"{NS}title").text == "t<1>"
    ghosts = [r for r in rects if r.get("opacity") == "0.7"]
    assert len(ghosts) == 1 and ghosts[0].get("height") == "3"
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "001 住民基本台帳" in texts and "s01 <推進>" in texts and "超過" in texts
    assert "基準日" in texts and "国の目標" in texts
    assert "2025年度" in texts
    assert any(line.get("stroke-dasharray") for line in root.iter(f"{NS}line"))
    # The deadline marker: a red diamond path on the business row.
    assert [p.get("fill") for p in root.iter(f"{NS}path")] == ["#C62828"]


def test_bar_position_follows_dates() -> None:
    lay = Layout(label_width=100, max_width=100 + 52 * 10 + 50, note_width=50, max_week=10, min_week=10)
    start = D(2025, 3, 31)  # a Monday
    svg = gantt_svg(
        [Row("x", (Bar(D(2025, 4, 7), D(2025, 4, 13), "green"),))],
        start=start,
        end=D(2026, 3, 29),
        layout=lay,
    )
    bar = next(r for r in parse(svg).findall(f"{NS}rect") if r.get("fill") == "#2E7D32")
    assert float(bar.get("x")) == 110.0  # one week after the chart's start
    assert float(bar.get("width")) == 10.0  # 7 days = one week


def test_year_label_and_empty_rows() -> None:
    svg = gantt_svg([], year_label=lambda fy: f"令和{fy - 2018}年度", start=D(2025, 4, 7), end=D(2026, 3, 29))
    assert "令和7年度" in svg
    parse(svg)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.dates(D(2020, 1, 1), D(2032, 12, 31)),
            st.integers(0, 400),
            st.sampled_from(["red", "amber", "green", "grey"]),
            st.booleans(),
            st.text(max_size=12),
        ),
        max_size=8,
    )
)
def test_always_well_formed(spec: list[tuple[dt.date, int, str, bool, str]]) -> None:
    rows = [
        Row(label, (Bar(d, d + dt.timedelta(days=n), c, crit, label),), 1, d) for d, n, c, crit, label in spec
    ]
    root = parse(gantt_svg(rows, lines=[Line(D(2025, 1, 1), "<as of>", "as_of")]))
    lo, hi = chart_range(rows)
    assert lo == monday(lo) and lo.weekday() == 0 and hi >= lo
    assert len([r for r in root.findall(f"{NS}rect") if r.get("rx")]) == len(rows)
