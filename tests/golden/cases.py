"""The inputs of the golden findings: every case is written deterministically into a folder, then validated.

Each case builds its file(s) from code (the samples, the demo deliveries, hand-made hostile bytes), so the
goldens stay a few KB of JSON and no big CSV is committed. `make_golden.py` writes the findings the engine
gives for each case; `tests/validate/test_golden.py` asserts the engine still gives exactly those, for
the whole file and in pieces of several sizes.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from migrate.mapping.load import load_mapping
from migrate.mapping.model import Mapping
from migrate.samples import JUKI_HEADER, juki_rows, write_juki
from migrate.standard.loader import SpecRegistry, load_registry
from migrate.validate.compile import Options
from migrate.validate.run import ValidationResult, load_refs, validate_file
from tests.conftest import ROOT, SPECS, demo_generator

GOLDEN = Path(__file__).resolve().parent
JUMIN_V1 = ROOT / "mappings/juki/midori-jumin-v1.yaml"
JUMIN_V2 = ROOT / "mappings/juki/midori-jumin-v2.yaml"


@dataclass
class Case:
    """One validation: a file, what it is validated as, and the piece sizes the test tries."""

    name: str
    build: Callable[[Path], Path]  # writes the input under the folder, returns the file to validate
    target: str | None = None  # business/entity (default: the mapping's)
    mapping: Path | None = None
    refs: Callable[[Path, SpecRegistry], dict[str, pl.Series]] | None = None
    encoding: str | None = None
    chunks: tuple[int, ...] = (1024,)  # piece sizes (bytes) tried besides the whole file
    fictional: bool = True  # pass the mapping's fictional 団体コード as options (as nightly does)
    extra: dict[str, Any] = field(default_factory=dict)


# ----------------------------------------------------------------------------------------------------
# builders


def _juki_legacy(rows: int, seed: int = 7) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        return write_juki(folder / f"juki-{rows}-{seed}.csv", rows, seed=seed)

    return build


def _csv_line(cells: list[str]) -> str:
    out = []
    for c in cells:
        out.append('"' + c.replace('"', '""') + '"' if any(x in c for x in ',"\r\n') else c)
    return ",".join(out)


def _dense(rows: int, seed: int, rate: float = 0.125) -> Callable[[Path], Path]:
    """A 住民記録 legacy extract with a defect on a share (rate) of its rows, spread over the whole file
    (many distinct failing values, in every piece: the per-value verdicts and the mode switches)."""

    def build(folder: Path) -> Path:
        rng = random.Random(seed)
        bad = {
            "生年月日": [
                "S45.13.01",
                "H31.05.01",
                "R01.02.30",
                "1999-02-29",
                "T15.12.26",
                "昭和45年1月1日",
                "",
            ],
            "消除日": ["S64.01.08", "H01.01.07", "X", "R99.01.01"],
            "宛名番号": ["0000000120", "12345", "ABCDEFGHIJ", "", "０００１２３４５６７"],
            "性別": ["X", "", "男", "9"],
            "氏カナ": ["ﾔﾏﾀﾞ!", "yamada", "ヤマダ", "ｱ" * 70],
            "郵便番号": ["12-34567", "ABC-1234", "", "1234567"],
            "個人番号": ["123456789012", "12345678901", "abcdefghijkl", "000000000000"],
            "続柄": ["叔父", "", "世帯主 "],
            "団体コード": ["131017", "999999", ""],
            "氏": ["\ue000田", "髙橋", "\ue010野", "們", "", "山" * 40],
            "名": ["\ue001郎", "太郎\u3000", "ｹﾝ"],
            "世帯番号": ["", "0000000000", "X"],
        }
        cols = list(bad)
        lines = [_csv_line(JUKI_HEADER)]
        for row in juki_rows(rows, seed=seed, defects=False):
            if rng.random() < rate:
                col = rng.choice(cols)
                row[JUKI_HEADER.index(col)] = rng.choice(bad[col])
            if rng.random() < 0.01:  # a duplicate 宛名番号 (a key finding across pieces)
                row[0] = "0000100003"
            lines.append(_csv_line(row))
        p = folder / f"dense-{rows}-{seed}.csv"
        p.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp932"))
        return p

    return build


def _raw(name: str, make: Callable[[list[bytes]], bytes], rows: int = 40) -> Callable[[Path], Path]:
    """A hostile file: the 住民記録 sample's CP932 lines, edited as bytes by make."""

    def build(folder: Path) -> Path:
        lines = [_csv_line(JUKI_HEADER).encode("cp932")]
        lines += [_csv_line(r).encode("cp932") for r in juki_rows(rows)]
        p = folder / name
        p.write_bytes(make(lines))
        return p

    return build


