"""The shared skeleton of every HTML report: one self-contained file, no external request possible.

Why: reports are opened from file shares and mail attachments on 庁内 networks (often LGWAN, no
internet) and must never call out. Everything is inline (CSS, SVG); a Content-Security-Policy meta
tag forbids any fetch (`default-src 'none'`), scripts included; fonts are the system's Japanese
fonts. The layout, CSS and CSP are the base template (templates/base.html); text is escaped by
the template engine (migrate.report.templating); every file is written atomically with every
個人番号 masked (migrate.mask.redact), whatever the renderer put in it.
"""

from __future__ import annotations

from pathlib import Path

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def write_html(target: str | Path, html: str) -> Path:
    """Write a finished report atomically (mode 0600), every 個人番号 in it masked."""
    from migrate.atomic import write_text
    from migrate.mask import redact

    return write_text(target, redact(html))
