"""The mapping model: which legacy column feeds which standard item, through which transforms."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from migrate.i18n import t

SIMPLE_TRANSFORMS = (
    "trim",  # strip half- and full-width spaces at both ends
    "upper",
    "nfkc",  # Unicode NFKC (use with care: it also folds 外字-free compatibility characters)
    "zenkaku-kana",  # half-width katakana → full-width (ﾔﾏﾀﾞ → ヤマダ), via jaconv's table
    "katakana",  # hiragana → katakana
    "hankaku-digits",  # full-width digits → half-width
    "hankaku-alnum",  # full-width ASCII letters, digits and symbols → half-width
    "zenkaku-space",  # half-width space between 氏 and 名 → full-width space
    "zenkaku",  # 基本データリスト Ｎ: half-width ASCII, space and 半角カナ → full-width (1-2 → １－２)
    "remove-hyphens",
    "wareki",  # 和暦 / legacy date forms → YYYY-MM-DD
    "empty-to-null",
)


def declared_fictional_codes(v: Any) -> Any:
    """`fictional_lg_codes:` of a mapping or suite, checked (quoted, 6 digits, check digit, not real)."""
    from migrate.checks.check_digit import fictional_lg_codes

    if isinstance(v, list) and any(not isinstance(c, str) for c in v):
        raise ValueError(
            t(
                "コードは引用符で囲んでください ('992011'): YAML は 011002 を数値として読みます",
                "quote each code ('992011'): YAML reads 011002 as a number",
            )
        )
    return fictional_lg_codes(v) if isinstance(v, list) else v


MAX_ZERO_PAD = 1000  # far above any item's length in the 20 specs


class Split(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    separator: str = Field(min_length=1)
    index: int


class ItemMap(BaseModel):
    """How one standard item is produced."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_: str | list[str] | None = Field(default=None, alias="from")
    join: str | None = None  # separator when from lists several columns (氏 + 名)
    constant: str | None = None
    split: Split | None = None
    transforms: list[str | dict[str, Any]] = Field(default_factory=list)
    codes: dict[str, str] | None = None  # legacy code → standard code
    codes_passthrough: bool = False  # values already in the standard table pass unchanged
    default: str | None = None  # when the legacy value is empty

    @field_validator("codes", mode="before")
    @classmethod
    def _stringify(cls, v: Any) -> Any:
        if isinstance(v, dict):
            return {str(k): str(val) for k, val in v.items()}
        return v

    @field_validator("transforms")
    @classmethod
    def _known(cls, v: list[str | dict[str, Any]]) -> list[str | dict[str, Any]]:
        for tr in v:
            if isinstance(tr, str):
                if tr not in SIMPLE_TRANSFORMS:
                    raise ValueError(
                        f"unknown transform {tr!r} (known: {', '.join(SIMPLE_TRANSFORMS)}, zero-pad: N)"
                    )
            elif isinstance(tr, dict):
                n = tr.get("zero-pad")
                if set(tr) != {"zero-pad"} or not isinstance(n, int) or isinstance(n, bool):
                    raise ValueError("a parameterised transform is {zero-pad: N} with N > 0")
                if not 0 < n <= MAX_ZERO_PAD:
                    # polars allocates the padded string for every value: a huge N aborts the process
                    raise ValueError(f"zero-pad: N must be between 1 and {MAX_ZERO_PAD} (got {n})")
        return v

    @field_validator("from_")
    @classmethod
    def _columns(cls, v: str | list[str] | None) -> str | list[str] | None:
        names = [v] if isinstance(v, str) else v or []
        if v is not None and (not names or any(not isinstance(c, str) or not c.strip() for c in names)):
            raise ValueError("from names one or more legacy columns (an empty name reads nothing)")
        return v

    @model_validator(mode="after")
    def _source(self) -> ItemMap:
        if (self.from_ is None) == (self.constant is None):
            raise ValueError("give exactly one of: from, constant")
        if isinstance(self.from_, list) and len(self.from_) > 1 and self.join is None:
            raise ValueError("several source columns need join: SEPARATOR")
        return self

    @property
    def sources(self) -> list[str]:
        if self.from_ is None:
            return []
        return [self.from_] if isinstance(self.from_, str) else list(self.from_)

    def transform_names(self) -> list[str]:
        return [tr if isinstance(tr, str) else next(iter(tr)) for tr in self.transforms]


class SourceInfo(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    system: str | None = None
    vendor: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    columns: list[str] | None = None  # the legacy layout, for linting without data

    # what validate will read the file with is checked here, so `mapping check` and every loader refuse
    # it with file:line instead of the reader failing later
    @field_validator("encoding")
    @classmethod
    def _encoding(cls, v: str | None) -> str | None:
        from migrate.io.encoding import encoding_problem

        if v is not None and (problem := encoding_problem(v)):
            raise ValueError(f"{problem} (use cp932, utf-8 or euc-jp)")
        return v

    @field_validator("delimiter")
    @classmethod
    def _delimiter(cls, v: str | None) -> str | None:
        from migrate.io.csvfile import delimiter_problem

        if v is not None and (problem := delimiter_problem(v)):
            raise ValueError(problem)
        return v


class Mapping(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["migrate/mapping"]
    format: Literal[1]
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    title: str | None = None
    spec: str  # BUSINESS[@VERSION]
    entity: str
    source: SourceInfo = Field(default_factory=SourceInfo)
    items: dict[str, ItemMap] = Field(min_length=1)
    ignore: list[str] = Field(default_factory=list)  # legacy columns deliberately not migrated
    # 全国地方公共団体コード of a fictional municipality (demo, training data) the extract carries
    fictional_lg_codes: list[str] = Field(default_factory=list)

    @field_validator("fictional_lg_codes", mode="before")
    @classmethod
    def _fictional(cls, v: Any) -> Any:
        return declared_fictional_codes(v)

    @property
    def used_columns(self) -> set[str]:
        return {c for m in self.items.values() for c in m.sources}
