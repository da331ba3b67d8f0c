"""Outputs are written atomically, and a device or pipe given as the output stays what it is."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from migrate.atomic import write_text
from tests.conftest import ROOT, run


def test_dev_null_stays_a_device_through_the_cli(tmp_path: Path) -> None:
    """`-o /dev/null` must not rename a regular file over the device (the CLI runs as root in CI)."""
    src = tmp_path / "juki.csv"
    from migrate.samples import write_juki

    write_juki(src, 20)
    mapping = str(ROOT / "mappings/juki/midori-jumin-v1.yaml")
    result = run("validate", str(src), "--mapping", mapping, "--format", "json", "-o", os.devnull)
    assert result.exit_code in (0, 1), result.output
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_fifo_receives_the_bytes(tmp_path: Path) -> None:
    fifo = tmp_path / "out.pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_text(fifo, "結果\n")
    reader.join(timeout=10)
    assert got == ["結果\n".encode()]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert not [p for p in tmp_path.iterdir() if p.name != "out.pipe"]  # no temporary file left


def test_regular_file_is_replaced_private(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o644)
    write_text(out, "new")
    assert out.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_is_written_not_replaced() -> None:
    write_text("/dev/zero", "x")
    assert stat.S_ISCHR(os.stat("/dev/zero").st_mode)
