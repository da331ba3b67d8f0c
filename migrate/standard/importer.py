"""Import a 基本データリスト-style Excel workbook into a spec: layout, mapping, problems as data.

The layout (``kind: migrate/import-layout``) says where the heading row is and which heading holds
which spec attribute; the default one (migrate/data/import-layout-default.yaml) reads the official
基本データリスト layout as デジタル庁 publishes it (凡例）列項目説明): a two-row heading (グループ →
名称 / 主キー / 外部キー), the データ項目ID in two cells (3-digit business code + serial), データ型
X / Ｎ / 9 / 9V / S9 / BLOB / YEAR / DATE / TIME, the 条件付き必須 condition after ※※ in 項目説明,
and the コード一覧（個別） sheet as code tables. Rows that cannot be mapped are reported with sheet,
row and heading and left out; the result is validated with the spec model before anything is written.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from migrate import __version__
from migrate.errors import ConfigError, InputError, UsageError
from migrate.i18n import t
from migrate.standard.model import ID_RE, Charset, CodeTable, ItemType, Required, Spec
from migrate.yamlfile import check_kind, load_yaml, pydantic_error

DEFAULT_LAYOUT = Path(__file__).resolve().parents[1] / "data" / "import-layout-default.yaml"

Attribute = Literal[
    "id",
    "std_id",
    "name_ja",
    "name_en",
    "romaji",
    "type",
    "max_length",
    "min_length",
    "required",
    "condition",
    "code_table",
    "repeat",
    "description",
    "definition",
    "explanation",
    "std_ref",
    "key",
    "foreign_key",
]
CodeAttribute = Literal["id", "name", "value", "label"]

# Official file names: 001_住民基本台帳_基本データリスト【第2.1版】_20230929.xlsx
FILE_NAME_RE = re.compile(
    r"^(?P<code>\d{3})_(?P<name>[^_【]+)_(?P<title>[^【]*)(?:【第(?P<version>[\d.]+)版】)?(?:_(?P<date>\d{8}))?"
)
VERSION_IN_TITLE_RE = re.compile(r"第(?P<version>\d+(?:\.\d+)*)版")
NAME_IN_TITLE_RE = re.compile(r"[（(](?P<name>[^）)]+)[）)]")
LENGTH_RE = re.compile(r"^(?P<n>\d+)(?:[,.](?P<scale>\d+))?(?P<unit>桁|文字|バイト|bytes?|b)?$")  # on norm()
# Types whose 桁数 the checks cannot use (the format fixes the length) or that hold no text.
NO_LENGTH = ("date", "datetime", "flag", "time", "year", "blob")


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TypeTarget(_Frozen):
    type: ItemType
    charset: Charset | None = None
    unsigned: bool = False  # 9 / 9V: no sign
    digits: bool = False  # 桁数 counts digits (9 / 9V "n,m" / S9), not characters


class ValueMaps(_Frozen):
    type: dict[str, ItemType | TypeTarget] = Field(default_factory=dict)
    required: dict[str, Required] = Field(default_factory=dict)
    key: list[str] = Field(default_factory=list)


class CodeLists(_Frozen):
    """Sheets listing the code values (コード一覧（個別）): one table per コードID."""

    sheets: list[str]  # sheet names starting with one of these (after NFKC, spaces removed)
    columns: dict[CodeAttribute, list[str]]
    # コード名 meaning "the municipality's own codes" (コードID 999 自治体固有コード): no closed list
    municipal: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> CodeLists:
        missing = {"id", "value"} - set(self.columns)
        if missing:
            raise ValueError(f"code_lists.columns must name {sorted(missing)}")
        return self


class Layout(_Frozen):
    """Where a workbook keeps the data items and what its words mean."""

    kind: Literal["migrate/import-layout"]
    format: Literal[1]
    name: str | None = None
    header_row: int | Literal["auto"] = "auto"
    scan_rows: int = Field(default=30, ge=1)
    min_headers: int = Field(default=3, ge=1)
    sheets: list[str] = Field(default_factory=list)
    exclude_sheets: list[str] = Field(default_factory=list)  # prefixes of sheet names
    entity_column: list[str] = Field(default_factory=list)
    entity_ids: dict[str, str] = Field(default_factory=dict)
    columns: dict[Attribute, list[str]]
    values: ValueMaps = Field(default_factory=ValueMaps)
    code_lists: CodeLists | None = None
    # 項目説明: the 条件付き必須 condition follows this mark; words that allow 不詳 dates in a DATE item
    condition_marker: str | None = None
    lenient_date_words: list[str] = Field(default_factory=list)
    # データ項目ID in two cells (3-digit business code + serial): the serial's width in the 8-digit ID
    std_id_serial_digits: int = Field(default=5, ge=1)

    @model_validator(mode="after")
    def _check(self) -> Layout:
        if isinstance(self.header_row, int) and self.header_row < 1:
            raise ValueError("header_row must be 1 or more, or auto")
        if "name_ja" not in self.columns and "id" not in self.columns:
            raise ValueError("columns must name at least name_ja (項目名称) or id")
        for name, eid in self.entity_ids.items():
            if not re.match(ID_RE, eid):
                raise ValueError(f"entity id {eid!r} for {name!r} must match {ID_RE}")
        return self


def norm(text: object) -> str:
    """Comparable form of a heading or value: NFKC, no spaces or line breaks, lower case."""
    s = unicodedata.normalize("NFKC", "" if text is None else str(text))
    return re.sub(r"\s+", "", s).lower()


def load_layout(path: str | Path | None = None) -> Layout:
    p = Path(path) if path is not None else DEFAULT_LAYOUT
    doc = load_yaml(p)
    check_kind(doc, "migrate/import-layout")
    try:
        return Layout.model_validate(doc.data)
    except ValidationError as exc:
        raise pydantic_error(doc, exc) from None


@dataclass
class Problem:
    """A row or value the importer could not use: where, what, and what it did about it."""

    sheet: str
    row: int
    column: str | None  # column letter
    message: str
    action: Literal["skipped-row", "ignored-value", "skipped-sheet"]
    heading: str | None = None  # the column's heading as the workbook writes it (桁数)

    def to_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "heading": self.heading,
            "message": self.message,
            "action": self.action,
        }

    def where(self) -> str:
        """「シート X の 12 行目、桁数」 / "sheet X, row 12, 桁数": as a person reads the workbook."""
        if not self.row:
            return t("シート {s}", "sheet {s}", s=self.sheet)
        text = t("シート {s} の {r} 行目", "sheet {s}, row {r}", s=self.sheet, r=self.row)
        if self.heading or self.column:
            text += t("、", ", ") + (self.heading or self.column or "")
        return text

    def render(self) -> str:
        cell = f" ({self.sheet}!{self.column or ''}{self.row})" if self.row else ""
        return f"{self.where()}{cell}: {self.message} ({self.action})"


@dataclass
class ImportResult:
    spec: Spec
    data: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    sheets: list[str] = field(default_factory=list)
    code_tables: list[dict[str, Any]] = field(default_factory=list)  # code-table documents to write

    def summary(self) -> dict[str, Any]:
        return {
            "spec": self.spec.key,
            "entities": [
                {"id": e.id, "name_ja": e.name_ja, "items": len(e.items)} for e in self.spec.entities
            ],
            "items": sum(len(e.items) for e in self.spec.entities),
            "rows_read": self.rows_read,
            "sheets": self.sheets,
            "code_tables": [c["id"] for c in self.code_tables],
            "problems": [p.to_dict() for p in self.problems],
        }


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    # Text is kept as written (全角括弧 in names stay); matching uses norm().
    return str(value).strip()


def _col_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _slug(text: str) -> str | None:
    s = re.sub(r"[^a-z0-9]+", "_", norm(text)).strip("_")
    if not s:
        return None
    if not s[0].isalpha():
        s = f"x{s}"
    return s if re.match(ID_RE, s) else None


def _code_key(value: object) -> str:
    """A コードID as written in either sheet ('002', 2, '2') → one comparable key ('2')."""
    text = norm(_cell_text(value))
    return str(int(text)) if text.isdigit() else text


# -- headings --------------------------------------------------------------------------------------


@dataclass
class Heading:
    """The heading of one sheet: where it is, how many rows it takes, the text of each column."""

    row: int  # 0-based index of its first row
    depth: int  # 1 or 2 rows
    labels: list[list[str]]  # per column: the texts to match, most specific first
    written: list[str]  # per column: the heading as a person reads it (グループ 主キー)
    spans: dict[int, list[int]]  # column → the unnamed columns right of it under the same heading


def _is_subheading(top: Sequence[object], sub: Sequence[object]) -> bool:
    """Is sub the second row of a two-row heading (グループ → 名称 / 主キー / 外部キー)?

    Every value of sub must sit under a heading that spans several columns (its top cell is empty,
    or the next top cell is), and a heading cell of top that stands alone must have nothing below.
    A data row always has values under single-column headings, so it never qualifies.
    """
    n = max(len(top), len(sub))
    tops = [_cell_text(top[c]) if c < len(top) else "" for c in range(n)]
    subs = [_cell_text(sub[c]) if c < len(sub) else "" for c in range(n)]
    if not any(subs):
        return False
    for c in range(n):
        if not subs[c]:
            continue
        if not isinstance(sub[c], str) or not any(tops[: c + 1]):
            return False
        if tops[c] and c + 1 < n and tops[c + 1]:
            return False  # a single-column heading with a value below: data
    return True


def _heading(rows: list[tuple[object, ...]], i: int) -> Heading:
    top = rows[i]
    sub = rows[i + 1] if i + 1 < len(rows) else ()
    two = _is_subheading(top, sub)
    n = max(len(top), len(sub) if two else 0)
    labels: list[list[str]] = []
    written: list[str] = []
    spans: dict[int, list[int]] = {}
    group = ""
    owner: int | None = None
    for c in range(n):
        tp = _cell_text(top[c]) if c < len(top) else ""
        sb = _cell_text(sub[c]) if two and c < len(sub) else ""
        if tp:
            group, owner = tp, c
        if sb:
            labels.append([f"{group}{sb}", f"{group}_{sb}", sb])
            written.append(f"{group} {sb}")
            owner = None
        elif tp:
            labels.append([tp])
            written.append(tp)
        else:
            labels.append([])
            written.append("")
            if owner is not None:
                spans.setdefault(owner, []).append(c)
    return Heading(i, 2 if two else 1, labels, written, spans)


class _Mapper:
    """Turns the rows of one workbook into entity dicts, collecting problems."""

    def __init__(
        self,
        layout: Layout,
        code_tables: Mapping[str, CodeTable],
        existing: Spec | None,
        workbook_codes: Mapping[str, dict[str, Any]] | None = None,
        source_name: str = "",
    ) -> None:
        self.layout = layout
        self.code_tables = code_tables
        self.existing = existing
        self.workbook_codes = workbook_codes or {}
        self.source_name = source_name
        self.problems: list[Problem] = []
        self.aliases = {attr: {norm(h) for h in heads} for attr, heads in layout.columns.items()}
        self.entity_aliases = {norm(h) for h in layout.entity_column}
        self.types = {norm(k): v for k, v in layout.values.type.items()}
        self.required = {norm(k): v for k, v in layout.values.required.items()}
        self.key_words = {norm(k) for k in layout.values.key}
        self.entity_ids = {norm(k): v for k, v in layout.entity_ids.items()}
        self.lenient_words = [norm(w) for w in layout.lenient_date_words]
        # Names shared by several tables (性別 of juki and of atena) resolve to the current spec's own
        # table first, then to a table named exactly so, then to the first by id.
        self.tables_by_name: dict[str, str] = {tid: tid for tid in code_tables}
        own = {it.code_table for e in existing.entities for it in e.items} if existing is not None else set()
        for tid, table in sorted(code_tables.items(), key=lambda kv: (kv[0] not in own, kv[0])):
            for name in (table.name_ja, table.name_en):
                self.tables_by_name.setdefault(norm(name), tid)
        for tid, table in sorted(code_tables.items(), key=lambda kv: (kv[0] not in own, kv[0])):
            for name in (tid, table.name_ja, table.name_en):
                for suffix in ("コード表", "コード"):
                    self.tables_by_name.setdefault(norm(f"{name}{suffix}"), tid)
        self.entities: dict[str, dict[str, Any]] = {}  # name → entity dict in progress
        self.used_codes: dict[str, str] = {}  # workbook コードID → romaji of the first item using it
        self.rows_read = 0

    # -- headings ---------------------------------------------------------------------------
    def header_map(self, labels: Sequence[Sequence[str]]) -> tuple[dict[str, int], int | None]:
        """attribute → column index, and the entity column index, for a heading."""
        found: dict[str, int] = {}
        entity_col = None
        for i, texts in enumerate(labels):
            for text in texts:
                n = norm(text)
                if not n:
                    continue
                if n in self.entity_aliases and entity_col is None:
                    entity_col = i
                    break
                attr = next((a for a, names in self.aliases.items() if n in names and a not in found), None)
                if attr is not None:
                    found[attr] = i
                    break
        return found, entity_col

    def find_header(self, rows: list[tuple[object, ...]]) -> Heading | None:
        """The heading of a sheet (one or two rows), found or at the layout's row."""
        hr = self.layout.header_row
        if isinstance(hr, int):
            return _heading(rows, hr - 1) if hr - 1 < len(rows) else None
        for i in range(min(self.layout.scan_rows, len(rows))):
            heading = _heading(rows, i)
            found, _ = self.header_map(heading.labels)
            if len(found) >= min(self.layout.min_headers, len(self.aliases)) and (
                "name_ja" in found or "id" in found
            ):
                return heading
        return None

    # -- entities and ids -------------------------------------------------------------------
    def entity_for(self, name: str) -> dict[str, Any]:
        if name in self.entities:
            return self.entities[name]
        eid = self.entity_ids.get(norm(name))
        name_en = name
        known = None
        if self.existing is not None:
            known = next(
                (e for e in self.existing.entities if norm(e.name_ja) == norm(name) or e.id == eid), None
            )
        if known is not None:
            eid = eid or known.id
            name_en = known.name_en
        eid = eid or _slug(name)
        taken = {e["id"] for e in self.entities.values()}
        if not eid or eid in taken:
            n = len(self.entities) + 1
            while f"entity_{n}" in taken:
                n += 1
            eid = f"entity_{n}"
        ent: dict[str, Any] = {
            "id": eid,
            "name_ja": name,
            "name_en": name_en,
            "primary_key": [],
            "items": [],
            "_known": known,
        }
        self.entities[name] = ent
        return ent

    def _known_item(self, ent: dict[str, Any], std_id: str, name_ja: str) -> Any:
        known = ent["_known"]
        if known is None:
            return None
        for it in known.items:
            if std_id and it.std_id == std_id:
                return it
        for it in known.items:
            if name_ja and norm(it.name_ja) == norm(name_ja):
                return it
        return None

    def _item_id(self, ent: dict[str, Any], raw_id: str, std_id: str, known: Any, n: int) -> str:
        taken = {i["id"] for i in ent["items"]}
        candidates = [
            _slug(raw_id) if raw_id else None,
            known.id if known is not None else None,
            f"item_{s}" if (s := re.sub(r"[^a-z0-9]+", "_", norm(std_id)).strip("_")) else None,
        ]
        base = next((c for c in candidates if c), None) or f"item_{n:04d}"
        iid, k = base, 2
        while iid in taken:
            iid = f"{base}_{k}"
            k += 1
        return iid

    def std_id(self, row: Sequence[object], cols: dict[str, int], heading: Heading) -> str:
        """The データ項目ID: one cell, or two (3-digit business code + serial → 8 digits)."""
        i = cols.get("std_id")
        if i is None or i >= len(row):
            return ""
        first = row[i]
        rest = [row[c] for c in heading.spans.get(i, []) if c < len(row) and _cell_text(row[c])]
        code = _cell_text(first)
        if rest and re.fullmatch(r"\d{1,3}", code) and re.fullmatch(r"\d+", _cell_text(rest[0])):
            serial = _cell_text(rest[0]).zfill(self.layout.std_id_serial_digits)
            return f"{code.zfill(3)}{serial}"
        return code

    # -- one row -----------------------------------------------------------------------------
    def map_row(
        self,
        sheet: str,
        rownum: int,
        row: Sequence[object],
        cols: dict[str, int],
        ent_name: str,
        heading: Heading,
    ) -> None:
        def get(attr: str) -> str:
            i = cols.get(attr)
            return _cell_text(row[i]) if i is not None and i < len(row) else ""

        def col(attr: str) -> str | None:
            i = cols.get(attr)
            return _col_letter(i) if i is not None else None

        def problem(attr: str | None, msg: str, action: Literal["skipped-row", "ignored-value"]) -> None:
            i = cols.get(attr) if attr else None
            written = heading.written[i] if i is not None and i < len(heading.written) else None
            self.problems.append(Problem(sheet, rownum, col(attr) if attr else None, msg, action, written))

        name_ja = get("name_ja")
        romaji = get("romaji")
        raw_id = get("id") or romaji
        std_id = self.std_id(row, cols, heading)
        type_text = get("type")
        if not (name_ja or raw_id):
            if any(_cell_text(v) for v in row):
                problem("name_ja", t("項目名がありません", "no item name"), "skipped-row")
            return
        if "std_id" in cols and not std_id and (not type_text or norm(type_text) not in self.types):
            problem(
                "std_id",
                t(
                    "データ項目ID がなく、データ型 {v!r} も読めない行です (項目として読みません)",
                    "a row without データ項目ID and with no known データ型 {v!r} (not read as an item)",
                    v=type_text,
                ),
                "skipped-row",
            )
            return
        self.rows_read += 1
        ent = self.entity_for(ent_name)
        known = self._known_item(ent, std_id, name_ja)
        target = self.types.get(norm(type_text)) if type_text else None
        item: dict[str, Any] = {}
        if target is None:
            if not type_text and known is not None:
                item["type"] = known.type.value
            else:
                problem(
                    "type",
                    t(
                        "型 {v!r} を対応付けられません (レイアウトの values.type に追加してください)",
                        "cannot map type {v!r} (add it to values.type of the layout)",
                        v=type_text,
                    ),
                    "skipped-row",
                )
                return
        elif isinstance(target, TypeTarget):
            item["type"] = target.type.value
            if target.charset:
                item["charset"] = target.charset.value
            if target.unsigned:
                item["unsigned"] = True
        else:
            item["type"] = target.value
        digits = isinstance(target, TypeTarget) and target.digits
        length_text = get("max_length")
        if length_text and item["type"] not in NO_LENGTH:
            m = LENGTH_RE.match(norm(length_text))
            if m is None:
                problem(
                    "max_length",
                    t("桁数 {v!r} を読めません", "cannot read length {v!r}", v=length_text),
                    "ignored-value",
                )
            elif digits:
                # 9 n: n digits (= characters, no sign); S9 n: n digits and a "-"; 9V "n,m": n before
                # the point, m after (凡例）列項目説明 桁数)
                item["integer_digits"] = int(m["n"])
                if m["scale"] is not None:
                    item["scale"] = int(m["scale"])
                    if item["type"] == "integer":
                        item["type"] = "decimal"
                elif item.get("unsigned") and item["type"] == "integer":
                    item["max_length"] = int(m["n"])
            else:
                item["max_length"] = int(m["n"])
                if m["unit"] in ("バイト", "byte", "bytes", "b"):
                    item["length_unit"] = "cp932-bytes"
                if m["scale"] is not None:
                    item["scale"] = int(m["scale"])
                    if item["type"] == "integer" and item["scale"] > 0:
                        item["type"] = "decimal"
        min_text = get("min_length")
        if min_text and "max_length" in item:
            if min_text.isdigit():
                item["min_length"] = int(min_text)
            else:
                problem(
                    "min_length",
                    t("最小桁数 {v!r} を読めません", "cannot read min length {v!r}", v=min_text),
                    "ignored-value",
                )
        req_text = get("required")
        req = self.required.get(norm(req_text)) if req_text else Required.optional
        if req is None:
            problem(
                "required",
                t(
                    "必須区分 {v!r} を対応付けられません (任意として扱います)",
                    "cannot map requirement {v!r} (taken as optional)",
                    v=req_text,
                ),
                "ignored-value",
            )
            req = Required.optional
        item["required"] = req.value
        description = get("description")
        explanation = get("explanation")
        notes: list[str] = []
        if req == Required.conditional:
            # The model needs the condition in words: the condition column, the prose after ※※ in
            # 項目説明, else the remarks.
            marker = self.layout.condition_marker
            after = explanation.split(marker, 1)[1].strip() if marker and marker in explanation else ""
            item["condition"] = (
                get("condition")
                or after
                or description
                or t("条件付き必須 (標準仕様書を参照)", "conditionally required (see the standard)")
            )
        code_text = get("code_table")
        if code_text:
            self._code(item, code_text, romaji or raw_id, known, notes, problem)
        elif item["type"] == "code":
            if known is not None and known.code_table:
                item["code_table"] = known.code_table
            else:
                problem(
                    "type",
                    t(
                        "コード型ですがコード表がありません (文字列として取り込みます)",
                        "code item without a code table (imported as a string)",
                    ),
                    "ignored-value",
                )
                item["type"] = "string"
        if item["type"] == "date" and "explanation" in cols:
            # 凡例）データ型 DATE: 原則、不詳日を許容しない。項目説明に不詳日の記載があるものに限り許容する。
            if any(w in norm(explanation) for w in self.lenient_words):
                item["date_rule"] = "lenient"
                notes.append(
                    t(
                        "項目説明が不詳日を許容するため、暦の検査をしません (date_rule: lenient)",
                        "項目説明 allows 不詳 dates: no calendar check (date_rule: lenient)",
                    )
                )
        # What a 基本データリスト does not say but the product must keep (a 個人番号 must never be
        # shown; 住民記録 date rules; check digits) comes from the current spec's item, if any. Where the
        # workbook has a 項目説明 column, its words decide the date rule.
        if known is not None:
            for attr in ("sensitivity", "date_rule", "check_digit", "charset"):
                value = getattr(known, attr)
                if value is not None and attr not in item and value.value != "none":
                    if attr == "date_rule" and (
                        item["type"] not in ("date", "datetime") or "explanation" in cols
                    ):
                        continue
                    if attr == "charset" and item["type"] != "string":
                        continue
                    item[attr] = value.value
        if "個人番号" in name_ja and "sensitivity" not in item:
            item["sensitivity"] = "my-number"
        repeat_text = get("repeat")
        if repeat_text:
            if repeat_text.isdigit() and int(repeat_text) >= 1:
                item["repeat"] = int(repeat_text)
            else:
                problem(
                    "repeat",
                    t("繰り返し {v!r} を読めません", "cannot read repeat {v!r}", v=repeat_text),
                    "ignored-value",
                )
        iid = self._item_id(ent, raw_id, std_id, known, len(ent["items"]) + 1)
        texts = {
            "official_type": type_text,
            "romaji": romaji,
            "definition": get("definition"),
            "explanation": explanation,
            "std_ref": get("std_ref"),
        }
        out: dict[str, Any] = {
            "id": iid,
            **({"std_id": std_id} if std_id else {}),
            "name_ja": name_ja or raw_id,
            "name_en": get("name_en") or (known.name_en if known is not None else name_ja or raw_id),
            **item,
            **{k: v for k, v in texts.items() if v},
            **(
                {"foreign_key": True}
                if get("foreign_key") and norm(get("foreign_key")) in self.key_words
                else {}
            ),
            "provenance": "official",
            **({"source_ref": f"{self.source_name} / {sheet} / row {rownum}"} if self.source_name else {}),
        }
        description = "; ".join(x for x in (description, *notes) if x)
        if description and description != item.get("condition"):
            out["description"] = description
        from migrate.standard.model import Item

        try:
            Item.model_validate(out)
        except ValidationError as exc:
            err = exc.errors()[0]
            problem(
                None,
                t("項目を作れません: {e}", "cannot build the item: {e}", e=err["msg"]),
                "skipped-row",
            )
            return
        ent["items"].append(out)
        if norm(get("key")) in self.key_words and get("key"):
            ent["primary_key"].append(iid)

    def _code(
        self,
        item: dict[str, Any],
        code_text: str,
        romaji: str,
        known: Any,
        notes: list[str],
        problem: Any,
    ) -> None:
        """コード: a コードID of the workbook's own code list, else a code table we hold by name."""
        key = _code_key(code_text)
        listed = self.workbook_codes.get(key)
        if listed is not None and listed["municipal"]:
            # 999 自治体固有コード: the municipality defines the values; no closed list to check against.
            notes.append(
                t(
                    "コード {c} {n}: 自治体が任意に規定するコードのため、値の一覧は検査しません",
                    "code {c} {n}: the municipality's own codes, so values are not checked against a list",
                    c=code_text,
                    n=listed["name"],
                )
            )
            return
        tid = None
        if listed is not None:
            tid = listed["table_id"]
            self.used_codes.setdefault(key, romaji)
        else:
            tid = self.tables_by_name.get(norm(code_text))
            if tid is None and known is not None and known.code_table:
                tid = known.code_table
        if tid is not None:
            item["code_table"] = tid
            if item["type"] in ("string", "integer"):
                item["type"] = "code"
                item.pop("unsigned", None)
                item.pop("integer_digits", None)
        elif item["type"] == "code" or self.workbook_codes:
            problem(
                "code_table",
                t(
                    "コード表 {v!r} がコード一覧にも specs/codes/ にもありません (文字列として取り込みます)",
                    "code table {v!r} is neither in the code list nor under specs/codes/ (imported as a string)",
                    v=code_text,
                ),
                "ignored-value",
            )
            if item["type"] == "code":
                item["type"] = "string"
            notes.append(f"コード表: {code_text}")


