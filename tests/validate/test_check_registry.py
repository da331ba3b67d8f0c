"""One registry of checks: the validator, the exported Table Schema and the exported GX suite agree.

A corpus of values (valid, invalid and edge: full-width digits, ・ヽヾ, 不詳 markers, non-BMP, 外字, empty)
goes through each item's checks as the validator compiles them, through frictionless with the item's
exported field, and through the item's GX expectations (their regex / value set / lengths run in Python,
the way GX's pandas engine applies them: a search on non-null text). Wherever every family's part for
the item says it is exact, the verdicts must be the same value for value.
"""

from __future__ import annotations

import re
from typing import Any

import frictionless
import polars as pl
import pytest

from migrate.checks import FAMILIES, family_of
from migrate.findings import REGISTRY
from migrate.standard.export_frictionless import field, field_parts
from migrate.standard.export_gx import item_expectations, item_parts
from migrate.standard.loader import load_registry
from migrate.standard.model import Charset, DateRule, Item, ItemType, Required
from migrate.validate.compile import compile_checks

CORPUS = [
    "123", "１２３", "007", "-5", "+5", "1.25", "1e3", "ア", "ｱｲ", "アイ・ウ", "ヽヾ", "ヤマダ\u3000タロウ", "ゃ",
    "ABC-1", "A B", "a!~", "Ａ", "令和○年頃", "年月日不詳", "昭和50年不明", "推定", "1970-02-30",
    "2020-13-01", "2020-01-01", "２０２０-01-01", "12:30", "24:00", "12:30:59", "１２:30", "2020",
    "0", "1", "2", "𠮟", "髙橋", "\ue000", "a\U000f0001", "", "世帯主", "子の子", "他人", "100-0001",
    "1000001", "山田\n上旬",
]  # fmt: skip


@pytest.fixture(scope="module")
def reg() -> Any:
    return load_registry()


def _items(reg: Any) -> list[Item]:
    spec = reg.get("juki@4.0")
    base = spec.entity("jumin").item("shimei")
    plain = {
        "charset": None,
        "pattern": None,
        "max_length": None,
        "code_table": None,
        "required": Required.optional,
    }
    made = [
        {"type": ItemType.integer},
        {"type": ItemType.integer, "unsigned": True, "integer_digits": 3},
        {"type": ItemType.decimal, "scale": 2},
        {"type": ItemType.flag},
        {"type": ItemType.time},
        {"type": ItemType.year},
        {"type": ItemType.date, "date_rule": DateRule.lenient},
        {"charset": Charset.zenkaku_kana},
        {"charset": Charset.hankaku_digits, "max_length": 4},
        {"charset": Charset.hankaku_alnum},
        {"charset": Charset.hankaku},
        {"charset": Charset.zenkaku},  # MJ: not exact, compared nowhere
        {"required": Required.required, "min_length": 2, "max_length": 3},
        {"type": ItemType.code, "code_table": "zokugara"},
        {"type": ItemType.code, "code_table": "seibetsu"},
        {"pattern": "^[0-9]{3}-?[0-9]{4}$"},
        {"pattern": "[0-9]{2}"},  # searched, not anchored
    ]
    return [base.model_copy(update={**plain, "id": f"i{n}", **m}) for n, m in enumerate(made)]


def _validator(reg: Any, item: Item) -> list[bool]:
    spec = reg.get("juki@4.0")
    entity = spec.entity("jumin").model_copy(
        update={"items": [item], "primary_key": [], "unique": [], "rules": []}
    )
    checks, derive = compile_checks(spec, entity, reg, [])
    frame = pl.DataFrame({item.id: [v or None for v in CORPUS]}, schema={item.id: pl.Utf8}).with_columns(
        **derive
    )
    ok = frame.select(pl.all_horizontal([c.expr.fill_null(True) for c in checks]) if checks else pl.lit(True))
    return ok.to_series().to_list() if checks else [True] * len(CORPUS)


def _frictionless(reg: Any, item: Item) -> list[bool]:
    spec = reg.get("juki@4.0")
    schema = frictionless.Schema.from_descriptor(
        {"fields": [field(spec, item, reg.code_tables)], "missingValues": [""]}
    )
    rows = [[item.id], *([v] for v in CORPUS)]
    report = frictionless.Resource(data=rows, schema=schema).validate()
    # a one-column row with an empty cell is also a blank-row error: only the cell's verdict counts
    required = item.required == Required.required
    bad = {row - 2 for row, kind in report.flatten(["rowNumber", "type"]) if kind != "blank-row" or required}
    return [i not in bad for i in range(len(CORPUS))]


def _gx(reg: Any, item: Item) -> list[bool]:
    out = []
    exps = item_expectations(reg.get("juki@4.0"), item, reg.code_tables)
    for v in CORPUS:
        ok = True
        for e in exps:
            kw = e["kwargs"]
            if e["type"] == "expect_column_values_to_not_be_null":
                ok &= v != ""
            elif v == "":
                continue
            elif e["type"] == "expect_column_values_to_match_regex":
                ok &= re.search(kw["regex"], v) is not None
            elif e["type"] == "expect_column_values_to_be_in_set":
                ok &= v in kw["value_set"]
            elif e["type"] == "expect_column_value_lengths_to_be_between":
                ok &= kw.get("min_value", 0) <= len(v) <= kw.get("max_value", 10**9)
        out.append(ok)
    return out


