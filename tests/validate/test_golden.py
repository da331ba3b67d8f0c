"""The engine reproduces the golden findings exactly: whole file and in pieces of several sizes.

The goldens (tests/golden/*.json) were written by tests/golden/make_golden.py with the engine as it stood
before the second-generation reader (issue 15); any change of a finding (code, line, row, item, column,
severity, value shown, detail, order), of the counts, of the checks that ran or of the 外字 list fails here.
One deliberate change since, recorded after the new reader reproduced them all: a charset-outside-jis /
-mj finding names each character as 「髙」(U+9AD9) (a control character by its code point only).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from migrate.standard.loader import SpecRegistry, load_registry
from tests.golden.cases import GOLDEN, SPECS, Case, all_cases, run_case

CASES = {c.name: c for c in all_cases()}
RUNS = [(name, chunk) for name, c in CASES.items() for chunk in (None, *c.chunks)]


@pytest.fixture(scope="module")
def registry() -> SpecRegistry:
    return load_registry(SPECS)


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {}


def _folder(folders: dict[str, Path], factory: pytest.TempPathFactory, case: Case) -> Path:
    # one folder per case, kept for the module: each piece size validates the same built file
    if case.name not in folders:
        folders[case.name] = factory.mktemp(case.name)
    return folders[case.name]


def _golden(name: str) -> dict[str, Any]:
    return json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))


def test_every_case_has_a_golden_and_every_golden_a_case() -> None:
    assert {p.stem for p in GOLDEN.glob("*.json")} == set(CASES)


@pytest.mark.parametrize(("name", "chunk"), RUNS, ids=[f"{n}-{c}" for n, c in RUNS])
def test_findings_equal_the_golden(
    name: str,
    chunk: int | None,
    registry: SpecRegistry,
    folders: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    case = CASES[name]
    got = json.loads(json.dumps(run_case(case, _folder(folders, tmp_path_factory, case), chunk, registry)))
    want = _golden(name)
    assert got.get("read_bytes", None) == (
        case.build(_folder(folders, tmp_path_factory, case)).stat().st_size if "error" not in want else None
    )
    got.pop("read_bytes", None)
    want.pop("read_bytes", None)
    if "findings" in want:
        assert got.get("findings") == want["findings"]  # the first difference, shown line by line
    assert got == want
