"""What every JUnit XML of migrate shares: a failure's one-line message, and the XML text itself.

A failure's message says how many rows, where the first is and what to do about it (the code's fix
hint), in the language of the run: a CI log is read by the same people as the terminal summary.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from migrate.findings import hint_of
from migrate.i18n import t
from migrate.terminal import clean


def junit_message(code: str, count: int, first_line: int | None) -> str:
    """One line for a CI log: how many rows, the first one, and the fix hint of the code."""
    where = (
        t("{n} 件、最初は {l} 行目", "{n} rows; first at line {l}", n=count, l=first_line)
        if first_line is not None
        else t("{n} 件 (ファイル全体)", "{n} (about the whole file)", n=count)
    )
    hint = hint_of(code)
    return t("{w}。{h}", "{w}. {h}", w=where, h=hint) if hint else where


def case_text(code: str, item: str | None, severity_label: str, message: str) -> str:
    """The text inside a failing (or reported) test case: code, item, severity and the message."""
    return t(
        "{c} ({i}、{s}): {m}", "{c} on {i} ({s}): {m}", c=code, i=item or "-", s=severity_label, m=message
    )


def xml_text(root: ET.Element) -> str:
    """The document with its declaration, indented; XML 1.0 cannot hold control characters and a CI
    log prints the messages, so it is cleaned like a terminal."""
    ET.indent(root)
    return clean(ET.tostring(root, encoding="unicode", xml_declaration=True))
