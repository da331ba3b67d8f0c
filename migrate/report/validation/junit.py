"""Validation results as JUnit XML for CI systems: one test suite per file, one case per (item, rule)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import TYPE_CHECKING

from migrate.findings import severity_label
from migrate.report.junit import case_text, junit_message, xml_text
from migrate.report.validation.view import skip_reason

if TYPE_CHECKING:
    from migrate.validate.run import ValidationResult


def render_junit(results: Sequence[ValidationResult]) -> str:
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
                el.text = case_text(code, item, severity_label(hit["severity"]), msg)
        for skipped in res.skipped:
            case = ET.SubElement(
                suite, "testcase", classname=f"{res.entity}.{skipped['item']}", name="not-run"
            )
            ET.SubElement(case, "skipped", message=skip_reason(skipped))
    return xml_text(suites)
