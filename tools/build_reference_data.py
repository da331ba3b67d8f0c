"""Derive the reference tables shipped in migrate/data/ from the published sources.

    python tools/build_reference_data.py [SOURCE_DIR]   (default: ../shared/official)

Writes, deterministically (re-running on the same sources gives the same bytes):
- migrate/data/mj-repertoire.txt: the MJ part of 行政事務標準文字 as code-point ranges, and its IVS
  sequences grouped by selector, from code4fukui/mojikiban's moji.csv / moji_ivs.csv (IPA's MJ文字情報一覧表,
  CC BY-SA 2.1 JP: the file carries that attribution and stays a separate data file);
- migrate/data/lg-codes.csv: the 全国地方公共団体コード of every prefecture and municipality/ward, from
  code4fukui/localgovjp (CC0).

Only this script reads SOURCE_DIR; the product and its tests read the files it writes.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "migrate" / "data"
VS_FIRST, VS_LAST = 0xE0100, 0xE01EF  # Ideographic Variation Selectors (IVS)
PER_LINE = 12


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def ranges(cps: set[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for cp in sorted(cps):
        if out and out[-1][1] == cp - 1:
            out[-1] = (out[-1][0], cp)
        else:
            out.append((cp, cp))
    return out


def _fmt(rs: list[tuple[int, int]]) -> list[str]:
    parts = [f"{a:X}" if a == b else f"{a:X}-{b:X}" for a, b in rs]
    return [" ".join(parts[i : i + PER_LINE]) for i in range(0, len(parts), PER_LINE)]


def mj_repertoire(src: Path) -> tuple[set[int], dict[int, set[int]]]:
    """(code points, {selector: bases}) of the MJ table.

    An MJ character is either one code point or a base + IVS pair (the 11,382 MJ glyphs of 5,057
    ideographs that have several). The bare base of a pair is in the repertoire too: it is the
    unified ideograph all those glyphs share (MJ縮退 keeps it), and a value without IVS uses it.
    """
    chars: set[int] = set()
    pairs: dict[int, set[int]] = {}
    for r in _rows(src / "mj-characters.csv"):
        cps = [ord(c) for c in r["kanji"]]
        if len(cps) == 1:
            chars.add(cps[0])
        elif len(cps) == 2 and VS_FIRST <= cps[1] <= VS_LAST:
            chars.add(cps[0])
            pairs.setdefault(cps[1], set()).add(cps[0])
        else:
            raise SystemExit(f"unexpected MJ entry {r['mj']}: {r['kanji']!r}")
    for r in _rows(src / "mj-characters-ivs.csv"):
        # "535A_E010A;2B9E4_E0100": one MJ glyph with two UCS spellings; every one is a pair
        for seq in r["ucs"].split(";"):
            base, vs = (int(x, 16) for x in seq.split("_"))
            chars.add(base)
            pairs.setdefault(vs, set()).add(base)
    return chars, pairs


def write_repertoire(src: Path) -> Path:
    chars, pairs = mj_repertoire(src)
    n_pairs = sum(len(b) for b in pairs.values())
    lines = [
        "# 行政事務標準文字 (MJ part): the MJ文字情報一覧表 as code points and IVS sequences",
        "# Source: 文字情報基盤 MJ文字情報一覧表, (c) 独立行政法人情報処理推進機構 (IPA) / 一般社団法人 文字情報技術促進協議会,",
        "#   CC BY-SA 2.1 JP (https://creativecommons.org/licenses/by-sa/2.1/jp/), via code4fukui/mojikiban",
        "#   (data/moji.csv, data/moji_ivs.csv). This file is a derived work under the same licence.",
        "# Derived by tools/build_reference_data.py; see migrate/data/SOURCE.md. The MJ+ additions",
        "#   (about 9,400 GJ characters) are not in the source table, hence not here.",
        f"# {len(chars)} code points, {n_pairs} IVS sequences. Hex code points; A-B is a range.",
        "[chars]",
        *_fmt(ranges(chars)),
    ]
    for vs in sorted(pairs):
        lines += [f"[ivs {vs:X}]", *_fmt(ranges(pairs[vs]))]
    out = DATA / "mj-repertoire.txt"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def write_lg_codes(src: Path) -> Path:
    rows = [("lgcode", "prefecture", "name")]
    for r in _rows(src / "pref-codes.csv"):
        rows.append((r["lgcode"], r["pref"], ""))
    for r in _rows(src / "localgov-codes.csv"):
        rows.append((r["lgcode"], r["pref"], r["city"]))
    codes = [r[0] for r in rows[1:]]
    if len(set(codes)) != len(codes) or not all(len(c) == 6 and c.isdigit() for c in codes):
        raise SystemExit("lg codes: duplicates or malformed codes in the source")
    out = DATA / "lg-codes.csv"
    with out.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([rows[0], *sorted(rows[1:])])
    return out


def main(argv: list[str]) -> int:
    src = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared" / "official"
    for out in (write_repertoire(src), write_lg_codes(src)):
        print(f"wrote {out.relative_to(ROOT)} ({out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
