"""Nightly under faults (issue 12): files replaced mid-run, a killed main process, hostile delivery
folders (link loops, FIFOs, links out of the root, `..` globs) and vendor names that slug alike.

Every case that could hang runs the CLI under a timeout (a daemon thread, or a subprocess for the
kill test), so a regression fails instead of blocking CI.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from migrate.nightly import runner
from migrate.nightly.lock import lock_path_for
from tests.conftest import ROOT, SPECS, run
from tests.nightly.conftest import NIGHT1, write_jumin, write_suite

POSIX = pytest.mark.skipif(os.name != "posix", reason="FIFOs, symbolic links and /proc are POSIX")
SECRET = "秘密の1行目,外部ファイル"  # the first line of a file outside the root: must never be read


def _passing_suite(folder: Path, extra: str = "") -> Path:
    """The test suite with thresholds a clean delivery meets (exit 0), a defective one does not."""
    suite = write_suite(folder, extra)
    text = suite.read_text(encoding="utf-8")
    text = text.replace("max_errors: 0", "max_errors: 0, max_warnings: 100")
    suite.write_text(text.replace("min_readiness: 0.999", "min_readiness: 0.9"), encoding="utf-8")
    return suite


@dataclass
class _Ran:
    returncode: int
    stdout: str
    stderr: str


def _cli(*args: str, timeout: float = 60) -> _Ran:
    """The CLI as a user runs it (in English), in a daemon thread: a hang fails the test after
    timeout instead of blocking CI."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["result"] = run("--lang", "en", *args)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        pytest.fail(f"migrate {' '.join(args)} still running after {timeout} s (a hang)")
    if "error" in box:
        raise box["error"]
    r = box["result"]
    return _Ran(r.exit_code, r.stdout, r.stderr)


def _files(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["path"]: f for s in doc["data"]["sources"] for f in s["files"]}


def _codes(f: dict[str, Any]) -> set[str]:
    return {c["code"] for c in f.get("counts", [])}


def _replace(path: Path, make: Callable[[Path], Any]) -> None:
    """Swap path for a new file atomically (a new inode), as an upload tool renaming into place does."""
    tmp = path.with_name(path.name + ".tmp")
    make(tmp)
    os.replace(tmp, path)


# -- the hash is of the bytes validated; a file that changed mid-run is a finding -------------------


