"""Spec → Excel data dictionary (データ項目定義書) for vendors: a cover, one sheet per entity, codes.

Headings and enumerated values are Japanese by default and English with --lang en; every spec
attribute has its own column and every row shows whether it is official or our assumption.
All cells go through migrate.xlsx (formula-injection safe).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from migrate import __version__
from migrate.i18n import get_lang
from migrate.standard.export_common import selected_entities
from migrate.standard.model import CodeTable, Entity, Item, ItemType, Provenance, Spec
from migrate.xlsx import (
    append_row,
    extend_autofilter,
    fit_row_heights,
    header_row,
    print_setup,
    set_widths,
    sheet_title,
    write_cell,
)

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

# (attribute, Japanese heading, English heading)
COLUMNS: list[tuple[str, str, str]] = [
    ("no", "No", "No"),
    ("id", "項目ID", "Item id"),
    ("std_id", "標準項目ID", "Standard id"),
    ("name_ja", "項目名", "Name (Japanese)"),
    ("name_en", "英語名", "Name (English)"),
    ("type", "データ型", "Type"),
    ("min_length", "最小桁数", "Min length"),
    ("max_length", "最大桁数", "Max length"),
    ("length_unit", "桁数の単位", "Length unit"),
    ("scale", "小数部桁数", "Decimal places"),
    ("required", "必須", "Required"),
    ("condition", "必須条件", "Condition"),
    ("code_table", "コード表", "Code table"),
    ("pattern", "パターン (正規表現)", "Pattern (regex)"),
    ("range", "値の範囲", "Range"),
    ("date_rule", "日付規則", "Date rule"),
    ("charset", "文字種", "Character set"),
    ("check_digit", "検査数字", "Check digit"),
    ("severity", "違反時の重大度", "Severity"),
    ("sensitivity", "機微度", "Sensitivity"),
    ("references", "参照先", "References"),
    ("key", "キー", "Key"),
    ("provenance", "出典区分", "Provenance"),
    ("description", "説明", "Description"),
]

# Japanese labels of enumerated values; English shows the value itself.
LABELS_JA: dict[str, dict[str, str]] = {
    "type": {
        "string": "文字列",
        "integer": "整数",
        "decimal": "小数",
        "date": "日付",
        "datetime": "日時",
        "code": "コード",
        "flag": "フラグ",
        "time": "時刻",
        "year": "年",
        "blob": "画像 (BLOB)",
    },
    "length_unit": {"chars": "文字", "cp932-bytes": "バイト (CP932)"},
    "required": {"required": "必須", "optional": "任意", "conditional": "条件付き"},
    "date_rule": {"calendar": "暦日のみ", "lenient": "暦外・不詳も可"},
    "charset": {
        "zenkaku-kana": "全角カタカナ",
        "hankaku-digits": "半角数字",
        "hankaku-alnum": "半角英数字",
        "jisx0213": "JIS X 0213",
        "gyosei": "行政事務標準文字",
        "hankaku": "半角文字列 (X)",
        "zenkaku": "全角文字列 (Ｎ)",
    },
    "check_digit": {
        "my-number": "個人番号",
        "corporate-number": "法人番号",
        "lg-code": "地方公共団体コード",
        "mod11-w2-7": "モジュラス11 ウェイト2～7",
    },
    "severity": {"error": "エラー", "warning": "アラート"},
    "sensitivity": {"my-number": "特定個人情報", "personal": "個人情報", "none": "-"},
    "provenance": {"official": "公式", "assumed": "想定"},
}

# Column widths (Excel units) and wrapping of the entity sheets: the 24 columns fit the width of an
# A3 landscape page at about 80 %, long text wrapping in its column, so every item's attributes
# print on the same page as its name.
WIDTHS: dict[str, tuple[float, bool]] = {
    "no": (4.5, False),
    "id": (16, True),
    "std_id": (11, True),
    "name_ja": (16, True),
    "name_en": (16, True),
    "type": (8, True),
    "min_length": (6, True),
    "max_length": (6, True),
    "length_unit": (8, True),
    "scale": (6, True),
    "required": (8, True),
    "condition": (18, True),
    "code_table": (14, True),
    "pattern": (14, True),
    "range": (8, True),
    "date_rule": (9, True),
    "charset": (10, True),
    "check_digit": (10, True),
    "severity": (8, True),
    "sensitivity": (9, True),
    "references": (14, True),
    "key": (8, True),
    "provenance": (6, True),
    "description": (34, True),
}
ASSUMED_FILL = "FFF2CC"  # light yellow: rows that are our modelling, not (yet) the official text


def _en() -> bool:
    return get_lang() == "en"


def _label(attr: str, value: str | None) -> str | None:
    if value is None:
        return None
    return value if _en() else LABELS_JA.get(attr, {}).get(value, value)


def _h(ja: str, en: str) -> str:
    return en if _en() else ja


def item_row(
    spec: Spec, entity: Entity, item: Item, n: int, code_tables: Mapping[str, CodeTable]
) -> dict[str, Any]:
    """The dictionary row of one item: attribute → display value."""
    table = code_tables.get(item.code_table) if item.code_table else None
    keys = []
    if item.id in entity.primary_key:
        keys.append("PK")
    keys.extend(f"UQ({'+'.join(u)})" for u in entity.unique if item.id in u)
    cond = [c for c in (item.condition, item.required_when.describe() if item.required_when else None) if c]
    rng = None
    if item.range is not None:
        lo, hi = item.range.min, item.range.max
        rng = f"{'' if lo is None else f'{lo:g}'}..{'' if hi is None else f'{hi:g}'}"
    return {
        "no": n,
        "id": item.id,
        "std_id": item.std_id,
        "name_ja": item.name_ja,
        "name_en": item.name_en,
        "type": _label("type", item.type.value),
        "min_length": item.min_length,
        "max_length": item.max_length,
        "length_unit": _label("length_unit", spec.length_unit_of(item).value)
        if item.max_length or item.min_length
        else None,
        "scale": item.scale,
        "required": _label("required", item.required.value),
        "condition": " / ".join(cond) or None,
        "code_table": (
            f"{table.id} {table.name_en if _en() else table.name_ja}" if table else item.code_table
        ),
        "pattern": item.pattern,
        "range": rng,
        "date_rule": _label("date_rule", item.effective_date_rule.value)
        if item.type in (ItemType.date, ItemType.datetime)
        else None,
        "charset": _label("charset", item.charset.value if item.charset else None),
        "check_digit": _label("check_digit", item.check_digit.value if item.check_digit else None),
        "severity": _label("severity", item.severity.value),
        "sensitivity": _label("sensitivity", item.sensitivity.value),
        "references": item.references,
        "key": " ".join(keys) or None,
        "provenance": _label("provenance", spec.provenance_of(item).value),
        "description": item.description,
    }


def _note(spec: Spec, entities: list[Entity]) -> str:
    """What the reader must know first, in the language of the workbook."""
    items = [i for e in entities for i in e.items]
    official = sum(1 for i in items if spec.provenance_of(i) == Provenance.official)
    return _h(
        f"全 {len(items)} 項目のうち公式 {official} 項目、想定 {len(items) - official} 項目 (出典区分が黄色の行)。"
        "想定の項目は公式文書と照合するまでの当方のモデル化です。"
        "各エンティティのシートは A3 横 1 ページ幅で印刷され、見出し行は各ページに繰り返されます。",
        f"{official} of {len(items)} items are official, {len(items) - official} assumed (rows with a yellow "
        "provenance): our modelling until checked against the official text. Each entity sheet prints one "
        "A3 landscape page wide, its heading row repeated on every page.",
    )


def _cover(ws: Worksheet, spec: Spec, entities: list[Entity], sheet_of: dict[str, str]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.pagebreak import Break

    b = spec.business
    bold = Font(bold=True)
    title = write_cell(ws, 1, 1, _h("データ項目定義書", "Data dictionary"))
    title.font = Font(bold=True, size=14)
    rows: list[tuple[str, Any]] = [
        (_h("業務", "Business"), f"{b.id} ({b.code}) {b.name_en if _en() else b.name_ja}"),
        (
            _h("所管", "Ministry"),
            f"{b.ministry} ({_label('provenance', b.ministry_provenance.value)})",
        ),
        (_h("版", "Version"), spec.version),
        (_h("出典", "Source"), f"{spec.source.title} {spec.source.version}"),
        (_h("公表日", "Published"), spec.source.published),
        (_h("URL", "URL"), spec.source.url),
        (_h("適用開始日", "Effective"), spec.effective),
        (_h("既定の桁数の単位", "Default length unit"), _label("length_unit", spec.length_unit.value)),
        (_h("既定の出典区分", "Default provenance"), _label("provenance", spec.provenance.value)),
        (_h("注記", "Notes"), _note(spec, entities)),
        *([(_h("注記 (原文)", "Notes (spec file)"), spec.notes)] if spec.notes else []),
        (_h("作成", "Generated by"), f"migrate {__version__}"),
    ]
    r = 3
    top = Alignment(vertical="top")
    wrap = Alignment(vertical="top", wrap_text=True)
    for key, value in rows:
        label = write_cell(ws, r, 1, key)
        label.font, label.alignment = bold, top
        cell = write_cell(ws, r, 2, value)
        cell.alignment = wrap
        if hasattr(value, "isoformat"):
            cell.number_format = "yyyy-mm-dd"
            cell.alignment = Alignment(vertical="top", horizontal="left")
        r += 1
    r += 1
    # The tables begin a page of their own: the facts above print together, and no heading is
    # parted from its rows.
    ws.row_breaks.append(Break(id=r - 1))
    write_cell(ws, r, 1, _h("エンティティ", "Entities")).font = Font(bold=True, size=12)
    r += 1
    heads = [
        _h("シート", "Sheet"),
        _h("ID", "Id"),
        _h("名称", "Name"),
        _h("主キー", "Primary key"),
        _h("一意の組", "Unique"),
        _h("項目数", "Items"),
        _h("説明", "Description"),
    ]
    for c, h in enumerate(heads, start=1):
        write_cell(ws, r, c, h).font = bold
    for e in entities:
        r += 1
        values = [
            sheet_of[e.id],
            e.id,
            e.name_en if _en() else e.name_ja,
            ", ".join(e.primary_key),
            "; ".join(", ".join(u) for u in e.unique),
            len(e.items),
            e.description,
        ]
        for c, v in enumerate(values, start=1):
            write_cell(ws, r, c, v)
    rules = [(e, rule) for e in entities for rule in e.rules]
    if rules:
        r += 2
        write_cell(ws, r, 1, _h("項目間ルール", "Cross-field rules")).font = Font(bold=True, size=12)
        r += 1
        for c, h in enumerate(
            [
                _h("エンティティ", "Entity"),
                _h("ルールID", "Rule id"),
                _h("内容", "Rule"),
                _h("名称", "Name"),
                _h("重大度", "Severity"),
                _h("出典区分", "Provenance"),
            ],
            start=1,
        ):
            write_cell(ws, r, c, h).font = bold
        for e, rule in rules:
            r += 1
            for c, v in enumerate(
                [
                    e.id,
                    rule.id,
                    f"{rule.left} {rule.op} {rule.right}",
                    rule.name_en if _en() else rule.name_ja,
                    _label("severity", rule.severity.value),
                    _label("provenance", rule.provenance.value),
                ],
                start=1,
            ):
                write_cell(ws, r, c, v)
    r += 2
    write_cell(ws, r, 1, _h("凡例", "Legend")).font = Font(bold=True, size=12)
    legend = [
        (
            _h("必須", "Required"),
            _h(
                "必須 / 任意 / 条件付き (必須条件の列を参照)",
                "required / optional / conditional (see Condition)",
            ),
        ),
        (
            _h("桁数の単位", "Length unit"),
            _h(
                "文字 = 文字数 (IVS は1文字) / バイト (CP932) = CP932 で符号化したバイト数",
                "chars = characters (an IVS sequence is one) / cp932-bytes = bytes once encoded as CP932",
            ),
        ),
        (
            _h("日付規則", "Date rule"),
            _h(
                "暦日のみ = 実在する日付 (YYYY-MM-DD) / 暦外・不詳も可 = 暦にない日付や「年月日不詳」等も可",
                "calendar = a real date (YYYY-MM-DD) / lenient = non-calendar dates and 不詳 forms accepted",
            ),
        ),
        (
            _h("文字種", "Character set"),
            _h(
                "行政事務標準文字 = MJ 文字情報一覧表と JIS X 0213 (IVS を含む。MJ+ の追加文字は未収録のため範囲外はアラート)",
                "gyosei = 行政事務標準文字: MJ and JIS X 0213 with IVS (MJ+ additions not shipped: outside is a warning)",
            ),
        ),
        (
            _h("違反時の重大度", "Severity"),
            _h("エラー = 登録不可 / アラート = 警告", "error = blocks registration / warning = alert"),
        ),
        (
            _h("機微度", "Sensitivity"),
            _h(
                "特定個人情報 = 値を帳票・ログに出さない / 個人情報 = 既定で伏せ字",
                "my-number = never shown / personal = masked by default",
            ),
        ),
        (
            _h("キー", "Key"),
            _h("PK = 主キー / UQ(…) = 一意の組", "PK = primary key / UQ(…) = unique together"),
        ),
        (
            _h("出典区分", "Provenance"),
            _h(
                "公式 = 公表された標準仕様書による / 想定 = 公式文書と照合するまでの当方のモデル化 (黄色)",
                "official = from the published standard / assumed = our modelling until checked (yellow)",
            ),
        ),
    ]
    for key, text in legend:
        r += 1
        label = write_cell(ws, r, 1, key)
        label.font, label.alignment = bold, top
        write_cell(ws, r, 2, text).alignment = wrap
    set_widths(ws, [22, 60, 18, 18, 18, 18, 40])
    for row in ws.iter_rows(min_row=3, min_col=3, max_col=7):
        for other in row:
            if other.value is not None:
                other.alignment = wrap
    fit_row_heights(ws, 2)
    ws.sheet_view.showGridLines = False
    _print(ws, spec, title_rows=None)


def _print(ws: Worksheet, spec: Spec, title_rows: str | None = "1:1") -> None:
    """A3 landscape, one page wide (as many tall as needed), the heading row on every page."""
    name = spec.business.name_en if _en() else spec.business.name_ja
    title = f"{spec.key} {name} " + _h("データ項目定義書", "data dictionary")
    print_setup(ws, title=title, title_rows=title_rows, pages_wide=1)


def _entity_sheet(ws: Worksheet, spec: Spec, entity: Entity, code_tables: Mapping[str, CodeTable]) -> None:
    from openpyxl.styles import Alignment, PatternFill

    header_row(ws, [en if _en() else ja for _, ja, en in COLUMNS], freeze_columns=4)
    assumed = PatternFill("solid", fgColor=ASSUMED_FILL)
    prov_col = [a for a, _, _ in COLUMNS].index("provenance") + 1
    for n, item in enumerate(entity.items, start=1):
        row = item_row(spec, entity, item, n, code_tables)
        r = append_row(ws, [row[a] for a, _, _ in COLUMNS])
        if spec.provenance_of(item) == Provenance.assumed:
            ws.cell(r, prov_col).fill = assumed
        for c, (attr, _, _) in enumerate(COLUMNS, start=1):
            ws.cell(r, c).alignment = Alignment(vertical="top", wrap_text=WIDTHS[attr][1])
    extend_autofilter(ws)
    set_widths(ws, [WIDTHS[a][0] for a, _, _ in COLUMNS])
    fit_row_heights(ws, 1)
    _print(ws, spec)


def _codes_sheet(ws: Worksheet, spec: Spec, tables: list[CodeTable]) -> None:
    from openpyxl.styles import Alignment

    header_row(
        ws,
        [
            _h("コード表ID", "Table id"),
            _h("コード表名", "Table"),
            _h("コード", "Code"),
            _h("名称", "Name (Japanese)"),
            _h("英語名", "Name (English)"),
            _h("区分", "Group"),
            _h("出典区分", "Provenance"),
            _h("出典", "Source"),
            _h("追加で許容するパターン", "Also accepted (pattern)"),
        ],
        freeze_columns=1,
    )
    for table in tables:
        for n, code in enumerate(table.codes):
            # The table's source and pattern once, on its first code: repeated, they filled pages.
            append_row(
                ws,
                [
                    table.id,
                    table.name_en if _en() else table.name_ja,
                    code.code,
                    code.name_ja,
                    code.name_en,
                    code.group,
                    _label("provenance", table.provenance.value),
                    table.source if n == 0 else None,
                    table.pattern if n == 0 else None,
                ],
            )
    extend_autofilter(ws)
    wrap = Alignment(vertical="top", wrap_text=True)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    set_widths(ws, [18, 16, 10, 24, 30, 10, 8, 60, 30])
    fit_row_heights(ws, 1)
    _print(ws, spec)


def data_dictionary(
    spec: Spec, code_tables: Mapping[str, CodeTable], *, entity_id: str | None = None
) -> Workbook:
    """The workbook: cover (表紙), one sheet per entity, and the code tables the items use."""
    from openpyxl import Workbook

    entities = selected_entities(spec, entity_id)
    wb = Workbook()
    cover = wb.active
    assert cover is not None
    cover.title = _h("表紙", "Cover")
    sheet_of: dict[str, str] = {}
    for e in entities:
        title = sheet_title(e.name_en if _en() else e.name_ja, [*wb.sheetnames])
        ws = wb.create_sheet(title)
        sheet_of[e.id] = title
        _entity_sheet(ws, spec, e, code_tables)
    used = sorted(
        {i.code_table for e in entities for i in e.items if i.code_table and i.code_table in code_tables}
    )
    if used:
        codes = wb.create_sheet(sheet_title(_h("コード表", "Codes"), wb.sheetnames))
        _codes_sheet(codes, spec, [code_tables[u] for u in used])
    _cover(cover, spec, entities, sheet_of)
    wb.properties.title = f"{spec.key} {spec.business.name_ja}"
    wb.properties.creator = f"migrate {__version__}"
    return wb
