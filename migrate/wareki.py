"""和暦 (Japanese era dates) ↔ 西暦: parsing legacy forms, era boundaries, 年度 (fiscal year)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Era:
    code: str  # common legacy 年号コード (1 明治 … 5 令和; to confirm per source system)
    letter: str
    name: str
    start: dt.date
    end: dt.date | None  # last day, inclusive

    @property
    def offset(self) -> int:
        """西暦 = 和暦年 + offset."""
        return self.start.year - 1


# 明治's start as used for date conversion (1868-01-25, per the domain notes).
ERAS: tuple[Era, ...] = (
    Era("1", "M", "明治", dt.date(1868, 1, 25), dt.date(1912, 7, 29)),
    Era("2", "T", "大正", dt.date(1912, 7, 30), dt.date(1926, 12, 24)),
    Era("3", "S", "昭和", dt.date(1926, 12, 25), dt.date(1989, 1, 7)),
    Era("4", "H", "平成", dt.date(1989, 1, 8), dt.date(2019, 4, 30)),
    Era("5", "R", "令和", dt.date(2019, 5, 1), None),
)
BY_LETTER = {e.letter: e for e in ERAS}
BY_NAME = {e.name: e for e in ERAS}
BY_CODE = {e.code: e for e in ERAS}

_SEP = r"[.\-/・．／－\s]"
_LETTER_RE = re.compile(rf"^([MTSHR])\s*(\d{{1,2}}|元){_SEP}?(\d{{1,2}}){_SEP}?(\d{{1,2}})$", re.IGNORECASE)
_KANJI_RE = re.compile(r"^(明治|大正|昭和|平成|令和)\s*(\d{1,2}|元)年\s*(\d{1,2})月\s*(\d{1,2})日$")
_CODE7_RE = re.compile(r"^([1-5])(\d{2})(\d{2})(\d{2})$")
_ISO_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


@dataclass(frozen=True)
class ParsedDate:
    """A parsed legacy date: the Y/M/D it denotes and whether that day exists within its era."""

    year: int
    month: int
    day: int
    era: Era | None  # None for 西暦 input

    @property
    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @property
    def on_calendar(self) -> bool:
        try:
            dt.date(self.year, self.month, self.day)
        except ValueError:
            return False
        return True

    @property
    def in_era(self) -> bool:
        if self.era is None or not self.on_calendar:
            return self.era is None
        d = dt.date(self.year, self.month, self.day)
        return d >= self.era.start and (self.era.end is None or d <= self.era.end)

    @property
    def valid(self) -> bool:
        """A calendar date that existed in the era it is written in (H31.05.01, S64.01.08 are not)."""
        return self.on_calendar and self.in_era

    @property
    def plausible(self) -> bool:
        """Month 1-12 and day 1-31: what a lenient (住民記録 生年月日) item accepts even when not on the calendar."""
        return 1 <= self.month <= 12 and 1 <= self.day <= 31


def _era_year(era: Era, y: str) -> int:
    n = 1 if y == "元" else int(y)
    return era.offset + n


def parse(value: str) -> ParsedDate | None:
    """Parse 和暦 (S45.04.01, 昭和45年4月1日, H元.1.8, 3450401) or 西暦 (1970-04-01, 19700401) forms."""
    s = unicodedata.normalize("NFKC", value).strip()
    if not s:
        return None
    m = _LETTER_RE.match(s)
    if m:
        era = BY_LETTER[m.group(1).upper()]
        if m.group(2) != "元" and int(m.group(2)) == 0:
            return None
        return ParsedDate(_era_year(era, m.group(2)), int(m.group(3)), int(m.group(4)), era)
    m = _KANJI_RE.match(s)
    if m:
        era = BY_NAME[m.group(1)]
        if m.group(2) != "元" and int(m.group(2)) == 0:
            return None
        return ParsedDate(_era_year(era, m.group(2)), int(m.group(3)), int(m.group(4)), era)
    m = _COMPACT_RE.match(s)
    if m:
        return ParsedDate(int(m.group(1)), int(m.group(2)), int(m.group(3)), None)
    m = _CODE7_RE.match(s)
    if m:
        era = BY_CODE[m.group(1)]
        if int(m.group(2)) == 0:
            return None
        return ParsedDate(era.offset + int(m.group(2)), int(m.group(3)), int(m.group(4)), era)
    m = _ISO_RE.match(s)
    if m:
        return ParsedDate(int(m.group(1)), int(m.group(2)), int(m.group(3)), None)
    return None


def era_of(d: dt.date) -> Era:
    for era in reversed(ERAS):
        if d >= era.start:
            return era
    raise ValueError(f"{d} is before 明治")


def to_wareki(d: dt.date, style: str = "kanji") -> str:
    """西暦 date → 和暦 text: 令和7年3月31日 (kanji) or R07.03.31 (letter)."""
    era = era_of(d)
    n = d.year - era.offset
    if style == "letter":
        return f"{era.letter}{n:02d}.{d.month:02d}.{d.day:02d}"
    year = "元" if n == 1 else str(n)
    return f"{era.name}{year}年{d.month}月{d.day}日"


def fiscal_year(d: dt.date) -> int:
    """年度: April to March; 2026-03-31 belongs to 2025年度 (令和7年度)."""
    return d.year if d.month >= 4 else d.year - 1


def fiscal_year_label(d: dt.date) -> str:
    fy = fiscal_year(d)
    era = era_of(dt.date(fy, 4, 1))
    n = fy - era.offset
    return f"{era.name}{'元' if n == 1 else n}年度"


# 不詳 forms the 住民記録 standard allows for lenient dates (「令和○年頃」「年月日不詳」「推定…」「…上旬」).
FUSHO_RE = re.compile(r"(不詳|頃|推定|上旬|中旬|下旬|不明|○|〇)")
