"""`migrate specs sample` end to end: determinism, encodings, --ref, the truth file and its lines."""

from __future__ import annotations

import csv
import io
import json
import random
import re
import shutil
from pathlib import Path

import pytest

from migrate.checkdigit import my_number_valid
from migrate.standard.loader import load_registry
from migrate.standard.sample import (
    MY_NUMBER_PREFIX,
    Sample,
    SampleError,
    from_pattern,
    generate,
    write_sample,
)
from tests.conftest import SPECS, run

REGISTRY = load_registry(SPECS)


def _rows(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode(encoding), newline="")))


def test_same_seed_same_bytes_other_seed_other_file(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    for path, seed in ((a, "5"), (b, "5"), (c, "6")):
        res = run(
            "specs",
            "sample",
            "juki/jumin",
            "--rows",
            "20",
            "--seed",
            seed,
            "--defects",
            "0.3",
            "-o",
            str(path),
        )
        assert res.exit_code == 0, res.output
    assert a.read_bytes() == b.read_bytes()
    assert Path(f"{a}.truth.json").read_bytes() == Path(f"{b}.truth.json").read_bytes()
    assert a.read_bytes() != c.read_bytes()


def test_standard_layout_headers_are_item_ids_and_rows_counted(tmp_path: Path) -> None:
    out = tmp_path / "s.csv"
    res = run("specs", "sample", "juki@4.0/setai", "--rows", "7", "-o", str(out))
    assert res.exit_code == 0, res.output
    _, entity = REGISTRY.entity("juki@4.0/setai")
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0].split(",") == entity.item_ids
    assert len(_rows(out)) == 7
    assert out.read_bytes().count(b"\r\n") == 8  # CRLF line ends, header included
    assert not Path(f"{out}.truth.json").exists()  # no defects, no truth file
    assert out.stat().st_mode & 0o077 == 0  # written through migrate.atomic: private


