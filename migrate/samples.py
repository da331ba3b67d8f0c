"""Deterministic fictional legacy extracts (住民記録 / 個人住民税) for the demo, tests and benchmark.

Every person is invented; 個人番号 are generated with valid check digits but random bodies.
Defects are injected at known rows so tests can assert exact findings.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

from migrate.checkdigit import lg_code_check_digit, mod11_w2_7_check_digit, my_number_check_digit
from migrate.wareki import to_wareki

JUKI_HEADER = [
    "宛名番号", "世帯番号", "個人番号", "住民区分", "状態区分", "氏", "名", "氏カナ", "名カナ", "生年月日",
    "性別", "続柄", "住民日", "住定日", "外国人住民日", "郵便番号", "住所", "番地", "方書", "本籍",
    "筆頭者", "国籍", "消除日", "団体コード", "更新日時",
]  # fmt: skip
SEI = ["山田", "佐藤", "鈴木", "髙橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "山﨑", "加藤"]
SEI_KANA = ["ﾔﾏﾀﾞ", "ｻﾄｳ", "ｽｽﾞｷ", "ﾀｶﾊｼ", "ﾀﾅｶ", "ｲﾄｳ", "ﾜﾀﾅﾍﾞ", "ﾔﾏﾓﾄ", "ﾅｶﾑﾗ", "ｺﾊﾞﾔｼ", "ﾔﾏｻﾞｷ", "ｶﾄｳ"]
MEI = ["太郎", "花子", "一郎", "美咲", "健太", "陽菜", "翔", "結衣", "大輔", "さくら"]
MEI_KANA = ["ﾀﾛｳ", "ﾊﾅｺ", "ｲﾁﾛｳ", "ﾐｻｷ", "ｹﾝﾀ", "ﾋﾅ", "ｼｮｳ", "ﾕｲ", "ﾀﾞｲｽｹ", "ｻｸﾗ"]
CHO = ["緑町", "若葉台", "桜ケ丘", "中央", "本町", "東山", "西原"]
ZOKU = ["世帯主", "妻", "子", "子", "母", "子の子", "同居人"]
MUNI_CODE = "99201"  # fictional ひかり台市 (992011; prefecture 99 does not exist)


def lg_code() -> str:
    return MUNI_CODE + str(lg_code_check_digit(MUNI_CODE))


def atena(n: int, width: int = 10) -> str:
    body = f"{n:0{width - 1}d}"
    return body + str(mod11_w2_7_check_digit(body))


def my_number(rng: random.Random) -> str:
    body = "".join(str(rng.randint(0, 9)) for _ in range(11))
    return body + str(my_number_check_digit(body))


def _wareki(d: dt.date, style: int) -> str:
    if style == 0:
        return to_wareki(d, "letter")
    if style == 1:
        return to_wareki(d)
    code = {"M": "1", "T": "2", "S": "3", "H": "4", "R": "5"}[to_wareki(d, "letter")[0]]
    return code + to_wareki(d, "letter")[1:].replace(".", "")


# row index -> (column, bad value, expected finding code)
JUKI_DEFECTS: dict[int, tuple[str, str, str]] = {
    3: ("生年月日", "S45.13.01", "date-invalid"),
    5: ("消除日", "S64.01.08", "wareki-date-invalid"),  # 住定日 would be lenient: accepted
    7: ("宛名番号", "0000000120", "check-digit-invalid"),
    9: ("性別", "X", "code-unmapped"),
    11: ("氏カナ", "ﾔﾏﾀﾞ!", "charset-zenkaku-kana"),  # a warning: フリガナ is アラート level
    13: ("郵便番号", "12-34567", "pattern-mismatch"),
    15: ("個人番号", "123456789012", "check-digit-invalid"),
    17: ("続柄", "叔父", "code-invalid"),
    19: ("団体コード", "131017", "check-digit-invalid"),
    21: ("氏", "\ue000田", "gaiji-private-use"),
}


def juki_rows(n: int, seed: int = 7, defects: bool = True) -> Iterator[list[str]]:
    rng = random.Random(seed)
    code = lg_code()
    base = dt.date(1930, 1, 1)
    for i in range(n):
        birth = base + dt.timedelta(days=rng.randint(0, 33000))
        since = max(birth, dt.date(1975, 1, 1)) + dt.timedelta(days=rng.randint(0, 3000))
        s = rng.randrange(len(SEI))
        m = rng.randrange(len(MEI))
        foreign = rng.random() < 0.03
        row = [
            atena(100000 + i),
            atena(500000 + i // 3),
            my_number(rng) if rng.random() < 0.9 else "",
            "G" if foreign else "J",
            "0",
            SEI[s],
            MEI[m],
            SEI_KANA[s],
            MEI_KANA[m],
            _wareki(birth, rng.randrange(3)),
            rng.choice(["M", "F"]),
            rng.choice(ZOKU),
            _wareki(since, 2),
            _wareki(since, 0),
            _wareki(since, 0) if foreign else "",
            f"{rng.randint(100, 999)}-{rng.randint(0, 9999):04d}",
            f"ひかり台市{rng.choice(CHO)}{rng.randint(1, 9)}丁目",
            f"{rng.randint(1, 40)}番{rng.randint(1, 20)}号",
            "" if rng.random() < 0.7 else f"ひかりハイツ{rng.randint(101, 905)}号室",
            "" if foreign else f"ひかり台市{rng.choice(CHO)}{rng.randint(1, 999)}番地",
            "" if foreign else f"{SEI[s]}　{rng.choice(MEI)}",
            "中国" if foreign else "",
            "",
            code,
            f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} 10:00:00",
        ]
        if defects and i in JUKI_DEFECTS:
            col, bad, _ = JUKI_DEFECTS[i]
            row[JUKI_HEADER.index(col)] = bad
        yield row


def _csv_line(fields: list[str]) -> str:
    out = []
    for f in fields:
        if any(c in f for c in ',"\n'):
            f = '"' + f.replace('"', '""') + '"'
        out.append(f)
    return ",".join(out)


def write_juki(
    path: str | Path, rows: int, *, seed: int = 7, defects: bool = True, encoding: str = "cp932"
) -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    with open(p, "w", encoding=encoding, newline="") as fh:
        fh.write(_csv_line(JUKI_HEADER) + "\r\n")
        chunk: list[str] = []
        for row in juki_rows(rows, seed, defects):
            chunk.append(_csv_line(row))
            if len(chunk) >= 10000:
                fh.write("\r\n".join(chunk) + "\r\n")
                chunk = []
        if chunk:
            fh.write("\r\n".join(chunk) + "\r\n")
    return p
