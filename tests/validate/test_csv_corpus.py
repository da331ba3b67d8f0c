"""Bad-input corpus: every structural anomaly becomes a finding with its physical line, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate.errors import InputError
from migrate.io.csvfile import read_table


def write(tmp_path: Path, data: bytes, name: str = "f.csv") -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def codes(table: object) -> list[tuple[str, int | None]]:
    return [(i.code, i.line) for i in table.issues]  # type: ignore[attr-defined]


def test_quoted_newline_keeps_physical_lines(tmp_path: Path) -> None:
    t = read_table(write(tmp_path, b'a,b\n1,"x\ny"\n2,z\n'))
    assert t.frame["__line__"].to_list() == [2, 4]
    assert t.frame["b"].to_list() == ["x\ny", "z"]
    assert t.issues == []


def test_ragged_blank_and_long_rows(tmp_path: Path) -> None:
    t = read_table(write(tmp_path, b"a,b,c\n1,2,3\n4,5\n\n6,7,8,9\n"))
    assert codes(t) == [("row-field-count", 3), ("blank-line", 4), ("row-field-count", 5)]
    assert t.frame["__line__"].to_list() == [2, 3, 5]


def test_unclosed_quote_recovers(tmp_path: Path) -> None:
    t = read_table(write(tmp_path, b'a,b,c\n1,"2,3\n4,5,6\n'))
    assert ("quote-unbalanced", 2) in codes(t)
    assert t.frame.filter(t.frame["__line__"] == 3)["a"].to_list() == ["4"]


def test_nul_bytes(tmp_path: Path) -> None:
    t = read_table(write(tmp_path, b"a,b\n1,x\x00y\n"))
    assert codes(t) == [("nul-byte", 2)]
    assert t.frame["b"].to_list() == ["xy"]


def test_duplicate_and_missing_headers(tmp_path: Path) -> None:
    t = read_table(write(tmp_path, b"a,a,\n1,2,3\n"))
    assert [i.code for i in t.issues] == ["header-duplicate", "header-missing"]
    assert t.header == ["a", "a_2", "column_3"]


def test_cp932_with_extensions_and_gaiji(tmp_path: Path) -> None:
    data = "氏名,カナ\n髙橋　﨑子,ﾀｶﾊｼ\n㈱①Ⅰ,x\n".encode("cp932") + b"\xf0\x40,y\n"
    t = read_table(write(tmp_path, data))
    assert t.encoding == "cp932"
    assert t.frame["氏名"].to_list() == ["髙橋　﨑子", "㈱①Ⅰ", "\ue000"]


def test_undecodable_bytes_have_line_and_offset(tmp_path: Path) -> None:
    data = b"a,b\n" + "山田,x\n".encode("cp932") + b"\x81\x20,y\n"
    t = read_table(write(tmp_path, data))
    bad = [i for i in t.issues if i.code == "encoding-invalid-bytes"]
    assert len(bad) == 1 and bad[0].line == 3 and bad[0].offset == 4 + 7


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_utf8_with_and_without_bom(tmp_path: Path, bom: bytes) -> None:
    t = read_table(write(tmp_path, bom + "名前,x\n山田,1\n".encode()))
    assert t.encoding == "utf-8" and t.header == ["名前", "x"] and t.bom == bool(bom)


def test_euc_jp_detected(tmp_path: Path) -> None:
    t = read_table(write(tmp_path, "名前,カナ\n山田太郎,ヤマダ\n".encode("euc_jp")))
    assert t.encoding == "euc_jp" and t.frame["名前"].to_list() == ["山田太郎"]


def test_tsv_and_crlf(tmp_path: Path) -> None:
    t = read_table(write(tmp_path, b"a\tb\r\n1\t2\r\n", "f.tsv"))
    assert t.delimiter == "\t" and t.frame["b"].to_list() == ["2"]


def test_wrong_forced_encoding_is_a_clear_error(tmp_path: Path) -> None:
    data = ("氏名\n" + "山田太郎\n" * 30).encode("cp932")
    with pytest.raises(InputError) as exc:
        read_table(write(tmp_path, data), encoding="utf-8")
    assert "cp932" in (exc.value.hint or "")


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        read_table(tmp_path / "nope.csv")
    with pytest.raises(InputError):
        read_table(write(tmp_path, b"\n\n"))


def test_a_non_ascii_delimiter_is_read_exactly(tmp_path: Path) -> None:
    """polars separates by one byte: a full-width delimiter goes the exact path, not a traceback."""
    t = read_table(write(tmp_path, "a；b\n1；2\n3\n".encode()), delimiter="；")
    assert t.frame.select("a", "b").rows() == [("1", "2"), ("3", None)]
    assert codes(t) == [("row-field-count", 3)]
