"""The HTML reports in headless Chromium: no console message, no network request, a real picture."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from migrate.report.nightly import write_dashboard
from migrate.report.plan import write_plan_report
from migrate.report.validation import write_validation_report
from tests.report.browser import Rendered, colour_stats, png_pixels, render

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
