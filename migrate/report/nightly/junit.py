"""A nightly run as JUnit XML for CI systems: one test suite per source, its thresholds first, then
one case per file and rule (errors fail); messages in the language of the run, with the fix hint."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from migrate.findings import severity_label
from migrate.report.junit import case_text, junit_message, xml_text
from migrate.report.nightly.text import breach_text

if TYPE_CHECKING:
    from migrate.history.summary import NightlyRun


def render_junit(run: NightlyRun) -> str:
    """One test suite per source: its thresholds, then one case per file and rule (errors fail)."""
    suites = ET.Element("testsuites", name=f"migrate nightly {run.suite} #{run.run_id}")
    total_tests = total_failures = total_errors = 0
    for s in run.sources:
        suite = ET.SubElement(
            suites, "testsuite", name=f"{s.id} [{s.vendor}] {s.spec or s.business}/{s.entity}"
        )
        tests = failures = errors = 0
        case = ET.SubElement(suite, "testcase", classname=s.id, name="thresholds")
        tests += 1
        if s.breaches:
            failures += 1
            msg = "; ".join(breach_text(b) for b in s.breaches)
            ET.SubElement(case, "failure", message=msg).text = msg
        for f in s.files:
            cls = f"{s.id}.{f.path}"
            if f.status == "unreadable":
                case = ET.SubElement(suite, "testcase", classname=cls, name="read")
                ET.SubElement(case, "error", message=f.message or "unreadable").text = f.message
                tests += 1
                errors += 1
                continue
            if not f.counts:
                ET.SubElement(
                    suite, "testcase", classname=cls, name="all-checks", time=f"{f.duration_s or 0:.3f}"
                )
                tests += 1
                continue
            for c in f.counts:
                case = ET.SubElement(suite, "testcase", classname=cls, name=f"{c['code']} {c['item'] or '-'}")
                tests += 1
                msg = junit_message(c["code"], c["count"], c["first_line"])
                text = case_text(c["code"], c["item"], severity_label(c["severity"]), msg)
                if c["severity"] == "error":
                    failures += 1
                    ET.SubElement(case, "failure", message=msg).text = text
                else:
                    ET.SubElement(case, "system-out").text = text
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", str(errors))
        total_tests += tests
        total_failures += failures
        total_errors += errors
    suites.set("tests", str(total_tests))
    suites.set("failures", str(total_failures))
    suites.set("errors", str(total_errors))
    return xml_text(suites) + "\n"
