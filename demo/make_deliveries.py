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
  vendor-a/juki/jumin_sakura.csv  ベンダーA 住民記録, 300 rows, no error: the residents the legacy
                                  extracts below point at (宛名番号 0006000003 …)
  vendor-b/atena/jutogai.csv      ベンダーB 住登外者宛名番号管理 (atena, standard layout, UTF-8), 20
                                  non-residents (宛名番号 0008000003 …): tax rows may point here
  legacy extracts (CP932, 和暦, vendor codes and column names, 半角カナ), one per business, each
  validated through its mapping under mappings/<business>/, with the defects of LEGACY[...]["defects"]:
  vendor-b/kojin-juminzei/kazei_R06.csv   個人住民税 課税 (midori-kazei-v1), 200 rows
  vendor-b/kotei-shisanzei/tochi_R06.csv  固定資産税 土地 (midori-tochi-v1), 200 rows
  vendor-a/kokuho/hihokensha.csv          国民健康保険 被保険者 (midori-kokuho-v1), 210 rows
  vendor-a/kaigo-hoken/hihokensha.csv     介護保険 被保険者 (midori-kaigo-v1), 200 rows
  vendor-a/jido-teate/jukyusha.csv        児童手当 受給者 (midori-jidoteate-v1), 150 rows
Night 2 rewrites jumin_chuo.csv: two defects fixed (rows 3 and 5), two new ones (rows 25 and 27),
and each legacy extract: two of its night-1 defects fixed, one new. The nightly run then validates
those files again, and every file that references 住民記録 too (its reference file changed); every
other file is carried forward unchanged.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import unicodedata
from pathlib import Path
from typing import Any

from migrate.samples import (
    CHO,
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
from migrate.wareki import to_wareki

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


# --- residents, non-residents and the legacy extracts of the other businesses -------------------------

SAKURA_FIRST = 600000  # 宛名番号 of jumin_sakura.csv: atena(600000 + i), i < SAKURA_ROWS
SAKURA_ROWS = 300
JUTOGAI_FIRST = 800000  # 住登外者 (atena/jutogai_atena): atena(800000 + i), i < JUTOGAI_ROWS
JUTOGAI_ROWS = 20
ZEN_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
FICTIONAL_INSURER = "992016"  # 保険者番号 of ひかり台市 (fictional; 6 digits as the spec's pattern)


def resident(i: int) -> str:
    return atena(SAKURA_FIRST + i)


def jutogai(i: int) -> str:
    return atena(JUTOGAI_FIRST + i)


def _kana(s: int, m: int) -> str:
    """半角カナ 氏名 as legacy systems hold it: ﾔﾏﾀﾞ ﾀﾛｳ (half-width space)."""
    return f"{SEI_KANA[s]} {MEI_KANA[m]}"


def _day(rng: random.Random, start: dt.date, span: int) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, span))


def _code_date(d: dt.date) -> str:
    """和暦 as a 7-digit code: era (1 明治 … 5 令和) + YYMMDD (3450401)."""
    w = to_wareki(d, "letter")
    return {"M": "1", "T": "2", "S": "3", "H": "4", "R": "5"}[w[0]] + w[1:].replace(".", "")


def _strip_zeros(atena_no: str) -> str:
    """Legacy systems that keep 宛名番号 as a number drop its leading zeros (the mapping pads them)."""
    return atena_no.lstrip("0")


JUTOGAI_HEADER = [
    "宛名番号", "個人番号", "氏名", "氏_日本人", "名_日本人", "氏名_外国人アルファベット", "氏名_外国人漢字",
    "氏名_読み仮名", "氏_日本人_読み仮名", "名_日本人_読み仮名", "性別", "生年月日", "生年月日_不詳表記",
    "住所_市区町村コード", "住所_町字コード", "住所_都道府県", "住所_市区郡町村名", "住所_町字", "住所_番地号表記",
    "住所_方書", "住所_方書_フリガナ", "住所_郵便番号", "業務ID", "独自施策システム等ID", "代表宛名フラグ",
    "名寄せ先宛名番号", "操作者ID", "操作年月日", "操作時刻",
]  # fmt: skip


