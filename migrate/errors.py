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
        loc = self.location()
        text = f"{loc}: {self.message}" if loc else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text

    def to_dict(self) -> dict[str, object]:
        return {
            "type": type(self).__name__,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "key": self.key,
            "hint": self.hint,
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
