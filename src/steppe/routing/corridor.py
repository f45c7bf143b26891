"""Corridor labels: name a route by the key places it passes.

Key places are, in order of travel, the crossing point entered at each border crossing
and both ports of each ferry or sea leg (``"via Dostyk – Aktau – Baku"``).  A route with
none of these (a domestic land route) is named by the transfer points it uses, and failing
those by the intermediate place nearest half its distance; a route with no intermediate
place is ``"direct"``.
"""

from __future__ import annotations

from collections.abc import Sequence

from steppe.network.model import Mode, NodeKind
from steppe.routing.graph import EdgeKind, ExpandedGraph

__all__ = ["corridor_label", "edge_key_nodes"]

_SCHEDULED = (Mode.FERRY, Mode.SEA)
_PLACE_KINDS = (NodeKind.CITY, NodeKind.SEA_PORT, NodeKind.DRY_PORT, NodeKind.RAIL_TERMINAL)


def edge_key_nodes(graph: ExpandedGraph, edge: int) -> tuple[str, ...]:
    """Return the key node ids an expanded-graph edge contributes to a corridor label."""
    if graph.kind[edge] != EdgeKind.LINK:
        return ()
    u = graph.node_ids[graph.vertex_node[graph.src[edge]]]
    v = graph.node_ids[graph.vertex_node[graph.dst[edge]]]
    link = graph.network.links[int(graph.link[edge])]
    if link.mode in _SCHEDULED:
        return (u, v)
    if graph.border[edge] >= 0:
        return (v,)
    return ()


def corridor_label(graph: ExpandedGraph, edges: Sequence[int]) -> str:
    """Return the corridor label of a path given as expanded-graph edges.

    Examples
    --------
    The label of a route through the Dostyk border and the Aktau–Baku ferry reads
    ``"via Dostyk – Aktau – Baku"``.
    """
    nodes = graph.network.nodes_by_id
    keys: list[str] = []
    for e in edges:
        for nid in edge_key_nodes(graph, e):
            if not keys or keys[-1] != nid:
                keys.append(nid)
    if not keys:
        for e in edges:
            if graph.kind[e] == EdgeKind.TRANSFER:
                nid = graph.node_ids[graph.vertex_node[graph.src[e]]]
                if not keys or keys[-1] != nid:
                    keys.append(nid)
    if not keys:
        middle = _middle_place(graph, edges)
        if middle is None:
            return "direct"
        keys.append(middle)
    return "via " + " – ".join(nodes[k].name for k in keys)


def _middle_place(graph: ExpandedGraph, edges: Sequence[int]) -> str | None:
    """Return the intermediate place passed nearest half the distance of a path."""
    links = [e for e in edges if graph.kind[e] == EdgeKind.LINK]
    total = float(sum(graph.distance_km[e] for e in links))
    nodes = graph.network.nodes_by_id
    best: tuple[float, str] | None = None
    run = 0.0
    for e in links[:-1]:
        run += float(graph.distance_km[e])
        nid = graph.node_ids[graph.vertex_node[graph.dst[e]]]
        if nodes[nid].kind not in _PLACE_KINDS:
            continue
        score = abs(run - total / 2)
        if best is None or score < best[0]:
            best = (score, nid)
    return None if best is None else best[1]
