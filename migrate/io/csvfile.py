"""Read a delimited extract into an all-string polars frame with physical line numbers.

Fast path: a vectorized structural scan (physical lines, quote parity, field counts, blank lines)
beside polars' CSV parser, which keeps blank lines as empty rows and null-fills short ones. Files
whose structure polars cannot parse reliably (an unclosed quote) take an exact Python path that
recovers and goes on. Either way the result is the same frame and the same structural issues.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from migrate.errors import InputError
from migrate.i18n import t
from migrate.io.encoding import decode

LINE = "__line__"


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

    @property
    def rows(self) -> int:
        return self.frame.height


def sniff_delimiter(first_line: str, path: Path) -> str:
    if path.suffix.lower() in (".tsv", ".tab"):
        return "\t"
    return "\t" if first_line.count("\t") > first_line.count(",") else ","


def _header(first: str, sep: str, issues: list[Issue]) -> list[str]:
    row = next(csv.reader([first.rstrip("\r")], delimiter=sep), [])
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
    df = pl.DataFrame({"text": lines}).with_columns(
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
        body = pl.col("text").str.replace_all(r'"(?:[^"]|"")*"', "")
        closed = pl.col("q") % 2 == 0
    else:
        body = pl.col("text")
        closed = pl.lit(True)
    return df.select(
        "line",
        (body.str.count_matches(sep, literal=True) + 1).alias("fields"),
        (pl.col("text").str.strip_chars("\r") == "").alias("blank"),
        closed.alias("closed"),
    )


def _split_lines(text: str) -> list[str]:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _slow_records(
    lines: list[str], sep: str, issues: list[Issue], offset: int
) -> list[tuple[int, list[str] | None]]:
    """Exact record splitting with recovery from an unclosed quote (reported, then re-read unquoted)."""
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
        out.append((start + 1, next(csv.reader([text], delimiter=sep, strict=False), [])))
    return out


def read_table(path: str | Path, encoding: str | None = None, delimiter: str | None = None) -> Table:
    """Read path; structural problems become issues, unreadable files raise InputError."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(t("ファイルがありません", "file not found"), path=p) from None
    except IsADirectoryError:
        raise InputError(
            t("フォルダです (ファイルを指定してください)", "is a folder, not a file"), path=p
        ) from None
    except OSError as exc:
        raise InputError(t("読み込めません: {e}", "cannot read: {e}", e=exc.strerror), path=p) from None
    if not data.strip():
        raise InputError(t("空のファイルです", "the file is empty"), path=p)
    dec = decode(data, encoding)
    issues: list[Issue] = [
        Issue("encoding-invalid-bytes", b.line, offset=b.offset, detail={"bytes": b.raw.hex(" ").upper()})
        for b in dec.bad
    ]
    text = dec.text
    if "\x00" in text:
        for lineno, line in enumerate(_split_lines(text), start=1):
            if "\x00" in line:
                issues.append(Issue("nul-byte", lineno, detail={"position": line.index("\x00") + 1}))
        text = text.replace("\x00", "")
    lines = _split_lines(text)
    first_idx = next((i for i, line in enumerate(lines) if line.strip("\r")), None)
    if first_idx is None:
        raise InputError(t("空のファイルです", "the file is empty"), path=p)
    sep = delimiter or sniff_delimiter(lines[first_idx], p)
    header = _header(lines[first_idx], sep, issues)
    for i in range(first_idx):
        issues.append(Issue("blank-line", i + 1))
    ncol = len(header)
    names = [f"c{i}" for i in range(ncol)]
    body_lines = lines[first_idx + 1 :]
    offset = first_idx + 1
    has_quotes = '"' in text
    scan = _scan(pl.Series("text", body_lines, dtype=pl.Utf8), sep, has_quotes)
    scan = scan.with_columns(pl.col("line") + offset)
    frame: pl.DataFrame | None = None
    if scan["closed"].all():
        payload = "\n".join(body_lines).encode("utf-8")
        try:
            frame = (
                pl.read_csv(
                    payload,
                    has_header=False,
                    infer_schema=False,
                    schema=dict.fromkeys(names, pl.Utf8),
                    separator=sep,
                    truncate_ragged_lines=True,
                    missing_columns="insert",
                )
                if payload
                else pl.DataFrame(schema=dict.fromkeys(names, pl.Utf8))
            )
        except pl.exceptions.PolarsError:
            frame = None
        if frame is not None and frame.height != scan.height:
            frame = None
    if frame is not None:
        frame = frame.with_columns(scan["line"].alias(LINE))
        blank = scan["blank"]
        ragged = scan.filter(~pl.col("blank") & (pl.col("fields") != ncol))
        for line, fields in ragged.select("line", "fields").iter_rows():
            issues.append(Issue("row-field-count", line, detail={"expected": ncol, "found": fields}))
        for line in scan.filter(pl.col("blank"))["line"]:
            issues.append(Issue("blank-line", line))
        frame = frame.filter(~blank)
    else:
        records = _slow_records(body_lines, sep, issues, offset)
        cols: list[list[str | None]] = [[] for _ in range(ncol)]
        line_no: list[int] = []
        for start, fields in records:
            if fields is None:
                issues.append(Issue("blank-line", start + offset))
                continue
            if len(fields) != ncol:
                issues.append(
                    Issue("row-field-count", start + offset, detail={"expected": ncol, "found": len(fields)})
                )
            for i in range(ncol):
                cols[i].append((fields[i] or None) if i < len(fields) else None)
            line_no.append(start + offset)
        frame = pl.DataFrame(
            {**{n: pl.Series(n, c, dtype=pl.Utf8) for n, c in zip(names, cols, strict=True)}, LINE: line_no},
            schema={**dict.fromkeys(names, pl.Utf8), LINE: pl.Int64},
        )
    frame = frame.rename(dict(zip(names, header, strict=True)))
    issues.sort(key=lambda i: (i.line or 0, i.code))
    return Table(p, frame, header, dec.encoding, sep, dec.bom, issues, len(data))
