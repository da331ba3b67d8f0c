"""Import a 基本データリスト-style Excel workbook into a spec: layout, mapping, problems as data.

The layout (``kind: migrate/import-layout``) says where the heading row is and which heading holds
which spec attribute; the default one (migrate/data/import-layout-default.yaml) knows the usual
headings. Rows that cannot be mapped are reported with sheet, row and column and left out; the
result is validated with the spec model before anything is written.
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
from migrate.spec.model import ID_RE, Charset, CodeTable, ItemType, Required, Spec
from migrate.yamlfile import check_kind, load_yaml, pydantic_error

DEFAULT_LAYOUT = Path(__file__).resolve().parents[1] / "data" / "import-layout-default.yaml"

Attribute = Literal[
    "id",
    "std_id",
    "name_ja",
    "name_en",
    "type",
    "max_length",
    "min_length",
    "required",
    "condition",
    "code_table",
    "description",
    "key",
]

# Official file names: 001_住民基本台帳_基本データリスト【第2.1版】_20230929.xlsx
FILE_NAME_RE = re.compile(
    r"^(?P<code>\d{3})_(?P<name>[^_【]+)_(?P<title>[^【]*)(?:【第(?P<version>[\d.]+)版】)?(?:_(?P<date>\d{8}))?"
)
LENGTH_RE = re.compile(r"^(?P<n>\d+)(?:[,.](?P<scale>\d+))?(?P<unit>桁|文字|バイト|bytes?|b)?$")  # on norm()


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TypeTarget(_Frozen):
    type: ItemType
    charset: Charset | None = None


class ValueMaps(_Frozen):
    type: dict[str, ItemType | TypeTarget] = Field(default_factory=dict)
    required: dict[str, Required] = Field(default_factory=dict)
    key: list[str] = Field(default_factory=list)


class Layout(_Frozen):
    """Where a workbook keeps the data items and what its words mean."""

    kind: Literal["migrate/import-layout"]
    format: Literal[1]
    name: str | None = None
    header_row: int | Literal["auto"] = "auto"
    scan_rows: int = Field(default=30, ge=1)
    min_headers: int = Field(default=3, ge=1)
    sheets: list[str] = Field(default_factory=list)
    exclude_sheets: list[str] = Field(default_factory=list)
    entity_column: list[str] = Field(default_factory=list)
    entity_ids: dict[str, str] = Field(default_factory=dict)
    columns: dict[Attribute, list[str]]
    values: ValueMaps = Field(default_factory=ValueMaps)

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
    column: str | None
    message: str
    action: Literal["skipped-row", "ignored-value", "skipped-sheet"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "action": self.action,
        }

    def render(self) -> str:
        where = f"{self.sheet}!{self.column or ''}{self.row}" if self.row else self.sheet
        return f"{where}: {self.message} ({self.action})"


@dataclass
class ImportResult:
    spec: Spec
    data: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    sheets: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "spec": self.spec.key,
            "entities": [
                {"id": e.id, "name_ja": e.name_ja, "items": len(e.items)} for e in self.spec.entities
            ],
            "items": sum(len(e.items) for e in self.spec.entities),
            "rows_read": self.rows_read,
            "sheets": self.sheets,
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


class _Mapper:
    """Turns the rows of one workbook into entity dicts, collecting problems."""

    def __init__(
        self,
        layout: Layout,
        code_tables: Mapping[str, CodeTable],
        existing: Spec | None,
    ) -> None:
        self.layout = layout
        self.code_tables = code_tables
        self.existing = existing
        self.problems: list[Problem] = []
        self.aliases = {attr: {norm(h) for h in heads} for attr, heads in layout.columns.items()}
        self.entity_aliases = {norm(h) for h in layout.entity_column}
        self.types = {norm(k): v for k, v in layout.values.type.items()}
        self.required = {norm(k): v for k, v in layout.values.required.items()}
        self.key_words = {norm(k) for k in layout.values.key}
        self.entity_ids = {norm(k): v for k, v in layout.entity_ids.items()}
        self.tables_by_name: dict[str, str] = {}
        for tid, table in code_tables.items():
            for name in (tid, table.name_ja, table.name_en):
                n = norm(name)
                self.tables_by_name[n] = tid
                for suffix in ("コード表", "コード"):
                    self.tables_by_name.setdefault(norm(f"{name}{suffix}"), tid)
        self.entities: dict[str, dict[str, Any]] = {}  # name → entity dict in progress
        self.rows_read = 0

    # -- headings ---------------------------------------------------------------------------
    def header_map(self, row: Sequence[object]) -> tuple[dict[str, int], int | None]:
        """attribute → column index, and the entity column index, for a heading row."""
        found: dict[str, int] = {}
        entity_col = None
        for i, cell in enumerate(row):
            n = norm(cell)
            if not n:
                continue
            if n in self.entity_aliases and entity_col is None:
                entity_col = i
                continue
            for attr, names in self.aliases.items():
                if n in names and attr not in found:
                    found[attr] = i
                    break
        return found, entity_col

    def find_header(self, rows: list[tuple[object, ...]]) -> int | None:
        """0-based index of the heading row in rows."""
        hr = self.layout.header_row
        if isinstance(hr, int):
            return hr - 1 if hr - 1 < len(rows) else None
        for i, row in enumerate(rows[: self.layout.scan_rows]):
            found, _ = self.header_map(row)
            if len(found) >= min(self.layout.min_headers, len(self.aliases)) and (
                "name_ja" in found or "id" in found
            ):
                return i
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

    # -- one row -----------------------------------------------------------------------------
    def map_row(
        self, sheet: str, rownum: int, row: Sequence[object], cols: dict[str, int], ent_name: str
    ) -> None:
        def get(attr: str) -> str:
            i = cols.get(attr)
            return _cell_text(row[i]) if i is not None and i < len(row) else ""

        def col(attr: str) -> str | None:
            i = cols.get(attr)
            return _col_letter(i) if i is not None else None

        def problem(attr: str | None, msg: str, action: Literal["skipped-row", "ignored-value"]) -> None:
            self.problems.append(Problem(sheet, rownum, col(attr) if attr else None, msg, action))

        name_ja = get("name_ja")
        raw_id = get("id")
        std_id = get("std_id")
        if not (name_ja or raw_id):
            if any(_cell_text(v) for v in row):
                problem("name_ja", t("項目名がありません", "no item name"), "skipped-row")
            return
        self.rows_read += 1
        ent = self.entity_for(ent_name)
        known = self._known_item(ent, std_id, name_ja)
        type_text = get("type")
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
        else:
            item["type"] = target.value
        length_text = get("max_length")
        if length_text and item["type"] not in ("date", "datetime", "flag"):
            m = LENGTH_RE.match(norm(length_text))
            if m is None:
                problem(
                    "max_length",
                    t("桁数 {v!r} を読めません", "cannot read length {v!r}", v=length_text),
                    "ignored-value",
                )
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
        if req == Required.conditional:
            # The model needs the condition in words: the condition column, else the remarks.
            item["condition"] = (
                get("condition")
                or description
                or t("条件付き必須 (標準仕様書を参照)", "conditionally required (see the standard)")
            )
        code_text = get("code_table")
        if code_text:
            tid = self.tables_by_name.get(norm(code_text))
            if tid is None and known is not None and known.code_table:
                tid = known.code_table
            if tid is not None:
                item["code_table"] = tid
                if item["type"] == "string":
                    item["type"] = "code"
            elif item["type"] == "code":
                problem(
                    "code_table",
                    t(
                        "コード表 {v!r} が specs/codes/ にありません (文字列として取り込みます)",
                        "code table {v!r} is not under specs/codes/ (imported as a string)",
                        v=code_text,
                    ),
                    "ignored-value",
                )
                item["type"] = "string"
                description = "; ".join(x for x in (description, f"コード表: {code_text}") if x)
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
        # What a 基本データリスト does not say but the product must keep (a 個人番号 must never be
        # shown; 住民記録 date rules; check digits) comes from the current spec's item, if any.
        if known is not None:
            for attr in ("sensitivity", "date_rule", "check_digit", "charset"):
                value = getattr(known, attr)
                if value is not None and attr not in item and value.value != "none":
                    if attr == "date_rule" and item["type"] not in ("date", "datetime"):
                        continue
                    if attr == "charset" and item["type"] != "string":
                        continue
                    item[attr] = value.value
        if "個人番号" in name_ja and "sensitivity" not in item:
            item["sensitivity"] = "my-number"
        iid = self._item_id(ent, raw_id, std_id, known, len(ent["items"]) + 1)
        out: dict[str, Any] = {
            "id": iid,
            **({"std_id": std_id} if std_id else {}),
            "name_ja": name_ja or raw_id,
            "name_en": get("name_en") or (known.name_en if known is not None else name_ja or raw_id),
            **item,
            "provenance": "official",
        }
        if description and description != item.get("condition"):
            out["description"] = description
        from migrate.spec.model import Item

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
    business: str,
    registry: Any,
    version: str | None = None,
    layout: Layout | None = None,
    sheets: Sequence[str] = (),
    today: dt.date | None = None,
) -> ImportResult:
    """Read path into a validated Spec (plus its YAML-ready data and the problems met)."""
    p = Path(path)
    layout = layout or load_layout()
    wb = _open_workbook(p)  # an unreadable input is reported before any other complaint
    try:
        return _import_open(wb, p, business, registry, version, layout, sheets, today)
    finally:
        wb.close()


def _import_open(
    wb: Any,
    p: Path,
    business: str,
    registry: Any,
    version: str | None,
    layout: Layout,
    sheets: Sequence[str],
    today: dt.date | None,
) -> ImportResult:
    from_name = parse_file_name(p)
    existing: Spec | None = registry.latest(business) if business in registry.specs else None
    if existing is not None:
        biz = existing.business.model_dump(mode="json")
    elif from_name.get("code"):
        biz = {
            "id": business,
            "code": from_name["code"],
            "name_ja": from_name.get("name") or business,
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
    version = version or from_name.get("version")
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

    mapper = _Mapper(layout, registry.code_tables, existing)
    used_sheets: list[str] = []
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
        excluded = {norm(s) for s in layout.exclude_sheets}
        names = [n for n in names if norm(n) not in excluded]
    for name in names:
        ws = wb[name]
        if not hasattr(ws, "iter_rows"):  # a chart sheet
            mapper.problems.append(
                Problem(name, 0, None, t("表のシートではありません", "not a worksheet"), "skipped-sheet")
            )
            continue
        rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
        hi = mapper.find_header(rows)
        if hi is None:
            mapper.problems.append(
                Problem(
                    name,
                    0,
                    None,
                    t("見出し行が見つかりません", "no heading row found"),
                    "skipped-sheet",
                )
            )
            continue
        cols, entity_col = mapper.header_map(rows[hi])
        if "name_ja" not in cols and "id" not in cols:
            mapper.problems.append(
                Problem(
                    name,
                    hi + 1,
                    None,
                    t("項目名の列がありません", "no item name column"),
                    "skipped-sheet",
                )
            )
            continue
        used_sheets.append(name)
        for i, row in enumerate(rows[hi + 1 :], start=hi + 2):
            ent_name = name
            if entity_col is not None and entity_col < len(row) and _cell_text(row[entity_col]):
                ent_name = _cell_text(row[entity_col])
            mapper.map_row(name, i, row, cols, ent_name)

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
    title = from_name.get("title") or p.stem
    if from_name.get("code") and from_name.get("name"):
        title = f"{from_name['code']}_{from_name['name']}_{from_name.get('title') or ''}".rstrip("_")
    data: dict[str, Any] = {
        "kind": "migrate/spec",
        "format": 1,
        "business": biz,
        "version": version,
        "source": {
            "title": title,
            "version": f"第{from_name['version']}版" if from_name.get("version") else f"第{version}版",
            **({"published": published.isoformat()} if published else {}),
        },
        "effective": (published or today or dt.date.today()).isoformat(),
        "length_unit": "chars",
        "provenance": "official",
        "notes": (
            f"Imported from {p.name} (sheets: {', '.join(used_sheets)}) by migrate {__version__}"
            f" with the layout {layout.name or '(unnamed)'}; {len(mapper.problems)} problem(s) reported"
            " at import. English names are copied from the current spec or the Japanese name where the"
            " workbook has none; item ids come from the workbook, the current spec or the std id;"
            " sensitivity, date rules, check digits and character sets the workbook does not state are"
            " carried over from the current spec's item of the same std id or name."
            " Check the length unit (chars) against the workbook's legend."
        ),
        "entities": entities,
    }
    spec = validate_spec_data(data, p)
    return ImportResult(spec, data, mapper.problems, mapper.rows_read, used_sheets)


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

    _Dumper.add_representer(_Flow, _flow)
    shaped = {
        **data,
        "entities": [{**e, "items": [_Flow(i) for i in e["items"]]} for e in data["entities"]],
    }
    return yaml.dump(shaped, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=200)
