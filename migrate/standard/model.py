"""The specification model: businesses, entities, data items and code tables (no polars here)."""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ID_RE = r"^[a-z][a-z0-9_]*$"
BUSINESS_ID_RE = r"^[a-z][a-z0-9-]*$"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ItemType(str, Enum):
    string = "string"
    integer = "integer"
    decimal = "decimal"
    date = "date"
    datetime = "datetime"
    code = "code"
    flag = "flag"
    time = "time"  # 基本データリスト TIME: HH:MM[:SS]
    year = "year"  # 基本データリスト YEAR: YYYY (0000 / 9999 = unknown / open-ended)
    blob = "blob"  # 基本データリスト BLOB (image): not checkable in a CSV, no checks declared


class LengthUnit(str, Enum):
    chars = "chars"
    cp932_bytes = "cp932-bytes"


class Required(str, Enum):
    required = "required"  # 必須
    optional = "optional"  # 任意
    conditional = "conditional"  # 条件付き


class DateRule(str, Enum):
    calendar = "calendar"  # must be a real calendar date
    lenient = "lenient"  # 住民記録: non-calendar dates and 不詳 forms accepted


class Charset(str, Enum):
    zenkaku_kana = "zenkaku-kana"  # 全角カタカナ (plus 全角スペース, ー)
    hankaku_digits = "hankaku-digits"  # 半角数字
    hankaku_alnum = "hankaku-alnum"  # 半角英数字
    jisx0213 = "jisx0213"  # within JIS X 0213:2004 (general systems)
    gyosei = "gyosei"  # 行政事務標準文字: MJ ∪ JIS X 0213 (warning outside; MJ+ not shipped)
    hankaku = "hankaku"  # 基本データリスト X 半角文字列: printable ASCII and 半角カナ only
    zenkaku = "zenkaku"  # 基本データリスト Ｎ 全角文字列: no half-width character, MJ repertoire


class CheckDigit(str, Enum):
    my_number = "my-number"  # 個人番号
    corporate_number = "corporate-number"  # 法人番号
    lg_code = "lg-code"  # 全国地方公共団体コード
    mod11_w2_7 = "mod11-w2-7"  # 宛名番号 / 世帯番号 (M11W2～7)


class Severity(str, Enum):
    error = "error"  # エラー
    warning = "warning"  # アラート


class Sensitivity(str, Enum):
    my_number = "my-number"  # 特定個人情報: never shown anywhere
    personal = "personal"  # masked unless the user asks
    none = "none"


class Provenance(str, Enum):
    official = "official"
    assumed = "assumed"


class Condition(_Frozen):
    """A machine-checkable condition on another item of the same row."""

    item: str
    equals: str | None = None
    in_: list[str] | None = Field(default=None, alias="in")
    present: bool | None = None

    @model_validator(mode="after")
    def _one(self) -> Condition:
        n = sum(x is not None for x in (self.equals, self.in_, self.present))
        if n != 1:
            raise ValueError("a condition takes exactly one of: equals, in, present")
        return self

    def describe(self) -> str:
        if self.equals is not None:
            return f"{self.item} = {self.equals}"
        if self.in_ is not None:
            return f"{self.item} in ({', '.join(self.in_)})"
        return f"{self.item} {'present' if self.present else 'absent'}"


class Range(_Frozen):
    min: float | None = None
    max: float | None = None


