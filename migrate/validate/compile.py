"""Compile a spec entity into check definitions: what is checked, independent of how it runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from migrate.checkdigit import Mod11RemainderOne
from migrate.checks import charset as cs
from migrate.checks import check_digit as cd
from migrate.spec.loader import SpecRegistry
from migrate.spec.model import (
    Charset,
    CheckDigit,
    DateRule,
    Entity,
    ItemType,
    LengthUnit,
    Required,
    Spec,
)
from migrate.wareki import FUSHO_RE

ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
# 基本データリスト 凡例）データ型: DATE 0000-01-01 / 9999-12-31 mean "unknown" / "open-ended" (期間の範囲)
DATE_SENTINELS = ["0000-01-01", "9999-12-31"]
TIME_RE = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$"  # TIME: HH:MM:SS, 秒は省略可能
YEAR_RE = r"^\d{4}$"  # YEAR: YYYY (0000 / 9999 = unknown / open-ended)
LENIENT_DATE = r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"


@dataclass(frozen=True)
class CheckDef:
    id: str
    code: str
    item: str
    severity: str
    expr: pl.Expr  # True passes; null counts as passing (emptiness is the required check's business)
    detail: dict[str, Any] = field(default_factory=dict)
    # value: reads only its item (its value, flags and derived columns), so it can run on distinct values;
    # row: reads other items of the same row; key: compares rows with each other (across the whole file)
    scope: str = "value"


@dataclass
class Options:
    remainder_one: Mod11RemainderOne = "zero"
    # 全国地方公共団体コード declared fictional (a demo's own): accepted as known, no lg-code-unknown
    fictional_lg_codes: frozenset[str] = frozenset()


def present(e: pl.Expr) -> pl.Expr:
    return e.is_not_null() & (e.str.strip_chars(" \u3000") != "")


def compile_checks(
    spec: Spec,
    entity: Entity,
    registry: SpecRegistry,
    flags: set[str] | list[str],
    *,
    skip_items: set[str] = frozenset(),  # type: ignore[assignment]
    refs: dict[str, pl.Series] | None = None,
    options: Options | None = None,
    skipped: list[dict[str, Any]] | None = None,
) -> tuple[list[CheckDef], dict[str, pl.Expr]]:
    """All checks for entity, and the derived columns they read.

    skipped: receives every declared check that cannot run here and why (an item it reads is not
    delivered: `needs`; a cross-file reference without its extract: `reference-not-given`), so a
    result never counts it as run.

    flags: the transform flag columns the mapping produces (`__x__<item>__<code>`). Derived columns
    (e.g. identifiers as integers, `__num__<item>`) are computed once, before the checks run.
    """
    opts = options or Options()
    out: list[CheckDef] = []
    derive: dict[str, pl.Expr] = {}

    flags = {c for c in flags if c.startswith("__x__")}

    not_run: list[dict[str, Any]] = skipped if skipped is not None else []

    def skip(code: str, item: str, reason: str, **detail: Any) -> None:
        not_run.append({"item": item, "code": code, "reason": reason, "columns": [], **detail})

    def add(code: str, item: str, severity: str, expr: pl.Expr, scope: str = "value", **detail: Any) -> None:
        out.append(CheckDef(f"c{len(out)}", code, item, severity, expr, detail, scope))

    def value(code: str, item: str, severity: str, ok: pl.Expr, **detail: Any) -> None:
        """A check on the value itself: absent values pass (that is required-missing's job), and rows a
        transform already reported (unmapped legacy code, 和暦 that never existed) are not reported twice."""
        v = pl.col(item)
        expr: pl.Expr = pl.when(present(v)).then(ok)
        for flag in (f"__x__{item}__code-unmapped", f"__x__{item}__wareki-date-invalid"):
            if flag in flags and code in ("code-invalid", "date-invalid"):
                expr = expr | pl.col(flag).fill_null(False)
        add(code, item, severity, expr, **detail)

    for it in entity.items:
        if it.id in skip_items:
            continue
        v = pl.col(it.id)
        sev = it.severity.value
        if it.required == Required.required:
            add("required-missing", it.id, sev, present(v))
        elif it.required_when is not None and it.required_when.item in skip_items:
            skip("conditional-required-missing", it.id, "needs", needs=[it.required_when.item])
        elif it.required_when is not None:
            cond_col = pl.col(it.required_when.item)
            w = it.required_when
            if w.equals is not None:
                cond = cond_col == w.equals
            elif w.in_ is not None:
                cond = cond_col.is_in(w.in_)
            else:
                cond = present(cond_col) if w.present else ~present(cond_col)
            add(
                "conditional-required-missing",
                it.id,
                sev,
                ~cond.fill_null(False) | present(v),
                scope="row",
                condition=it.condition or w.describe(),
            )
        sign = "" if it.unsigned else "[+-]?"
        whole = rf"\d{{1,{it.integer_digits}}}" if it.integer_digits else r"\d+"
        number_detail: dict[str, Any] = {"unsigned": True} if it.unsigned else {}
        if it.integer_digits:
            number_detail["digits"] = it.integer_digits
        if it.type == ItemType.integer:
            value("type-integer", it.id, sev, v.str.contains(rf"^{sign}{whole}$"), **number_detail)
        elif it.type == ItemType.decimal:
            frac = rf"(\.\d{{1,{it.scale}}})?" if it.scale is not None else r"(\.\d+)?"
            ok = v.str.contains(rf"^{sign}{whole}{frac}$")
            value("type-decimal", it.id, sev, ok, scale=it.scale, **number_detail)
        elif it.type == ItemType.flag:
            value("flag-invalid", it.id, sev, v.is_in(["0", "1"]))
        elif it.type == ItemType.date:
            if it.effective_date_rule == DateRule.calendar:
                ok = v.str.contains(ISO_DATE) & (
                    v.str.to_date("%Y-%m-%d", strict=False).is_not_null() | v.is_in(DATE_SENTINELS)
                )
            else:
                ok = v.str.contains(LENIENT_DATE) | v.str.contains(FUSHO_RE.pattern)
            value("date-invalid", it.id, sev, ok, rule=it.effective_date_rule.value)
        elif it.type == ItemType.datetime:
            norm = v.str.replace(" ", "T", literal=True)
            ok = norm.str.contains(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$") & (
                norm.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False).is_not_null()
            )
            value("datetime-invalid", it.id, sev, ok)
        elif it.type == ItemType.time:
            value("time-invalid", it.id, sev, v.str.contains(TIME_RE))
        elif it.type == ItemType.year:
            value("year-invalid", it.id, sev, v.str.contains(YEAR_RE))
        if it.max_length is not None:
            if spec.length_unit_of(it) == LengthUnit.cp932_bytes:
                value(
                    "byte-length-exceeded", it.id, sev, cs.cp932_bytes(v) <= it.max_length, max=it.max_length
                )
            else:
                value("length-exceeded", it.id, sev, v.str.len_chars() <= it.max_length, max=it.max_length)
        if it.min_length:
            value(
                "length-short",
                it.id,
                sev,
                ~present(v) | (v.str.len_chars() >= it.min_length),
                min=it.min_length,
            )
        if it.code_table:
            table = registry.code_table(it.code_table)
            ok = v.is_in(table.values)
            if table.pattern:
                ok = ok | v.str.contains(table.pattern)
            value("code-invalid", it.id, sev, ok, code_table=it.code_table)
        if it.pattern:
            value("pattern-mismatch", it.id, sev, v.str.contains(it.pattern), pattern=it.pattern)
        if it.range is not None:
            num = v.cast(pl.Float64, strict=False)
            ok = pl.lit(True)
            if it.range.min is not None:
                ok = ok & (num >= it.range.min)
            if it.range.max is not None:
                ok = ok & (num <= it.range.max)
            value("out-of-range", it.id, sev, ok, min=it.range.min, max=it.range.max)
        if it.charset == Charset.zenkaku_kana:
            value("charset-zenkaku-kana", it.id, sev, ~present(v) | v.str.contains(cs.ZENKAKU_KANA))
        elif it.charset == Charset.hankaku_digits:
            value("charset-hankaku-digits", it.id, sev, v.str.contains(r"^[0-9]*$"))
        elif it.charset == Charset.hankaku_alnum:
            value("charset-hankaku-alnum", it.id, sev, v.str.contains(r"^[\x20-\x7E]*$"))
        elif it.charset == Charset.hankaku:
            value("charset-hankaku", it.id, sev, v.str.contains(cs.HANKAKU))
        if it.charset == Charset.zenkaku:
            value("charset-zenkaku", it.id, sev, ~v.str.contains(cs.HALF_WIDTH_CHAR))
        if it.charset == Charset.jisx0213:
            value("charset-outside-jis", it.id, sev, ~cs.outside_jis(v))
        elif it.charset in (Charset.gyosei, Charset.zenkaku):
            # 行政事務標準文字 = MJ + MJ+; the published table has MJ only: a character outside may be MJ+.
            value("charset-outside-mj", it.id, "warning", ~cs.outside_mj(v))
        if it.type in (ItemType.string, ItemType.code) or it.charset is not None:
            value("gaiji-private-use", it.id, sev, ~v.str.contains(cs.PUA))
        if it.check_digit is not None:
            num_col = f"__num__{it.id}"
            widths = {CheckDigit.my_number: 12, CheckDigit.corporate_number: 13, CheckDigit.lg_code: 6}
            width = widths.get(it.check_digit, it.max_length or 15)
            derive[num_col] = cd.number(v, 2 if it.check_digit == CheckDigit.mod11_w2_7 else width, width)
            digits = pl.col(num_col)
            if it.check_digit == CheckDigit.my_number:
                ok = cd.my_number(digits)
            elif it.check_digit == CheckDigit.corporate_number:
                ok = cd.corporate_number(digits)
            elif it.check_digit == CheckDigit.lg_code:
                ok = cd.lg_code(digits)
            else:
                ok = cd.mod11_w2_7(digits, width, opts.remainder_one)
            cd_sev = it.check_digit_severity.value if it.check_digit_severity else sev
            value("check-digit-invalid", it.id, cd_sev, ok, algorithm=it.check_digit.value)
            if it.check_digit == CheckDigit.lg_code:
                # a valid code absent from the official list: codes change with mergers, so a warning
                known = cd.lg_code_known(v, opts.fictional_lg_codes)
                value("lg-code-unknown", it.id, "warning", ~ok.fill_null(False) | known)
        if it.references and refs and it.references in refs:
            value(
                "reference-missing",
                it.id,
                sev,
                v.is_in(refs[it.references].implode()),
                references=it.references,
            )
        elif it.references:
            skip("reference-missing", it.id, "reference-not-given", references=it.references)
    for flag in sorted(flags):
        _, _, rest = flag.partition("__x__")
        item, _, code = rest.partition("__")
        if item in entity.item_ids and item not in skip_items:
            add(code, item, entity.item(item).severity.value, ~pl.col(flag).fill_null(False))
    keys = [(entity.primary_key, "key-duplicate")] if entity.primary_key else []
    keys += [(u, "unique-duplicate") for u in entity.unique]
    for cols, code in keys:
        if any(c in skip_items for c in cols):
            skip(code, cols[0], "needs", needs=[c for c in cols if c in skip_items])
            continue
        k = pl.struct(cols)
        any_null = pl.any_horizontal([~present(pl.col(c)) for c in cols])
        add(code, cols[0], "error", any_null | k.is_first_distinct(), scope="key", keys=cols)
    for rule in entity.rules:
        if rule.left in skip_items or rule.right in skip_items:
            needs = [i for i in (rule.left, rule.right) if i in skip_items]
            skip("rule-violated", rule.left, "needs", needs=needs, rule=rule.id)
            continue
        li, ri = entity.item(rule.left), entity.item(rule.right)
        left, right = pl.col(rule.left), pl.col(rule.right)
        numeric = {li.type, ri.type} <= {ItemType.integer, ItemType.decimal}
        if numeric:
            left, right = left.cast(pl.Float64, strict=False), right.cast(pl.Float64, strict=False)
        else:
            # ISO dates compare as text; 不詳 forms and unparsable values are left to the date checks.
            left = pl.when(left.str.contains(r"^\d{4}-\d{2}-\d{2}")).then(left)
            right = pl.when(right.str.contains(r"^\d{4}-\d{2}-\d{2}")).then(right)
        ops = {
            "<": left < right,
            "<=": left <= right,
            "==": left == right,
            "!=": left != right,
            ">=": left >= right,
            ">": left > right,
        }
        add(
            "rule-violated",
            rule.left,
            rule.severity.value,
            ops[rule.op],
            scope="row",
            rule=rule.id,
            other=rule.right,
            items=[rule.left, rule.right],
        )
    return out, derive
