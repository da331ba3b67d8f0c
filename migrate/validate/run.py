"""Run a validation: read, map, compile, check with pandera (polars backend), collect findings."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from migrate.checks.charset import PUA
from migrate.findings import REGISTRY
from migrate.io.csvfile import LINE, Table, read_table
from migrate.mapping.apply import Mapped, apply_mapping
from migrate.mapping.model import Mapping
from migrate.mask import mask_expr
from migrate.spec.loader import SpecRegistry
from migrate.spec.model import Entity, Spec
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
    def readiness(self) -> float:
        """Share of rows without any error finding (the gate metric)."""
        if self.rows == 0:
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
            .sort(["severity", "count", "code"], descending=[False, True, False])
        )
        return agg.to_dicts()

    def to_dict(self, max_findings: int | None = 1000) -> dict[str, Any]:
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
                "complete": self.complete,
                "counts": self.counts(),
            },
            "checks": self.checks,
            "skipped": self.skipped,
            "gaiji": self.gaiji,
            "findings_total": self.findings.height,
            "findings_truncated": self.findings.height > shown.height,
            "findings": [
                {
                    **{k: v for k, v in row.items() if k != "detail"},
                    "detail": json.loads(row["detail"] or "{}"),
                }
                for row in shown.to_dicts()
            ],
        }


def _run_pandera(frame: pl.DataFrame, checks: list[CheckDef]) -> tuple[pl.DataFrame, set[str]]:
    """Validate the whole (eager) frame with one pandera schema; return failing (row, check id)."""
    import pandera.polars as pa
    from pandera.api.polars.types import PolarsData
    from pandera.config import ValidationDepth, config_context

    ran: set[str] = set()

    def wrap(cd: CheckDef) -> Any:
        def fn(data: PolarsData) -> pl.LazyFrame:
            ran.add(cd.id)
            return data.lazyframe.select(cd.expr.fill_null(True).alias(data.key))

        return pa.Check(fn, name=cd.id, error=cd.id)

    columns: dict[str, list[Any]] = {}
    for cd in checks:
        columns.setdefault(cd.item, []).append(wrap(cd))
    schema = pa.DataFrameSchema(
        {item: pa.Column(pl.Utf8, checks=chs, nullable=True, required=True) for item, chs in columns.items()}
    )
    empty = pl.DataFrame(schema={"row": pl.Int64, "check": pl.Utf8})
    # An eager DataFrame at SCHEMA_AND_DATA depth: every check runs on every row (never schema-only).
    with config_context(validation_depth=ValidationDepth.SCHEMA_AND_DATA):
        try:
            schema.validate(frame, lazy=True)
        except pa.errors.SchemaErrors as exc:
            fc = exc.failure_cases
            ids = {cd.id for cd in checks}
            out = fc.filter(pl.col("check").is_in(list(ids)) & pl.col("index").is_not_null()).select(
                pl.col("index").cast(pl.Int64).alias("row"), pl.col("check")
            )
            return out, ran
    return empty, ran


def _value_findings(
    failures: pl.DataFrame, checks: list[CheckDef], table: Table, mapped: Mapped, entity: Entity, show: bool
) -> pl.DataFrame:
    meta = pl.DataFrame(
        {
            "check": [c.id for c in checks],
            "code": [c.code for c in checks],
            "item": [c.item for c in checks],
            "severity": [c.severity for c in checks],
            "detail": [json.dumps(c.detail, ensure_ascii=False, default=str) for c in checks],
        }
    )
    f = failures.join(meta, on="check", how="inner")
    if f.is_empty():
        return pl.DataFrame(schema=FINDING_SCHEMA)
    legacy = table.frame.with_row_index("row").with_columns(pl.col("row").cast(pl.Int64))
    mf = mapped.frame.with_row_index("row").with_columns(pl.col("row").cast(pl.Int64))
    parts = []
    for (item,), sub in f.group_by("item"):
        it = entity.item(str(item))
        sens = it.sensitivity.value
        cols = mapped.sources.get(it.id, [])
        legacy_expr = (
            pl.concat_str([pl.col(c) for c in cols], separator=" | ", ignore_nulls=True)
            if cols
            else pl.lit(None)
        )
        lv = legacy.select("row", mask_expr(legacy_expr.cast(pl.Utf8), sens, show).alias("value"))
        mv = mf.select(
            "row", pl.col(LINE).alias("line"), mask_expr(pl.col(it.id), sens, show).alias("mapped")
        )
        parts.append(
            sub.join(mv, on="row", how="left")
            .join(lv, on="row", how="left")
            .with_columns(pl.lit(" | ".join(cols) or None, dtype=pl.Utf8).alias("column"))
        )
    return pl.concat(parts).select(list(FINDING_SCHEMA)).cast(FINDING_SCHEMA)  # type: ignore[arg-type]


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


def _file_findings(table: Table, mapped: Mapped) -> pl.DataFrame:
    rows = [
        _file_row(
            issue.code,
            line=issue.line,
            column=issue.column,
            detail={**issue.detail, **({"offset": issue.offset} if issue.offset is not None else {})},
        )
        for issue in table.issues
    ]
    rows += [
        _file_row("column-missing", column=col, item=item)
        for item, cols in mapped.missing_columns.items()
        for col in cols
    ]
    rows += [_file_row("column-unmapped", column=col) for col in mapped.unmapped_columns]
    return pl.DataFrame(rows, schema=FINDING_SCHEMA)


def _gaiji(mapped: Mapped, entity: Entity) -> list[dict[str, Any]]:
    """Every distinct private-use character (外字) with where it occurs: the 文字同定 work list."""
    found: dict[str, dict[str, Any]] = {}
    for it in entity.items:
        col = mapped.frame[it.id]
        hits = col.drop_nulls().str.extract_all(PUA).explode().drop_nulls()
        if hits.is_empty():
            continue
        for ch, n in hits.value_counts().iter_rows():
            entry = found.setdefault(
                ch, {"char": ch, "codepoint": f"U+{ord(ch):04X}", "count": 0, "items": []}
            )
            try:
                entry["cp932"] = ch.encode("cp932").hex().upper()
            except UnicodeEncodeError:
                entry["cp932"] = None
            entry["count"] += int(n)
            entry["items"].append(it.id)
    return sorted(found.values(), key=lambda e: e["codepoint"])


def validate_table(
    table: Table,
    spec: Spec,
    entity: Entity,
    registry: SpecRegistry,
    mapping: Mapping | None = None,
    *,
    refs: dict[str, pl.Series] | None = None,
    show_values: bool = False,
    options: Options | None = None,
) -> ValidationResult:
    t0 = time.perf_counter()
    mapped = apply_mapping(table.frame, mapping, entity)
    skip = set(mapped.missing_columns)
    checks, derive = compile_checks(
        spec, entity, registry, mapped.frame, skip_items=skip, refs=refs, options=options
    )
    frame = mapped.frame.with_columns(**derive) if derive else mapped.frame
    failures, ran = _run_pandera(frame, checks)
    findings = pl.concat(
        [
            _file_findings(table, mapped),
            _value_findings(failures, checks, table, mapped, entity, show_values),
        ]
    ).sort(["line", "item", "code"], nulls_last=False)
    check_list = [
        {"id": c.id, "code": c.code, "item": c.item, "severity": c.severity, "ran": c.id in ran}
        for c in checks
    ]
    skipped = [
        {"item": item, "reason": "column-missing", "columns": cols}
        for item, cols in mapped.missing_columns.items()
    ]
    return ValidationResult(
        file=str(table.path),
        spec=spec.key,
        entity=entity.id,
        mapping=mapping.id if mapping else None,
        encoding=table.encoding,
        delimiter=table.delimiter,
        rows=table.rows,
        size=table.size,
        findings=findings,
        checks=check_list,
        skipped=skipped,
        gaiji=_gaiji(mapped, entity),
        duration_s=time.perf_counter() - t0,
        vendor=mapping.source.vendor if mapping else None,
    )


def load_refs(
    ref_specs: list[tuple[str, Path, Mapping | None]], registry: SpecRegistry
) -> dict[str, pl.Series]:
    """Reference extracts: for business/entity=FILE, the key values of every item others reference."""
    out: dict[str, pl.Series] = {}
    for target, path, mapping in ref_specs:
        spec, entity = registry.entity(target)
        table = read_table(path, mapping.source.encoding if mapping else None)
        mapped = apply_mapping(table.frame, mapping, entity)
        for it in entity.items:
            if it.id in mapped.frame.columns:
                out[f"{spec.business.id}/{entity.id}/{it.id}"] = mapped.frame[it.id].drop_nulls().unique()
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
) -> ValidationResult:
    t0 = time.perf_counter()
    enc = encoding or (mapping.source.encoding if mapping else None)
    sep = delimiter or (mapping.source.delimiter if mapping else None)
    table = read_table(path, enc, sep)
    result = validate_table(
        table, spec, entity, registry, mapping, refs=refs, show_values=show_values, options=options
    )
    result.duration_s = time.perf_counter() - t0
    return result
