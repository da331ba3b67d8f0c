"""Lint a mapping against its spec without data: what would go wrong before a file is delivered."""

from __future__ import annotations

from dataclasses import dataclass

from migrate.mapping.model import Mapping
from migrate.standard.loader import SpecRegistry
from migrate.standard.model import Entity, ItemType, Required, Spec


@dataclass(frozen=True)
class LintIssue:
    code: str
    severity: str
    item: str | None
    message_ja: str
    message_en: str


DATE_ONLY = {"wareki"}
TEXT_ONLY = {"zenkaku-kana", "katakana", "zenkaku-space", "zenkaku"}


def lint_mapping(mapping: Mapping, spec: Spec, entity: Entity, registry: SpecRegistry) -> list[LintIssue]:
    out: list[LintIssue] = []
    for item_id in mapping.items:
        if item_id not in entity.item_ids:
            out.append(
                LintIssue(
                    "unknown-item",
                    "error",
                    item_id,
                    f"仕様にない項目 {item_id} へのマッピング",
                    f"maps to {item_id}, which the spec does not define",
                )
            )
    for it in entity.items:
        m = mapping.items.get(it.id)
        if m is None:
            if it.required == Required.required:
                out.append(
                    LintIssue(
                        "required-unmapped",
                        "error",
                        it.id,
                        f"必須項目 {it.id} ({it.name_ja}) がマッピングされていません",
                        f"required item {it.id} ({it.name_en}) is not mapped",
                    )
                )
            elif it.required == Required.conditional:
                out.append(
                    LintIssue(
                        "conditional-unmapped",
                        "warning",
                        it.id,
                        f"条件付き必須項目 {it.id} ({it.name_ja}) がマッピングされていません",
                        f"conditionally required item {it.id} ({it.name_en}) is not mapped",
                    )
                )
            continue
        names = set(m.transform_names())
        is_date = it.type in (ItemType.date, ItemType.datetime)
        if names & DATE_ONLY and not is_date:
            out.append(
                LintIssue(
                    "type-mismatch",
                    "error",
                    it.id,
                    f"{it.id} は日付項目ではないのに wareki 変換があります",
                    f"{it.id} is not a date item but has a wareki transform",
                )
            )
        if names & TEXT_ONLY and it.type not in (ItemType.string, ItemType.code):
            out.append(
                LintIssue(
                    "type-mismatch",
                    "error",
                    it.id,
                    f"{it.id} ({it.type.value}) に文字変換 {sorted(names & TEXT_ONLY)} があります",
                    f"{it.id} ({it.type.value}) has text transforms {sorted(names & TEXT_ONLY)}",
                )
            )
        if it.code_table and m.codes is not None:
            table = registry.code_table(it.code_table)
            targets = set(m.codes.values())
            unknown = sorted(v for v in targets if v not in table.values)
            if unknown:
                out.append(
                    LintIssue(
                        "code-target-unknown",
                        "error",
                        it.id,
                        f"{it.id}: 変換先コード {unknown} がコード表 {table.id} にありません",
                        f"{it.id}: target codes {unknown} are not in code table {table.id}",
                    )
                )
            uncovered = sorted(v for v in table.values if v not in targets)
            if uncovered and not m.codes_passthrough:
                out.append(
                    LintIssue(
                        "code-not-covered",
                        "warning",
                        it.id,
                        f"{it.id}: コード表 {table.id} のコード {uncovered} に変換元がありません",
                        f"{it.id}: codes {uncovered} of table {table.id} have no legacy source",
                    )
                )
        elif it.code_table is None and m.codes is not None:
            out.append(
                LintIssue(
                    "codes-without-table",
                    "warning",
                    it.id,
                    f"{it.id} はコード項目ではありません",
                    f"{it.id} has a code translation but no code table",
                )
            )
    out += _dry_run(mapping, spec, entity, registry)
    if mapping.source.columns is not None:
        declared = set(mapping.source.columns)
        for col in sorted(mapping.used_columns - declared):
            out.append(
                LintIssue(
                    "column-unknown",
                    "error",
                    None,
                    f"旧レイアウトにない列 {col} を参照しています",
                    f"reads column {col}, absent from the declared legacy layout",
                )
            )
        for col in mapping.source.columns:
            if col not in mapping.used_columns and col not in mapping.ignore:
                out.append(
                    LintIssue(
                        "column-ignored",
                        "warning",
                        None,
                        f"旧列 {col} がどこにも移行されません (ignore に明記してください)",
                        f"legacy column {col} is not migrated anywhere (list it under ignore if intended)",
                    )
                )
    return out


# values every legacy column gets in the dry run: empty, digits, kana, a 和暦 date, a full-width digit
DRY_VALUES = ["", "1", "ｱｲｳ", "R1.5.1", "１２３", "0000000000"]


def _dry_run(mapping: Mapping, spec: Spec, entity: Entity, registry: SpecRegistry) -> list[LintIssue]:
    """Map and check a few made-up rows exactly as validate would: whatever validate would fail on
    (an expression polars refuses, a transform it cannot run) fails here, before any data arrives."""
    import polars as pl

    from migrate.io.csvfile import LINE
    from migrate.mapping.apply import apply_mapping
    from migrate.validate.compile import compile_checks

    columns = list(dict.fromkeys([*(mapping.source.columns or []), *sorted(mapping.used_columns)]))
    frame = pl.DataFrame(
        {**dict.fromkeys(columns, DRY_VALUES), LINE: list(range(2, 2 + len(DRY_VALUES)))},
        schema={**dict.fromkeys(columns, pl.Utf8), LINE: pl.Int64},
    )
    try:
        mapped = apply_mapping(frame, mapping, entity)
        checks, derive = compile_checks(spec, entity, registry, mapped.frame.columns)
        mapped.frame.lazy().with_columns(**derive).select(
            pl.all_horizontal(cd.expr.fill_null(True) for cd in checks if cd.scope != "key")
        ).collect()
    except Exception as exc:  # noqa: BLE001 - any failure is the finding: validate would fail the same way
        first = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
        return [
            LintIssue(
                "mapping-unrunnable",
                "error",
                None,
                f"このマッピングでは検証を実行できません: {type(exc).__name__}: {first}",
                f"validate cannot run with this mapping: {type(exc).__name__}: {first}",
            )
        ]
    return []
