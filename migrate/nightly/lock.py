"""The run lock: one nightly run per history database at a time.

A lock file beside the database, created with O_CREAT|O_EXCL (atomic on local file systems and on
NFSv3+), holding the owner's pid, host and start time. A lock whose process is gone on this host is
stale (the run was killed) and is taken over; the history store then marks that run incomplete.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from migrate.errors import ExitCode, MigrateError
from migrate.i18n import t

# A lock file still empty after this long was left by a process killed between create and write.
EMPTY_LOCK_GRACE_S = 30.0


class RunLocked(MigrateError):
    """Another run holds the lock. Exit code 4 (input unavailable): retry later, do not alert as a breach."""

    exit_code = ExitCode.INPUT


def lock_path_for(history: Path) -> Path:
    return history.with_name(history.name + ".lock")


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by another user
    except OSError:
        return False
    return True


@dataclass
class LockInfo:
    pid: int | None
    host: str | None
    started_at: str | None
    suite: str | None

    @classmethod
    def read(cls, path: Path) -> LockInfo | None:
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError:
            return cls(None, None, None, None)
        try:
            data: dict[str, Any] = json.loads(raw)
            return cls(int(data["pid"]), str(data["host"]), data.get("started_at"), data.get("suite"))
        except (ValueError, KeyError, TypeError):
            return cls(None, None, None, None)


class RunLock:
    """Context manager; `acquire()` raises RunLocked when a live run holds the lock."""

    def __init__(self, path: Path, *, suite: str | None = None) -> None:
        self.path = path
        self.suite = suite
        self.held = False
        self.took_over: LockInfo | None = None

    def _create(self) -> bool:
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "suite": self.suite,
        }
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(info, fh)
        return True

    def _stale(self, info: LockInfo) -> bool:
        if info.pid is None:
            try:
                age = time.time() - self.path.stat().st_mtime
            except FileNotFoundError:
                return True
            return age > EMPTY_LOCK_GRACE_S
        # A pid on another host cannot be checked: only its owner (or a person) may clear it.
        return info.host == socket.gethostname() and not _pid_alive(info.pid)

    def acquire(self) -> RunLock:
        for _ in range(3):
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                created = self._create()
            except OSError as exc:
                raise RunLocked(
                    t("ロックファイルを作れません: {e}", "cannot create the lock file: {e}", e=exc.strerror),
                    path=self.path,
                    hint=t(
                        "履歴データベースのフォルダに書き込めるか確認してください",
                        "check the history folder is writable",
                    ),
                ) from None
            if created:
                self.held = True
                return self
            info = LockInfo.read(self.path)
            if info is None:
                continue  # released between our attempts
            if not self._stale(info):
                raise RunLocked(
                    t(
                        "別の夜間検証が実行中です (pid {p}, ホスト {h}, 開始 {s})",
                        "another nightly run is in progress (pid {p} on {h}, started {s})",
                        p=info.pid if info.pid is not None else "?",
                        h=info.host or "?",
                        s=info.started_at or "?",
                    ),
                    path=self.path,
                    hint=t(
                        "終わるのを待ってください。そのプロセスが存在しない場合はロックファイルを削除してください",
                        "wait for it to finish; if that process no longer exists, delete the lock file",
                    ),
                )
            self.took_over = info
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
        raise RunLocked(
            t("ロックを取得できません", "cannot take the run lock"),
            path=self.path,
            hint=t("少し待ってからやり直してください", "try again in a moment"),
        )

    def release(self) -> None:
        if not self.held:
            return
        info = LockInfo.read(self.path)
        if info is not None and info.pid == os.getpid():
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
        self.held = False

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
