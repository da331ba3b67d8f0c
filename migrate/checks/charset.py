"""Character-class checks: 全角カナ, 半角, the JIS X 0213 and 行政事務標準文字 (MJ) repertoires, 外字.

Repertoires are sets of code points plus the two-code-point sequences they accept (a base followed by an
IVS selector or a combining mark), checked by one full-match regex per value, so a column is checked in
one pass of the regex engine:
- JIS X 0213:2004 (`jisx0213`): every character of planes 1 and 2, non-BMP included (the 303 of plane 2,
  e.g. U+20B9F 𠮟), enumerated from Python's euc_jis_2004 codec, plus what EUC-JIS-2004 carries beside
  it (printable ASCII and JIS X 0201 半角カナ), plus its 14 か゚-style sequences (base + U+309A).
- 行政事務標準文字 (`gyosei`, `zenkaku`): the MJ table (migrate/data/mj-repertoire.txt, derived from IPA's
  MJ文字情報一覧表: 52,518 code points and 11,384 base + IVS sequences) ∪ JIS X 0213 above, which brings
  the non-kanji the MJ table lacks (kana, symbols, full-width alphanumerics, Greek, Cyrillic, box drawing).
  The MJ+ additions (about 9,400 GJ characters) are not in the published table: a character found outside
  may still be 行政事務標準文字, hence a warning.
Private-use characters (BMP and planes 15/16) belong to every repertoire here: 外字 have their own finding.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from typing import Any

import polars as pl

PUA_RANGES = ((0xE000, 0xF8FF), (0xF0000, 0xFFFFD), (0x100000, 0x10FFFD))
PUA = r"[\x{E000}-\x{F8FF}\x{F0000}-\x{FFFFD}\x{100000}-\x{10FFFD}]"
# 基本データリスト X 半角文字列: printable ASCII and 半角カタカナ (JIS X 0201)
HANKAKU = r"^[\x{20}-\x{7E}\x{FF61}-\x{FF9F}]*$"
# 基本データリスト Ｎ 全角文字列: any ASCII (letters, digits, space, controls) or 半角カナ is a finding
HALF_WIDTH_CHAR = r"[\x{00}-\x{7F}\x{FF61}-\x{FF9F}]"
ZENKAKU_KANA = r"^[\x{30A1}-\x{30F6}\x{30FC}\x{3000}\x{30FB}\x{30FD}\x{30FE}]+$"
MJ_DATA = "mj-repertoire.txt"
# what may follow a base and change it: variation selectors (IVS, standard) and the kana semi-voiced mark
_MODIFIERS = ((0xFE00, 0xFE0F), (0xE0100, 0xE01EF), (0x309A, 0x309A))

Ranges = tuple[tuple[int, int], ...]


def _ranges(cps: set[int]) -> Ranges:
    out: list[tuple[int, int]] = []
    for cp in sorted(cps):
        if out and out[-1][1] == cp - 1:
            out[-1] = (out[-1][0], cp)
        else:
            out.append((cp, cp))
    return tuple(out)


def _union(*parts: Ranges) -> Ranges:
    out: list[tuple[int, int]] = []
    for a, b in sorted(r for rs in parts for r in rs):
        if out and a <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return tuple(out)


def _in(rs: Ranges, cp: int) -> bool:
    i = bisect.bisect_right(rs, (cp, 0x10FFFF)) - 1
    return i >= 0 and rs[i][0] <= cp <= rs[i][1]


def _class(rs: Ranges) -> str:
    return "".join(rf"\x{{{a:X}}}" if a == b else rf"\x{{{a:X}}}-\x{{{b:X}}}" for a, b in rs)


def _label(s: str) -> str:
    """`「鷗」(U+9DD7)`, for a sequence `「辻󠄅」(U+8FBB U+E0105)`; a control character by its code point
    only (`U+000D`: a raw CR or LF would break the line of a report). A character is not a personal
    value by itself, and none outside a repertoire is a digit, so no 個人番号 can be spelled here."""
    points = " ".join(f"U+{ord(c):04X}" for c in s)
    if not s.isprintable():
        return points
    return f"「{s}」({points})"


@dataclass(frozen=True)
class Repertoire:
    """A set of characters and of (base, modifier) sequences."""

    name: str
    chars: Ranges
    seqs: dict[int, Ranges] = field(default_factory=dict)  # modifier → the bases it may follow

    def __contains__(self, s: object) -> bool:
        if not isinstance(s, str) or not 1 <= len(s) <= 2:
            return False
        if len(s) == 1:
            return _in(self.chars, ord(s))
        return ord(s[1]) in self.seqs and _in(self.seqs[ord(s[1])], ord(s[0]))

    @property
    def size(self) -> int:
        return sum(b - a + 1 for a, b in self.chars)

    @cached_property
    def pattern(self) -> str:
        """Full match of a value made only of the repertoire's characters and sequences (built once)."""
        alts = [f"[{_class(self.chars)}]"]
        alts += [f"[{_class(bases)}]\\x{{{m:X}}}" for m, bases in sorted(self.seqs.items())]
        return "^(?:" + "|".join(alts) + ")*$"

    def outside(self, value: str) -> list[str]:
        """The characters (or base + modifier sequences) of value outside the repertoire, in order."""
        bad: list[str] = []
        i = 0
        while i < len(value):
            pair = value[i : i + 2]
            if len(pair) == 2 and any(a <= ord(pair[1]) <= b for a, b in _MODIFIERS):
                if pair not in self:  # a base outside followed by an IVS is outside too
                    bad.append(pair)
                i += 2
                continue
            if value[i] not in self:
                bad.append(value[i])
            i += 1
        return list(dict.fromkeys(bad))


