"""The migrate command line: a thin layer that parses, calls the library, and formats."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import traceback
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from migrate import __version__
from migrate.cli.lang import MigrateContext
from migrate.errors import ERROR_CODES, ExitCode, MigrateError, from_os_error
from migrate.i18n import set_lang, t
from migrate.terminal import clean

# command name -> "module:attribute"; imported only when the command runs (keeps --help fast).
LAZY_COMMANDS = {
    "specs": "migrate.cli.specs:specs",
    "validate": "migrate.cli.validate:validate",
    "mapping": "migrate.cli.mapping:mapping",
    "plan": "migrate.cli.plan_report:plan",  # the plan group with `plan report` attached
    "nightly": "migrate.cli.nightly:nightly",
    "history": "migrate.cli.history:history",
}


@dataclass
class AppContext:
    """What every command may need; injected so tests can point at their own folders."""

    specs_dir: Path | None = None
    lang: str = "ja"
    extra: dict[str, Any] = field(default_factory=dict)

    _registry: Any = None

    def registry(self) -> Any:
        if self._registry is None:
            from migrate.standard.loader import load_registry

            self._registry = load_registry(self.specs_dir)
        return self._registry


def _available(name: str) -> bool:
    module = LAZY_COMMANDS[name].partition(":")[0]
    return importlib.util.find_spec(module) is not None


# The --format of the command being run: with json, an error is also a JSON object on stdout.
_FORMAT: ContextVar[str | None] = ContextVar("migrate_format", default=None)


class _Context(MigrateContext):
    """Remembers the --format a command was given, for the error boundary (MigrateGroup)."""

    def invoke(self, callback: Any, /, *args: Any, **kwargs: Any) -> Any:
        fmt = self.params.get("fmt")
        if isinstance(fmt, str):
            _FORMAT.set(fmt)
        return super().invoke(callback, *args, **kwargs)


def _prescan_format(args: list[str]) -> str | None:
    """--format as typed, for an error raised before the command's options are parsed (usage errors)."""
    fmt = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--format" and i + 1 < len(args):
            fmt = args[i + 1]
        elif arg.startswith("--format="):
            fmt = arg.partition("=")[2]
    return fmt


