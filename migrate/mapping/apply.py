"""Apply a mapping to a legacy frame: one Utf8 column per standard item, plus transform flags."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from migrate.io.csvfile import LINE
from migrate.mapping import transforms as tr
from migrate.mapping.model import ItemMap, Mapping
from migrate.standard.model import DateRule, Entity, ItemType


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
    if name == "zenkaku":
        return tr.zenkaku(e)
    if name == "zenkaku-space":
        return e.str.replace_all(" ", "\u3000", literal=True)
    if name == "remove-hyphens":
        return e.str.replace_all(r"[-‐－ー―]", "")
    if name == "empty-to-null":
        return pl.when(e.str.strip_chars(tr.WS) == "").then(None).otherwise(e)
    raise ValueError(name)  # the model validator rejects unknown names first


def _source_expr(m: ItemMap) -> pl.Expr:
    if m.constant is not None:
        return pl.lit(m.constant, dtype=pl.Utf8)
    cols = [pl.col(c) for c in m.sources]
    e = cols[0] if len(cols) == 1 else pl.concat_str(cols, separator=m.join or "", ignore_nulls=True)
    if m.split is not None:
        e = e.str.split(m.split.separator).list.get(m.split.index, null_on_oob=True)
    return e


def _step(e: pl.Expr, t: str | dict[str, object]) -> pl.Expr:
    if isinstance(t, dict):
        return e.str.zfill(int(str(t["zero-pad"])))
    return _simple(e, t)


def _pipeline(lf: pl.LazyFrame, item_id: str, m: ItemMap, date_rule: DateRule | None) -> pl.LazyFrame:
    """Run one item's steps; 和暦 parsing splits the chain into stages (each regex runs once)."""
    col = pl.col(item_id)
    pending: list[str | dict[str, object]] = []

    def flush(frame: pl.LazyFrame) -> pl.LazyFrame:
        if not pending:
            return frame
        e = col
        for t in pending:
            e = _step(e, t)
        pending.clear()
        return frame.with_columns(e.alias(item_id))

    for t in m.transforms:
        if t == "wareki":
            lf = flush(lf)
            state = f"__state_{item_id}"
            lf = tr.parse_dates_frame(lf, item_id, state)
            flag = (pl.col(state) == tr.DATE_INVALID).alias(f"__x__{item_id}__wareki-date-invalid")
            # Lenient items (住民記録 生年月日 …) accept dates that are not on the calendar.
            lf = lf.with_columns(flag) if date_rule != DateRule.lenient else lf
            lf = lf.drop(state)
        else:
            pending.append(t)
    lf = flush(lf)
    if m.codes is not None:
        translated = col.replace_strict(
            list(m.codes), list(m.codes.values()), default=None, return_dtype=pl.Utf8
        )
        if m.codes_passthrough:
            translated = pl.coalesce(translated, pl.when(col.is_in(list(m.codes.values()))).then(col))
        unmapped = col.is_not_null() & (col.str.strip_chars(tr.WS) != "") & translated.is_null()
        lf = lf.with_columns(unmapped.alias(f"__x__{item_id}__code-unmapped"))
        lf = lf.with_columns(
            pl.when(pl.col(f"__x__{item_id}__code-unmapped")).then(col).otherwise(translated).alias(item_id)
        )
    if m.default is not None:
        lf = lf.with_columns(
            pl.when(col.is_null() | (col.str.strip_chars(tr.WS) == ""))
            .then(pl.lit(m.default))
            .otherwise(col)
            .alias(item_id)
        )
    return lf


