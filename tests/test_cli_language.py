"""Help and click's own messages in Japanese by default, English with --lang en / MIGRATE_LANG=en."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from migrate.cli import cli
from migrate.cli.lang import help_ja


def _commands() -> list[list[str]]:
    found: list[list[str]] = []

    def walk(cmd: click.Command, path: list[str], ctx: click.Context) -> None:
        found.append(path)
        if isinstance(cmd, click.Group):
            for name in cmd.list_commands(ctx):
                sub = cmd.get_command(ctx, name)
                assert sub is not None
                walk(sub, [*path, name], click.Context(sub, parent=ctx, info_name=name))

    walk(cli, [], click.Context(cli, info_name="migrate"))
    return found


COMMANDS = _commands()


def test_every_help_text_has_a_japanese_text() -> None:
    ctx = click.Context(cli, info_name="migrate")
    missing = []
    for path in COMMANDS:
        cmd: click.Command = cli
        for name in path:
            assert isinstance(cmd, click.Group)
            nxt = cmd.get_command(ctx, name)
            assert nxt is not None
            cmd = nxt
        texts = [cmd.help, *(getattr(p, "help", None) for p in cmd.params)]
        missing += [(path, x) for x in texts if x and help_ja(x) is None]
    assert not missing


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "migrate")
def test_help_japanese_by_default_and_english_with_lang(path: list[str]) -> None:
    runner = CliRunner()
    ja = runner.invoke(cli, [*path, "--help"], env={"MIGRATE_LANG": ""})
    assert ja.exit_code == 0, ja.output
    assert "使い方:" in ja.output and "オプション:" in ja.output
    assert "Usage:" not in ja.output and "Show this message" not in ja.output
    en = runner.invoke(cli, ["--lang", "en", *path, "--help"], env={"MIGRATE_LANG": ""})
    assert en.exit_code == 0 and "Usage:" in en.output and "Show this message and exit." in en.output
    assert "使い方:" not in en.output


def test_migrate_lang_env_and_lang_after_help() -> None:
    runner = CliRunner()
    env = runner.invoke(cli, ["validate", "--help"], env={"MIGRATE_LANG": "en"})
    assert "Usage:" in env.output and "Cap the findings" in env.output
    late = runner.invoke(cli, ["--help", "--lang", "en"], env={"MIGRATE_LANG": ""})
    assert "Usage:" in late.output


@pytest.mark.parametrize(
    ("args", "ja", "en"),
    [
        (["validate", "--foo"], "そのようなオプションはありません: --foo", "No such option"),
        (["validate"], "引数 'FILES...' がありません", "Missing argument"),
        (["validate", "x", "--fail-on", "bad"], "'--fail-on' の値 'bad' は使えません", "is not one of"),
        (["nosuch"], "そのようなコマンドはありません", "No such command"),
    ],
)
def test_click_errors_in_japanese(args: list[str], ja: str, en: str) -> None:
    runner = CliRunner()
    out = runner.invoke(cli, args, env={"MIGRATE_LANG": ""})
    assert out.exit_code == 2
    assert "エラー: " + ja in out.output or ja in out.output
    assert "Error:" not in out.output and "Usage:" not in out.output
    out_en = runner.invoke(cli, ["--lang", "en", *args], env={"MIGRATE_LANG": ""})
    assert out_en.exit_code == 2 and "Error:" in out_en.output and en in out_en.output
