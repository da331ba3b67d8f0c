"""The migrate command line: a thin layer that parses, calls the library, and formats."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from migrate import __version__
from migrate.errors import ExitCode, MigrateError, from_os_error
from migrate.i18n import set_lang, t
from migrate.terminal import clean

# command name -> "module:attribute"; imported only when the command runs (keeps --help fast).
LAZY_COMMANDS = {
    "specs": "migrate.cli.specs:specs",
    "validate": "migrate.cli.validate:validate",
    "mapping": "migrate.cli.mapping:mapping",
    "plan": "migrate.cli.plan:plan",
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
            from migrate.spec.loader import load_registry

            self._registry = load_registry(self.specs_dir)
        return self._registry


def _available(name: str) -> bool:
    module = LAZY_COMMANDS[name].partition(":")[0]
    return importlib.util.find_spec(module) is not None


class MigrateGroup(click.Group):
    """Loads subcommands lazily and converts every error to a message and exit code, here only."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *(n for n in LAZY_COMMANDS if _available(n))])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS and _available(cmd_name):
            module, _, attr = LAZY_COMMANDS[cmd_name].partition(":")
            cmd = getattr(importlib.import_module(module), attr)
            assert isinstance(cmd, click.Command)
            return cmd
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MigrateError as exc:
            click.echo(clean(t("エラー: ", "error: ") + exc.render(), layout=False), err=True)
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
            ctx.exit(int(err.exit_code))
        except KeyboardInterrupt:
            click.echo(t("中断しました", "interrupted"), err=True)
            ctx.exit(130)
        except BrokenPipeError:
            ctx.exit(0)
        except Exception as exc:  # noqa: BLE001 - the one place internal errors become exit code 5
            if os.environ.get("MIGRATE_DEBUG"):
                traceback.print_exc()
            click.echo(
                t(
                    "内部エラー: {e} (MIGRATE_DEBUG=1 で詳細を表示します。不具合として報告してください)",
                    "internal error: {e} (set MIGRATE_DEBUG=1 for details; please report it as a bug)",
                    e=clean(f"{type(exc).__name__}: {exc}", layout=False),
                ),
                err=True,
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
