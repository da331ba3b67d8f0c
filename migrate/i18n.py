"""Message language: Japanese by default, English with --lang en or MIGRATE_LANG=en."""

from __future__ import annotations

import os
from contextvars import ContextVar

LANGS = ("ja", "en")
_lang: ContextVar[str | None] = ContextVar("migrate_lang", default=None)


def get_lang() -> str:
    lang = _lang.get()
    if lang:
        return lang
    env = os.environ.get("MIGRATE_LANG", "").lower()
    if env.startswith("en"):
        return "en"
    return "ja"


def set_lang(lang: str | None) -> None:
    if lang is not None and lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    _lang.set(lang)


def t(ja: str, en: str, /, **kwargs: object) -> str:
    """Pick the message for the current language and format it with kwargs."""
    text = en if get_lang() == "en" else ja
    return text.format(**kwargs) if kwargs else text
