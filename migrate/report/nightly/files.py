"""Each file's own report beside the dashboard: which rows to fix, read from the history.

Named files/<vendor>/<source>-<file stem>.html (file_report_names): a vendor's folder holds its own
files only, so it can go to the vendor with its dashboard.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from hashlib import sha256
from pathlib import Path
from typing import Any

from migrate.report.nightly.html import render_file_html
from migrate.report.nightly.view import file_row, source_view


def file_findings(
    data: Mapping[str, Any], sources: Sequence[Mapping[str, Any]] | None = None
) -> dict[tuple[str, str], list[dict[str, Any]]] | None:
    """Each file's findings of this run from the history: {(source id, path): [finding]}, for the
    files of `sources` (default: every source of data).

    A finding is code, item, severity, line and whether it is new since the source's previous run
    (`change`: new | still | None without a previous run). The history keeps no value, so neither
    does this. None when the run names no history database or it cannot be read (the dashboard is
    then written without per-file reports).
    """
    from migrate.errors import MigrateError
    from migrate.history.compare import diff
    from migrate.history.store import HistoryStore

    run = data.get("run") or {}
    history, run_id = run.get("history"), run.get("id")
    if not history or run_id is None or not Path(str(history)).is_file():
        return None
    try:
        store = HistoryStore.open(str(history), create=False)
    except MigrateError:
        return None
    out: dict[tuple[str, str], list[dict[str, Any]]] = {}
    with store:
        for s in data.get("sources", []) if sources is None else sources:
            previous = s.get("previous_run")
            after = store.keyed_findings(int(run_id), s["id"])
            before = store.keyed_findings(int(previous), s["id"]) if previous is not None else None
            d = diff(before, after)
            new = {f.fp for f in d.new}
            for f in after:
                change = None if not d.baseline else ("new" if f.fp in new else "still")
                out.setdefault((s["id"], f.path), []).append(
                    {"code": f.code, "item": f.item, "severity": f.severity, "line": f.line, "change": change}
                )
    return out


def file_report_names(sources: Sequence[Mapping[str, Any]]) -> dict[tuple[str, str], str]:
    """(source id, path) → `files/<vendor>/<source>-<file stem>.html`, relative to the dashboard.

    Names come from the vendor's and the file's names through vendor_stems (safe characters, unique
    even on case-insensitive disks, a short hash where a name had to change); a 個人番号 in a file
    name was masked when the history stored the path, and is masked again here whatever its source.
    """
    from migrate.mask import redact
    from migrate.nightly.vendors import vendor_stems

    vendors = vendor_stems(str(s.get("vendor")) for s in sources)
    keys = sorted({(str(s["id"]), str(f["path"])) for s in sources for f in s.get("files", [])})
    wanted = {k: redact(f"{k[0]}-{Path(k[1]).stem}") for k in keys}
    folded = Counter(name.casefold() for name in wanted.values())
    for k, name in wanted.items():
        if folded[name.casefold()] > 1:  # the same file name in two folders: keep both
            wanted[k] = f"{name}-{sha256(redact(k[1]).encode()).hexdigest()[:8]}"
    # Paths equal once masked (never two in one history, which keeps them masked): numbered.
    used: set[str] = set()
    for k in keys:
        name, n = wanted[k], 1
        while name.casefold() in used:
            n += 1
            name = f"{wanted[k]}-{n}"
        used.add(name.casefold())
        wanted[k] = name
    stems = vendor_stems(wanted.values())
    vendor_of = {str(s["id"]): vendors[str(s.get("vendor"))] for s in sources}
    return {k: f"files/{redact(vendor_of[k[0]])}/{redact(stems[wanted[k]])}.html" for k in keys}


def write_file_reports(
    data: Mapping[str, Any],
    out_dir: str | Path,
    *,
    sources: Sequence[Mapping[str, Any]] | None = None,
    dashboard: Mapping[str, str] | None = None,
    generated: dt.datetime | None = None,
) -> dict[tuple[str, str], str]:
    """One report per file of `sources` (default: every source of data) with its rows to fix.

    Returns (source id, path) → the report's address relative to out_dir ({} when the history
    cannot be read). dashboard: vendor → the stem of that vendor's dashboard, which the reports
    link back to (else dashboard.html).
    """
    from migrate.report.html import write_html

    chosen = list(data.get("sources", []) if sources is None else sources)
    found = file_findings(data, chosen)
    if found is None:
        return {}
    names = file_report_names(list(data.get("sources", [])))
    out = Path(out_dir)
    links: dict[tuple[str, str], str] = {}
    for s in chosen:
        stem = (dashboard or {}).get(str(s.get("vendor")))
        back = "../../" + (f"dashboard-{stem}" if stem else "dashboard") + ".html"
        sv = source_view(s)
        for f in s.get("files", []):
            key = (str(s["id"]), str(f["path"]))
            html = render_file_html(
                data.get("run", {}), sv, file_row(f), found.get(key, []), back=back, generated=generated
            )
            write_html(out / names[key], html)
            links[key] = names[key]
    return links
