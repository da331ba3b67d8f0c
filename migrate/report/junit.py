"""JUnit XML for CI systems: one test suite per file, one test case per (item, rule)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

from migrate.report.validation_text import skip_reason
from migrate.terminal import clean


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
                msg = f"{hit['count']} rows; first at line {hit['first_line']}"
                el = ET.SubElement(case, tag, message=msg) if tag == "failure" else ET.SubElement(case, tag)
                el.text = f"{code} on {item} ({hit['severity']}): {msg}"
        for skipped in res.skipped:
            case = ET.SubElement(
                suite, "testcase", classname=f"{res.entity}.{skipped['item']}", name="not-run"
            )
            ET.SubElement(case, "skipped", message=skip_reason(skipped))
    ET.indent(suites)
    # XML 1.0 cannot hold control characters and a CI log prints the messages: cleaned like a terminal
    return clean(ET.tostring(suites, encoding="unicode", xml_declaration=True))
