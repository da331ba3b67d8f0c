"""The mapping model: which legacy column feeds which standard item, through which transforms."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SIMPLE_TRANSFORMS = (
    "trim",  # strip half- and full-width spaces at both ends
    "upper",
    "nfkc",  # Unicode NFKC (use with care: it also folds 外字-free compatibility characters)
    "zenkaku-kana",  # half-width katakana → full-width (ﾔﾏﾀﾞ → ヤマダ), via jaconv's table
    "katakana",  # hiragana → katakana
    "hankaku-digits",  # full-width digits → half-width
    "hankaku-alnum",  # full-width ASCII letters, digits and symbols → half-width
    "zenkaku-space",  # half-width space between 氏 and 名 → full-width space
    "remove-hyphens",
    "wareki",  # 和暦 / legacy date forms → YYYY-MM-DD
    "empty-to-null",
)


class Split(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    separator: str
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
                if set(tr) != {"zero-pad"} or not isinstance(tr["zero-pad"], int) or tr["zero-pad"] <= 0:
                    raise ValueError("a parameterised transform is {zero-pad: N} with N > 0")
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

    @property
    def used_columns(self) -> set[str]:
        return {c for m in self.items.values() for c in m.sources}