def write_jutogai_file(path: Path) -> Path:
    """住登外者宛名番号管理 (atena@1.0/jutogai_atena) in the standard layout: every データ項目 as a column,
    headed by its name, UTF-8; Japanese non-residents living in the fictional ほしぞら市 (架空県)."""
    rng = random.Random(31)
    lines = [_csv_line(JUTOGAI_HEADER)]
    for i in range(JUTOGAI_ROWS):
        s, m = rng.randrange(len(SEI)), rng.randrange(len(MEI))
        kana = [unicodedata.normalize("NFKC", k) for k in (SEI_KANA[s], MEI_KANA[m])]
        row = {
            "宛名番号": jutogai(i),
            "個人番号": my_number(rng) if i % 4 else "",
            "氏名": f"{SEI[s]}　{MEI[m]}",
            "氏_日本人": SEI[s],
            "名_日本人": MEI[m],
            "氏名_読み仮名": "　".join(kana),
            "氏_日本人_読み仮名": kana[0],
            "名_日本人_読み仮名": kana[1],
            "性別": rng.choice(["1", "2"]),
            "生年月日": _day(rng, dt.date(1940, 1, 1), 20000).isoformat(),
            "住所_都道府県": "架空県",
            "住所_市区郡町村名": "ほしぞら市",
            "住所_町字": f"{rng.choice(['北町', '南町', '湖畔'])}{'一二三四五'[rng.randrange(5)]}丁目",
            "住所_番地号表記": f"{rng.randint(1, 40)}番{rng.randint(1, 20)}号".translate(ZEN_DIGITS),
            "住所_郵便番号": f"{rng.randint(100, 999)}{rng.randint(0, 9999):04d}",
            "業務ID": "010",
            "代表宛名フラグ": "0",
            "操作者ID": "OP0001",
            "操作年月日": "2026-11-01",
            "操作時刻": f"{9 + i % 8:02d}:{rng.randint(0, 59):02d}:00",
        }
        lines.append(_csv_line([row.get(h, "") for h in JUTOGAI_HEADER]))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


