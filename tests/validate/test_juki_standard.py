"""住民記録 第6.1版 as the standard says (issue 11 §2): standard-layout rows checked against juki@6.1.

The expected words of 続柄 (1.1.11) and 異動事由 (1.2.2) are copied here from 住民記録システム標準仕様書
第1.0版 chapter 3 so the shipped code tables are compared with the standard, not with themselves.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from migrate.mapping.load import load_mapping
from migrate.samples import atena, write_juki
from migrate.standard.loader import SpecRegistry, load_registry
from migrate.standard.model import Provenance
from migrate.validate.run import validate_file
from tests.conftest import ROOT, SPECS, run

# 1.2.2 異動事由 (j210), in the standard's order and grouping
J210 = {
    "記載": [
        "国内転入", "国外転入等", "出生", "職権記載（帰化等）", "職権記載（国籍喪失）", "職権記載", "改製", "再製",
        "異動の取消し（増）",
    ],
    "消除": [
        "国内転出", "国外転出", "死亡", "職権消除（帰化等）", "職権消除（国籍喪失）", "職権消除", "改製", "再製",
        "異動の取消し（減）",
    ],
    "修正": [
        "転居", "軽微な修正", "職権修正", "誤記修正", "個人番号の変更請求", "個人番号の職権修正", "個人番号の職権記載",
        "住民票コードの変更請求", "住民票コードの職権記載", "世帯分離", "世帯合併", "世帯変更", "世帯主変更", "旧氏の記載",
        "旧氏の変更", "旧氏の削除", "通称の記載", "通称の削除", "異動の取消し（修正）",
    ],
}  # fmt: skip
# 1.1.11 続柄 (j110) ① ② ④ ⑤
J110 = [
    "世帯主", "夫", "妻", "夫（未届）", "妻（未届）", "子", "子（子の夫）", "子（子の妻）", "父", "母", "兄", "姉", "弟",
    "妹", "縁故者", "同居人",
]  # fmt: skip

LG = "131016"  # 千代田区 (a real code with its check digit)
CLEAN: dict[str, str] = {
    "atena_no": atena(100001),
    "setai_no": atena(500001),
    "kojin_bango": "",
    "jumin_shubetsu": "1",
    "jumin_jotai": "0",
    "shimei": "山田　太郎",
    "shimei_kana": "ヤマダ　タロウ",
    "shimei_furigana": "",
    "shimei_romaji": "ＹＡＭＡＤＡ　ＴＡＲＯ",
    "shimei_alphabet": "",
    "tsushomei": "",
    "birth_date": "1970-04-01",
    "birth_date_fusho": "",
    "seibetsu": "1",
    "zokugara": "世帯主",
    "resident_since": "1970-04-01",
    "resident_since_fusho": "",
    "address_since": "2001-05-07",
    "address_since_fusho": "",
    "foreign_resident_since": "",
    "foreign_resident_since_fusho": "",
    "todoke_date": "2001-05-10",
    "postal_code": "1000014",
    "jusho_shikuchoson_code": LG,
    "jusho_choaza_code": "0011001",
    "jusho_todofuken": "東京都",
    "jusho_shikugunchoson": "千代田区",
    "jusho_choaza": "永田町一丁目",
    "banchi": "７番１号",
    "katagaki": "",
    "katagaki_kana": "",
    "honseki": "東京都千代田区永田町一丁目７番地",
    "hittosha": "山田　一郎",
    "kokuseki": "",
    "shojo_date": "",
    "lg_code": LG,
    "updated_at": "2026-03-01 10:00:00",
}


@pytest.fixture(scope="module")
def reg() -> SpecRegistry:
    return load_registry(SPECS)


def _validate(reg: SpecRegistry, tmp_path: Path, rows: list[dict[str, str]], entity: str = "jumin") -> Any:
    spec, ent = reg.entity(f"juki@6.1/{entity}")
    header = [it.id for it in ent.items]
    path = tmp_path / f"{entity}.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows([[r.get(h, "") for h in header] for r in rows])
    return validate_file(path, spec, ent, reg, None)


def _row(**changes: str) -> dict[str, str]:
    return {**CLEAN, **changes}


def _at(result: Any, line: int, item: str) -> set[tuple[str, str]]:
    f = result.findings.filter((pl.col("line") == line) & (pl.col("item") == item))
    return set(zip(f["code"], f["severity"], strict=True))


def _errors(result: Any) -> pl.DataFrame:
    return result.findings.filter(pl.col("severity") == "error")


def test_clean_standard_row_has_no_error(reg: SpecRegistry, tmp_path: Path) -> None:
    result = _validate(reg, tmp_path, [CLEAN, _row(atena_no=atena(100002), kojin_bango="")])
    assert _errors(result).height == 0, _errors(result).select("code", "item", "value").to_dicts()
    assert result.rows == 2


def test_names_with_jis_x_0213_and_non_bmp_characters_are_no_error(reg: SpecRegistry, tmp_path: Path) -> None:
    names = ["𠮟田　太郎", "髙橋　花子", "山﨑　一郎"]
    rows = [_row(atena_no=atena(100010 + i), shimei=n, hittosha=n) for i, n in enumerate(names)]
    result = _validate(reg, tmp_path, rows)
    assert _errors(result).height == 0, _errors(result).select("code", "item").to_dicts()
    # and Ｎ still bites: a half-width space between 氏 and 名 is a finding
    bad = _validate(reg, tmp_path, [_row(shimei="山田 太郎")])
    assert ("charset-zenkaku", "error") in _at(bad, 2, "shimei")


def test_seibetsu_0_1_2_valid_3_invalid(reg: SpecRegistry, tmp_path: Path) -> None:
    rows = [_row(atena_no=atena(100020 + i), seibetsu=s) for i, s in enumerate(["0", "1", "2", "3", "9"])]
    result = _validate(reg, tmp_path, rows)
    for line in (2, 3, 4):
        assert _at(result, line, "seibetsu") == set()
    assert _at(result, 5, "seibetsu") == {("code-invalid", "error")}
    assert _at(result, 6, "seibetsu") == {("code-invalid", "error")}  # the old modelled 9 is gone
    assert [c.name_ja for c in reg.code_table("seibetsu").codes] == ["不明（未記入）", "男", "女"]


def test_postal_code_without_hyphen(reg: SpecRegistry, tmp_path: Path) -> None:
    rows = [
        _row(atena_no=atena(100030), postal_code="321-4301"),
        _row(atena_no=atena(100031), postal_code="1234567"),
    ]
    result = _validate(reg, tmp_path, rows)
    assert ("pattern-mismatch", "error") in _at(result, 2, "postal_code")
    assert _at(result, 3, "postal_code") == set()


def test_zokugara_as_j110_words_it(reg: SpecRegistry, tmp_path: Path) -> None:
    table = reg.code_table("zokugara")
    assert table.values == J110 and table.provenance == Provenance.official
    valid = [
        *J110,
        "子の子",
        "妻の父",
        "子の子の子の子",  # 4 generations, the standard's example
        "子の妻（未届）",  # (未届) inside a chain
        "妻（未届）の子",
        "子（子の妻）の子",
        "夫（未届）の母の兄",
    ]
    invalid = [
        "祖父の子",
        "孫の妻",
        "孫",
        "祖父",
        "おじ",
        "叔父",
        "準世帯主",
        "子の子の子の子の子",
        "世帯主の子",
        "子の",
        "縁故者の子",
    ]
    rows = [_row(atena_no=atena(101000 + i), zokugara=z) for i, z in enumerate(valid + invalid)]
    result = _validate(reg, tmp_path, rows)
    bad = result.findings.filter(pl.col("code") == "code-invalid")
    assert sorted(bad["line"].to_list()) == list(range(2 + len(valid), 2 + len(valid) + len(invalid)))


def test_ido_jiyu_has_the_37_classes_of_j210(reg: SpecRegistry, tmp_path: Path) -> None:
    table = reg.code_table("ido-jiyu")
    by_group: dict[str, list[str]] = {}
    for c in table.codes:
        assert c.group is not None
        by_group.setdefault(c.group, []).append(c.name_ja)
    assert by_group == J210
    assert len(table.codes) == 37
    base = {
        "rireki_no": "1",
        "atena_no": atena(100001),
        "setai_no": atena(500001),
        "ido_date": "2026-04-01",
        "todoke_date": "2026-04-01",
        "shori_date": "2026-04-01",
        "tennyu_mae_lg_code": LG,
        "shokken_flag": "0",
        "lg_code": LG,
    }
    codes = [*table.values, "A10", "帰化", "転居取消"]
    rows = [{**base, "rireki_no": str(i + 1), "ido_jiyu": c} for i, c in enumerate(codes)]
    result = _validate(reg, tmp_path, rows, "ido_rireki")
    bad = result.findings.filter(pl.col("code") == "code-invalid")
    assert bad["line"].to_list() == [39, 40, 41]
    assert _errors(result).filter(pl.col("code") != "code-invalid").height == 0


def test_migrated_atena_no_with_a_bad_check_digit_is_a_warning(reg: SpecRegistry, tmp_path: Path) -> None:
    good = atena(100040)
    bad_no = good[:-1] + str((int(good[-1]) + 1) % 10)
    result = _validate(reg, tmp_path, [_row(atena_no=bad_no, setai_no=bad_no)])
    assert _at(result, 2, "atena_no") == {("check-digit-invalid", "warning")}
    assert _at(result, 2, "setai_no") == {("check-digit-invalid", "warning")}
    assert _errors(result).height == 0
    assert "新規付番" in (reg.get("juki@6.1").entity("jumin").item("atena_no").description or "")
    # 個人番号 keeps its error: its check digit is the law's, not a numbering rule of the system
    kojin = _validate(reg, tmp_path, [_row(kojin_bango="123456789012")])
    assert _at(kojin, 2, "kojin_bango") == {("check-digit-invalid", "error")}


def test_dates_fusho_beside_the_date(reg: SpecRegistry, tmp_path: Path) -> None:
    rows = [
        _row(atena_no=atena(100050), birth_date="0000-01-01", birth_date_fusho="昭和４５年頃"),
        _row(atena_no=atena(100051), birth_date="1969-02-29"),  # not on the calendar: allowed (1.1.8)
        _row(atena_no=atena(100052), birth_date="昭和45年頃"),  # a 不詳日 belongs in 生年月日_不詳表記
        _row(atena_no=atena(100053), todoke_date="2001-02-29"),  # 届出年月日: calendar only
        _row(atena_no=atena(100054), birth_date="1960-13-01"),
    ]
    result = _validate(reg, tmp_path, rows)
    assert _at(result, 2, "birth_date") == set() and _at(result, 2, "birth_date_fusho") == set()
    assert _at(result, 3, "birth_date") == set()
    assert _at(result, 4, "birth_date") == {("pattern-mismatch", "error")}
    assert _at(result, 5, "todoke_date") == {("date-invalid", "error")}
    assert _at(result, 6, "birth_date") == {("date-invalid", "error")}
    item = reg.get("juki@6.1").entity("jumin").item("birth_date_fusho")
    assert item.required.value == "conditional" and item.condition and item.required_when is None


def test_alphabet_names_are_full_width(reg: SpecRegistry, tmp_path: Path) -> None:
    foreign = {"jumin_shubetsu": "2", "resident_since": "", "honseki": "", "hittosha": "", "kokuseki": "中国"}
    rows = [
        _row(atena_no=atena(100060), shimei_romaji="YAMADA TARO"),
        _row(
            atena_no=atena(100061),
            **foreign,
            foreign_resident_since="2020-01-01",
            shimei_alphabet="ＺＨＡＮＧ　ＹＵＬＩ",
        ),
        _row(
            atena_no=atena(100062),
            **foreign,
            foreign_resident_since="2020-01-01",
            shimei_alphabet="ZHANG YULI",
        ),
    ]
    result = _validate(reg, tmp_path, rows)
    # 氏名のローマ字表記 is our modelling (severity warning); the Ｎ rule is the standard's
    assert ("charset-zenkaku", "warning") in _at(result, 2, "shimei_romaji")
    assert _errors(result).filter(pl.col("line") == 3).height == 0
    assert ("charset-zenkaku", "error") in _at(result, 4, "shimei_alphabet")


def test_split_address_items(reg: SpecRegistry) -> None:
    for entity in ("jumin", "setai"):
        ent = reg.get("juki@6.1").entity(entity)
        shape = {it.name_ja: (it.official_type, it.max_length) for it in ent.items}
        assert shape["住所_市区町村コード"] == ("X", 6)
        assert shape["住所_町字コード"] == ("X", 7)
        assert shape["住所_都道府県"] == ("Ｎ", 4)
        assert shape["住所_市区郡町村名"] == ("Ｎ", 12)
        assert shape["住所_町字"] == ("Ｎ", 18)
        assert shape["住所_番地号表記"] == ("Ｎ", 50)
        assert shape["住所_方書"] == ("Ｎ", 300)
        assert shape["住所_郵便番号"] == ("X", 7)
        assert "住所" not in shape


def test_official_facts_name_their_source(reg: SpecRegistry) -> None:
    spec = reg.get("juki@6.1")
    assert spec.source.provenance == Provenance.official and str(spec.source.published) == "2026-03-25"
    jumin = spec.entity("jumin")
    assert jumin.item("todoke_date").source_ref and "7条" in (jumin.item("todoke_date").source_ref or "")
    for ent in spec.entities:
        for it in ent.items:
            if spec.provenance_of(it) == Provenance.official:
                assert it.source_ref, f"{ent.id}.{it.id} is official without a source_ref"
    shugaku = reg.get("shugaku")
    assert (shugaku.version, str(shugaku.source.published)) == ("4.0", "2026-01-08")
    assert shugaku.source.provenance == Provenance.official and shugaku.business.ministry == "文部科学省"
    for bid in ("inkan", "koseki-fuhyo", "senkyo"):
        biz = reg.get(bid).business
        assert (biz.ministry, biz.ministry_provenance) == ("総務省", Provenance.official)
    assert reg.get("juki@4.0").source.provenance == Provenance.assumed


def test_specs_list_says_to_confirm_for_assumed_versions() -> None:
    ja = {line.split()[0]: line for line in run("specs", "list").stdout.splitlines()[2:]}
    assert "要確認" not in ja["juki"] and "要確認" not in ja["shugaku"]
    assert "3.0 (要確認)" in ja["inkan"] and "2.0 (要確認)" in ja["kokuho"]
    en = run("--lang", "en", "specs", "list").stdout
    assert "(to confirm)" in en
    import json

    rows = {r["id"]: r for r in json.loads(run("specs", "list", "--format", "json").stdout)["data"]}
    assert (
        rows["juki"]["version_provenance"] == "official" and rows["kokuho"]["version_provenance"] == "assumed"
    )


def test_legacy_mapping_v2(reg: SpecRegistry, tmp_path: Path) -> None:
    """The demo's legacy layout through midori-jumin-v2: hyphens removed, 性別 to 0/1/2, the split address."""
    mapping = load_mapping(ROOT / "mappings/juki/midori-jumin-v2.yaml")
    assert mapping.spec == "juki@6.1"
    path = write_juki(tmp_path / "legacy.csv", 30)
    spec, ent = reg.entity("juki@6.1/jumin")
    result = validate_file(path, spec, ent, reg, mapping, show_values=True)
    f = result.findings
    # 郵便番号 321-4301 → 3214301: the samples' hyphenated codes are valid after remove-hyphens
    assert f.filter(pl.col("item") == "postal_code").height == 0
    assert f.filter((pl.col("item") == "seibetsu") & (pl.col("code") == "code-unmapped"))[
        "line"
    ].to_list() == [11]
    # 住所 split after the city name, made full-width (データ型 Ｎ) by the zenkaku transform: no finding
    assert f.filter(pl.col("item").is_in(["jusho_choaza", "banchi", "katagaki", "honseki"])).height == 0
    from migrate.io.csvfile import read_table
    from migrate.mapping.apply import apply_mapping

    mapped = apply_mapping(read_table(path, "cp932").frame, mapping, ent).frame["jusho_choaza"].drop_nulls()
    assert mapped.len() > 0 and all(
        v.startswith(("緑町", "若葉台", "桜ケ丘", "中央", "本町", "東山", "西原")) for v in mapped
    )
    assert not mapped.str.contains(r"[0-9A-Za-z ]").any()
    # a bad migrated 宛名番号 check digit (row 7 of the samples) is a warning under 6.1
    assert set(f.filter(pl.col("item") == "atena_no")["severity"]) == {"warning"}
