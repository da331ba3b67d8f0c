"""Shared fixtures: a CLI runner with frozen language and the repo's folders."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner, Result

from migrate.cli import cli
from migrate.i18n import set_lang

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _reset_lang(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("MIGRATE_LANG", raising=False)
    monkeypatch.delenv("MIGRATE_SPECS", raising=False)
    set_lang(None)
    yield
    set_lang(None)


def run(*args: str, input: str | None = None) -> Result:
    """Invoke the CLI in-process as a user would, with the repo's specs."""
    return CliRunner().invoke(cli, ["--specs", str(SPECS), *args], input=input, catch_exceptions=False)


_REAL_LOAD: dict[str, Any] = {}
_REGISTRIES: dict[str, Any] = {}


def share_registry(monkeypatch: Any) -> None:
    """Load each specs folder once per test process: the registry is read-only and parsing ~20 specs
    per CLI call would dominate the run time (CLI tests call this from an autouse fixture)."""
    import migrate.standard.loader as loader

    real = _REAL_LOAD.setdefault("load", loader.load_registry)

    def cached(root: Any = None) -> Any:
        key = str(Path(root).resolve()) if root is not None else ""
        if key not in _REGISTRIES:
            _REGISTRIES[key] = real(root)
        return _REGISTRIES[key]

    monkeypatch.setattr(loader, "load_registry", cached)


def demo_generator() -> ModuleType:
    """demo/make_deliveries.py as a module (it is a script, not part of the package), loaded once."""
    name = "make_deliveries"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "demo" / "make_deliveries.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