def _kazei_rows(n: int) -> list[dict[str, str]]:
    """ベンダーB 旧税務システム 個人住民税 課税台帳 (令和6年度)."""
    rng = random.Random(41)
    out = []
    for i in range(n):
        s, m = rng.randrange(len(SEI)), rng.randrange(len(MEI))
        kind = "03" if i % 17 == 16 else ("02" if i % 11 == 10 else "01")
        shunyu = (
            rng.randrange(2_000_000, 8_000_000, 1000) if kind == "01" else rng.randrange(0, 1_000_000, 1000)
        )
        shotoku = int(shunyu * 0.7) if kind == "01" else max(0, shunyu - 550_000)
        kojo = 430_000 + rng.randrange(0, 800_000, 1000)
        kazei = max(0, (shotoku - kojo) // 1000 * 1000) if kind == "01" else 0
        shi, ken = kazei * 6 // 100, kazei * 4 // 100
        kinto = (3000, 1000) if kind in ("01", "02") else (0, 0)
        choshu = "" if kind == "03" else ("T" if i % 3 == 0 else ("N" if i % 7 == 1 else "F"))
        out.append(
            {
                "年度": "2024".translate(ZEN_DIGITS),
                "宛名番号": _strip_zeros(jutogai(1) if i == 3 else resident(i)),
                "個人番号": my_number(rng) if rng.random() < 0.9 else "",
                "氏名": f"{SEI[s]}　{MEI[m]}",
                "氏名ｶﾅ": _kana(s, m),
                "生年月日": to_wareki(_day(rng, dt.date(1945, 1, 1), 20000), "letter"),
                "賦課期日住所": f"ひかり台市{rng.choice(CHO)}{rng.randint(1, 9)}丁目{rng.randint(1, 40)}番",
                "課税区分": kind,
                "非課税事由": rng.choice(["A", "C"]) if kind == "03" else "",
                "徴収区分": choshu,
                "特徴義務者番号": f"T{rng.randint(1, 40):08d}" if choshu == "T" else "",
                "給与収入": str(shunyu),
                "給与所得": str(shotoku),
                "年金収入": "0",
                "年金所得": "0",
                "総所得": str(shotoku),
                "合計所得": str(shotoku),
                "所得控除計": str(kojo),
                "課税標準": str(kazei),
                "市民税所得割": str(shi),
                "県民税所得割": str(ken),
                "市民税均等割": str(kinto[0]),
                "県民税均等割": str(kinto[1]),
                "年税額": str(shi + ken + sum(kinto)),
                "決定日": to_wareki(dt.date(2024, 6, 1) + dt.timedelta(days=i % 20), "letter"),
                "団体コード": lg_code(),
                "処理日時": "2026/11/20 23:10",
            }
        )
    return out


CHIMOKU = ["田", "畑", "宅地", "宅地", "宅地", "山林", "原野", "雑種地", "公衆用道路"]
IDO = ["新規", "移転", "分筆", "合筆", "地変", "住変", "他"]


def _tochi_rows(n: int) -> list[dict[str, str]]:
    """ベンダーB 旧固定資産税システム 土地課税台帳 (令和6年度); a third of the owners are 住登外者."""
    rng = random.Random(43)
    out = []
    for i in range(n):
        s, m = rng.randrange(len(SEI)), rng.randrange(len(MEI))
        owner = jutogai(i % JUTOGAI_ROWS) if i % 3 == 2 else resident(rng.randrange(SAKURA_ROWS))
        chimoku = rng.choice(CHIMOKU)
        area = rng.randint(5000, 90000) / 100
        hikazei = chimoku == "公衆用道路"
        hyoka = 0 if hikazei else int(area * rng.randint(20_000, 90_000))
        juyo = "小規模" if chimoku == "宅地" and area <= 200 else ("一般" if chimoku == "宅地" else "非住宅")
        base = hyoka // 6 if juyo == "小規模" else (hyoka // 3 if juyo == "一般" else hyoka * 7 // 10)
        toshi = "外" if i % 5 == 0 else "内"
        ido = rng.choice(IDO) if rng.random() < 0.3 else ""
        out.append(
            {
                "年度": "2024",
                "物件番号": f"{10000 + i:07d}",
                "納税義務者番号": owner,
                "納税義務者氏名": f"{SEI[s]}　{MEI[m]}",
                "共有": "共有" if i % 9 == 4 else "単独",
                "所在": f"ひかり台市{rng.choice(CHO)}{'一二三四五'[rng.randrange(5)]}丁目",
                "地番": f"{rng.randint(1, 999)}番{rng.randint(1, 30)}",
                "登記地目": chimoku,
                "現況地目": chimoku,
                "登記地積": f"{area:.2f}",
                "現況地積": f"{area:.2f}",
                "非課税地積": f"{area:.2f}" if hikazei else "",
                "住宅用地": juyo,
                "課税区分": "非課税" if hikazei else "課税",
                "非課税事由": "地方税法第348条第2項第5号（公共の用に供する道路）" if hikazei else "",
                "評価額": str(hyoka),
                "課税標準額": str(base),
                "都計区域": toshi,
                "都計課税標準額": "" if toshi == "外" else str(base),
                "異動事由": ido,
                "異動日": to_wareki(_day(rng, dt.date(2015, 1, 1), 3000), "letter") if ido else "",
                "団体コード": lg_code(),
            }
        )
    return out


def _kokuho_rows(n: int) -> list[dict[str, str]]:
    """ベンダーA 旧国保システム 被保険者台帳: households of three (世帯主, 妻, 子)."""
    rng = random.Random(47)
    out = []
    for i in range(n):
        s, m = rng.randrange(len(SEI)), rng.randrange(len(MEI))
        head = i - i % 3
        member = i % 3
        birth = _day(rng, dt.date(1950, 1, 1), 18000) if member < 2 else _day(rng, dt.date(2000, 1, 1), 7000)
        shutoku = _day(rng, max(birth, dt.date(2010, 4, 1)), 2000)
        lost = i % 13 == 12
        out.append(
            {
                "保険者番号": FICTIONAL_INSURER,
                "記号": f"{12 + head % 4}",
                "番号": f"{30000 + head // 3}".translate(ZEN_DIGITS),
                "枝番": str(member + 1),
                "宛名番号": _strip_zeros(resident(i)),
                "個人番号": my_number(rng) if rng.random() < 0.9 else "",
                "氏名": f"{SEI[s]}　{MEI[m]}",
                "ｶﾅ氏名": _kana(s, m),
                "生年月日": _code_date(birth),
                "性別": "女" if member == 1 else rng.choice(["男", "女"]),
                "世帯主番号": _strip_zeros(resident(head)),
                "擬制世帯主": "*" if member == 0 and i % 7 == 0 else "",
                "続柄": ["世帯主", "妻", "子"][member],
                "取得日": to_wareki(shutoku, "letter"),
                "取得事由": rng.choice(["転入", "社離", "出生"] if member == 2 else ["転入", "社離", "他"]),
                "届出日": to_wareki(shutoku + dt.timedelta(days=rng.randint(0, 14)), "letter"),
                "喪失日": to_wareki(dt.date(2025, 3, 31), "letter") if lost else "",
                "喪失事由": "社加" if lost else "",
                "負担割合": "2割" if member == 2 else "3割",
                "限度額区分": rng.choice(["ｱ", "ｲ", "ｳ", "ｴ", "ｵ", ""]),
                "住特": "",
                "郵便番号": f"{rng.randint(100, 999)}-{rng.randint(0, 9999):04d}",
                "住所": f"ひかり台市{CHO[head % len(CHO)]}{head % 9 + 1}丁目{head % 40 + 1}番",
                "団体コード": lg_code(),
                "更新日時": f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d} 18:30:00",
            }
        )
    return out


