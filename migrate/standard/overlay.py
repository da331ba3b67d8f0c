"""Our additions to an imported official spec, kept apart from it (`kind: migrate/spec-overlay`).

An imported spec says only what the workbook says. What the product adds — an executable
`required_when` for a 条件付き必須 item whose ※※ prose is clear enough, a sensitivity so personal
values are masked, a check digit the law defines — lives in `<version>.overlay.yaml` beside the
spec file, each addition with the reason it is safe. Re-importing the workbook never loses them, and
nothing is attached silently: an overlay naming an unknown item, or an attribute it may not set,
is an error with file and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from migrate.i18n import t
from migrate.standard.model import CheckDigit, Condition, Sensitivity, Severity, Spec
from migrate.yamlfile import YamlDoc, check_kind, load_yaml, pydantic_error

OVERLAY_SUFFIX = ".overlay.yaml"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ItemOverlay(_Frozen):
    reason: str = Field(min_length=1)  # why the addition is safe (the prose it encodes, the law …)
    required_when: Condition | None = None
    sensitivity: Sensitivity | None = None
    check_digit: CheckDigit | None = None
    check_digit_severity: Severity | None = None


class Overlay(_Frozen):
    kind: Literal["migrate/spec-overlay"]
    format: Literal[1]
    spec: str  # BUSINESS@VERSION it applies to
    notes: str | None = None
    items: dict[str, ItemOverlay]  # "entity/item" → additions


def overlay_path(spec_path: Path) -> Path:
    return spec_path.with_name(f"{spec_path.stem}{OVERLAY_SUFFIX}")


def is_overlay(path: Path) -> bool:
    return path.name.endswith(OVERLAY_SUFFIX)


def load_overlay(path: Path) -> tuple[Overlay, YamlDoc]:
    doc = load_yaml(path)
    check_kind(doc, "migrate/spec-overlay")
    try:
        return Overlay.model_validate(doc.data), doc
    except ValidationError as exc:
        raise pydantic_error(doc, exc) from None


def apply_overlay(spec: Spec, spec_path: Path) -> Spec:
    """spec with the overlay beside spec_path applied (spec unchanged when there is none)."""
    path = overlay_path(spec_path)
    if not path.is_file():
        return spec
    overlay, doc = load_overlay(path)
    if overlay.spec != spec.key:
        raise doc.error(
            t(
                "オーバーレイは {o} 用ですが、仕様は {s} です",
                "the overlay is for {o} but the spec is {s}",
                o=overlay.spec,
                s=spec.key,
            ),
            ["spec"],
        )
    data: dict[str, Any] = spec.model_dump(mode="json", by_alias=True, exclude_none=True)
    for ref, add in overlay.items.items():
        entity_id, _, item_id = ref.partition("/")
        target = next(
            (
                it
                for ent in data["entities"]
                if ent["id"] == entity_id
                for it in ent["items"]
                if it["id"] == item_id
            ),
            None,
        )
        if target is None:
            raise doc.error(
                t("項目 {r} は {s} にありません", "{s} has no item {r}", r=ref, s=spec.key),
                ["items", ref],
                hint=t("ENTITY/ITEM の形で書いてください", "write it as ENTITY/ITEM"),
            )
        if add.required_when is not None and target.get("required") != "conditional":
            raise doc.error(
                t(
                    "required_when は条件付き必須の項目にだけ付けられます ({r})",
                    "required_when only applies to conditionally required items ({r})",
                    r=ref,
                ),
                ["items", ref, "required_when"],
            )
        target.update(add.model_dump(mode="json", by_alias=True, exclude_none=True, exclude={"reason"}))
    try:
        return Spec.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise doc.error(
            t(
                "オーバーレイを適用できません: {e}",
                "the overlay cannot be applied: {e}",
                e=err["msg"],
            ),
            ["items"],
        ) from None