def parse_file_name(path: Path) -> dict[str, str | None]:
    m = FILE_NAME_RE.match(path.stem)
    if not m:
        return {}
    return {k: v for k, v in m.groupdict().items() if v}


def _open_workbook(path: Path) -> Any:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if not path.exists():
        raise InputError(t("ワークブックがありません", "workbook not found"), path=path)
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise InputError(
            t(
                "Excel ワークブック (.xlsx) として読めません: {e}",
                "cannot read as an Excel workbook (.xlsx): {e}",
                e=exc,
            ),
            path=path,
            hint=t(".xls は Excel で .xlsx として保存し直してください", "save .xls files as .xlsx first"),
        ) from None


def import_workbook(
    path: str | Path,
    *,
    business: str | None,
    registry: Any,
    version: str | None = None,
    layout: Layout | None = None,
    sheets: Sequence[str] = (),
    today: dt.date | None = None,
) -> ImportResult:
    """Read path into a validated Spec (plus its YAML-ready data, code tables and the problems met).

    business None: the business whose code is the 3-digit prefix of the データ項目IDs.
    """
    p = Path(path)
    layout = layout or load_layout()
    wb = _open_workbook(p)  # an unreadable input is reported before any other complaint
    try:
        return _import_open(wb, p, business, registry, version, layout, sheets, today)
    finally:
        wb.close()


