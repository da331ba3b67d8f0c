"""行政事務標準文字 (MJ) and JIS X 0213 repertoires, 外字 in every private-use plane, 団体コード existence.

The shipped tables are tested by their invariants (sizes, JIS X 0213 inside, known characters and
codes): the published sources they come from are not part of a clone.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from migrate.checkdigit import lg_code_check_digit
from migrate.checks import charset as cs
from migrate.checks import check_digit as cd
from migrate.mapping.load import load_mapping
from migrate.mapping.model import Mapping
from migrate.samples import JUKI_HEADER, juki_rows
from migrate.standard.loader import load_registry
from migrate.validate.run import ValidationResult, validate_file
from tests.conftest import ROOT, SPECS, run

DATA = ROOT / "migrate" / "data"
MAPPING = ROOT / "mappings/juki/midori-jumin-v1.yaml"
IVS_TSUJI = "辻\U000e0103"  # 辻 with its MJ selector (MJ IVS list: 8FBB_E0103)
OUTSIDE = "们"  # U+4EEC, a simplified Chinese character: neither MJ nor JIS X 0213
PLANE15 = "\U000f0001"


def _codec_jis() -> set[str]:
    """JIS X 0213 by the other direction of the codec: every code point it encodes (BMP and plane 2)."""
    out = set()
    for cp in [*range(0x20, 0xD800), *range(0xE000, 0x10000), *range(0x20000, 0x30000)]:
        try:
            chr(cp).encode("euc_jis_2004")
        except UnicodeEncodeError:
            continue
        out.add(chr(cp))
    return out - {"\x7f"}


# --- the shipped files --------------------------------------------------------------------------


def test_mj_file_is_compact_attributed_and_complete() -> None:
    path = DATA / "mj-repertoire.txt"
    assert path.stat().st_size < 300_000
    head = path.read_text(encoding="utf-8")[:1000]
    assert "CC BY-SA 2.1 JP" in head and "IPA" in head and "code4fukui/mojikiban" in head
    source = (DATA / "SOURCE.md").read_text(encoding="utf-8")
    assert "CC BY-SA 2.1 JP" in source and "文字情報技術促進協議会" in source and "localgovjp" in source
    chars, seqs = cs.mj_table()
    assert len(chars) == 52_518
    assert sum(len(b) for b in seqs.values()) == 11_384
    assert all(0xE0100 <= vs <= 0xE01EF for vs in seqs)
    for ch in "𠮟髙々〆〻亜":
        assert ord(ch) in chars, ch
    assert 0x8FBB in seqs[0xE0103] and 0x8FBB not in seqs.get(0xE0105, set())
    assert not any(0xE000 <= c <= 0xF8FF or c >= 0xF0000 for c in chars)  # no private use in MJ


def test_every_jis_x_0213_character_is_in_both_repertoires() -> None:
    jis = _codec_jis()
    non_bmp = {c for c in jis if ord(c) > 0xFFFF}
    assert len(non_bmp) == 303 and "𠮟" in non_bmp
    mj, jr = cs.mj_repertoire(), cs.jis_repertoire()
    assert [c for c in jis if c not in jr] == []
    assert [c for c in jis if c not in mj] == []
    assert "か\u309a" in jr and "か\u309a" in mj  # a JIS X 0213 sequence (1-04-87)
    assert "\u309a" not in jr  # the mark alone is not a JIS character


def test_lg_code_list() -> None:
    rows = list(csv.DictReader(io.StringIO((DATA / "lg-codes.csv").read_text(encoding="utf-8"))))
    codes = [r["lgcode"] for r in rows]
    assert len(codes) == len(set(codes)) == 47 + 1916
    assert sum(1 for r in rows if not r["name"]) == 47
    assert all(lg_code_check_digit(c[:5]) == int(c[5]) for c in codes)
    assert {"131016", "011002", "130001", "271004"} <= cd.official_lg_codes()
    assert "992011" not in cd.official_lg_codes()


# --- the expressions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "mj", "jis"),
    [
        ("𠮟", False, False),  # non-BMP JIS X 0213 (the old BMP-only class flagged it)
        ("髙橋", False, True),  # 髙 is MJ, not JIS X 0213
        ("山﨑", False, False),
        (IVS_TSUJI, False, True),  # a listed IVS pair; JIS X 0213 has no IVS
        ("辻\U000e0105", True, True),  # 辻 is MJ, but not with this selector
        (OUTSIDE + "\U000e0100", True, True),  # a base outside followed by an IVS stays outside
        (OUTSIDE, True, True),
        ("😀", True, True),
        ("ｱｲｳ ABC １２３ ㈱ ①", False, False),  # EUC-JIS-2004 carries ASCII and 半角カナ
        ("\ue000" + PLANE15, False, False),  # private use: its own finding (gaiji-private-use)
        ("a\tb", True, True),  # a control character is in no repertoire
    ],
)
def test_outside_expressions(value: str, mj: bool, jis: bool) -> None:
    s = pl.Series("v", [value])
    got = pl.select(cs.outside_mj(pl.lit(s)).alias("m"), cs.outside_jis(pl.lit(s)).alias("j")).row(0)
    assert got == (mj, jis)


def test_outside_names_characters_and_sequences() -> None:
    mj = cs.mj_repertoire()
    assert mj.outside("山" + OUTSIDE + "辻\U000e0105" + OUTSIDE) == [OUTSIDE, "辻\U000e0105"]
    assert cs.jis_repertoire().outside("髙𠮟") == ["髙"]


# --- end to end through `validate` --------------------------------------------------------------


def _mapping(fictional: list[str] | None = None) -> Mapping:
    m = load_mapping(MAPPING)
    assert m.fictional_lg_codes == ["992011"]  # the demo declares its city
    return m.model_copy(update={"fictional_lg_codes": fictional or []})


def _validate(
    tmp_path: Path, changes: dict[int, dict[str, str]], mapping: Mapping, n: int = 8
) -> ValidationResult:
    rows = list(juki_rows(n, defects=False))
    for i, cols in changes.items():
        for col, value in cols.items():
            rows[i][JUKI_HEADER.index(col)] = value
    path = tmp_path / "juki.csv"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([JUKI_HEADER, *rows])
    path.write_text(buf.getvalue(), encoding="utf-8")
    reg = load_registry(SPECS)
    spec, entity = reg.entity(f"{mapping.spec}/{mapping.entity}")
    return validate_file(path, spec, entity, reg, mapping, encoding="utf-8")


def _findings(res: ValidationResult, *codes: str) -> list[dict[str, Any]]:
    rows = res.findings.filter(pl.col("code").is_in(codes)).to_dicts()
    return [{**r, "detail": json.loads(r["detail"] or "{}")} for r in rows]


@pytest.mark.parametrize("n", [8, 600])  # row by row, and per distinct value (names repeat)
def test_names_in_mj_give_no_finding_and_outside_names_the_character(tmp_path: Path, n: int) -> None:
    changes = {
        0: {"氏": "𠮟", "名": "太郎"},
        1: {"氏": "髙橋"},
        2: {"氏": "山﨑"},
        3: {"氏": IVS_TSUJI},
        4: {"氏": "山" + OUTSIDE, "住所": "ひかり台市" + OUTSIDE},
        5: {"氏": "\ue000田"},
        6: {"氏": PLANE15 + "田"},
    }
    res = _validate(tmp_path, changes, _mapping(["992011"]), n)
    assert set(res.findings.filter(pl.col("severity") == "error")["code"]) == {"gaiji-private-use"}
    got = _findings(res, "charset-outside-mj", "charset-outside-jis", "gaiji-private-use")
    assert [(f["line"], f["item"], f["code"], f["severity"]) for f in got] == [
        (6, "address", "charset-outside-mj", "warning"),
        (6, "shimei", "charset-outside-mj", "warning"),
        (7, "shimei", "gaiji-private-use", "error"),
        (8, "shimei", "gaiji-private-use", "error"),
    ]
    assert got[0]["detail"]["chars"] == got[1]["detail"]["chars"] == ["「们」(U+4EEC)"]
    assert [g["codepoint"] for g in res.gaiji] == ["U+E000", "U+F0001"]


def test_lg_code_known_unknown_and_bad_check_digit(tmp_path: Path) -> None:
    changes = {0: {"団体コード": "131016"}, 1: {"団体コード": "131017"}, 2: {"団体コード": "993816"}}
    res = _validate(tmp_path, changes, _mapping())  # 992011 not declared here
    got = [(f["line"], f["code"]) for f in _findings(res, "lg-code-unknown", "check-digit-invalid")]
    # line 2 is known, 3 has a wrong check digit (not also unknown), every other one is fictional
    assert got == [(3, "check-digit-invalid"), (4, "lg-code-unknown")] + [
        (n, "lg-code-unknown") for n in range(5, 10)
    ]
    assert all(f["severity"] == "warning" for f in _findings(res, "lg-code-unknown"))
    declared = _validate(tmp_path, changes, _mapping(["992011", "993816"]))
    assert _findings(declared, "lg-code-unknown") == []


def test_fictional_codes_are_checked_where_declared(tmp_path: Path) -> None:
    csv_path = tmp_path / "j.csv"
    csv_path.write_text(",".join(JUKI_HEADER) + "\r\n", encoding="utf-8")
    for code, why in [("131016", "実在"), ("992012", "チェックデジット"), ("99201", "6 桁")]:
        res = run("validate", str(csv_path), "--mapping", str(MAPPING), "--fictional-lg-code", code)
        assert res.exit_code == 2 and why in res.output, res.output
    text = MAPPING.read_text(encoding="utf-8").replace("['992011']", "[992011]")
    bad = tmp_path / "m.yaml"
    bad.write_text(text, encoding="utf-8")
    res = run("mapping", "check", str(bad))
    assert res.exit_code == 3 and "fictional_lg_codes" in res.output, res.output


def test_suite_declares_fictional_codes_for_every_source(tmp_path: Path) -> None:
    from migrate.errors import ConfigError
    from migrate.nightly.suite import load_suite

    suite = ROOT / "checks/midori-nightly.yaml"
    assert load_suite(suite).suite.fictional_lg_codes == ["992011"]
    bad = tmp_path / "suite.yaml"
    bad.write_text(suite.read_text(encoding="utf-8").replace("['992011']", "['992012']"), encoding="utf-8")
    with pytest.raises(ConfigError, match="992012"):
        load_suite(bad)


def test_zenkaku_and_gyosei_items_get_the_mj_warning_jis_items_the_jis_check() -> None:
    from migrate.standard.model import Charset
    from migrate.validate.compile import compile_checks

    reg = load_registry(SPECS)
    seen = set()
    for ref in ("juki@4.0/jumin", "juki@6.1/jumin"):
        spec, entity = reg.entity(ref)
        checks, _ = compile_checks(spec, entity, reg, set())
        codes = {(c.item, c.code): c.severity for c in checks}
        for it in entity.items:
            mj = codes.get((it.id, "charset-outside-mj"))
            assert (mj == "warning") == (it.charset in (Charset.gyosei, Charset.zenkaku)), it.id
            assert ((it.id, "charset-outside-jis") in codes) == (it.charset == Charset.jisx0213), it.id
            seen |= {it.charset} if mj else set()
            if it.check_digit is not None and it.check_digit.value == "lg-code":
                assert codes[(it.id, "lg-code-unknown")] == "warning"
    assert seen == {Charset.gyosei, Charset.zenkaku}
