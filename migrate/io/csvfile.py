"""Read a delimited extract into all-string polars frames with physical line numbers, piece by piece.

The file is read in pieces of about `chunk_bytes`, each cut at a line end where the count of quote
characters so far is even (a record boundary: a quoted newline never splits a record). Cutting works
on the raw bytes: in CP932, EUC-JP and UTF-8 neither the quote nor the newline byte can occur inside
a multi-byte character. Each piece is decoded on its own with the file's encoding, so memory follows
the piece size, not the file size, and lines and byte offsets stay the file's.

Per piece, fast path: the structural scan (physical lines, field counts, blank lines) runs over the bytes
with numpy when the piece holds no quote character (records are then lines), else polars reads the
UTF-8 text once as lines for it (quote parity too); polars then reads the text once as CSV. Pieces
whose structure polars cannot parse reliably (an unclosed quote) take an exact Python path that
recovers and goes on. Either way the result is the same frame and the same structural issues, whatever
the piece size.
"""

from __future__ import annotations

import codecs
import csv
import os
import re
import stat
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import polars as pl

from migrate.errors import InputError, UsageError
from migrate.i18n import t
from migrate.io.encoding import SAMPLE, check_forced, decode, detect_file, normalise_name
from migrate.mask import header_looks_like_data

T = TypeVar("T")
LINE = "__line__"
DEFAULT_CHUNK_BYTES = 12 << 20
_WALK_BACK = 4 << 20  # how far back from a piece's end a record boundary is looked for
MAX_LINE = 16 << 20  # a file whose first line is longer is refused (no extract's header is)
MAX_COLUMNS = 200_000  # a header with more is refused: no extract has them, memory would not hold them


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


DELIMITER_NAMES = {"\\t": "\t", "tab": "\t"}


def delimiter_problem(sep: str) -> str | None:
    """Why sep cannot separate fields (None when it can): one character, not a quote or line end."""
    sep = DELIMITER_NAMES.get(sep.lower(), sep)
    if len(sep) != 1:
        return t("区切り文字は 1 文字です: {d!r}", "the delimiter must be one character: {d!r}", d=sep)
    if sep in '"\r\n\x00' or sep.isalnum():
        return t("区切り文字に使えない文字です: {d!r}", "cannot separate fields with {d!r}", d=sep)
    return None


def sniff_delimiter(first_line: str, path: Path) -> str:
    if path.suffix.lower() in (".tsv", ".tab"):
        return "\t"
    return "\t" if first_line.count("\t") > first_line.count(",") else ","


def _header_cells(first: str, sep: str) -> list[str]:
    try:
        return next(csv.reader([first.rstrip("\r")], delimiter=sep), [])
    except csv.Error:  # a bare CR inside the header line
        return _lenient_fields(first.rstrip("\r"), sep)


def _header(first: str, sep: str, issues: list[Issue]) -> list[str]:
    row = _header_cells(first, sep)
    names: list[str] = []
    seen: set[str] = set()  # membership in a set: a 10⁵-column header stays linear, not quadratic
    for i, raw in enumerate(row, start=1):
        name = raw.strip().lstrip("\ufeff")
        if not name:
            name = f"column_{i}"
            issues.append(Issue("header-missing", 1, name, detail={"position": i}))
        if name in seen:
            n = 2
            while f"{name}_{n}" in seen:
                n += 1
            issues.append(
                Issue("header-duplicate", 1, name, detail={"position": i, "renamed": f"{name}_{n}"})
            )
            name = f"{name}_{n}"
        names.append(name)
        seen.add(name)
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


