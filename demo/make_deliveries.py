"""Write the fictional vendor deliveries the nightly demo validates (deterministic; every person invented).

    python demo/make_deliveries.py [FOLDER] [--night 1|2]

Night 1 writes, under FOLDER (default demo/deliveries):
  vendor-a/juki/jumin_chuo.csv    ベンダーA 住民記録 (CP932, legacy layout), 40 rows, the 10 known defects
  vendor-a/juki/jumin_kita.csv    ベンダーA 住民記録, 30 rows, 3 defects
  vendor-a/juki/jumin_minami.csv  ベンダーA 住民記録, 20 rows, no error
  vendor-a/juki/jumin_higashi.csv ベンダーA 住民記録, 15 rows, 1 defect
  vendor-a/juki/jumin_nishi.csv   ベンダーA 住民記録, 15 rows, no error
  vendor-b/zei/kazei_2025.csv     ベンダーB 個人住民税 課税 (UTF-8, standard headers), 12 rows, 3 defects;
                                  its 宛名番号 must exist in ベンダーA's 住民記録 (a cross-file check)
Night 2 rewrites jumin_chuo.csv only: two defects fixed (rows 3 and 5), two new ones (rows 25 and 27).
The nightly run then validates that file again, and the 個人住民税 file too (its reference file
changed); every other file is carried forward unchanged.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import unicodedata
from pathlib import Path

from migrate.samples import (
    JUKI_DEFECTS,
    JUKI_HEADER,
    MEI,
    MEI_KANA,
    SEI,
    SEI_KANA,
    atena,
    juki_rows,
    lg_code,
    my_number,
)

# row index -> (column, bad value)
CHUO_NIGHT1 = {i: (col, bad) for i, (col, bad, _code) in JUKI_DEFECTS.items()}
CHUO_NIGHT2 = {
    **{i: d for i, d in CHUO_NIGHT1.items() if i not in (3, 5)},  # fixed: the two date defects
    25: ("消除日", "H31.05.01"),  # new: 平成31年5月1日 never existed (令和元年)
    27: ("郵便番号", "ABC-1234"),  # new: not a postal code
}
KITA = {2: ("性別", "9"), 6: ("続柄", "叔母"), 8: ("郵便番号", "1234567-")}


def _csv_line(fields: list[str]) -> str:
    out = []
    for f in fields:
        if any(c in f for c in ',"\n'):
            f = '"' + f.replace('"', '""') + '"'
        out.append(f)
    return ",".join(out)


def write_juki_file(
    path: Path, rows: int, *, seed: int, first_atena: int, defects: dict[int, tuple[str, str]]
) -> Path:
    """A 住民記録 extract in ベンダーA's legacy layout, with its own 宛名番号 range and chosen defects."""
    lines = [_csv_line(JUKI_HEADER)]
    a, s = JUKI_HEADER.index("宛名番号"), JUKI_HEADER.index("世帯番号")
    for i, row in enumerate(juki_rows(rows, seed, defects=False)):
        row[a] = atena(first_atena + i)
        row[s] = atena(first_atena + 400000 + i // 3)
        if i in defects:
            col, bad = defects[i]
            row[JUKI_HEADER.index(col)] = bad
        lines.append(_csv_line(row))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp932"))
    return path


KAZEI_HEADER = [
    "課税年度", "宛名番号", "個人番号", "氏名", "氏名フリガナ", "生年月日", "賦課期日現在の住所", "課税区分",
    "非課税事由", "徴収方法", "特別徴収義務者指定番号", "給与収入金額", "給与所得金額", "公的年金等収入金額",
    "公的年金等所得金額", "総所得金額", "合計所得金額", "所得控除額合計", "課税総所得金額", "市町村民税所得割額",
    "道府県民税所得割額", "市町村民税均等割額", "道府県民税均等割額", "年税額", "税額決定年月日", "地方公共団体コード",
]  # fmt: skip
# row index -> (column, bad value): 宛名番号 not in 住民記録, income above receipts, unknown 課税区分
KAZEI_DEFECTS = {4: ("宛名番号", atena(990001)), 7: ("給与所得金額", "9999999"), 10: ("課税区分", "7")}


def write_kazei_file(path: Path, rows: int, *, seed: int, atena_from: int) -> Path:
    """個人住民税 課税 in the standard layout (headers are the items' Japanese names), UTF-8."""
    rng = random.Random(seed)
    lines = [_csv_line(KAZEI_HEADER)]
    for i in range(rows):
        s, m = rng.randrange(len(SEI)), rng.randrange(len(MEI))
        kana = "　".join(unicodedata.normalize("NFKC", k) for k in (SEI_KANA[s], MEI_KANA[m]))
        shunyu = rng.randrange(2_000_000, 8_000_000, 1000)
        shotoku = int(shunyu * 0.7)
        kojo = 430_000 + rng.randrange(0, 800_000, 1000)
        kazei = max(0, (shotoku - kojo) // 1000 * 1000)
        shi, ken = kazei * 6 // 100, kazei * 4 // 100
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 18000))
        row = {
            "課税年度": "2025",
            "宛名番号": atena(atena_from + i),
            "個人番号": my_number(rng),
            "氏名": f"{SEI[s]}　{MEI[m]}",
            "氏名フリガナ": kana,
            "生年月日": birth.isoformat(),
            "賦課期日現在の住所": f"みどり市中央{rng.randint(1, 9)}丁目{rng.randint(1, 40)}番",
            "課税区分": "1",
            "非課税事由": "",
            "徴収方法": "1",
            "特別徴収義務者指定番号": "",
            "給与収入金額": str(shunyu),
            "給与所得金額": str(shotoku),
            "公的年金等収入金額": "0",
            "公的年金等所得金額": "0",
            "総所得金額": str(shotoku),
            "合計所得金額": str(shotoku),
            "所得控除額合計": str(kojo),
            "課税総所得金額": str(kazei),
            "市町村民税所得割額": str(shi),
            "道府県民税所得割額": str(ken),
            "市町村民税均等割額": "3000",
            "道府県民税均等割額": "1000",
            "年税額": str(shi + ken + 4000),
            "税額決定年月日": "2025-06-01",
            "地方公共団体コード": lg_code(),
        }
        if i in KAZEI_DEFECTS:
            col, bad = KAZEI_DEFECTS[i]
            row[col] = bad
        lines.append(_csv_line([row[h] for h in KAZEI_HEADER]))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def make(folder: Path, night: int = 1) -> list[Path]:
    """Write the deliveries of the given night; returns the files written."""
    juki = folder / "vendor-a" / "juki"
    chuo = CHUO_NIGHT1 if night == 1 else CHUO_NIGHT2
    written = [write_juki_file(juki / "jumin_chuo.csv", 40, seed=7, first_atena=100000, defects=chuo)]
    if night == 1:
        written += [
            write_juki_file(juki / "jumin_kita.csv", 30, seed=11, first_atena=200000, defects=KITA),
            write_juki_file(juki / "jumin_minami.csv", 20, seed=13, first_atena=300000, defects={}),
            write_juki_file(
                juki / "jumin_higashi.csv",
                15,
                seed=19,
                first_atena=400000,
                defects={4: ("団体コード", "131017")},
            ),
            write_juki_file(juki / "jumin_nishi.csv", 15, seed=23, first_atena=500000, defects={}),
            write_kazei_file(folder / "vendor-b" / "zei" / "kazei_2025.csv", 12, seed=17, atena_from=100000),
        ]
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="demo/deliveries", type=Path)
    parser.add_argument("--night", type=int, choices=(1, 2), default=1)
    args = parser.parse_args(argv)
    for p in make(args.folder, args.night):
        print(f"wrote {p}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
