"""Helpers for nightly tests: tiny CP932 住民記録 deliveries with chosen defects, a suite around them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from migrate.nightly.runner import NightlyOptions, run_nightly
from migrate.nightly.suite import LoadedSuite, load_suite
from migrate.samples import JUKI_HEADER, atena, juki_rows
from migrate.standard.loader import SpecRegistry, load_registry
from tests.conftest import ROOT, SPECS

MAPPING = ROOT / "mappings" / "juki" / "midori-jumin-v1.yaml"

# Defects chosen here (not the samples' list) so the expected findings stay fixed: row -> (column, value)
NIGHT1 = {
    2: ("性別", "X"),  # code-unmapped
    4: ("続柄", "叔父"),  # code-invalid
    6: ("郵便番号", "12-34567"),  # pattern-mismatch
    8: ("団体コード", "131017"),  # check-digit-invalid
}
NIGHT2 = {
    **{i: d for i, d in NIGHT1.items() if i not in (2, 4)},  # fixed: 2
    10: ("性別", "Z"),  # new
    12: ("消除日", "H31.05.01"),  # new: wareki-date-invalid
    14: ("続柄", "叔母"),  # new
}


def write_jumin(
    path: Path, rows: int, *, seed: int = 7, first_atena: int = 100000, defects: dict[int, Any] | None = None
) -> Path:
    """A 住民記録 extract in the midori legacy layout (CP932, CRLF) with its own 宛名番号 range."""
    lines = [",".join(JUKI_HEADER)]
    a, s = JUKI_HEADER.index("宛名番号"), JUKI_HEADER.index("世帯番号")
    for i, row in enumerate(juki_rows(rows, seed, defects=False)):
        row[a] = atena(first_atena + i)
        row[s] = atena(first_atena + 400000 + i // 3)
        for col, bad in [(defects or {})[i]] if i in (defects or {}) else []:
            row[JUKI_HEADER.index(col)] = bad
        lines.append(",".join(f'"{v}"' if "," in v else v for v in row))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp932"))
    return path


SUITE = """kind: migrate/suite
format: 1
name: test-nightly
title: テスト
municipality: みどり市
history: history.sqlite
thresholds: {{min_readiness: 0.999, max_errors: 0}}
sources:
  - id: juki-a
    vendor: ベンダーA
    entity: juki@4.0/jumin
    mapping: {mapping}
    paths: ["deliveries/a/*.csv"]
{extra}"""


def write_suite(folder: Path, extra: str = "", mapping: Path = MAPPING) -> Path:
    p = folder / "suite.yaml"
    p.write_text(SUITE.format(mapping=mapping, extra=extra), encoding="utf-8")
    return p


@pytest.fixture(scope="session")
def registry() -> SpecRegistry:
    return load_registry(SPECS)


@pytest.fixture
def night(tmp_path: Path, registry: SpecRegistry) -> Callable[..., Any]:
    """Run the suite under tmp_path once (jobs=1); returns the NightlyRun."""

    def run(suite: Path | None = None, **options: Any) -> Any:
        loaded: LoadedSuite = load_suite(suite or tmp_path / "suite.yaml")
        options.setdefault("jobs", 1)
        return run_nightly(loaded, registry, NightlyOptions(**options))

    return run