@dataclass
class _Sheet:
    name: str
    rows: list[tuple[object, ...]]
    heading: Heading
    cols: dict[str, int]
    entity_col: int | None

    def title(self) -> str:
        """The first text above the heading (■地方公共団体情報システム-（…）項目定義書)."""
        for row in self.rows[: self.heading.row]:
            for cell in row:
                text = _cell_text(cell)
                if text:
                    return text.lstrip("■□◆ ").strip()
        return ""


def _read_code_lists(wb: Any, layout: Layout, business: str) -> tuple[dict[str, dict[str, Any]], set[str]]:
    """コード一覧 sheets → コードID → {name, codes, municipal, sheet, row}, and the sheets read."""
    spec = layout.code_lists
    out: dict[str, dict[str, Any]] = {}
    read: set[str] = set()
    if spec is None:
        return out, read
    prefixes = [norm(s) for s in spec.sheets]
    aliases = {attr: {norm(h) for h in heads} for attr, heads in spec.columns.items()}
    municipal = {norm(m) for m in spec.municipal}
    for name in wb.sheetnames:
        if not any(norm(name).startswith(pf) for pf in prefixes):
            continue
        ws = wb[name]
        if not hasattr(ws, "iter_rows"):
            continue
        read.add(name)
        rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
        cols: dict[str, int] = {}
        start = None
        for i, row in enumerate(rows[: layout.scan_rows]):
            found: dict[str, int] = {}
            for c, cell in enumerate(row):
                n = norm(cell)
                attr = next((a for a, names in aliases.items() if n and n in names and a not in found), None)
                if attr is not None:
                    found[attr] = c
            if {"id", "value"} <= set(found):
                cols, start = found, i + 1
                break
        if start is None:
            continue
        current: dict[str, Any] | None = None
        for r, row in enumerate(rows[start:], start=start + 1):

            def cell(attr: str, row: tuple[object, ...] = row, cols: dict[str, int] = cols) -> str:
                c = cols.get(attr)
                return _cell_text(row[c]) if c is not None and c < len(row) else ""

            cid = cell("id")
            if cid:
                key = _code_key(cid)
                cname = cell("name") or cid
                current = out.setdefault(
                    key,
                    {
                        "id": cid,
                        "name": cname,
                        "codes": [],
                        "municipal": norm(cname) in municipal,
                        "sheet": name,
                        "row": r,
                        "table_id": None,
                    },
                )
            value = cell("value")
            if current is None or not value or current["municipal"]:
                continue
            if value not in {c["code"] for c in current["codes"]}:
                current["codes"].append({"code": value, "name_ja": cell("label") or value})
    return out, read


