"""Synthetic extracts in the standard layout, generated from a spec entity (`migrate specs sample`).

Every value is made from the item's own facts (type, length, character class, code table and its
pattern, pattern, date rule, check digit, range) and then checked against a pure-Python mirror of the
checks `validate/compile.py` declares; a row is kept only when the mirror finds nothing in it (clean) or
exactly the one defect injected (defective). A spec nothing can satisfy therefore fails here, naming the
item, instead of producing a sample that does not validate.

Privacy: names and addresses come from a small list of obviously fictional words (見本, 試験, ひかり台市).
個人番号 have a valid check digit (番号法施行令 第8条) and a body of the fixed prefix `000` followed by
eight digits drawn from the seed. No range of 個人番号 is published as unassigned, so any number with
a valid check digit may belong to someone: the fixed prefix makes generated numbers recognisable, not
impossible. Treat a sample file as personal data all the same; the truth file holds no values.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from migrate.checkdigit import (
    corporate_number_check_digit,
    corporate_number_valid,
    lg_code_check_digit,
    lg_code_valid,
    mod11_w2_7_check_digit,
    mod11_w2_7_valid,
    my_number_check_digit,
    my_number_valid,
)
from migrate.errors import ConfigError, UsageError
from migrate.i18n import t
from migrate.standard.loader import SpecRegistry
from migrate.standard.model import (
    Charset,
    CheckDigit,
    Condition,
    DateRule,
    Entity,
    Item,
    ItemType,
    LengthUnit,
    Required,
    Rule,
    Spec,
)

# Real codes (migrate/data/lg-codes.csv): a fictional code would be `lg-code-unknown`
LG_CODE = "131016"  # 東京都千代田区
OTHER_LG_CODES = ["011002", "141003", "271004", "012025"]  # 札幌市, 横浜市, 大阪市, 函館市
MY_NUMBER_PREFIX = "000"
SEI = ["見本", "試験", "例示", "仮野", "架空"]
SEI_KANA = ["ミホン", "シケン", "レイジ", "カリノ", "カクウ"]
MEI = ["太郎", "花子", "一郎", "桜子", "次郎"]
MEI_KANA = ["タロウ", "ハナコ", "イチロウ", "サクラコ", "ジロウ"]
CHO = ["緑町", "若葉台", "桜丘", "中央", "本町"]
KANJI_DIGITS = "一二三四五六七八九"
ZEN_DIGITS = "０１２３４５６７８９"
HAN_KANA = {"ミホン": "ﾐﾎﾝ", "シケン": "ｼｹﾝ", "レイジ": "ﾚｲｼﾞ", "カリノ": "ｶﾘﾉ", "カクウ": "ｶｸｳ"}
TRUTH_SUFFIX = ".truth.json"

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}")
LENIENT_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$")
YEAR_RE = re.compile(r"^\d{4}$")
DATE_SENTINELS = ("0000-01-01", "9999-12-31")


class SampleError(ConfigError):
    """The spec cannot be satisfied (or a pattern cannot be generated): exit 3, naming the item."""


# ---------------------------------------------------------------------------------------------------
# A pure-Python mirror of the checks compile.py declares (value, required, condition and rule scope)


def _py_regex(pattern: str) -> re.Pattern[str]:
    """Rust `regex` `\\x{HEX}` escapes as Python understands them."""
    return re.compile(re.sub(r"\\x\{([0-9A-Fa-f]+)\}", lambda m: f"\\U{int(m.group(1), 16):08X}", pattern))


@cache
def _charset_res() -> dict[str, re.Pattern[str]]:
    from migrate.checks import charset as cs

    return {
        "kana": _py_regex(cs.ZENKAKU_KANA),
        "hankaku": _py_regex(cs.HANKAKU),
        "half": _py_regex(cs.HALF_WIDTH_CHAR),
        "pua": _py_regex(cs.PUA),
    }


@cache
def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def present(v: str | None) -> bool:
    return v is not None and v.strip(" \u3000") != ""


def _is_date(v: str) -> bool:
    try:
        dt.date.fromisoformat(v)
    except ValueError:
        return False
    return True


def _cp932_len(v: str) -> int:
    return len(v.encode("cp932", errors="replace"))


@dataclass
class Mirror:
    """The findings the validator would report on one row, computed in Python."""

    spec: Spec
    entity: Entity
    registry: SpecRegistry
    pools: dict[str, set[str]] = field(default_factory=dict)  # item -> reference values (given refs)

    def value_codes(self, it: Item, v: str) -> set[str]:
        """Codes of the value-scope checks failing on a present value v of item it."""
        from migrate.checks import charset as cs

        bad: set[str] = set()
        if it.type == ItemType.integer or it.type == ItemType.decimal:
            sign = "" if it.unsigned else "[+-]?"
            whole = rf"\d{{1,{it.integer_digits}}}" if it.integer_digits else r"\d+"
            if it.type == ItemType.integer:
                if not _re(rf"^{sign}{whole}$").search(v):
                    bad.add("type-integer")
            else:
                frac = rf"(\.\d{{1,{it.scale}}})?" if it.scale is not None else r"(\.\d+)?"
                if not _re(rf"^{sign}{whole}{frac}$").search(v):
                    bad.add("type-decimal")
        elif it.type == ItemType.flag and v not in ("0", "1"):
            bad.add("flag-invalid")
        elif it.type == ItemType.date:
            if it.effective_date_rule == DateRule.calendar:
                ok = bool(ISO_DATE.search(v)) and (_is_date(v) or v in DATE_SENTINELS)
            else:
                from migrate.wareki import FUSHO_RE

                ok = bool(LENIENT_DATE.search(v)) or bool(FUSHO_RE.search(v))
            if not ok:
                bad.add("date-invalid")
        elif it.type == ItemType.datetime:
            norm = v.replace(" ", "T")
            if not (DATETIME.search(norm) and _is_date(norm[:10])):
                bad.add("datetime-invalid")
        elif it.type == ItemType.time and not TIME_RE.search(v):
            bad.add("time-invalid")
        elif it.type == ItemType.year and not YEAR_RE.search(v):
            bad.add("year-invalid")
        if it.max_length is not None:
            if self.spec.length_unit_of(it) == LengthUnit.cp932_bytes:
                if _cp932_len(v) > it.max_length:
                    bad.add("byte-length-exceeded")
            elif len(v) > it.max_length:
                bad.add("length-exceeded")
        if it.min_length and len(v) < it.min_length:
            bad.add("length-short")
        if it.code_table:
            table = self.registry.code_table(it.code_table)
            if v not in table.values and not (table.pattern and _re(table.pattern).search(v)):
                bad.add("code-invalid")
        if it.pattern and not _re(it.pattern).search(v):
            bad.add("pattern-mismatch")
        if it.range is not None:
            try:
                num = float(v)
            except ValueError:
                num = None
            if num is not None and (
                (it.range.min is not None and num < it.range.min)
                or (it.range.max is not None and num > it.range.max)
            ):
                bad.add("out-of-range")
        res = _charset_res()
        if it.charset == Charset.zenkaku_kana and not res["kana"].search(v):
            bad.add("charset-zenkaku-kana")
        elif it.charset == Charset.hankaku_digits and not re.search(r"^[0-9]*$", v):
            bad.add("charset-hankaku-digits")
        elif it.charset == Charset.hankaku_alnum and not re.search(r"^[\x20-\x7E]*$", v):
            bad.add("charset-hankaku-alnum")
        elif it.charset == Charset.hankaku and not res["hankaku"].search(v):
            bad.add("charset-hankaku")
        if it.charset == Charset.zenkaku and res["half"].search(v):
            bad.add("charset-zenkaku")
        if it.charset == Charset.jisx0213 and cs.jis_repertoire().outside(v):
            bad.add("charset-outside-jis")
        elif it.charset in (Charset.gyosei, Charset.zenkaku) and cs.mj_repertoire().outside(v):
            bad.add("charset-outside-mj")
        if (it.type in (ItemType.string, ItemType.code) or it.charset is not None) and res["pua"].search(v):
            bad.add("gaiji-private-use")
        if it.check_digit is not None:
            bad |= self._check_digit(it, v)
        if it.id in self.pools and v not in self.pools[it.id]:
            bad.add("reference-missing")
        return bad

    def _check_digit(self, it: Item, v: str) -> set[str]:
        from migrate.checks.check_digit import official_lg_codes

        cdg = it.check_digit
        if cdg is None:
            return set()
        if cdg == CheckDigit.mod11_w2_7:
            width = min(it.max_length or 15, 18)
            if re.fullmatch(rf"\d{{2,{width}}}", v) and not mod11_w2_7_valid(v):
                return {"check-digit-invalid"}
            return set()
        width = {CheckDigit.my_number: 12, CheckDigit.corporate_number: 13, CheckDigit.lg_code: 6}[cdg]
        if not re.fullmatch(rf"\d{{{width}}}", v):
            return set()
        valid = {
            CheckDigit.my_number: my_number_valid,
            CheckDigit.corporate_number: corporate_number_valid,
            CheckDigit.lg_code: lg_code_valid,
        }[cdg](v)
        if not valid:
            return {"check-digit-invalid"}
        if cdg == CheckDigit.lg_code and v not in official_lg_codes():
            return {"lg-code-unknown"}
        return set()

    def row_findings(self, row: dict[str, str]) -> set[tuple[str, str, str]]:
        """(item, code, rule id or "") of every finding on the row: two broken rules are two findings."""
        out: set[tuple[str, str, str]] = set()
        for it in self.entity.items:
            v = row.get(it.id, "")
            if it.required == Required.required and not present(v):
                out.add((it.id, "required-missing", ""))
            elif it.required_when is not None and holds(it.required_when, row) and not present(v):
                out.add((it.id, "conditional-required-missing", ""))
            if present(v):
                out |= {(it.id, c, "") for c in self.value_codes(it, v)}
        for rule in self.entity.rules:
            if not rule_ok(rule, self.entity, row):
                out.add((rule.left, "rule-violated", rule.id))
        return out


def holds(cond: Condition, row: dict[str, str]) -> bool:
    v = row.get(cond.item, "")
    if cond.equals is not None:
        return v == cond.equals
    if cond.in_ is not None:
        return v in cond.in_
    return present(v) if cond.present else not present(v)


def _num(v: str) -> float | None:
    try:
        return float(v)
    except ValueError:
        return None


def rule_ok(rule: Rule, entity: Entity, row: dict[str, str]) -> bool:
    """As compile.py: both sides present, compared as numbers (both numeric items) or ISO text."""
    a, b = row.get(rule.left, ""), row.get(rule.right, "")
    if not (present(a) and present(b)):
        return True
    numeric = {entity.item(rule.left).type, entity.item(rule.right).type} <= {
        ItemType.integer,
        ItemType.decimal,
    }
    x: Any
    y: Any
    if numeric:
        x, y = _num(a), _num(b)
    else:
        x = a if ISO_PREFIX.search(a) else None
        y = b if ISO_PREFIX.search(b) else None
    if x is None or y is None:
        return True
    return bool(
        {
            "<": x < y,
            "<=": x <= y,
            "==": x == y,
            "!=": x != y,
            ">=": x >= y,
            ">": x > y,
        }[rule.op]
    )


# ---------------------------------------------------------------------------------------------------
# Strings from simple regular expressions (the patterns the specs use: classes, repeats, groups, |)

_PRINTABLE = [chr(c) for c in range(0x21, 0x7F)]


def from_pattern(pattern: str, rng: random.Random, item: str) -> str:
    """A string matching pattern (searched as the validator does); SampleError when unsupported."""
    try:
        parsed = sre_parse.parse(pattern)
    except re.error as exc:  # the loader already rejects these; kept for a pattern given directly
        raise SampleError(t("項目 {i} のパターンが不正です", "item {i}: invalid pattern", i=item)) from exc
    for _ in range(30):
        s = _gen(list(parsed), rng, item)
        if re.search(pattern, s):
            return s
    raise SampleError(
        t(
            "項目 {i} のパターン {p} に合う値を生成できません",
            "item {i}: cannot generate a value matching {p}",
            i=item,
            p=pattern,
        )
    )


def _unsupported(item: str, what: str) -> SampleError:
    return SampleError(
        t(
            "項目 {i} のパターンの {w} はサンプル生成に対応していません",
            "item {i}: pattern construct {w} is not supported by the sample generator",
            i=item,
            w=what,
        ),
        hint=t(
            "文字クラス・繰り返し・グループ・| だけのパターンにしてください",
            "use classes, repeats, groups and | only",
        ),
    )


def _class_chars(items: list[tuple[Any, Any]], item: str) -> tuple[list[str], bool]:
    chars: list[str] = []
    negate = False
    for op, av in items:
        name = str(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            chars.append(chr(av))
        elif name == "RANGE":
            lo, hi = av
            chars += [chr(c) for c in range(lo, min(hi, lo + 200) + 1)]
        elif name == "CATEGORY":
            cat = str(av)
            if cat == "CATEGORY_DIGIT":
                chars += list("0123456789")
            elif cat == "CATEGORY_WORD":
                chars += list("abcxyzABC0123456789_")
            elif cat == "CATEGORY_SPACE":
                chars.append(" ")
            elif cat in ("CATEGORY_NOT_DIGIT", "CATEGORY_NOT_SPACE"):
                chars += list("abcxyzABC")
            elif cat == "CATEGORY_NOT_WORD":
                chars += list("-+.")
            else:
                raise _unsupported(item, cat)
        else:
            raise _unsupported(item, name)
    return chars, negate


def _gen(parsed: list[tuple[Any, Any]], rng: random.Random, item: str) -> str:
    out: list[str] = []
    for op, av in parsed:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(av))
        elif name == "NOT_LITERAL":
            out.append(rng.choice([c for c in "0123456789" if ord(c) != av]))
        elif name == "ANY":
            out.append(rng.choice("0123456789"))
        elif name == "IN":
            chars, negate = _class_chars(list(av), item)
            pool = [c for c in _PRINTABLE if c not in chars] if negate else chars
            out.append(rng.choice(pool))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            lo, hi, sub = av
            hi = min(hi, lo + 3)
            out += [_gen(list(sub), rng, item) for _ in range(rng.randint(lo, hi))]
        elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
            out.append(_gen(list(av[-1] if name == "SUBPATTERN" else av), rng, item))
        elif name == "BRANCH":
            out.append(_gen(list(rng.choice(av[1])), rng, item))
        elif name == "AT":
            continue
        else:
            raise _unsupported(item, name)
    return "".join(out)


# ---------------------------------------------------------------------------------------------------
# Values


def _mod11(body: str) -> str:
    return body + str(mod11_w2_7_check_digit(body))


def _lg(body: str) -> str:
    return body + str(lg_code_check_digit(body))


def _with_check_digit(it: Item, rng: random.Random, serial: int | None) -> str:
    cdg = it.check_digit
    if cdg == CheckDigit.my_number:
        body = MY_NUMBER_PREFIX + f"{rng.randrange(10**8):08d}"
        return body + str(my_number_check_digit(body))
    if cdg == CheckDigit.corporate_number:
        body = "9" + f"{rng.randrange(10**11):011d}" if serial is None else f"9{serial:011d}"
        return str(corporate_number_check_digit(body)) + body
    if cdg == CheckDigit.lg_code:
        return LG_CODE if "mae" not in it.id and "saki" not in it.id else rng.choice(OTHER_LG_CODES)
    width = min(it.max_length or 10, 10)
    n = 10 ** (width - 2) + (serial if serial is not None else rng.randrange(10 ** (width - 2)))
    return _mod11(str(n)[: width - 1].rjust(width - 1, "0"))


def _fit(s: str, it: Item, pad: str) -> str:
    if it.max_length is not None:
        s = s[: it.max_length]
    if it.min_length and len(s) < it.min_length:
        s = s + pad * (it.min_length - len(s))
    return s


def _kanji_num(n: int) -> str:
    return KANJI_DIGITS[(n - 1) % 9]


def _zen(n: int) -> str:
    return "".join(ZEN_DIGITS[int(c)] for c in str(n))


def _text(it: Item, rng: random.Random, person: tuple[int, int] | None = None) -> str:
    """A fictional text fitting what the item's name says it holds (person: the row's 氏 and 名)."""
    name = it.name_ja
    s, m = person or (rng.randrange(len(SEI)), rng.randrange(len(MEI)))
    kana = it.charset == Charset.zenkaku_kana or any(
        w in name for w in ("カナ", "フリガナ", "よみがな", "ヨミガナ")
    )
    if kana or "kana" in it.id or "yomigana" in it.id:
        if it.charset == Charset.hankaku:
            return HAN_KANA[SEI_KANA[s]]
        if name.startswith("氏") and not name.startswith("氏名"):
            return SEI_KANA[s]
        if name.startswith("名") and not name.startswith("名称"):
            return MEI_KANA[m]
        return SEI_KANA[s] + "\u3000" + MEI_KANA[m]
    if it.charset == Charset.hankaku:
        if any(w in name for w in ("番号", "コード", "ID", "ＩＤ")):
            return _digits(min(it.max_length or 8, 10), rng)
        return f"SAMPLE{rng.randint(1, 99)}"
    if "不詳" in name:
        return "不詳"
    if "方書" in name:
        return f"見本ハイツ{_zen(rng.randint(101, 905))}号室"
    if "番地" in name:
        return f"{_zen(rng.randint(1, 40))}番{_zen(rng.randint(1, 20))}号"
    if "都道府県" in name:
        return "架空県"
    if any(w in name for w in ("市区", "町村")):
        return "ひかり台市"
    if any(w in name for w in ("町字", "大字", "町名")):
        return f"{rng.choice(CHO)}{_kanji_num(rng.randint(1, 9))}丁目"
    if any(w in name for w in ("住所", "所在", "本籍", "居所", "地番")):
        return f"ひかり台市{rng.choice(CHO)}{_kanji_num(rng.randint(1, 9))}丁目"
    if "国籍" in name:
        return "架空国"
    if "法人" in name and ("名" in name or "商号" in name):
        return f"見本商事{_zen(rng.randint(1, 99))}株式会社"
    if (name.startswith("氏") and not name.startswith("氏名")) or name == "氏":
        return SEI[s]
    if name.startswith("名") and not name.startswith("名称"):
        return MEI[m]
    if "氏名" in name or name.endswith(("者", "人")):
        return SEI[s] + "\u3000" + MEI[m]
    if "名称" in name or name.endswith("名"):
        return f"見本{rng.choice(['施設', '事業所', '学校', '病院'])}{_zen(rng.randint(1, 9))}"
    return rng.choice(["見本", "試験用", "例示の値"])


def _digits(n: int, rng: random.Random) -> str:
    return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))


def _number(it: Item, rng: random.Random) -> str:
    digits = it.integer_digits or (it.max_length if it.max_length else None) or 6
    digits = min(digits, 9)
    lo = int(it.range.min) if it.range and it.range.min is not None else 0
    hi = int(it.range.max) if it.range and it.range.max is not None else 10 ** min(digits, 6) - 1
    hi = min(hi, 10**digits - 1)
    if it.type == ItemType.decimal and it.scale:
        whole = rng.randint(lo, max(lo, hi - 1))
        return f"{whole}.{rng.randrange(10**it.scale):0{it.scale}d}"
    return str(rng.randint(lo, max(lo, hi)))


def _date(
    rng: random.Random, lo: dt.date = dt.date(1950, 1, 1), hi: dt.date = dt.date(2024, 12, 31)
) -> dt.date:
    return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))


@dataclass(frozen=True)
class RowContext:
    """What the values of one row share: the person (氏, 名) and the date of birth."""

    person: tuple[int, int]
    born: dt.date

    @classmethod
    def draw(cls, rng: random.Random) -> RowContext:
        person = (rng.randrange(len(SEI)), rng.randrange(len(MEI)))
        return cls(person, _date(rng, dt.date(1935, 1, 1), dt.date(2015, 12, 31)))


def base_value(
    it: Item,
    registry: SpecRegistry,
    rng: random.Random,
    serial: int | None = None,
    ctx: RowContext | None = None,
) -> str:
    """A value of item it from its type; serial makes identifiers distinct row by row."""
    if it.check_digit is not None:
        return _with_check_digit(it, rng, serial)
    if "コード" in it.name_ja and any(w in it.name_ja for w in ("市区町村", "団体")) and serial is None:
        if (it.max_length or 6) >= 6 and it.type == ItemType.string:
            return LG_CODE  # a 市区町村コード without a declared check digit is still a real code
    if it.type == ItemType.code:
        table = registry.code_table(it.code_table or "")
        if table.pattern and rng.random() < 0.2:
            return from_pattern(table.pattern, rng, it.id)
        return rng.choice(table.values) if serial is None else table.values[serial % len(table.values)]
    if it.type in (ItemType.integer, ItemType.decimal):
        if serial is not None:
            lo = int(it.range.min) if it.range and it.range.min is not None else 1
            return str(lo + serial)
        return _number(it, rng)
    if it.type == ItemType.flag:
        return rng.choice("01")
    if it.type == ItemType.date:
        if ctx is None:
            return _date(rng).isoformat()
        if "生年月日" in it.name_ja or "birth" in it.id:
            return ctx.born.isoformat()
        return _date(rng, ctx.born).isoformat()  # events of a person's life come after the birth
    if it.type == ItemType.datetime:
        d = _date(rng, dt.date(2020, 1, 1))
        return f"{d.isoformat()}T{rng.randint(8, 18):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}"
    if it.type == ItemType.time:
        return f"{rng.randint(8, 18):02d}:{rng.randrange(60):02d}"
    if it.type == ItemType.year:
        return str(rng.randint(1990, 2024))
    if it.type == ItemType.blob:
        return "iVBORw0KGgo="  # the PNG signature, base64: a placeholder image
    if it.pattern:
        return from_pattern(it.pattern, rng, it.id)
    if it.charset in (Charset.hankaku_digits, Charset.hankaku_alnum) or serial is not None:
        width = min(it.max_length or 8, 10)
        width = max(width, it.min_length or 1)
        body = f"{serial + 1:0{width}d}" if serial is not None else _digits(width, rng)
        return body if it.charset != Charset.hankaku_alnum or serial is not None else "A" + body[1:]
    return _fit(
        _text(it, rng, ctx.person if ctx else None), it, "ア" if it.charset == Charset.zenkaku_kana else "見"
    )


# ---------------------------------------------------------------------------------------------------
# Rows


def _line_breaks(v: str) -> int:
    """CRLF, LF and a lone CR each end a physical line (the CSV reader reads CR-only files too)."""
    rest = v.replace("\r\n", "\n")
    return rest.count("\n") + rest.count("\r")


@dataclass(frozen=True)
class Defect:
    row: int  # 0-based data row
    item: str
    kind: str


@dataclass
class Sample:
    header: list[str]
    rows: list[list[str]]
    defects: list[Defect]

    def lines(self) -> list[int]:
        """The physical line of each data row (header = line 1; a quoted newline adds a line)."""
        out, line = [], 2
        for row in self.rows:
            out.append(line)
            line += 1 + sum(_line_breaks(v) for v in row)
        return out

    def truth(self) -> dict[str, Any]:
        lines = self.lines()
        return {
            "rows": len(self.rows),
            "defects": [{"line": lines[d.row], "item": d.item, "kind": d.kind} for d in self.defects],
        }


@dataclass
class _Gen:
    spec: Spec
    entity: Entity
    registry: SpecRegistry
    rng: random.Random
    rows: int
    refs: dict[str, list[str]]  # business/entity/item -> values of a --ref file
    encoding: str = "utf-8"
    mirror: Mirror = field(init=False)
    serial_items: set[str] = field(init=False)
    order: list[Item] = field(init=False)
    ctx: RowContext | None = field(init=False, default=None)
    _choices: dict[str, list[str]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        pools = {
            it.id: set(self.refs[it.references])
            for it in self.entity.items
            if it.references and it.references in self.refs
        }
        self.mirror = Mirror(self.spec, self.entity, self.registry, pools)
        keys = [self.entity.primary_key, *self.entity.unique]
        self.serial_items = {k[0] for k in keys if len(k) == 1}
        # a free text or number inside a composite key is numbered too, so keys stay distinct
        self.serial_items |= {
            c
            for k in keys
            if len(k) > 1
            for c in k
            if self.entity.item(c).type == ItemType.string and not self.entity.item(c).references
        }
        self.order = _dependency_order(self.entity)

    # -- values ---------------------------------------------------------------------------------

    def where(self, it: Item) -> str:
        return f"{self.spec.key}/{self.entity.id}/{it.id}"

    def ref_value(self, it: Item, serial: int | None) -> str | None:
        """A value of a referencing item: from the --ref file, else as the referenced item's rows are made."""
        assert it.references is not None
        values = self.ref_choices(it)
        if values is not None:
            if not values:
                raise UsageError(
                    t(
                        "参照ファイルに {i} が使える値がありません ({r})",
                        "the reference file has no value {i} can take ({r})",
                        i=self.where(it),
                        r=it.references,
                    ),
                    hint=t(
                        "--ref には欠陥のないサンプルか抽出を指定してください",
                        "give --ref a clean sample or extract",
                    ),
                )
            if serial is None:
                return self.rng.choice(values)
            if serial >= len(values):
                raise UsageError(
                    t(
                        "{i} は一意ですが、参照ファイルの値は {n} 件しかありません",
                        "{i} is unique but the reference file has only {n} values",
                        i=self.where(it),
                        n=len(values),
                    ),
                    hint=t("--rows を減らしてください", "use fewer --rows"),
                )
            return values[serial]
        return self.target_value(
            it.references, serial if serial is not None else self.rng.randrange(self.rows)
        )

    def ref_choices(self, it: Item) -> list[str] | None:
        """The --ref file's values this item may take (a defective reference file's bad values left out)."""
        if it.references not in self.refs:
            return None
        if it.id not in self._choices:
            good = [v for v in self.refs[it.references or ""] if not self.mirror.value_codes(it, v)]
            self._choices[it.id] = good
        return self._choices[it.id]

    def target_value(self, ref: str, j: int) -> str | None:
        """The value row j of the referenced entity gets when generated (identifiers are by row)."""
        b, e, i = ref.split("/")
        try:
            spec = self.spec if b == self.spec.business.id else self.registry.latest(b)
            ent = spec.entity(e)
            target = ent.item(i)
        except KeyError:
            return None
        keys = [ent.primary_key, *ent.unique]
        if not any(k == [i] for k in keys):
            return None
        if target.references and target.references != ref:
            return self.target_value(target.references, j)
        return base_value(target, self.registry, random.Random(0), serial=j)

    def value(self, it: Item, i: int) -> str:
        serial = i if it.id in self.serial_items else None
        ok = self.mirror.value_codes
        bad: set[str] = set()
        for attempt in range(40):
            v: str | None = None
            if it.references and (attempt == 0 or it.references in self.refs):
                v = self.ref_value(it, serial)
            if v is None:
                s = serial if serial is None or attempt == 0 else serial + attempt * self.rows
                v = base_value(it, self.registry, self.rng, s, self.ctx)
            bad = ok(it, v)
            if not bad:
                return v
            if "byte-length-exceeded" in bad and it.max_length and not it.references:
                while v and _cp932_len(v) > it.max_length:  # 桁数 in CP932 bytes: cut whole characters
                    v = v[:-1]
                bad = ok(it, v)
                if not bad:
                    return v
            if it.pattern and "pattern-mismatch" in bad and not it.references:
                v = from_pattern(it.pattern, self.rng, it.id)
                bad = ok(it, v)
                if not bad:
                    return v
        raise SampleError(
            t(
                "{i} に仕様を満たす値を生成できません ({c})",
                "{i}: no value satisfies the spec ({c})",
                i=self.where(it),
                c=", ".join(sorted(bad)),
            ),
            path=self.registry.files.get(self.spec.key),
            hint=t(
                "型・桁数・パターン・文字種・コード表が矛盾していないか確認してください",
                "check that type, length, pattern, charset and code table agree",
            ),
        )

    # -- rows -----------------------------------------------------------------------------------

    def row(self, i: int) -> dict[str, str]:
        """A candidate clean row: items in dependency order, each present as its required level says."""
        self.ctx = RowContext.draw(self.rng)
        row: dict[str, str] = {}
        for it in self.order:
            if it.required == Required.required:
                want = True
            elif it.required_when is not None:
                want = holds(it.required_when, row)
            elif it.required == Required.conditional:
                want = self.rng.random() < 0.5
            elif it.id in self.serial_items:
                want = True
            else:
                want = self.rng.random() < 0.75
            row[it.id] = self.value(it, i) if want else ""
        self.fix_rules(row, set())
        return row

    def fix_rules(self, row: dict[str, str], frozen: set[str]) -> None:
        for _ in range(4):
            broken = [r for r in self.entity.rules if not rule_ok(r, self.entity, row)]
            if not broken:
                return
            for rule in broken:
                small, big = (
                    (rule.left, rule.right) if rule.op in ("<", "<=", "==") else (rule.right, rule.left)
                )
                if rule.op == "!=":
                    continue
                strict = rule.op in ("<", ">")
                target = big if big not in frozen else small
                if target in frozen:
                    continue
                row[target] = self._shift(row, small, big, target, strict, rule.op == "==")

    def _shift(
        self, row: dict[str, str], small: str, big: str, target: str, strict: bool, equal: bool
    ) -> str:
        it = self.entity.item(target)
        other = row[small] if target == big else row[big]
        if equal:
            return other
        sign = 1 if target == big else -1
        if it.type in (ItemType.integer, ItemType.decimal):
            base = float(other)
            step = self.rng.randint(1 if strict else 0, 3)
            val = base + sign * step
            if it.type == ItemType.integer or not it.scale:
                return str(int(val))
            return f"{val:.{it.scale}f}"
        if ISO_PREFIX.search(other):
            d = dt.date.fromisoformat(other[:10]) + dt.timedelta(
                days=sign * self.rng.randint(1 if strict else 0, 400)
            )
            if it.type == ItemType.datetime:
                return d.isoformat() + "T10:00:00"
            return d.isoformat()
        return row[target]

    def clean_row(self, i: int, seen: list[set[tuple[str, ...]]]) -> dict[str, str]:
        problems: set[tuple[str, str, str]] = set()
        for _ in range(60):
            row = self.row(i)
            problems = self.mirror.row_findings(row)
            if not problems and self.keys_free(row, seen):
                return row
        what = ", ".join(f"{a} {c}" for a, c, _ in sorted(problems)) or t("キーの重複", "duplicate keys")
        raise SampleError(
            t(
                "{s}/{e} の行を仕様どおりに生成できません: {w}",
                "{s}/{e}: cannot generate a row satisfying the spec: {w}",
                s=self.spec.key,
                e=self.entity.id,
                w=what,
            ),
            path=self.registry.files.get(self.spec.key),
            hint=t(
                "条件・ルール・値の制約が両立するか確認してください",
                "check that conditions, rules and value constraints can all hold",
            ),
        )

    def key_sets(self) -> list[list[str]]:
        return [k for k in [self.entity.primary_key, *self.entity.unique] if k]

    def keys_free(self, row: dict[str, str], seen: list[set[tuple[str, ...]]]) -> bool:
        for cols, done in zip(self.key_sets(), seen, strict=True):
            key = tuple(row[c] for c in cols)
            if all(present(v) for v in key) and key in done:
                return False
        return True

    def remember(self, row: dict[str, str], seen: list[set[tuple[str, ...]]]) -> None:
        for cols, done in zip(self.key_sets(), seen, strict=True):
            key = tuple(row[c] for c in cols)
            if all(present(v) for v in key):
                done.add(key)

    # -- defects --------------------------------------------------------------------------------

    def candidates(
        self, clean: dict[str, str], done: list[dict[str, str]]
    ) -> dict[str, list[Callable[[], tuple[str, dict[str, str]] | None]]]:
        """kind -> ways of making this row carry exactly that one defect (each returns item, fixed)."""
        out: dict[str, list[Callable[[], tuple[str, dict[str, str]] | None]]] = {}

        def add(kind: str, fn: Callable[[], tuple[str, dict[str, str]] | None]) -> None:
            out.setdefault(kind, []).append(fn)

        for it in self.entity.items:
            v = clean.get(it.id, "")
            if it.required == Required.required:
                add("required-missing", partial(self._set, it.id, ""))
            if it.required_when is not None:
                add("conditional-required-missing", partial(self._cond_missing, it))
            for kind, bad in self._bad_values(it, v):
                add(kind, partial(self._set, it.id, bad))
        for cols, kind in [
            (self.entity.primary_key, "key-duplicate"),
            *[(u, "unique-duplicate") for u in self.entity.unique],
        ]:
            if cols and done:
                add(kind, partial(self._duplicate, cols, done))
        for rule in self.entity.rules:
            add("rule-violated", partial(self._violate, rule, clean))
        return out

    @staticmethod
    def _set(item: str, value: str) -> tuple[str, dict[str, str]] | None:
        return item, {item: value}

    def _cond_missing(self, it: Item) -> tuple[str, dict[str, str]] | None:
        w = it.required_when
        assert w is not None
        cond_item = self.entity.item(w.item)
        if w.equals is not None or w.in_ is not None:
            options = [w.equals] if w.equals is not None else list(w.in_ or [])
            options = [o for o in options if o is not None and not self.mirror.value_codes(cond_item, o)]
            if not options:
                return None
            return it.id, {w.item: self.rng.choice(options), it.id: ""}
        if w.present:
            return it.id, {w.item: self.value(cond_item, 0), it.id: ""}
        if cond_item.required == Required.required:
            return None
        return it.id, {w.item: "", it.id: ""}

    def _bad_values(self, it: Item, v: str) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        if it.type == ItemType.blob:
            return out
        base = v if present(v) else self.value(it, 0)
        if it.max_length is not None:
            pad = base[-1] if base else "1"
            if self.spec.length_unit_of(it) == LengthUnit.cp932_bytes:
                # within the characters, beyond the bytes: full-width characters take two in CP932
                over = base + pad * max(0, it.max_length + 1 - _cp932_len(base))
                out.append(("byte-length-exceeded", over))
                out.append(("byte-length-exceeded", "見" * (it.max_length // 2 + 1)))
            else:
                out.append(("length-exceeded", base + pad * (it.max_length + 1 - len(base))))
                out.append(("length-exceeded", "1" * (it.max_length + 1)))
        if it.min_length and it.min_length > 1:
            out.append(("length-short", base[: it.min_length - 1]))
        if it.code_table:
            out += [("code-invalid", c) for c in ("Z9", "99", "ZZ", "9", "999", "X")]
        if it.pattern:
            out += [
                ("pattern-mismatch", c)
                for c in (base[:-1] + "A", "A" + base[1:], base[:-1] + "-", "-" + base[1:])
            ]
        t_ = it.type
        if t_ == ItemType.date:
            out += [("date-invalid", c) for c in ("2021/04/01", "2021-02-30", "2021-13-01", "20210401")]
        elif t_ == ItemType.datetime:
            out += [("datetime-invalid", c) for c in ("2024/04/01 10:00", "2024-02-30T10:00:00")]
        elif t_ == ItemType.time:
            out += [("time-invalid", c) for c in ("25:00", "9:5")]
        elif t_ == ItemType.year:
            out += [("year-invalid", c) for c in ("20X1", "202")]
        elif t_ == ItemType.flag:
            out += [("flag-invalid", c) for c in ("2", "Y")]
        elif t_ == ItemType.integer:
            out += [("type-integer", c) for c in ("1.5", "1a", "１２")]
        elif t_ == ItemType.decimal:
            out += [("type-decimal", c) for c in ("1.2.3", "1a", "１２")]
        if it.range is not None and t_ in (ItemType.integer, ItemType.decimal):
            if it.range.max is not None:
                out.append(("out-of-range", str(int(it.range.max) + 1)))
            if it.range.min is not None:
                out.append(("out-of-range", str(int(it.range.min) - 1)))
        cs_ = it.charset
        if cs_ == Charset.zenkaku_kana:
            out += [("charset-zenkaku-kana", c) for c in (base[:-1] + "ｱ", base[:-1] + "あ")]
        elif cs_ == Charset.hankaku_digits:
            out += [("charset-hankaku-digits", c) for c in (base[:-1] + "A", base[:-1] + "１")]
        elif cs_ == Charset.hankaku_alnum:
            out += [("charset-hankaku-alnum", c) for c in (base[:-1] + "Ａ", "Ａ" + base[1:])]
        elif cs_ == Charset.hankaku:
            out += [("charset-hankaku", c) for c in (base[:-1] + "あ", "あ" + base[1:])]
        if cs_ == Charset.zenkaku:
            out += [("charset-zenkaku", c) for c in (base[:-1] + "A", "A" + base[1:])]
        if cs_ == Charset.jisx0213:
            out += [("charset-outside-jis", base[:-1] + "가")]
        elif cs_ in (Charset.gyosei, Charset.zenkaku):
            out += [("charset-outside-mj", base[:-1] + "가")]
        if t_ in (ItemType.string, ItemType.code) or cs_ is not None:
            out += [("gaiji-private-use", c) for c in (base[:-1] + "\ue000", "\ue000" + base[1:])]
        if it.check_digit is not None and present(base):
            if it.check_digit == CheckDigit.corporate_number:
                out.append(("check-digit-invalid", str((int(base[0]) + 1) % 10) + base[1:]))
            elif base[-1:].isdigit():
                out.append(("check-digit-invalid", base[:-1] + str((int(base[-1]) + 1) % 10)))
            if it.check_digit == CheckDigit.lg_code:
                out.append(("lg-code-unknown", _lg("99201")))  # ひかり台市: prefecture 99 does not exist
        if it.id in self.mirror.pools:
            pool = self.mirror.pools[it.id]
            for k in range(5):
                cand = base_value(it, self.registry, self.rng, serial=900000 + k * 7919)
                if cand not in pool:
                    out.append(("reference-missing", cand))
                    break
        return out

    def _duplicate(self, cols: list[str], done: list[dict[str, str]]) -> tuple[str, dict[str, str]] | None:
        for _ in range(20):  # a few earlier rows at random: a full shuffle per defect is quadratic
            prev = done[self.rng.randrange(len(done))]
            if all(present(prev.get(c, "")) for c in cols):
                return cols[0], {c: prev[c] for c in cols}
        return None

    def _violate(self, rule: Rule, clean: dict[str, str]) -> tuple[str, dict[str, str]] | None:
        a, b = clean.get(rule.left, ""), clean.get(rule.right, "")
        if not (present(a) and present(b)):
            return None
        li = self.entity.item(rule.left)
        if rule.op in ("==",):
            return None
        if li.type in (ItemType.integer, ItemType.decimal):
            rv = _num(b)
            if rv is None:
                return None
            left = {"<": rv + 1, "<=": rv + 1, ">": rv - 1, ">=": rv - 1, "!=": rv}[rule.op]
            text = str(int(left)) if li.type == ItemType.integer else f"{left:.{li.scale or 0}f}"
            return rule.left, {rule.left: text}
        if not ISO_PREFIX.search(b):
            return None
        d = dt.date.fromisoformat(b[:10])
        delta = {"<": 1, "<=": 1, ">": -1, ">=": -1, "!=": 0}[rule.op]
        nd = (d + dt.timedelta(days=delta * self.rng.randint(1, 30) if delta else 0)).isoformat()
        if li.type == ItemType.datetime:
            nd += b[10:] if rule.op == "!=" else "T10:00:00"
        return rule.left, {rule.left: nd}

    def defect_row(
        self,
        i: int,
        k: int,
        clean: dict[str, str],
        done: list[dict[str, str]],
        seen: list[set[tuple[str, ...]]],
    ) -> tuple[dict[str, str], str, str] | None:
        """A row with exactly one defect, the k-th defect of the sample (kinds taken in turn)."""
        cands = self.candidates(clean, done)
        kinds = sorted(cands)
        if not kinds:
            return None
        start = k % len(kinds)
        for kind in kinds[start:] + kinds[:start]:
            fns = cands[kind][:]
            self.rng.shuffle(fns)
            for fn in [f for f in fns for _ in range(3)]:
                made = fn()
                if made is None:
                    continue
                item, fixed = made
                row = dict(clean)
                row.update(fixed)
                # values a condition now requires, or no longer allows, follow the forced ones
                row = self._refill(row, set(fixed), i)
                if not self._encodable(row):
                    continue
                found = {(a, c) for a, c, _ in self.mirror.row_findings(row)} | self._dups(row, seen)
                if found != {(item, kind)} or len(self.mirror.row_findings(row)) > 1:
                    continue
                return row, item, kind
        return None

    def _refill(self, row: dict[str, str], fixed: set[str], i: int) -> dict[str, str]:
        refilled: set[str] = set()
        for it in self.order:
            if it.id in fixed or it.required_when is None:
                continue
            need = holds(it.required_when, row)
            if need and not present(row[it.id]):
                row[it.id] = self.value(it, i)
                refilled.add(it.id)
            elif not need and present(row[it.id]):
                row[it.id] = ""
        if refilled:  # only a value made here may move to satisfy a rule
            self.fix_rules(row, set(row) - refilled)
        return row

    def _encodable(self, row: dict[str, str]) -> bool:
        try:
            "".join(row.values()).encode(self.encoding)
        except UnicodeEncodeError:
            return False
        return True

    def _dups(self, row: dict[str, str], seen: list[set[tuple[str, ...]]]) -> set[tuple[str, str]]:
        out = set()
        kinds = ["key-duplicate"] * bool(self.entity.primary_key) + ["unique-duplicate"] * len(
            self.entity.unique
        )
        for cols, done, kind in zip(self.key_sets(), seen, kinds, strict=True):
            key = tuple(row[c] for c in cols)
            if all(present(v) for v in key) and key in done:
                out.add((cols[0], kind))
        return out


def _dependency_order(entity: Entity) -> list[Item]:
    """Items in file order, except that an item comes after the item its condition reads."""
    done: list[Item] = []
    placed: set[str] = set()

    def place(it: Item, stack: tuple[str, ...] = ()) -> None:
        if it.id in placed or it.id in stack:
            return
        if it.required_when is not None:
            place(entity.item(it.required_when.item), (*stack, it.id))
        placed.add(it.id)
        done.append(it)

    for it in entity.items:
        place(it)
    return done


def generate(
    spec: Spec,
    entity: Entity,
    registry: SpecRegistry,
    *,
    rows: int = 50,
    seed: int = 0,
    defect_rate: float = 0.0,
    refs: dict[str, list[str]] | None = None,
    encoding: str = "utf-8",
    header: str = "id",
) -> Sample:
    """A sample of rows rows; with defect_rate, that share of rows carries exactly one known defect."""
    if rows < 1:
        raise UsageError(t("--rows は 1 以上です", "--rows must be at least 1"))
    if not 0.0 <= defect_rate <= 1.0:
        raise UsageError(t("--defects は 0 から 1 の割合です", "--defects is a rate between 0 and 1"))
    rng = random.Random(f"{spec.key}/{entity.id}/{seed}")
    gen = _Gen(spec, entity, registry, rng, rows, dict(refs or {}), encoding)
    n_defects = round(rows * defect_rate)
    defective = set(random.Random(f"defects/{seed}").sample(range(rows), n_defects)) if n_defects else set()
    defect_rng = random.Random(f"{spec.key}/{entity.id}/{seed}/defects")
    key_items = sorted({c for cols in gen.key_sets() for c in cols})
    seen: list[set[tuple[str, ...]]] = [set() for _ in gen.key_sets()]
    done: list[dict[str, str]] = []
    defects: list[Defect] = []
    out: list[list[str]] = []
    for i in range(rows):
        row = gen.clean_row(i, seen)
        if i in defective:
            # defects draw from their own generator: every other row is the clean sample's row
            clean_rng, gen.rng = gen.rng, defect_rng
            try:
                made = gen.defect_row(i, len(defects), row, done, seen)
            finally:
                gen.rng = clean_rng
            if made is not None:
                row, item, kind = made
                defects.append(Defect(i, item, kind))
        gen.remember(row, seen)
        done.append({c: row[c] for c in key_items})  # what a later key duplicate copies
        out.append([row[c] for c in entity.item_ids])
    return Sample(header=header_names(entity, header), rows=out, defects=defects)


HEADER_FORMS = ("id", "name", "romaji")


def header_names(entity: Entity, form: str = "id") -> list[str]:
    """The header row: item ids, データ項目 names (name_ja) or ローマ字 names (the id where none is given).

    Each form is one the validator reads without a mapping (mapping/apply.py:plan_mapping)."""
    if form not in HEADER_FORMS:
        raise UsageError(t("--header は id / name / romaji です", "--header is id, name or romaji"))
    if form == "name":
        names = [it.name_ja for it in entity.items]
    elif form == "romaji":
        names = [it.romaji or it.id for it in entity.items]
    else:
        names = list(entity.item_ids)
    if len(set(names)) != len(names):
        raise UsageError(
            t(
                "{e} には同じ{f}の項目があります: 見出しが一意になりません",
                "{e}: two items share a {f}, the header would not be unique",
                e=entity.id,
                f=form,
            ),
            hint=t("--header id を使ってください", "use --header id"),
        )
    return names


def _csv_field(v: str) -> str:
    if any(c in v for c in ',"\r\n'):
        return '"' + v.replace('"', '""') + '"'
    return v


def write_sample(
    sample: Sample, path: str | Path, *, encoding: str = "utf-8", truth: bool | None = None
) -> Path:
    """Write the CSV (CRLF line ends) atomically and FILE.truth.json beside it (truth: default when it
    carries defects; the CLI writes one whenever --defects is given, an empty list included)."""
    from migrate.atomic import write_text, write_with

    text = "".join(",".join(_csv_field(v) for v in r) + "\r\n" for r in [sample.header, *sample.rows])
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError as exc:
        raise UsageError(
            t(
                "{e} で表せない文字があります: {c}",
                "a character cannot be written in {e}: {c}",
                e=encoding,
                c=f"U+{ord(exc.object[exc.start]):04X}",
            ),
            hint=t("--encoding utf-8 を使ってください", "use --encoding utf-8"),
        ) from None
    out = Path(path)
    write_with(out, partial(_write_bytes, data=data))
    truth_file = truth_path(out)
    if truth if truth is not None else bool(sample.defects):
        write_text(truth_file, json.dumps(sample.truth(), ensure_ascii=False, indent=2) + "\n")
    return out


def _write_bytes(tmp: Path, data: bytes) -> None:
    tmp.write_bytes(data)


def truth_path(path: str | Path) -> Path:
    p = Path(path)
    return p.with_name(p.name + TRUTH_SUFFIX)


def load_ref_values(targets: list[tuple[str, Path]], registry: SpecRegistry) -> dict[str, list[str]]:
    """business/entity/item -> the distinct values of each --ref file (sorted: deterministic draws)."""
    from migrate.validate.run import load_refs

    refs = load_refs([(target, path, None) for target, path in targets], registry)
    return {
        key: sorted(str(v) for v in series.to_list() if v is not None and present(str(v)))
        for key, series in refs.items()
    }
