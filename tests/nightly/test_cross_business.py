"""Cross-business references in the nightly: tax and insurance 宛名番号 against the same night's 住民記録
delivery, with the 住登外者 list as a declared alternative (`also_for`), and the demo suite itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from migrate.errors import ConfigError
from migrate.history.store import ResultRecord
from migrate.nightly.runner import NightlyOptions, run_nightly
from migrate.nightly.suite import load_suite
from migrate.nightly.worker import with_ref_aliases
from migrate.standard.loader import SpecRegistry
from tests.conftest import ROOT
from tests.validate.test_legacy_mappings import md

DEMO_SUITE = ROOT / "checks" / "midori-nightly.yaml"
JUKI = "{target: juki@4.0/jumin, path: vendor-a/juki/*.csv, mapping: midori-jumin-v1}"
JUTOGAI = "{target: atena/jutogai_atena, path: vendor-b/atena/*.csv, also_for: juki/jumin/atena_no%s}"
SUITE = """kind: migrate/suite
format: 1
name: cross-business
root: deliveries
fictional_lg_codes: ['992011']
sources:
  - id: kazei
    vendor: ベンダーB
    entity: kojin-juminzei@3.0/kazei
    mapping: midori-kazei-v1
    paths: [vendor-b/kojin-juminzei/*.csv]
    refs: [%s]
"""


@pytest.fixture(scope="module")
def deliveries(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cross") / "deliveries"
    md.make(folder, 1)
    return folder


def run_suite(folder: Path, refs: str, registry: SpecRegistry, monkeypatch: pytest.MonkeyPatch) -> set[Any]:
    """Run a one-source suite over the demo's night-1 deliveries: {(line, item)} of reference-missing."""
    monkeypatch.chdir(ROOT)  # mapping ids resolve under mappings/
    suite = folder.parent / f"suite-{abs(hash(refs))}.yaml"
    suite.write_text(SUITE % refs, encoding="utf-8")
    got: list[ResultRecord] = []
    options = NightlyOptions(jobs=1, history=folder.parent / f"h-{abs(hash(refs))}.sqlite")
    run_nightly(load_suite(suite), registry, options, on_recorded=lambda _run, rec: got.append(rec))
    [rec] = got
    assert rec.status == "ok", rec.message
    return {(line, item) for _fp, code, item, _sev, line in rec.findings if code == "reference-missing"}


def test_missing_from_juki_is_found_and_jutogai_only_is_accepted(
    deliveries: Path, registry: SpecRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    # row 5 (line 7) is in neither list; row 3 (line 5) is the 住登外者 md.jutogai(1)
    both = run_suite(deliveries, f"{JUKI}, {JUTOGAI % ''}", registry, monkeypatch)
    assert both == {(7, "atena_no")}
    juki_only = run_suite(deliveries, JUKI, registry, monkeypatch)
    assert juki_only == {(5, "atena_no"), (7, "atena_no")}


def test_explicit_item_and_the_list_alone(
    deliveries: Path, registry: SpecRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`item:` names the alternative's item; with only the 住登外者 list, every resident is missing."""
    explicit = run_suite(deliveries, f"{JUKI}, {JUTOGAI % ', item: atenabango'}", registry, monkeypatch)
    assert explicit == {(7, "atena_no")}
    alone = run_suite(deliveries, JUTOGAI % "", registry, monkeypatch)
    assert (5, "atena_no") not in alone and len(alone) == 199  # 200 rows, one of them a 住登外者


@pytest.mark.parametrize(
    ("ref", "key"),
    [
        (JUTOGAI % ", item: no_such_item", "item"),
        ("{target: juki@4.0/jumin, path: vendor-a/juki/*.csv, item: atena_no}", "item"),
    ],
)
def test_bad_alternative_is_a_suite_error(
    ref: str, key: str, deliveries: Path, registry: SpecRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ConfigError) as exc:
        run_suite(deliveries, ref, registry, monkeypatch)
    assert exc.value.exit_code == 3
    assert key in exc.value.render()


def test_also_for_must_name_an_item() -> None:
    from pydantic import ValidationError

    from migrate.nightly.suite import RefSpec

    with pytest.raises(ValidationError):
        RefSpec(target="atena/jutogai_atena", path="x.csv", also_for="juki/jumin")
    assert RefSpec(target="atena/jutogai_atena", path="x.csv", also_for="juki/jumin/atena_no").item is None


def test_aliases_make_a_union_without_touching_the_inputs() -> None:
    juki = pl.Series(["a", "b"])
    refs = {"juki/jumin/atena_no": juki, "atena/jutogai_atena/atenabango": pl.Series(["c"])}
    out = with_ref_aliases(refs, (("atena/jutogai_atena/atenabango", "juki/jumin/atena_no"),))
    assert sorted(out["juki/jumin/atena_no"].to_list()) == ["a", "b", "c"]
    assert juki.to_list() == ["a", "b"] and refs["juki/jumin/atena_no"] is juki
    only = with_ref_aliases(
        {"atena/jutogai_atena/atenabango": pl.Series(["c"])},
        (("atena/jutogai_atena/atenabango", "juki/jumin/atena_no"),),
    )
    assert only["juki/jumin/atena_no"].to_list() == ["c"]


def test_demo_suite_loads_with_six_businesses_two_vendors(registry: SpecRegistry) -> None:
    loaded = load_suite(DEMO_SUITE)
    sources = loaded.suite.sources
    assert {s.vendor for s in sources} == {"ベンダーA", "ベンダーB"}
    businesses = {s.business for s in sources}
    assert {"juki", "kojin-juminzei", "kotei-shisanzei", "kokuho", "kaigo-hoken", "jido-teate"} <= businesses
    for s in sources:
        registry.entity(s.entity)
        if s.business not in ("juki", "atena"):
            targets = {r.target.split("/")[0].split("@")[0] for r in s.refs}
            assert targets == {"juki", "atena"}, s.id
            assert [r.also_for for r in s.refs if r.target.startswith("atena")] == ["juki/jumin/atena_no"]
    legacy = {s.mapping for s in sources if s.mapping}
    assert {Path(v["mapping"]).stem for v in md.LEGACY.values()} <= legacy


def test_a_cluster_worker_applies_the_alternative_too(
    deliveries: Path, registry: SpecRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cluster worker gets no reference values, only the files (and reads them itself): the alias
    travels in the context, so it finds the same set as the local pool."""
    from dataclasses import replace

    from migrate.nightly.executor import _with_refs
    from migrate.nightly.runner import hash_file, prepare
    from migrate.nightly.worker import FileTask, WorkerState, validate_task

    monkeypatch.chdir(ROOT)
    suite = deliveries.parent / "suite-cluster.yaml"
    suite.write_text(SUITE % f"{JUKI}, {JUTOGAI % ''}", encoding="utf-8")
    [ps] = prepare(load_suite(suite), registry, NightlyOptions(jobs=1))
    ctx = _with_refs(replace(ps.context, refs=None, ref_files=tuple(ps.ref_files)), registry)
    assert ctx.ref_aliases == (("atena/jutogai_atena/atenabango", "juki/jumin/atena_no"),)
    [path] = ps.files
    seen = hash_file(path)
    task = FileTask("kazei", str(path), path.name, seen.sha256, seen.size, "k")
    rec = validate_task(task, WorkerState(registry=registry, contexts={"kazei": ctx}, salt=b"s"))
    assert rec.status == "ok", rec.message
    assert {(line, item) for _f, code, item, _s, line in rec.findings if code == "reference-missing"} == {
        (7, "atena_no")
    }
