"""The package's shape: no import circles anywhere, and engines never import the presentation layer.

Imports are read from the source (every `import`, including those inside functions, which is where
heavy dependencies are imported), so a lazy import cannot hide a circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parents[1] / "migrate"
ENGINES = ("plan", "nightly", "history", "validate", "io", "checks", "standard", "mapping")


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _graph() -> nx.DiGraph:
    modules = _modules()
    graph = nx.DiGraph()

    def owner(target: str) -> str | None:
        while target not in modules and "." in target:
            target = target.rsplit(".", 1)[0]
        return target if target in modules else None

    for name, path in modules.items():
        graph.add_node(name)
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            for target in targets:
                found = owner(target)
                if found and found != name and found.startswith("migrate"):
                    graph.add_edge(name, found)
    return graph


def test_no_import_circles() -> None:
    circles = sorted(sorted(c) for c in nx.strongly_connected_components(_graph()) if len(c) > 1)
    assert circles == [], f"import circles: {circles}"


def test_engines_never_import_the_presentation_layer() -> None:
    bad = sorted(
        (a, b)
        for a, b in _graph().edges
        if a.split(".")[1:2] and a.split(".")[1] in ENGINES and b.startswith("migrate.report")
    )
    assert bad == [], f"engine modules importing migrate.report: {bad}"


def test_engines_hold_no_renderers() -> None:
    """Text, HTML and Excel rendering live in migrate/report/, one package per subject."""
    leftovers = [p.relative_to(PACKAGE.parent).as_posix() for e in ENGINES for p in (PACKAGE / e).glob("*.py")
                 if p.stem in {"render", "text", "html"}]  # fmt: skip
    assert leftovers == []


def test_the_graph_is_read() -> None:
    graph = _graph()
    assert graph.has_edge("migrate.cli", "migrate.errors") or graph.number_of_edges() > 100
