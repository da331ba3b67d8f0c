"""The plan as a networkx dependency graph: one node per milestone (`business:id`), edges pred → succ."""

from __future__ import annotations

import networkx as nx

from migrate.plan.model import Plan, dependency_key


def build_graph(plan: Plan) -> nx.DiGraph:
    """Nodes carry `business` and `milestone`; an edge u → v means v cannot start before u finishes."""
    g = nx.DiGraph()
    for b in plan.businesses:
        for m in b.milestones:
            g.add_node(f"{b.id}:{m.id}", business=b.id, milestone=m)
    for b in plan.businesses:
        for m in b.milestones:
            for ref in m.depends_on:
                g.add_edge(dependency_key(b.id, ref), f"{b.id}:{m.id}")
    return g


def find_cycle(g: nx.DiGraph) -> list[str] | None:
    """The nodes of one dependency cycle in dependency order (each depends on the previous), or None."""
    try:
        edges = nx.find_cycle(g)
    except nx.NetworkXNoCycle:
        return None
    return [str(u) for u, _v, *_ in edges]


def topological_order(g: nx.DiGraph) -> list[str]:
    """A deterministic topological order (ties broken by plan order of insertion)."""
    position = {n: i for i, n in enumerate(g.nodes)}
    return list(nx.lexicographical_topological_sort(g, key=lambda n: position[n]))
