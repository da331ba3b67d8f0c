"""File names for per-vendor outputs: one per vendor, never shared, stable from night to night.

A vendor name is free text ("ベンダー/A", "ベンダー:A", "Vendor A" and "vendor a"), and a file name
is not: a name that does not survive as is (a character replaced, or another name equal to it but
for case, as on macOS and Windows disks) gets a short hash of the full name, so two vendors never
write over each other's files and the same vendor keeps the same name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from hashlib import sha256

_UNSAFE = re.compile(r"[^\w.-]+")


def _slug(name: str) -> str:
    return _UNSAFE.sub("-", name).strip("-.") or "vendor"


def vendor_stems(vendors: Iterable[str]) -> dict[str, str]:
    """vendor name → file stem, unique even on case-insensitive file systems."""
    names = sorted(set(vendors))
    slugs = {n: _slug(n) for n in names}
    folded = Counter(s.casefold() for s in slugs.values())
    out: dict[str, str] = {}
    for n in names:
        s = slugs[n]
        out[n] = s if s == n and folded[s.casefold()] == 1 else f"{s}-{sha256(n.encode()).hexdigest()[:8]}"
    # A literal name may equal another's slug-and-hash ("A-1234abcd"): lengthen until all differ.
    width = 8
    while len({s.casefold() for s in out.values()}) < len(out) and width < 64:
        width += 8
        clash = Counter(s.casefold() for s in out.values())
        out = {
            n: (f"{slugs[n]}-{sha256(n.encode()).hexdigest()[:width]}" if clash[s.casefold()] > 1 else s)
            for n, s in out.items()
        }
    return out