def _byte_scan(payload: bytes, sep: str) -> pl.DataFrame:
    """_scan for a payload without quote characters and without bare CR, over its bytes with numpy
    (sep an ASCII character: one byte).

    Records are then physical lines; the separator, CR and LF are ASCII bytes, which in UTF-8 never occur
    inside a multi-byte character, so counting bytes counts what _scan counts in the text, in a few
    vectorised passes instead of a CSV read of the lines and string scans of them.
    """
    import numpy as np  # imported on the reading path only

    schema = {"line": pl.Int64, "fields": pl.UInt32, "blank": pl.Boolean, "closed": pl.Boolean}
    if not payload:
        return pl.DataFrame(schema=schema)
    b = np.frombuffer(payload, dtype=np.uint8)
    ends = np.flatnonzero(b == 10)  # each line's LF
    if payload[-1:] != b"\n":  # a last line without line end
        ends = np.append(ends, len(payload))
    starts = np.empty_like(ends)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    seps = np.flatnonzero(b == ord(sep))
    fields = np.searchsorted(seps, ends) - np.searchsorted(seps, starts) + 1
    # every CR is part of a CRLF here: a line is blank when it holds nothing but its line end
    length = ends - starts
    crlf = np.zeros(len(ends), dtype=bool)
    has = length > 0
    crlf[has] = b[ends[has] - 1] == 13
    blank = (length - crlf) == 0
    return pl.DataFrame(
        {
            "line": np.arange(1, len(ends) + 1, dtype=np.int64),
            "fields": fields.astype(np.uint32),
            "blank": blank,
            "closed": np.ones(len(ends), dtype=bool),
        },
        schema=schema,
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
        # the csv module drops trailing CRs as a line end; polars (the fast path) keeps them in the last
        # field once the CRLF is gone: they are put back, so both paths read "a,b\r\r\n" as [a, b\r]
        body = text.rstrip("\r")
        try:
            fields = next(csv.reader([body], delimiter=sep, strict=False), [])
        except csv.Error:  # a stray quote inside an unquoted field, then a line break
            fields = _lenient_fields(body, sep)
        if len(body) < len(text):
            fields = [*fields[:-1], (fields[-1] if fields else "") + text[len(body) :]]
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

    def __init__(
        self,
        path: Path,
        encoding: str,
        bom: bool,
        delimiter: str | None,
        size: int,
        known_headers: frozenset[str] = frozenset(),
    ):
        self.path = path
        self.known_headers = known_headers
        self.encoding = encoding
        self.bom = bom
        self.sep = delimiter
        self.size = size
        self.header: list[str] | None = None
        self.rows = 0
        self.notes: list[Issue] = []  # issues of the whole file, reported with the first piece

    def piece(self, data: bytes, offset: int, line: int) -> Table:
        issues: list[Issue] = self.notes
        self.notes = []
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
        # a bare CR (not part of CRLF) is read differently by polars depending on where the piece ends:
        # such pieces take the exact path, so a value never depends on the piece size
        bare_cr = payload.count(b"\r") != payload.count(b"\r\n")
        if b'"' in payload or bare_cr or not self.sep.isascii():
            scan = _scan(_lines(payload), self.sep, b'"' in payload)
        else:  # no quote: records are lines, scanned over the bytes (no second parse of the text)
            scan = _byte_scan(payload, self.sep)
        scan = scan.with_columns(pl.col("line") + (line - 1))
        frame = self._fast(payload, names, scan) if scan["closed"].all() and not bare_cr else None
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
        extra = 0  # physical lines the header record takes after its first
        if first.count('"') % 2:
            # a quoted header cell may hold a line break: the header is a record, read as the piece
            # cutter counts quotes (else every later record boundary depends on the piece size)
            end, quotes = nl, first.count('"')
            while quotes % 2 and end >= 0:
                nxt = text.find("\n", end + 1)
                quotes += text.count('"', end + 1, nxt if nxt >= 0 else len(text))
                end, extra = nxt, extra + 1
            if quotes % 2:  # never closes: its first line alone, without quotes (as for a record)
                issues.append(Issue("quote-unbalanced", line))
                first, extra = first.replace('"', ""), 0
            else:
                first, nl = (text[pos:] if end < 0 else text[pos:end]), end
        first = first.rstrip("\r")
        self.sep = self.sep or sniff_delimiter(first, self.path)
        if first.count(self.sep) >= MAX_COLUMNS:  # every column costs memory in every piece
            raise InputError(
                t(
                    "ヘッダーの列が多すぎます ({n} 列以上)",
                    "too many columns in the header ({n} or more)",
                    n=MAX_COLUMNS,
                ),
                path=self.path,
                line=line,
                hint=t("区切り文字 (--delimiter) を確認してください", "check the delimiter (--delimiter)"),
            )
        cells = _header_cells(first, self.sep)
        if header_looks_like_data(cells, self.known_headers):
            # no header: the first line is a record (kept as data); its values never become column
            # names, findings or history (migrate.mask), the columns are numbered instead
            self.header = [f"column_{i}" for i in range(1, len(cells) + 1)]
            issues.append(Issue("header-looks-like-data", line, detail={"columns": len(cells)}))
            return text[pos:], line
        self.header = _header(first, self.sep, issues)
        return ("" if nl < 0 else text[nl + 1 :]), line + 1 + extra

    def _fast(self, payload: bytes, names: list[str], scan: pl.DataFrame) -> pl.DataFrame | None:
        if scan.height == 0:
            return pl.DataFrame(schema=dict.fromkeys(names, pl.Utf8))
        if not (self.sep or ",").isascii():  # polars separates by one byte only: the exact path reads it
            return None
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
    on_read: Callable[[bytes], None] | None = None,
    known_headers: Collection[str] = (),
) -> Iterator[Table]:
    """The file as consecutive pieces (Tables sharing header and encoding); None reads it in one piece.

    known_headers: column names the caller expects (an entity's item names and IDs, a mapping's legacy
    columns): a first line made of them is a header even when it looks like data (8-digit IDs).

    Structural problems become issues of the piece they are in; unreadable files raise InputError.
    on_read receives the file's raw bytes, each once and in order, as they are read for validation
    (nightly hashes them: the recorded hash is of the bytes validated, in the same pass).
    """
    p = Path(path)
    if delimiter is not None:
        problem = delimiter_problem(delimiter)
        if problem is not None:
            raise UsageError(problem)
        delimiter = DELIMITER_NAMES.get(delimiter.lower(), delimiter)
    f = _open_regular(p)
    with f:
        try:
            size = os.fstat(f.fileno()).st_size
            head = f.read(SAMPLE)
            if b"\n" not in head and b"\r" not in head and len(head) == SAMPLE:
                # no line end in the first megabyte: look a little further, then refuse rather than
                # read a whole binary or one-line file as a single header (time and memory stay bounded)
                more = f.read(MAX_LINE - SAMPLE)
                if b"\n" not in more and b"\r" not in more and len(more) == MAX_LINE - SAMPLE:
                    raise InputError(
                        t(
                            "先頭 {n} MB に改行がありません (区切りテキストではないようです)",
                            "no line end in the first {n} MB: not a delimited text extract",
                            n=MAX_LINE >> 20,
                        ),
                        path=p,
                        hint=t("抽出した CSV/TSV ファイルを指定してください", "give the CSV/TSV extract"),
                    )
            f.seek(0)
            # CR-only line ends (old Mac exports): read as line ends, byte for byte (a CR byte never
            # occurs inside a CP932, EUC-JP or UTF-8 character), so lines and offsets stay the file's.
            cr_only = b"\r" in head and b"\n" not in head
            raw: Any = _Tee(f, on_read) if on_read else f
            src: Any = _CrAsLf(raw) if cr_only else raw
            if encoding:
                enc = normalise_name(encoding)
                bom = enc == "utf-8" and src.read(3) == codecs.BOM_UTF8
                src.seek(0)
                check_forced(src, enc, p)
            else:
                enc, bom = detect_file(src)
            reader = _Reader(p, enc, bom, delimiter, size, frozenset(known_headers))
            if cr_only:
                reader.notes.append(Issue("line-end-cr-only", 1))
            held: tuple[bytes, int, int] | None = None
            for data, offset, line, last in _pieces(src, chunk_bytes):
                if held is not None:
                    data, offset, line = held[0] + data, held[1], held[2]
                    held = None
                # blank as the header reader sees it (NULs go); asked only until the header is found
                # (it copies the piece)
                head_blank = reader.header is None and not (
                    data.removeprefix(codecs.BOM_UTF8 if bom else b"").replace(b"\x00", b"").strip()
                )
                if head_blank:
                    if last:
                        raise InputError(t("空のファイルです", "the file is empty"), path=p)
                    held = (data, offset, line)  # only blank lines so far: the header is further on
                    continue
                yield reader.piece(data, offset, line)
            if reader.header is None:  # blank lines only, in pieces
                raise InputError(t("空のファイルです", "the file is empty"), path=p)
        except IsADirectoryError:
            raise InputError(
                t("フォルダです (ファイルを指定してください)", "is a folder, not a file"), path=p
            ) from None
        except OSError as exc:
            raise InputError(t("読み込めません: {e}", "cannot read: {e}", e=exc.strerror), path=p) from None


