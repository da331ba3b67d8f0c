"""Write output files atomically: a temporary file in the same folder, then rename.

Every output is created readable by its owner only (mode 0600, whatever the umask): reports, JSON,
JUnit and CSV outputs can hold personal data (file names, masked values, `--show-values`), and a
file that cannot is not worth a second, weaker code path. Share a file by copying it on purpose.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

PRIVATE = 0o600


@contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside target; on success it replaces target, on error it vanishes."""
    dest = Path(target)
    special = _special(dest)
    if special:
        # `-o /dev/null`, `-o /dev/stdout` or a named pipe: renaming over it would replace the device
        # with a regular file (as root, for every program on the machine). Write the finished bytes
        # into it instead; the temporary file lives in the system's temp folder.
        fd, tmp = tempfile.mkstemp(prefix=".migrate.", suffix=".tmp")
    else:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    tmp_path.chmod(PRIVATE)  # mkstemp creates 0600 already; said explicitly, it stays so
    try:
        yield tmp_path
        if special:
            with open(tmp_path, "rb") as src, open(dest, "wb") as out:
                shutil.copyfileobj(src, out)
        else:
            os.replace(tmp_path, dest)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def _special(dest: Path) -> bool:
    """An existing character device or FIFO (a block device or socket is refused by open())."""
    try:
        mode = dest.stat().st_mode
    except OSError:
        return False
    if stat.S_ISBLK(mode) or stat.S_ISSOCK(mode):
        raise OSError(errno.EINVAL, "not a file an output can be written to", str(dest))
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def write_text(target: str | Path, text: str) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


def write_with(target: str | Path, writer: Callable[[Path], None]) -> Path:
    with atomic_path(target) as tmp:
        writer(tmp)
    return Path(target)
