"""An independent NetworkX reference of the routing semantics, for tests."""

from __future__ import annotations

import networkx as nx

from steppe.network.model import Mode, Network


def reference_time_graph(
    network: Network, avoid: frozenset[str] = frozenset(), driving_hours: float = 9.0
) -> nx.DiGraph:
    """Build a state graph (node, carrier) with travel times, written independently.

    Handles road/rail (one gauge), transfers and usable status; no borders or ferries.
    Road links take ``24 / driving_hours`` times their moving time (driver rest).
    """
    g = nx.DiGraph()
    nodes = network.nodes_by_id

    def add(u: object, v: object, w: float) -> None:
        if not g.has_edge(u, v) or g[u][v]["weight"] > w:
            g.add_edge(u, v, weight=w)

    for link in network.links:
        if not link.status.usable:
            continue
        if nodes[link.a].country in avoid or nodes[link.b].country in avoid:
            continue
        w = link.length_km / link.speed_kmh  # type: ignore[operator]
        if link.mode is Mode.ROAD:
            w *= 24.0 / driving_hours
        for u, v in ((link.a, link.b), (link.b, link.a)):
            add(("dep", u, link.mode), ("arr", v, link.mode), w)
            add(("start", u), ("dep", u, link.mode), 0.0)
            add(("arr", v, link.mode), ("end", v), 0.0)
            add(("arr", v, link.mode), ("dep", v, link.mode), 0.0)
    for tr in network.transfers:
        a, d = ("arr", tr.node, tr.from_mode), ("dep", tr.node, tr.to_mode)
        if a in g and d in g and tr.from_mode is not tr.to_mode:
            add(a, d, tr.time_h)
    return g


def reference_time(
    network: Network, origin: str, destination: str, avoid: frozenset[str] = frozenset()
) -> float | None:
    """Return the shortest door-to-door time by NetworkX Dijkstra, or None."""
    g = reference_time_graph(network, avoid)
    s, t = ("start", origin), ("end", destination)
    if s not in g or t not in g:
        return None
    try:
        return float(nx.dijkstra_path_length(g, s, t))
    except nx.NetworkXNoPath:
        return None


MODES = (Mode.ROAD, Mode.RAIL)