@cache
def _jis() -> tuple[set[int], dict[int, set[int]]]:
    """JIS X 0213:2004 as Python's euc_jis_2004 codec decodes it: planes 1 and 2 (non-BMP included)."""
    chars = set(range(0x20, 0x7F)) | set(range(0xFF61, 0xFFA0))  # ASCII and JIS X 0201 kana of EUC
    seqs: dict[int, set[int]] = {}
    for hi in range(0xA1, 0xFF):
        for lo in range(0xA1, 0xFF):
            for raw in (bytes((hi, lo)), bytes((0x8F, hi, lo))):
                try:
                    s = raw.decode("euc_jis_2004")
                except UnicodeDecodeError:
                    continue
                if len(s) == 1:
                    chars.add(ord(s))
                else:  # か゚ ㇷ゚ æ̀ ˥˩ …: sequences of two code points
                    seqs.setdefault(ord(s[1]), set()).add(ord(s[0]))
    # U+0300/0301 and ˥ ˩ are JIS characters on their own; only the kana + U+309A pairs need a sequence
    seqs = {m: bases for m, bases in seqs.items() if m not in chars}
    return chars, seqs


@cache
def mj_table() -> tuple[set[int], dict[int, set[int]]]:
    """The shipped MJ table (migrate/data/mj-repertoire.txt): code points and IVS selector → bases."""
    text = (resources.files("migrate") / "data" / MJ_DATA).read_text(encoding="utf-8")
    chars: set[int] = set()
    seqs: dict[int, set[int]] = {}
    target = chars
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            head = line.strip("[]").split()
            target = chars if head == ["chars"] else seqs.setdefault(int(head[1], 16), set())
            continue
        for part in line.split():
            a, _, b = part.partition("-")
            target.update(range(int(a, 16), int(b or a, 16) + 1))
    return chars, seqs


@cache
def jis_repertoire() -> Repertoire:
    chars, seqs = _jis()
    return Repertoire(
        "jisx0213", _union(_ranges(chars), PUA_RANGES), {m: _ranges(b) for m, b in seqs.items()}
    )


@cache
def mj_repertoire() -> Repertoire:
    jchars, jseqs = _jis()
    mchars, mseqs = mj_table()
    seqs = {m: _ranges(jseqs.get(m, set()) | mseqs.get(m, set())) for m in {*jseqs, *mseqs}}
    return Repertoire("mj", _union(_ranges(jchars | mchars), PUA_RANGES), seqs)


def in_jisx0213(ch: str) -> bool:
    """JIS X 0213:2004 membership of one character (or か゚-style sequence); private use excluded."""
    return ch in jis_repertoire() and not any(a <= ord(ch[0]) <= b for a, b in PUA_RANGES)


def outside_jis(e: pl.Expr) -> pl.Expr:
    """True where the value holds a character outside JIS X 0213 (private use excluded)."""
    return ~e.str.contains(jis_repertoire().pattern)


def outside_mj(e: pl.Expr) -> pl.Expr:
    """True where the value holds a character outside MJ ∪ JIS X 0213 (private use excluded)."""
    return ~e.str.contains(mj_repertoire().pattern)


# finding code → the repertoire whose outside characters the finding names
NAMED_CHARS = {"charset-outside-jis": jis_repertoire, "charset-outside-mj": mj_repertoire}


def name_chars(findings: pl.DataFrame, value: str) -> pl.DataFrame:
    """findings (columns code, detail and value) with the outside characters added to their detail.

    Once per distinct (code, detail, value) of the repertoire findings: `{"chars": ["U+9DD7 鷗", …]}`.
    """
    keys = ["code", "detail", value]
    sub = findings.filter(pl.col("code").is_in(list(NAMED_CHARS)) & pl.col(value).is_not_null())
    if sub.is_empty():
        return findings
    sub = sub.select(keys).unique()
    named = []
    for code, detail, v in sub.iter_rows():
        data: dict[str, Any] = json.loads(detail or "{}")
        data["chars"] = [_label(c) for c in NAMED_CHARS[code]().outside(v)]
        named.append(json.dumps(data, ensure_ascii=False))
    sub = sub.with_columns(pl.Series("__named__", named, dtype=pl.Utf8))
    return (
        findings.join(sub, on=keys, how="left", nulls_equal=True, maintain_order="left")
        .with_columns(pl.coalesce("__named__", "detail").alias("detail"))
        .drop("__named__")
    )