def _code_table_docs(
    codes: dict[str, dict[str, Any]], used: dict[str, str], business: str, source_name: str
) -> list[dict[str, Any]]:
    docs = []
    for key, entry in codes.items():
        if entry["municipal"] or not entry["codes"] or entry["table_id"] is None:
            continue
        docs.append(
            {
                "kind": "migrate/code-table",
                "format": 1,
                "id": entry["table_id"],
                "name_ja": entry["name"],
                "name_en": used.get(key) or entry["name"],
                "source": f"{source_name} / {entry['sheet']} / row {entry['row']} (コードID {entry['id']})",
                "provenance": "official",
                "codes": entry["codes"],
            }
        )
    return docs


def _table_ids(codes: dict[str, dict[str, Any]], sheets: list[_Sheet], layout: Layout, business: str) -> None:
    """Code table ids before the items are mapped: <business>-<romaji of the first item using it>."""
    taken: set[str] = set()
    first_use: dict[str, str] = {}
    for sh in sheets:
        ci, ri = sh.cols.get("code_table"), sh.cols.get("romaji", sh.cols.get("id"))
        if ci is None:
            continue
        for row in sh.rows[sh.heading.row + sh.heading.depth :]:
            if ci < len(row) and _cell_text(row[ci]):
                key = _code_key(row[ci])
                romaji = _cell_text(row[ri]) if ri is not None and ri < len(row) else ""
                first_use.setdefault(key, romaji)
    for key, entry in codes.items():
        if entry["municipal"]:
            continue
        slug = re.sub(r"[^a-z0-9]+", "-", norm(first_use.get(key, ""))).strip("-")
        base = f"{business}-{slug}" if slug and slug[0].isalpha() else f"{business}-code-{key.zfill(3)}"
        tid, k = base, 2
        while tid in taken:
            tid, k = f"{base}-{k}", k + 1
        taken.add(tid)
        entry["table_id"] = tid


