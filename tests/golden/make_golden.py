"""Write the golden findings: every case of cases.py validated whole by the current engine.

    .venv/bin/python -m tests.golden.make_golden [NAME ...]

Run it only to record a deliberate change of findings (and say so in the review); the engine's other
changes must leave these files as they are (tests/validate/test_golden.py).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from migrate.standard.loader import load_registry
from tests.golden.cases import GOLDEN, SPECS, all_cases, dumps, run_case


def main(names: list[str]) -> int:
    reg = load_registry(SPECS)
    cases = [c for c in all_cases() if not names or c.name in names]
    with tempfile.TemporaryDirectory() as tmp:
        for case in cases:
            folder = Path(tmp) / case.name
            folder.mkdir()
            doc = run_case(case, folder, None, reg)
            out = GOLDEN / f"{case.name}.json"
            out.write_text(dumps(doc), encoding="utf-8")
            print(f"{out.name}: {len(doc.get('findings', []))} findings", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