def test_every_family_code_is_a_registered_finding() -> None:
    codes = [c for f in FAMILIES for c in f.codes]
    assert len(codes) == len(set(codes)), "a code belongs to one family"
    assert set(codes) <= set(REGISTRY)
    assert family_of("charset-hankaku-alnum").name == "charset"


def test_compile_checks_is_the_registry(reg: Any) -> None:
    """Every compiled code comes from a family, in registry order within an item."""
    spec = reg.get("juki@4.0")
    checks, _ = compile_checks(spec, spec.entity("jumin"), reg, [])
    order = [f.name for f in FAMILIES]
    for item in {c.item for c in checks if c.scope == "value"}:
        ranks = [order.index(family_of(c.code).name) for c in checks if c.item == item and c.scope == "value"]
        assert ranks == sorted(ranks)


@pytest.mark.parametrize("n", range(17))
def test_exports_agree_with_the_validator(reg: Any, n: int) -> None:
    item = _items(reg)[n]
    spec = reg.get("juki@4.0")
    want = _validator(reg, item)
    if all(p.exact for _, p in field_parts(spec, item, reg.code_tables)):
        got = _frictionless(reg, item)
        assert [v for v, a, b in zip(CORPUS, want, got, strict=True) if a != b] == [], "Table Schema"
    if all(p.exact for _, p in item_parts(spec, item, reg.code_tables)):
        got = _gx(reg, item)
        assert [v for v, a, b in zip(CORPUS, want, got, strict=True) if a != b] == [], "GX"


def test_the_three_disagreements_are_resolved(reg: Any) -> None:
    items = {i.charset: i for i in _items(reg) if i.charset}
    alnum = _validator(reg, items[Charset.hankaku_alnum])
    assert alnum[CORPUS.index("ABC-1")] and alnum[CORPUS.index("A B")]  # printable ASCII, as documented
    kana = _validator(reg, items[Charset.zenkaku_kana])
    assert kana[CORPUS.index("アイ・ウ")] and kana[CORPUS.index("ヽヾ")]
    assert _frictionless(reg, items[Charset.zenkaku_kana]) == kana
    lenient = next(i for i in _items(reg) if i.type == ItemType.date)
    assert _frictionless(reg, lenient)[CORPUS.index("昭和50年不明")]  # 不明 is one of the 9 markers
    integer = _validator(reg, _items(reg)[0])
    assert not integer[CORPUS.index("１２３")]  # データ型 9: half-width digits only


def test_pandera_export_gives_migrates_verdicts(reg: Any, tmp_path: Any) -> None:
    import csv
    import importlib.util

    from migrate.checks import NOT_STANDALONE
    from migrate.standard.export import export_spec
    from migrate.validate.run import _pandera, validate_file

    pa = _pandera()
    spec, entity = reg.entity("juki@4.0/setai")
    out = tmp_path / "setai_schema.py"
    export_spec(spec, reg.code_tables, "pandera", entity_id="setai", output=out)
    text = out.read_text(encoding="utf-8")
    mod_spec = importlib.util.spec_from_file_location("setai_schema", out)
    assert mod_spec is not None and mod_spec.loader is not None
    module = importlib.util.module_from_spec(mod_spec)
    mod_spec.loader.exec_module(module)
    good = {
        "setai_no": "100001", "setainushi_atena_no": "200001", "setainushi_shimei": "山田\u3000太郎",
        "setainushi_kana": "ヤマダ\u3000タロウ", "setai_kosei_date": "2020-04-01", "postal_code": "100-0001",
        "address": "東京都千代田区千代田", "banchi": "1-1", "katagaki": "", "gyoseiku_code": "A1",
        "chiku_code": "", "setaiin_count": "2", "jp_count": "2", "foreign_count": "0", "konsei_setai": "0",
        "lg_code": "131016", "updated_at": "2024-01-01T10:00:00",
    }  # fmt: skip
    rows = [
        good,
        {**good, "setai_no": "100001", "setainushi_kana": "ﾔﾏﾀﾞ", "postal_code": "１００-0001"},
        {
            **good,
            "setai_no": "100002",
            "konsei_setai": "2",
            "setai_kosei_date": "2020-02-30",
            "lg_code": "131017",
        },
        {**good, "setai_no": "", "setaiin_count": "x", "gyoseiku_code": "ABCDEFGHIJK", "address": "\ue000"},
    ]
    path = tmp_path / "setai.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=[it.id for it in entity.items])
        writer.writeheader()
        writer.writerows(rows)
    result = validate_file(path, spec, entity, reg)
    findings = result.findings.filter(
        pl.col("row").is_not_null() & ~pl.col("code").is_in(list(NOT_STANDALONE))
    )
    want = {(int(r), c) for r, c in findings.select("row", "code").iter_rows()}
    frame = pl.read_csv(path, infer_schema=False)  # empty cells are null
    with pytest.raises(pa.errors.SchemaErrors) as exc:
        module.SCHEMAS["setai"].validate(frame, lazy=True)
    fc = exc.value.failure_cases.filter(pl.col("index").is_not_null())
    got = {(int(i), str(c).split(" (")[0]) for i, c in fc.select("index", "check").iter_rows()}
    assert want and got == want
    assert "reference-missing" in text or "charset-outside-mj" in text  # listed as not exported
