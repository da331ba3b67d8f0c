"""A 個人番号 never leaves the engine, whatever column or place it is in (issue 12, Privacy).

Check-digit-valid numbers are generated (never real ones) and planted in every position a delivery
can put them: a headerless file's first row, a CR-only file, unmarked columns (宛名番号, 続柄, 国籍),
a column name, the file name, a mapping error message. Every output is searched for them: stdout,
stderr, output files, unzipped workbooks and the history database (bytes and rows).
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import stat
import zipfile
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migrate.checkdigit import my_number_check_digit, my_number_valid
from migrate.mapping.load import load_mapping
from migrate.mask import (
    MY_NUMBER_MASK,
    header_looks_like_data,
    mask_expr,
    redact,
    redact_expr,
    redact_obj,
)
from migrate.output import envelope
from migrate.samples import JUKI_HEADER, juki_rows
from migrate.standard.loader import load_registry
from migrate.terminal import clean
from migrate.validate.run import validate_file
from tests.conftest import ROOT, SPECS, run
from tests.nightly.conftest import write_suite

MAPPING = ROOT / "mappings/juki/midori-jumin-v1.yaml"
FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def my_number(seed: int) -> str:
    body = f"{random.Random(seed).randrange(10**10, 10**11):011d}"
    return body + str(my_number_check_digit(body))


# one number per position, so a leak says where it came from
N = {
    name: my_number(i)
    for i, name in enumerate(
        ["header", "cr", "zokugara", "atena", "kokuseki", "column", "file", "message", "postal", "fw"],
        start=1,
    )
}
ALL = list(N.values())
FORMS = [*ALL, *(n.translate(FULL) for n in ALL)]


def leaks(text: str | bytes) -> list[str]:
    if isinstance(text, bytes):
        found = [n for n in FORMS if n.encode() in text or n.encode("utf-16-le") in text]
        return found + [n for n in FORMS if n.encode("cp932", "ignore") in text and n.isascii()]
    return [n for n in FORMS if n in text]


def lines_of(rows: list[list[str]]) -> list[str]:
    return [",".join(r) for r in rows]


def juki(n: int, seed: int = 3) -> list[list[str]]:
    return [list(r) for r in juki_rows(n, seed, defects=False)]


@pytest.fixture(scope="module")
def deliveries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The hostile deliveries (CP932, as the midori mapping reads them)."""
    d = tmp_path_factory.mktemp("deliveries")
    h = JUKI_HEADER
    rows = juki(12)

    headerless = [list(r) for r in rows]
    headerless[0][h.index("個人番号")] = N["header"]
    (d / "headerless.csv").write_bytes("\r\n".join(lines_of(headerless)).encode("cp932") + b"\r\n")

    cr = [list(h), *(list(r) for r in rows)]
    cr[3][h.index("個人番号")] = N["cr"]
    cr[4][h.index("続柄")] = N["cr"]  # an unmarked column too
    (d / "cr-only.csv").write_bytes("\r".join(lines_of(cr)).encode("cp932") + b"\r")

    cr_headerless = [list(r) for r in rows]
    cr_headerless[0][h.index("個人番号")] = N["cr"]
    (d / "cr-headerless.csv").write_bytes("\r".join(lines_of(cr_headerless)).encode("cp932") + b"\r")

    cols = [list(h), *(list(r) for r in rows)]
    cols[2][h.index("続柄")] = N["zokugara"]  # code-invalid: its value is shown
    cols[3][h.index("宛名番号")] = N["atena"]
    cols[6][h.index("宛名番号")] = N["atena"]  # key-duplicate: the legacy value is shown
    cols[4][h.index("国籍")] = f"国籍 {N['kokuseki']} " + "あ" * 50  # length-exceeded, within 60 chars
    cols[5][h.index("郵便番号")] = N["postal"]
    cols[7][h.index("国籍")] = f"{N['fw'].translate(FULL)}" + "い" * 45  # full-width digits
    name = d / f"juki_{N['file']}.csv"
    name.write_bytes("\r\n".join(lines_of(cols)).encode("cp932") + b"\r\n")
    return {
        "headerless": d / "headerless.csv",
        "cr": d / "cr-only.csv",
        "cr-headerless": d / "cr-headerless.csv",
        "columns": name,
    }


