"""Assertions shared by the report tests: workbook scans, print set-up, self-contained HTML."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

RED, AMBER, GREEN, GREY = "C62828", "F9A825", "2E7D32", "90A4AE"


def rgb(cell: Any) -> str:
    """The solid fill colour of a cell as RRGGBB ('' when none)."""
    if cell.fill is None or cell.fill.fill_type != "solid":
        return ""
    return str(cell.fill.fgColor.rgb)[-6:].upper()


def all_cells(wb: Any) -> Iterator[tuple[str, Any]]:
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield ws.title, cell


def all_text(wb: Any) -> str:
    return "\n".join(str(c.value) for _, c in all_cells(wb))


def find_row(ws: Any, column: int, value: Any) -> int:
    for row in range(1, ws.max_row + 1):
        if ws.cell(row, column).value == value:
            return row
    raise AssertionError(f"{value!r} not found in column {column} of {ws.title}")


def assert_print_setup(ws: Any, title_rows: str | None = None, pages_wide: int = 1) -> None:
    assert ws.page_setup.paperSize in (8, "8"), ws.title  # A3
    assert ws.page_setup.orientation == "landscape", ws.title
    assert int(ws.page_setup.fitToWidth) == pages_wide, ws.title
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True, ws.title
    if title_rows:
        assert ws.print_title_rows == title_rows, (ws.title, ws.print_title_rows)


def formula_cells(path: Path) -> list[str]:
    """Every <f> (formula) element in the workbook's sheets: must be none."""
    found = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                found += re.findall(r"<f[ >].*?</f>", z.read(name).decode("utf-8"))
    return found


def assert_no_my_number(texts: Iterable[str], numbers: Iterable[str]) -> None:
    blob = "\n".join(texts)
    leaked = [n for n in numbers if n and n in blob]
    assert not leaked, f"個人番号 leaked: {len(leaked)}"


class _Refs(HTMLParser):
    """Collects every attribute that can make a browser fetch something, and inline CSS."""

    URL_ATTRS: ClassVar[set[str]] = {
        "src",
        "href",
        "srcset",
        "action",
        "poster",
        "data",
        "xlink:href",
        "formaction",
        "background",
    }

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.tags: list[str] = []
        self.metas: list[dict[str, str | None]] = []
        self.html_attrs: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "meta":
            self.metas.append(dict(attrs))
        if tag == "html":
            self.html_attrs = dict(attrs)
        for name, value in attrs:
            if name in self.URL_ATTRS and value is not None:
                self.refs.append((tag, name, value))
            if name == "style" and value and "url(" in value:
                self.refs.append((tag, name, value))


def _local_link(tag: str, attr: str, value: str) -> bool:
    """A link the reader may follow to a report beside this one: a relative address, no scheme,
    no host (navigation is not a fetch: the page itself loads nothing from it)."""
    return tag == "a" and attr == "href" and not re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:|//|\\\\", value)


def assert_self_contained(html: str) -> None:
    """No script, no external resource, a strict CSP, UTF-8 and lang=ja."""
    p = _Refs()
    p.feed(html)
    bad = [r for r in p.refs if not (r[2].startswith("#") or r[2].startswith("data:") or _local_link(*r))]
    assert not bad, bad
    assert "script" not in p.tags
    for tag in ("iframe", "object", "embed", "link", "base", "form"):
        assert tag not in p.tags, tag
    assert "url(" not in html and "@import" not in html
    csp = [m for m in p.metas if (m.get("http-equiv") or "").lower() == "content-security-policy"]
    assert csp and "default-src 'none'" in (csp[0].get("content") or "")
    assert any((m.get("charset") or "").lower() == "utf-8" for m in p.metas)
    assert p.html_attrs.get("lang") in ("ja", "en")


def done_until(business: Any, first: Any, cutoff: Any) -> tuple[Any, ...]:
    """The business's milestones with every one planned (in the first schedule `first`) to finish by
    `cutoff` marked done on its planned dates: a plan part-way through, for report tests."""
    from migrate.plan.model import NationalStatus

    out = []
    for m in business.milestones:
        planned = first.milestone(f"{business.id}:{m.id}")
        if planned.finish and planned.finish <= cutoff:
            m = m.model_copy(
                update={
                    "actual_start": planned.start,
                    "actual_finish": planned.finish,
                    "status": NationalStatus.done,
                }
            )
        out.append(m)
    return tuple(out)