class Item(_Frozen):
    id: str = Field(pattern=ID_RE)
    std_id: str | None = None
    name_ja: str
    name_en: str
    type: ItemType
    max_length: int | None = Field(default=None, gt=0)
    min_length: int | None = Field(default=None, ge=0)
    length_unit: LengthUnit | None = None
    required: Required = Required.optional
    condition: str | None = None  # the condition as the standard words it
    required_when: Condition | None = None
    code_table: str | None = None
    pattern: str | None = None
    range: Range | None = None
    scale: int | None = Field(default=None, ge=0)  # decimal places for decimal items
    # 基本データリスト 9 / 9V are unsigned (S9 carries a "-"); 9V "n,m" / S9 n: at most n digits before
    # the decimal point, the sign not counted
    unsigned: bool = False
    integer_digits: int | None = Field(default=None, gt=0)
    date_rule: DateRule | None = None
    charset: Charset | None = None
    check_digit: CheckDigit | None = None
    severity: Severity = Severity.error
    sensitivity: Sensitivity = Sensitivity.none
    references: str | None = None  # business/entity/item
    provenance: Provenance | None = None
    description: str | None = None
    # As published in a 基本データリスト (kept for reports; the checks above are derived from them)
    official_type: str | None = None  # データ型 as written: X, Ｎ, 9, 9V, S9, BLOB, YEAR, DATE, TIME
    romaji: str | None = None  # データ項目（ローマ字）: the field name an API / standard CSV uses
    definition: str | None = None  # 項目定義
    explanation: str | None = None  # 項目説明 (the 条件付き必須 condition follows ※※)
    std_ref: str | None = None  # 標準仕様書関連箇所
    repeat: int | None = Field(default=None, ge=1)  # 繰り返し: maximum number of values
    foreign_key: bool = False  # グループ 外部キー ○
    source_ref: str | None = None  # where the facts were read: "workbook.xlsx / sheet / row 12"
    # Severity of a failed check digit when it differs from the item's (宛名番号: the rule binds newly
    # issued numbers only, j130, so a migrated number failing it is a warning)
    check_digit_severity: Severity | None = None

    @field_validator("pattern")
    @classmethod
    def _regex(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                re.compile(v)
            except re.error as exc:
                raise ValueError(f"invalid regular expression: {exc}") from None
        return v

    @field_validator("references")
    @classmethod
    def _ref(cls, v: str | None) -> str | None:
        if v is not None and v.count("/") != 2:
            raise ValueError("references must be business/entity/item")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Item:
        if self.type == ItemType.code and not self.code_table:
            raise ValueError(f"item {self.id}: type code needs a code_table")
        if (self.unsigned or self.integer_digits) and self.type not in (ItemType.integer, ItemType.decimal):
            raise ValueError(f"item {self.id}: unsigned / integer_digits only apply to numbers")
        if self.date_rule is not None and self.type not in (ItemType.date, ItemType.datetime):
            raise ValueError(f"item {self.id}: date_rule only applies to date items")
        if self.required == Required.conditional and not (self.condition or self.required_when):
            raise ValueError(f"item {self.id}: conditional items need a condition or required_when")
        if self.min_length is not None and self.max_length is not None and self.min_length > self.max_length:
            raise ValueError(f"item {self.id}: min_length exceeds max_length")
        if self.is_my_number and self.sensitivity != Sensitivity.my_number:
            # masking follows sensitivity: a 個人番号 item without it would be printed (番号法 第19条)
            raise ValueError(
                f"item {self.id}: a 個人番号 item (name 個人番号, id kojin_bango, romaji kojinbango or "
                "check_digit my-number) must have sensitivity: my-number"
            )
        return self

    @property
    def is_my_number(self) -> bool:
        """The item holds a 個人番号, by its check digit or its name (id, 名称, ローマ字)."""
        return (
            self.check_digit == CheckDigit.my_number
            or self.id == "kojin_bango"
            or self.name_ja.strip() == "個人番号"
            or (self.romaji or "").strip().lower().replace("_", "") == "kojinbango"
        )

    @property
    def effective_date_rule(self) -> DateRule:
        return self.date_rule or DateRule.calendar


class Rule(_Frozen):
    """A cross-field rule: left op right on two items of one row (both must be present)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name_ja: str
    name_en: str
    left: str
    op: Literal["<", "<=", "==", "!=", ">=", ">"]
    right: str
    severity: Severity = Severity.error
    provenance: Provenance = Provenance.assumed


class Entity(_Frozen):
    id: str = Field(pattern=ID_RE)
    name_ja: str
    name_en: str
    description: str | None = None
    primary_key: list[str] = Field(default_factory=list)
    unique: list[list[str]] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)
    items: list[Item] = Field(min_length=1)

    @model_validator(mode="after")
    def _keys(self) -> Entity:
        ids = [i.id for i in self.items]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise ValueError(f"entity {self.id}: duplicate item ids {sorted(dup)}")
        known = set(ids)
        for key in [*self.primary_key, *[k for u in self.unique for k in u]]:
            if key not in known:
                raise ValueError(f"entity {self.id}: key item {key!r} is not an item of the entity")
        for rule in self.rules:
            for side in (rule.left, rule.right):
                if side not in known:
                    raise ValueError(f"entity {self.id}: rule {rule.id} names unknown item {side!r}")
        for item in self.items:
            if item.required_when and item.required_when.item not in known:
                raise ValueError(
                    f"item {item.id}: required_when names unknown item {item.required_when.item!r}"
                )
        return self

    def item(self, item_id: str) -> Item:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    @property
    def item_ids(self) -> list[str]:
        return [i.id for i in self.items]


class Business(_Frozen):
    id: str = Field(pattern=BUSINESS_ID_RE)
    code: str = Field(pattern=r"^\d{3}$")
    name_ja: str
    name_en: str
    ministry: str
    ministry_provenance: Provenance = Provenance.assumed


class Source(_Frozen):
    title: str
    version: str
    published: dt.date | None = None
    url: str | None = None
    # whether version and publication date were confirmed against the publisher (else: to confirm)
    provenance: Provenance = Provenance.assumed


class Spec(_Frozen):
    """One version of one business's standard specification."""

    kind: Literal["migrate/spec"]
    format: Literal[1]
    business: Business
    version: str = Field(pattern=r"^\d+(\.\d+)*$")
    source: Source
    effective: dt.date
    length_unit: LengthUnit = LengthUnit.chars
    provenance: Provenance = Provenance.assumed
    notes: str | None = None
    entities: list[Entity] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_entities(self) -> Spec:
        ids = [e.id for e in self.entities]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise ValueError(f"duplicate entity ids {sorted(dup)}")
        return self

    @property
    def key(self) -> str:
        return f"{self.business.id}@{self.version}"

    def entity(self, entity_id: str) -> Entity:
        for e in self.entities:
            if e.id == entity_id:
                return e
        raise KeyError(entity_id)

    def length_unit_of(self, item: Item) -> LengthUnit:
        return item.length_unit or self.length_unit

    def provenance_of(self, item: Item) -> Provenance:
        return item.provenance or self.provenance

    @property
    def version_tuple(self) -> tuple[int, ...]:
        return tuple(int(p) for p in self.version.split("."))


class Code(_Frozen):
    code: str
    name_ja: str
    name_en: str | None = None
    group: str | None = None  # e.g. 異動事由の区分 (記載 / 消除 / 修正)


class CodeTable(_Frozen):
    kind: Literal["migrate/code-table"]
    format: Literal[1]
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name_ja: str
    name_en: str
    source: str | None = None
    provenance: Provenance = Provenance.assumed
    pattern: str | None = None  # values matching this are accepted too (e.g. 続柄 chains)
    codes: list[Code] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> CodeTable:
        seen: set[str] = set()
        for c in self.codes:
            if c.code in seen:
                raise ValueError(f"duplicate code {c.code!r}")
            seen.add(c.code)
        return self

    @property
    def values(self) -> list[str]:
        return [c.code for c in self.codes]