def _json_error(
    code: str,
    message: str,
    exit_code: int,
    *,
    hint: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """The error as a JSON object on stdout (the line on stderr is printed too), for --format json:
    a pipeline reading stdout gets a parseable answer instead of nothing."""
    if _FORMAT.get() != "json":
        return
    from migrate.mask import redact_obj
    from migrate.output import envelope

    data: dict[str, Any] = {
        "code": code,
        "message": message,
        "file": None,
        "line": None,
        "hint": hint,
        "exit_code": exit_code,
        **(detail or {}),
    }
    click.echo(envelope("error", redact_obj(data)))


def _migrate_json_error(exc: MigrateError) -> None:
    doc = exc.to_dict()
    _json_error(
        exc.code,
        str(doc["message"]),
        int(exc.exit_code),
        hint=exc.hint and str(doc["hint"]),
        detail={k: v for k, v in doc.items() if k not in ("message", "hint", "exit_code")},
    )


def _localise(cmd: click.Command) -> click.Command:
    """Every command renders help through the translating formatter (migrate.cli.lang)."""
    cmd.context_class = _Context
    if isinstance(cmd, click.Group):
        for sub in cmd.commands.values():
            _localise(sub)
    return cmd


def _prescan_lang(args: list[str]) -> None:
    """--lang must hold before any --help is rendered (eager options run before --lang's value)."""
    lang = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            lang = args[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.partition("=")[2]
    set_lang(lang if lang in ("ja", "en") else None)


class MigrateGroup(click.Group):
    """Loads subcommands lazily and converts every error to a message and exit code, here only."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.context_class = _Context

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        _prescan_lang(args)
        _FORMAT.set(_prescan_format(args))
        return super().parse_args(ctx, args)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """click's standalone main, with its usage errors shown in the current language."""
        from migrate.cli.lang import show_usage_error, translate_message

        if not kwargs.pop("standalone_mode", True):
            return super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[call-overload]
        try:
            rv = super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[call-overload]
        except click.UsageError as exc:
            exc.message = clean(exc.message, layout=False)  # type: ignore[misc]  # Final in click's stubs only
            show_usage_error(exc)
            _json_error(
                ERROR_CODES[ExitCode.USAGE],
                translate_message(exc.format_message()),
                exc.exit_code,
                hint=_usage_hint(exc),
            )
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            exc.show()
            kind = ExitCode.INPUT if isinstance(exc, click.FileError) else ExitCode.USAGE
            _json_error(ERROR_CODES[kind], clean(exc.format_message(), layout=False), exc.exit_code)
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            click.echo(t("中断しました", "Aborted!"), err=True)
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *(n for n in LAZY_COMMANDS if _available(n))])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS and _available(cmd_name):
            module, _, attr = LAZY_COMMANDS[cmd_name].partition(":")
            cmd = getattr(importlib.import_module(module), attr)
            assert isinstance(cmd, click.Command)
            return _localise(cmd)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MigrateError as exc:
            click.echo(clean(t("エラー: ", "error: ") + exc.render(), layout=False), err=True)
            _migrate_json_error(exc)
            ctx.exit(int(exc.exit_code))
        except click.ClickException as exc:  # click prints it: the value it quotes is cleaned first
            exc.message = clean(exc.message, layout=False)  # type: ignore[misc]  # Final in click's stubs only
            raise
        except (click.exceptions.Exit, click.exceptions.Abort):
            raise
        except OSError as exc:  # disk full, read-only, permissions: the machine needs fixing (exit 4)
            if isinstance(exc, BrokenPipeError):
                ctx.exit(0)
            if os.environ.get("MIGRATE_DEBUG"):
                traceback.print_exc()
            err = from_os_error(exc)
            click.echo(clean(t("エラー: ", "error: ") + err.render(), layout=False), err=True)
            _migrate_json_error(err)
            ctx.exit(int(err.exit_code))
        except KeyboardInterrupt:
            click.echo(t("中断しました", "interrupted"), err=True)
            _json_error("interrupted", t("中断しました", "interrupted"), 130)
            ctx.exit(130)
        except BrokenPipeError:
            ctx.exit(0)
        except Exception as exc:  # noqa: BLE001 - the one place internal errors become exit code 5
            if os.environ.get("MIGRATE_DEBUG"):
                traceback.print_exc()
            what = clean(f"{type(exc).__name__}: {exc}", layout=False)
            click.echo(
                t(
                    "内部エラー: {e} (MIGRATE_DEBUG=1 で詳細を表示します。不具合として報告してください)",
                    "internal error: {e} (set MIGRATE_DEBUG=1 for details; please report it as a bug)",
                    e=what,
                ),
                err=True,
            )
            _json_error(
                ERROR_CODES[ExitCode.INTERNAL],
                t("内部エラー: {e}", "internal error: {e}", e=what),
                int(ExitCode.INTERNAL),
                hint=t(
                    "MIGRATE_DEBUG=1 で詳細を表示します。不具合として報告してください",
                    "set MIGRATE_DEBUG=1 for details; please report it as a bug",
                ),
            )
            ctx.exit(int(ExitCode.INTERNAL))


@click.group(
    cls=MigrateGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}
)
@click.version_option(__version__, prog_name="migrate")
@click.option(
    "--lang",
    type=click.Choice(["ja", "en"]),
    envvar="MIGRATE_LANG",
    default="ja",
    show_default=True,
    help="Message language / 表示言語.",
    is_eager=True,
)
@click.option(
    "--specs",
    "specs_dir",
    type=click.Path(path_type=Path),
    envvar="MIGRATE_SPECS",
    help="Specs folder (default: ./specs).",
)
@click.pass_context
def cli(ctx: click.Context, lang: str, specs_dir: Path | None) -> None:
    """migrate — 標準準拠システムへの移行を検証・追跡・報告するツール.

    Validate legacy extracts against the standard specifications of the 20 core businesses,
    track migration milestones toward each deadline, and report to leadership and vendors.
    """
    set_lang(lang)
    ctx.obj = AppContext(specs_dir=specs_dir, lang=lang)


def _usage_hint(exc: click.UsageError) -> str | None:
    ctx = exc.ctx
    if ctx is None or ctx.command.get_help_option(ctx) is None:
        return None
    cmd = f"{ctx.command_path} {ctx.help_option_names[0]}"
    return t("ヘルプは '{c}' で表示します", "try '{c}' for help", c=cmd)


def main(argv: list[str] | None = None) -> None:
    try:
        cli.main(args=argv, prog_name="migrate", standalone_mode=True)
    except SystemExit:
        raise
    finally:
        sys.stdout.flush()


def app(ctx: click.Context) -> AppContext:
    obj = ctx.find_object(AppContext)
    if obj is None:
        obj = AppContext()
        ctx.obj = obj
    return obj


def format_option(*choices: str, default: str = "text") -> Any:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=default,
        show_default=True,
        help="Output format.",
    )
