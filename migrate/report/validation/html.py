"""The validation report as one self-contained HTML document (templates/validation.html)."""

from __future__ import annotations

from dataclasses import dataclass

from migrate.report.labels import headings, light_label
from migrate.report.validation.view import SAMPLES_PER_RULE, FileView, ValidationView, rule_headers


@dataclass(frozen=True)
class _Tables:
    """The rows of one file's tables, as plain text cells (the template escapes them)."""

    rules: list[list[object]]
    items: list[list[object]]
    samples: list[list[object]]
    gaiji: list[list[object]]
    skipped: str


def _tables(fv: FileView) -> _Tables:
    return _Tables(
        rules=[
            [
                r.code,
                r.title,
                r.item or "-",
                r.column or "-",
                r.severity_label,
                f"{r.count:,}",
                r.first_line or "-",
                r.hint or "-",
            ]
            for r in fv.rules
        ],
        items=[
            [
                r.item,
                r.column or "-",
                f"{r.errors:,}",
                f"{r.warnings:,}",
                f"{r.error_rows:,}",
                ", ".join(r.codes),
            ]
            for r in fv.items
        ],
        samples=[
            [
                s.line,
                s.code,
                s.item or "-",
                s.column or "-",
                s.severity_label,
                s.value or "",
                s.mapped or "",
                s.detail,
            ]
            for s in fv.samples
        ],
        gaiji=[[g.codepoint, g.cp932 or "-", g.count, ", ".join(g.items)] for g in fv.gaiji],
        skipped=fv.skipped_items,
    )


def render_html(view: ValidationView) -> str:
    from migrate.report.style import COLOURS
    from migrate.report.templating import render

    return render(
        "validation.html",
        title=view.title,
        generated=view.generated,
        ctx=view,
        sections=[(fv, _tables(fv)) for fv in view.files],
        counts={s: view.count(s) for s in ("red", "amber", "green")},
        readiness=view.readiness,
        rule_headers=[*rule_headers(), *headings("hint")],
        samples_per_rule=SAMPLES_PER_RULE,
        colours=COLOURS,
        file_status_label=light_label,
    )
