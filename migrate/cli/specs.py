"""`migrate specs …`: list, show, diff, export and import the standard specifications."""

from __future__ import annotations

from pathlib import Path

import click

from migrate.cli import app, format_option
from migrate.errors import UsageError
from migrate.i18n import get_lang, t
from migrate.output import envelope, table

# The spec's own words (model.py enums) as a Japanese table shows them: a table is in one language.
# Check names (mod11-w2-7, zenkaku-kana) and code table ids stay as they are: they are identifiers.
_WORDS_JA = {
    "string": "文字列",
    "integer": "整数",
    "decimal": "数値",
    "date": "日付",
    "datetime": "日時",
    "code": "コード",
    "flag": "フラグ",
    "time": "時刻",
    "year": "年",
    "blob": "BLOB",
    "required": "必須",
    "optional": "任意",
    "conditional": "条件付き必須",
    "my-number": "個人番号",
    "personal": "個人情報",
    "none": "なし",
    "official": "公式",
    "assumed": "想定",
}


def _word(value: str) -> str:
    return value if get_lang() == "en" else _WORDS_JA.get(value, value)


def _required(value: str) -> str:
    """required / optional / conditional, with the condition that follows it kept as written."""
    head, sep, rest = value.partition(" ")
    return _word(head) + sep + rest


@click.group()
def specs() -> None:
    """Standard specifications of the 20 businesses / 標準仕様."""


@specs.command("list")
@format_option("text", "json")
@click.pass_context
def list_(ctx: click.Context, fmt: str) -> None:
    """List the businesses with ministry, versions, entity and item counts."""
    from migrate.standard.summary import list_rows

    rows = list_rows(app(ctx).registry())
    if fmt == "json":
        click.echo(envelope("spec-list", rows))
        return
    en = get_lang() == "en"
    headers = (
        [
            "id",
            "code",
            "business",
            "ministry",
            "version",
            "versions",
            "entities",
            "items",
            "official",
            "assumed",
        ]
        if en
        else ["id", "コード", "業務", "所管", "版", "全版", "エンティティ", "項目", "公式", "想定"]
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
                    r["version"]
                    + ("" if r["version_provenance"] == "official" else t(" (要確認)", " (to confirm)")),
                    ",".join(r["versions"]),
                    r["entities"],
                    r["items"],
                    r["official_items"],
                    r["assumed_items"],
                ]
                for r in rows
            ],
            right=(6, 7, 8, 9),
        )
    )


@specs.command("show")
@click.argument("business")
@click.argument("entity", required=False)
@format_option("text", "json")
@click.pass_context
def show(ctx: click.Context, business: str, entity: str | None, fmt: str) -> None:
    """Show the items of a business (BUSINESS or BUSINESS@VERSION), optionally one ENTITY."""
    from migrate.standard.summary import item_rows

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
            [
                "item",
                "ID",
                "name",
                "type",
                "length",
                "required",
                "code/pattern",
                "checks",
                "sensitivity",
                "prov.",
            ]
            if en
            else ["項目", "ID", "名称", "型", "桁数", "必須", "コード/パターン", "検査", "機微度", "出典"]
        )
        rows = [
            [
                r["id"],
                r["std_id"] or "",
                r["name_en"] if en else r["name_ja"],
                _word(r["type"]),
                r["length"],
                _required(r["required"]),
                r["code_table"] or r["pattern"] or "",
                r["checks"],
                _word(r["sensitivity"]),
                _word(r["provenance"]),
            ]
            for r in ent["items"]
        ]
        click.echo(table(headers, rows))


@specs.command("diff")
@click.argument("old")
@click.argument("new")
@format_option("text", "json")
@click.pass_context
def diff(ctx: click.Context, old: str, new: str, fmt: str) -> None:
    """Compare two specs: OLD and NEW are BUSINESS@VERSION or spec file paths.

    Lists entities and items added, removed and changed (attribute old → new) and key changes.
    Always exits 0: a difference is information, not a failure.
    """
    from migrate.standard.diff import diff_specs, render_text, resolve

    reg = app(ctx).registry()
    result = diff_specs(resolve(reg, old), resolve(reg, new))
    if fmt == "json":
        click.echo(envelope("spec-diff", result))
        return
    click.echo(render_text(result, en=get_lang() == "en"))