def test_cp932_sample_is_cp932_and_validates_clean(tmp_path: Path) -> None:
    out = tmp_path / "cp.csv"
    assert (
        run("specs", "sample", "juki/jumin", "--rows", "15", "--encoding", "cp932", "-o", str(out)).exit_code
        == 0
    )
    raw = out.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "見本" in raw.decode("cp932") or "試験" in raw.decode("cp932")
    res = run("--lang", "en", "validate", str(out), "--spec", "juki/jumin", "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)["data"]
    data = data[0] if isinstance(data, list) else data
    assert (data["encoding"], data["rows"], data["findings_total"]) == ("cp932", 15, 0)


def test_cp932_defects_never_need_a_character_cp932_lacks(tmp_path: Path) -> None:
    out = tmp_path / "cp.csv"
    res = run(
        "specs",
        "sample",
        "juki/jumin",
        "--rows",
        "60",
        "--defects",
        "1",
        "--encoding",
        "cp932",
        "-o",
        str(out),
    )
    assert res.exit_code == 0, res.output
    kinds = {d["kind"] for d in json.loads(Path(f"{out}.truth.json").read_text())["defects"]}
    assert "charset-outside-mj" not in kinds  # its characters (outside MJ and JIS X 0213) are not in CP932
    assert "gaiji-private-use" in kinds  # CP932's user-defined area is


def test_ref_draws_real_atena_numbers_and_defects_are_found(tmp_path: Path) -> None:
    juki, kazei = tmp_path / "juki.csv", tmp_path / "kazei.csv"
    assert run("specs", "sample", "juki/jumin", "--rows", "25", "-o", str(juki)).exit_code == 0
    res = run(
        "specs", "sample", "kojin-juminzei/kazei", "--rows", "40", "--defects", "1",
        "--ref", f"juki/jumin={juki}", "-o", str(kazei),
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    atena = {r["atena_no"] for r in _rows(juki)}
    truth = json.loads(Path(f"{kazei}.truth.json").read_text())
    lines = {d["line"]: d for d in truth["defects"]}
    assert "reference-missing" in {d["kind"] for d in truth["defects"]}
    for line, row in enumerate(_rows(kazei), start=2):
        if line not in lines or lines[line]["item"] != "atena_no":
            assert row["atena_no"] in atena, line
    res = run("--lang", "en", "validate", str(kazei), "--spec", "kojin-juminzei/kazei", "--ref", f"juki/jumin={juki}",
              "--format", "json")  # fmt: skip
    data = json.loads(res.stdout)["data"]
    data = data[0] if isinstance(data, list) else data
    found = sorted((f["line"], f["item"], f["code"]) for f in data["findings"])
    assert found == sorted((d["line"], d["item"], d["kind"]) for d in truth["defects"])


def test_without_ref_references_stay_within_the_business(tmp_path: Path) -> None:
    """juki/jumin.setai_no points at the 世帯番号 a juki/setai sample of as many rows holds."""
    jumin, setai = tmp_path / "jumin.csv", tmp_path / "setai.csv"
    assert (
        run("specs", "sample", "juki/jumin", "--rows", "30", "--seed", "1", "-o", str(jumin)).exit_code == 0
    )
    assert (
        run("specs", "sample", "juki/setai", "--rows", "30", "--seed", "9", "-o", str(setai)).exit_code == 0
    )
    setai_no = {r["setai_no"] for r in _rows(setai)}
    assert {r["setai_no"] for r in _rows(jumin)} <= setai_no
    assert {r["setainushi_atena_no"] for r in _rows(setai)} <= {r["atena_no"] for r in _rows(jumin)}


def test_truth_file_format_and_no_values_in_it(tmp_path: Path) -> None:
    out = tmp_path / "d.csv"
    res = run("specs", "sample", "juki/jumin", "--rows", "30", "--defects", "0.4", "-o", str(out))
    assert res.exit_code == 0
    truth = json.loads(Path(f"{out}.truth.json").read_text(encoding="utf-8"))
    assert set(truth) == {"rows", "defects"} and truth["rows"] == 30
    assert len(truth["defects"]) == 12
    assert len({d["line"] for d in truth["defects"]}) == 12  # one defect per defective row
    assert all(set(d) == {"line", "item", "kind"} and 2 <= d["line"] <= 31 for d in truth["defects"])
    assert len({d["kind"] for d in truth["defects"]}) >= 10  # kinds are taken in turn


def test_my_numbers_valid_fixed_prefix_and_never_printed(tmp_path: Path) -> None:
    out = tmp_path / "m.csv"
    res = run("specs", "sample", "juki/jumin", "--rows", "40", "--defects", "0.2", "-o", str(out))
    assert res.exit_code == 0
    rows = _rows(out)
    numbers = [r["kojin_bango"] for r in rows if r["kojin_bango"]]
    assert len(numbers) > 10
    truth = json.loads(Path(f"{out}.truth.json").read_text())
    bad_lines = {d["line"] for d in truth["defects"] if d["item"] == "kojin_bango"}
    for line, row in enumerate(rows, start=2):
        if row["kojin_bango"] and line not in bad_lines:
            assert row["kojin_bango"].startswith(MY_NUMBER_PREFIX) and my_number_valid(row["kojin_bango"])
    text = res.output + Path(f"{out}.truth.json").read_text()
    assert not any(n in text for n in numbers)


def test_physical_lines_count_quoted_line_breaks(tmp_path: Path) -> None:
    sample = Sample(
        header=["a", "b"], rows=[["1", "x"], ["2", "two\r\nlines"], ["3", "y"], ["4", "z"]], defects=[]
    )
    assert sample.lines() == [2, 3, 5, 6]
    out = write_sample(sample, tmp_path / "q.csv")
    physical = out.read_bytes().split(b"\r\n")
    assert physical[4].startswith(b"3,") and physical[5].startswith(b"4,")  # line 5 and 6, 1-based
    assert _rows(out)[1]["b"] == "two\r\nlines"


SPEC_PATTERNS = sorted(
    {
        it.pattern
        for s in REGISTRY.specs.values()
        for v in s
        for e in v.entities
        for it in e.items
        if it.pattern
    }
    | {t.pattern for t in REGISTRY.code_tables.values() if t.pattern}
)
MORE_PATTERNS = [r"^\d{3}-\d{4}$", r"^(AB|CD)[a-z]?x*$", r"^[^0-9]+$", r"^\w{2,5}\s\S\D\W$", r"^.{3}$"]


@pytest.mark.parametrize("pattern", [*SPEC_PATTERNS, *MORE_PATTERNS])
def test_every_pattern_the_specs_use_is_generated(pattern: str) -> None:
    rng = random.Random(3)
    for _ in range(20):
        assert re.search(pattern, from_pattern(pattern, rng, "x"))


def test_unsupported_pattern_fails_naming_the_item() -> None:
    with pytest.raises(SampleError, match="postal_code"):
        from_pattern(r"^(?=1)\d{3}$", random.Random(0), "postal_code")
    with pytest.raises(SampleError, match="kana"):
        from_pattern(r"^(a)\1$", random.Random(0), "kana")


def test_unsatisfiable_spec_is_exit_3_naming_the_item(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(SPECS / "codes", specs / "codes")
    (specs / "toy").mkdir()
    (specs / "toy" / "1.0.yaml").write_text(
        """kind: migrate/spec
format: 1
business: {id: toy, code: "999", name_ja: 見本, name_en: Toy, ministry: 架空省}
version: "1.0"
source: {title: toy, version: "1"}
effective: 2024-04-01
entities:
  - id: t
    name_ja: 見本
    name_en: toy
    primary_key: [bango]
    items:
      - {id: bango, name_ja: 番号, name_en: Number, type: string, max_length: 4, required: required, pattern: "^[0-9]{6}$"}
""",
        encoding="utf-8",
    )
    from click.testing import CliRunner

    from migrate.cli import cli

    res = CliRunner().invoke(
        cli, ["--specs", str(specs), "specs", "sample", "toy/t", "-o", str(tmp_path / "o.csv")]
    )
    assert res.exit_code == 3, res.output
    assert "toy@1.0/t/bango" in res.output and "Traceback" not in res.output
    assert len(res.output.strip().splitlines()) == 1
    assert not (tmp_path / "o.csv").exists()


def test_bad_options_are_usage_errors(tmp_path: Path) -> None:
    out = str(tmp_path / "o.csv")
    assert run("specs", "sample", "juki/jumin", "--ref", "juki", "-o", out).exit_code == 2
    assert run("specs", "sample", "juki/nope", "-o", out).exit_code == 2
    assert run("specs", "sample", "juki/jumin", "--defects", "2", "-o", out).exit_code == 2
    assert run("specs", "sample", "juki/jumin", "--encoding", "latin-1", "-o", out).exit_code == 2
    assert (
        run("specs", "sample", "juki/jumin", "--ref", f"juki/jumin={tmp_path}/none.csv", "-o", out).exit_code
        == 4
    )
    res = run("--lang", "en", "specs", "sample", "kojin-juminzei", "-o", out)
    assert res.exit_code == 2 and "several entities" in res.output


def test_unique_item_beyond_the_reference_file_is_a_usage_error(tmp_path: Path) -> None:
    juki = tmp_path / "juki.csv"
    assert run("specs", "sample", "juki/jumin", "--rows", "5", "-o", str(juki)).exit_code == 0
    res = run("--lang", "en", "specs", "sample", "kokuho/hihokensha", "--rows", "9", "--ref", f"juki/jumin={juki}",
              "-o", str(tmp_path / "k.csv"))  # fmt: skip
    assert res.exit_code == 2 and "only 5 values" in res.output


def test_library_generate_is_deterministic_and_clean_rows_have_no_defects() -> None:
    spec, entity = REGISTRY.entity("kaigo-hoken/hihokensha")
    a = generate(spec, entity, REGISTRY, rows=30, seed=4, defect_rate=0.3)
    b = generate(spec, entity, REGISTRY, rows=30, seed=4, defect_rate=0.3)
    assert a.rows == b.rows and a.defects == b.defects
    clean = generate(spec, entity, REGISTRY, rows=30, seed=4)
    defective = {d.row for d in a.defects}
    assert len(defective) == len(a.defects) == 9
    # a defective row is its clean twin with the defect: every other row is the same in both
    assert [r for i, r in enumerate(a.rows) if i not in defective] == [
        r for i, r in enumerate(clean.rows) if i not in defective
    ]


def test_byte_length_unit_is_generated_within_and_defected_beyond(tmp_path: Path) -> None:
    """A spec counting 桁数 in CP932 bytes: clean values fit the bytes, byte-length defects are found."""
    from collections import Counter

    from migrate.validate.run import validate_file

    specs = tmp_path / "specs"
    shutil.copytree(SPECS / "codes", specs / "codes")
    (specs / "juki").mkdir()
    text = (SPECS / "juki" / "6.1.yaml").read_text(encoding="utf-8")
    assert "\nlength_unit: chars\n" in text
    (specs / "juki" / "6.1.yaml").write_text(
        text.replace("\nlength_unit: chars\n", "\nlength_unit: cp932-bytes\n")
    )
    reg = load_registry(specs)
    spec, entity = reg.entity("juki/jumin")
    sample = generate(spec, entity, reg, rows=60, seed=3, defect_rate=0.8)
    path = write_sample(sample, tmp_path / "b.csv")
    truth = sample.truth()["defects"]
    assert "byte-length-exceeded" in {d["kind"] for d in truth}
    found = Counter(validate_file(path, spec, entity, reg).findings.select(["line", "item", "code"]).rows())
    assert found == Counter((d["line"], d["item"], d["kind"]) for d in truth)


@pytest.mark.parametrize(("target", "form"), [("juki/jumin", "name"), ("atena/jutogai_atena", "romaji")])
def test_header_forms_validate_without_a_mapping(target: str, form: str, tmp_path: Path) -> None:
    out = tmp_path / "h.csv"
    res = run("specs", "sample", target, "--rows", "20", "--header", form, "--defects", "0.3", "-o", str(out))
    assert res.exit_code == 0, res.output
    _, entity = REGISTRY.entity(target)
    first = out.read_bytes().decode("utf-8").split("\r\n")[0].split(",")
    want = [it.name_ja if form == "name" else (it.romaji or it.id) for it in entity.items]
    assert first == want
    assert (first != entity.item_ids) == (form == "name")  # the imported atena ids are its ローマ字
    res = run("--lang", "en", "validate", str(out), "--spec", target, "--format", "json")
    data = json.loads(res.stdout)["data"]
    data = data[0] if isinstance(data, list) else data
    truth = json.loads(Path(f"{out}.truth.json").read_text())["defects"]
    assert sorted((f["line"], f["item"], f["code"]) for f in data["findings"]) == sorted(
        (d["line"], d["item"], d["kind"]) for d in truth
    )


def test_reference_file_without_usable_values_is_a_usage_error(tmp_path: Path) -> None:
    juki = tmp_path / "juki.csv"
    juki.write_text("atena_no,shimei\r\nABC,見本\r\n", encoding="utf-8")
    res = run("--lang", "en", "specs", "sample", "kojin-juminzei/kazei", "--ref", f"juki/jumin={juki}",
              "-o", str(tmp_path / "k.csv"))  # fmt: skip
    assert res.exit_code == 2 and "no value" in res.output and "Traceback" not in res.output
