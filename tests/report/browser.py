"""Headless Chromium for the HTML report tests: screenshot, DOM, console messages, page requests,
print to PDF and the print layout of chosen cells.

No DevTools protocol: command-line runs (--screenshot, --dump-dom, --print-to-pdf) with Chromium's
own log on stderr (console messages appear as `:CONSOLE` lines, CSP violations included) and a
NetLog file (every URL request, with its initiator: the page's own have the file origin "null", the
browser's background traffic has "not an origin").

The print layout is measured on a copy of the page (see print_layout): its print rules applied to
the screen, the window as wide as the paper's printable width, and a small script that reports
how many lines each chosen cell's text takes. The report itself never runs a script (its CSP
forbids them); the copy is the test's instrument, not the report.
"""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import zlib
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
]
CONSOLE_RE = re.compile(r":CONSOLE[:(]|Uncaught")


def require_chromium() -> Path:
    """Chromium's path; skip without it, except in CI (CI=…), where its absence is a failure."""
    if CHROMIUM.exists():
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")


@dataclass
class Rendered:
    png: Path
    dom: str
    console: list[str] = field(default_factory=list)
    page_requests: list[str] = field(default_factory=list)


def _run(args: list[str], work: Path, name: str) -> tuple[str, str, list[str]]:
    netlog = work / f"{name}.netlog.json"
    proc = subprocess.run(
        [
            str(require_chromium()),
            *FLAGS,
            f"--user-data-dir={work / f'profile-{name}'}",
            f"--log-net-log={netlog}",
            *args,
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout, proc.stderr, page_requests(netlog)


def page_requests(netlog: Path) -> list[str]:
    """URLs the page itself asked for (anything but the browser's own background traffic)."""
    if not netlog.exists():
        return []
    text = netlog.read_text(encoding="utf-8", errors="replace").rstrip().rstrip(",")
    if not text.endswith("}"):
        text += "]}"  # Chromium may leave the events array open when it exits quickly
    data = json.loads(text)
    start_job = data["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    out = []
    for event in data.get("events", []):
        params = event.get("params") or {}
        if event.get("type") != start_job or "url" not in params:
            continue
        if params.get("initiator") == "not an origin":
            continue
        if params["url"].startswith(("file:", "data:")):
            continue
        out.append(params["url"])
    return out


def render(html: Path, work: Path, *, width: int = 1400, height: int = 1000) -> Rendered:
    """Screenshot and DOM of the page as a screen shows it."""
    work.mkdir(parents=True, exist_ok=True)
    url = html.resolve().as_uri()
    png = work / f"{html.stem}.png"
    _, err1, req1 = _run([f"--screenshot={png}", f"--window-size={width},{height}", url], work, "shot")
    dom, err2, req2 = _run(["--dump-dom", url], work, "dom")
    console = [line for line in (err1 + err2).splitlines() if CONSOLE_RE.search(line)]
    return Rendered(png=png, dom=dom, console=console, page_requests=req1 + req2)


# ---------------------------------------------------------------------------------------------- print

# Printable width in CSS pixels (96 per inch) of the reports' @page sizes with their 10 mm margins.
PRINTABLE_WIDTH = {
    "A3 landscape": round((420 - 20) / 25.4 * 96),
    "A4 landscape": round((297 - 20) / 25.4 * 96),
}
# MediaBox of each page size in PDF points (Chromium rounds to its device units: within 1 pt).
MEDIA_BOX = {"A3 landscape": (1190.55, 841.89), "A4 landscape": (841.89, 595.28)}
PAGE_RE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
MEDIA_BOX_RE = re.compile(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]")


@dataclass
class Printed:
    pdf: Path
    pages: int
    sizes: list[tuple[float, float]]  # (width, height) in points of every MediaBox
    console: list[str] = field(default_factory=list)
    page_requests: list[str] = field(default_factory=list)


def pdf_pages(pdf: bytes) -> int:
    """Pages of a PDF as Chromium writes it: one `/Type /Page` object each (no object streams)."""
    assert pdf.startswith(b"%PDF-"), "not a PDF"
    assert b"/ObjStm" not in pdf, "object streams: count pages another way"
    return len(PAGE_RE.findall(pdf))


def pdf_sizes(pdf: bytes) -> list[tuple[float, float]]:
    return [(float(c) - float(a), float(d) - float(b)) for a, b, c, d in MEDIA_BOX_RE.findall(pdf)]


def print_pdf(html: Path, work: Path) -> Printed:
    """The page printed to PDF by headless Chromium, as a reader's 'Save as PDF' would (no header
    or footer of the browser's own): its page count and page sizes."""
    work.mkdir(parents=True, exist_ok=True)
    pdf = work / f"{html.stem}.pdf"
    _, err, requests = _run(
        [f"--print-to-pdf={pdf}", "--no-pdf-header-footer", html.resolve().as_uri()], work, "pdf"
    )
    data = pdf.read_bytes()
    console = [line for line in err.splitlines() if CONSOLE_RE.search(line)]
    return Printed(pdf, pdf_pages(data), pdf_sizes(data), console, requests)


_MEASURE = """
<script>
(() => {
  const lines = (el) => {
    const tops = [];
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (!n.data.trim()) continue;
      const r = document.createRange();
      r.selectNodeContents(n);
      for (const b of r.getClientRects()) if (b.width > 0) tops.push(b.top);
    }
    tops.sort((a, b) => a - b);
    let count = 0, last = -1e9;
    for (const t of tops) { if (t - last > 4) count++; last = t; }
    return count;
  };
  const cells = [...document.querySelectorAll(SELECTOR)].map((el) => ({
    text: el.textContent.trim(), lines: lines(el), width: el.getBoundingClientRect().width,
  }));
  const pre = document.createElement("pre");
  pre.id = "migrate-measure";
  pre.textContent = JSON.stringify({
    cells, scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
  });
  document.body.appendChild(pre);
})();
</script>
"""


@dataclass
class Layout:
    cells: list[dict[str, object]]  # text, lines, width of every cell the selector chose
    scroll_width: int  # the document's width: wider than the window means cut off on paper
    width: int


def print_layout(html: Path, work: Path, page: str, selector: str) -> Layout:
    """The print layout of the cells `selector` chooses, measured on a copy of the page.

    The copy drops the CSP meta (to run the measuring script), applies its `@media print` rules
    to the screen and is shown in a window as wide as the printable width of `page`.
    """
    work.mkdir(parents=True, exist_ok=True)
    text = html.read_text(encoding="utf-8")
    text, csp = re.subn(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text)
    text, media = re.subn(r"@media print\s*\{", "@media all {", text)
    assert csp == 1 and media >= 1, (csp, media)
    text = text.replace("</body>", _MEASURE.replace("SELECTOR", json.dumps(selector)) + "</body>")
    copy = work / f"{html.stem}.measure.html"
    copy.write_text(text, encoding="utf-8")
    width = PRINTABLE_WIDTH[page]
    dom, _, _ = _run([f"--window-size={width},1200", "--dump-dom", copy.resolve().as_uri()], work, "measure")
    found = re.search(r'<pre id="migrate-measure">(.*?)</pre>', dom, re.S)
    assert found, "the measuring script did not run"
    data = json.loads(unescape(found.group(1)))
    return Layout(data["cells"], int(data["scrollWidth"]), int(data["innerWidth"]))


# -------------------------------------------------------------------------------------- PNG decoding


def png_pixels(path: Path) -> tuple[int, int, int, bytes]:
    """(width, height, channels, raw pixels) of an 8-bit RGB/RGBA PNG, decoded with the stdlib."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    width = height = channels = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), (depth, colour)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    out = bytearray()
    prev = bytearray(stride)
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 0xFF
            elif ftype == 2:
                line[i] = (line[i] + b) & 0xFF
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        out += line
        prev = line
    return width, height, channels, bytes(out)


def colour_stats(path: Path, step: int = 7) -> tuple[int, float]:
    """(distinct colours, share of pixels differing from the most common colour), sampled."""
    width, height, channels, px = png_pixels(path)
    counts: dict[bytes, int] = {}
    for y in range(0, height, step):
        row = y * width * channels
        for x in range(0, width, step):
            key = px[row + x * channels : row + x * channels + 3]
            counts[key] = counts.get(key, 0) + 1
    total = sum(counts.values())
    return len(counts), 1 - max(counts.values()) / total
