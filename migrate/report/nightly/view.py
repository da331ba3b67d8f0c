"""What the nightly dashboard shows, computed once from the run summary: typed and frozen.

Built from the summary's `to_dict()` (migrate.history.summary.NightlyRun), or the same shape as a
plain dict: run, totals, vendors, sources (thresholds, breaches, files, rules new/fixed/still
failing, trend) and notes; a key a dict leaves out is given its default here, once. The history
keeps numbers and keyed findings only, never values, so a dashboard holds no personal data;
messages are still scrubbed of anything shaped like a 個人番号.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migrate.findings import severity_label, title_of
from migrate.i18n import t
from migrate.report.format import iso_stamp, pct, yes_no
from migrate.report.labels import delivery_label, metric_label
from migrate.report.style import COLOURS, scrub_my_number

if TYPE_CHECKING:
    from migrate.history.summary import NightlyRun

_SUMS = (
    "files",
    "unreadable",
    "rows",
    "errors",
    "warnings",
    "error_rows",
    "new",
    "fixed",
    "still_failing",
    "new_errors",
)


def run_data(run_summary: NightlyRun | Mapping[str, Any], vendor: str | None = None) -> dict[str, Any]:
    """The summary as data, limited to one vendor when asked (sources, vendors and totals alike)."""
    if not isinstance(run_summary, Mapping):
        run_summary = (run_summary.for_vendor(vendor) if vendor is not None else run_summary).to_dict()
    data: dict[str, Any] = dict(run_summary)
    if vendor is None:
        return data
    sources = [s for s in data.get("sources", []) if s.get("vendor") == vendor]
    if len(sources) != len(data.get("sources", [])) or any(
        v.get("vendor") != vendor for v in data.get("vendors", [])
    ):
        # A plain dict that still holds other vendors: keep this vendor's part only.
        sums = {k: sum(int(s.get(k if k != "files" else "files_total") or 0) for s in sources) for k in _SUMS}
        rows, err = sums["rows"], sums["error_rows"]
        totals: dict[str, Any] = {
            **sums,
            "sources": len(sources),
            "sources_breached": sum(1 for s in sources if not s.get("ok")),
            "readiness": (rows - err) / rows if rows else None,
        }
        data = {
            **data,
            "sources": sources,
            "vendors": [v for v in data.get("vendors", []) if v.get("vendor") == vendor],
            "totals": totals,
            "notes": [],
        }
    return data


def source_status(s: Mapping[str, Any]) -> str:
    """red when a threshold is breached, amber when it holds but errors remain, else green."""
    if not s.get("ok"):
        return "red"
    if s.get("errors") or s.get("unreadable"):
        return "amber"
    return "green"


def _metric_value(metric: str, value: Any) -> str:
    if value is None:
        return "-"
    if metric == "readiness" and isinstance(value, int | float):
        return pct(value)
    if isinstance(value, bool):
        return yes_no(value)
    return f"{value:,}" if isinstance(value, int) else str(value)


def breach_summary(breaches: Sequence[Mapping[str, Any]]) -> str:
    """`移行可能率 97.50% (基準 99.00%); …`: each breached threshold with its value and limit."""
    return "; ".join(
        f"{metric_label(str(b.get('metric')))} {_metric_value(str(b.get('metric')), b.get('value'))}"
        f" ({t('基準', 'limit')} {_metric_value(str(b.get('metric')), b.get('limit'))})"
        for b in breaches
    )


def title_of_run(data: Mapping[str, Any], vendor: str | None) -> str:
    run = data.get("run", {})
    name = run.get("title") or run.get("suite") or ""
    title = t("夜間検証ダッシュボード", "Nightly validation dashboard") + (f" — {name}" if name else "")
    return title + (f" — {vendor}" if vendor else "")


def meta_line(data: Mapping[str, Any]) -> str:
    run = data.get("run", {})
    return t(
        "基準日 {a} · 実行 #{i} ({s} – {f}) · 状態 {st} · migrate {v}",
        "as of {a} · run #{i} ({s} – {f}) · {st} · migrate {v}",
        a=run.get("as_of", "-"),
        i=run.get("id", "-"),
        s=iso_stamp(run.get("started_at")),
        f=iso_stamp(run.get("finished_at")),
        st=run.get("status", "-"),
        v=run.get("tool_version", "-"),
    )


@dataclass(frozen=True)
class Sparkline:
    width: int
    height: int
    points: str
    colour: str


def sparkline(trend: Sequence[Mapping[str, Any]], width: int = 120, height: int = 24) -> Sparkline | None:
    """Readiness over the last runs as the points of a small inline SVG (None for fewer than two)."""
    points = [p.get("readiness") for p in trend]
    values = [float(v) for v in points if isinstance(v, int | float)]
    if len(values) < 2:
        return None
    lo = min(min(values), 0.9)
    span = max(1e-9, 1.0 - lo)
    step = (width - 4) / (len(values) - 1)
    coords = " ".join(
        f"{2 + i * step:.1f},{2 + (height - 4) * (1 - (v - lo) / span):.1f}" for i, v in enumerate(values)
    )
    colour = COLOURS["green"] if values[-1] >= values[0] else COLOURS["red"]
    return Sparkline(width, height, coords, colour)


@dataclass(frozen=True)
class Counts:
    """What a vendor's, a source's and a file's line all carry (see _counts)."""

    rows: int
    errors: int
    warnings: int
    readiness: float | None
    new: int
    fixed: int
    still_failing: int