def _kaigo_rows(n: int) -> list[dict[str, str]]:
    """ベンダーA 旧介護保険システム 被保険者台帳 (第1号・第2号)."""
    rng = random.Random(53)
    out = []
    for i in range(n):
        s, m = rng.randrange(len(SEI)), rng.randrange(len(MEI))
        first = i % 4 != 3  # 第1号 (65歳以上) three times in four
        birth = _day(rng, dt.date(1935, 1, 1), 7000) if first else _day(rng, dt.date(1962, 1, 1), 7000)
        shutoku = _day(rng, dt.date(2005, 4, 1), 6000)
        lost = i % 19 == 18
        tokurei = i % 23 == 5
        dankai = rng.randint(1, 13)
        out.append(
            {
                "被保険者番号": f"99{i + 1:08d}",
                "保険者番号": FICTIONAL_INSURER,
                "宛名番号": resident(50 + i),
                "個人番号": my_number(rng) if rng.random() < 0.9 else "",
                "氏名": f"{SEI[s]}　{MEI[m]}",
                "氏名ｶﾅ": _kana(s, m),
                "生年月日": to_wareki(birth),
                "性別": rng.choice(["M", "F"]),
                "郵便番号": f"{rng.randint(100, 999)}{rng.randint(0, 9999):04d}",
                "住所": f"ひかり台市{rng.choice(CHO)}{rng.randint(1, 9)}丁目{rng.randint(1, 40)}番",
                "資格区分": "1号" if first else "2号",
                "取得日": to_wareki(shutoku, "letter"),
                "取得事由": "A" if first else "E",
                "喪失日": to_wareki(dt.date(2025, 9, 30), "letter") if lost else "",
                "喪失事由": "B" if lost else "",
                "住所地特例": "1" if tokurei else "0",
                "施設名": "特別養護老人ホームひかりの里" if tokurei else "",
                "所得段階": str(dankai) if first else "",
                "年額保険料": str(dankai * 6200) if first else "",
                "徴収方法": rng.choice(["特徴", "特徴", "普徴", "併用"]) if first else "",
                "団体コード": lg_code(),
                "更新日時": f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d} 09:00:00",
            }
        )
    return out


