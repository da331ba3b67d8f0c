"""Read a delimited extract into all-string polars frames with physical line numbers, piece by piece.

The file is read in pieces of about `chunk_bytes`, each cut at a line end where the count of quote
characters so far is even (a record boundary: a quoted newline never splits a record). Cutting works
on the raw bytes: in CP932, EUC-JP and UTF-8 neither the quote nor the newline byte can occur inside
a multi-byte character. Each piece is decoded on its own with the file's encoding, so memory follows
the piece size, not the file size, and lines and byte offsets stay the file's.

Per piece, fast path: polars reads the UTF-8 text once as lines (for the structural scan: physical
lines, quote parity, field counts, blank lines) and once as CSV. Pieces whose structure polars cannot
parse reliably (an unclosed quote) take an exact Python path that recovers and goes on. Either way the
result is the same frame and the same structural issues, whatever the piece size.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import polars as pl

from migrate.errors import InputError
from migrate.i18n import t
from migrate.io.encoding import check_forced, decode, detect_file, normalise_name

T = TypeVar("T")
LINE = "__line__"
DEFAULT_CHUNK_BYTES = 12 << 20
_WALK_BACK = 4 << 20  # how far back from a piece's end a record boundary is looked for


@dataclass
class Issue:
    """A structural problem of the file itself (not of a value)."""

    code: str
    line: int | None
    column: str | None = None
    offset: int | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class Table:
    path: Path
    frame: pl.DataFrame  # one Utf8 column per header name + LINE (Int64)
    header: list[str]
    encoding: str
    delimiter: str
    bom: bool
    issues: list[Issue]
    size: int
    first_row: int = 0  # rows of the file before this piece (0 for a whole file)

    @property
    def rows(self) -> int:
        return self.frame.height


def sniff_delimiter(first_line: str, path: Path) -> str:
    if path.suffix.lower() in (".tsv", ".tab"):
        return "\t"
    return "\t" if first_line.count("\t") > first_line.count(",") else ","


def _header(first: str, sep: str, issues: list[Issue]) -> list[str]:
    try:
        row = next(csv.reader([first.rstrip("\r")], delimiter=sep), [])
    except csv.Error:  # a bare CR inside the header line
        row = _lenient_fields(first.rstrip("\r"), sep)
    names: list[str] = []
    for i, raw in enumerate(row, start=1):
        name = raw.strip().lstrip("\ufeff")
        if not name:
            name = f"column_{i}"
            issues.append(Issue("header-missing", 1, name, detail={"position": i}))
        if name in names:
            n = 2
            while f"{name}_{n}" in names:
                n += 1
            issues.append(
                Issue("header-duplicate", 1, name, detail={"position": i, "renamed": f"{name}_{n}"})
            )
            name = f"{name}_{n}"
        names.append(name)
    return names


def _scan(lines: pl.Series, sep: str, has_quotes: bool) -> pl.DataFrame:
    """Per record: first physical line, field count, blank flag, whether its quotes close."""
    df = pl.DataFrame({"text": lines.fill_null("")}).with_columns(
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("line")
    )
    if has_quotes:
        q = pl.col("text").str.count_matches('"', literal=True)
        df = df.with_columns(q.alias("q"))
        if (df["q"] % 2 == 1).any():
            before = pl.col("q").cum_sum() - pl.col("q")
            df = (
                df.with_columns((before % 2 == 0).cum_sum().alias("rec"))
                .group_by("rec", maintain_order=True)
                .agg(pl.col("line").first(), pl.col("text").str.join("\n"), pl.col("q").sum())
                .drop("rec")
            )
        # a quote opens a field only at its start (as the csv module and polars read it)
        sep_re = re.escape(sep)
        body = pl.col("text").str.replace_all(rf'(^|{sep_re})"(?:[^"]|"")*"', "${1}")
        # closed: the quotes balance; clean: every quote belongs to a well-formed quoted field, so
        # polars and the csv module read the record alike (a stray quote sends the piece to the exact path)
        closed = (pl.col("q") % 2 == 0) & ~pl.col("body").str.contains('"', literal=True)
        df = df.with_columns(body.alias("body"))
    else:
        df = df.with_columns(pl.col("text").alias("body"))
        closed = pl.lit(True)
    return df.select(
        "line",
        (pl.col("body").str.count_matches(sep, literal=True) + 1).alias("fields"),
        (pl.col("text").str.strip_chars("\r") == "").alias("blank"),
        closed.alias("closed"),
    )


def _split_lines(text: str) -> list[str]:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _lenient_fields(text: str, sep: str) -> list[str]:
    """Split one record whose stray quotes the csv module refuses: a quote opens a field only at its
    start (doubled inside), anything else is literal, line breaks included."""
    fields: list[str] = []
    i, n = 0, len(text)
    while True:
        head = ""
        if i < n and text[i] == '"':
            j, buf = i + 1, []
            while j < n:
                if text[j] == '"':
                    if j + 1 < n and text[j + 1] == '"':
                        buf.append('"')
                        j += 2
                        continue
                    j += 1
                    break
                buf.append(text[j])
                j += 1
            head, i = "".join(buf), j
        k = text.find(sep, i)
        fields.append(head + (text[i:] if k < 0 else text[i:k]))
        if k < 0:
            return fields
        i = k + 1


def _slow_records(
    lines: list[str], sep: str, issues: list[Issue], offset: int
) -> list[tuple[int, list[str] | None]]:
    """Exact record splitting with recovery from an unclosed quote (reported, then re-read unquoted).

    A record is a run of lines with an even number of quote characters, exactly as the piece cutting and
    the fast path's scan see it; a record whose quotes never balance before the end of the file is
    reported on its first line, which is then read with its quotes removed, and reading goes on.
    """
    out: list[tuple[int, list[str] | None]] = []
    i = 0
    while i < len(lines):
        start = i
        buf = lines[i]
        i += 1
        while buf.count('"') % 2 == 1 and i < len(lines):
            buf += "\n" + lines[i]
            i += 1
        if buf.count('"') % 2 == 1:
            issues.append(Issue("quote-unbalanced", start + 1 + offset))
            buf = lines[start].replace('"', "")
            i = start + 1
        if buf.strip("\r") == "":
            out.append((start + 1, None))
            continue
        text = buf[:-1] if buf.endswith("\r") else buf
        try:
            fields = next(csv.reader([text], delimiter=sep, strict=False), [])
        except csv.Error:  # a stray quote inside an unquoted field, then a line break
            fields = _lenient_fields(text, sep)
        out.append((start + 1, fields))
    return out


def _cut(buf: bytes | bytearray) -> int | None:
    """Index just after the last newline of buf (within _WALK_BACK of its end) where the quote count is even.

    buf starts at a record boundary. None when there is no such newline: the piece must grow.
    """
    total = buf.count(b'"')
    limit = max(0, len(buf) - _WALK_BACK)
    pos = buf.rfind(b"\n")
    after = 0  # quotes after pos
    end = len(buf)
    while pos >= limit:
        after += buf.count(b'"', pos + 1, end)
        if (total - after) % 2 == 0:
            return pos + 1
        end = pos + 1
        pos = buf.rfind(b"\n", 0, pos)
    return None


def _pieces(f: Any, chunk_bytes: int | None) -> Iterator[tuple[bytes, int, int, bool]]:
    """(piece, byte offset, first line, last) for the file: pieces end at record boundaries."""
    offset, line = 0, 1
    carry = b""
    yielded = False
    while True:
        block = f.read(chunk_bytes) if chunk_bytes else f.read()
        eof = not block or not chunk_bytes
        buf = carry + block if carry else block
        cut = len(buf) if eof else _cut(buf)
        if cut is None:
            carry = buf
            continue
        if eof and not buf and yielded:
            return
        piece, carry = (buf, b"") if cut == len(buf) else (buf[:cut], buf[cut:])
        yield piece, offset, line, eof
        yielded = True
        if eof:
            return
        offset += len(piece)
        line += piece.count(b"\n")


def _lines(payload: bytes) -> pl.Series:
    """Physical lines of UTF-8 payload (null for a blank one), read by polars, not by a Python loop."""
    if not payload:
        return pl.Series("text", [], dtype=pl.Utf8)
    return pl.read_csv(
        payload, has_header=False, separator="\x00", quote_char=None, schema={"text": pl.Utf8}
    ).to_series()


class _Reader:
    """State carried from piece to piece: header, delimiter, rows so far."""

    def __init__(self, path: Path, encoding: str, bom: bool, delimiter: str | None, size: int):
        self.path = path
        self.encoding = encoding
        self.bom = bom
        self.sep = delimiter
        self.size = size
        self.header: list[str] | None = None
        self.rows = 0

    def piece(self, data: bytes, offset: int, line: int) -> Table:
        issues: list[Issue] = []
        if offset == 0 and self.bom:
            data = data[len(codecs.BOM_UTF8) :]
            offset = len(codecs.BOM_UTF8)
        dec = decode(data, self.encoding, first_line=line, first_offset=offset)
        issues += [
            Issue("encoding-invalid-bytes", b.line, offset=b.offset, detail={"bytes": b.raw.hex(" ").upper()})
            for b in dec.bad
        ]
        text = dec.text
        if "\x00" in text:
            for lineno, ln in enumerate(_split_lines(text), start=line):
                if "\x00" in ln:
                    issues.append(Issue("nul-byte", lineno, detail={"position": ln.index("\x00") + 1}))
            text = text.replace("\x00", "")
        had_header = self.header is not None
        if not had_header:
            text, line = self._read_header(text, line, issues)
        assert self.header is not None and self.sep is not None
        ncol = len(self.header)
        names = [f"c{i}" for i in range(ncol)]
        if had_header and self.encoding == "utf-8" and not dec.bad and len(text) == len(dec.text):
            payload = data  # already UTF-8 and nothing removed: no need to encode again
        else:
            payload = text.encode("utf-8")
        scan = _scan(_lines(payload), self.sep, b'"' in payload).with_columns(pl.col("line") + (line - 1))
        frame = self._fast(payload, names, scan) if scan["closed"].all() else None
        if frame is not None:
            blank = scan["blank"]
            ragged = scan.filter(~pl.col("blank") & (pl.col("fields") != ncol))
            for ln, fields in ragged.select("line", "fields").iter_rows():
                issues.append(Issue("row-field-count", ln, detail={"expected": ncol, "found": fields}))
            for ln in scan.filter(pl.col("blank"))["line"]:
                issues.append(Issue("blank-line", ln))
            frame = frame.with_columns(scan["line"].alias(LINE)).filter(~blank)
        else:
            frame = self._slow(_split_lines(text), names, line, issues)
        frame = frame.rename(dict(zip(names, self.header, strict=True)))
        issues.sort(key=lambda i: (i.line or 0, i.code))
        first_row = self.rows
        self.rows += frame.height
        return Table(
            self.path,
            frame,
            self.header,
            self.encoding,
            self.sep,
            self.bom,
            issues,
            self.size,
            first_row,
        )

    def _read_header(self, text: str, line: int, issues: list[Issue]) -> tuple[str, int]:
        """Take the header (first non-blank line) off the first piece; return the rest and its line."""
        pos = 0
        while True:
            nl = text.find("\n", pos)
            first = text[pos:] if nl < 0 else text[pos:nl]
            if first.strip("\r"):
                break
            issues.append(Issue("blank-line", line))
            line += 1
            if nl < 0:
                raise InputError(t("空のファイルです", "the file is empty"), path=self.path)
            pos = nl + 1
        first = first.rstrip("\r")
        self.sep = self.sep or sniff_delimiter(first, self.path)
        self.header = _header(first, self.sep, issues)
        return ("" if nl < 0 else text[nl + 1 :]), line + 1

    def _fast(self, payload: bytes, names: list[str], scan: pl.DataFrame) -> pl.DataFrame | None:
        if scan.height == 0:
            return pl.DataFrame(schema=dict.fromkeys(names, pl.Utf8))
        try:
            frame = pl.read_csv(
                payload,
                has_header=False,
                infer_schema=False,
                schema=dict.fromkeys(names, pl.Utf8),
                separator=self.sep or ",",
                truncate_ragged_lines=True,
                missing_columns="insert",
            )
        except pl.exceptions.PolarsError:
            return None
        if frame.height != scan.height:
            return None
        if b'""' not in payload:
            return frame
        # a quoted empty field ("") is empty like an unquoted one, as the exact path reads it
        return frame.with_columns(pl.when(pl.col(n) != "").then(pl.col(n)).alias(n) for n in names)

    def _slow(self, lines: list[str], names: list[str], line: int, issues: list[Issue]) -> pl.DataFrame:
        ncol = len(names)
        records = _slow_records(lines, self.sep or ",", issues, line - 1)
        cols: list[list[str | None]] = [[] for _ in range(ncol)]
        line_no: list[int] = []
        for start, fields in records:
            if fields is None:
                issues.append(Issue("blank-line", start + line - 1))
                continue
            if len(fields) != ncol:
                issues.append(
                    Issue(
                        "row-field-count", start + line - 1, detail={"expected": ncol, "found": len(fields)}
                    )
                )
            for i in range(ncol):
                cols[i].append((fields[i] or None) if i < len(fields) else None)
            line_no.append(start + line - 1)
        return pl.DataFrame(
            {**{n: pl.Series(n, c, dtype=pl.Utf8) for n, c in zip(names, cols, strict=True)}, LINE: line_no},
            schema={**dict.fromkeys(names, pl.Utf8), LINE: pl.Int64},
        )


def iter_table(
    path: str | Path,
    encoding: str | None = None,
    delimiter: str | None = None,
    chunk_bytes: int | None = DEFAULT_CHUNK_BYTES,
) -> Iterator[Table]:
    """The file as consecutive pieces (Tables sharing header and encoding); None reads it in one piece.

    Structural problems become issues of the piece they are in; unreadable files raise InputError.
    """
    p = Path(path)
    try:
        f = p.open("rb")
    except FileNotFoundError:
        raise InputError(t("ファイルがありません", "file not found"), path=p) from None
    except IsADirectoryError:
        raise InputError(
            t("フォルダです (ファイルを指定してください)", "is a folder, not a file"), path=p
        ) from None
    except OSError as exc:
        raise InputError(t("読み込めません: {e}", "cannot read: {e}", e=exc.strerror), path=p) from None
    with f:
        try:
            size = p.stat().st_size
            if encoding:
                enc = normalise_name(encoding)
                bom = enc == "utf-8" and f.read(3) == codecs.BOM_UTF8
                f.seek(0)
                check_forced(f, enc, p)
            else:
                enc, bom = detect_file(f)
            reader = _Reader(p, enc, bom, delimiter, size)
            held: tuple[bytes, int, int] | None = None
            for data, offset, line, last in _pieces(f, chunk_bytes):
                if held is not None:
                    data, offset, line = held[0] + data, held[1], held[2]
                    held = None
                if reader.header is None and not data.removeprefix(codecs.BOM_UTF8 if bom else b"").strip():
                    if last:
                        raise InputError(t("空のファイルです", "the file is empty"), path=p)
                    held = (data, offset, line)  # only blank lines so far: the header is further on
                    continue
                yield reader.piece(data, offset, line)
        except IsADirectoryError:
            raise InputError(
                t("フォルダです (ファイルを指定してください)", "is a folder, not a file"), path=p
            ) from None
        except OSError as exc:
            raise InputError(t("読み込めません: {e}", "cannot read: {e}", e=exc.strerror), path=p) from None


_END = object()


def read_ahead(pieces: Iterator[T]) -> Iterator[T]:
    """The same pieces, the next one read in a background thread while the caller works on the current.

    Decoding holds the GIL but polars does not, so reading overlaps with the checks on two cores; one
    piece is read ahead, so memory holds at most two. Errors surface in order, where they happened.
    """
    with ThreadPoolExecutor(1, thread_name_prefix="read-ahead") as pool:
        pending = pool.submit(next, pieces, _END)
        while True:
            item = pending.result()
            if item is _END:
                return
            pending = pool.submit(next, pieces, _END)
            yield item  # type: ignore[misc]


def read_table(
    path: str | Path,
    encoding: str | None = None,
    delimiter: str | None = None,
    chunk_bytes: int | None = None,
) -> Table:
    """Read the whole file into one Table (pieces of chunk_bytes are read and joined)."""
    parts = list(iter_table(path, encoding, delimiter, chunk_bytes))
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    issues = sorted((i for part in parts for i in part.issues), key=lambda i: (i.line or 0, i.code))
    frame = pl.concat([part.frame for part in parts], how="vertical")
    return Table(
        first.path, frame, first.header, first.encoding, first.delimiter, first.bom, issues, first.size
    )
