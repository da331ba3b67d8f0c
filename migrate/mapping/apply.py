"""Apply a mapping to a legacy frame: one Utf8 column per standard item, plus transform flags."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from migrate.io.csvfile import LINE
from migrate.mapping import transforms as tr
from migrate.mapping.model import ItemMap, Mapping
from migrate.spec.model import DateRule, Entity, ItemType


@dataclass
class Mapped:
    frame: pl.DataFrame  # item columns (Utf8), LINE, __x__<item>__<code> flags
    sources: dict[str, list[str]]  # item -> legacy columns it came from
    missing_columns: dict[str, list[str]] = field(default_factory=dict)  # item -> absent legacy columns
    unmapped_columns: list[str] = field(default_factory=list)  # legacy columns neither mapped nor ignored


def _simple(e: pl.Expr, name: str) -> pl.Expr:
    if name == "trim":
        return tr.trim(e)
    if name == "upper":
        return e.str.to_uppercase()
    if name == "nfkc":
        return e.str.normalize("NFKC")
    if name == "zenkaku-kana":
        return tr.zenkaku_kana(e)
    if name == "katakana":
        return tr.katakana(e)
    if name == "hankaku-digits":
        return tr.hankaku_digits(e)
    if name == "hankaku-alnum":
        return tr.hankaku_alnum(e)
    if name == "zenkaku-space":
        return e.str.replace_all(" ", "\u3000", literal=True)
    if name == "remove-hyphens":
        return e.str.replace_all(r"[-‐－ー―]", "")
    if name == "empty-to-null":
        return pl.when(e.str.strip_chars(tr.WS) == "").then(None).otherwise(e)
    raise ValueError(name)  # the model validator rejects unknown names first


def _item_exprs(item_id: str, m: ItemMap, date_rule: DateRule | None) -> list[pl.Expr]:
    if m.constant is not None:
        return [pl.lit(m.constant, dtype=pl.Utf8).alias(item_id)]
    cols = [pl.col(c) for c in m.sources]
    e = cols[0] if len(cols) == 1 else pl.concat_str(cols, separator=m.join or "", ignore_nulls=True)
    if m.split is not None:
        e = e.str.split(m.split.separator).list.get(m.split.index, null_on_oob=True)
    extra: list[pl.Expr] = []
    for t in m.transforms:
        if isinstance(t, dict):
            e = e.str.zfill(int(t["zero-pad"]))
        elif t == "wareki":
            e, state = tr.parse_dates(e)
            if date_rule != DateRule.lenient:
                extra.append((state == tr.DATE_INVALID).alias(f"__x__{item_id}__wareki-date-invalid"))
        else:
            e = _simple(e, t)
    if m.codes is not None:
        translated = e.replace_strict(
            list(m.codes), list(m.codes.values()), default=None, return_dtype=pl.Utf8
        )
        if m.codes_passthrough:
            translated = pl.coalesce(translated, pl.when(e.is_in(list(m.codes.values()))).then(e))
        unmapped = e.is_not_null() & (e.str.strip_chars(tr.WS) != "") & translated.is_null()
        extra.append(unmapped.alias(f"__x__{item_id}__code-unmapped"))
        e = pl.when(unmapped).then(e).otherwise(translated)
    if m.default is not None:
        e = pl.when(e.is_null() | (e.str.strip_chars(tr.WS) == "")).then(pl.lit(m.default)).otherwise(e)
    return [e.alias(item_id), *extra]


def apply_mapping(frame: pl.DataFrame, mapping: Mapping | None, entity: Entity) -> Mapped:
    """Map legacy columns to items; without a mapping, headers must be item ids or Japanese names."""
    header = [c for c in frame.columns if c != LINE]
    if mapping is None:
        # Standard-format file: headers are item ids or the items' Japanese names.
        by_name = {it.name_ja: it.id for it in entity.items}
        column_of = {by_name.get(c, c): c for c in header}
        sources = {it.id: [column_of[it.id]] for it in entity.items if it.id in column_of}
        absent = [it for it in entity.items if it.id not in column_of]
        out = frame.select(
            *[pl.col(column_of[iid]).alias(iid) for iid in sources],
            *[pl.lit(None, dtype=pl.Utf8).alias(it.id) for it in absent],
            pl.col(LINE),
        )
        # An absent optional item is simply not delivered; absent required ones are reported.
        missing = {it.id: [it.id] for it in absent if it.required.value != "optional"}
        unmapped = [c for c in header if by_name.get(c, c) not in entity.item_ids]
        return Mapped(out, sources, missing, unmapped)
    exprs: list[pl.Expr] = []
    sources: dict[str, list[str]] = {}
    missing: dict[str, list[str]] = {}
    for it in entity.items:
        m = mapping.items.get(it.id)
        if m is None:
            exprs.append(pl.lit(None, dtype=pl.Utf8).alias(it.id))
            continue
        absent = [c for c in m.sources if c not in header]
        if absent:
            missing[it.id] = absent
            exprs.append(pl.lit(None, dtype=pl.Utf8).alias(it.id))
            continue
        sources[it.id] = m.sources
        rule = it.effective_date_rule if it.type in (ItemType.date, ItemType.datetime) else None
        exprs.extend(_item_exprs(it.id, m, rule))
    out = frame.select([*exprs, pl.col(LINE)])
    unmapped = [c for c in header if c not in mapping.used_columns and c not in mapping.ignore]
    return Mapped(out, sources, missing, unmapped)