@dataclass(frozen=True)
class VendorRow(Counts):
    """One vendor's line of the vendor tables (terminal, HTML and Excel alike)."""

    vendor: str | None
    sources: int
    sources_breached: int
    files: int
    ok: bool


_COUNTS = ("rows", "errors", "warnings", "new", "fixed", "still_failing")


def _counts(d: Mapping[str, Any]) -> dict[str, Any]:
    """The counts every row of a vendor, source or file carries (0 when absent), and its readiness."""
    return {**{k: d.get(k, 0) for k in _COUNTS}, "readiness": d.get("readiness")}


def vendor_rows(vendors: Iterable[Mapping[str, Any]]) -> tuple[VendorRow, ...]:
    return tuple(
        VendorRow(
            vendor=v.get("vendor"),
            sources=v.get("sources", 0),
            sources_breached=v.get("sources_breached", 0),
            files=v.get("files", 0),
            ok=bool(v.get("ok")),
            **_counts(v),
        )
        for v in vendors
    )


@dataclass(frozen=True)
class GaijiRow:
    codepoint: str | None
    cp932: str | None
    count: int | None
    items: Any  # the item ids, as recorded


@dataclass(frozen=True)
class FileRow(Counts):
    path: str
    name: str
    status: str  # new | changed | revalidated | carried | unreadable
    state: str  # its label
    error_rows: int
    complete: bool | None
    encoding: str | None
    spec: str | None
    mapping: str | None
    message: str  # scrubbed
    validated_in_run: Any
    columns: Mapping[tuple[str | None, str | None], str | None]  # (code, item) → legacy column
    gaiji: tuple[GaijiRow, ...]
    href: str | None = None  # its own report, relative to the dashboard

    @property
    def changes(self) -> str:
        return f"{self.new} / {self.fixed} / {self.still_failing}"


@dataclass(frozen=True)
class RuleRow:
    code: str
    title: str
    item: str | None
    severity: str | None
    severity_label: str
    new: int
    fixed: int
    still_failing: int


@dataclass(frozen=True)
class TrendPoint:
    run_id: Any
    as_of: Any
    readiness: float | None
    rows: int | None
    errors: int | None
    warnings: int | None
    new: int | None
    fixed: int | None
    ok: bool


@dataclass(frozen=True)
class SourceView(Counts):
    id: str
    title: str  # its title, else its id
    vendor: str | None
    business: str | None
    entity: str | None
    spec: str  # its spec, else business/entity
    mapping: str
    previous_run: Any
    files_total: int
    unreadable: int
    breaches: str
    status: str
    trend: tuple[TrendPoint, ...]
    sparkline: Sparkline | None
    files: tuple[FileRow, ...]
    rules: tuple[RuleRow, ...]
    removed: str

    @property
    def business_entity(self) -> str:
        return f"{self.business}/{self.entity}"

    @property
    def changes(self) -> str:
        return f"{self.new} / {self.fixed} / {self.still_failing}"

    @property
    def linked(self) -> bool:
        return any(f.href for f in self.files)


@dataclass(frozen=True)
class Totals:
    sources: int
    sources_breached: int
    files: int
    readiness: float | None
    errors: int
    new: int
    fixed: int