@specs.command("export")
@click.argument("business")
@click.argument("entity", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["frictionless", "gx", "xlsx", "pandera"]),
    required=True,
    help="frictionless: Table Schema (with ENTITY) or Tabular Data Package; gx: Great Expectations "
    "suite JSON (one suite with ENTITY, else a list; needs migrate[gx]); xlsx: Excel data dictionary; "
    "pandera: a Python module with the pandera (polars) schema of migrate's checks.",
)
@click.option(
    "-o",
    "--output",
    help="File to write (default: reports/specs/BUSINESS-VERSION[-ENTITY].*); '-' prints JSON formats.",
)
@click.pass_context
def export(ctx: click.Context, business: str, entity: str | None, fmt: str, output: str | None) -> None:
    """Export BUSINESS[@VERSION] (or one ENTITY) for other tools and for vendors."""
    from migrate.standard.diff import resolve
    from migrate.standard.export import export_spec

    reg = app(ctx).registry()
    spec = resolve(reg, business)
    result = export_spec(spec, reg.code_tables, fmt, entity_id=entity, output=output)
    if result.text is not None:
        click.echo(result.text, nl=False)
    else:
        click.echo(str(result.path))


@specs.command("import")
@click.argument("workbook", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--business",
    "business",
    help="Business id (e.g. juki; default: the business whose code starts the データ項目IDs). A 共通機能 "
    "outside the 20 businesses (031 住登外者宛名番号管理) needs one of its own, e.g. --business atena.",
)
@click.option("--version", "version", help="Spec version (default: 第N版 in the file name).")
@click.option(
    "--layout",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Column layout YAML (kind: migrate/import-layout); default: the built-in 基本データリスト layout.",
)
@click.option("--sheet", "sheets", multiple=True, help="Sheet to read (repeatable; default: all).")
@click.option(
    "-o",
    "--output",
    help="Spec YAML to write (default: reports/specs/BUSINESS/VERSION.yaml; '-' = stdout). The workbook's "
    "code tables go to codes/ beside the BUSINESS folder, where the spec loader reads them.",
)
@format_option("text", "json")
@click.pass_context
def import_(
    ctx: click.Context,
    workbook: Path,
    business: str | None,
    version: str | None,
    layout: Path | None,
    sheets: tuple[str, ...],
    output: str | None,
    fmt: str,
) -> None:
    """Read a 基本データリスト-style Excel WORKBOOK into a spec YAML file.

    Rows that cannot be mapped are reported with sheet, row and column; exit 3 when nothing is usable.
    """
    import re

    from migrate.atomic import write_text
    from migrate.standard.importer import dump_yaml, import_workbook, load_layout
    from migrate.standard.model import BUSINESS_ID_RE

    if business is not None and not re.match(BUSINESS_ID_RE, business):
        raise UsageError(
            t(
                "業務 id {b} は英小文字・数字・ハイフンで書いてください",
                "business id {b} must be lower-case ascii",
                b=business,
            )
        )
    result = import_workbook(
        workbook,
        business=business,
        registry=app(ctx).registry(),
        version=version,
        layout=load_layout(layout) if layout else None,
        sheets=sheets,
    )
    text = dump_yaml(result.data)
    code_paths: list[Path] = []
    if output == "-":
        click.echo(text, nl=False)
        path = None
    else:
        bid = result.spec.business.id
        target = Path(output) if output else Path("reports") / "specs" / bid / f"{result.spec.version}.yaml"
        path = write_text(target, text)
        # specs/<business>/<version>.yaml reads its code tables from specs/codes/ (spec/loader.py)
        for table in result.code_tables:
            code_paths.append(
                write_text(target.parent.parent / "codes" / f"{table['id']}.yaml", dump_yaml(table))
            )
    if fmt == "json":
        summary = {
            **result.summary(),
            "path": str(path) if path else None,
            "code_table_paths": [str(c) for c in code_paths],
        }
        click.echo(envelope("spec-import", summary), err=output == "-")
        return
    for problem in result.problems:
        click.echo(t("警告: ", "warning: ") + problem.render(), err=True)
    if output == "-" and result.code_tables:
        click.echo(
            t(
                "注意: コード表 {n} 件 ({l}) は -o - では書き出しません (-o でファイルを指定してください)",
                "note: {n} code table(s) ({l}) are not written with -o - (pass -o FILE)",
                n=len(result.code_tables),
                l=", ".join(c["id"] for c in result.code_tables),
            ),
            err=True,
        )
    s = result.summary()
    click.echo(
        t(
            "{k}: {e} エンティティ / {i} 項目を取り込みました (問題 {p} 件)",
            "{k}: imported {e} entities / {i} items ({p} problems)",
            k=result.spec.key,
            e=len(s["entities"]),
            i=s["items"],
            p=len(result.problems),
        ),
        err=output == "-",
    )
    if path is not None:
        click.echo(str(path))
    for code_path in code_paths:
        click.echo(str(code_path))


