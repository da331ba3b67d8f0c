"""The one Jinja2 environment of the HTML reports: templates in migrate/report/templates/, autoescaped.

Why: every piece of text in a report comes from somewhere we do not control (vendor names, file
names, legacy values, messages). With autoescape on, text is escaped at output unless it is
`Markup`, and `Markup` is made in one place only: :func:`text` (escaped) and the SVG built from
its results (migrate.report.svg_gantt). StrictUndefined turns a misspelt variable into an error in
the tests instead of an empty cell in a report.

Control characters are not allowed in HTML or XML text: shown as U+FFFD, never dropped silently
(the environment's `finalize` applies the same rule to every `{{ value }}`). The environment is
created on first use, so `migrate --help` never imports Jinja2.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from migrate.i18n import get_lang, t
from migrate.report.format import num, pct

if TYPE_CHECKING:
    from jinja2 import Environment

# C0 controls but tab, line feed and carriage return; DEL; and the two XML non-characters.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean(value: Any) -> str:
    """The value as text fit for HTML and XML (None → empty, control characters → U+FFFD)."""
    if value is None:
        return ""
    return _CONTROL.sub("\ufffd", str(value))


def text(value: Any) -> Markup:
    """Escaped text for any value: the only way plain text becomes Markup (also valid XML in SVG)."""
    return escape(clean(value))


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    return clean(value)


@lru_cache(maxsize=1)
def environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("migrate.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["t"] = t
    env.filters["num"] = num
    env.filters["pct"] = pct
    return env


def render(template: str, /, **context: Any) -> str:
    """The named template rendered with context (plus the language, version and CSP every page shows)."""
    from migrate import __version__
    from migrate.report.html import CSP

    context.setdefault("lang", get_lang())
    context.setdefault("version", __version__)
    context.setdefault("csp", CSP)
    return environment().get_template(template).render(**context)