def _business_from_code(registry: Any, code: str | None, p: Path) -> str:
    if code is None:
        raise UsageError(
            t(
                "データ項目ID から業務コードが分かりません",
                "the データ項目ID does not give a business code",
            ),
            hint=t("--business で業務 id を指定してください", "pass --business ID"),
        )
    for bid in registry.business_ids:
        if registry.latest(bid).business.code == code:
            return str(bid)
    raise ConfigError(
        t(
            "業務コード {c} は登録済みの業務にありません (20 業務以外の共通機能など)",
            "business code {c} is not one of the known businesses (a 共通機能 outside the 20?)",
            c=code,
        ),
        path=p,
        hint=t(
            "--business ID で独自の業務 id を指定してください (例: 031 住登外者宛名番号管理 → --business atena)",
            "pass --business ID to import it as a spec of its own (e.g. 031 住登外者宛名番号管理 → --business atena)",
        ),
    )


def _without_overlay(registry: Any, spec: Spec) -> Spec:
    """The spec as imported: our overlay's additions (spec/overlay.py) must not flow into a re-import."""
    from migrate.standard.overlay import overlay_path

    path = getattr(registry, "files", {}).get(spec.key)
    if path is None or not overlay_path(Path(path)).is_file():
        return spec
    return Spec.model_validate(load_yaml(path).data)


