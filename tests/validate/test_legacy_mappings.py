"""The legacy mappings beyond 住民記録 (mappings/<business>/): each passes `mapping check` and finds
exactly the defects demo/make_deliveries.py plants in its extract, night 1 and night 2 (line and item),
with the same night's 住民記録 and 住登外者 deliveries as references."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from migrate.mapping.load import load_mapping
from migrate.mapping.model import Mapping
from migrate.nightly.worker import with_ref_aliases
from migrate.standard.loader import SpecRegistry, load_registry
from migrate.validate.compile import Options
from migrate.validate.run import load_refs, validate_file
from tests.conftest import ROOT, SPECS, demo_generator, run

BUSINESSES = ["kojin-juminzei", "kotei-shisanzei", "kokuho", "kaigo-hoken", "jido-teate"]


md = demo_generator()


@pytest.fixture(scope="module")
def registry() -> SpecRegistry:
    return load_registry(SPECS)


@pytest.fixture(scope="module")
def nights(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """The deliveries as they stand after night 1 and after night 2 (each in its own folder)."""
    out = {}
    for night in (1, 2):
        folder = tmp_path_factory.mktemp(f"night{night}")
        md.make(folder, 1)
        if night == 2:
            md.make(folder, 2)
        out[night] = folder
    return out


def references(folder: Path, registry: SpecRegistry) -> dict[str, Any]:
    """住民記録 (every juki delivery, through its mapping) ∪ the 住登外者 list, as the demo suite says."""
    juki = load_mapping(ROOT / "mappings" / "juki" / "midori-jumin-v1.yaml")
    juki_files = sorted((folder / "vendor-a" / "juki").glob("*.csv"))
    specs: list[tuple[str, Path, Mapping | None]] = [("juki@4.0/jumin", p, juki) for p in juki_files]
    specs.append(("atena/jutogai_atena", folder / "vendor-b" / "atena" / "jutogai.csv", None))
    refs: dict[str, Any] = {}
    for target, path, mapping in specs:
        for key, values in load_refs([(target, path, mapping)], registry).items():
            refs[key] = values if key not in refs else pl.concat([refs[key], values]).unique()
    return with_ref_aliases(refs, (("atena/jutogai_atena/atenabango", "juki/jumin/atena_no"),))


def found(business: str, folder: Path, registry: SpecRegistry, refs: Any) -> set[tuple[int, str, str]]:
    spec_ = md.LEGACY[business]
    mapping = load_mapping(ROOT / spec_["mapping"])
    spec, entity = registry.entity(f"{mapping.spec}/{mapping.entity}")
    result = validate_file(
        folder / spec_["path"],
        spec,
        entity,
        registry,
        mapping,
        refs=refs,
        options=Options(fictional_lg_codes=frozenset(mapping.fictional_lg_codes)),
    )
    assert result.rows == len(spec_["rows"]())
    return {
        (line, item, code) for line, item, code in result.findings.select("line", "item", "code").iter_rows()
    }


@pytest.mark.parametrize("business", BUSINESSES)
def test_mapping_check_passes(business: str) -> None:
    [path] = sorted((ROOT / "mappings" / business).glob("*.yaml"))
    result = run("mapping", "check", str(path))
    assert result.exit_code == 0, result.output
    assert "code-not-covered" not in result.output  # every standard code has a legacy one


@pytest.mark.parametrize("night", [1, 2])
@pytest.mark.parametrize("business", BUSINESSES)
def test_delivery_has_exactly_the_planted_defects(
    business: str, night: int, nights: dict[int, Path], registry: SpecRegistry
) -> None:
    folder = nights[night]
    assert found(business, folder, registry, references(folder, registry)) == md.expected_findings(
        business, night
    )


def test_night_two_fixes_two_and_adds_one() -> None:
    for business in BUSINESSES:
        one, two = md.expected_findings(business, 1), md.expected_findings(business, 2)
        assert len(one - two) == 2 and len(two - one) == 1, business


def test_a_number_only_in_the_jutogai_list_needs_that_list(
    nights: dict[int, Path], registry: SpecRegistry
) -> None:
    """Without the 住登外者 alternative, the tax rows pointing there are reference-missing."""
    folder = nights[1]
    refs = references(folder, registry)
    juki_only = {k: v for k, v in refs.items() if not k.startswith("atena/")}
    juki = load_mapping(ROOT / "mappings" / "juki" / "midori-jumin-v1.yaml")
    juki_only["juki/jumin/atena_no"] = load_refs(
        [("juki@4.0/jumin", p, juki) for p in sorted((folder / "vendor-a" / "juki").glob("*.csv"))], registry
    )["juki/jumin/atena_no"]
    extra = found("kojin-juminzei", folder, registry, juki_only) - md.expected_findings("kojin-juminzei", 1)
    assert extra == {(5, "atena_no", "reference-missing")}  # row 3: the 住登外者 md.jutogai(1)


def test_deliveries_are_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    md.make(a, 1)
    md.make(b, 1)
    for p in sorted(a.rglob("*.csv")):
        assert p.read_bytes() == (b / p.relative_to(a)).read_bytes(), p