@specs.command("sample")
@click.argument("target", metavar="BUSINESS[@VERSION]/ENTITY")
@click.option("--rows", type=click.IntRange(1, 1_000_000), default=50, show_default=True, help="Data rows.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same file.")
@click.option(
    "--defects",
    "defect_rate",
    type=click.FloatRange(0.0, 1.0),
    default=0.0,
    help="Share of rows carrying exactly one known defect (e.g. 0.2); writes FILE.truth.json.",
)
@click.option("--encoding", type=click.Choice(["utf-8", "cp932"]), default="utf-8", show_default=True)
@click.option(
    "--header",
    "header_form",
    type=click.Choice(["id", "name", "romaji"]),
    default="id",
    show_default=True,
    help="Header row: item ids, データ項目 names or ローマ字 names (all read by validate without a mapping).",
)
@click.option(
    "--ref",
    "refs",
    multiple=True,
    help="Referenced extract BUSINESS/ENTITY=FILE (repeatable): references are drawn from its values.",
)
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.pass_context
def sample(
    ctx: click.Context,
    target: str,
    rows: int,
    seed: int,
    defect_rate: float,
    encoding: str,
    header_form: str,
    refs: tuple[str, ...],
    output: Path,
) -> None:
    """Write a synthetic extract of ENTITY in the standard layout (headers: --header, item ids by default).

    Every value follows the spec (type, length, charset, code table, pattern, conditions, keys, rules);
    names and addresses are fictional, 個人番号 have valid check digits (see README).
    """
    from migrate.standard.sample import generate, load_ref_values, truth_path, write_sample

    reg = app(ctx).registry()
    spec, entity = reg.entity(target)
    ref_targets: list[tuple[str, Path]] = []
    for r in refs:
        name, sep, file = r.partition("=")
        if not sep or name.count("/") != 1 or not file:
            raise UsageError(
                t("--ref の形式が正しくありません: {v}", "bad --ref value: {v}", v=r),
                hint=t("--ref 業務/エンティティ=ファイル", "use --ref BUSINESS/ENTITY=FILE"),
            )
        reg.entity(name)
        ref_targets.append((name, Path(file)))
    ref_values = load_ref_values(ref_targets, reg) if ref_targets else {}
    result = generate(
        spec,
        entity,
        reg,
        rows=rows,
        seed=seed,
        defect_rate=defect_rate,
        refs=ref_values,
        encoding=encoding,
        header=header_form,
    )
    path = write_sample(result, output, encoding=encoding, truth=defect_rate > 0)
    click.echo(
        t(
            "{k}/{e}: {n} 行 (欠陥 {d} 件) を書き出しました",
            "{k}/{e}: wrote {n} rows ({d} defects)",
            k=spec.key,
            e=entity.id,
            n=rows,
            d=len(result.defects),
        ),
        err=True,
    )
    click.echo(str(path))
    if defect_rate > 0:
        click.echo(str(truth_path(path)))
