"""A Gantt chart as an inline SVG string: week grid, bars by status colour, critical path outlined,
deadline and as-of lines, labels. A pure function of its rows; it knows nothing of plans.

Built in Python (a template would only hide the arithmetic): every text and attribute taken from
the rows goes through migrate.report.templating.text (markupsafe, control characters replaced), and
the finished element is `Markup`, so a template embeds it as is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup

from migrate.report.style import COLOURS
from migrate.report.templating import text as escape


@dataclass(frozen=True)
class Bar:
    start: dt.date
    finish: dt.date  # inclusive
    colour: str  # a COLOURS key (green, amber, red, grey) or a hex colour without '#'
    critical: bool = False
    title: str = ""
    ghost: bool = False  # a baseline bar: drawn as a thin outline under the row


@dataclass(frozen=True)
class Row:
    label: str
    bars: tuple[Bar, ...] = ()
    level: int = 0  # 0 business, 1 milestone (indented, smaller)
    deadline: dt.date | None = None  # drawn as a red marker on this row
    note: str = ""  # text right of the last bar (e.g. "+120日")
    id: str = ""


@dataclass(frozen=True)
class Line:
    """A vertical line across the chart (the as-of date, the national target).

    A dashed line's label sits left of it, a solid line's right, so two close lines stay legible.
    """

    date: dt.date
    label: str
    colour: str
    dashed: bool = False


@dataclass(frozen=True)
class Layout:
    label_width: int = 260
    row_height: int = 22
    header_height: int = 60
    max_width: int = 1220
    min_week: float = 2.0
    max_week: float = 18.0
    note_width: int = 190
    extra: dict[str, str] = field(default_factory=dict)


def _hex(colour: str) -> str:
    return str(escape("#" + COLOURS.get(colour, colour).lstrip("#")))


def monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def chart_range(rows: Sequence[Row], lines: Sequence[Line] = ()) -> tuple[dt.date, dt.date]:
    """The Monday before the earliest date and the Sunday after the latest (one spare week each side)."""
    dates: list[dt.date] = [ln.date for ln in lines]
    for r in rows:
        dates += [d for b in r.bars for d in (b.start, b.finish)]
        if r.deadline:
            dates.append(r.deadline)
    if not dates:
        today = dt.date.today()
        dates = [today, today]
    start = monday(min(dates)) - dt.timedelta(weeks=1)
    end = monday(max(dates)) + dt.timedelta(weeks=2) - dt.timedelta(days=1)
    return start, end


def gantt_svg(
    rows: Sequence[Row],
    *,
    lines: Sequence[Line] = (),
    start: dt.date | None = None,
    end: dt.date | None = None,
    title: str = "",
    year_label: Callable[[int], str] | None = None,
    layout: Layout | None = None,
) -> Markup:
    """The chart as an `<svg>` element (UTF-8 text, every label escaped), as Markup.

    year_label(fy) labels the fiscal-year band (April–March); default "2025年度".
    """
    lay = layout or Layout()
    lo, hi = chart_range(rows, lines)
    start = monday(start) if start else lo
    end = end or hi
    weeks = max(1, ((end - start).days + 7) // 7)
    avail = lay.max_width - lay.label_width - lay.note_width
    week_px = max(lay.min_week, min(lay.max_week, avail / weeks))
    chart_w = weeks * week_px
    width = int(lay.label_width + chart_w + lay.note_width)
    top = lay.header_height
    height = top + lay.row_height * max(1, len(rows)) + 8
    fy_label = year_label or (lambda fy: f"{fy}年度")

    def x(d: dt.date) -> float:
        return lay.label_width + (d - start).days / 7 * week_px

    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-size="12" font-family="inherit">'
    ]
    if title:
        out.append(f"<title>{escape(title)}</title>")
    out.append(f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>')
    # Zebra rows first, grid over them.
    for i, _ in enumerate(rows):
        if i % 2:
            y = top + i * lay.row_height
            out.append(f'<rect x="0" y="{y}" width="{width}" height="{lay.row_height}" fill="#f6f8fa"/>')
    # Week grid (light) and month boundaries (darker) with month numbers; fiscal-year band above.
    d = start
    while d <= end:
        out.append(
            f'<line x1="{x(d):.1f}" y1="{top}" x2="{x(d):.1f}" y2="{height - 8}" '
            'stroke="#eef1f4" stroke-width="1"/>'
        )
        d += dt.timedelta(weeks=1)
    month = dt.date(start.year, start.month, 1)
    month_px = week_px * 4.35
    while month <= end:
        nxt = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
        if month >= start:
            strong = month.month == 4
            out.append(
                f'<line x1="{x(month):.1f}" y1="{top - 18}" x2="{x(month):.1f}" y2="{height - 8}" '
                f'stroke="{"#8c959f" if strong else "#d0d7de"}" stroke-width="1"/>'
            )
        mid = (x(max(month, start)) + x(min(nxt, end + dt.timedelta(days=1)))) / 2
        if month_px >= 14 or month.month in (4, 10):
            out.append(
                f'<text x="{mid:.1f}" y="{top - 5}" text-anchor="middle" fill="#57606a" '
                f'font-size="10">{month.month}</text>'
            )
        month = nxt
    fy = start.year if start.month >= 4 else start.year - 1
    while dt.date(fy, 4, 1) <= end:
        a = max(start, dt.date(fy, 4, 1))
        z = min(end + dt.timedelta(days=1), dt.date(fy + 1, 4, 1))
        if (x(z) - x(a)) >= 40:
            out.append(
                f'<text x="{(x(a) + x(z)) / 2:.1f}" y="{top - 44}" text-anchor="middle" '
                f'font-weight="bold" fill="#1f2328">{escape(fy_label(fy))}</text>'
            )
        fy += 1
    out.append(f'<line x1="0" y1="{top}" x2="{width}" y2="{top}" stroke="#8c959f" stroke-width="1"/>')
    # Rows: label, baseline ghosts, bars, deadline marker, note.
    bar_h = {0: lay.row_height - 8, 1: lay.row_height - 10}
    for i, r in enumerate(rows):
        y = top + i * lay.row_height
        cy = y + lay.row_height / 2
        indent = 8 + 14 * r.level
        weight = ' font-weight="bold"' if r.level == 0 else ""
        label = escape(_fit(r.label, lay, r.level))
        out.append(
            f'<text x="{indent}" y="{cy + 4:.1f}"{weight} fill="#1f2328">{label}'
            f"<title>{escape(r.label)}</title></text>"
        )
        h = bar_h.get(r.level, lay.row_height - 10)
        for b in r.bars:
            x0, x1 = x(b.start), x(b.finish + dt.timedelta(days=1))
            w = max(2.0, x1 - x0)
            if b.ghost:
                out.append(
                    f'<rect x="{x0:.1f}" y="{y + lay.row_height - 5:.1f}" width="{w:.1f}" height="3" '
                    f'fill="#8c959f" opacity="0.7"><title>{escape(b.title)}</title></rect>'
                )
                continue
            stroke = ' stroke="#000000" stroke-width="2"' if b.critical else ""
            out.append(
                f'<rect x="{x0:.1f}" y="{cy - h / 2:.1f}" width="{w:.1f}" height="{h}" rx="2" '
                f'fill="{_hex(b.colour)}"{stroke}><title>{escape(b.title)}</title></rect>'
            )
        if r.deadline:
            dx = x(r.deadline + dt.timedelta(days=1))
            out.append(
                f'<path d="M{dx:.1f},{y + 2} l5,5 l-5,5 l-5,-5 z" fill="{_hex("deadline")}">'
                f"<title>{escape(r.deadline.isoformat())}</title></path>"
                f'<line x1="{dx:.1f}" y1="{y + 12}" x2="{dx:.1f}" y2="{y + lay.row_height}" '
                f'stroke="{_hex("deadline")}" stroke-width="1.5"/>'
            )
        if r.note:
            ends = [x(b.finish + dt.timedelta(days=1)) for b in r.bars if not b.ghost]
            if r.deadline:
                ends.append(x(r.deadline + dt.timedelta(days=1)) + 6)
            nx = (max(ends) if ends else lay.label_width) + 6
            out.append(
                f'<text x="{nx:.1f}" y="{cy + 4:.1f}" fill="#1f2328" font-size="11">{escape(r.note)}</text>'
            )
    for ln in lines:
        lx = x(ln.date)
        dash = ' stroke-dasharray="5,3"' if ln.dashed else ""
        out.append(
            f'<line x1="{lx:.1f}" y1="{top - 20}" x2="{lx:.1f}" y2="{height - 8}" '
            f'stroke="{_hex(ln.colour)}" stroke-width="2"{dash}/>'
            f'<text x="{lx - 3 if ln.dashed else lx + 3:.1f}" y="{top - 24}" fill="{_hex(ln.colour)}" '
            f'text-anchor="{"end" if ln.dashed else "start"}" '
            f'font-size="11" font-weight="bold">{escape(ln.label)}</text>'
        )
    out.append("</svg>")
    # Every piece above is a literal, a number or the result of escape(): safe to mark as markup.
    return Markup("".join(out))


def _fit(label: str, lay: Layout, level: int) -> str:
    """Cut a label to the label column (full-width characters ~12px, others ~7px)."""
    room = lay.label_width - 12 - 14 * level
    used = 0.0
    for i, ch in enumerate(label):
        used += 12 if ord(ch) > 0x2E7F else 7
        if used > room:
            return label[: max(0, i - 1)] + "…"
    return label
