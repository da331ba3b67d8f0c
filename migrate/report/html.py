"""The shared skeleton of every HTML report: one self-contained file, no external request possible.

Why: reports are opened from file shares and mail attachments on 庁内 networks (often LGWAN, no
internet) and must never call out. Everything is inline (CSS, SVG); a Content-Security-Policy meta
tag forbids any fetch (`default-src 'none'`), scripts included; fonts are the system's Japanese
fonts. Every piece of text goes through :func:`esc` (html.escape with quotes).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

from migrate import __version__

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

# Status fills, shared with the Excel reports (see migrate.report.style).
CSS = """
:root { --green:#2E7D32; --amber:#F9A825; --red:#C62828; --grey:#90A4AE; --ink:#1f2328;
  --muted:#57606a; --line:#d0d7de; --head:#DDEBF7; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; padding: 24px 32px; color: var(--ink); background: #fff;
  font-family: "Hiragino Kaku Gothic ProN", "Hiragino Sans", "BIZ UDPGothic", "Yu Gothic UI",
    "Yu Gothic", "Meiryo", "Noto Sans CJK JP", "Noto Sans JP", "IPAexGothic", "IPAGothic",
    "TakaoPGothic", "VL PGothic", sans-serif;
  font-size: 14px; line-height: 1.55; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
p.meta, .meta { color: var(--muted); margin: 0 0 12px; font-size: 13px; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; vertical-align: top; text-align: left; }
th { background: var(--head); font-weight: 600; position: sticky; top: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.date, td.nw, span.nw { white-space: nowrap; }
td.wide { min-width: 18em; }
.badge { display: inline-block; min-width: 3.5em; padding: 1px 8px; border-radius: 10px; color: #fff;
  font-weight: 600; text-align: center; white-space: nowrap; }
.badge.green { background: var(--green); } .badge.amber { background: var(--amber); color: #1f2328; }
.badge.red { background: var(--red); } .badge.grey { background: var(--grey); }
td.name { min-width: 8em; }
tr.red td.name { border-left: 4px solid var(--red); }
tr.amber td.name { border-left: 4px solid var(--amber); }
tr.green td.name { border-left: 4px solid var(--green); }
tr.grey td.name { border-left: 4px solid var(--grey); }
.over { color: var(--red); font-weight: 600; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 120px; }
.card .n { font-size: 24px; font-weight: 700; }
.card.red { border-top: 4px solid var(--red); } .card.amber { border-top: 4px solid var(--amber); }
.card.green { border-top: 4px solid var(--green); }
.bar { display: inline-block; width: 120px; height: 10px; background: #eef1f4; border-radius: 5px;
  vertical-align: middle; overflow: hidden; }
.bar > span { display: block; height: 100%; }
.gantt { overflow-x: auto; border: 1px solid var(--line); padding: 4px; }
.note { background: #fff8e1; border-left: 4px solid var(--amber); padding: 6px 10px; margin: 8px 0; }
.small { font-size: 12px; color: var(--muted); }
ul.reasons { margin: 0; padding-left: 1.2em; }
code, .mono { font-family: "BIZ UDGothic", "Noto Sans Mono CJK JP", "DejaVu Sans Mono", monospace; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@media print { body { padding: 0; } th { position: static; } .gantt { overflow: visible; } }
"""


# Control characters are not allowed in HTML or XML text: shown as U+FFFD, never dropped silently.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def esc(value: Any) -> str:
    """Escaped text for any value (None → empty); also valid XML inside inline SVG."""
    if value is None:
        return ""
    return html.escape(_CONTROL.sub("\ufffd", str(value)), quote=True)


def badge(status: str, label: str) -> str:
    return f'<span class="badge {esc(status)}">{esc(label)}</span>'


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    num: Sequence[int] = (),
    raw: Sequence[int] = (),
    nowrap: Sequence[int] = (),
    wide: Sequence[int] = (),
    row_class: Sequence[str] | None = None,
    first_class: str | None = None,
) -> str:
    """An HTML table; cells are escaped unless their column index is in `raw` (trusted markup)."""
    out = ["<table><thead><tr>"]
    out += [f"<th{' class=num' if i in num else ''}>{esc(h)}</th>" for i, h in enumerate(headers)]
    out.append("</tr></thead><tbody>")
    for ri, row in enumerate(rows):
        cls = f' class="{esc(row_class[ri])}"' if row_class and row_class[ri] else ""
        out.append(f"<tr{cls}>")
        for i, v in enumerate(row):
            classes = []
            if i in num:
                classes.append("num")
            if i in nowrap:
                classes.append("nw")
            if i in wide:
                classes.append("wide")
            if i == 0 and first_class:
                classes.append(first_class)
            attr = f' class="{" ".join(classes)}"' if classes else ""
            out.append(f"<td{attr}>{v if i in raw else esc(v)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def page(title: str, body: str, *, generated: dt.datetime | None = None, lang: str = "ja") -> str:
    """A complete, self-contained HTML document around body (trusted markup)."""
    when = (generated or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"{body}\n"
        f"<footer>migrate {esc(__version__)} · {esc(when)}</footer>\n"
        "</body>\n</html>\n"
    )