class _Tee:
    """A binary file that hands each byte it reads, once and in file order, to on_read.

    Sample reads that seek back (encoding detection) are not handed twice: only bytes that extend
    the prefix handed so far are, so on_read sees the whole file exactly once when it is read to its end.
    """

    def __init__(self, f: BinaryIO, on_read: Callable[[bytes], None]) -> None:
        self._f = f
        self._on_read = on_read
        self._done = 0

    def read(self, n: int = -1) -> bytes:
        pos = self._f.tell()
        data = self._f.read(n)
        end = pos + len(data)
        if pos <= self._done < end:
            self._on_read(data[self._done - pos :])
            self._done = end
        return data

    def seek(self, pos: int, whence: int = 0) -> int:
        return self._f.seek(pos, whence)

    def tell(self) -> int:
        return self._f.tell()


class _CrAsLf:
    """A binary file whose CR bytes read as LF (same length: offsets and line numbers are kept)."""

    def __init__(self, f: BinaryIO) -> None:
        self._f = f

    def read(self, n: int = -1) -> bytes:
        return self._f.read(n).replace(b"\r", b"\n")

    def seek(self, pos: int, whence: int = 0) -> int:
        return self._f.seek(pos, whence)

    def tell(self) -> int:
        return self._f.tell()


def _open_regular(p: Path) -> BinaryIO:
    """Open p for reading if it is a regular file; refuse FIFOs, devices, sockets and folders up front.

    Opened non-blocking, then checked on the open descriptor: a FIFO never blocks the open (nor a
    writer-less read), /dev/zero is never read, and a file swapped for a FIFO after a stat is caught.
    """
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(t("ファイルがありません", "file not found"), path=p) from None
    except IsADirectoryError:
        raise InputError(
            t("フォルダです (ファイルを指定してください)", "is a folder, not a file"), path=p
        ) from None
    except PermissionError:
        raise InputError(
            t("読み取り権限がありません", "permission denied"),
            path=p,
            hint=t("ファイルの権限を確認してください", "check the file's permissions"),
        ) from None
    except OSError as exc:
        raise InputError(t("読み込めません: {e}", "cannot read: {e}", e=exc.strerror), path=p) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise InputError(
                t("フォルダです (ファイルを指定してください)", "is a folder, not a file"), path=p
            )
        kind = "FIFO" if stat.S_ISFIFO(mode) else "socket" if stat.S_ISSOCK(mode) else "device"
        raise InputError(
            t("通常のファイルではありません ({k})", "not a regular file ({k})", k=kind),
            path=p,
            hint=t("抽出したファイルそのものを指定してください", "give the extract file itself"),
        )
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


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