def test_file_replaced_between_hashing_and_reading_is_never_carried_as_clean(
    tmp_path: Path, night: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    suite = _passing_suite(tmp_path)
    delivery = tmp_path / "deliveries/a/chuo.csv"
    write_jumin(delivery, 12, defects=NIGHT1)  # defective
    real = runner.hash_file

    def hash_then_swap(path: Path) -> Any:
        seen = real(path)
        if path.name == "chuo.csv":  # the vendor re-delivers a clean file just after the hash
            _replace(path, lambda p: write_jumin(p, 12))
        return seen

    monkeypatch.setattr(runner, "hash_file", hash_then_swap)
    first = night()
    f = first.sources[0].files[0]
    assert f.status == "unreadable" and [c["code"] for c in f.counts] == ["file-changed"]
    assert first.ok is False  # the night does not pass on a file it could not pin down
    monkeypatch.setattr(runner, "hash_file", real)

    # The defective file is delivered again: validated (its hash was never recorded as clean), exit 1.
    write_jumin(delivery, 12, defects=NIGHT1)
    second = run("nightly", str(suite), "-j", "1", "-q", "--format", "json")
    assert second.exit_code == 1, second.output
    (g,) = _files(json.loads(second.stdout)).values()
    assert g["status"] != "carried" and g["errors"] >= len(NIGHT1)


def test_file_rewritten_in_place_with_same_size_and_mtime_is_caught_by_the_hash(
    tmp_path: Path, night: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _passing_suite(tmp_path)
    write_jumin(tmp_path / "deliveries/a/chuo.csv", 12)
    real = runner.hash_file

    def hash_then_rewrite(path: Path) -> Any:
        seen = real(path)
        st = path.stat()
        data = bytearray(path.read_bytes())
        pos = data.rindex(b"\r\n", 0, len(data) - 2) + 2  # first byte of the last record
        data[pos] = ord("9") if data[pos] != ord("9") else ord("8")
        with open(path, "r+b") as fh:  # in place: same inode, same size
            fh.write(data)
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # and the mtime put back
        return seen

    monkeypatch.setattr(runner, "hash_file", hash_then_rewrite)
    f = night().sources[0].files[0]
    assert [c["code"] for c in f.counts] == ["file-changed"]


def test_carried_file_replaced_during_the_run_is_not_carried(tmp_path: Path, registry: Any) -> None:
    from migrate.nightly.runner import NightlyOptions, run_nightly
    from migrate.nightly.suite import load_suite

    suite = _passing_suite(tmp_path)
    kept = write_jumin(tmp_path / "deliveries/a/kita.csv", 8, first_atena=200000)
    write_jumin(tmp_path / "deliveries/a/chuo.csv", 8)
    assert run_nightly(load_suite(suite), registry, NightlyOptions(jobs=1)).ok
    write_jumin(tmp_path / "deliveries/a/chuo.csv", 9)  # changed: validated tonight; kita.csv carried

    def swap_kept(run_id: int, rec: Any) -> None:
        _replace(kept, lambda p: write_jumin(p, 8, first_atena=200000, defects=NIGHT1))

    second = run_nightly(load_suite(suite), registry, NightlyOptions(jobs=1), on_recorded=swap_kept)
    files = {f.path: f for f in second.sources[0].files}
    assert files["deliveries/a/chuo.csv"].status == "changed"
    assert [c["code"] for c in files["deliveries/a/kita.csv"].counts] == ["file-changed"]
    assert second.ok is False
    third = run_nightly(load_suite(suite), registry, NightlyOptions(jobs=1))  # the defective one now
    assert {f.path: f for f in third.sources[0].files}["deliveries/a/kita.csv"].errors > 0


def test_unchanged_files_are_still_carried_forward(tmp_path: Path) -> None:
    suite = _passing_suite(tmp_path)
    write_jumin(tmp_path / "deliveries/a/chuo.csv", 8)
    assert run("nightly", str(suite), "-j", "1", "-q").exit_code == 0
    again = run("nightly", str(suite), "-j", "1", "-q", "--format", "json")
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["data"]["totals"]["carried"] == 1


# -- workers die with the main process -----------------------------------------------------------

MAIN = textwrap.dedent(
    """
    import sys
    from migrate.nightly.runner import NightlyOptions, run_nightly
    from migrate.nightly.suite import load_suite
    from migrate.standard.loader import load_registry

    run_nightly(load_suite(sys.argv[1]), load_registry(sys.argv[2]), NightlyOptions(jobs=2))
    """
)


def _marked(mark: str) -> set[int]:
    """Live processes whose environment carries mark: the main process and all it started."""
    needle = f"MIGRATE_TEST_MARK={mark}".encode()
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if needle in (entry / "environ").read_bytes().split(b"\0") and _alive(int(entry.name)):
                    out.add(int(entry.name))
            except OSError:
                continue
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie has exited (it only waits for a reaper)


def _workers(pid: int, mark: str) -> set[int]:
    out = set()
    for p in _marked(mark):
        try:
            ppid = int(Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[1])
            if ppid == pid and b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes():
                out.add(p)
        except OSError:
            continue
    return out


@POSIX
@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
def test_killing_the_main_process_ends_its_workers(tmp_path: Path) -> None:
    write_suite(tmp_path)
    for i in range(4):
        write_jumin(tmp_path / f"deliveries/a/f{i}.csv", 3000, first_atena=100000 * (i + 1))
    mark = f"{os.getpid()}-{time.monotonic_ns()}"
    main = subprocess.Popen(
        [sys.executable, "-c", MAIN, str(tmp_path / "suite.yaml"), str(SPECS)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "MIGRATE_TEST_MARK": mark},
    )
    try:
        deadline = time.monotonic() + 60
        while len(_workers(main.pid, mark)) < 2 and time.monotonic() < deadline and main.poll() is None:
            time.sleep(0.05)
        assert len(_workers(main.pid, mark)) == 2, "the pool never started its two workers"
        time.sleep(0.5)  # let them unpickle the state and start on a file
        main.send_signal(signal.SIGKILL)
        main.wait(timeout=10)
        deadline = time.monotonic() + 5
        while _marked(mark) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = _marked(mark)
        assert not left, f"processes outlived the killed main process: {sorted(left)}"
    finally:
        if main.poll() is None:
            main.kill()
        for p in _marked(mark):  # never leave an orphan behind, even when the test fails
            os.kill(p, signal.SIGKILL)


# -- sources stay under the root; special files are findings, never opened ------------------------


@POSIX
def test_hostile_delivery_folder_is_findings_not_an_abort_or_a_hang(tmp_path: Path) -> None:
    suite = _passing_suite(tmp_path)
    folder = tmp_path / "deliveries/a"
    write_jumin(folder / "chuo.csv", 8)
    (folder / "l1.csv").symlink_to("l2.csv")  # a loop of links
    (folder / "l2.csv").symlink_to("l1.csv")
    (folder / "loop").symlink_to(".")  # two folder loops: glob.glob("**") would never end
    (folder / "loop2").symlink_to(".")
    os.mkfifo(folder / "pipe.csv")  # opening it would block the night, lock held
    (folder / "folder.csv").mkdir()
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "sock.csv"))
    outside = tmp_path.parent / f"{tmp_path.name}-outside"  # the root is the suite's folder
    outside.mkdir()
    (outside / "secret.csv").write_text(SECRET + "\n", encoding="utf-8")
    (folder / "escape.csv").symlink_to(outside / "secret.csv")
    (folder / "zero.csv").symlink_to("/dev/zero")
    (folder / "up").symlink_to(outside)
    text = suite.read_text(encoding="utf-8").replace('"deliveries/a/*.csv"', '"deliveries/a/**/*.csv"')
    suite.write_text(text, encoding="utf-8")

    t0 = time.monotonic()
    try:
        result = _cli("nightly", str(suite), "-j", "1", "-q", "--format", "json", timeout=60)
    finally:
        sock.close()
    assert time.monotonic() - t0 < 60
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    files = _files(json.loads(result.stdout))
    got = {path: (_codes(f), f["status"]) for path, f in files.items()}
    assert got["deliveries/a/chuo.csv"] == (set(), "new")  # the good file is still validated
    assert got["deliveries/a/l1.csv"][0] == {"symlink-loop"}
    assert got["deliveries/a/loop"][0] == {"symlink-loop"}
    assert got["deliveries/a/pipe.csv"][0] == {"file-not-regular"}
    assert got["deliveries/a/folder.csv"][0] == {"file-not-regular"}
    assert got["deliveries/a/sock.csv"][0] == {"file-not-regular"}
    assert got["deliveries/a/escape.csv"][0] == {"file-outside-root"}
    assert got["deliveries/a/zero.csv"][0] == {"file-outside-root"}
    assert got["deliveries/a/up"][0] == {"file-outside-root"}
    assert not lock_path_for(tmp_path / "history.sqlite").exists()
    assert SECRET.encode() not in (tmp_path / "history.sqlite").read_bytes()
    db = sqlite3.connect(tmp_path / "history.sqlite")
    kept = db.execute("SELECT path, rows, sha256 FROM results WHERE status = 'unreadable'").fetchall()
    assert len(kept) == len(got) - 1 and all(r[1:] == (0, None) for r in kept)  # nothing was read
    db.close()
    assert "secret" not in result.stdout and SECRET not in result.stdout


