"""Help and click's own messages in the user's language (click has no Japanese catalog)."""

from __future__ import annotations

import re
from collections.abc import Iterable

import click

from migrate.i18n import get_lang

_SUFFIX = re.compile(r"\s*\[(default|required|env var)[^\]]*\]$")
_EXTRA = {"default: ": "既定値: ", "required": "必須", "env var: ": "環境変数: "}
_HEADINGS = {"Options": "オプション", "Commands": "コマンド", "Arguments": "引数"}


def _norm(text: str) -> str:
    return " ".join(text.split())


def help_ja(text: str) -> str | None:
    """The Japanese text for an English help text (or its first-sentence short form), else None."""
    from migrate.cli.help_ja import HELP_JA

    key = _norm(text)
    if key in HELP_JA:
        return HELP_JA[key]
    stem = key.removesuffix("...").rstrip(". ")
    if stem:
        hits = [v for k, v in HELP_JA.items() if k.startswith(stem)]
        if len(hits) == 1:
            return hits[0].split("\n")[0]
    return None


def translate_help(text: str) -> str:
    if get_lang() == "en" or not text:
        return text
    extra = ""
    if m := _SUFFIX.search(text):
        extra, text = m.group(0), text[: m.start()]
        for en, ja in _EXTRA.items():
            extra = extra.replace(en, ja)
    return (help_ja(text) or text) + extra


class MigrateHelpFormatter(click.HelpFormatter):
    """click's formatter with headings, usage prefix and help texts in the current language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if get_lang() != "en":
            prefix = "使い方: " if prefix is None else prefix.replace("Usage:", "使い方:")
            args = args.replace("[OPTIONS]", "[オプション]")
        super().write_usage(prog, args, prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(heading if get_lang() == "en" else _HEADINGS.get(heading, heading))

    def write_text(self, text: str) -> None:
        super().write_text(translate_help(text))

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(a, translate_help(b)) for a, b in rows], col_max, col_spacing)


class MigrateContext(click.Context):
    formatter_class = MigrateHelpFormatter


# click's messages (click/core.py, parser.py, types.py, exceptions.py) → Japanese
_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"^No such option:? '?([^'\s]+?)'?\.?(?:\s+\(?Did you mean (?:one of: )?(.+?)\?\)?)?$", re.S
        ),
        "そのようなオプションはありません: {0}",
    ),
    (re.compile(r"^No such command '(.+)'\.$"), "そのようなコマンドはありません: '{0}'"),
    (re.compile(r"^Missing argument '(.+)'\.$"), "引数 '{0}' がありません"),
    (re.compile(r"^Missing option '(.+)'\.$"), "オプション '{0}' を指定してください"),
    (re.compile(r"^Option '(.+)' requires an argument\.$"), "オプション '{0}' には値が必要です"),
    (re.compile(r"^Got unexpected extra arguments? \((.+)\)$"), "余分な引数があります ({0})"),
    (
        re.compile(r"^Invalid value for (.+?): (.+) is not one of (.+)\.$", re.S),
        "{0} の値 {1} は使えません (次のいずれか: {2})",
    ),
    (
        re.compile(r"^Invalid value for (.+?): (.+) is not (.+)\.$", re.S),
        "{0} の値 {1} は使えません ({2} のみ)",
    ),
    (re.compile(r"^Invalid value for (.+?): (.+)$", re.S), "{0} の値が正しくありません: {1}"),
]


def translate_message(message: str) -> str:
    if get_lang() == "en":
        return message
    for pattern, ja in _MESSAGES:
        if m := pattern.match(message):
            text = ja.format(*m.groups())
            if m.re is _MESSAGES[0][0] and m.group(2):
                text += f" (もしかして {m.group(2)})"
            return text
    return message


def show_usage_error(exc: click.UsageError) -> None:
    """click.UsageError.show() with its fixed English words in the current language."""
    ctx = exc.ctx
    out: list[str] = []
    if ctx is not None:
        out.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            cmd = f"{ctx.command_path} {ctx.help_option_names[0]}"
            out.append(f"Try '{cmd}' for help." if get_lang() == "en" else f"ヘルプは '{cmd}' で表示します。")
        out.append("")
    prefix = "Error: " if get_lang() == "en" else "エラー: "
    out.append(prefix + translate_message(exc.format_message()))
    click.echo("\n".join(out), err=True)
