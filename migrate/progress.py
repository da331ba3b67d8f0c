"""A progress bar on stderr for long validations and nightly runs: done / total, MB/s and time left.

Shown only to a person watching: stderr must be a terminal, and it stays silent under `--format json`,
`--quiet`, in CI (`CI` set, as GitHub Actions, GitLab and Jenkins set it) and on a dumb terminal. A
log file or a pipe never receives carriage returns or escape sequences.

No dependency (tqdm, rich) is needed for one line: it is redrawn with `\\r` and "erase line" at most
every `interval` seconds (10 times a second by default: a 1 GB file read in 12 MB pieces calls back
~85 times, a 10 k-file night once per file, neither floods the terminal). The clock is injected, so
tests are deterministic. Reading happens in a background thread (migrate.io.csvfile.read_ahead), so
`advance` takes a lock.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from typing import TextIO

from migrate.i18n import t
from migrate.terminal import clean_value

BAR = 20


def wanted(stream: TextIO | None = None, *, fmt: str | None = None, quiet: bool = False) -> bool:
    """Whether a progress bar belongs on stream (stderr by default): a terminal a person watches."""
    stream = stream if stream is not None else sys.stderr
    if quiet or fmt == "json" or os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # closed or replaced stream
        return False


def _duration(seconds: float) -> str:
    s = max(0, round(seconds))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class ProgressBar:
    """One line, rewritten in place: label, bar, share done, MB done / total, MB/s, time left.

    total is in bytes (None or 0 when unknown: no bar, no time left). extra is shown after the figures
    (files done in a nightly run).
    """

    def __init__(
        self,
        label: str,
        total: int | None,
        *,
        stream: TextIO | None = None,
        clock: Callable[[], float] | None = None,
        interval: float = 0.1,
    ) -> None:
        self.label = clean_value(label)
        self.total = total or None
        self.stream = stream if stream is not None else sys.stderr
        self.clock = clock or time.monotonic
        self.interval = interval
        self.done = 0
        self.extra = ""
        self.started = self.clock()
        self._drawn_at: float | None = None
        self._lock = threading.Lock()

    def advance(self, n: int) -> None:
        """n more bytes done (the on_read callback of validate_file passes the bytes read)."""
        with self._lock:
            self.done += n
            self._maybe_draw()

    def on_read(self, data: bytes) -> None:
        self.advance(len(data))

    def update(self, done: int, total: int | None = None, extra: str = "") -> None:
        """Where things stand (a nightly run reports after each file)."""
        with self._lock:
            self.done = done
            self.total = total or self.total
            self.extra = extra
            self._maybe_draw()

    def close(self) -> None:
        """Draw the final state and end the line (nothing when nothing was ever drawn)."""
        with self._lock:
            if self._drawn_at is None:
                return
            self._draw()
            self.stream.write("\n")
            self.stream.flush()
            self._drawn_at = None

    def line(self) -> str:
        """The text of the line as it stands (no control characters)."""
        elapsed = max(self.clock() - self.started, 1e-9)
        rate = self.done / elapsed
        mb = self.done / 1e6
        parts = [self.label] if self.label else []
        if self.total:
            share = min(1.0, self.done / self.total)
            filled = int(share * BAR)
            parts.append(f"[{'#' * filled}{'-' * (BAR - filled)}] {share:4.0%}")
            parts.append(f"{mb:,.1f}/{self.total / 1e6:,.1f} MB")
        else:
            parts.append(f"{mb:,.1f} MB")
        parts.append(f"{rate / 1e6:,.1f} MB/s")
        if self.total and rate > 0 and self.done < self.total:
            parts.append(t("残り {d}", "{d} left", d=_duration((self.total - self.done) / rate)))
        if self.extra:
            parts.append(clean_value(self.extra))
        return "  ".join(parts)

    def _maybe_draw(self) -> None:
        now = self.clock()
        if self._drawn_at is not None and now - self._drawn_at < self.interval:
            return
        self._draw()

    def _draw(self) -> None:
        text = self.line()
        # \r + erase line: a shorter line leaves nothing of the longer one before it
        self.stream.write("\r\x1b[2K" + text)
        self.stream.flush()
        self._drawn_at = self.clock()