def _import_open(
    wb: Any,
    p: Path,
    business: str | None,
    registry: Any,
    version: str | None,
    layout: Layout,
    sheets: Sequence[str],
    today: dt.date | None,
) -> ImportResult:
    from_name = parse_file_name(p)
    problems: list[Problem] = []
    names = list(wb.sheetnames)
    wanted = list(sheets) or list(layout.sheets)
    if wanted:
        missing = [s for s in wanted if s not in names]
        if missing:
            raise UsageError(
                t("シート {s} がありません", "no sheet {s}", s=", ".join(missing)),
                hint=t("あるシート: {l}", "sheets: {l}", l=", ".join(names)),
            )
        names = [n for n in names if n in wanted]
    else:
        excluded = [norm(s) for s in layout.exclude_sheets]
        names = [n for n in names if not any(norm(n).startswith(x) for x in excluded)]
    code_prefixes = [norm(s) for s in layout.code_lists.sheets] if layout.code_lists else []
    names = [n for n in names if not any(norm(n).startswith(x) for x in code_prefixes)]

    # Read and locate every item sheet first: the business code comes from the データ項目IDs.
    probe = _Mapper(layout, {}, None)
    item_sheets: list[_Sheet] = []
    for name in names:
        ws = wb[name]
        if not hasattr(ws, "iter_rows"):  # a chart sheet
            problems.append(
                Problem(name, 0, None, t("表のシートではありません", "not a worksheet"), "skipped-sheet")
            )
            continue
        rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
        heading = probe.find_header(rows)
        if heading is None:
            problems.append(
                Problem(name, 0, None, t("見出し行が見つかりません", "no heading row found"), "skipped-sheet")
            )
            continue
        cols, entity_col = probe.header_map(heading.labels)
        if "name_ja" not in cols and "id" not in cols and "romaji" not in cols:
            problems.append(
                Problem(
                    name,
                    heading.row + 1,
                    None,
                    t("項目名の列がありません", "no item name column"),
                    "skipped-sheet",
                )
            )
            continue
        item_sheets.append(_Sheet(name, rows, heading, cols, entity_col))

    code: str | None = None
    for sh in item_sheets:
        for row in sh.rows[sh.heading.row + sh.heading.depth :]:
            sid = probe.std_id(row, sh.cols, sh.heading)
            if re.fullmatch(r"\d{8}", sid):
                code = sid[:3]
                break
        if code:
            break
    code = code or from_name.get("code")
    if business is None:
        business = _business_from_code(registry, code, p)
    existing = _without_overlay(registry, registry.latest(business)) if business in registry.specs else None
    title_text = item_sheets[0].title() if item_sheets else ""
    if existing is not None:
        biz = existing.business.model_dump(mode="json")
    elif code:
        m = NAME_IN_TITLE_RE.search(title_text)
        name_ja = from_name.get("name") or (m["name"] if m else None) or business
        biz = {
            "id": business,
            "code": code,
            "name_ja": name_ja,
            "name_en": business,
            "ministry": t("未確認", "to confirm"),
            "ministry_provenance": "assumed",
        }
    else:
        raise UsageError(
            t(
                "業務 {b} の仕様がなく、ファイル名からも業務コードが分かりません",
                "business {b} has no spec and the file name does not give its code",
                b=business,
            ),
            hint=t(
                "既存の業務 id を指定するか、ファイル名を {f} の形にしてください",
                "pass a known business id or name the file like {f}",
                f="001_業務名_基本データリスト【第N版】_YYYYMMDD.xlsx",
            ),
        )

    if from_name.get("code") and from_name.get("name"):
        title = f"{from_name['code']}_{from_name['name']}_{from_name.get('title') or ''}".rstrip("_")
    else:
        title = title_text or p.stem
    stated = from_name.get("version")
    if not stated and (m := VERSION_IN_TITLE_RE.search(title_text)):
        stated = m["version"]
    same_source = (
        next((s for s in reversed(registry.specs[business]) if s.source.title == title), None)
        if existing is not None
        else None
    )
    unknown = t("不明 (ワークブックに版の記載がありません)", "unknown (the workbook states no version)")
    source_version = f"第{stated}版" if stated else unknown
    if not version:
        if stated:
            version = stated
        elif same_source is not None:  # re-import of the same unversioned workbook
            version = same_source.version
        elif existing is None:  # the first spec of a business: ours is 1.0, the source's is unknown
            version = "1.0"
    if not version:
        raise UsageError(
            t("版が分かりません", "the version is unknown"),
            hint=t("--version で指定してください", "pass --version"),
        )
    if not re.match(r"^\d+(\.\d+)*$", version):
        raise UsageError(
            t("版 {v} は 数字.数字 の形にしてください", "version {v} must look like 1.2", v=version)
        )
    published = None
    if from_name.get("date"):
        try:
            published = dt.datetime.strptime(str(from_name["date"]), "%Y%m%d").date()
        except ValueError:
            published = None
    effective = published
    if effective is None and existing is not None:
        same = next((s for s in registry.specs[business] if s.version == version), None)
        effective = same.effective if same is not None else None

    codes, code_sheets = _read_code_lists(wb, layout, business)
    _table_ids(codes, item_sheets, layout, business)
    mapper = _Mapper(layout, registry.code_tables, existing, codes, p.name)
    mapper.problems = problems
    for sh in item_sheets:
        start = sh.heading.row + sh.heading.depth
        for i, row in enumerate(sh.rows[start:], start=start + 1):
            ent_name = sh.name
            if sh.entity_col is not None and sh.entity_col < len(row) and _cell_text(row[sh.entity_col]):
                ent_name = _cell_text(row[sh.entity_col])
            mapper.map_row(sh.name, i, row, sh.cols, ent_name, sh.heading)
    used_sheets = [sh.name for sh in item_sheets]

    entities = []
    for ent in mapper.entities.values():
        if not ent["items"]:
            continue
        known = ent.pop("_known")
        if not ent["primary_key"] and known is not None:
            ids = {i["id"] for i in ent["items"]}
            if known.primary_key and all(k in ids for k in known.primary_key):
                ent["primary_key"] = list(known.primary_key)
        if not ent["primary_key"]:
            del ent["primary_key"]
        entities.append(ent)
    if not entities:
        raise ConfigError(
            t(
                "取り込める項目がありません ({n} 件の問題)",
                "nothing usable in the workbook ({n} problems)",
                n=len(mapper.problems),
            ),
            path=p,
            hint="; ".join(pr.render() for pr in mapper.problems[:3])
            or t("--layout で列の見出しを指定してください", "describe the headings with --layout"),
        )
    tables = _code_table_docs(codes, mapper.used_codes, business, p.name)
    data: dict[str, Any] = {
        "kind": "migrate/spec",
        "format": 1,
        "business": biz,
        "version": version,
        "source": {
            "title": title,
            "version": source_version,
            **({"published": published.isoformat()} if published else {}),
        },
        "effective": (effective or today or dt.date.today()).isoformat(),
        "length_unit": "chars",
        "provenance": "official",
        "notes": (
            f"Imported from {p.name} (sheets: {', '.join([*used_sheets, *sorted(code_sheets)])}) by"
            f" migrate {__version__} with the layout {layout.name or '(unnamed)'};"
            f" {len(mapper.problems)} problem(s) reported at import. English names are copied from the"
            " current spec or the Japanese name where the workbook has none; item ids come from the"
            " workbook (ローマ字), the current spec or the std id; sensitivity, date rules, check digits and"
            " character sets the workbook does not state are carried over from the current spec's item of"
            " the same std id or name. Our additions (executable conditions, masking) belong in the overlay"
            " file beside this one, never here."
        ),
        "entities": entities,
    }
    spec = validate_spec_data(data, p)
    return ImportResult(spec, data, mapper.problems, mapper.rows_read, used_sheets, tables)


