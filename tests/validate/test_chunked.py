"""Reading or validating a file in pieces gives exactly what reading it whole gives.

The reader cuts pieces at record boundaries and each piece may take the fast (polars) or the exact
(csv module) path; the validator checks values per piece and keys across pieces. Whatever the piece
size, and whether items are checked per distinct value or row by row, the frame, the structural
issues and the findings must be the same, in the same order.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from migrate.errors import InputError
from migrate.io.csvfile import LINE, Table, iter_table, read_table
from migrate.mapping.load import load_mapping
from migrate.mapping.model import Mapping
from migrate.samples import write_juki
from migrate.standard.loader import SpecRegistry, load_registry
from migrate.standard.model import Entity, Spec
from migrate.validate import run as vrun
from migrate.validate.run import ValidationResult, validate_file
from tests.conftest import ROOT, SPECS, run

MAPPING_PATH = ROOT / "mappings/juki/midori-jumin-v1.yaml"
MAPPING = str(MAPPING_PATH)

# ---------------------------------------------------------------------------------------------------
# 1. The reader: a property over generated CSV texts
# ---------------------------------------------------------------------------------------------------

CELLS = [
    "",
    "abc",
    "123",
    " ",
    "髙橋",
    "﨑",
    "ﾀﾛｳ",
    '"a,b"',  # quoted comma
    '"x\ny"',  # quoted LF
    '"x\r\ny"',  # quoted CRLF
    '"a""b"',  # doubled quote
    '""',  # a quoted empty field
    '"髙,橋"',
    'x"y',  # stray quote inside an unquoted field
    "a\x00b",  # NUL byte
]
HEADERS = ["a,b,c", "氏,名,カナ", "a,a,", "x", "a\tb\tc"]
ENCODINGS = ["cp932", "utf-8", "utf-8-sig", "euc_jp"]
CHUNKS = [1, 7, 64, 1000]
BAD_PAIR = b"\x81\x20"  # undecodable in CP932 (and in UTF-8 and EUC-JP)
BOM = b"\xef\xbb\xbf"


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[bytes, str]:
    """(file bytes, encoding used to write them)."""
    header = draw(st.sampled_from(HEADERS))
    sep = "\t" if "\t" in header else ","
    rows = draw(
        st.lists(st.lists(st.sampled_from(CELLS), min_size=0, max_size=5), max_size=12)
    )  # an empty row is a blank line; ragged rows come from the varying length
    lines = [sep.join(r) for r in rows]
    unclosed = draw(st.none() | st.integers(0, len(lines)))
    if unclosed is not None:
        lines.insert(unclosed, f'9{sep}"open{sep}z')
    lines = [""] * draw(st.integers(0, 2)) + [header, *lines]
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    text = eol.join(lines) + (eol if draw(st.booleans()) else "")
    encoding = draw(st.sampled_from(ENCODINGS))
    data = text.encode(encoding, errors="replace")  # EUC-JP has no 髙 﨑: they become "?"
    bad = draw(st.none() | st.integers(0, len(data)))
    if bad is not None:
        start = 3 if encoding == "utf-8-sig" else 0  # keep the BOM a BOM
        at = max(bad, start)
        data = data[:at] + BAD_PAIR + data[at:]
    return data, encoding


Outcome = tuple[str, Any]


def _outcome(path: Path, encoding: str | None, chunk: int | None) -> Outcome:
    try:
        t = read_table(path, encoding=encoding, chunk_bytes=chunk)
    except InputError as exc:
        return ("error", str(exc))
    issues = [(i.code, i.line, i.column, i.offset, i.detail) for i in t.issues]
    return ("table", (t.frame, issues, t.header, t.encoding, t.delimiter, t.bom))


def _assert_same(whole: Outcome, piecewise: Outcome, chunk: int) -> None:
    assert whole[0] == piecewise[0], (chunk, whole, piecewise)
    if whole[0] == "error":
        assert whole[1] == piecewise[1], chunk
        return
    wf, wi, *wmeta = whole[1]
    pf, pi, *pmeta = piecewise[1]
    assert wf.schema == pf.schema, chunk
    assert wf.equals(pf), (chunk, wf.to_dicts(), pf.to_dicts())
    assert wi == pi, chunk
    assert wmeta == pmeta, chunk


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sample=csv_files(), force=st.booleans())
def test_reader_pieces_equal_whole(sample: tuple[bytes, str], force: bool) -> None:
    data, written = sample
    encoding = written if force else None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.csv"
        path.write_bytes(data)
        whole = _outcome(path, encoding, None)
        for chunk in CHUNKS:
            _assert_same(whole, _outcome(path, encoding, chunk), chunk)
        if whole[0] == "table":
            frame = whole[1][0]
            assert frame.schema[LINE] == pl.Int64
            assert frame[LINE].is_sorted() and frame[LINE].n_unique() == frame.height
            # the pieces themselves: consecutive, sharing the header, first_row counting the rows before
            pieces = list(iter_table(path, encoding, None, 7))
            assert [p.first_row for p in pieces] == [
                sum(p.rows for p in pieces[:i]) for i in range(len(pieces))
            ]
            assert all(p.header == pieces[0].header for p in pieces)


@pytest.mark.parametrize(
    ("data", "codes"),
    [
        # stray quotes: the record runs on to the line that balances them
        (b'a,b\n1,"x\ny"\n2,x"y\n3,z"w\n4,5\n', ["row-field-count"]),
        (b'a,b\n1,"open\n2,z\n3,"a""b"\n', ["quote-unbalanced"]),
        (b"a,b\n1,\x81\x20\n\n2,\x00\n", ["blank-line", "encoding-invalid-bytes", "nul-byte"]),
        ("\ufeffa,b\r\n髙橋,﨑\r\n,\r\n".encode(), []),
    ],
)
def test_reader_known_texts(tmp_path: Path, data: bytes, codes: list[str]) -> None:
    """Hand-picked texts for each anomaly (the property above may or may not draw them)."""
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    whole = _outcome(path, None, None)
    assert whole[0] == "table"
    assert sorted({c for c, *_ in whole[1][1]}) == codes
    for chunk in [1, 2, 3, 5, 8, 13]:
        _assert_same(whole, _outcome(path, None, chunk), chunk)


@pytest.mark.parametrize("eol", [b"\n", b"\r\n"])
def test_bom_then_blank_line_before_header(tmp_path: Path, eol: bytes) -> None:
    data = BOM + eol + b"a,b" + eol + b"1,2" + eol
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    whole = _outcome(path, None, None)
    assert whole[0] == "table" and whole[1][0]["a"].to_list() == ["1"]
    for chunk in (1, 6):  # 6: the first read holds BOM, the blank line and the start of the header
        _assert_same(whole, _outcome(path, None, chunk), chunk)


def test_quoted_empty_field_same_on_both_paths(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(b'a,b\n1,2,3\n"",x\n')
    whole = _outcome(path, None, None)
    assert whole[0] == "table"
    _assert_same(whole, _outcome(path, None, 1), 1)


@pytest.mark.parametrize("data", [b"a,b\r1,2\r", b"\rx\na,b\n1,2\n"])
def test_bare_cr_is_not_a_crash(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    for chunk in (None, 1):
        with contextlib.suppress(InputError):  # an InputError is a fine answer; _csv.Error is not
            read_table(path, chunk_bytes=chunk)


def test_forced_encoding_error_threshold_does_not_depend_on_pieces(tmp_path: Path) -> None:
    # 12 undecodable lines, then 30 good CP932 lines: whole, 12 bad of 42 non-ASCII lines is fine;
    # in 100-byte pieces the first piece has ~12 bad of ~12 non-ASCII lines and raises.
    data = b"a,b\n" + b"1,\x81\x20\n" * 12 + "2,髙橋\n".encode("cp932") * 30
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    whole = _outcome(path, "cp932", None)
    assert whole[0] == "table" and len(whole[1][1]) == 12
    _assert_same(whole, _outcome(path, "cp932", 100), 100)


# ---------------------------------------------------------------------------------------------------
# 2–3. validate_file: pieces vs whole, distinct values vs row by row
# ---------------------------------------------------------------------------------------------------

ROWS = 1200
CHUNK_SMALL = 20_000  # ~12 pieces of ~100 rows: below DISTINCT_MIN_ROWS, so checked row by row
CHUNK_MEDIUM = 60_000  # ~4 pieces of ~300 rows: distinct values where they repeat


@pytest.fixture(scope="module")
def juki_dup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[int], list[int]]:
    """write_juki's extract plus two duplicate records far from their originals.

    Returns the path, the lines of the originals and the lines of their copies. write_juki injects no
    duplicate keys itself, so row 0 and a row near 700, both with a 個人番号, are copied to the end.
    """
    path = write_juki(tmp_path_factory.mktemp("chunked") / "juki.csv", ROWS)
    raw = path.read_bytes()
    lines = raw.split(b"\r\n")  # lines[n - 1] is physical line n; line 1 is the header
    with_number = [n for n in range(2, ROWS + 2) if lines[n - 1].split(b",")[2]]
    originals = [with_number[0], next(n for n in with_number if n >= 702)]
    assert originals[0] == 2
    copies = [ROWS + 2, ROWS + 3]
    path.write_bytes(raw + b"".join(lines[n - 1] + b"\r\n" for n in originals))
    return path, originals, copies


@pytest.fixture(scope="module")
def validator() -> Callable[..., ValidationResult]:
    reg: SpecRegistry = load_registry(SPECS)
    spec: Spec
    entity: Entity
    spec, entity = reg.entity("juki/jumin")
    mapping: Mapping = load_mapping(MAPPING_PATH)

    def validate(path: Path, chunk_bytes: int | None) -> ValidationResult:
        return validate_file(path, spec, entity, reg, mapping, chunk_bytes=chunk_bytes)

    return validate


@pytest.fixture(scope="module")
def whole(
    juki_dup: tuple[Path, list[int], list[int]], validator: Callable[..., ValidationResult]
) -> ValidationResult:
    return validator(juki_dup[0], None)


def _comparable(r: ValidationResult) -> dict[str, Any]:
    doc = r.to_dict(max_findings=None)
    del doc["duration_s"]
    return doc


def assert_same_result(a: ValidationResult, b: ValidationResult) -> None:
    assert_frame_equal(a.findings, b.findings, check_row_order=True, check_dtypes=True)
    assert a.rows == b.rows
    assert a.gaiji == b.gaiji
    assert a.checks == b.checks
    assert a.skipped == b.skipped
    assert _comparable(a) == _comparable(b)


def _piece_of(pieces: list[Table], line: int) -> int:
    hits = [i for i, p in enumerate(pieces) if line in p.frame[LINE]]
    assert len(hits) == 1, (line, hits)
    return hits[0]


def test_sample_exercises_every_kind_of_finding(
    juki_dup: tuple[Path, list[int], list[int]], whole: ValidationResult
) -> None:
    """The comparison below is only worth something if the sample has findings of each kind."""
    path, originals, copies = juki_dup
    assert whole.rows == ROWS + 2
    codes = set(whole.findings["code"])
    for code in ["date-invalid", "wareki-date-invalid", "check-digit-invalid", "gaiji-private-use"]:
        assert code in codes
    dups = whole.findings.filter(pl.col("code").is_in(["key-duplicate", "unique-duplicate"]))
    assert sorted(dups.select("line", "code").rows()) == [
        (copies[0], "key-duplicate"),
        (copies[0], "unique-duplicate"),
        (copies[1], "key-duplicate"),
        (copies[1], "unique-duplicate"),
    ]
    assert whole.gaiji and whole.gaiji[0]["codepoint"] == "U+E000"
    assert all(c["ran"] for c in whole.checks)
    # each duplicate and its original are in different pieces, for both piece sizes
    for chunk in (CHUNK_SMALL, CHUNK_MEDIUM):
        pieces = list(iter_table(path, "cp932", None, chunk))
        assert len(pieces) >= (10 if chunk == CHUNK_SMALL else 3)
        for orig, copy in zip(originals, copies, strict=True):
            assert _piece_of(pieces, orig) != _piece_of(pieces, copy)


@pytest.mark.parametrize("chunk", [CHUNK_SMALL, CHUNK_MEDIUM])
def test_validate_pieces_equal_whole(
    juki_dup: tuple[Path, list[int], list[int]],
    validator: Callable[..., ValidationResult],
    whole: ValidationResult,
    chunk: int,
) -> None:
    assert_same_result(whole, validator(juki_dup[0], chunk))


class _Spy:
    """Wraps _distinct to record the mode chosen for every item of every piece."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.seen: list[bool] = []
        real = vrun._distinct

        def spy(frame: pl.DataFrame, ip: Any, state: Any = None) -> bool:
            out = real(frame, ip, state)
            if ip.sources:
                self.seen.append(out)
            return out

        monkeypatch.setattr(vrun, "_distinct", spy)


