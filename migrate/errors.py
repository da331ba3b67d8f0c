"""The one exception root of migrate and its exit codes; the CLI converts them in one place."""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1
    USAGE = 2
    CONFIG = 3
    INPUT = 4
    INTERNAL = 5


ERROR_CODES = {
    ExitCode.OK: "ok",
    ExitCode.FINDINGS: "findings",
    ExitCode.USAGE: "usage-error",
    ExitCode.CONFIG: "config-invalid",
    ExitCode.INPUT: "input-unreadable",
    ExitCode.INTERNAL: "internal-error",
}


class MigrateError(Exception):
    """An error a user can act on: a message, where it happened, and a remedy."""

    exit_code: ExitCode = ExitCode.INTERNAL

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
        key: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.column = column
        self.key = key
        self.hint = hint

    @property
    def code(self) -> str:
        """A stable kebab-case name of the kind of error, for machines reading the JSON error (README):
        one per exit code, so a subclass elsewhere (RunLocked, SampleError) gets the right one."""
        return ERROR_CODES[self.exit_code]

    def location(self) -> str:
        parts = []
        if self.path:
            loc = self.path
            if self.line is not None:
                loc += f":{self.line}"
                if self.column is not None:
                    loc += f":{self.column}"
            parts.append(loc)
        if self.key:
            parts.append(self.key)
        return " ".join(parts)

    def render(self) -> str:
        """One line: place, message, remedy; a 個人番号 in a file name or a quoted value is masked."""
        from migrate.mask import redact

        loc = self.location()
        text = f"{loc}: {self.message}" if loc else self.message
        if self.hint:
            text += f" ({self.hint})"
        return redact(text)

    def to_dict(self) -> dict[str, object]:
        from migrate.mask import redact_obj

        return {
            "type": type(self).__name__,
            "code": self.code,
            "message": redact_obj(self.message),
            "file": redact_obj(self.path),
            "path": redact_obj(self.path),
            "line": self.line,
            "column": self.column,
            "key": redact_obj(self.key),
            "hint": redact_obj(self.hint),
            "exit_code": int(self.exit_code),
        }


class UsageError(MigrateError):
    exit_code = ExitCode.USAGE


class ConfigError(MigrateError):
    """A spec, mapping, plan, suite or other configuration file is invalid."""

    exit_code = ExitCode.CONFIG


class InputError(MigrateError):
    """An input file cannot be read at all (missing, unreadable, undecodable as a whole)."""

    exit_code = ExitCode.INPUT


def from_os_error(exc: OSError, path: str | Path | None = None) -> InputError:
    """An operating-system failure (disk full, read-only, no permission …) as a one-line error with the
    path and a remedy: the machine, not the data or migrate, needs fixing (exit 4)."""
    import errno

    from migrate.i18n import t

    remedies = {
        errno.ENOSPC: (
            "ディスクの空きがありません",
            "no space left on the device",
            "空きを作るか -o で別の場所に書いてください",
            "free some space or write elsewhere (-o)",
        ),
        errno.EDQUOT: (
            "ディスク容量の上限です",
            "disk quota exceeded",
            "空きを作るか別の場所に書いてください",
            "free some space or write elsewhere",
        ),
        errno.EROFS: (
            "読み取り専用の場所です",
            "read-only file system",
            "書き込める場所を指定してください",
            "choose a writable place",
        ),
        errno.EACCES: (
            "権限がありません",
            "permission denied",
            "ファイルとフォルダの権限を確認してください",
            "check the permissions of the file and its folder",
        ),
        errno.EPERM: (
            "権限がありません",
            "operation not permitted",
            "ファイルとフォルダの権限を確認してください",
            "check the permissions of the file and its folder",
        ),
    }
    ja, en, hint_ja, hint_en = remedies.get(
        exc.errno or 0,
        (
            exc.strerror or "OS エラー",
            exc.strerror or "OS error",
            "ファイルとディスクの状態を確認してください",
            "check the file and the disk",
        ),
    )
    where = path if path is not None else exc.filename
    return InputError(t(ja, en), path=where, hint=t(hint_ja, hint_en))
