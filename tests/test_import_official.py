"""`migrate specs import` on デジタル庁's 031 項目定義書 as published, and extracts in its standard layout.

The workbook is read a second time here, independently, with openpyxl and the published column
letters (凡例）列項目説明), and every item of the import is compared with it one by one.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from migrate.checkdigit import my_number_check_digit
from tests.conftest import FIXTURES, SPECS, run, share_registry

WORKBOOK = FIXTURES / "official" / "digital-agency-item-definition-031-atena-bango.xlsx"
ITEM_SHEET = "項目定義書（住登外者宛名番号管理）住登外者宛名基本情報"
CODE_SHEET = "コード一覧（個別）_住登外者宛名番号管理"
ENTITY = "atena/jutogai_atena"
REQUIRED = {"必須": "required", "条件付き必須": "conditional", "任意": "optional"}


@pytest.fixture(autouse=True)
def _shared_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    share_registry(monkeypatch)


def _published_items() -> list[dict[str, Any]]:
    """The item rows as the workbook has them: B/C データ項目ID, D データ項目, E ローマ字, G 主キー, H 外部キー,
    L データ型, M 桁数, N コード, O 繰り返し, P データ出力条件, R 項目説明."""
    import openpyxl

    ws = openpyxl.load_workbook(WORKBOOK, data_only=True)[ITEM_SHEET]
    out = []
    for row in ws.iter_rows(min_row=7):
        cells = {c.column_letter: c.value for c in row if c.value is not None}
        if cells.get("B") is None:
            continue
        out.append({**cells, "row": row[0].row})
    return out


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    out = tmp_path_factory.mktemp("imp") / "specs" / "atena" / "1.0.yaml"
    result = run("specs", "import", str(WORKBOOK), "--business", "atena", "-o", str(out))
    assert result.exit_code == 0, result.output
    from migrate.standard.loader import load_spec_file

    return out, load_spec_file(out)


def test_every_item_of_the_sheet_as_published(imported: tuple[Path, Any]) -> None:
    _, spec = imported
    published = _published_items()
    assert len(published) == 29
    [entity] = spec.entities
    assert entity.name_ja == "住登外者宛名基本情報" == published[0]["F"]
    assert len(entity.items) == len(published)
    for item, row in zip(entity.items, published, strict=True):
        assert item.std_id == f"{row['B']}{int(row['C']):05d}" and len(item.std_id) == 8
        assert item.name_ja == row["D"]
        assert item.romaji == row["E"] == item.id
        assert item.official_type == str(row["L"])
        assert item.required.value == REQUIRED[row["P"]]
        assert (item.id in entity.primary_key) == (row.get("G") == "○")
        assert item.foreign_key == (row.get("H") == "○")
        assert item.repeat == row.get("O")
        assert item.source_ref == f"{WORKBOOK.name} / {ITEM_SHEET} / row {row['row']}"
        assert spec.provenance_of(item).value == "official"
        if row["L"] in ("DATE", "TIME"):
            assert item.max_length is None  # the format fixes the length
        else:
            assert item.max_length == row["M"]
        expected_type = {"X": "string", "Ｎ": "string", "DATE": "date", "TIME": "time", 9: "integer"}[
            row["L"]
        ]
        if item.code_table:
            assert item.type.value == "code"
        else:
            assert item.type.value == expected_type
        if row["L"] in ("X", "Ｎ"):
            assert item.charset is not None
            assert item.charset.value == ("hankaku" if row["L"] == "X" else "zenkaku")
        if row["P"] == "条件付き必須":
            assert item.condition == row["R"].split("※※", 1)[1].strip()
    assert entity.primary_key == ["atenabango"]
    assert spec.provenance.value == "official" and spec.business.code == "031"
    assert "不明" in spec.source.version  # the workbook states no version


def test_codes_from_the_code_list_sheet(imported: tuple[Path, Any]) -> None:
    import yaml

    out, spec = imported
    entity = spec.entities[0]
    assert entity.item("seibetsu").code_table == "atena-seibetsu"
    flag = entity.item("daihyoatenafuragu")  # データ型 9 with コード 002
    assert flag.type.value == "code" and flag.code_table == "atena-daihyoatenafuragu"
    table = yaml.safe_load((out.parent.parent / "codes" / "atena-seibetsu.yaml").read_text(encoding="utf-8"))
    assert table["kind"] == "migrate/code-table" and table["provenance"] == "official"
    assert [(c["code"], c["name_ja"]) for c in table["codes"]] == [
        ("0", "不明（未記入）"),
        ("1", "男"),
        ("2", "女"),
    ]
    assert CODE_SHEET in table["source"]
    # 999 自治体固有コード: the municipality's own codes, no closed list invented
    own = entity.item("dokujishisakushisutemunadoid")
    assert own.type.value == "string" and own.code_table is None
    assert own.description is not None and "自治体固有コード" in own.description
    assert sorted(p.name for p in (out.parent.parent / "codes").iterdir()) == [
        "atena-daihyoatenafuragu.yaml",
        "atena-seibetsu.yaml",
    ]


def test_dates_unknown_allowed_only_where_the_workbook_says_so(imported: tuple[Path, Any]) -> None:
    entity = imported[1].entities[0]
    birth = entity.item("seinengappi")  # 項目説明: ・不詳日を許容する
    assert birth.date_rule is not None and birth.date_rule.value == "lenient"
    assert birth.description is not None and "不詳日" in birth.description
    assert entity.item("sosanengappi").date_rule is None  # calendar
    assert entity.item("sosajikoku").type.value == "time"
    assert entity.item("kojinbango").sensitivity.value == "my-number"


def test_committed_spec_is_the_import(imported: tuple[Path, Any]) -> None:
    """specs/atena is exactly what the import writes (re-importing keeps our English names)."""
    out, _ = imported
    assert out.read_text(encoding="utf-8") == (SPECS / "atena" / "1.0.yaml").read_text(encoding="utf-8")
    for name in ("atena-seibetsu.yaml", "atena-daihyoatenafuragu.yaml"):
        written = (out.parent.parent / "codes" / name).read_text(encoding="utf-8")
        assert written == (SPECS / "codes" / name).read_text(encoding="utf-8")


def test_the_row_that_is_not_an_item_is_reported_with_sheet_row_and_heading(tmp_path: Path) -> None:
    doc = json.loads(
        run(
            "specs",
            "import",
            str(WORKBOOK),
            "--business",
            "atena",
            "-o",
            str(tmp_path / "a.yaml"),
            "--format",
            "json",
        ).stdout
    )
    assert doc["data"]["items"] == 29 and doc["data"]["code_tables"] == [
        "atena-seibetsu",
        "atena-daihyoatenafuragu",
    ]
    [problem] = doc["data"]["problems"]
    assert (problem["sheet"], problem["row"], problem["heading"]) == (ITEM_SHEET, 36, "データ項目ID")


def test_business_from_the_workbook_code(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from migrate.cli import cli

    # atena is known (specs/atena, code 031): the code of the データ項目IDs names it
    result = run("specs", "import", str(WORKBOOK), "-o", str(tmp_path / "x" / "1.0.yaml"), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["data"]["spec"] == "atena@1.0"
    # a specs folder without it: 031 is outside the 20, the user must name the spec
    specs = tmp_path / "specs"
    shutil.copytree(SPECS / "juki", specs / "juki")
    shutil.copytree(SPECS / "codes", specs / "codes")
    out = CliRunner().invoke(cli, ["--specs", str(specs), "specs", "import", str(WORKBOOK)])
    assert out.exit_code == 3
    [line] = out.stderr.strip().splitlines()
    assert "031" in line and "--business" in line
    en = CliRunner().invoke(cli, ["--specs", str(specs), "--lang", "en", "specs", "import", str(WORKBOOK)])
    assert en.exit_code == 3 and "pass --business ID" in en.stderr


def _broken(tmp_path: Path, edits: dict[str, Any]) -> Path:
    import openpyxl

    wb = openpyxl.load_workbook(WORKBOOK)
    ws = wb[ITEM_SHEET]
    for cell, value in edits.items():
        ws[cell] = value
    path = tmp_path / "broken.xlsx"
    wb.save(path)
    return path


def test_errors_name_sheet_row_and_heading(tmp_path: Path) -> None:
    book = _broken(tmp_path, {"M9": "百", "L10": "Z9"})
    ja = run("specs", "import", str(book), "--business", "atena", "-o", str(tmp_path / "o" / "1.0.yaml"))
    assert ja.exit_code == 0
    warnings = [w for w in ja.stderr.splitlines() if w.startswith("警告")]
    assert any(f"シート {ITEM_SHEET} の 9 行目、桁数" in w and "百" in w for w in warnings), warnings
    assert any(f"シート {ITEM_SHEET} の 10 行目、データ型" in w and "skipped-row" in w for w in warnings)
    en = run(
        "--lang", "en", "specs", "import", str(book), "--business", "atena", "-o", str(tmp_path / "e.yaml")
    )
    assert any(f"sheet {ITEM_SHEET}, row 9, 桁数" in w for w in en.stderr.splitlines())
    # nothing usable: one line, exit 3, naming where
    rows = {f"L{r}": "??" for r in range(7, 36)}
    dead = run(
        "specs", "import", str(_broken(tmp_path, rows)), "--business", "atena", "-o", str(tmp_path / "d.yaml")
    )
    assert dead.exit_code == 3
    [line] = dead.stderr.strip().splitlines()
    assert f"シート {ITEM_SHEET} の 7 行目、データ型" in line
    assert not (tmp_path / "d.yaml").exists()


# -- extracts in the standard layout ------------------------------------------------------------


def _good_rows() -> list[dict[str, str]]:
    my = "12345678901"
    return [
        {
            "atenabango": "123456789123456",
            "kojinbango": my + str(my_number_check_digit(my)),
            "shimei": "佐藤　一郎",
            "uji_nihonjin": "佐藤",
            "na_nihonjin": "一郎",
            "shimei_yomigana": "サトウ　イチロウ",
            "seibetsu": "1",
            "seinengappi": "1964-07-01",
            "jusho_shikuchosonkodo": "131016",
            "jusho_choazakodo": "0011001",
            "jusho_todofuken": "東京都",
            "jusho_shikugunchosonmei": "千代田区",
            "jusho_choaza": "霞が関二丁目",
            "jusho_banchigohyoki": "１番６号",
            "jusho_katagaki": "虎ノ門ハイツ１０１号",
            "jusho_yubinbango": "1000014",
            "gyomuid": "001",
            "daihyoatenafuragu": "0",
            "sosashaid": "123456",
            "sosanengappi": "2021-11-01",
            "sosajikoku": "09:00:00",
        },
        {
            "atenabango": "123456789123457",
            "shimei": "ＺＨＡＮＧ　ＹＵＬＩ",
            "shimei_gaikokujinarufuabetto": "ＺＨＡＮＧ　ＹＵＬＩ",
            "seibetsu": "0",
            "seinengappi_fushohyoki": "令和○年頃",
            "dokujishisakushisutemunadoid": "A01",
            "daihyoatenafuragu": "1",
            "nayosesakiatenabango": "123456789123456",
            "sosashaid": "123456",
            "sosanengappi": "9999-12-31",  # 凡例）データ型: open-ended
            "sosajikoku": "09:00",  # 秒は省略可能
        },
    ]


def _write(path: Path, rows: list[dict[str, str]], header: str = "romaji") -> Path:
    from migrate.standard.loader import load_registry

    entity = load_registry(SPECS).entity(ENTITY)[1]
    label = {"romaji": lambda i: i.romaji, "name": lambda i: i.name_ja, "id": lambda i: i.std_id}[header]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow([label(i) for i in entity.items])
        for r in rows:
            w.writerow([r.get(i.id, "") for i in entity.items])
    return path


def _validate(path: Path) -> tuple[int, list[dict[str, Any]]]:
    result = run("validate", str(path), "--spec", ENTITY, "--format", "json")
    return result.exit_code, json.loads(result.stdout)["data"][0]["findings"]


@pytest.mark.parametrize(
    "header",
    [
        "romaji",
        "name",
        "id",  # 8-digit データ項目IDs look like data; the reader knows them as the entity's headers
    ],
)
def test_standard_layout_extract_validates_clean(tmp_path: Path, header: str) -> None:
    code, findings = _validate(_write(tmp_path / f"{header}.csv", _good_rows(), header))
    assert findings == [] and code == 0


def test_standard_layout_extract_gives_exactly_the_injected_findings(tmp_path: Path) -> None:
    first, second = _good_rows()
    rows = [
        {**first, "shimei": "Sato　一郎"},  # line 2: half-width letters in an Ｎ item
        {**second, "sosanengappi": "2026-02-30"},  # line 3: not a calendar date
        {**first, "atenabango": "123456789123458", "seibetsu": "3"},  # line 4: not in 性別 0/1/2
        {**first, "atenabango": "123456789123459", "sosashaid": ""},  # line 5: empty 必須 item
    ]
    code, findings = _validate(_write(tmp_path / "bad.csv", rows))
    assert code == 1
    got = sorted((f["line"], f["item"], f["std_id"], f["code"]) for f in findings)
    assert got == [
        (2, "shimei", "03100003", "charset-zenkaku"),
        (3, "sosanengappi", "03100028", "date-invalid"),
        (4, "seibetsu", "03100011", "code-invalid"),
        (5, "sosashaid", "03100027", "required-missing"),
    ]
    text = run("validate", str(tmp_path / "bad.csv"), "--spec", ENTITY)
    assert "seibetsu [03100011]" in text.stdout  # the official ID beside the item in the summary


def test_overlay_condition_is_checked_and_worded_as_the_standard(tmp_path: Path) -> None:
    first, second = _good_rows()
    rows = [
        {**first, "seinengappi": ""},  # 生年月日 unknown and no 不詳表記: required by the overlay
        {**second, "nayosesakiatenabango": ""},  # 非代表宛名 (名寄せ元) without its 名寄せ先
    ]
    code, findings = _validate(_write(tmp_path / "cond.csv", rows))
    assert code == 1
    got = {(f["line"], f["item"], f["code"], f["detail"]["condition"]) for f in findings}
    assert got == {
        (2, "seinengappi_fushohyoki", "conditional-required-missing", "生年月日が不詳の場合は出力必須"),
        (
            3,
            "nayosesakiatenabango",
            "conditional-required-missing",
            "名寄せ元となった宛名基本情報の場合は出力必須",
        ),
    }
    text = run("validate", str(tmp_path / "cond.csv"), "--spec", ENTITY).stdout
    assert "seinengappi_fushohyoki [03100013]" in text and "(生年月日が不詳の場合は出力必須)" in text


def test_diff_lists_the_published_attributes(tmp_path: Path) -> None:
    text = (SPECS / "atena" / "1.0.yaml").read_text(encoding="utf-8")
    path = tmp_path / "atena.yaml"
    path.write_text(text.replace("official_type: TIME", "official_type: X"), encoding="utf-8")
    # the overlay applies to a spec file beside it too (without it, its additions would be differences)
    shutil.copy(SPECS / "atena" / "1.0.overlay.yaml", tmp_path / "atena.overlay.yaml")
    doc = json.loads(run("specs", "diff", "atena@1.0", str(path), "--format", "json").stdout)
    [entity] = doc["data"]["entities"]
    [item] = entity["items_changed"]
    assert item["id"] == "sosajikoku"
    assert item["changes"] == [{"attribute": "official_type", "old": "TIME", "new": "X"}]


def test_import_to_stdout_says_code_tables_are_not_written() -> None:
    result = run("specs", "import", str(WORKBOOK), "--business", "atena", "-o", "-")
    assert result.exit_code == 0 and result.stdout.startswith("kind: migrate/spec")
    assert "atena-seibetsu" in result.stderr and "-o -" in result.stderr


def test_overlay_errors_name_file_and_line(tmp_path: Path) -> None:
    from migrate.errors import ConfigError
    from migrate.standard.loader import load_spec_file

    spec = tmp_path / "1.0.yaml"
    shutil.copy(SPECS / "atena" / "1.0.yaml", spec)
    overlay = tmp_path / "1.0.overlay.yaml"
    base = "kind: migrate/spec-overlay\nformat: 1\nspec: atena@1.0\nitems:\n"
    overlay.write_text(
        base + "  jutogai_atena/nothing: {reason: x, sensitivity: personal}\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError) as err:
        load_spec_file(spec)
    assert err.value.line == 5 and "nothing" in err.value.message
    # an executable condition only where the standard has a 条件付き必須 item
    overlay.write_text(
        base
        + "  jutogai_atena/kojinbango:\n    reason: x\n    required_when: {item: shimei, present: true}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as err:
        load_spec_file(spec)
    assert err.value.line == 7
    overlay.write_text(base + "  jutogai_atena/shimei: {sensitivity: personal}\n", encoding="utf-8")
    with pytest.raises(ConfigError):  # every addition says why
        load_spec_file(spec)


def test_specs_list_counts_official_and_assumed_items() -> None:
    doc = json.loads(run("specs", "list", "--format", "json").stdout)
    atena = next(r for r in doc["data"] if r["id"] == "atena")
    assert (atena["items"], atena["official_items"], atena["assumed_items"]) == (29, 29, 0)
    for r in doc["data"]:
        assert r["official_items"] + r["assumed_items"] == r["items"]
    text = run("specs", "list").stdout
    assert "公式" in text and "想定" in text
    show = run("specs", "show", "atena").stdout
    assert "03100013" in show and "生年月日が不詳の場合は出力必須" in show and "seinengappi absent" in show


# -- the other published data types, in a workbook of the same layout ------------------------------


def _types_workbook(path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "項目定義書（試験）明細"
    ws.append(["■地方公共団体情報システム-（試験業務）項目定義書【第1.2版】"])
    ws.append([])
    ws.append(
        [
            "データ項目ID",
            None,
            "データ項目",
            "データ項目（ローマ字）",
            "グループ",
            None,
            None,
            "データ型",
            "桁数",
        ]
    )
    ws.append([None, None, None, None, "名称", "主キー", "外部キー", None, None])
    rows = [
        ("099", 1, "番号", "bango", "明細", "○", None, "X", 10),
        ("099", 2, "件数", "kensu", "明細", None, None, 9, 3),
        ("099", 3, "金額", "kingaku", "明細", None, None, "9V", "5,2"),
        ("099", 4, "差額", "sagaku", "明細", None, None, "S9", 4),
        ("099", 5, "写真", "shashin", "明細", None, None, "BLOB", None),
        ("099", 6, "年度", "nendo", "明細", None, "○", "YEAR", 4),
    ]
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def types_spec(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from migrate.standard.loader import load_spec_file

    tmp = tmp_path_factory.mktemp("types")
    out = tmp / "shiken" / "1.2.yaml"
    result = run(
        "specs", "import", str(_types_workbook(tmp / "t.xlsx")), "--business", "shiken", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    return load_spec_file(out)


def test_numeric_and_other_types(types_spec: Any) -> None:
    spec = types_spec
    assert spec.version == "1.2" and spec.business.code == "099" and spec.business.name_ja == "試験業務"
    e = spec.entities[0]
    assert e.primary_key == ["bango"] and e.item("nendo").foreign_key
    count = e.item("kensu")
    assert (count.type.value, count.unsigned, count.max_length, count.integer_digits) == (
        "integer",
        True,
        3,
        3,
    )
    money = e.item("kingaku")
    assert (money.type.value, money.unsigned, money.integer_digits, money.scale) == ("decimal", True, 5, 2)
    diff = e.item("sagaku")
    assert (diff.type.value, diff.unsigned, diff.integer_digits, diff.max_length) == (
        "integer",
        False,
        4,
        None,
    )
    assert e.item("shashin").type.value == "blob" and e.item("nendo").type.value == "year"


@pytest.mark.parametrize(
    ("item", "good", "bad"),
    [
        ("kensu", ["0", "999"], ["-1", "+1", "1.5"]),  # 9: non-negative integer
        ("kingaku", ["12345.67", "0.5", "3"], ["123456.7", "1.234", "-1.0"]),  # 9V 5,2
        ("sagaku", ["-1234", "1234"], ["-12345", "1.0"]),  # S9 4: the sign is not a digit
    ],
)
def test_numeric_checks(types_spec: Any, item: str, good: list[str], bad: list[str]) -> None:
    import polars as pl

    from migrate.standard.loader import load_registry
    from migrate.validate.compile import compile_checks

    spec = types_spec
    entity = spec.entities[0]
    checks, _ = compile_checks(spec, entity, load_registry(SPECS), [])
    frame = pl.DataFrame(
        {i: [None] * len(good + bad) for i in entity.item_ids}, schema=dict.fromkeys(entity.item_ids, pl.Utf8)
    )
    frame = frame.with_columns(pl.Series(item, good + bad))
    mine = [
        c for c in checks if c.item == item and c.code in ("type-integer", "type-decimal", "length-exceeded")
    ]
    ok = frame.select(pl.all_horizontal([c.expr.fill_null(True) for c in mine])).to_series().to_list()
    assert ok == [True] * len(good) + [False] * len(bad)


def test_plan_mapping_takes_names_romaji_and_ids_as_headers() -> None:
    """The mapping-free plan (the CSV reader's header rule aside) finds every item by any of the three."""
    from migrate.mapping.apply import plan_mapping
    from migrate.standard.loader import load_registry

    entity = load_registry(SPECS).entity(ENTITY)[1]
    for label in (lambda i: i.name_ja, lambda i: i.romaji, lambda i: i.std_id):
        header = [label(i) for i in entity.items]
        plan = plan_mapping(header, None, entity)
        assert plan.sources == {i.id: [label(i)] for i in entity.items}
        assert plan.missing_columns == {} and plan.unmapped_columns == []