def _crlf(lines: list[bytes]) -> bytes:
    return b"\r\n".join(lines) + b"\r\n"


def _ragged(lines: list[bytes]) -> bytes:
    lines[5] = lines[5] + b",extra,cells"
    lines[9] = lines[9].rsplit(b",", 3)[0]
    lines[12] = b"only-one-field"
    return _crlf(lines)


def _blank(lines: list[bytes]) -> bytes:
    return _crlf([b"", *lines[:4], b"", b"   ", *lines[4:10], b"\r", *lines[10:], b""])


def _unbalanced(lines: list[bytes]) -> bytes:
    lines[6] = lines[6].replace(b",", b',"', 1)  # an opening quote that never closes
    lines[15] = lines[15] + b',"x'
    return _crlf(lines)


def _quoted(lines: list[bytes]) -> bytes:
    # quoted fields holding commas, line breaks and doubled quotes; a quoted empty field
    lines[3] = lines[3].replace(b",", b',"a,b",', 1).rsplit(b",", 1)[0]
    parts = lines[8].split(b",")
    parts[20] = '"ひかり\r\n台市"'.encode("cp932")
    parts[18] = b'"x""y"'
    parts[22] = b'""'
    lines[8] = b",".join(parts)
    lines[11] = lines[11].replace(b"J", b'x"y', 1)  # a stray quote inside an unquoted field
    return _crlf(lines)


def _nul(lines: list[bytes]) -> bytes:
    lines[4] = lines[4].replace(b",", b",\x00", 1)
    lines[20] = b"\x00" + lines[20]
    return _crlf(lines)


def _bad_bytes(lines: list[bytes]) -> bytes:
    lines[3] = lines[3].replace(b",", b",\x81\x20", 1)  # an invalid CP932 pair
    lines[10] = lines[10] + b"\xff"
    lines[17] = lines[17].replace("氏".encode("cp932"), b"\xa0", 1)
    lines[25] = b"\x85\x40" + lines[25]  # an unassigned lead byte pair
    return _crlf(lines)


def _gaiji(lines: list[bytes]) -> bytes:
    # CP932 user-defined area (外字, U+E000…) and characters outside JIS X 0213 / MJ
    parts = lines[4].split(b",")
    parts[5] = b"\xf0\x40" + parts[5]
    lines[4] = b",".join(parts)
    parts = lines[7].split(b",")
    parts[6] = "髙﨑".encode("cp932")
    parts[5] = b"\xf9\xfc\xf0\x9f"
    lines[7] = b",".join(parts)
    parts = lines[13].split(b",")
    parts[19] = "ひかり台市①番地㈱".encode("cp932")
    lines[13] = b",".join(parts)
    return _crlf(lines)


def _bare_cr(lines: list[bytes]) -> bytes:
    lines[5] = lines[5].replace(b",", b"\r,", 1)
    return _crlf(lines)


def _cr_only(lines: list[bytes]) -> bytes:
    return b"\r".join(lines) + b"\r"


def _lf_no_final(lines: list[bytes]) -> bytes:
    return b"\n".join(lines)


def _header_only(lines: list[bytes]) -> bytes:
    return lines[0] + b"\r\n"


def _utf8_bom(lines: list[bytes]) -> bytes:
    return b"\xef\xbb\xbf" + _crlf([ln.decode("cp932").encode("utf-8") for ln in lines])


def _dup_header(lines: list[bytes]) -> bytes:
    lines[0] = lines[0].replace("名".encode("cp932"), "氏".encode("cp932"), 1) + b","
    return _crlf(lines)


def _missing_col(lines: list[bytes]) -> bytes:
    # drop the 性別 column everywhere: column-missing, checks that need it listed as not run
    i = JUKI_HEADER.index("性別")
    return _crlf([b",".join(p for j, p in enumerate(ln.split(b",")) if j != i) for ln in lines])


def _mixed(lines: list[bytes]) -> bytes:
    # everything at once, spread so a small piece holds one kind and a big one all
    lines = [*lines]
    lines[3] = lines[3] + b",x"
    lines[6] = lines[6].replace(b",", b",\x00", 1)
    lines[9] = lines[9].replace(b",", b",\x81\x20", 1)
    lines[12] = lines[12].replace(b",", b',"', 1)
    lines[18] = b""
    parts = lines[22].split(b",")
    parts[5] = b"\xf0\x41"
    lines[22] = b",".join(parts)
    return _crlf(lines)


