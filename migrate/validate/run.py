"""Run a validation: read, map, compile, check with pandera (polars backend), collect findings."""

from __future__ import annotations

import importlib
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import polars as pl

from migrate.checks.charset import PUA, name_chars
from migrate.errors import InputError
from migrate.findings import REGISTRY
from migrate.i18n import t
from migrate.io.csvfile import DEFAULT_CHUNK_BYTES, LINE, Table, iter_table, read_ahead
from migrate.mapping.apply import ItemPlan, MappingPlan, plan_mapping
from migrate.mapping.model import Mapping
from migrate.mask import mask_expr, redact, redact_frame
from migrate.standard.loader import SpecRegistry
from migrate.standard.model import Entity, Spec
from migrate.validate.compile import CheckDef, Options, compile_checks

FINDING_SCHEMA = {
    "line": pl.Int64,
    "row": pl.Int64,
    "column": pl.Utf8,
    "item": pl.Utf8,
    "code": pl.Utf8,
    "severity": pl.Utf8,
    "value": pl.Utf8,
    "mapped": pl.Utf8,
    "detail": pl.Utf8,
}


@dataclass
class ValidationResult:
    file: str
    spec: str
    entity: str
    mapping: str | None
    encoding: str
    delimiter: str
    rows: int
    size: int
    findings: pl.DataFrame
    checks: list[dict[str, Any]]
    skipped: list[dict[str, Any]]
    gaiji: list[dict[str, Any]]
    duration_s: float
    vendor: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    std_ids: dict[str, str] = field(default_factory=dict)  # item -> official データ項目ID, shown beside it

    @property
    def errors(self) -> int:
        return int((self.findings["severity"] == "error").sum())

    @property
    def warnings(self) -> int:
        return int((self.findings["severity"] == "warning").sum())

    @property
    def error_rows(self) -> int:
        lines = self.findings.filter((pl.col("severity") == "error") & pl.col("line").is_not_null())["line"]
        return int(lines.n_unique())

    @property
    def file_errors(self) -> int:
        """Error findings about the file or a column rather than a line (a mapped column absent …)."""
        return int(((self.findings["severity"] == "error") & self.findings["line"].is_null()).sum())

    @property
    def readiness(self) -> float:
        """Share of rows without any error finding (the gate metric).

        0 when it cannot be measured: no data rows, or an error about the whole file (a column the
        mapping reads is absent: no row of it can migrate as delivered). Never higher than what was checked.
        """
        if self.rows == 0 or self.file_errors:
            return 0.0
        return max(0.0, (self.rows - min(self.error_rows, self.rows)) / self.rows)

    @property
    def complete(self) -> bool:
        """Every declared check ran on every row (false when items were skipped or a check did not run)."""
        return not self.skipped and all(c["ran"] for c in self.checks)

    def counts(self) -> list[dict[str, Any]]:
        if self.findings.is_empty():
            return []
        agg = (
            self.findings.group_by("code", "item", "column", "severity")
            .agg(pl.len().alias("count"), pl.col("line").min().alias("first_line"))
            .sort(
                ["severity", "count", "code", "item", "column"], descending=[False, True, False, False, False]
            )
        )
        return agg.to_dicts()

    def to_dict(self, max_findings: int | None = None) -> dict[str, Any]:
        """The JSON form; every finding unless max_findings caps the list (0: none), which it then says."""
        shown = self.findings if max_findings is None else self.findings.head(max_findings)
        return {
            "file": self.file,
            "spec": self.spec,
            "entity": self.entity,
            "mapping": self.mapping,
            "vendor": self.vendor,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "rows": self.rows,
            "bytes": self.size,
            "duration_s": round(self.duration_s, 3),
            "summary": {
                "errors": self.errors,
                "warnings": self.warnings,
                "error_rows": self.error_rows,
                "readiness": round(self.readiness, 6),
                "readiness_measurable": self.rows > 0 and not self.file_errors,
                "file_errors": self.file_errors,
                "complete": self.complete,
                "counts": self.counts(),
            },
            "checks": self.checks,
            "skipped": self.skipped,
            "gaiji": self.gaiji,
            "findings_total": self.findings.height,
            "truncated": self.findings.height > shown.height,
            "findings_truncated": self.findings.height > shown.height,
            "findings": [
                {
                    **{k: v for k, v in row.items() if k != "detail"},
                    **({"std_id": self.std_ids[row["item"]]} if row["item"] in self.std_ids else {}),
                    "detail": json.loads(row["detail"] or "{}"),
                }
                for row in shown.to_dicts()
            ],
        }