@dataclass(frozen=True)
class DashboardView:
    title: str
    meta: str
    generated: dt.datetime
    vendor: str | None  # the vendor-scoped dashboard's vendor
    ok: bool | None
    run: Mapping[str, Any]
    totals: Totals
    vendors: tuple[VendorRow, ...]  # empty on a vendor's own dashboard
    sources: tuple[SourceView, ...]
    notes: tuple[str, ...]

    @property
    def overall(self) -> str:
        return "green" if self.ok else ("red" if self.ok is False else "amber")

    @property
    def overall_label(self) -> str:
        if self.ok is None:
            return t("未完了", "incomplete")
        return t("基準を満たす", "thresholds held") if self.ok else t("基準未達あり", "thresholds breached")


def file_row(f: Mapping[str, Any], href: str | None = None) -> FileRow:
    return FileRow(
        path=f["path"],
        name=Path(f["path"]).name,
        status=f.get("status", ""),
        state=delivery_label(f.get("status", "")),
        error_rows=f.get("error_rows", 0),
        complete=f.get("complete"),
        **_counts(f),
        encoding=f.get("encoding"),
        spec=f.get("spec"),
        mapping=f.get("mapping"),
        message=scrub_my_number(f.get("message")) or "",
        validated_in_run=f.get("validated_in_run"),
        columns={(c.get("code"), c.get("item")): c.get("column") for c in f.get("counts", [])},
        gaiji=tuple(
            GaijiRow(g.get("codepoint"), g.get("cp932"), g.get("count"), g.get("items"))
            for g in f.get("gaiji", [])
        ),
        href=href,
    )


def source_view(s: Mapping[str, Any], links: Mapping[tuple[str, str], str] | None = None) -> SourceView:
    links = links or {}
    trend = tuple(
        TrendPoint(
            p.get("run_id"),
            p.get("as_of"),
            p.get("readiness"),
            p.get("rows"),
            p.get("errors"),
            p.get("warnings"),
            p.get("new"),
            p.get("fixed"),
            bool(p.get("ok")),
        )
        for p in s.get("trend", [])
    )
    return SourceView(
        id=s["id"],
        title=s.get("title") or s["id"],
        vendor=s.get("vendor"),
        business=s.get("business"),
        entity=s.get("entity"),
        spec=s.get("spec") or f"{s.get('business')}/{s.get('entity')}",
        mapping=s.get("mapping") or "-",
        previous_run=s.get("previous_run") or "-",
        files_total=s.get("files_total", 0),
        unreadable=s.get("unreadable", 0),
        **_counts(s),
        breaches=breach_summary(s.get("breaches", [])),
        status=source_status(s),
        trend=trend,
        sparkline=sparkline(s.get("trend", [])),
        files=tuple(file_row(f, links.get((s["id"], f["path"]))) for f in s.get("files", [])),
        rules=tuple(
            RuleRow(
                code=r["code"],
                title=title_of(r["code"]),
                item=r.get("item"),
                severity=r.get("severity"),
                severity_label=severity_label(r.get("severity")),
                new=r.get("new", 0),
                fixed=r.get("fixed", 0),
                still_failing=r.get("still_failing", 0),
            )
            for r in s.get("by_rule", [])
        ),
        removed=", ".join(Path(p).name for p in s.get("removed_files") or []),
    )


def build_view(
    data: Mapping[str, Any],
    *,
    vendor: str | None = None,
    generated: dt.datetime,
    links: Mapping[tuple[str, str], str] | None = None,
) -> DashboardView:
    """The dashboard of run data (run_data), scoped to `vendor` when given.

    links: (source id, file path) → the relative address of that file's own report.
    """
    totals = data.get("totals", {})
    return DashboardView(
        title=title_of_run(data, vendor),
        meta=meta_line(data),
        generated=generated,
        vendor=vendor,
        ok=data.get("ok"),
        run=data.get("run", {}),
        totals=Totals(
            sources=totals.get("sources", 0),
            sources_breached=totals.get("sources_breached", 0),
            files=totals.get("files", 0),
            readiness=totals.get("readiness"),
            errors=totals.get("errors", 0),
            new=totals.get("new", 0),
            fixed=totals.get("fixed", 0),
        ),
        vendors=() if vendor else vendor_rows(data.get("vendors", [])),
        sources=tuple(source_view(s, links) for s in data.get("sources", [])),
        notes=tuple(str(scrub_my_number(str(n))) for n in data.get("notes") or []),
    )