@pytest.fixture(scope="module")
def column_mapping(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The midori mapping, but 国籍 is read from a column whose name carries a 個人番号 (absent: the
    column-missing finding names it)."""
    text = MAPPING.read_text(encoding="utf-8").replace(
        "kokuseki: {from: 国籍,", f'kokuseki: {{from: "国籍{N["column"]}",'
    )
    p = tmp_path_factory.mktemp("mapping") / "m.yaml"
    p.write_text(text, encoding="utf-8")
    return p


# -- the content rule ---------------------------------------------------------------------------


def test_redact_scalar_cases() -> None:
    n = N["header"]
    wrong = n[:11] + str((int(n[11]) + 1) % 10)
    assert my_number_valid(n) and not my_number_valid(wrong)
    assert redact(n) == MY_NUMBER_MASK
    assert redact(f"id:{n}/x") == f"id:{MY_NUMBER_MASK}/x"
    assert redact(n.translate(FULL)) == MY_NUMBER_MASK
    assert redact(f"{n},{n}") == f"{MY_NUMBER_MASK},{MY_NUMBER_MASK}"
    assert redact(wrong) == wrong  # check digit fails: not a 個人番号
    assert redact("9" + n) == "9" + n and redact(n + "０") == n + "０"  # part of a longer run
    assert redact("abc") == "abc"
    assert redact_obj({n: [n, 1, None], "sha256": n}) == {
        MY_NUMBER_MASK: [MY_NUMBER_MASK, 1, None],
        "sha256": MY_NUMBER_MASK,  # not a digest: masked
    }
    digest = "ab" + n + "c" * 50
    doc = json.loads(envelope("k", {"a": f"x\x01{n}", n: [f'q"{n}', 123456789018], "sha256": digest}))
    assert doc["data"] == {"a": f"x\x01{MY_NUMBER_MASK}", MY_NUMBER_MASK: [f'q"{MY_NUMBER_MASK}', 123456789018],
                           "sha256": digest}  # fmt: skip
    for sens, show in (("none", False), ("none", True), ("personal", True)):
        masked = pl.DataFrame({"v": ["x" * 50 + n]}).select(mask_expr(pl.col("v"), sens, show)).item()
        assert masked == "x" * 50 + MY_NUMBER_MASK[:10]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet="0123456789０１２３４５ a-\n長", max_size=40), max_size=30))
def test_redact_expr_is_the_scalar_twin(values: list[str]) -> None:
    planted = [*values, N["header"], f"x{N['cr']}y", N["fw"].translate(FULL), None]
    out = pl.DataFrame({"v": planted}, schema={"v": pl.Utf8}).select(redact_expr(pl.col("v")))["v"]
    assert out.to_list() == [None if v is None else redact(v) for v in planted]


def test_redact_expr_is_fast_on_many_values() -> None:
    values = [f"{i:012d}" for i in range(200_000)]
    out = pl.DataFrame({"v": values}).select(redact_expr(pl.col("v")))["v"]
    masked = sum(1 for v in out if v == MY_NUMBER_MASK)
    assert masked == sum(1 for v in values if my_number_valid(v))
    assert 0.08 < masked / len(values) < 0.12


# -- a header that looks like data --------------------------------------------------------------


def test_header_rule_never_fires_on_real_headers() -> None:
    registry = load_registry(SPECS)
    headers: list[list[str]] = []
    for spec in (s for versions in registry.specs.values() for s in versions):
        for entity in spec.entities:
            headers.append([it.id for it in entity.items])
            headers.append([it.name_ja for it in entity.items])
            headers.append([it.name_en for it in entity.items])
            headers.append([it.romaji for it in entity.items if it.romaji])
    for path in sorted((ROOT / "mappings").glob("**/*.yaml")):
        m = load_mapping(path)
        headers.append(list(m.source.columns or []))
        headers.append([c for im in m.items.values() for c in im.sources])
        headers.append(list(m.ignore))
    headers += [JUKI_HEADER, ["2024年度", "項目1", "項目2"], ["No", "氏名", "R6課税額"]]
    assert len(headers) > 50
    fired = [h for h in headers if h and header_looks_like_data(h)]
    assert fired == []


@pytest.mark.parametrize(
    "row",
    [
        ["0001000004", "山田", "太郎"],  # 4+ digits
        ["山田", N["header"]],  # a 個人番号
        ["山田", "1970-01-01"],
        ["山田", "S45.04.01"],
        ["山田", "昭和45年4月1日"],
        ["山田", "19700401"],
        ["1", "2", "山田"],  # mostly numbers
        ["氏名\r山田", "住所"],  # CR inside a cell: the line ends were not read
    ],
)
def test_header_rule_fires_on_data(row: list[str]) -> None:
    assert header_looks_like_data(row)


# -- end to end: validate -----------------------------------------------------------------------


def _validate_all_outputs(file: Path, tmp: Path, *extra: str) -> list[str]:
    """validate FILE in every format and report; return everything it printed or wrote, as text."""
    out = tmp / "out"
    seen: list[str] = []
    for args in (
        ["--format", "text", "--show-values", "--report", "html", "--report-path", str(out / "r.html")],
        [
            "--format",
            "junit",
            "-o",
            str(out / "r.xml"),
            "--report",
            "xlsx",
            "--report-path",
            str(out / "r.xlsx"),
        ],
        ["--format", "json", "-o", str(out / "r.json")],
        ["--format", "json", "--show-values"],
    ):
        res = run("validate", str(file), *extra, *args)
        assert res.exit_code in (0, 1), res.output
        seen += [res.stdout, res.stderr]
    for p in sorted(out.iterdir()):
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
        seen.append(p.read_bytes().decode("utf-8", "replace"))
    with zipfile.ZipFile(out / "r.xlsx") as z:
        seen += [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
    return seen


@pytest.mark.parametrize("which", ["headerless", "cr", "cr-headerless", "columns"])
def test_validate_never_prints_a_my_number(which: str, deliveries: dict[str, Path], tmp_path: Path) -> None:
    seen = _validate_all_outputs(deliveries[which], tmp_path, "--mapping", str(MAPPING))
    assert [leaks(s) for s in seen if leaks(s)] == []
    doc = json.loads((tmp_path / "out/r.json").read_text(encoding="utf-8"))
    codes = {f["code"] for f in doc["data"][0]["findings"]}
    if which in ("headerless", "cr-headerless"):
        assert "header-looks-like-data" in codes
        # the first line is data: no name, address or 本籍 of it became a column name
        first = deliveries[which].read_bytes().decode("cp932").replace("\r", "\n").split("\n")[0]
        columns = {f["column"] for f in doc["data"][0]["findings"] if f["column"]}
        assert not columns & set(first.split(",")), columns & set(first.split(","))
    else:
        assert "header-looks-like-data" not in codes
    if which == "columns":
        values = [f["value"] for f in doc["data"][0]["findings"] if f["value"]]
        assert values.count(MY_NUMBER_MASK) >= 2  # 続柄, 郵便番号 (unmarked columns)
        assert "9＊＊＊" in values  # the duplicate 宛名番号 (personal): masked by sensitivity
        assert any(MY_NUMBER_MASK in v and v.startswith("国籍 ") for v in values)
        assert doc["data"][0]["file"].endswith(f"juki_{MY_NUMBER_MASK}.csv")


def test_engine_masks_by_content_before_any_renderer(deliveries: dict[str, Path]) -> None:
    """The findings frame itself holds no 個人番号 (not only the rendered outputs)."""
    registry = load_registry(SPECS)
    spec, entity = registry.entity("juki@4.0/jumin")
    for show in (False, True):
        res = validate_file(
            deliveries["columns"], spec, entity, registry, load_mapping(MAPPING), show_values=show
        )
        frame_text = res.findings.write_csv()
        assert leaks(frame_text) == [] and leaks(res.file) == []
        assert MY_NUMBER_MASK in frame_text


def test_column_name_and_mapping_message(
    deliveries: dict[str, Path], column_mapping: Path, tmp_path: Path
) -> None:
    seen = _validate_all_outputs(deliveries["columns"], tmp_path, "--mapping", str(column_mapping))
    assert [leaks(s) for s in seen if leaks(s)] == []
    doc = json.loads((tmp_path / "out/r.json").read_text(encoding="utf-8"))
    missing = [f for f in doc["data"][0]["findings"] if f["code"] == "column-missing"]
    assert [f["column"] for f in missing] == [f"国籍{MY_NUMBER_MASK}"]
    # a mapping error quoting the value, and a mapping named by a 個人番号: one line, exit 3 / 2, masked
    bad = tmp_path / f"m{N['message']}.yaml"
    bad.write_text(
        column_mapping.read_text(encoding="utf-8").replace(
            "transforms: [trim]}", f'transforms: [trim, "{N["message"]}"]}}', 1
        ),
        encoding="utf-8",
    )
    res = run("validate", str(deliveries["columns"]), "--mapping", str(bad))
    assert res.exit_code == 3 and MY_NUMBER_MASK in res.stderr and leaks(res.output) == []
    res = run("mapping", "check", str(bad))
    assert res.exit_code == 3 and leaks(res.output) == []
    res = run("validate", str(deliveries["columns"]), "--mapping", N["message"])
    assert res.exit_code == 2 and MY_NUMBER_MASK in res.stderr and leaks(res.output) == []
    res = run("validate", str(tmp_path / f"missing-{N['message']}.csv"), "--mapping", str(MAPPING))
    assert res.exit_code == 4 and MY_NUMBER_MASK in res.stderr and leaks(res.output) == []


# -- end to end: nightly and history ------------------------------------------------------------


def test_nightly_and_history_never_hold_a_my_number(deliveries: dict[str, Path], tmp_path: Path) -> None:
    suite = write_suite(tmp_path)
    folder = tmp_path / "deliveries/a"
    folder.mkdir(parents=True)
    for p in deliveries.values():
        (folder / p.name).write_bytes(p.read_bytes())
    (folder / "evil\x1b]0;x\x07\x1b[2J.csv").write_bytes(deliveries["cr"].read_bytes())
    out = tmp_path / "out"
    res = run(
        "nightly", str(suite), "-j", "1", "--as-of", "2025-06-01", "--json", str(out / "n.json"),
        "--junit", str(out / "n.xml"), "--per-vendor", str(out / "vendors"), "--dashboard", str(out / "dash"),
    )  # fmt: skip
    assert res.exit_code == 1, res.output
    seen = [res.stdout, res.stderr]
    again = run("nightly", str(suite), "-j", "1", "--format", "json")  # carried forward from history
    seen += [again.stdout, again.stderr]
    for cmd in (["list"], ["show", "latest"], ["compare", "previous", "latest"], ["trend", "juki-a"]):
        h = run("history", *cmd, "--history", str(tmp_path / "history.sqlite"))
        seen += [h.stdout, h.stderr]
    files = sorted(p for p in out.rglob("*") if p.is_file())
    assert len(files) >= 6
    for p in files:
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
        if p.suffix == ".xlsx":
            with zipfile.ZipFile(p) as z:
                seen += [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
        else:
            seen.append(p.read_text(encoding="utf-8"))
    assert [leaks(s) for s in seen if leaks(s)] == []
    assert [str(p.relative_to(out)) for p in files if leaks(str(p.relative_to(out)))] == []  # file names too
    assert not any(c in text for text in seen[:4] for c in "\x1b\x07"), "escape sequence printed"
    paths = json.loads((out / "n.json").read_text(encoding="utf-8"))
    assert MY_NUMBER_MASK in json.dumps(paths, ensure_ascii=False)  # the file name, masked

    db = tmp_path / "history.sqlite"
    for p in tmp_path.glob("history.sqlite*"):  # the -wal / -shm files too, while they exist
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
    raw = b"".join(p.read_bytes() for p in sorted(tmp_path.glob("history.sqlite*")))
    assert leaks(raw) == []
    con = sqlite3.connect(db)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        dump = "\n".join(repr(row) for table in tables for row in con.execute(f"SELECT * FROM {table}"))
        stored = [r[0] for r in con.execute("SELECT path FROM results")]
    finally:
        con.close()
    assert leaks(dump) == []
    assert f"juki_{MY_NUMBER_MASK}.csv" in " ".join(stored)
    assert "header-looks-like-data" in dump


# -- outputs 0600, specs refused, terminals ------------------------------------------------------


def test_outputs_are_private_whatever_the_umask(tmp_path: Path) -> None:
    from migrate.atomic import write_text

    old = os.umask(0o000)
    try:
        p = write_text(tmp_path / "r.json", "{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE(p.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "item",
    [
        "{id: kojin_bango, name_ja: 番号, name_en: n, type: string}",
        "{id: bango, name_ja: 個人番号, name_en: n, type: string}",
        "{id: bango, name_ja: 番号, name_en: n, type: string, romaji: kojinbango}",
        "{id: bango, name_ja: 番号, name_en: n, type: string, check_digit: my-number, sensitivity: personal}",
    ],
)
def test_spec_without_my_number_sensitivity_is_refused(item: str, tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    (specs / "codes").mkdir(parents=True)
    (specs / "juki").mkdir()
    src = (SPECS / "juki/4.0.yaml").read_text(encoding="utf-8")
    marker = "      - {id: atena_no,"
    assert marker in src
    lines = src.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(marker))
    lines.insert(at, f"      - {item}")
    (specs / "juki/4.0.yaml").write_text("\n".join(lines), encoding="utf-8")
    for p in (SPECS / "codes").iterdir():
        (specs / "codes" / p.name).write_bytes(p.read_bytes())
    res = run("--specs", str(specs), "specs", "list")
    assert res.exit_code == 3, res.output
    assert f"4.0.yaml:{at + 1}" in res.stderr and "my-number" in res.stderr
    assert "Traceback" not in res.output


def test_terminal_clean_strips_escapes_and_controls() -> None:
    nasty = "a\x1b[31mred\x1b[0m\x1b]0;title\x07\x1b]8;;http://x\x1b\\link\x9b2J\x00\r\u202eb\tc\nd"
    assert clean(nasty) == "aredlinkb\tc\nd"
    assert clean(nasty, layout=False) == "aredlinkbcd"
    assert clean("\x1b]unterminated\nnext") == "\nnext"
    assert clean(N["header"]) == MY_NUMBER_MASK


def test_escape_sequences_never_reach_the_terminal(tmp_path: Path) -> None:
    rows = juki(6)
    rows[1][JUKI_HEADER.index("続柄")] = "\x1b[2J\x1b]0;pwned\x07叔父\x9b31m"
    evil = tmp_path / "evil\x1b[31m.csv"
    evil.write_bytes("\r\n".join(lines_of([JUKI_HEADER, *rows])).encode("utf-8") + b"\r\n")
    args = ("validate", str(evil), "--mapping", str(MAPPING), "--encoding", "utf-8", "--show-values")
    for fmt in ("text", "junit"):
        res = run(*args, "--format", fmt)
        assert res.exit_code == 1
        for text in (res.stdout, res.stderr):
            assert not any(c in text for c in "\x1b\x07\x9b\x00"), repr(text)
        assert fmt == "junit" or "叔父" in res.stdout
    doc = run(*args, "--format", "json").stdout
    assert "\x1b" not in doc and "\x9b" not in doc
    assert any("叔父" in (f["value"] or "") for f in json.loads(doc)["data"][0]["findings"])
    res = run("validate", str(tmp_path / "none\x1b]0;x\x07.csv"), "--mapping", str(MAPPING))
    assert res.exit_code == 4 and "\x1b" not in res.stderr and "\x07" not in res.stderr


def test_known_headers_and_quoted_line_breaks_stay_headers() -> None:
    """8-digit データ項目IDs are headers when the entity names them; a line break in a quoted header cell
    is a header; a 個人番号 is never a header, known or not."""
    ids = ["03100001", "03100002", "03100003"]
    assert header_looks_like_data(ids)
    assert not header_looks_like_data(ids, known=ids)
    assert not header_looks_like_data(["a", "氏名\r\n(漢字)", "c"])
    assert not header_looks_like_data(["a", "氏名\n(漢字)", "c"])
    assert header_looks_like_data(["山田", N["header"]], known=["山田", N["header"]])