class _NoPandas:
    """Import hook that makes pandas look absent while pandera is imported."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)


def _pandera() -> Any:
    """pandera.polars, imported without pandas.

    pandera imports pandas whenever it is installed (great_expectations, an optional extra, brings it),
    which costs 0.5 to 1 s and about 40 MB on every run although the polars backend never uses it.
    While pandera is imported, pandas looks absent (pandera's own polars-only mode); afterwards pandas
    imports normally for whoever needs it.
    """
    if "pandera.polars" not in sys.modules and "pandas" not in sys.modules:
        hook = _NoPandas()
        sys.meta_path.insert(0, hook)
        try:
            pa = importlib.import_module("pandera.polars")
            # pandera looks for its pandas types at the first validation and remembers the answer: one
            # tiny validation through the public API while pandas looks absent. Should a release stop
            # remembering, pandas is imported later: slower, the same verdicts (tests/validate/
            # test_pandera_contract.py pins both).
            ok = pa.Check(lambda d: d.lazyframe.select(pl.col(d.key).is_not_null()))
            warm = pa.DataFrameSchema({"a": pa.Column(pl.Int8, checks=[ok])})
            warm.validate(pl.DataFrame({"a": [1]}, {"a": pl.Int8}))
            return pa
        finally:
            sys.meta_path.remove(hook)
    return importlib.import_module("pandera.polars")


def _run_pandera(
    frame: pl.DataFrame, checks: list[CheckDef], state: _State, gates: dict[str, pl.Expr] | None = None
) -> pl.DataFrame:
    """Validate an eager frame with pandera; return the failing (row, check id) pairs.

    gates: per check id, the rows it applies to (default: every row). The declared checks run together
    as one pandera check (their conjunction): pandera's cost is per check and per call, not per row.
    The rows it rejects are then attributed to the declared checks they fail, on those rows only.
    state counts, per declared check, the validations asked for and the times pandera really ran it.
    """
    empty = pl.DataFrame(schema={"row": pl.Int64, "check": pl.Utf8})
    if not checks:
        return empty
    gates = gates or {}
    for cd in checks:
        state.expected[cd.id] += 1
    ran_before = {cd.id: state.ran[cd.id] for cd in checks}
    exprs = [
        (cd.expr.fill_null(True) if cd.id not in gates else ~gates[cd.id] | cd.expr.fill_null(True)).alias(
            cd.id
        )
        for cd in checks
    ]
    ran = state.ran
    pa = _pandera()
    from pandera.api.polars.types import PolarsData
    from pandera.config import ValidationDepth, config_context
    from pandera.errors import SchemaErrorReason

    def fn(data: PolarsData) -> pl.LazyFrame:
        for cd in checks:
            ran[cd.id] += 1
        return data.lazyframe.select(pl.all_horizontal(exprs).alias(data.key))

    seq = "__pandera_row__"
    schema = pa.DataFrameSchema(
        {seq: pa.Column(pl.UInt32, checks=[pa.Check(fn, name="rules", error="rules")], required=True)}
    )
    broken: list[Any] = []
    # An eager DataFrame at SCHEMA_AND_DATA depth: every check runs on every row (never schema-only).
    with config_context(validation_depth=ValidationDepth.SCHEMA_AND_DATA):
        try:
            schema.validate(frame.with_row_index(seq), lazy=True)
            return empty
        except pa.errors.SchemaErrors as exc:
            fc = exc.failure_cases
            broken = [e for e in exc.schema_errors if e.reason_code == SchemaErrorReason.CHECK_ERROR]
    if broken:
        # pandera reports a check that raised as failing without rows: none of these checks ran. Each
        # is run on its own, so one that cannot run (an expression polars refuses) is the only one lost.
        for cd in checks:
            state.ran[cd.id] = ran_before[cd.id]
        if len(checks) == 1:
            state.broken.setdefault(checks[0].id, "check-error")  # no message: it may quote values
            return empty
        for cd in checks:
            state.expected[cd.id] -= 1
        return pl.concat([_run_pandera(frame, [cd], state, gates) for cd in checks])
    rows = fc.filter((pl.col("check") == "rules") & pl.col("index").is_not_null())["index"]
    if len(checks) == 1:  # nothing to attribute
        return pl.DataFrame({"row": rows.cast(pl.Int64).unique(maintain_order=True)}).with_columns(
            check=pl.lit(checks[0].id, dtype=pl.Utf8)
        )
    # value and row checks read their own row: evaluated again on the rejected rows only (key checks
    # compare rows with each other, so they are validated one at a time and never reach this point)
    assert all(cd.scope != "key" for cd in checks), "validate key checks one at a time"
    at = "__at__"
    return (
        frame.lazy()
        .with_row_index(at)
        .filter(pl.col(at).is_in(rows.cast(pl.UInt32).implode()))
        .select(at, *exprs)
        .unpivot(index=at, variable_name="check")
        .filter(~pl.col("value"))
        .select(pl.col(at).cast(pl.Int64).alias("row"), "check")
        .collect()
    )


ROW = "__row__"
MAPPED = "__mapped__"
FAIL_SCHEMA = {ROW: pl.Int64, "check": pl.Utf8, MAPPED: pl.Utf8}
# An item whose values repeat (dates, codes, names) is mapped and checked once per distinct value, then
# the verdicts go back to the rows. Above DISTINCT_RATIO distinct values per row (on the first piece, an
# empty value counting as one value) it is checked row by row; items whose mapping parses dates (和暦),
# costly per value, qualify up to DATE_RATIO. Later, an item bringing more than NEW_RATIO new values per
# row of a piece goes row by row, and so does the item with the most remembered values when all items
# together remember more than CACHE_MAX. The findings are the same either way; memory stays bounded.
DISTINCT_RATIO = 0.5
DATE_RATIO = 0.9
DISTINCT_MIN_ROWS = 256
NEW_RATIO = 0.25
CACHE_MAX = 500_000


@dataclass(eq=False)
class _Item:
    """One item to map and check on every piece."""

    ip: ItemPlan
    checks: list[CheckDef]  # its value checks
    derive: dict[str, pl.Expr]  # derived columns its checks read
    keep: bool  # its mapped value is needed on every row (row and key checks read it)

    @property
    def item(self) -> str:
        return self.ip.item

    @property
    def keys(self) -> list[str]:
        """The source columns under neutral names (a legacy column may be called like an item)."""
        return [f"__k{j}" for j in range(len(self.ip.sources))]

    def keyed(self) -> list[pl.Expr]:
        """The source columns, renamed to keys."""
        return [pl.col(s).alias(k) for s, k in zip(self.ip.sources, self.keys, strict=True)]


@dataclass
class _Plan:
    """What is checked, decided once from the header and reused for every piece of the file."""

    mapping: MappingPlan
    checks: list[CheckDef]
    derive: dict[str, dict[str, pl.Expr]]  # item -> derived column -> expression
    meta: pl.DataFrame
    row_items: list[str]  # items row and key checks read
    key_items: tuple[str, ...] = ()  # business key asked for every row (all delivered), else ()
    items: list[_Item] = field(default_factory=list)  # items mapped and checked on every piece
    row_checks: list[CheckDef] = field(default_factory=list)
    key_checks: list[CheckDef] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)  # declared checks that cannot run

    def __post_init__(self) -> None:
        value_checks: dict[str, list[CheckDef]] = {}
        for cd in self.checks:
            if cd.scope == "value":
                value_checks.setdefault(cd.item, []).append(cd)
            else:
                (self.row_checks if cd.scope == "row" else self.key_checks).append(cd)
        skip = set(self.mapping.missing_columns)
        for ip in self.mapping.items:
            chs = value_checks.get(ip.item, [])
            keep = ip.item in self.row_items
            if ip.item not in skip and (chs or keep):
                self.items.append(_Item(ip, chs, self.derive.get(ip.item, {}), keep))


def _make_plan(
    header: list[str],
    spec: Spec,
    entity: Entity,
    registry: SpecRegistry,
    mapping: Mapping | None,
    refs: dict[str, pl.Series] | None,
    options: Options | None,
    key_items: tuple[str, ...] = (),
) -> _Plan:
    mp = plan_mapping(header, mapping, entity)
    flags = {f for ip in mp.items for f in ip.flags}
    if mapping is not None and mapping.fictional_lg_codes:  # the codes the mapping declares fictional
        opts = options or Options()
        options = replace(opts, fictional_lg_codes=opts.fictional_lg_codes | set(mapping.fictional_lg_codes))
    skipped: list[dict[str, Any]] = []
    checks, derive = compile_checks(
        spec,
        entity,
        registry,
        flags,
        skip_items=set(mp.missing_columns),
        refs=refs,
        options=options,
        skipped=skipped,
    )
    # A check reading a column this file does not give cannot run: it is listed as skipped, never
    # compiled into a validation where its error would silently take every other check down with it.
    available = {ip.item for ip in mp.items if ip.item not in mp.missing_columns} | flags | set(derive)
    runnable = []
    for cd in checks:
        absent = sorted(set(cd.expr.meta.root_names()) - available)
        if absent:
            skipped.append(
                {"item": cd.item, "code": cd.code, "reason": "needs", "columns": [], "needs": absent}
            )
        else:
            runnable.append(cd)
    checks = runnable
    for entry in skipped:
        entry["columns"] = [c for i in entry.get("needs", []) for c in mp.missing_columns.get(i, [])]
    by_item: dict[str, dict[str, pl.Expr]] = {}
    for name, expr in derive.items():
        by_item.setdefault(name.removeprefix("__num__"), {})[name] = expr
    meta = pl.DataFrame(
        {
            "check": [c.id for c in checks],
            "code": [c.code for c in checks],
            "item": [c.item for c in checks],
            "severity": [c.severity for c in checks],
            "detail": [json.dumps(c.detail, ensure_ascii=False, default=str) for c in checks],
        },
        schema=dict.fromkeys(("check", "code", "item", "severity", "detail"), pl.Utf8),
    )
    row_items: list[str] = []
    for cd in checks:
        if cd.scope == "value":
            continue
        names = cd.expr.meta.root_names()
        for name in names:
            if name in entity.item_ids and name not in row_items:
                row_items.append(name)
    usable = bool(key_items) and all(k in mp.sources and k not in mp.missing_columns for k in key_items)
    row_items += [k for k in key_items if usable and k not in row_items]
    plan = _Plan(mp, checks, by_item, meta, row_items, key_items if usable else ())
    plan.skipped = skipped
    return plan


def _source_key(ip: ItemPlan) -> pl.Expr:
    return pl.col(ip.sources[0]) if len(ip.sources) == 1 else pl.struct(ip.sources).hash()


def _decide_modes(frame: pl.DataFrame, items: list[_Item], state: _State) -> None:
    """Per distinct value or row by row, for every item not decided yet: one query, on the first piece
    big enough, then kept for the file."""
    todo = [x for x in items if x.ip.sources and x.item not in state.mode]
    if not todo or frame.height < DISTINCT_MIN_ROWS:
        return
    counts = frame.select(_source_key(x.ip).approx_n_unique().alias(x.item) for x in todo).row(0)
    for i, x in enumerate(todo):
        ratio = DATE_RATIO if _parses_dates(x.ip) else DISTINCT_RATIO
        state.mode[x.item] = bool(counts[i] <= ratio * frame.height)


def _parses_dates(ip: ItemPlan) -> bool:
    return ip.itemmap is not None and "wareki" in ip.itemmap.transforms


def _review_modes(state: _State, new: list[tuple[_Item, pl.DataFrame]], before: set[str], rows: int) -> None:
    """After a piece: an item that keeps bringing many new values (more than NEW_RATIO of the piece's
    rows, after its first piece) goes row by row, and the verdicts of all items together stay under
    CACHE_MAX values (the item with the most goes row by row). Findings do not change, memory stays
    bounded."""
    for x, d in new:
        if x.item in before and not _parses_dates(x.ip) and d.height > NEW_RATIO * rows:
            state.mode[x.item] = False
            state.verdicts.pop(x.item)
    sizes = {item: v.known.height for item, v in state.verdicts.items() if v.known is not None}
    while sizes and sum(sizes.values()) > CACHE_MAX:
        item = max(sizes, key=lambda i: sizes[i])
        state.mode[item] = False
        state.verdicts.pop(item)
        del sizes[item]


def _distinct(frame: pl.DataFrame, ip: ItemPlan, state: _State) -> bool:
    """Check this item per distinct value in this piece? (decided by _decide_modes)"""
    if not ip.sources or frame.height < DISTINCT_MIN_ROWS:
        return False
    return state.mode.get(ip.item, False)


@dataclass
class _Verdicts:
    """Distinct source values of one item already mapped and checked, kept from piece to piece, so a
    value that repeats across the file (a date, a code, a name) is mapped and checked once."""

    known: pl.DataFrame | None = None  # keys + MAPPED, every distinct value seen
    failing: pl.DataFrame | None = None  # keys + MAPPED + check, the (value, check) pairs that fail


def _legacy_expr(sources: list[str]) -> pl.Expr:
    if not sources:
        return pl.lit(None, dtype=pl.Utf8)
    if len(sources) == 1:
        return pl.col(sources[0])
    return pl.concat_str([pl.col(c) for c in sources], separator=" | ", ignore_nulls=True)


@dataclass
class _State:
    """What is carried across pieces: findings so far, key columns for uniqueness, 外字 counts."""

    findings: list[pl.DataFrame] = field(default_factory=list)
    keys: list[pl.DataFrame] = field(default_factory=list)
    gaiji: dict[str, dict[str, Any]] = field(default_factory=dict)
    ran: Counter[str] = field(default_factory=Counter)
    expected: Counter[str] = field(default_factory=Counter)
    verdicts: dict[str, _Verdicts] = field(default_factory=dict)
    mode: dict[str, bool] = field(default_factory=dict)  # item -> checked per distinct value
    broken: dict[str, str] = field(default_factory=dict)  # check id -> why it could not run
    row_keys: list[pl.Series] = field(default_factory=list)  # business key of every row, piece by piece
    rows: int = 0


def _column_label(sources: list[str]) -> pl.Expr:
    return pl.lit(" | ".join(sources) or None, dtype=pl.Utf8).alias("column")


def _as_findings(parts: list[pl.DataFrame]) -> pl.DataFrame:
    if not parts:
        return pl.DataFrame(schema=FINDING_SCHEMA)
    return pl.concat(parts).select(list(FINDING_SCHEMA)).cast(FINDING_SCHEMA)  # type: ignore[arg-type]


def _findings_for(
    fails: pl.DataFrame, frame: pl.DataFrame, plan: _Plan, entity: Entity, show: bool, first_row: int
) -> pl.DataFrame:
    """Failing (row, check, mapped) of one piece → finding rows, values masked by each item's sensitivity."""
    f = fails.join(plan.meta, on="check", how="inner")
    f = name_chars(f, MAPPED)  # a finding outside a repertoire names the characters (`「鷗」(U+9DD7)`)
    # a rule between items names all of them: every item's legacy columns and values (each masked by
    # its own item's sensitivity), not only the first item's
    rules = {
        c.id: list(c.detail["items"])
        for c in plan.checks
        if c.code == "rule-violated" and "items" in c.detail
    }
    parts = []
    for (item,), grp in f.group_by("item"):
        it = entity.item(str(item))
        sens = it.sensitivity.value
        split = [(grp.filter(~pl.col("check").is_in(list(rules))) if rules else grp, [it.id])]
        split += [(grp.filter(pl.col("check") == cid), ids) for cid, ids in rules.items() if ids[0] == it.id]
        for sub, ids in split:
            if sub.is_empty():
                continue
            srcs = [c for i in ids for c in plan.mapping.sources.get(i, [])]
            values = [
                mask_expr(
                    _legacy_expr(plan.mapping.sources.get(i, [])), entity.item(i).sensitivity.value, show
                )
                for i in ids
            ]
            value = (
                values[0] if len(values) == 1 else pl.concat_str(values, separator=" | ", ignore_nulls=True)
            )
            legacy = frame.select(LINE, *dict.fromkeys(srcs))[sub[ROW]].select(
                pl.col(LINE).alias("line"), value.alias("value")
            )
            parts.append(
                pl.concat([sub, legacy], how="horizontal").with_columns(
                    (pl.col(ROW) + first_row).alias("row"),
                    mask_expr(pl.col(MAPPED), sens, show).alias("mapped"),
                    _column_label(srcs),
                )
            )
    return _as_findings(parts)


def _count_gaiji(state: _State, fails: pl.DataFrame, plan: _Plan) -> None:
    """外字 (private-use characters) of the values that failed the 外字 check, counted per character."""
    ids = [c.id for c in plan.checks if c.code == "gaiji-private-use"]
    sub = fails.filter(pl.col("check").is_in(ids)).join(plan.meta.select("check", "item"), on="check")
    if sub.is_empty():
        return
    hits = sub.select("item", pl.col(MAPPED).str.extract_all(PUA).alias("ch")).explode("ch").drop_nulls()
    for ch, item, n in hits.group_by("ch", "item").len().sort("ch", "item").iter_rows():
        entry = state.gaiji.setdefault(
            ch, {"char": ch, "codepoint": f"U+{ord(ch):04X}", "count": 0, "items": []}
        )
        try:
            entry["cp932"] = ch.encode("cp932").hex().upper()
        except UnicodeEncodeError:
            entry["cp932"] = None
        entry["count"] += int(n)
        if item not in entry["items"]:
            entry["items"].append(item)


def _new_values(frame: pl.DataFrame, items: list[_Item], state: _State) -> list[tuple[_Item, pl.DataFrame]]:
    """The values of these items this piece brings for the first time, mapped (keys, item, flags and
    derived columns); they join the known values at once, their verdicts come after the checks."""
    uniq = frame.select(
        (x.keyed()[0] if len(x.keys) == 1 else pl.struct(x.keyed())).unique().implode().alias(x.item)
        for x in items
    )
    fresh = []
    for x in items:
        cache = state.verdicts.setdefault(x.item, _Verdicts())
        values = uniq.get_column(x.item)[0]
        lf = (values.struct.unnest() if len(x.keys) > 1 else pl.DataFrame({"__k0": values})).lazy()
        if cache.known is not None:
            lf = lf.join(cache.known.lazy().select(x.keys), on=x.keys, how="anti", nulls_equal=True)
        fresh.append(lf)
    todo = [
        (x, d)
        for x, d in zip(items, pl.collect_all(fresh), strict=True)
        if d.height or state.verdicts[x.item].known is None
    ]
    queries = []
    for x, d in todo:
        named = dict(zip(x.ip.sources, x.keys, strict=True))  # a column used twice is read once
        lf = d.lazy().with_columns(pl.col(k).alias(s) for s, k in named.items())
        queries.append(x.ip.apply(lf).with_columns(**x.derive))
    out = []
    for (x, _), d in zip(todo, pl.collect_all(queries) if queries else [], strict=True):
        cache = state.verdicts[x.item]
        known = d.select(*x.keys, pl.col(x.item).alias(MAPPED))
        cache.known = known if cache.known is None else pl.concat([cache.known, known])
        out.append((x, d))
    return out


def _check_piece(table: Table, plan: _Plan, entity: Entity, state: _State, show: bool) -> None:
    """Map and check one piece, with two pandera validations.

    Repeating items: the values never seen before are mapped and checked once, and the verdicts go back
    to the rows by a join. Other items: mapped and checked row by row, with the row checks.
    """
    frame = table.frame
    _decide_modes(frame, plan.items, state)
    distinct = {x.item: _distinct(frame, x.ip, state) for x in plan.items}
    by_value = [x for x in plan.items if distinct[x.item]]
    by_row = [x for x in plan.items if not distinct[x.item]]
    before = {x.item for x in by_value if x.item in state.verdicts}
    new = _new_values(frame, by_value, state) if by_value else []

    # First validation: the new values of every item, one segment each, each item's checks on its own.
    seg = "__segment__"
    checks: list[CheckDef] = []
    gates: dict[str, pl.Expr] = {}
    for i, (x, _) in enumerate(new):
        checks += x.checks
        gates.update({cd.id: pl.col(seg) == i for cd in x.checks})
    if new:
        values = pl.concat(
            [
                d.drop({*x.keys, *x.ip.sources} - {x.item}, strict=False).with_columns(
                    pl.lit(i, dtype=pl.Int32).alias(seg)
                )
                for i, (x, d) in enumerate(new)
            ],
            how="diagonal",
        )
        bad = _run_pandera(values, checks, state, gates)
    start = 0
    for x, d in new:
        sub = bad.filter(pl.col("row").is_between(start, start + d.height - 1))
        cache = state.verdicts[x.item]
        failing = d.select(*x.keys, pl.col(x.item).alias(MAPPED))[sub["row"] - start].with_columns(
            sub["check"]
        )
        cache.failing = failing if cache.failing is None else pl.concat([cache.failing, failing])
        start += d.height

    # The piece's rows in one go: items checked row by row, mapped; the kept items checked by value,
    # looked up (one narrow join each); the rows holding values known to fail.
    index = pl.int_range(pl.len(), dtype=pl.Int64).alias(ROW)
    lf = frame.lazy().select(index, *(x.ip.source.alias(x.item) for x in by_row))
    for x in by_row:
        lf = x.ip.transform(lf).with_columns(**x.derive)
    kept, hits = [], []
    for x in by_value:
        cache = state.verdicts[x.item]
        keyed = frame.lazy().select(x.keyed())
        if x.keep and cache.known is not None:
            kept.append(
                keyed.join(
                    cache.known.lazy(), on=x.keys, how="left", nulls_equal=True, maintain_order="left"
                ).select(pl.col(MAPPED).alias(x.item))
            )
        if cache.failing is not None and cache.failing.height:
            hits.append(
                keyed.with_columns(index)
                .join(cache.failing.lazy(), on=x.keys, how="inner", nulls_equal=True)
                .select(list(FAIL_SCHEMA))
            )
    out = pl.collect_all([lf, *kept, *hits])
    rows = pl.concat(out[: 1 + len(kept)], how="horizontal")
    fails: list[pl.DataFrame] = out[1 + len(kept) :]

    # Second validation: the piece's rows (items checked row by row, and the row checks).
    row_checks = [cd for x in by_row for cd in x.checks] + plan.row_checks
    item_of = {cd.id: cd.item for cd in row_checks}
    for (check,), sub in _run_pandera(rows, row_checks, state).group_by("check"):
        mapped = rows.get_column(item_of[str(check)]).gather(sub["row"]).alias(MAPPED)
        fails.append(sub.select(pl.col("row").alias(ROW), "check").with_columns(mapped))
    _review_modes(state, new, before, frame.height)
    if plan.key_items:
        parts = [pl.col(k).str.strip_chars(" \u3000") for k in plan.key_items]
        key = parts[0] if len(parts) == 1 else pl.concat_str(parts, separator="\x1f")
        state.row_keys.append(rows.select(pl.when(key == "").then(None).otherwise(key).alias("key"))["key"])
    if plan.key_checks:
        names = sorted({c for cd in plan.key_checks for c in cd.detail["keys"]})
        # the legacy value shown for a duplicate (a 個人番号 is never shown: nothing to keep for it)
        legacy = {
            f"__legacy__{i}": mask_expr(
                _legacy_expr(plan.mapping.sources.get(i, [])), entity.item(i).sensitivity.value, show
            )
            for i in {cd.item for cd in plan.key_checks}
            if entity.item(i).sensitivity.value != "my-number"
        }
        state.keys.append(
            pl.concat(
                [rows.select(names), frame.select(pl.col(LINE).cast(pl.UInt32).alias("line"), **legacy)],
                how="horizontal",
            ).with_columns((pl.int_range(pl.len(), dtype=pl.UInt32) + table.first_row).alias("row"))
        )
    allf = pl.concat(fails) if fails else pl.DataFrame(schema=FAIL_SCHEMA)
    _count_gaiji(state, allf, plan)
    state.findings.append(_findings_for(allf, frame, plan, entity, show, table.first_row))
    state.rows += frame.height


def _check_keys(state: _State, plan: _Plan, entity: Entity, show: bool) -> pl.DataFrame:
    """Primary key and unique sets across the whole file (every piece), first occurrence kept."""
    if not plan.key_checks or not state.keys:
        return pl.DataFrame(schema=FINDING_SCHEMA)
    frame = pl.concat(state.keys, how="vertical")
    state.keys.clear()
    # one validation per key: each is a whole-file comparison, not evaluated a second time to attribute
    bad = pl.concat([_run_pandera(frame, [cd], state) for cd in plan.key_checks]).join(plan.meta, on="check")
    if bad.is_empty():
        return pl.DataFrame(schema=FINDING_SCHEMA)
    parts = []
    for (item,), sub in bad.group_by("item"):
        sens = entity.item(str(item)).sensitivity.value
        srcs = plan.mapping.sources.get(str(item), [])
        legacy = f"__legacy__{item}"
        vals = frame.select(
            pl.col("line").cast(pl.Int64),
            pl.col("row").cast(pl.Int64),
            pl.col(legacy).alias("value")
            if legacy in frame.columns
            else mask_expr(pl.col(str(item)), sens, show).alias("value"),
            mask_expr(pl.col(str(item)), sens, show).alias("mapped"),
        )[sub["row"]]
        parts.append(pl.concat([sub.drop("row"), vals], how="horizontal").with_columns(_column_label(srcs)))
    return _as_findings(parts)


def _file_row(
    code: str,
    *,
    line: int | None = None,
    column: str | None = None,
    item: str | None = None,
    detail: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A finding about the file or a column rather than a value (no row, no values to show)."""
    return {
        "line": line,
        "row": None,
        "column": column,
        "item": item,
        "code": code,
        "severity": REGISTRY[code].severity,
        "value": None,
        "mapped": None,
        "detail": json.dumps(detail or {}, ensure_ascii=False),
    }


def _issue_findings(table: Table) -> pl.DataFrame:
    rows = [
        _file_row(
            issue.code,
            line=issue.line,
            column=issue.column,
            detail={**issue.detail, **({"offset": issue.offset} if issue.offset is not None else {})},
        )
        for issue in table.issues
    ]
    return pl.DataFrame(rows, schema=FINDING_SCHEMA)


def _column_findings(mp: MappingPlan) -> pl.DataFrame:
    rows = [
        _file_row("column-missing", column=col, item=item)
        for item, cols in mp.missing_columns.items()
        for col in cols
    ]
    rows += [_file_row("column-unmapped", column=col) for col in mp.unmapped_columns]
    return pl.DataFrame(rows, schema=FINDING_SCHEMA)


def validate_pieces(
    pieces: Iterable[Table],
    spec: Spec,
    entity: Entity,
    registry: SpecRegistry,
    mapping: Mapping | None = None,
    *,
    refs: dict[str, pl.Series] | None = None,
    show_values: bool = False,
    options: Options | None = None,
    key_items: tuple[str, ...] = (),
) -> ValidationResult:
    """Validate a file given as consecutive pieces: memory follows the piece, findings do not depend on it.

    key_items: a business key to compute for every row (mapped like the validation maps it, trimmed,
    empty → null), returned as `extra["row_keys"]` (a Series by row; None when an item is not delivered).

    Value checks run per piece (on distinct values where they repeat); keys are compared across all
    pieces at the end.
    """
    t0 = time.perf_counter()
    state = _State()
    plan: _Plan | None = None
    first: Table | None = None
    for table in pieces:
        if plan is None:
            first = table
            header = [c for c in table.frame.columns if c != LINE]
            plan = _make_plan(header, spec, entity, registry, mapping, refs, options, key_items)
            state.findings.append(_column_findings(plan.mapping))
        state.findings.append(_issue_findings(table))
        _check_piece(table, plan, entity, state, show_values)
    if plan is None or first is None:
        raise InputError(t("空のファイルです", "the file is empty"))
    state.findings.append(_check_keys(state, plan, entity, show_values))
    if state.rows == 0:
        state.findings.append(pl.DataFrame([_file_row("no-data-rows")], schema=FINDING_SCHEMA))
    findings = pl.concat(state.findings).sort(
        ["line", "item", "code", "severity", "detail", "row"], nulls_last=False, maintain_order=True
    )
    # the content rule on what does not go through mask_expr: column names and details (a header may
    # hold a 個人番号); values were masked by item and content already
    findings = redact_frame(findings, ["column", "detail"])
    check_list = [
        {
            "id": c.id,
            "code": c.code,
            "item": c.item,
            "severity": c.severity,
            "ran": state.ran[c.id] >= state.expected[c.id] > 0,
        }
        for c in plan.checks
    ]
    skipped = [
        {"item": item, "reason": "column-missing", "columns": [redact(c) for c in cols]}
        for item, cols in plan.mapping.missing_columns.items()
    ]
    skipped += [{**e, "columns": [redact(c) for c in e["columns"]]} for e in plan.skipped]
    by_id = {c.id: c for c in plan.checks}
    skipped += [
        {"item": by_id[i].item, "code": by_id[i].code, "reason": why, "columns": [], "check": i}
        for i, why in state.broken.items()
    ]
    order = {it.id: i for i, it in enumerate(entity.items)}
    gaiji = sorted(state.gaiji.values(), key=lambda e: e["codepoint"])
    for entry in gaiji:
        entry["items"].sort(key=lambda i: order.get(i, len(order)))
    return ValidationResult(
        file=redact(str(first.path)),
        spec=spec.key,
        entity=entity.id,
        mapping=mapping.id if mapping else None,
        encoding=first.encoding,
        delimiter=first.delimiter,
        rows=state.rows,
        size=first.size,
        findings=findings,
        checks=check_list,
        skipped=skipped,
        gaiji=gaiji,
        duration_s=time.perf_counter() - t0,
        vendor=mapping.source.vendor if mapping else None,
        extra={"row_keys": pl.concat(state.row_keys) if plan.key_items and state.row_keys else None},
        std_ids={it.id: it.std_id for it in entity.items if it.std_id},
    )


def known_headers(entity: Entity, mapping: Mapping | None) -> set[str]:
    """The column names a file for entity may carry: its legacy columns, or the item ids, names,
    ローマ字 and データ項目IDs of the standard layout (see plan_mapping)."""
    if mapping is not None:
        return set(mapping.used_columns) | set(mapping.ignore)
    names: set[str] = set()
    for it in entity.items:
        names.update(n for n in (it.id, it.name_ja, it.romaji, it.std_id) if n)
    return names


def load_refs(
    ref_specs: list[tuple[str, Path, Mapping | None]],
    registry: SpecRegistry,
    *,
    wanted: set[str] | None = None,
    chunk_bytes: int | None = DEFAULT_CHUNK_BYTES,
) -> dict[str, pl.Series]:
    """Reference extracts: for business/entity=FILE, the distinct values of the items others reference.

    wanted: keys `business/entity/item` actually referenced (default: every item). Read piece by piece.
    """
    out: dict[str, pl.Series] = {}
    for target, path, mapping in ref_specs:
        spec, entity = registry.entity(target)
        parts: dict[str, list[pl.Series]] = {}
        plan: MappingPlan | None = None
        enc = mapping.source.encoding if mapping else None
        for table in read_ahead(
            iter_table(path, enc, None, chunk_bytes, None, known_headers(entity, mapping))
        ):
            if plan is None:
                plan = plan_mapping([c for c in table.frame.columns if c != LINE], mapping, entity)
            for ip in plan.items:
                key = f"{spec.business.id}/{entity.id}/{ip.item}"
                if not ip.sources or (wanted is not None and key not in wanted):
                    continue
                col = ip.apply(table.frame.lazy().select(ip.sources)).select(ip.item).collect().to_series()
                parts.setdefault(key, []).append(col.drop_nulls().unique())
        for key, cols in parts.items():
            out[key] = pl.concat(cols).unique()
    return out


def validate_file(
    path: str | Path,
    spec: Spec,
    entity: Entity,
    registry: SpecRegistry,
    mapping: Mapping | None = None,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    refs: dict[str, pl.Series] | None = None,
    show_values: bool = False,
    options: Options | None = None,
    chunk_bytes: int | None = DEFAULT_CHUNK_BYTES,
    key_items: tuple[str, ...] = (),
    on_read: Callable[[bytes], None] | None = None,
) -> ValidationResult:
    """Validate the file at path, read in pieces of about chunk_bytes (None: in one piece).

    on_read receives the raw bytes as they are read (see iter_table): nightly hashes what it validates.
    """
    t0 = time.perf_counter()
    enc = encoding or (mapping.source.encoding if mapping else None)
    sep = delimiter or (mapping.source.delimiter if mapping else None)
    result = validate_pieces(
        read_ahead(iter_table(path, enc, sep, chunk_bytes, on_read, known_headers(entity, mapping))),
        spec,
        entity,
        registry,
        mapping,
        refs=refs,
        show_values=show_values,
        options=options,
        key_items=key_items,
    )
    result.duration_s = time.perf_counter() - t0
    return result
