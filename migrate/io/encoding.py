"""Detect and decode the encodings legacy systems produce (CP932, UTF-8 ± BOM, EUC-JP).

Decoding is deliberate: CP932 (never shift_jis, which rejects 髙 﨑 ① ㈱), strict trial decodes for
detection, and undecodable bytes reported with line and byte offset instead of silently replaced.
CP932's user-defined area (F040–F9FC) decodes to U+E000–U+E757: those are 外字 and are reported by
the checks, never dropped here.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
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
    encoding: str
    bom: bool
    bad: list[BadBytes] = field(default_factory=list)


def normalise_name(name: str) -> str:
    key = name.strip().lower()
    key = ALIASES.get(key, key)
    try:
        return codecs.lookup(key).name if key not in ("cp932", "euc_jp") else key
    except LookupError:
        raise InputError(
            t("不明な文字コードです: {e}", "unknown encoding: {e}", e=name),
            hint=t("cp932, utf-8, euc-jp のいずれかを指定してください", "use cp932, utf-8 or euc-jp"),
        ) from None


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


def detect(data: bytes) -> tuple[str, bool]:
    """Return (encoding, has_bom) by strict trial decoding of a sample."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8", True
    sample = data[:SAMPLE]
    if sample.isascii():
        # ASCII sample: decide on the whole file (UTF-8 validates at memory speed).
        try:
            data.decode("utf-8")
            return "utf-8", False
        except UnicodeDecodeError:
            sample = data
    scores = {enc: _failures(sample, enc) for enc in CANDIDATES}
    best = min(scores.values())
    tied = [enc for enc in CANDIDATES if scores[enc] == best]
    if "cp932" in tied and "euc_jp" in tied and "utf-8" not in tied:
        # EUC-JP bytes often decode as CP932 half-width katakana: prefer the reading with fewer.
        cut = sample[: sample.rfind(b"\n") + 1] or sample
        cp = _halfwidth_kana(cut.decode("cp932", "replace"))
        eu = _halfwidth_kana(cut.decode("euc_jp", "replace"))
        return ("euc_jp" if eu < cp else "cp932"), False
    return tied[0], False


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
        return ("utf-8", False) if sample is None else detect(sample)
    finally:
        f.seek(start)


def check_forced(f: BinaryIO, encoding: str) -> None:
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
        guess, _ = detect(sample)
        raise InputError(
            t(
                "{e} として読めない行が {n} 行あります",
                "{n} lines are not valid {e}",
                e=encoding,
                n=bad,
            ),
            hint=t(
                "{g} のようです: --encoding {g} を指定してください",
                "looks like {g}: pass --encoding {g}",
                g=guess,
            ),
        )


def decode(
    data: bytes,
    encoding: str | None = None,
    *,
    first_line: int = 1,
    first_offset: int = 0,
    bom: bool = False,
    forced: bool | None = None,
) -> Decoded:
    """Decode data; undecodable bytes become U+FFFD and are listed with line and offset.

    data may be one piece of a larger file cut at a line end: first_line / first_offset say where it
    starts, so lines and offsets in the findings are the file's. With an explicit encoding the BOM is
    looked for here (a whole file, or the first piece); bom=True says the caller already removed it.
    forced (default: an encoding was given) turns "most lines undecodable" into a clear error.
    """
    if forced is None:
        forced = encoding is not None
    if encoding:
        enc = normalise_name(encoding)
        if first_offset == 0 and enc == "utf-8" and data.startswith(codecs.BOM_UTF8):
            bom = True
            data = data[len(codecs.BOM_UTF8) :]
            first_offset = len(codecs.BOM_UTF8)
    else:
        enc, bom = detect(data)
        if bom:
            data = data[len(codecs.BOM_UTF8) :]
            first_offset += len(codecs.BOM_UTF8)
    try:
        return Decoded(data.decode(enc), enc, bom)
    except UnicodeDecodeError:
        pass
    bad: list[BadBytes] = []
    parts: list[str] = []
    offset = first_offset
    nonascii_lines = 0
    for lineno, line in enumerate(data.split(b"\n"), start=first_line):
        try:
            parts.append(line.decode(enc))
        except UnicodeDecodeError as exc:
            bad.append(BadBytes(lineno, offset + exc.start, line[exc.start : exc.end]))
            parts.append(line.decode(enc, "replace"))
        if not line.isascii():
            nonascii_lines += 1
        offset += len(line) + 1
    if forced and nonascii_lines and len(bad) > max(10, nonascii_lines // 2):
        guess, _ = detect(data)
        raise InputError(
            t(
                "{e} として読めない行が {n} 行あります",
                "{n} lines are not valid {e}",
                e=enc,
                n=len(bad),
            ),
            hint=t(
                "{g} のようです: --encoding {g} を指定してください",
                "looks like {g}: pass --encoding {g}",
                g=guess,
            ),
        )
    return Decoded("\n".join(parts), enc, bom, bad)
