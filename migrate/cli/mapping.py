"""`migrate mapping check`: lint a legacy→standard mapping without data."""

from __future__ import annotations

from pathlib import Path

import click

from migrate.cli import app, format_option
from migrate.errors import ExitCode, UsageError
from migrate.i18n import get_lang, t


@click.group()
def mapping() -> None:
    """Legacy → standard mappings / 移行マッピング."""


@mapping.command("check")
@click.argument("mapping_ref")
@click.option("--spec", "spec_ref", help="BUSINESS[@VERSION][/ENTITY] (default: the mapping's own).")
@format_option("text", "json")
@click.pass_context
def check(ctx: click.Context, mapping_ref: str, spec_ref: str | None, fmt: str) -> None:
    """Lint MAPPING against its spec: unknown items, unmapped required items, type and code gaps."""
    from migrate.findings import severity_label
    from migrate.mapping.lint import lint_mapping
    from migrate.mapping.load import load_mapping
    from migrate.output import envelope, table

    m = load_mapping(Path(mapping_ref) if Path(mapping_ref).exists() else mapping_ref)
    registry = app(ctx).registry()
    spec, entity = registry.entity(spec_ref or f"{m.spec}/{m.entity}")
    if spec_ref and "/" not in spec_ref:
        raise UsageError(t("--spec は 業務/エンティティ で指定してください", "--spec needs BUSINESS/ENTITY"))
    issues = lint_mapping(m, spec, entity, registry)
    en = get_lang() == "en"
    if fmt == "json":
        click.echo(
            envelope(
                "mapping-check",
                {
                    "mapping": m.id,
                    "spec": spec.key,
                    "entity": entity.id,
                    "issues": [i.__dict__ for i in issues],
                },
            )
        )
    elif issues:
        click.echo(
            table(
                [t("重大度", "severity"), t("規則", "rule"), t("項目", "item"), t("内容", "message")],
                [
                    [severity_label(i.severity), i.code, i.item or "-", i.message_en if en else i.message_ja]
                    for i in issues
                ],
            )
        )
    else:
        click.echo(
            t(
                "問題はありません: {m} → {s}/{e}",
                "no problems: {m} → {s}/{e}",
                m=m.id,
                s=spec.key,
                e=entity.id,
            )
        )
    if any(i.severity == "error" for i in issues):
        ctx.exit(int(ExitCode.FINDINGS))
