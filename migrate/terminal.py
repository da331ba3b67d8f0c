"""Text bound for a terminal: no control or escape sequences, no 個人番号 (every terminal renderer).

Values, file names and messages come from deliveries and vendors. Printed as they are, an escape
sequence (ESC [ … CSI, ESC ] … OSC, 8-bit C1 controls) can recolour, hide or rewrite what the user
sees, set the window title, or write hyperlinks; a bidi override can reorder a line. They are removed;
newline and tab stay where a layout needs them. A 個人番号 is masked (migrate.mask.redact).
"""

from __future__ import annotations

import re

from migrate.mask import redact

# ESC-introduced sequences (7-bit): CSI (ESC [ params intermediates final), OSC / DCS / SOS / PM / APC
# strings up to BEL or ST (ESC \; at most to the end of the line), and any other two-character escape.
_ESCAPES = re.compile(
    r"""\x1b\[[0-?]*[ -/]*[@-~]?
      | \x1b[\]PX^_][^\x07\x1b\n]*(?:\x07|\x1b\\)?
      | \x1b[ -/]*[0-~]?""",
    re.VERBOSE,
)
# 8-bit forms: CSI (U+009B) and the string introducers (OSC U+009D, DCS U+0090, SOS, PM, APC)
_C1_SEQUENCES = re.compile(
    r"\x9b[0-?]*[ -/]*[@-~]?|[\x90\x98\x9d\x9e\x9f][^\x07\x9c\x1b\n]*(?:\x07|\x9c|\x1b\\)?"
)
# remaining C0 controls (but tab and newline), DEL, C1 controls, bidi embeddings/overrides/isolates
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROLS_NO_LAYOUT = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(text: str, *, layout: bool = True) -> str:
    """text safe to print: escape sequences and control characters removed, 個人番号 masked.

    layout=True keeps newline and tab (a rendered table or report); False removes them too (one value,
    file name or message that must stay on its line).
    """
    if text.isprintable() and text.isascii():
        return redact(text)
    out = _ESCAPES.sub("", text)
    out = _C1_SEQUENCES.sub("", out)
    out = (_CONTROLS if layout else _CONTROLS_NO_LAYOUT).sub("", out)
    return redact(out)


def clean_value(value: object) -> str:
    """One value for a table cell or a message: clean() without newlines or tabs."""
    return clean("" if value is None else str(value), layout=False)


def echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """click.echo of cleaned text: what every command prints that holds file names, values or messages."""
    import click

    click.echo(clean(text), err=err, nl=nl)