def _jido_rows(n: int) -> list[dict[str, str]]:
    """ベンダーA 旧児童手当システム 受給者台帳."""
    rng = random.Random(59)
    out = []
    for i in range(n):
        s, m = rng.randrange(len(SEI)), rng.randrange(len(MEI))
        seikyu = _day(rng, dt.date(2016, 4, 1), 2500)
        nintei = seikyu + dt.timedelta(days=rng.randint(0, 20))
        kaishi = dt.date(seikyu.year + seikyu.month // 12, seikyu.month % 12 + 1, 1)
        kids = rng.randint(1, 3)
        ended = i % 29 == 28
        out.append(
            {
                "受給者番号": f"{1000000 + i}",
                "宛名番号": resident(100 + i).translate(ZEN_DIGITS),
                "個人番号": my_number(rng) if rng.random() < 0.9 else "",
                "氏名": f"{SEI[s]}　{MEI[m]}",
                "氏名ｶﾅ": _kana(s, m),
                "生年月日": to_wareki(_day(rng, dt.date(1975, 1, 1), 8000), "letter"),
                "郵便番号": f"{rng.randint(100, 999)}-{rng.randint(0, 9999):04d}",
                "住所": f"ひかり台市{rng.choice(CHO)}{rng.randint(1, 9)}丁目{rng.randint(1, 40)}番",
                "請求日": to_wareki(seikyu, "letter"),
                "認定日": to_wareki(nintei, "letter"),
                "支給開始月": to_wareki(kaishi, "letter"),
                "支給区分": "特例" if i % 15 == 7 else "本則",
                "児童数": str(kids),
                "月額": str(5000 if i % 15 == 7 else 10000 * kids),
                "所得額": str(rng.randrange(1_500_000, 9_000_000, 1000)),
                "扶養数": str(kids + rng.randint(0, 1)),
                "銀行": f"{rng.choice([9900, 9901, 9902])}",
                "支店": f"{rng.randint(1, 999):03d}",
                "口座": f"{rng.randint(0, 9_999_999):07d}",
                "消滅日": to_wareki(dt.date(2025, 3, 31), "letter") if ended else "",
                "消滅事由": "年齢" if ended else "",
                "団体コード": lg_code(),
                "更新日時": f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d} 17:45:00",
            }
        )
    return out


# Each legacy extract: where it goes, its rows, and per night {row index: ({column: bad value}, finding
# code, item)}; night 2 fixes two of night 1's defects and adds one. The line of a row is index + 2.
LegacyDefects = dict[int, tuple[dict[str, str], str, str]]
KAZEI_N1: LegacyDefects = {
    5: ({"宛名番号": _strip_zeros(atena(990002))}, "reference-missing", "atena_no"),  # in neither list
    9: ({"課税区分": "05"}, "code-unmapped", "kazei_kubun"),  # a vendor code the table lacks
    14: ({"決定日": "R06.02.30"}, "wareki-date-invalid", "kettei_date"),
    20: ({"給与所得": "9999999"}, "rule-violated", "kyuyo_shotoku"),  # above 給与収入
}
TOCHI_N1: LegacyDefects = {
    4: ({"納税義務者番号": atena(990011)}, "reference-missing", "nozeigimusha_atena_no"),
    8: ({"登記地目": "沼"}, "code-unmapped", "toki_chimoku"),
    12: ({"課税標準額": "999999999"}, "rule-violated", "kazei_hyojun_gaku"),  # above 評価額
    16: ({"都計課税標準額": ""}, "conditional-required-missing", "toshikei_kazei_hyojun_gaku"),
}
KOKUHO_N1: LegacyDefects = {
    6: ({"性別": "X"}, "code-unmapped", "seibetsu"),
    10: ({"郵便番号": "12-34567"}, "pattern-mismatch", "postal_code"),
    15: ({"負担割合": "1割"}, "code-unmapped", "futan_wariai"),
    21: ({"宛名番号": _strip_zeros(atena(990021))}, "reference-missing", "atena_no"),
}
KAIGO_N1: LegacyDefects = {
    3: ({"喪失日": "R07.09.30"}, "conditional-required-missing", "soshitsu_jiyu"),  # no 喪失事由
    6: ({"年額保険料": ""}, "conditional-required-missing", "hokenryo_nengaku"),  # 第1号
    11: ({"取得事由": "Q"}, "code-unmapped", "shutoku_jiyu"),
    18: ({"宛名番号": atena(990031)}, "reference-missing", "atena_no"),
}
JIDO_N1: LegacyDefects = {
    2: ({"支給区分": "旧特"}, "code-unmapped", "shikyu_kubun"),
    5: ({"請求日": "R07.12.01"}, "rule-violated", "nintei_seikyu_date"),  # after 認定日
    9: ({"銀行": "99A0"}, "pattern-mismatch", "kinyu_kikan_code"),
    13: ({"宛名番号": atena(990041).translate(ZEN_DIGITS)}, "reference-missing", "atena_no"),
}


