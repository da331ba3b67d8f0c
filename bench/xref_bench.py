"""`make bench`: a cross-file reference at scale — a 1,000,000-row 個人住民税 extract (the ベンダーB legacy
layout of mappings/kojin-juminzei/midori-kazei-v1.yaml) whose every 宛名番号 is looked up in a
1,000,000-row 住民記録 extract (migrate.samples.write_juki, the file bench/run.py validates).

Measured: `migrate validate KAZEI --mapping midori-kazei-v1 --ref juki/jumin=JUKI::midori-jumin-v1`,
wall time and peak RSS of the process (reading the reference extract included). The kazei rows are
the demo's generated rows, cycled, each with its own 宛名番号 (atena(100000 + i), as the juki writer
numbers them); every 100,000th row points at a 宛名番号 nobody has (9000000…, above the juki
range), so a known number of reference-missing findings come out. Run alone: `python bench/xref_bench.py [ROWS]`.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data"
MISSING_EVERY = 100_000


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("make_deliveries", ROOT / "demo" / "make_deliveries.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_kazei(path: Path, rows: int) -> int:
    """The legacy 個人住民税 extract (CP932, CRLF); returns how many rows point at no resident."""
    md = _generator()
    from migrate.samples import atena

    template = md._kazei_rows(1000)
    header = list(template[0])
    missing = 0
    with open(path, "w", encoding="cp932", newline="") as fh:
        fh.write(md._csv_line(header) + "\r\n")
        chunk: list[str] = []
        for i in range(rows):
            row = dict(template[i % len(template)])
            if i % MISSING_EVERY == MISSING_EVERY - 1:
                row["宛名番号"] = md._strip_zeros(atena(9_000_000 + i // MISSING_EVERY))
                missing += 1
            else:
                row["宛名番号"] = md._strip_zeros(atena(100000 + i))
            chunk.append(md._csv_line([row[h] for h in header]))
            if len(chunk) >= 10000:
                fh.write("\r\n".join(chunk) + "\r\n")
                chunk = []
        if chunk:
            fh.write("\r\n".join(chunk) + "\r\n")
    return missing


def run(rows: int, repeat: int = 1) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from bench.run import measure
    from migrate.samples import JUKI_DEFECTS, write_juki

    DATA.mkdir(parents=True, exist_ok=True)
    juki = DATA / f"juki-{rows}.csv"
    if not juki.exists():
        print(f"generating {rows:,} 住民記録 rows → {juki} …", file=sys.stderr)
        write_juki(juki, rows)
    kazei = DATA / f"kazei-legacy-{rows}.csv"
    planted = (rows // MISSING_EVERY) if kazei.exists() else None
    if planted is None:
        print(f"generating {rows:,} 個人住民税 rows → {kazei} …", file=sys.stderr)
        planted = write_kazei(kazei, rows)
    # a juki row whose 宛名番号 is itself a defect (check digit) is not there to be referenced
    planted += sum(1 for i, (col, _bad, _code) in JUKI_DEFECTS.items() if col == "宛名番号" and i < rows)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        cmd = [
            sys.executable,
            "-m",
            "migrate",
            "validate",
            str(kazei),
            "--mapping",
            str(ROOT / "mappings/kojin-juminzei/midori-kazei-v1.yaml"),
            "--ref",
            f"juki/jumin={juki}::{ROOT / 'mappings/juki/midori-jumin-v1.yaml'}",
            "--format",
            "json",
            "-o",
            str(out),
        ]
        wall, rss, code = measure(cmd, repeat)
        data = json.loads(out.read_text(encoding="utf-8"))
    counts = data["data"][0]["summary"]["counts"]
    found = sum(c["count"] for c in counts if c["code"] == "reference-missing")
    return {
        "rows": rows,
        "kazei_mb": kazei.stat().st_size / 1e6,
        "juki_mb": juki.stat().st_size / 1e6,
        "wall": wall,
        "rss": rss,
        "exit": code,
        "reference_missing": found,
        "planted": planted,
        "load": os.getloadavg()[0],
    }


def line(r: dict[str, Any]) -> str:
    both = r["kazei_mb"] + r["juki_mb"]
    return (
        f"cross-file: {r['rows']:,}-row 個人住民税 ({r['kazei_mb']:,.0f} MB) → {r['rows']:,}-row 住民記録 "
        f"({r['juki_mb']:,.0f} MB): {r['wall']:.1f} s, peak RSS {r['rss'] / 1e6:,.0f} MB "
        f"({r['rss'] / 1e6 / both:.2f}x both files), reference-missing {r['reference_missing']} "
        f"(planted {r['planted']}), exit {r['exit']}, load avg {r['load']:.1f}"
    )


if __name__ == "__main__":
    print(line(run(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)))
