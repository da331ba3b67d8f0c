"""The HTML reports in headless Chromium: no console message, no network request, a real picture;
printed to PDF, the page size and count, and every name on one line."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from migrate.report.nightly import write_dashboard
from migrate.report.plan import write_plan_report
from migrate.report.validation import write_validation_report
from tests.report.browser import (
    MEDIA_BOX,
    Printed,
    Rendered,
    colour_stats,
    png_pixels,
    print_layout,
    print_pdf,
    render,
)

pytestmark = pytest.mark.browser


def check(r: Rendered, *texts: str) -> None:
    assert r.console == [], r.console
    assert r.page_requests == [], r.page_requests
    assert r.png.exists() and r.png.stat().st_size > 10_000
    colours, ink = colour_stats(r.png)
    assert colours > 20, "the screenshot is (nearly) one colour"
    assert ink > 0.02, "the screenshot is (nearly) blank"
    for text in texts:
        assert text in r.dom, text


def test_validation_report_renders(juki_result: Any, tmp_path: Path) -> None:
    html = write_validation_report([juki_result], "html", tmp_path / "validation.html")
    check(render(html, tmp_path / "chrome"), "移行データ検証レポート", "不備のある行の例")


def test_plan_report_renders(plan_result: Any, plan_and_baseline: tuple[Any, Any], tmp_path: Path) -> None:
    html = write_plan_report(plan_result, "html", tmp_path / "plan.html", baseline=plan_and_baseline[1])
    r = render(html, tmp_path / "chrome")
    check(r, "業務別の状況", "002 印鑑登録", "<svg")
    # The status colours are on screen (the red badge and bars, the amber and green ones).
    _, _, ch, px = png_pixels(r.png)
    seen = {px[i : i + 3] for i in range(0, len(px), ch * 3)}
    for colour in ((0xC6, 0x28, 0x28), (0xF9, 0xA8, 0x25), (0x2E, 0x7D, 0x32)):
        assert bytes(colour) in seen, colour


def test_dashboard_renders(nightly_run: Any, tmp_path: Path) -> None:
    html = write_dashboard(nightly_run, tmp_path)[0]
    check(render(html, tmp_path / "chrome"), "夜間検証ダッシュボード", "ソース別")


def test_harness_catches_requests_and_console(tmp_path: Path) -> None:
    """Control: a page that reaches out and logs is caught, so the checks above mean something."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><p>x</p>'
        '<img src="http://127.0.0.1:9/x.png"><script>console.error("boom")</script></body></html>',
        encoding="utf-8",
    )
    r = render(page, tmp_path / "chrome")
    assert any("127.0.0.1:9" in u for u in r.page_requests)
    assert any("boom" in line for line in r.console)


# ---------------------------------------------------------------------------------------- printing

NAMES = "td.name, td.vendor"


def check_print(html: Path, work: Path, page: str, *, names: bool = True) -> Printed:
    """Printed on `page` with no request and no console message; nothing wider than the paper, and
    (names) every name cell (business, vendor, file, source) on one line."""
    printed = print_pdf(html, work)
    assert printed.console == [] and printed.page_requests == []
    want = MEDIA_BOX[page]
    assert printed.sizes and all(
        abs(w - want[0]) < 1.5 and abs(h - want[1]) < 1.5 for w, h in printed.sizes
    ), printed.sizes
    layout = print_layout(html, work, page, NAMES)
    assert bool(layout.cells) == names, layout.cells
    split = [c for c in layout.cells if c["lines"] != 1]
    assert split == [], split
    assert layout.scroll_width <= layout.width, (layout.scroll_width, layout.width)
    return printed


def test_demo_plan_report_prints_on_a3(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from migrate.cli.plan_report import report
    from tests.conftest import ROOT

    html = tmp_path / "plan.html"
    res = CliRunner().invoke(
        report,
        [str(ROOT / "demo" / "plan.yaml"), "--format", "html", "-o", str(html), "--as-of", "2026-11-23"],
        catch_exceptions=False,
    )
    assert res.exit_code == 0, res.output
    printed = check_print(html, tmp_path / "chrome", "A3 landscape")
    assert printed.pages == 3  # status table and overview Gantt, the late business's Gantt, the rest


def test_validation_report_prints_on_a4(two_vendor_results: list[Any], tmp_path: Path) -> None:
    long_names = [
        dataclasses.replace(r, vendor=v)
        for r, v in zip(
            two_vendor_results, ("株式会社ひかり台情報システムサービス", "ベンダーB"), strict=True
        )
    ]
    html = write_validation_report(long_names, "html", tmp_path / "validation.html")
    printed = check_print(html, tmp_path / "chrome", "A4 landscape")
    assert printed.pages == 5


def test_dashboard_prints_on_a3(nightly_run: Any, tmp_path: Path) -> None:
    data = nightly_run.to_dict()
    long = "株式会社ひかり台情報システムサービス"
    for s in data["sources"]:
        if s["vendor"] == "ベンダーA":
            s["vendor"] = long
    for v in data["vendors"]:
        if v["vendor"] == "ベンダーA":
            v["vendor"] = long
    html = write_dashboard(data, tmp_path / "out")[0]
    printed = check_print(html, tmp_path / "chrome", "A3 landscape")
    assert printed.pages == 1
    report = next((tmp_path / "out" / "files").rglob("*a-0001.html"))
    printed = check_print(report, tmp_path / "chrome-file", "A3 landscape", names=False)
    assert printed.pages == 1


def test_harness_sees_a_name_split_and_a_page_too_wide(tmp_path: Path) -> None:
    """Control: a name squeezed into a narrow column and a table wider than the paper are caught."""
    page = tmp_path / "narrow.html"
    page.write_text(
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
        "<style>@media print { td { font-size: 10pt } }</style></head><body>"
        '<table><tr><td class="vendor" style="width:2em">株式会社ひかり台情報システム</td>'
        '<td style="min-width:3000px">x</td></tr></table></body></html>',
        encoding="utf-8",
    )
    layout = print_layout(page, tmp_path / "chrome", "A4 landscape", NAMES)
    assert len(layout.cells) == 1 and layout.cells[0]["lines"] > 1
    assert layout.scroll_width > layout.width


def test_folded_reasons_print_unfolded(plan_result: Any, tmp_path: Path) -> None:
    """On screen the reasons past the fourth fold away; on paper every one is printed."""
    html = write_plan_report(plan_result, "html", tmp_path / "plan.html")
    layout = print_layout(html, tmp_path / "chrome", "A3 landscape", "details.more summary, details.more li")
    summaries = [c for c in layout.cells if str(c["text"]).startswith("他 ")]
    reasons = [c for c in layout.cells if not str(c["text"]).startswith("他 ")]
    assert summaries and all(c["width"] == 0 for c in summaries)  # "他 5 件" is not printed
    folded = sum(max(0, len(b.reasons) - 4) for b in plan_result.businesses)
    assert len(reasons) == folded and all(c["lines"] >= 1 for c in reasons)