@POSIX
def test_fifo_given_as_a_reference_is_a_breach_not_a_hang(tmp_path: Path) -> None:
    extra = '    refs: [{target: "juki@4.0/jumin", path: "refs/jumin.csv"}]\n'
    suite = _passing_suite(tmp_path, extra)
    write_jumin(tmp_path / "deliveries/a/chuo.csv", 8)
    (tmp_path / "refs").mkdir()
    os.mkfifo(tmp_path / "refs/jumin.csv")
    summary = tmp_path / "night.json"
    result = _cli("nightly", str(suite), "-j", "1", "-q", "--json", str(summary), timeout=60)
    assert result.returncode == 1, result.stderr
    breaches = json.loads(summary.read_text(encoding="utf-8"))["data"]["sources"][0]["breaches"]
    assert [b["metric"] for b in breaches] == ["refs"]
    assert "refs/jumin.csv" in result.stdout and "not a regular file" in result.stdout
    assert not lock_path_for(tmp_path / "history.sqlite").exists()


@pytest.mark.parametrize(
    ("glob", "where"),
    [
        ('"../outside/*.csv"', "paths"),
        ('"deliveries/../../outside/*.csv"', "paths"),
        ("ABSOLUTE", "paths"),
        ("REF", "refs"),
    ],
)
def test_glob_out_of_the_root_is_a_suite_error_with_its_line(tmp_path: Path, glob: str, where: str) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "secret.csv").write_text(SECRET + "\n", encoding="utf-8")
    work = tmp_path / "suite"
    work.mkdir()
    write_jumin(work / "deliveries/a/chuo.csv", 8)
    if glob == "REF":
        suite = write_suite(work, f'    refs: [{{target: "juki@4.0/jumin", path: "{outside}/secret.csv"}}]\n')
    else:
        suite = write_suite(work)
        pattern = f'"{outside}/*.csv"' if glob == "ABSOLUTE" else glob
        suite.write_text(
            suite.read_text(encoding="utf-8").replace('"deliveries/a/*.csv"', pattern), encoding="utf-8"
        )
    line = next(i for i, ln in enumerate(suite.read_text().splitlines(), 1) if where + ":" in ln)
    result = run("--lang", "en", "nightly", str(suite), "-j", "1", "-q")
    assert result.exit_code == 3, result.output
    assert f"suite.yaml:{line}" in result.stderr
    assert "root" in result.stderr and "Traceback" not in result.output
    assert not (work / "history.sqlite").exists()  # refused before anything was read or recorded
    assert SECRET not in result.output


