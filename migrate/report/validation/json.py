"""Validation results as the versioned JSON envelope (`kind: validation`, docs/findings.md)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from migrate.validate.run import ValidationResult


def json_result(res: ValidationResult, max_findings: int | None) -> dict[str, Any]:
    """One file's JSON (ValidationResult.to_dict) with each finding's message and each code's fix hint
    added (docs/findings.md): added keys only, the envelope's existing ones keep their meaning."""
    from migrate.findings import title_of, with_hints

    doc = res.to_dict(max_findings)
    for f in doc.get("findings", []):
        f.setdefault("message", title_of(f["code"]))
    return dict(with_hints(doc))


def render_json(results: Sequence[ValidationResult], max_findings: int | None = None) -> str:
    from migrate.output import envelope

    return envelope("validation", [json_result(r, max_findings) for r in results])
