"""Detect and decode the encodings legacy systems produce (CP932, UTF-8 ± BOM, EUC-JP).

Decoding is deliberate: CP932 (never shift_jis, which rejects 髙 﨑 ① ㈱), strict trial decodes for
detection, and undecodable bytes reported with line and byte offset instead of silently replaced.
CP932's user-defined area (F040–F9FC) decodes to U+E000–U+E757: those are 外字 and are reported by
the checks, never dropped here.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from migrate.errors import InputError
from migrate.i18n import t

CANDIDATES = ("utf-8", "cp932", "euc_jp")
ALIASES = {
    "sjis": "cp932",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "ms932": "cp932",
    "windows-31j": "cp932",
    "utf8": "utf-8",
    "utf-8-sig": "utf-8",
    "eucjp": "euc_jp",
    "euc-jp": "euc_jp",
}
SAMPLE = 1 << 20


@dataclass
class BadBytes:
    line: int  # physical line, 1-based
    offset: int  # byte offset in the file, 0-based
    raw: bytes


@dataclass
class Decoded:
    text: str
    bad: list[BadBytes] = field(default_factory=list)


def encoding_problem(name: str) -> str | None:
    """Why name cannot be used to decode an extract (None when it can): unknown to Python, or not a
    text encoding (hex, base64, rot13 and zlib are codecs too, bytes to bytes)."""
    key = ALIASES.get(name.strip().lower(), name.strip().lower())
    try:
        info = codecs.lookup(key)
    except LookupError:
        return t("不明な文字コードです: {e}", "unknown encoding: {e}", e=name)
    if not getattr(info, "_is_text_encoding", True):
        return t("文字コードではありません: {e}", "not a text encoding: {e}", e=name)
    return None


ENCODING_HINT = ("cp932, utf-8, euc-jp のいずれかを指定してください", "use cp932, utf-8 or euc-jp")


def normalise_name(name: str) -> str:
    problem = encoding_problem(name)
    if problem is not None:
        raise InputError(problem, hint=t(*ENCODING_HINT))
    key = ALIASES.get(name.strip().lower(), name.strip().lower())
    return codecs.lookup(key).name if key not in ("cp932", "euc_jp") else key


def _failures(sample: bytes, encoding: str) -> int:
    """Lines of the sample that do not decode strictly (the last, maybe cut, line is ignored)."""
    lines = sample.split(b"\n")
    if len(lines) > 1:
        lines = lines[:-1]
    bad = 0
    for line in lines:
        try:
            line.decode(encoding)
        except UnicodeDecodeError:
            bad += 1
    return bad


def _halfwidth_kana(text: str) -> int:
    return sum(1 for ch in text if "\uff61" <= ch <= "\uff9f")


def detect(sample: bytes) -> str:
    """The encoding that decodes a (non-ASCII) sample best, by strict trial decoding line by line."""
    scores = {enc: _failures(sample, enc) for enc in CANDIDATES}
    best = min(scores.values())
    tied = [enc for enc in CANDIDATES if scores[enc] == best]
    if "cp932" in tied and "euc_jp" in tied and "utf-8" not in tied:
        # EUC-JP bytes often decode as CP932 half-width katakana: prefer the reading with fewer.
        cut = sample[: sample.rfind(b"\n") + 1] or sample
        cp = _halfwidth_kana(cut.decode("cp932", "replace"))
        eu = _halfwidth_kana(cut.decode("euc_jp", "replace"))
        return "euc_jp" if eu < cp else "cp932"
    return tied[0]


def _first_nonascii(f: BinaryIO) -> bytes | None:
    """About a megabyte of the file from the start of the first line holding a non-ASCII byte."""
    head = f.read(SAMPLE)
    if not head.isascii():
        return head
    pos = len(head)
    while True:
        block = f.read(8 * SAMPLE)
        if not block:
            return None
        if not block.isascii():
            i = next(k for k, b in enumerate(block) if b >= 0x80)
            nl = block.rfind(b"\n", 0, i)
            f.seek(pos + i)
            return (block[nl + 1 : i] if nl >= 0 else b"") + f.read(SAMPLE)
        pos += len(block)


def detect_file(f: BinaryIO) -> tuple[str, bool]:
    """Detect from an open file without reading it whole: the first non-ASCII megabyte decides.

    The stream position is restored. A file that is ASCII from start to end is UTF-8.
    """
    start = f.tell()
    try:
        head = f.read(len(codecs.BOM_UTF8))
        if head == codecs.BOM_UTF8:
            return "utf-8", True
        f.seek(start)
        sample = _first_nonascii(f)
        return ("utf-8", False) if sample is None else (detect(sample), False)
    finally:
        f.seek(start)


def check_forced(f: BinaryIO, encoding: str, path: Path | None = None) -> None:
    """Refuse a forced encoding that most non-ASCII lines of the file's first non-ASCII megabyte do not
    decode in (a wrong --encoding or mapping), with a hint. Undecodable bytes in an otherwise right
    encoding are findings, not this error. Decided on a sample, so it does not depend on piece size."""
    start = f.tell()
    try:
        sample = _first_nonascii(f)
    finally:
        f.seek(start)
    if sample is None:
        return
    lines = sample.split(b"\n")
    if len(lines) > 1 and len(sample) >= SAMPLE:
        lines = lines[:-1]  # the last line may be cut
    nonascii = [line for line in lines if not line.isascii()]
    bad = _failures(b"\n".join(nonascii) + b"\n", encoding)
    if nonascii and bad > max(10, len(nonascii) // 2):
        guess = detect(sample)
        raise InputError(
            t(
                "{e} として読めない行が {n} 行あります",
                "{n} lines are not valid {e}",
                e=encoding,
                n=bad,
            ),
            path=path,
            hint=t(
                "{g} のようです: --encoding {g} を指定してください",
                "looks like {g}: pass --encoding {g}",
                g=guess,
            ),
        )


def decode(data: bytes, encoding: str, *, first_line: int = 1, first_offset: int = 0) -> Decoded:
    """Decode data (a whole file or a piece cut at a line end, BOM already removed) with encoding;
    undecodable bytes become U+FFFD and are listed with the file's line and byte offset
    (first_line / first_offset say where data starts in the file)."""
    try:
        return Decoded(data.decode(encoding))
    except UnicodeDecodeError:
        pass
    bad: list[BadBytes] = []
    parts: list[str] = []
    offset = first_offset
    for lineno, line in enumerate(data.split(b"\n"), start=first_line):
        try:
            parts.append(line.decode(encoding))
        except UnicodeDecodeError as exc:
            bad.append(BadBytes(lineno, offset + exc.start, line[exc.start : exc.end]))
            parts.append(line.decode(encoding, "replace"))
        offset += len(line) + 1
    return Decoded("\n".join(parts), bad)