def _night2(n1: LegacyDefects, fixed: tuple[int, int], new: LegacyDefects) -> LegacyDefects:
    return {**{i: d for i, d in n1.items() if i not in fixed}, **new}


LEGACY: dict[str, dict[str, Any]] = {
    "kojin-juminzei": {
        "path": "vendor-b/kojin-juminzei/kazei_R06.csv",
        "mapping": "mappings/kojin-juminzei/midori-kazei-v1.yaml",
        "rows": lambda: _kazei_rows(200),
        "defects": {
            1: KAZEI_N1,
            2: _night2(KAZEI_N1, (9, 14), {30: ({"生年月日": "S45.13.01"}, "date-invalid", "birth_date")}),
        },
    },
    "kotei-shisanzei": {
        "path": "vendor-b/kotei-shisanzei/tochi_R06.csv",
        "mapping": "mappings/kotei-shisanzei/midori-tochi-v1.yaml",
        "rows": lambda: _tochi_rows(200),
        "defects": {
            1: TOCHI_N1,
            2: _night2(TOCHI_N1, (8, 12), {41: ({"現況地目": "宅"}, "code-unmapped", "genkyo_chimoku")}),
        },
    },
    "kokuho": {
        "path": "vendor-a/kokuho/hihokensha.csv",
        "mapping": "mappings/kokuho/midori-kokuho-v1.yaml",
        "rows": lambda: _kokuho_rows(210),
        "defects": {
            1: KOKUHO_N1,
            2: _night2(KOKUHO_N1, (6, 10), {33: ({"続柄": "叔父"}, "code-invalid", "zokugara")}),
        },
    },
    "kaigo-hoken": {
        "path": "vendor-a/kaigo-hoken/hihokensha.csv",
        "mapping": "mappings/kaigo-hoken/midori-kaigo-v1.yaml",
        "rows": lambda: _kaigo_rows(200),
        "defects": {
            1: KAIGO_N1,
            2: _night2(KAIGO_N1, (3, 11), {25: ({"資格区分": "3号"}, "code-unmapped", "hihokensha_kubun")}),
        },
    },
    "jido-teate": {
        "path": "vendor-a/jido-teate/jukyusha.csv",
        "mapping": "mappings/jido-teate/midori-jidoteate-v1.yaml",
        "rows": lambda: _jido_rows(150),
        "defects": {
            1: JIDO_N1,
            2: _night2(JIDO_N1, (2, 9), {20: ({"月額": "-5000"}, "out-of-range", "teate_gekkaku")}),
        },
    },
}


def expected_findings(business: str, night: int) -> set[tuple[int, str, str]]:
    """(line, item, code) of every defect planted in that business's legacy extract that night."""
    return {(i + 2, item, code) for i, (_cells, code, item) in LEGACY[business]["defects"][night].items()}


def write_legacy_file(path: Path, rows: list[dict[str, str]], defects: LegacyDefects) -> Path:
    """A legacy extract: CP932, CRLF, the vendor's own column names; defects planted at their rows."""
    header = list(rows[0])
    lines = [_csv_line(header)]
    for i, row in enumerate(rows):
        cells = {**row, **defects[i][0]} if i in defects else row
        lines.append(_csv_line([cells[h] for h in header]))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp932"))
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
            write_juki_file(
                juki / "jumin_sakura.csv", SAKURA_ROWS, seed=29, first_atena=SAKURA_FIRST, defects={}
            ),
            write_jutogai_file(folder / "vendor-b" / "atena" / "jutogai.csv"),
        ]
    for spec in LEGACY.values():
        written.append(write_legacy_file(folder / spec["path"], spec["rows"](), spec["defects"][night]))
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
