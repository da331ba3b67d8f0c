"""`plan import`: read a WBS kept in Excel into a plan, with a configurable column layout.

Errors name the workbook and the cell (`WBS!F12`) so the PMO can fix the workbook and import again.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from migrate.errors import ConfigError, InputError
from migrate.i18n import t
from migrate.plan.catalog import BusinessInfo
from migrate.plan.load import plan_issues
from migrate.plan.model import Business, Milestone, Municipality, Plan, _Frozen
from migrate.yamlfile import check_kind, load_yaml, pydantic_error

LAYOUT_KIND = "migrate/plan-import-layout"
FIELDS = (
    "business",
    "id",
    "name",
    "step",
    "phase",
    "duration",
    "planned_start",
    "planned_finish",
    "actual_start",
    "actual_finish",
    "progress",
    "status",
    "depends_on",
    "vendor",
    "deadline",
    "deadline_reason",
)
_LETTERS = re.compile(r"^[A-Z]{1,3}$")
_SPLIT = re.compile(r"[,、，\s]+")


class Columns(_Frozen):
    business: str
    id: str
    name: str
    step: str | None = None
    phase: str | None = None
    duration: str | None = None
    planned_start: str | None = None
    planned_finish: str | None = None
    actual_start: str | None = None
    actual_finish: str | None = None
    progress: str | None = None
    status: str | None = None
    depends_on: str | None = None
    vendor: str | None = None
    deadline: str | None = None
    deadline_reason: str | None = None


class Layout(_Frozen):
    kind: Literal["migrate/plan-import-layout"]
    format: Literal[1]
    sheet: str | None = None
    header_row: int = Field(default=1, ge=1)
    columns: Columns
    business_names: dict[str, str] = Field(default_factory=dict)


def default_layout_path() -> Path:
    return Path(str(resources.files("migrate") / "data" / "plan-import-layout.yaml"))


def load_layout(path: str | Path | None = None) -> Layout:
    doc = load_yaml(path or default_layout_path())
    check_kind(doc, LAYOUT_KIND)
    try:
        return Layout.model_validate(doc.data)
    except ValidationError as exc:
        raise pydantic_error(doc, exc) from None


def _norm(text: object) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip() if text is not None else ""


def _letter(col: int) -> str:
    out = ""
    while col:
        col, r = divmod(col - 1, 26)
        out = chr(65 + r) + out
    return out


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


class _Cell:
    def __init__(self, workbook: Path, sheet: str) -> None:
        self.workbook, self.sheet = workbook, sheet

    def error(self, row: int, col: int | None, message: str, hint: str | None = None) -> ConfigError:
        where = f"{self.sheet}!{_letter(col)}{row}" if col else f"{self.sheet}!{row}"
        return ConfigError(message, path=self.workbook, key=where, hint=hint)


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(_norm(value).replace("/", "-").replace(".", "-"))


def _number(value: Any) -> float:
    if isinstance(value, (int, float)):
        return float(value)
    return float(_norm(value).rstrip("%").replace(",", ""))


def import_workbook(
    workbook: str | Path,
    layout: Layout,
    *,
    municipality: str,
    lg_code: str,
    catalog: Mapping[str, BusinessInfo],
    start: dt.date | None = None,
    deadline_milestones: tuple[str, ...] = (),
    strict: bool = True,
) -> Plan:
    """Read the WBS sheet into a plan; raises ConfigError naming the cell of the first problem.

    strict: every column the layout names must exist (off for the default layout, whose optional
    columns a workbook may lack).
    """
    from openpyxl import load_workbook

    path = Path(workbook)
    if not path.is_file():
        raise InputError(t("ファイルがありません", "file not found"), path=path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a file that is not xlsx
        raise InputError(
            t(
                "Excel ブック (.xlsx) として読めません: {e}",
                "cannot read as an Excel workbook (.xlsx): {e}",
                e=exc,
            ),
            path=path,
        ) from None
    try:
        if layout.sheet and layout.sheet not in wb.sheetnames:
            raise ConfigError(
                t("シート {s} がありません", "no sheet named {s}", s=layout.sheet),
                path=path,
                hint=t("あるシート: {l}", "sheets: {l}", l=", ".join(wb.sheetnames)),
            )
        ws = wb[layout.sheet] if layout.sheet else wb.worksheets[0]
        rows = list(ws.iter_rows(min_row=layout.header_row, values_only=False))
    finally:
        wb.close()
    cell = _Cell(path, ws.title)
    if not rows:
        raise cell.error(layout.header_row, None, t("見出し行がありません", "no header row"))
    headers = {_norm(c.value): c.column for c in rows[0] if c.value is not None and hasattr(c, "column")}
    where: dict[str, int] = {}
    for name in FIELDS:
        title = getattr(layout.columns, name)
        if title is None:
            continue
        title_n = _norm(title)
        if title_n in headers:
            where[name] = headers[title_n]
        elif _LETTERS.match(title_n):
            where[name] = _col_index(title_n)
        elif not strict and name not in ("business", "id", "name"):
            continue  # the default layout names every column a WBS might have
        else:
            raise cell.error(
                layout.header_row,
                None,
                t(
                    "列 {c} ({f}) が見出し行にありません",
                    "column {c} ({f}) is not in the header row",
                    c=title,
                    f=name,
                ),
                hint=t("見出し: {l}", "headers: {l}", l=", ".join(headers)),
            )
    labels = {b.id: b.id for b in catalog.values()} | {_norm(b.name_ja): b.id for b in catalog.values()}
    labels |= {_norm(k): v for k, v in layout.business_names.items()}

    businesses: dict[str, dict[str, Any]] = {}
    rows_of: dict[tuple[str, int], int] = {}
    for row in rows[1:]:
        values: dict[str, tuple[Any, int, str]] = {}
        row_no = 0
        for c in row:
            if not hasattr(c, "column"):
                continue
            row_no = c.row or row_no
            for name, col in where.items():
                if c.column == col and c.value is not None and _norm(c.value) != "":
                    values[name] = (c.value, col, str(getattr(c, "number_format", "") or ""))
        if "id" not in values and "name" not in values:
            continue  # a blank or a heading row
        for required in ("business", "id", "name"):
            if required not in values:
                raise cell.error(row_no, where[required], t("{f} が空です", "{f} is empty", f=required))
        label, bcol, _ = values["business"]
        business_id = labels.get(_norm(label))
        if business_id is None:
            raise cell.error(
                row_no,
                bcol,
                t("業務 {b} が分かりません", "unknown business {b}", b=label),
                hint=t(
                    "業務 id か名称を書くか、レイアウトの business_names に追加してください",
                    "write the business id or name, or add it to the layout's business_names",
                ),
            )
        b = businesses.setdefault(business_id, {"id": business_id, "milestones": []})
        milestone: dict[str, Any] = {}
        for name, (value, col, number_format) in values.items():
            try:
                if name in ("planned_start", "planned_finish", "actual_start", "actual_finish", "deadline"):
                    parsed: Any = _date(value)
                elif name in ("duration", "step"):
                    parsed = int(_number(value))
                elif name == "progress":
                    parsed = _number(value)
                    if isinstance(value, (int, float)) and "%" in number_format:
                        parsed *= 100  # a percent-formatted cell holds 0.4 for 40%
                elif name == "depends_on":
                    parsed = tuple(d for d in _SPLIT.split(_norm(value)) if d)
                else:
                    parsed = _norm(value)
            except ValueError:
                raise cell.error(
                    row_no,
                    col,
                    t("{f} の値 {v!r} を読めません", "cannot read {f} value {v!r}", f=name, v=value),
                ) from None
            if name in ("vendor", "deadline", "deadline_reason"):
                b.setdefault(name, parsed)
            elif name != "business":
                milestone[name] = parsed
        rows_of[(business_id, len(b["milestones"]))] = row_no
        b["milestones"].append(milestone)
    if not businesses:
        raise cell.error(layout.header_row + 1, None, t("作業行がありません", "no task rows"))
    try:
        plan_businesses = tuple(
            Business(
                **{k: v for k, v in b.items() if k != "milestones"},
                name=catalog[b["id"]].name_ja if b["id"] in catalog else None,
                special_support=bool(b.get("deadline") and b.get("deadline_reason")),
                milestones=tuple(Milestone(**m) for m in b["milestones"]),
            )
            for b in businesses.values()
        )
    except ValidationError as exc:
        from migrate.yamlfile import pydantic_message

        err = exc.errors()[0]
        raise ConfigError(
            t("取り込んだ値が不正です: {m}", "an imported value is invalid: {m}", m=pydantic_message(err)),
            path=path,
            key=f"{ws.title} ({'.'.join(map(str, err['loc']))})",
        ) from None
    dates = [
        d
        for b in plan_businesses
        for m in b.milestones
        for d in (m.planned_start, m.actual_start)
        if d is not None
    ]
    if start is None and not dates:
        raise ConfigError(
            t("開始日が分かりません", "cannot tell when the plan starts"),
            path=path,
            hint=t("--start で指定してください", "pass --start"),
        )
    plan = Plan(
        municipality=Municipality(name=municipality, lg_code=lg_code),
        start=start or min(dates),
        deadline_milestones=deadline_milestones,
        template=f"import:{path.name}",
        businesses=plan_businesses,
    )
    issues = plan_issues(plan, set(catalog))
    if issues:
        first = issues[0]
        keys = first.keys
        at: int | None = None
        if len(keys) >= 4 and keys[0] == "businesses" and keys[2] == "milestones":
            bid = plan.businesses[int(keys[1])].id
            at = rows_of.get((bid, int(keys[3])))
        if at is not None:
            raise cell.error(at, None, first.message, first.hint)
        raise ConfigError(first.message, path=path, key=".".join(map(str, keys)) or None, hint=first.hint)
    return plan
