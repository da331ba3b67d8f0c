"""`migrate validate --format csv`: findings for Excel (UTF-8 with BOM), masked, formula-injection safe."""

from __future__ import annotations

import csv
import io
import json
import stat
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from migrate.checkdigit import my_number_check_digit
from migrate.findings import REGISTRY
from migrate.mask import MY_NUMBER_MASK
from migrate.report.validation.csv import BOM, COLUMNS, render_csv, safe_cell
from migrate.samples import JUKI_HEADER, juki_rows, write_juki
from migrate.validate.run import FINDING_SCHEMA
from migrate.xlsx import FORMULA_TRIGGERS
from tests.conftest import ROOT, run

MAPPING = ROOT / "mappings/juki/midori-jumin-v1.yaml"
# check-digit-valid numbers made here (never real ones): one in a value, one in a column name
VALUE_NO = "10000000001" + str(my_number_check_digit("10000000001"))
COLUMN_NO = "20000000002" + str(my_number_check_digit("20000000002"))


def _parse(text: str) -> list[dict[str, str]]:
    assert text.startswith(BOM)
    return list(csv.DictReader(io.StringIO(text.removeprefix(BOM))))


@pytest.fixture(scope="module")
def juki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_juki(tmp_path_factory.mktemp("csv") / "juki.csv", 40)


def test_csv_has_the_json_findings_row_for_row(juki: Path) -> None:
    res = run("validate", str(juki), "--mapping", str(MAPPING), "--format", "csv")
    assert res.exit_code == 1  # findings at --fail-on error, as with every format
    rows = _parse(res.stdout)
    assert list(rows[0]) == list(COLUMNS)
    doc = json.loads(run("validate", str(juki), "--mapping", str(MAPPING), "--format", "json").stdout)
    findings = doc["data"][0]["findings"]
    keys = ("code", "severity", "item", "column", "value", "mapped")
    assert [tuple(r[k] for k in keys) for r in rows] == [tuple(f[k] or "" for k in keys) for f in findings]
    assert [r["line"] for r in rows] == [str(f["line"]) if f["line"] is not None else "" for f in findings]
    assert all(r["hint"] == REGISTRY[r["code"]].hint_ja for r in rows)
    assert all(r["message"] == REGISTRY[r["code"]].title_ja for r in rows)
    en = _parse(
        run("--lang", "en", "validate", str(juki), "--mapping", str(MAPPING), "--format", "csv").stdout
    )
    assert all(r["hint"] == REGISTRY[r["code"]].hint_en for r in en)


def test_csv_to_a_file_is_atomic_private_and_capped(juki: Path, tmp_path: Path) -> None:
    out = tmp_path / "findings.csv"
    res = run("validate", str(juki), "--mapping", str(MAPPING), "--format", "csv", "-o", str(out))
    assert res.stdout == "" and str(out) in res.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the UTF-8 BOM Excel needs
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["findings.csv"]  # no temporary file left
    assert len(_parse(raw.decode("utf-8"))) == 10
    run(
        "validate",
        str(juki),
        "--mapping",
        str(MAPPING),
        "--format",
        "csv",
        "-o",
        str(out),
        "--max-findings",
        "3",
    )
    assert len(_parse(out.read_text(encoding="utf-8"))) == 3


def test_personal_values_masked_unless_asked(juki: Path) -> None:
    masked = run("validate", str(juki), "--mapping", str(MAPPING), "--format", "csv").stdout
    shown = run("validate", str(juki), "--mapping", str(MAPPING), "--format", "csv", "--show-values").stdout
    assert "12-34567" not in masked and "12-34567" in shown


def test_planted_my_number_in_a_value_and_a_header(tmp_path: Path) -> None:
    rows = [list(r) for r in juki_rows(8, 3, defects=False)]
    rows[2][JUKI_HEADER.index("続柄")] = VALUE_NO  # not a 続柄 code: code-invalid shows its value
    lines = [",".join(JUKI_HEADER), *(",".join(r) for r in rows)]
    data = tmp_path / "planted.csv"
    data.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp932"))
    # the mapping reads 国籍 from a column whose name carries a 個人番号: column-missing names it
    text = MAPPING.read_text(encoding="utf-8").replace(
        "kokuseki: {from: 国籍,", f'kokuseki: {{from: "国籍{COLUMN_NO}",'
    )
    mapping = tmp_path / "m.yaml"
    mapping.write_text(text, encoding="utf-8")
    for extra in ([], ["--show-values"]):
        out = run("validate", str(data), "--mapping", str(mapping), "--format", "csv", *extra).stdout
        assert VALUE_NO not in out and COLUMN_NO not in out
        found = {r["code"]: r for r in _parse(out)}
        assert found["code-invalid"]["value"] == MY_NUMBER_MASK
        assert found["column-missing"]["column"] == f"国籍{MY_NUMBER_MASK}"


class _Result:
    """The two things render_csv reads of a ValidationResult."""

    def __init__(self, file: str, findings: list[dict[str, Any]]) -> None:
        self.file = file
        self.findings = pl.DataFrame(findings, schema=FINDING_SCHEMA)
        self.std_ids: dict[str, str] = {}


def _is_safe(cell: str) -> bool:
    return not cell.startswith(FORMULA_TRIGGERS)


@given(st.text(max_size=30))
def test_safe_cell_quotes_every_formula_and_keeps_the_rest(text: str) -> None:
    cell = safe_cell(text)
    assert _is_safe(cell)
    if text.startswith(FORMULA_TRIGGERS):
        assert cell == "'" + text
    elif MY_NUMBER_MASK not in cell:
        assert cell == text


@given(
    st.lists(
        st.tuples(
            st.text(alphabet=st.sampled_from("=+-@\t\r\n,\"'ab1＝"), max_size=8),
            st.text(alphabet=st.sampled_from('=+-@\t\r,"ab1'), max_size=8),
        ),
        max_size=5,
    ),
    st.sampled_from(["=cmd|' /C calc'!A0.csv", "+x.csv", "plain.csv"]),
)
def test_rendered_csv_round_trips_with_no_formula_cell(values: list[tuple[str, str]], name: str) -> None:
    findings = [
        {
            "line": i + 2,
            "row": i,
            "column": column,
            "item": "zokugara",
            "code": "code-invalid",
            "severity": "error",
            "value": value,
            "mapped": value,
            "detail": "{}",
        }
        for i, (value, column) in enumerate(values)
    ]
    rows = _parse(render_csv([_Result(name, findings)]))
    assert len(rows) == len(values)
    for row, (value, column) in zip(rows, values, strict=True):
        assert all(_is_safe(cell) for cell in row.values())
        assert row["value"] == (("'" + value) if value.startswith(FORMULA_TRIGGERS) else value)
        assert row["column"] == (("'" + column) if column.startswith(FORMULA_TRIGGERS) else column)
        assert row["line"].isdigit()  # numbers stay numbers