def _spec_sample(
    target: str, rows: int, seed: int, rate: float, encoding: str = "utf-8"
) -> Callable[..., Path]:
    def build(folder: Path) -> Path:
        from migrate.standard.sample import generate, write_sample

        reg = load_registry(SPECS)
        spec, entity = reg.entity(target)
        sample = generate(spec, entity, reg, rows=rows, seed=seed, defect_rate=rate, encoding=encoding)
        return write_sample(sample, folder / f"{target.replace('/', '-')}-{seed}.csv", encoding=encoding)

    return build


# ----------------------------------------------------------------------------------------------------
# the demo deliveries (demo/make_deliveries.py), nights 1 and 2


def _night(folder: Path, night: int) -> Path:
    out = folder / f"night{night}"
    if not out.exists():
        md = demo_generator()
        md.make(out, 1)
        if night == 2:
            md.make(out, 2)
    return out


def _delivery(night: int, rel: str) -> Callable[[Path], Path]:
    return lambda folder: _night(folder, night) / rel


def _demo_refs(night: int) -> Callable[[Path, SpecRegistry], dict[str, pl.Series]]:
    """住民記録 (every juki delivery, through its mapping) ∪ the 住登外者 list, as the demo suite says."""

    def refs(folder: Path, registry: SpecRegistry) -> dict[str, pl.Series]:
        from migrate.nightly.worker import with_ref_aliases

        base = _night(folder, night)
        juki = load_mapping(JUMIN_V1)
        specs: list[tuple[str, Path, Mapping | None]] = [
            ("juki@4.0/jumin", p, juki) for p in sorted((base / "vendor-a" / "juki").glob("*.csv"))
        ]
        specs.append(("atena/jutogai_atena", base / "vendor-b" / "atena" / "jutogai.csv", None))
        out: dict[str, Any] = {}
        for target, path, mapping in specs:
            for key, values in load_refs([(target, path, mapping)], registry).items():
                out[key] = values if key not in out else pl.concat([out[key], values]).unique()
        return with_ref_aliases(out, (("atena/jutogai_atena/atenabango", "juki/jumin/atena_no"),))

    return refs


def _demo_cases() -> list[Case]:
    md = demo_generator()
    cases = []
    for night in (1, 2):
        names = ["chuo"] if night == 2 else ["chuo", "kita", "minami", "higashi", "nishi", "sakura"]
        for n in names:
            cases.append(
                Case(
                    f"demo-n{night}-jumin-{n}",
                    _delivery(night, f"vendor-a/juki/jumin_{n}.csv"),
                    mapping=JUMIN_V1,
                    chunks=(4096,) if n == "sakura" else (97, 1024),
                )
            )
        if night == 1:
            cases.append(
                Case(
                    "demo-n1-kazei-2025",
                    _delivery(1, "vendor-b/zei/kazei_2025.csv"),
                    target="kojin-juminzei/kazei",
                    refs=_demo_refs(1),
                )
            )
            cases.append(
                Case(
                    "demo-n1-jutogai",
                    _delivery(1, "vendor-b/atena/jutogai.csv"),
                    target="atena/jutogai_atena",
                )
            )
        for business, spec_ in md.LEGACY.items():
            cases.append(
                Case(
                    f"demo-n{night}-{business}",
                    _delivery(night, spec_["path"]),
                    mapping=ROOT / spec_["mapping"],
                    refs=_demo_refs(night),
                    chunks=(4096,),
                )
            )
    return cases