# -- per-vendor outputs never overwrite each other -------------------------------------------------


def test_vendors_whose_names_slug_alike_get_their_own_files(tmp_path: Path) -> None:
    second = (
        "  - id: juki-b\n"
        '    vendor: "ベンダー:A"\n'
        "    entity: juki@4.0/jumin\n"
        f"    mapping: {ROOT / 'mappings/juki/midori-jumin-v1.yaml'}\n"
        '    paths: ["deliveries/b/*.csv"]\n'
    )
    suite = write_suite(tmp_path, second)
    suite.write_text(suite.read_text(encoding="utf-8").replace("ベンダーA", '"ベンダー/A"'), encoding="utf-8")
    write_jumin(tmp_path / "deliveries/a/chuo.csv", 8)
    write_jumin(tmp_path / "deliveries/b/kita.csv", 8, first_atena=200000, defects=NIGHT1)
    out = tmp_path / "vendors"
    result = run("nightly", str(suite), "-j", "1", "-q", "--per-vendor", str(out))
    assert result.exit_code == 1, result.output
    docs = sorted(out.glob("*.json"))
    assert len(docs) == 2 and len(list(out.glob("*.junit.xml"))) == 2
    seen = {}
    for doc in docs:
        data = json.loads(doc.read_text(encoding="utf-8"))["data"]
        (vendor,) = {v["vendor"] for v in data["vendors"]}
        assert [s["vendor"] for s in data["sources"]] == [vendor]  # each sees only its own
        seen[vendor] = doc.name
    assert set(seen) == {"ベンダー/A", "ベンダー:A"}
    again = run("nightly", str(suite), "-j", "1", "-q", "--per-vendor", str(out))
    assert again.exit_code == 1
    assert sorted(p.name for p in out.glob("*.json")) == sorted(seen.values())  # stable names


def test_vendor_stems_are_unique_even_ignoring_case() -> None:
    from migrate.nightly.vendors import vendor_stems

    names = ["ベンダー/A", "ベンダー:A", "ベンダーA", "Vendor", "vendor", "..", "", "a-1"]
    stems = vendor_stems(names)
    assert len({s.casefold() for s in stems.values()}) == len(names)
    assert stems["ベンダーA"] == "ベンダーA"  # a name that is already a file name stays as is
    assert all(s and not s.startswith(".") and "/" not in s for s in stems.values())


@pytest.mark.parametrize("chunk", [None, 64, 1 << 20])
@pytest.mark.parametrize(
    "content",
    [
        "宛名番号,氏名\r\n000001,髙橋\r\n000002,﨑山\r\n".encode("cp932"),
        b"\xef\xbb\xbf" + "宛名番号,氏名\n000001,山田\n".encode(),  # UTF-8 with BOM
        "宛名番号,氏名\r000001,山田\r000002,田中\r".encode("cp932"),  # CR-only line ends
        b"\n\n" + b"a,b\n" * 200 + b'"open,1\n',  # blank lines first, an unclosed quote at the end
    ],
)
def test_reader_hands_every_byte_once_in_order(tmp_path: Path, content: bytes, chunk: int | None) -> None:
    """What nightly records is the hash of what the reader read: the whole file, each byte once."""
    from hashlib import sha256

    from migrate.io.csvfile import iter_table

    path = tmp_path / "f.csv"
    path.write_bytes(content)
    seen = sha256()
    for _ in iter_table(path, chunk_bytes=chunk, on_read=seen.update):
        pass
    assert seen.hexdigest() == sha256(content).hexdigest()
