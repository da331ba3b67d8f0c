"""JUnit XML for CI systems: one test suite per file, one test case per (item, rule).

A failure's message says how many rows, where the first is and what to do about it (the code's fix
hint), in the language of the run: a CI log is read by the same people as the terminal summary.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

from migrate.findings import hint_of, severity_label
from migrate.i18n import t
from migrate.report.validation_text import skip_reason
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


def validation_junit(results: Sequence[Any]) -> str:
    suites = ET.Element("testsuites", name="migrate")
    for res in results:
        counts = {(c["item"], c["code"]): c for c in res.counts()}
        cases = {(c["item"], c["code"]) for c in res.checks} | set(counts)
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=f"{res.file} [{res.spec}/{res.entity}]",
            tests=str(len(cases)),
            failures=str(sum(1 for k in cases if k in counts and counts[k]["severity"] == "error")),
            time=f"{res.duration_s:.3f}",
        )
        for item, code in sorted(cases, key=lambda k: (str(k[0]), k[1])):
            case = ET.SubElement(suite, "testcase", classname=f"{res.entity}.{item or '-'}", name=code)
            hit = counts.get((item, code))
            if hit:
                tag = "failure" if hit["severity"] == "error" else "system-out"
                msg = junit_message(code, hit["count"], hit["first_line"])
                el = ET.SubElement(case, tag, message=msg) if tag == "failure" else ET.SubElement(case, tag)
                el.text = t(
                    "{c} ({i}、{s}): {m}",
                    "{c} on {i} ({s}): {m}",
                    c=code,
                    i=item or "-",
                    s=severity_label(hit["severity"]),
                    m=msg,
                )
        for skipped in res.skipped:
            case = ET.SubElement(
                suite, "testcase", classname=f"{res.entity}.{skipped['item']}", name="not-run"
            )
            ET.SubElement(case, "skipped", message=skip_reason(skipped))
    ET.indent(suites)
    # XML 1.0 cannot hold control characters and a CI log prints the messages: cleaned like a terminal
    return clean(ET.tostring(suites, encoding="unicode", xml_declaration=True))
