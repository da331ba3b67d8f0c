"""`migrate specs …` through the CLI: list, show, diff, export (frictionless, gx, xlsx) and import."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from migrate.cli import cli
from tests.conftest import SPECS, run, share_registry


@pytest.fixture(autouse=True)
def _shared_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    share_registry(monkeypatch)


def _json(result: Result) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["migrate"]["envelope"] == 1
    return doc


# -- list / show ---------------------------------------------------------------------------------


def test_list_text_and_json() -> None:
    text = run("specs", "list")
    assert text.exit_code == 0
    assert "juki" in text.stdout and "住民基本台帳" in text.stdout
    doc = _json(run("specs", "list", "--format", "json"))
    assert doc["kind"] == "spec-list"
    juki = next(r for r in doc["data"] if r["id"] == "juki")
    assert {"4.0", "6.1"} <= set(juki["versions"])
    assert juki["version"] == juki["versions"][-1]


def test_list_english() -> None:
    result = run("--lang", "en", "specs", "list")
    assert result.exit_code == 0
    assert "Basic Resident Register" in result.stdout


def test_show_entity_json() -> None:
    doc = _json(run("specs", "show", "juki@4.0", "jumin", "--format", "json"))
    assert doc["kind"] == "spec"
    assert doc["data"]["version"] == "4.0"
    [entity] = doc["data"]["entities"]
    assert entity["id"] == "jumin" and entity["primary_key"] == ["atena_no"]
    assert "shimei_furigana" not in [i["id"] for i in entity["items"]]


def test_show_text_latest_has_new_items() -> None:
    result = run("specs", "show", "juki", "jumin")
    assert result.exit_code == 0
    assert "shimei_furigana" in result.stdout and "氏名の振り仮名" in result.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("specs", "show", "nosuch"), "nosuch"),
        (("specs", "show", "juki@9.9"), "9.9"),
        (("specs", "show", "juki", "nosuch"), "nosuch"),
        (("specs", "diff", "juki@4.0", "juki@9.9"), "9.9"),
        (("specs", "export", "nosuch", "--format", "xlsx"), "nosuch"),
        (("specs", "export", "juki", "nosuch", "--format", "frictionless"), "nosuch"),
    ],
)
def test_unknown_business_version_entity_exit_2(args: tuple[str, ...], needle: str) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert needle in result.stderr
    assert "Traceback" not in result.output


# -- diff ----------------------------------------------------------------------------------------


def test_diff_text_japanese() -> None:
    result = run("specs", "diff", "juki@4.0", "juki@6.1")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.splitlines()[0] == "juki@4.0 → juki@6.1"
    assert "+ shimei_furigana 氏名の振り仮名" in out
    assert "+ shimei_romaji" in out
    assert "+ birth_date_fusho 生年月日_不詳表記" in out and "- address 住所" in out
    assert "~ katagaki 住所_方書" in out and "max_length: 100 → 300" in out
    assert "required: optional → required" in out
    assert "合計:" in out


def test_diff_text_english() -> None:
    result = run("--lang", "en", "specs", "diff", "juki@4.0", "juki@6.1")
    assert result.exit_code == 0
    assert "+ shimei_furigana Phonetic reading of the name" in result.stdout
    assert "total:" in result.stdout


def test_diff_json() -> None:
    doc = _json(run("specs", "diff", "juki@4.0", "juki@6.1", "--format", "json"))
    assert doc["kind"] == "spec-diff"
    data = doc["data"]
    assert data["old"]["key"] == "juki@4.0" and data["new"]["key"] == "juki@6.1"
    assert data["identical"] is False
    # 第6.1版 as the standard says (issue 11 §2): the split address replaces 住所, 不詳表記 items beside the dates
    assert data["summary"]["items_removed"] == 2
    jumin = next(e for e in data["entities"] if e["id"] == "jumin")
    added = [i["id"] for i in jumin["items_added"]]
    assert added[:2] == ["shimei_furigana", "shimei_romaji"]
    assert {"birth_date_fusho", "todoke_date", "jusho_shikuchoson_code", "jusho_choaza"} <= set(added)
    assert [i["id"] for i in jumin["items_removed"]] == ["address"]
    katagaki = next(i for i in jumin["items_changed"] if i["id"] == "katagaki")
    assert {"attribute": "max_length", "old": 100, "new": 300} in katagaki["changes"]
    setai = next(e for e in data["entities"] if e["id"] == "setai")
    kana = next(i for i in setai["items_changed"] if i["id"] == "setainushi_kana")
    assert {"attribute": "required", "old": "optional", "new": "required"} in kana["changes"]
    assert data["summary"]["items_added"] == sum(len(e["items_added"]) for e in data["entities"])


def test_diff_identical() -> None:
    doc = _json(run("specs", "diff", "juki@4.0", "juki@4.0", "--format", "json"))
    assert doc["data"]["identical"] is True
    assert run("specs", "diff", "juki@4.0", "juki@4.0").stdout.strip().endswith("差分はありません")


def test_diff_spec_file_with_key_and_entity_changes(tmp_path: Path) -> None:
    text = (SPECS / "juki" / "4.0.yaml").read_text(encoding="utf-8")
    text = text.replace("    primary_key: [rireki_no]\n", "    primary_key: [rireki_no, atena_no]\n")
    text = text.replace('version: "4.0"', 'version: "4.1"')
    head, _, _ = text.partition("  - id: ido_rireki\n")
    path = tmp_path / "juki-4.1.yaml"
    path.write_text(head, encoding="utf-8")
    doc = _json(run("specs", "diff", str(SPECS / "juki" / "4.0.yaml"), str(path), "--format", "json"))
    data = doc["data"]
    assert [e["id"] for e in data["entities_removed"]] == ["ido_rireki"]
    assert data["summary"]["items_removed"] == 17
    result = run("specs", "diff", str(path), "juki@4.0")
    assert "+ エンティティ ido_rireki 異動履歴" in result.stdout


def test_diff_reports_key_and_rename(tmp_path: Path) -> None:
    text = (SPECS / "juki" / "4.0.yaml").read_text(encoding="utf-8")
    text = text.replace("    primary_key: [setai_no]\n", "    primary_key: [setai_no, lg_code]\n")
    text = text.replace("{id: chiku_code,", "{id: chiku_cd,")
    path = tmp_path / "changed.yaml"
    path.write_text(text, encoding="utf-8")
    data = _json(run("specs", "diff", "juki@4.0", str(path), "--format", "json"))["data"]
    setai = next(e for e in data["entities"] if e["id"] == "setai")
    assert setai["changes"] == [
        {"attribute": "primary_key", "old": ["setai_no"], "new": ["setai_no", "lg_code"]}
    ]
    assert setai["items_changed"][0]["changes"] == [
        {"attribute": "id", "old": "chiku_code", "new": "chiku_cd"}
    ]
    assert data["summary"]["key_changes"] == 1
    assert "主キー: [setai_no] → [setai_no, lg_code]" in run("specs", "diff", "juki@4.0", str(path)).stdout


def test_diff_missing_file_exit_4(tmp_path: Path) -> None:
    result = run("specs", "diff", "juki@4.0", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 4
    assert "nope.yaml" in result.stderr


# -- export: frictionless --------------------------------------------------------------------------


def test_export_frictionless_package_loads(tmp_path: Path) -> None:
    import frictionless

    out = tmp_path / "pkg.json"
    result = run("specs", "export", "juki@4.0", "--format", "frictionless", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out)
    descriptor = json.loads(out.read_text(encoding="utf-8"))
    package = frictionless.Package.from_descriptor(descriptor)
    assert [r.name for r in package.resources] == ["jumin", "setai", "ido_rireki"]
    jumin = package.get_resource("jumin")
    assert jumin.schema.primary_key == ["atena_no"]
    assert jumin.schema.get_field("shimei").title == "氏名"
    fks = {fk["fields"][0]: fk["reference"]["resource"] for fk in jumin.schema.foreign_keys}
    assert fks == {"setai_no": "setai"}
    birth = jumin.schema.get_field("birth_date")
    assert birth.type == "string" and birth.constraints["pattern"]  # lenient date
    assert jumin.schema.get_field("shojo_date").type == "date"  # calendar date
    assert package.get_resource("setai").schema.get_field("konsei_setai").constraints["enum"] == ["0", "1"]


def test_export_frictionless_stdout_english() -> None:
    result = run(
        "--lang", "en", "specs", "export", "juki@4.0", "jumin", "--format", "frictionless", "-o", "-"
    )
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    field = next(f for f in schema["fields"] if f["name"] == "shimei")
    assert field["title"] == "Name"


def _setai_row(**over: str | None) -> dict[str, str | None]:
    row: dict[str, str | None] = {
        "setai_no": "100001",
        "setainushi_atena_no": "200001",
        "setainushi_shimei": "山田\u3000太郎",
        "setainushi_kana": "ヤマダ\u3000タロウ",
        "setai_kosei_date": "2020-04-01",
        "postal_code": "100-0001",
        "address": "東京都千代田区千代田",
        "banchi": "1-1",
        "katagaki": None,
        "gyoseiku_code": "A1",
        "chiku_code": None,
        "setaiin_count": "2",
        "jp_count": "2",
        "foreign_count": "0",
        "konsei_setai": "0",
        "lg_code": "131016",
        "updated_at": "2024-01-01T10:00:00",
    }
    row.update(over)
    return row


def test_export_frictionless_schema_validates_csv(tmp_path: Path) -> None:
    import csv

    import frictionless

    out = tmp_path / "setai.schema.json"
    assert (
        run("specs", "export", "juki@4.0", "setai", "--format", "frictionless", "-o", str(out)).exit_code == 0
    )
    descriptor = json.loads(out.read_text(encoding="utf-8"))
    assert "foreignKeys" not in descriptor  # references to other entities need the package
    schema = frictionless.Schema.from_descriptor(descriptor)
    rows = [_setai_row(), _setai_row(setai_no="100002", gyoseiku_code="ABCDEFGHIJK")]
    with (tmp_path / "setai.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({k: v or "" for k, v in r.items()} for r in rows)
    resource = frictionless.Resource(path="setai.csv", basepath=str(tmp_path), schema=schema)
    report = resource.validate()
    errors = report.flatten(["rowNumber", "fieldName", "type"])
    assert errors == [[3, "gyoseiku_code", "constraint-error"]]


def test_frictionless_code_table_with_pattern() -> None:
    from migrate.standard.export_frictionless import to_frictionless
    from migrate.standard.loader import load_registry

    reg = load_registry(SPECS)
    schema = to_frictionless(reg.get("juki@4.0"), reg.code_tables, entity_id="jumin")
    field = next(f for f in schema["fields"] if f["name"] == "zokugara")
    assert "enum" not in field["constraints"]
    rx = re.compile("^" + field["constraints"]["pattern"] + "$")  # how frictionless applies it
    assert rx.match("世帯主") and rx.match("子の子") and rx.match("妻の父")
    assert not rx.match("他人") and not rx.match("子の")


def test_frictionless_cp932_byte_length_described() -> None:
    from migrate.standard.export_frictionless import field
    from migrate.standard.loader import load_registry
    from migrate.standard.model import LengthUnit

    reg = load_registry(SPECS)
    spec = reg.get("juki@4.0")
    item = spec.entity("jumin").item("shimei").model_copy(update={"length_unit": LengthUnit.cp932_bytes})
    f = field(spec, item, reg.code_tables)
    assert f["constraints"]["maxLength"] == 100
    assert "CP932" in f["description"] and "Table Schema" in f["description"]


# -- export: gx -------------------------------------------------------------------------------------


def test_export_gx_suite_runs_in_great_expectations(tmp_path: Path) -> None:
    gx = pytest.importorskip("great_expectations")
    import pandas as pd
    from great_expectations.core.expectation_suite import ExpectationSuite

    out = tmp_path / "setai.json"
    result = run("specs", "export", "juki@4.0", "setai", "--format", "gx", "-o", str(out))
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    types = {e["type"] for e in doc["expectations"]}
    assert {
        "expect_column_to_exist",
        "expect_column_values_to_not_be_null",
        "expect_column_value_lengths_to_be_between",
        "expect_column_values_to_be_in_set",
        "expect_column_values_to_match_regex",
        "expect_column_values_to_be_unique",
    } <= types
    kana = next(
        e
        for e in doc["expectations"]
        if e["kwargs"].get("column") == "setainushi_kana" and "regex" in e["kwargs"]
    )
    assert kana["meta"]["severity"] == "warning" and kana["severity"] == "warning"
    assert kana["meta"]["name_ja"] == "世帯主氏名フリガナ" and kana["meta"]["std_id"] == "001-02-0004"

    suite = ExpectationSuite(**doc)
    context = gx.get_context(mode="ephemeral")
    source = context.data_sources.add_pandas("extract")
    batch_def = source.add_dataframe_asset("setai").add_batch_definition_whole_dataframe("all")
    frame = pd.DataFrame([_setai_row(), _setai_row(setai_no="100002", gyoseiku_code="ABCDEFGHIJK")])
    results = batch_def.get_batch(batch_parameters={"dataframe": frame}).validate(suite)
    failed = [
        (r.expectation_config.type, r.expectation_config.kwargs.get("column"))
        for r in results.results
        if not r.success
    ]
    assert failed == [("expect_column_value_lengths_to_be_between", "gyoseiku_code")]
    assert len(results.results) == len(doc["expectations"])


def test_export_gx_all_entities_is_a_list() -> None:
    pytest.importorskip("great_expectations")
    result = run("specs", "export", "juki@4.0", "--format", "gx", "-o", "-")
    assert result.exit_code == 0
    suites = json.loads(result.stdout)
    assert [s["name"] for s in suites] == ["juki@4.0/jumin", "juki@4.0/setai", "juki@4.0/ido_rireki"]
    ido = suites[2]
    compound = [e for e in ido["expectations"] if e["type"] == "expect_compound_columns_to_be_unique"]
    assert compound[0]["kwargs"]["column_list"] == ["atena_no", "ido_date", "ido_jiyu"]


def test_export_gx_missing_extra_gives_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def fake_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("great_expectations"):
            raise ImportError("No module named 'great_expectations'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    result = run("specs", "export", "juki@4.0", "setai", "--format", "gx", "-o", "-")
    assert result.exit_code == 3
    assert "migrate[gx]" in result.stderr
    assert "Traceback" not in result.output


def test_main_path_does_not_import_heavy_modules() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from migrate.cli import cli;"
        "import migrate.cli.specs, migrate.standard.export, migrate.standard.diff, migrate.xlsx;"
        "heavy = ('great_expectations', 'frictionless', 'openpyxl', 'polars');"
        "print(','.join(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


# -- export: xlsx -----------------------------------------------------------------------------------


def test_export_xlsx_data_dictionary(tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "dd.xlsx"
    result = run("specs", "export", "juki@4.0", "--format", "xlsx", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["表紙", "住民", "世帯", "異動履歴", "コード表"]
    ws = wb["住民"]
    headers = [c.value for c in ws[1]]
    assert headers[:4] == ["No", "項目ID", "標準項目ID", "項目名"]
    assert {
        "データ型",
        "最大桁数",
        "桁数の単位",
        "必須",
        "コード表",
        "日付規則",
        "検査数字",
        "機微度",
        "出典区分",
    } <= set(headers)
    assert ws.freeze_panes == "E2"
    assert ws.auto_filter.ref == f"A1:X{ws.max_row}"
    assert ws.column_dimensions["D"].width > 8
    first = {h: c.value for h, c in zip(headers, ws[2], strict=True)}
    assert first["項目ID"] == "atena_no" and first["必須"] == "必須" and first["キー"] == "PK"
    birth = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[1] == "birth_date")
    assert "暦外・不詳も可" in birth and "公式" in birth
    cover = [c.value for row in wb["表紙"].iter_rows() for c in row if c.value]
    assert (
        "住民記録システム標準仕様書 / 001_住民基本台帳_基本データリスト 第4.0版 (基本データリスト 第2.1版)"
        in cover
    )
    assert "凡例" in cover
    codes = wb["コード表"]
    assert ("zokugara", "続柄", "世帯主") in {r[:3] for r in codes.iter_rows(min_row=2, values_only=True)}


def test_export_xlsx_english_one_entity(tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "setai.xlsx"
    assert (
        run(
            "--lang", "en", "specs", "export", "juki@4.0", "setai", "--format", "xlsx", "-o", str(out)
        ).exit_code
        == 0
    )
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Cover", "Household"]  # setai uses no code table
    assert [c.value for c in wb["Household"][1]][:4] == ["No", "Item id", "Standard id", "Name (Japanese)"]


def test_export_xlsx_default_path_and_stdout_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("specs", "export", "juki@4.0", "setai", "--format", "xlsx")
    assert result.exit_code == 0
    assert Path(result.stdout.strip()) == Path("reports/specs/juki-4.0-setai.xlsx")
    assert (tmp_path / "reports/specs/juki-4.0-setai.xlsx").is_file()
    assert not list((tmp_path / "reports/specs").glob(".*.tmp"))
    refused = run("specs", "export", "juki@4.0", "--format", "xlsx", "-o", "-")
    assert refused.exit_code == 2


def test_export_xlsx_formula_text_is_stored_as_text(tmp_path: Path) -> None:
    import openpyxl

    text = (SPECS / "juki" / "4.0.yaml").read_text(encoding="utf-8")
    text = text.replace('description: "氏と名の間は全角スペース"', 'description: "=1+1"')
    text = text.replace("name_en: Alias (foreign residents)", 'name_en: "@SUM(A1:A2)"')
    spec = tmp_path / "evil.yaml"
    spec.write_text(text, encoding="utf-8")
    out = tmp_path / "evil.xlsx"
    assert run("specs", "export", str(spec), "jumin", "--format", "xlsx", "-o", str(out)).exit_code == 0
    ws = openpyxl.load_workbook(out)["住民"]
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for value in ("=1+1", "@SUM(A1:A2)"):
        cell = cells[value]
        assert cell.data_type == "s"
        assert cell.quotePrefix is True
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


def test_xlsx_helpers() -> None:
    import datetime as dt

    import openpyxl

    from migrate.standard.model import Severity
    from migrate.xlsx import looks_like_formula, safe_value, set_cell, sheet_title

    assert looks_like_formula("=A1") and looks_like_formula("-1") and looks_like_formula("\tx")
    assert looks_like_formula("＝SUM(A1)") and not looks_like_formula("田中") and not looks_like_formula("")
    assert safe_value(Severity.error) == "error"
    assert safe_value(["a", "b"]) == "a, b"
    assert safe_value("a\x01b") == "a\ufffdb"
    assert safe_value(dt.date(2026, 3, 25)) == dt.date(2026, 3, 25)
    assert sheet_title("a/b[c]") == "a_b_c_"
    assert sheet_title("x" * 40, ["x" * 31]) == "x" * 27 + " (2)"
    ws = openpyxl.Workbook().active
    assert ws is not None
    cell = set_cell(ws["A1"], "+cmd|' /C calc'!A0")
    assert cell.data_type == "s" and cell.quotePrefix
    plain = set_cell(ws["A2"], 12)
    assert plain.data_type == "n" and not plain.quotePrefix


# -- import -----------------------------------------------------------------------------------------

OFFICIAL_NAME = "001_住民基本台帳_基本データリスト【第2.1版】_20230929.xlsx"


def _workbook(path: Path, rows: list[list[Any]], *, title_rows: int = 2, sheet: str = "住民") -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    cover = wb.active
    assert cover is not None
    cover.title = "表紙"
    cover["A1"] = "住民基本台帳 基本データリスト"
    ws = wb.create_sheet(sheet)
    for i in range(title_rows):
        ws.append([f"基本データリスト ({i})"] if i == 0 else [])
    ws.append(["No", "項目ID", "項目名称", "データ型", "桁数", "必須", "コード表", "備考"])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


GOOD_ROWS: list[list[Any]] = [
    [1, "001-01-0001", "宛名番号", "数字", 15, "○", None, None],
    [2, "001-01-0006", "氏名", "文字列", 100, "必須", None, "氏と名の間は全角スペース"],
    [3, "001-01-0010", "性別", "コード", 1, "○", "性別コード", None],
    [4, "001-01-0003", "個人番号", "数字", 12, "任意", None, None],
    [5, "001-01-0014", "外国人住民となった年月日", "日付", 10, "条件付き", None, "外国人住民の場合は必須"],
    [6, "001-01-0099", "謎の項目", "バイナリ", 10, "任意", None, None],
    [7, "001-01-0100", "新しい項目", "文字列", "十桁", "任意", None, None],
    [8, "001-01-0101", "予備", "文字列", "20バイト", "たぶん", None, None],
    [9, "001-01-0102", "国籍コード", "コード", 3, "任意", "国籍コード表", None],
]


def test_import_official_workbook(tmp_path: Path) -> None:
    from migrate.standard.loader import load_spec_file
    from migrate.standard.model import Provenance, Required, Sensitivity

    book = _workbook(tmp_path / OFFICIAL_NAME, GOOD_ROWS)
    out = tmp_path / "juki" / "2.1.yaml"
    result = run("specs", "import", str(book), "--business", "juki", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == str(out)
    spec = load_spec_file(out)
    assert spec.key == "juki@2.1"
    assert spec.source.version == "第2.1版" and str(spec.source.published) == "2023-09-29"
    assert spec.business.code == "001" and spec.business.ministry == "総務省"
    [entity] = spec.entities
    assert entity.id == "jumin" and entity.primary_key == ["atena_no"]
    ids = entity.item_ids
    assert ids == [
        "atena_no",
        "shimei",
        "seibetsu",
        "kojin_bango",
        "foreign_resident_since",
        "item_001_01_0100",
        "item_001_01_0101",
        "item_001_01_0102",
    ]
    assert all(spec.provenance_of(i) == Provenance.official for i in entity.items)
    assert entity.item("seibetsu").code_table == "seibetsu"
    assert entity.item("atena_no").charset is not None and entity.item("atena_no").max_length == 15
    assert entity.item("kojin_bango").sensitivity == Sensitivity.my_number
    foreign = entity.item("foreign_resident_since")
    assert foreign.required == Required.conditional and foreign.condition == "外国人住民の場合は必須"
    assert foreign.date_rule is not None and foreign.date_rule.value == "lenient"
    assert entity.item("item_001_01_0100").max_length is None
    spare = entity.item("item_001_01_0101")
    assert (
        spare.max_length == 20 and spare.length_unit is not None and spare.length_unit.value == "cp932-bytes"
    )
    assert spare.required == Required.optional  # "たぶん" is not a known word: reported, taken as optional
    assert entity.item("item_001_01_0102").type.value == "string"  # unknown code table
    # problems: sheet!cell, in the order met
    warnings = [line for line in result.stderr.splitlines() if line.startswith("警告")]
    assert any("住民!D9" in w and "バイナリ" in w and "skipped-row" in w for w in warnings)
    assert any("住民!E10" in w and "ignored-value" in w for w in warnings)
    assert any("住民!F11" in w for w in warnings)
    assert any("住民!G12" in w for w in warnings)


def test_import_json_envelope(tmp_path: Path) -> None:
    book = _workbook(tmp_path / OFFICIAL_NAME, GOOD_ROWS)
    doc = _json(
        run(
            "specs",
            "import",
            str(book),
            "--business",
            "juki",
            "-o",
            str(tmp_path / "o.yaml"),
            "--format",
            "json",
        )
    )
    assert doc["kind"] == "spec-import"
    data = doc["data"]
    assert data["spec"] == "juki@2.1" and data["items"] == 8 and data["sheets"] == ["住民"]
    assert data["path"] == str(tmp_path / "o.yaml")
    skipped = [p for p in data["problems"] if p["action"] == "skipped-row"]
    assert skipped == [
        {
            "sheet": "住民",
            "row": 9,
            "column": "D",
            "heading": "データ型",
            "message": skipped[0]["message"],
            "action": "skipped-row",
        }
    ]


def test_import_new_business_with_layout_and_version(tmp_path: Path) -> None:
    import openpyxl

    from migrate.standard.loader import load_spec_file

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "items"
    ws.append(["Item", "Name", "Kind", "Len", "Must", "Group"])
    ws.append(["a_no", "番号", "text", 10, "yes", "台帳"])
    ws.append(["b_date", "日付", "day", None, "no", "台帳"])
    ws.append(["c_flag", "区分", "bool", None, "yes", "明細"])
    book = tmp_path / "099_試験業務_基本データリスト.xlsx"
    wb.save(book)
    layout = tmp_path / "layout.yaml"
    layout.write_text(
        "kind: migrate/import-layout\nformat: 1\nheader_row: 1\nentity_column: [Group]\n"
        "entity_ids: {台帳: daicho, 明細: meisai}\n"
        "columns: {id: [Item], name_ja: [Name], type: [Kind], max_length: [Len], required: [Must]}\n"
        "values:\n  type: {text: string, day: date, bool: flag}\n"
        "  required: {'yes': required, 'no': optional}\n",
        encoding="utf-8",
    )
    out = tmp_path / "shiken.yaml"
    result = run(
        "specs",
        "import",
        str(book),
        "--business",
        "shiken",
        "--version",
        "1.0",
        "--layout",
        str(layout),
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    spec = load_spec_file(out)
    assert spec.business.code == "099" and spec.business.name_ja == "試験業務"
    assert [e.id for e in spec.entities] == ["daicho", "meisai"]
    assert spec.entity("daicho").item_ids == ["a_no", "b_date"]
    assert spec.entity("meisai").item("c_flag").type.value == "flag"


def test_import_sheet_option_and_unknown_sheet(tmp_path: Path) -> None:
    book = _workbook(tmp_path / OFFICIAL_NAME, GOOD_ROWS[:2])
    ok = run("specs", "import", str(book), "--business", "juki", "--sheet", "住民", "-o", "-")
    assert ok.exit_code == 0
    assert "kind: migrate/spec" in ok.stdout
    bad = run("specs", "import", str(book), "--business", "juki", "--sheet", "世帯", "-o", "-")
    assert bad.exit_code == 2
    assert "世帯" in bad.stderr


def test_import_nothing_usable_exit_3(tmp_path: Path) -> None:
    book = _workbook(tmp_path / OFFICIAL_NAME, [[1, "x", "項目", "謎の型", 1, "○", None, None]])
    result = run("specs", "import", str(book), "--business", "juki", "-o", str(tmp_path / "o.yaml"))
    assert result.exit_code == 3
    assert "住民!D4" in result.stderr
    assert not (tmp_path / "o.yaml").exists()


def test_import_no_heading_row_exit_3(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["foo", "bar"])
    book = tmp_path / OFFICIAL_NAME
    wb.save(book)
    result = run("specs", "import", str(book), "--business", "juki")
    assert result.exit_code == 3


def test_import_missing_workbook_exit_4(tmp_path: Path) -> None:
    result = run("specs", "import", str(tmp_path / "none.xlsx"), "--business", "juki")
    assert result.exit_code == 4
    assert "none.xlsx" in result.stderr


def test_import_not_a_workbook_exit_4(tmp_path: Path) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a zip", encoding="utf-8")
    result = run("specs", "import", str(fake), "--business", "juki")
    assert result.exit_code == 4
    assert "Traceback" not in result.output


def test_import_unknown_business_without_code_exit_2(tmp_path: Path) -> None:
    book = _workbook(tmp_path / "list.xlsx", GOOD_ROWS[:1])
    result = run("specs", "import", str(book), "--business", "shiken", "--version", "1.0")
    assert result.exit_code == 2
    assert run("specs", "import", str(book), "--business", "Bad Id").exit_code == 2


def test_import_without_version_exit_2(tmp_path: Path) -> None:
    book = _workbook(tmp_path / "list.xlsx", GOOD_ROWS[:1])
    result = run("specs", "import", str(book), "--business", "juki")
    assert result.exit_code == 2
    assert "--version" in result.stderr


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("kind: migrate/import-layout\nformat: 1\ncolumns: {name_ja: [項目名\n", 4),
        ("kind: migrate/import-layout\nformat: 1\ncolumns:\n  name_ja: [項目名]\n  colour: [色]\n", 5),
        (
            "kind: migrate/import-layout\nformat: 1\ncolumns: {name_ja: [a]}\nvalues:\n  type: {x: picture}\n",
            5,
        ),
        ("kind: migrate/import-layout\nformat: 2\ncolumns: {name_ja: [a]}\n", 2),
    ],
)
def test_import_broken_layout_exit_3_with_line(tmp_path: Path, text: str, line: int) -> None:
    book = _workbook(tmp_path / OFFICIAL_NAME, GOOD_ROWS[:1])
    layout = tmp_path / "layout.yaml"
    layout.write_text(text, encoding="utf-8")
    result = run("specs", "import", str(book), "--business", "juki", "--layout", str(layout))
    assert result.exit_code == 3, result.output
    [message] = result.stderr.strip().splitlines()
    assert f"layout.yaml:{line}" in message


def test_default_layout_is_valid() -> None:
    from migrate.standard.importer import load_layout

    layout = load_layout()
    assert layout.header_row == "auto"
    assert "name_ja" in layout.columns


def test_import_round_trip_of_exported_dictionary_headings(tmp_path: Path) -> None:
    """Our own data dictionary reads back with a layout naming its headings."""
    from migrate.standard.loader import load_spec_file

    out = tmp_path / "dd.xlsx"
    assert run("specs", "export", "juki@4.0", "setai", "--format", "xlsx", "-o", str(out)).exit_code == 0
    layout = tmp_path / "layout.yaml"
    layout.write_text(
        "kind: migrate/import-layout\nformat: 1\nheader_row: 1\nsheets: [世帯]\n"
        "columns: {id: [項目ID], std_id: [標準項目ID], name_ja: [項目名], name_en: [英語名],"
        " type: [データ型], max_length: [最大桁数], required: [必須], key: [キー]}\n"
        "values:\n  type: {文字列: string, 整数: integer, 日付: date, 日時: datetime, フラグ: flag}\n"
        "  required: {必須: required, 任意: optional}\n  key: [PK]\n",
        encoding="utf-8",
    )
    spec_out = tmp_path / "setai.yaml"
    result = run(
        "specs",
        "import",
        str(out),
        "--business",
        "juki",
        "--version",
        "4.0",
        "--layout",
        str(layout),
        "-o",
        str(spec_out),
    )
    assert result.exit_code == 0, result.output
    spec = load_spec_file(spec_out)
    original = load_spec_file(SPECS / "juki" / "4.0.yaml").entity("setai")
    assert spec.entities[0].item_ids == original.item_ids
    assert spec.entities[0].primary_key == ["setai_no"]


def test_cli_help_lists_new_commands() -> None:
    result = CliRunner().invoke(cli, ["specs", "--help"])
    assert result.exit_code == 0
    for name in ("list", "show", "diff", "export", "import"):
        assert re.search(rf"^\s+{name}\b", result.stdout, re.M), name


@pytest.mark.parametrize(
    ("pattern", "good", "bad"),
    [
        (r"^[0-9]{3}-?[0-9]{4}$", "100-0001", "100-00011"),
        (r"(a|b)c", "bc", "abc"),
        (r"[(]x(y)", "(xy", "xy"),
        (r"\(z(w)", "(zw", "zw"),
    ],
)
def test_anchored_patterns_match_whole_values_without_capture_groups(
    pattern: str, good: str, bad: str
) -> None:
    from migrate.standard.export import anchored

    rx = re.compile(anchored(pattern))
    assert rx.groups == 0
    assert rx.search(good) and not rx.search(bad)