def validate_spec_data(data: dict[str, Any], source: Path) -> Spec:
    """The spec model's verdict on data, after a YAML round trip (what will be written is valid)."""
    import yaml

    text = dump_yaml(data)
    try:
        return Spec.model_validate(yaml.safe_load(text))
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ConfigError(
            t("取り込んだ仕様が不正です: {e}", "the imported spec is invalid: {e}", e=err["msg"]),
            path=source,
            key=".".join(str(k) for k in err["loc"]),
        ) from None


def dump_yaml(data: dict[str, Any]) -> str:
    """YAML in the committed specs' style: block layout, one flow mapping per item."""
    import yaml

    class _Dumper(yaml.SafeDumper):
        pass

    class _Flow(dict[str, Any]):
        pass

    def _flow(dumper: yaml.SafeDumper, value: _Flow) -> yaml.Node:
        return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=True)

    class _Quoted(str):
        pass

    def _quoted(dumper: yaml.SafeDumper, value: _Quoted) -> yaml.Node:
        # "03100008" stays a string in every YAML reader (1.2 readers take unquoted digits as numbers)
        return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="'")

    def _digits(row: dict[str, Any], keys: tuple[str, ...]) -> _Flow:
        return _Flow({k: _Quoted(v) if k in keys and isinstance(v, str) else v for k, v in row.items()})

    _Dumper.add_representer(_Flow, _flow)
    _Dumper.add_representer(_Quoted, _quoted)
    if data.get("kind") == "migrate/code-table":
        shaped = {**data, "codes": [_digits(c, ("code",)) for c in data["codes"]]}
    else:
        shaped = {
            **data,
            "entities": [
                {**e, "items": [_digits(i, ("std_id",)) for i in e["items"]]} for e in data["entities"]
            ],
        }
    return yaml.dump(shaped, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=200)
