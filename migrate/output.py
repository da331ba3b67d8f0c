"""Machine and terminal output: the versioned JSON envelope and width-aware text tables.

Both are sinks where text leaves the engine: the envelope masks every 個人番号 in its data (keys
included) and escapes C1 controls (JSON leaves them raw, a terminal may obey them); table cells are
cleaned for the terminal (migrate.terminal).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from migrate import __version__

ENVELOPE_VERSION = 1
_C1 = re.compile(r"[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _default(obj: Any) -> Any:
    if isinstance(obj, (dt.date, dt.datetime)):
        return obj.isoformat()
    if hasattr(obj, "value"):
        return obj.value
    if isinstance(obj, set):
        return sorted(obj)
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def envelope(kind: str, data: Any, **extra: Any) -> str:
    """The JSON every --format json prints: {"migrate": {...}, "kind": ..., "data": ...}."""
    from migrate.mask import redact_json

    doc = {
        "migrate": {"envelope": ENVELOPE_VERSION, "version": __version__},
        "kind": kind,
        **extra,
        "data": data,
    }
    text = redact_json(json.dumps(doc, ensure_ascii=False, indent=2, default=_default))
    return _C1.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, w: int, right: bool = False) -> str:
    gap = " " * max(0, w - width(text))
    return gap + text if right else text + gap


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], right: Sequence[int] = ()) -> str:
    """A plain text table aligned for full-width (Japanese) characters, cells cleaned for a terminal."""
    from migrate.terminal import clean_value

    headers = [clean_value(h) for h in headers]
    cells = [[clean_value(v) for v in row] for row in rows]
    widths = [width(h) for h in headers]
    for row in cells:
        for i, v in enumerate(row):
            widths[i] = max(widths[i], width(v))
    lines = ["  ".join(_pad(h, widths[i]) for i, h in enumerate(headers)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append("  ".join(_pad(v, widths[i], i in right) for i, v in enumerate(row)).rstrip())
    return "\n".join(lines)