def all_cases() -> list[Case]:
    hostile = [
        ("ragged", _ragged),
        ("blank-lines", _blank),
        ("quote-unbalanced", _unbalanced),
        ("quoted-fields", _quoted),
        ("nul", _nul),
        ("bad-cp932", _bad_bytes),
        ("gaiji", _gaiji),
        ("bare-cr", _bare_cr),
        ("cr-only", _cr_only),
        ("lf-no-final-eol", _lf_no_final),
        ("header-only", _header_only),
        ("utf8-bom", _utf8_bom),
        ("header-duplicate", _dup_header),
        ("column-missing", _missing_col),
        ("mixed", _mixed),
    ]
    cases = [
        Case(f"hostile-{n}", _raw(f"{n}.csv", make), mapping=JUMIN_V1, chunks=(1, 2048))
        for n, make in hostile
    ]
    cases += [
        Case("juki-v1-40", _juki_legacy(40), mapping=JUMIN_V1, chunks=(1, 1024)),
        Case("juki-v2-40", _juki_legacy(40), mapping=JUMIN_V2, chunks=(1024,)),
        Case("juki-v1-20000", _juki_legacy(20_000), mapping=JUMIN_V1, chunks=(65536, 1 << 20)),
        Case("dense-v1-6000", _dense(6000, 3, 0.06), mapping=JUMIN_V1, chunks=(65536, 1 << 20)),
        Case("dense-v2-600", _dense(600, 5, 0.1), mapping=JUMIN_V2, chunks=(4096, 1 << 20)),
        Case(
            "sample-juki-jumin",
            _spec_sample("juki/jumin", 300, 1, 0.2),
            target="juki/jumin",
            chunks=(2048,),
        ),
        Case(
            "sample-juki-jumin-cp932",
            _spec_sample("juki/jumin", 200, 2, 0.3, "cp932"),
            target="juki/jumin",
            chunks=(2048,),
        ),
        Case(
            "sample-atena",
            _spec_sample("atena/jutogai_atena", 200, 3, 0.3),
            target="atena/jutogai_atena",
            chunks=(2048,),
        ),
        Case(
            "sample-kazei",
            _spec_sample("kojin-juminzei/kazei", 200, 4, 0.3),
            target="kojin-juminzei/kazei",
            chunks=(2048,),
        ),
    ]
    return cases + _demo_cases()


# ----------------------------------------------------------------------------------------------------
# running a case and normalising its result


def run_case(
    case: Case, folder: Path, chunk: int | None, registry: SpecRegistry | None = None
) -> dict[str, Any]:
    """The normalised result of validating case (built under folder) in pieces of chunk bytes."""
    reg = registry or load_registry(SPECS)
    path = case.build(folder)
    mapping = load_mapping(case.mapping) if case.mapping else None
    target = case.target or f"{mapping.spec}/{mapping.entity}"  # type: ignore[union-attr]
    spec, entity = reg.entity(target)
    options = (
        Options(fictional_lg_codes=frozenset(mapping.fictional_lg_codes))
        if mapping and case.fictional
        else None
    )
    refs = case.refs(folder, reg) if case.refs else None
    seen: list[int] = []
    try:
        result = validate_file(
            path,
            spec,
            entity,
            reg,
            mapping,
            encoding=case.encoding,
            refs=refs,
            options=options,
            chunk_bytes=chunk,
            on_read=lambda b: seen.append(len(b)),
        )
    except Exception as exc:  # noqa: BLE001 - an input error is a result too (its class and message)
        return {"error": [type(exc).__name__, getattr(exc, "message", str(exc))]}
    out = normalise(result)
    out["read_bytes"] = sum(seen)
    return out


def normalise(result: ValidationResult) -> dict[str, Any]:
    """What must not change: the findings in order (code, line, row, item, column, severity, values as
    shown, detail), the counts, the checks that ran, the skipped checks and the 外字 list."""
    doc = result.to_dict()
    findings = [
        [
            f["line"],
            f["row"],
            f["code"],
            f["item"],
            f["column"],
            f["severity"],
            f["value"],
            f["mapped"],
            f["detail"],
        ]
        for f in doc["findings"]
    ]
    return {
        "rows": doc["rows"],
        "encoding": doc["encoding"],
        "delimiter": doc["delimiter"],
        "summary": doc["summary"],
        "not_ran": [c["id"] for c in doc["checks"] if not c["ran"]],
        "checks": len(doc["checks"]),
        "skipped": doc["skipped"],
        "gaiji": doc["gaiji"],
        "findings": findings,
    }


def dumps(doc: dict[str, Any]) -> str:
    """Compact JSON, one finding a line (a reviewable diff when a golden changes on purpose)."""
    findings = doc.get("findings")
    if findings is None:
        return json.dumps(doc, ensure_ascii=False, sort_keys=True) + "\n"
    head = {k: v for k, v in doc.items() if k != "findings"}
    body = ",\n".join("  " + json.dumps(f, ensure_ascii=False) for f in findings)
    text = json.dumps(head, ensure_ascii=False, sort_keys=True)[:-1]
    return text + ', "findings": [\n' + body + ("\n" if findings else "") + "]}\n"
