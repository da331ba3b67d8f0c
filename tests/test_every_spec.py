"""Every spec has validated data: a clean sample of each entity passes, a defective one is found exactly.

One test per spec (the latest version of each business, and juki@4.0): its entities' clean samples
validate with 0 errors and 0 warnings, and every defect the generator wrote in FILE.truth.json is
reported at its line, on its item, with its code, while clean rows get no finding at all. References
are checked against the clean samples of the entities they point at (juki/jumin for other businesses).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from migrate.standard.loader import SpecRegistry, load_registry
from migrate.standard.model import Entity, Spec
from migrate.standard.sample import generate, load_ref_values, write_sample
from migrate.validate.run import ValidationResult, load_refs, validate_file
from tests.conftest import SPECS

ROWS = 40
DEFECT_RATE = 0.5

REGISTRY = load_registry(SPECS)
SPEC_KEYS = [REGISTRY.latest(b).key for b in REGISTRY.business_ids] + ["juki@4.0"]


def _spec(key: str) -> Spec:
    return REGISTRY.get(key)


class Samples:
    """Clean samples made once per session, by spec key and entity (references point at them)."""

    def __init__(self, registry: SpecRegistry, root: Path) -> None:
        self.registry = registry
        self.root = root
        self.files: dict[tuple[str, str], Path] = {}

    def clean(self, spec: Spec, entity: Entity) -> Path:
        key = (spec.key, entity.id)
        if key not in self.files:
            path = self.root / f"{spec.business.id}-{spec.version}-{entity.id}.csv"
            write_sample(generate(spec, entity, self.registry, rows=ROWS, seed=1), path)
            self.files[key] = path
        return self.files[key]

    def ref_targets(self, spec: Spec, entity: Entity) -> list[tuple[str, Path]]:
        """BUSINESS/ENTITY=FILE for every entity the items of entity reference."""
        out: dict[str, Path] = {}
        for it in entity.items:
            if not it.references:
                continue
            b, e, _ = it.references.split("/")
            target = spec if b == spec.business.id else self.registry.latest(b)
            out[f"{b}/{e}"] = self.clean(target, target.entity(e))
        return sorted(out.items())


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Samples:
    return Samples(REGISTRY, tmp_path_factory.mktemp("every-spec"))


def _found(result: ValidationResult) -> Counter[tuple[int, str, str]]:
    rows = result.findings.select(["line", "item", "code"]).rows()
    return Counter((int(line), str(item), str(code)) for line, item, code in rows if line is not None)


def test_the_parametrization_covers_every_spec_and_entity() -> None:
    assert len(SPEC_KEYS) == len(REGISTRY.business_ids) + 1 >= 21
    assert all(_spec(k).entities for k in SPEC_KEYS)


@pytest.mark.parametrize("key", SPEC_KEYS)
def test_every_entity_validates_clean_and_defects_are_found_exactly(
    key: str, samples: Samples, tmp_path: Path
) -> None:
    spec = _spec(key)
    for entity in spec.entities:
        targets = samples.ref_targets(spec, entity)
        refs = load_refs([(t, p, None) for t, p in targets], REGISTRY) if targets else None

        clean = validate_file(samples.clean(spec, entity), spec, entity, REGISTRY, refs=refs)
        assert clean.rows == ROWS
        assert (clean.errors, clean.warnings) == (0, 0), (
            entity.id,
            clean.findings.select(["line", "item", "code"]).head(10).rows(),
        )

        sample = generate(
            spec,
            entity,
            REGISTRY,
            rows=ROWS,
            seed=2,
            defect_rate=DEFECT_RATE,
            refs=load_ref_values(targets, REGISTRY),
        )
        path = write_sample(sample, tmp_path / f"{entity.id}.csv")
        truth = sample.truth()
        assert truth["rows"] == ROWS
        assert len(truth["defects"]) == round(ROWS * DEFECT_RATE), entity.id
        result = validate_file(path, spec, entity, REGISTRY, refs=refs)
        found = _found(result)
        expected = Counter((d["line"], d["item"], d["kind"]) for d in truth["defects"])
        assert sorted(expected - found) == [], entity.id
        defect_lines = {d["line"] for d in truth["defects"]}
        on_clean_rows = sorted(f for f in found if f[0] not in defect_lines)
        assert on_clean_rows == [], (entity.id, on_clean_rows)
        # one defect per defective row: nothing else is reported on it either, not even twice
        assert sorted((found - expected).elements()) == [], entity.id
        assert result.findings.height == sum(expected.values()), entity.id
