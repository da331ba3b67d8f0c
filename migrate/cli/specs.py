"""`migrate specs …`: list, show, diff, export and import the standard specifications."""

from __future__ import annotations

import click

from migrate.cli import app, format_option
from migrate.i18n import get_lang, t
from migrate.output import envelope, table


@click.group()
def specs() -> None:
    """Standard specifications of the 20 businesses / 標準仕様."""


@specs.command("list")
@format_option("text", "json")
@click.pass_context
def list_(ctx: click.Context, fmt: str) -> None:
    """List the businesses with ministry, versions, entity and item counts."""
    from migrate.spec.summary import list_rows

    rows = list_rows(app(ctx).registry())
    if fmt == "json":
        click.echo(envelope("spec-list", rows))
        return
    en = get_lang() == "en"
    headers = (
        ["id", "code", "business", "ministry", "version", "versions", "entities", "items", "assumed"]
        if en
        else ["id", "コード", "業務", "所管", "版", "全版", "エンティティ", "項目", "想定"]
    )
    click.echo(
        table(
            headers,
            [
                [
                    r["id"],
                    r["code"],
                    r["name_en"] if en else r["name_ja"],
                    r["ministry"],
                    r["version"],
                    ",".join(r["versions"]),
                    r["entities"],
                    r["items"],
                    r["assumed_items"],
                ]
                for r in rows
            ],
            right=(6, 7, 8),
        )
    )


@specs.command("show")
@click.argument("business")
@click.argument("entity", required=False)
@format_option("text", "json")
@click.pass_context
def show(ctx: click.Context, business: str, entity: str | None, fmt: str) -> None:
    """Show the items of a business (BUSINESS or BUSINESS@VERSION), optionally one ENTITY."""
    from migrate.spec.summary import item_rows

    spec = app(ctx).registry().get(business)
    entities = [spec.entity(entity)] if entity and entity in [e.id for e in spec.entities] else spec.entities
    if entity and entity not in [e.id for e in spec.entities]:
        app(ctx).registry().entity(f"{business}/{entity}")  # raises the friendly error
    data = {
        "business": spec.business.model_dump(mode="json"),
        "version": spec.version,
        "source": spec.source.model_dump(mode="json"),
        "effective": spec.effective.isoformat(),
        "entities": [
            {
                "id": e.id,
                "name_ja": e.name_ja,
                "name_en": e.name_en,
                "primary_key": e.primary_key,
                "items": item_rows(spec, e),
            }
            for e in entities
        ],
    }
    if fmt == "json":
        click.echo(envelope("spec", data))
        return
    en = get_lang() == "en"
    click.echo(
        f"{spec.business.id} {spec.business.code} "
        f"{spec.business.name_en if en else spec.business.name_ja} {spec.version} "
        f"({spec.source.title} {spec.source.version})"
    )
    for e, ent in zip(entities, data["entities"], strict=True):
        click.echo("")
        click.echo(f"[{e.id}] {e.name_en if en else e.name_ja}  PK: {', '.join(e.primary_key) or '-'}")
        headers = (
            ["item", "name", "type", "length", "required", "code/pattern", "checks", "sensitivity", "prov."]
            if en
            else ["項目", "名称", "型", "桁数", "必須", "コード/パターン", "検査", "機微度", "出典"]
        )
        rows = [
            [
                r["id"],
                r["name_en"] if en else r["name_ja"],
                r["type"],
                r["length"],
                r["required"],
                r["code_table"] or r["pattern"] or "",
                r["checks"],
                r["sensitivity"],
                r["provenance"],
            ]
            for r in ent["items"]
        ]
        click.echo(table(headers, rows))
    _ = t
