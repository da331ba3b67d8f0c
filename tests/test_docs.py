"""Documentation stays true: every finding code and every command is documented."""

from __future__ import annotations

from migrate.cli import LAZY_COMMANDS
from migrate.findings import REGISTRY
from tests.conftest import ROOT


def test_every_finding_code_documented() -> None:
    text = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    missing = [code for code in REGISTRY if f"`{code}`" not in text]
    assert missing == []


def test_every_finding_code_documented_with_its_hint() -> None:
    text = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8").replace("&#124;", "|")
    missing = [code for code, ft in REGISTRY.items() if ft.hint_ja not in text or ft.hint_en not in text]
    assert missing == []


def test_every_command_in_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    for name in LAZY_COMMANDS:
        assert f"migrate {name}" in readme, name