def cp932_bytes(e: pl.Expr) -> pl.Expr:
    """Length in CP932 bytes: ASCII and half-width katakana take 1 byte, everything else 2."""
    return e.str.len_chars() * 2 - e.str.count_matches(r"[\x{00}-\x{7F}\x{FF61}-\x{FF9F}]")


# -- the family: which class each Charset checks, as the validator runs it and as exports say it --

# The same classes in a syntax Python's re (frictionless, GX) and polars both read: literal characters.
PY_CLASSES: dict[str, str] = {
    "charset-zenkaku-kana": "[\u30a1-\u30f6\u30fc\u3000\u30fb\u30fd\u30fe]+",  # + ・ ヽ ヾ, as the validator
    "charset-hankaku-digits": "[0-9]*",
    "charset-hankaku-alnum": "[ -~]*",  # printable ASCII (docs/findings.md: "Only ASCII is allowed")
    "charset-hankaku": "[ -~\uff61-\uff9f]*",
    "charset-zenkaku": "[^\x00-\x7f\uff61-\uff9f]*",
    "gaiji-private-use": "[^\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]*",
}
CODES = (*PY_CLASSES, "charset-outside-jis", "charset-outside-mj")


def _class_code(it: Any) -> str | None:
    from migrate.standard.model import Charset

    return {
        Charset.zenkaku_kana: "charset-zenkaku-kana",
        Charset.hankaku_digits: "charset-hankaku-digits",
        Charset.hankaku_alnum: "charset-hankaku-alnum",
        Charset.hankaku: "charset-hankaku",
        Charset.zenkaku: "charset-zenkaku",
    }.get(it.charset)


def _gaiji(it: Any) -> bool:
    from migrate.standard.model import ItemType

    return it.type in (ItemType.string, ItemType.code) or it.charset is not None


def _repertoire(it: Any) -> str | None:
    from migrate.standard.model import Charset

    if it.charset == Charset.jisx0213:
        return "charset-outside-jis"
    if it.charset in (Charset.gyosei, Charset.zenkaku):
        return "charset-outside-mj"
    return None


def compile_item(c: Any, it: Any) -> None:
    v = pl.col(it.id)
    sev = it.severity.value
    code = _class_code(it)
    if code == "charset-zenkaku-kana":
        from migrate.checks.family import present

        c.value(code, it.id, sev, ~present(v) | v.str.contains(ZENKAKU_KANA))
    elif code == "charset-hankaku-digits":
        c.value(code, it.id, sev, v.str.contains(r"^[0-9]*$"))
    elif code == "charset-hankaku-alnum":
        c.value(code, it.id, sev, v.str.contains(r"^[\x20-\x7E]*$"))
    elif code == "charset-hankaku":
        c.value(code, it.id, sev, v.str.contains(HANKAKU))
    elif code == "charset-zenkaku":
        c.value(code, it.id, sev, ~v.str.contains(HALF_WIDTH_CHAR))
    rep = _repertoire(it)
    if rep == "charset-outside-jis":
        c.value(rep, it.id, sev, ~outside_jis(v))
    elif rep == "charset-outside-mj":
        # 行政事務標準文字 = MJ + MJ+; the published table has MJ only: a character outside may be MJ+.
        c.value(rep, it.id, "warning", ~outside_mj(v))
    if _gaiji(it):
        c.value("gaiji-private-use", it.id, sev, ~v.str.contains(PUA))


def _rep_note(it: Any) -> list[str]:
    return [f"{it.id}: character set {it.charset.value}"] if _repertoire(it) else []


def table_schema(x: Any, it: Any) -> Any:
    from migrate.checks.family import TablePart
    from migrate.checks.types import field_type

    codes = [c for c in (_class_code(it), "gaiji-private-use" if _gaiji(it) else None) if c]
    if not codes and not _repertoire(it):
        return None
    if field_type(it) != "string":
        return TablePart(exact=False, not_exported=[f"{it.id}: character set {it.charset}"])
    return TablePart(
        patterns=[PY_CLASSES[c] for c in codes], exact=not _repertoire(it), not_exported=_rep_note(it)
    )


def gx(x: Any, it: Any) -> Any:
    from migrate.checks.family import GxPart, gx_expectation

    out = []
    for code in (_class_code(it), "gaiji-private-use" if _gaiji(it) else None):
        if code:
            kwargs = {"regex": f"^(?:{PY_CLASSES[code]})$"}
            out.append(
                gx_expectation(x, it, "expect_column_values_to_match_regex", kwargs, "charset", code=code)
            )
    if not out and not _repertoire(it):
        return None
    return GxPart(out, exact=not _repertoire(it), not_exported=_rep_note(it))


def _family() -> Any:
    from migrate.checks.family import Family

    return Family("charset", CODES, compile_item, table_schema=table_schema, gx=gx)