@pytest.mark.parametrize("chunk", [None, CHUNK_MEDIUM])
@pytest.mark.parametrize("mode", ["distinct", "rows"])
def test_distinct_and_row_by_row_agree(
    juki_dup: tuple[Path, list[int], list[int]],
    validator: Callable[..., ValidationResult],
    whole: ValidationResult,
    monkeypatch: pytest.MonkeyPatch,
    mode: str,
    chunk: int | None,
) -> None:
    if mode == "distinct":
        # a ratio above 1 so an approximate distinct count a little above the row count still qualifies
        monkeypatch.setattr(vrun, "DISTINCT_RATIO", 2.0)
        monkeypatch.setattr(vrun, "DATE_RATIO", 2.0)
        monkeypatch.setattr(vrun, "NEW_RATIO", 2.0)
        monkeypatch.setattr(vrun, "DISTINCT_MIN_ROWS", 0)
    else:
        monkeypatch.setattr(vrun, "DISTINCT_MIN_ROWS", 10**9)
    spy = _Spy(monkeypatch)
    result = validator(juki_dup[0], chunk)
    assert spy.seen and all(s == (mode == "distinct") for s in spy.seen)
    assert_same_result(whole, result)


def test_default_whole_file_mixes_both_modes(
    juki_dup: tuple[Path, list[int], list[int]],
    validator: Callable[..., ValidationResult],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the default thresholds a whole file checks repeating items per distinct value and unique
    ones row by row, so the tests above compare the two modes against each other too."""
    spy = _Spy(monkeypatch)
    validator(juki_dup[0], None)
    assert True in spy.seen and False in spy.seen


def test_verdict_cap_switches_items_to_rows_without_changing_findings(
    juki_dup: tuple[Path, list[int], list[int]],
    validator: Callable[..., ValidationResult],
    whole: ValidationResult,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past CACHE_MAX remembered values the biggest item is checked row by row from the next piece on:
    memory stays bounded and the findings are those of the whole file."""
    monkeypatch.setattr(vrun, "CACHE_MAX", 300)
    modes: dict[str, list[bool]] = {}
    real = vrun._distinct

    def spy(frame: pl.DataFrame, ip: Any, state: Any = None) -> bool:
        out = real(frame, ip, state)
        modes.setdefault(ip.item, []).append(out)
        return out

    monkeypatch.setattr(vrun, "_distinct", spy)
    result = validator(juki_dup[0], CHUNK_MEDIUM)
    switched = [item for item, seen in modes.items() if seen[0] and not seen[-1]]
    assert switched, modes
    assert all(seen == sorted(seen, reverse=True) for seen in modes.values())  # never back to distinct
    assert_same_result(whole, result)


def test_row_keys_for_nightly_are_the_same_in_pieces(juki_dup: tuple[Path, list[int], list[int]]) -> None:
    """Nightly keys findings by business key: the key of every row, mapped and trimmed, whatever the
    piece size; None when a key item is not delivered."""
    reg = load_registry(SPECS)
    spec, entity = reg.entity("juki/jumin")
    mapping = load_mapping(MAPPING_PATH)
    path = juki_dup[0]
    whole_keys = validate_file(path, spec, entity, reg, mapping, chunk_bytes=None, key_items=("atena_no",))
    piece_keys = validate_file(
        path, spec, entity, reg, mapping, chunk_bytes=CHUNK_MEDIUM, key_items=("atena_no",)
    )
    a, b = whole_keys.extra["row_keys"], piece_keys.extra["row_keys"]
    assert a is not None and b is not None
    assert a.len() == b.len() == whole_keys.rows
    assert a.equals(b)
    legacy = read_table(path).frame["宛名番号"].str.strip_chars(" \u3000")
    assert a.equals(legacy.replace("", None), check_names=False)
    absent = validate_file(path, spec, entity, reg, mapping, chunk_bytes=None, key_items=("tsushomei",))
    assert absent.extra["row_keys"] is None


COLLIDING_MAPPING = """\
kind: migrate/mapping
format: 1
id: colliding-v1
title: legacy columns named like items, sources shared by two items
spec: juki
entity: jumin
source:
  encoding: utf-8
  columns: [宛名, 性別, seibetsu, 氏, 名]
items:
  atena_no: {from: 宛名}
  seibetsu: {from: 性別, codes: {M: "1", F: "2"}}
  zokugara: {from: seibetsu}
  shimei: {from: [氏, 名], join: "　"}
  hittosha: {from: [氏, 名], join: "　"}
"""


@pytest.mark.parametrize("mode", ["default", "distinct", "rows"])
def test_colliding_names_give_the_same_findings_in_every_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    """A legacy column called like another item (seibetsu → 続柄) and two items reading the same legacy
    columns: new values of all items are checked together, so names must not leak between items."""
    mapping_path = tmp_path / "colliding.yaml"
    mapping_path.write_text(COLLIDING_MAPPING, encoding="utf-8")
    mapping = load_mapping(mapping_path)
    reg = load_registry(SPECS)
    spec, entity = reg.entity("juki/jumin")
    lines = ["宛名,性別,seibetsu,氏,名"]
    for i in range(900):
        sex = "MFX"[i % 3]
        rel = ["世帯主", "妻", "子", "謎"][i % 4]
        lines.append(f"{1000000000 + i},{sex},{rel},{'山田' if i % 2 else '髙橋'},{'太郎' if i % 5 else ''}")
    path = tmp_path / "colliding.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reference = validate_file(path, spec, entity, reg, mapping, chunk_bytes=None)
    if mode == "distinct":
        for name in ("DISTINCT_RATIO", "DATE_RATIO", "NEW_RATIO"):
            monkeypatch.setattr(vrun, name, 2.0)
        monkeypatch.setattr(vrun, "DISTINCT_MIN_ROWS", 0)
    elif mode == "rows":
        monkeypatch.setattr(vrun, "DISTINCT_MIN_ROWS", 10**9)
    for chunk in (None, 6000):
        assert_same_result(reference, validate_file(path, spec, entity, reg, mapping, chunk_bytes=chunk))
    f = reference.findings
    assert f.filter((pl.col("item") == "seibetsu") & (pl.col("code") == "code-unmapped")).height == 300
    assert set(f.filter(pl.col("item") == "zokugara")["code"]) == {"code-invalid"}
    assert f.filter(pl.col("item") == "zokugara").height == 225
    assert f.filter(pl.col("item") == "seibetsu")["value"].unique().to_list() == ["X"]


def test_read_ahead_keeps_order_and_raises_where_the_error_is() -> None:
    from migrate.io.csvfile import read_ahead

    assert list(read_ahead(iter(range(5)))) == [0, 1, 2, 3, 4]

    def failing() -> Any:
        yield "first"
        raise InputError("broken piece", path=Path("x.csv"))

    got = []
    with pytest.raises(InputError, match="broken piece"):
        for item in read_ahead(failing()):
            got.append(item)
    assert got == ["first"]
    # a consumer that stops early leaves no thread behind and reads at most one piece more
    pulled = []

    def counting() -> Any:
        for i in range(100):
            pulled.append(i)
            yield i

    it = read_ahead(counting())
    assert next(it) == 0
    it.close()
    assert len(pulled) <= 2


def test_legacy_column_named_like_an_item(tmp_path: Path) -> None:
    """A file already in standard item names (no mapping) is checked per distinct value too: a source
    column and its item share one name."""
    reg = load_registry(SPECS)
    spec, entity = reg.entity("juki/jumin")
    path = tmp_path / "std.csv"
    rows = ["atena_no,seibetsu,birth_date"]
    rows += [f"{1000000000 + i},{'1' if i % 3 else '7'},1980-01-0{1 + i % 9}" for i in range(600)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    whole_file = validate_file(path, spec, entity, reg, None, chunk_bytes=None)
    pieces = validate_file(path, spec, entity, reg, None, chunk_bytes=4000)
    assert_same_result(whole_file, pieces)
    bad = whole_file.findings.filter(pl.col("item") == "seibetsu")
    assert set(bad["code"]) == {"code-invalid"}
    assert bad.height == 200 and set(bad["value"]) == {"7"}


# ---------------------------------------------------------------------------------------------------
# 4. The CLI end to end
# ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    path = write_juki(tmp_path_factory.mktemp("cli") / "juki.csv", 300)
    raw = path.read_bytes()
    first = raw.split(b"\r\n")[1]
    path.write_bytes(raw + first + b"\r\n")  # row 0 again, ~60 KB after it: another piece at 8K
    return path, 302


def _cli_json(path: Path, chunk: str) -> tuple[int, dict[str, Any]]:
    res = run(
        "validate",
        str(path),
        "--mapping",
        MAPPING,
        "--format",
        "json",
        "--max-findings",
        "100000",
        "--chunk-size",
        chunk,
    )
    return res.exit_code, json.loads(res.stdout)["data"][0]


def test_cli_chunk_size_does_not_change_findings(cli_file: tuple[Path, int]) -> None:
    path, dup_line = cli_file
    assert len(list(iter_table(path, "cp932", None, 8 << 10))) >= 5
    code_whole, whole_doc = _cli_json(path, "0")
    code_chunked, chunked_doc = _cli_json(path, "8K")
    assert code_whole == code_chunked == 1
    assert whole_doc["findings_truncated"] is False and chunked_doc["findings_truncated"] is False
    assert whole_doc["findings"] == chunked_doc["findings"]
    assert whole_doc["summary"] == chunked_doc["summary"]
    for key in ("rows", "gaiji", "checks", "skipped", "findings_total"):
        assert whole_doc[key] == chunked_doc[key], key
    assert whole_doc["rows"] == 301
    assert {(f["line"], f["code"]) for f in whole_doc["findings"] if f["line"] == dup_line} == {
        (dup_line, "key-duplicate"),
        (dup_line, "unique-duplicate"),
    }


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("nonsense", "bad --chunk-size value: nonsense"),
        ("12Q", "bad --chunk-size value: 12Q"),
        ("-5K", "--chunk-size must be 0 or more"),
    ],
)
def test_cli_bad_chunk_size_is_a_usage_error(cli_file: tuple[Path, int], value: str, message: str) -> None:
    args = ["validate", str(cli_file[0]), "--mapping", MAPPING, "--chunk-size", value]
    res = run("--lang", "en", *args)
    assert res.exit_code == 2, res.output
    assert message in res.stderr
    assert "Traceback" not in res.output and res.stdout == ""
    ja = run(*args)
    assert ja.exit_code == 2 and "--chunk-size" in ja.stderr and "Traceback" not in ja.output


@pytest.mark.parametrize("value", ["inf", "1e400"])
def test_cli_infinite_chunk_size_is_a_usage_error(cli_file: tuple[Path, int], value: str) -> None:
    res = run("--lang", "en", "validate", str(cli_file[0]), "--mapping", MAPPING, "--chunk-size", value)
    assert res.exit_code == 2, res.output
    assert "bad --chunk-size value" in res.stderr