@dataclass
class ItemPlan:
    """How one standard item is made from the legacy columns."""

    item: str
    sources: list[str]  # legacy columns read ([] for a constant or an item nobody delivers)
    source: pl.Expr  # the raw value, before the item's transforms
    itemmap: ItemMap | None = None
    rule: DateRule | None = None

    @property
    def flags(self) -> list[str]:
        """Flag columns the transforms add (rows they already found wrong)."""
        m = self.itemmap
        if m is None:
            return []
        out = []
        if "wareki" in m.transforms and self.rule != DateRule.lenient:
            out.append(f"__x__{self.item}__wareki-date-invalid")
        if m.codes is not None:
            out.append(f"__x__{self.item}__code-unmapped")
        return out

    def apply(self, lf: pl.LazyFrame) -> pl.LazyFrame:
        """lf (holding the source columns) plus the item column and its flags."""
        return self.transform(lf.with_columns(self.source.alias(self.item)))

    def transform(self, lf: pl.LazyFrame) -> pl.LazyFrame:
        """lf already holding the item column (the raw source value): the item's transforms and flags."""
        return _pipeline(lf, self.item, self.itemmap, self.rule) if self.itemmap is not None else lf


@dataclass
class MappingPlan:
    items: list[ItemPlan]  # every item of the entity, in spec order
    sources: dict[str, list[str]]  # item -> legacy columns it came from
    missing_columns: dict[str, list[str]] = field(default_factory=dict)  # item -> absent legacy columns
    unmapped_columns: list[str] = field(default_factory=list)  # legacy columns neither mapped nor ignored

    def item(self, item_id: str) -> ItemPlan:
        return next(ip for ip in self.items if ip.item == item_id)


def plan_mapping(header: list[str], mapping: Mapping | None, entity: Entity) -> MappingPlan:
    """Decide, from the file's header, where each item comes from; without a mapping, headers must be
    item ids, the items' Japanese names (データ項目), their ローマ字 names or their official IDs."""
    none = pl.lit(None, dtype=pl.Utf8)
    if mapping is None:
        by_name = {it.name_ja: it.id for it in entity.items}
        for it in entity.items:  # a standard-layout extract may head its columns with either name
            by_name.update({alias: it.id for alias in (it.romaji, it.std_id) if alias})
        column_of = {by_name.get(c, c): c for c in header}
        items = [
            ItemPlan(it.id, [column_of[it.id]], pl.col(column_of[it.id]))
            if it.id in column_of
            else ItemPlan(it.id, [], none)
            for it in entity.items
        ]
        std_sources = {ip.item: ip.sources for ip in items if ip.sources}
        # An absent optional item is simply not delivered; absent required ones are reported.
        required_absent = {
            it.id: [it.id]
            for it in entity.items
            if it.id not in column_of and it.required.value != "optional"
        }
        extra = [c for c in header if by_name.get(c, c) not in entity.item_ids]
        return MappingPlan(items, std_sources, required_absent, extra)
    items = []
    sources: dict[str, list[str]] = {}
    missing: dict[str, list[str]] = {}
    present = set(header)  # sets, computed once: a 10⁵-column header stays linear
    for it in entity.items:
        m = mapping.items.get(it.id)
        absent = [c for c in m.sources if c not in present] if m is not None else []
        if m is None or absent:
            if absent:
                missing[it.id] = absent
            items.append(ItemPlan(it.id, [], none))
            continue
        sources[it.id] = m.sources
        rule = it.effective_date_rule if it.type in (ItemType.date, ItemType.datetime) else None
        items.append(ItemPlan(it.id, list(m.sources), _source_expr(m), m, rule))
    known = mapping.used_columns | set(mapping.ignore)
    unmapped = [c for c in header if c not in known]
    return MappingPlan(items, sources, missing, unmapped)


def apply_mapping(frame: pl.DataFrame, mapping: Mapping | None, entity: Entity) -> Mapped:
    """Map legacy columns to items (whole frame): item columns, LINE and the transforms' flags."""
    header = [c for c in frame.columns if c != LINE]
    plan = plan_mapping(header, mapping, entity)
    lf = frame.lazy().select([*(ip.source.alias(ip.item) for ip in plan.items), pl.col(LINE)])
    for ip in plan.items:
        if ip.itemmap is not None:
            lf = _pipeline(lf, ip.item, ip.itemmap, ip.rule)
    return Mapped(lf.collect(), plan.sources, plan.missing_columns, plan.unmapped_columns)
