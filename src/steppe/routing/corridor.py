"""Corridor labels: name a route by the places a forwarder would name it by.

Key places are, in order of travel:

* the crossing point entered at each land border crossing **that carries dwell** for the
  mode and direction used (crossings with zero dwell, e.g. inside Schengen or the EAEU,
  are not named);
* the place of each **gauge change** (a rail-to-rail transfer between gauges);
* **both ports of each ferry or sea leg**.

Consecutive mentions of one place merge (a border post that is also the gauge change is
named once, weighted by the larger of the two).  A label names at most
:data:`MAX_LABEL_PLACES` places: ports are always kept, and the remaining slots go to the
crossings and gauge changes with the largest dwell or transfer time (earlier first on
ties), shown in order of travel.  A route with none of these (a domestic land route) is
named by the transfer points it uses, and failing those by the intermediate place
nearest half its distance; a route with no intermediate place is ``"direct"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from steppe.network.model import Mode, NodeKind
from steppe.routing._derived import derived
from steppe.routing.graph import EdgeKind, ExpandedGraph

__all__ = [
    "MAX_LABEL_PLACES",
    "KeyPlace",
    "corridor_label",
    "edge_key_places",
    "label_of",
    "merge_places",
]

MAX_LABEL_PLACES = 6
# the modes whose legs are sailings (a set: this test runs for every edge of a matrix)
_SCHEDULED = frozenset(m for m in Mode if m.scheduled)

_PLACE_KINDS = (NodeKind.CITY, NodeKind.SEA_PORT, NodeKind.DRY_PORT, NodeKind.RAIL_TERMINAL)


class KeyPlace(NamedTuple):
    """A place a corridor label may name: node id, weight (hours), port or crossing flag."""

    node: str
    weight: float
    port: bool
    crossing: bool = False


def edge_key_places(graph: ExpandedGraph, edge: int) -> tuple[KeyPlace, ...]:
    """Return the key places an expanded-graph edge contributes to a corridor label.

    A ferry or sea link gives its two ports; a link across a border crossing with dwell
    gives the crossing point entered; a transfer between rail gauges gives its node.
    """
    kind = int(graph.kind[edge])
    if kind == EdgeKind.TRANSFER:
        c_from = graph.vertex_carrier[graph.src[edge]] or ""
        c_to = graph.vertex_carrier[graph.dst[edge]] or ""
        if c_from.startswith("rail:") and c_to.startswith("rail:") and c_from != c_to:
            node = graph.node_ids[graph.vertex_node[graph.src[edge]]]
            return (KeyPlace(node, float(graph.transfer_h[edge]), False),)
        return ()
    if kind != EdgeKind.LINK:
        return ()
    u = graph.node_ids[graph.vertex_node[graph.src[edge]]]
    v = graph.node_ids[graph.vertex_node[graph.dst[edge]]]
    link = graph.network.links[int(graph.link[edge])]
    if link.mode in _SCHEDULED:
        return (KeyPlace(u, 0.0, True), KeyPlace(v, 0.0, True))
    if graph.border[edge] >= 0 and graph.dwell_h[edge] > 0:
        return (KeyPlace(v, float(graph.dwell_h[edge]), False, True),)
    return ()


def merge_places(
    graph: ExpandedGraph, places: Sequence[KeyPlace], more: Sequence[KeyPlace]
) -> list[KeyPlace]:
    """Append key places, merging a place that repeats the last one.

    A gauge change at one post of a border crossing next to that crossing merges into
    the crossing (named by the post entered), so a crossing is named once.
    """
    pairs = graph.network.borders_by_pair
    out = list(places)
    for p in more:
        last = out[-1] if out else None
        if last is not None and last.node == p.node:
            node = p.node
        elif (
            last is not None
            and last.crossing != p.crossing
            and not (last.port or p.port)
            and frozenset((last.node, p.node)) in pairs
        ):
            node = last.node if last.crossing else p.node
        else:
            out.append(p)
            continue
        out[-1] = KeyPlace(
            node, max(last.weight, p.weight), last.port or p.port, last.crossing or p.crossing
        )
    return out


def label_of(graph: ExpandedGraph, places: Sequence[KeyPlace]) -> str:
    """Return ``"via A – B – ..."`` for key places, capped as the module docstring says."""
    keep = {i for i, p in enumerate(places) if p.port}
    others = sorted(
        (i for i, p in enumerate(places) if not p.port), key=lambda i: (-places[i].weight, i)
    )
    room = max(MAX_LABEL_PLACES - len(keep), 0)
    keep.update(others[:room])
    nodes = graph.network.nodes_by_id
    names: list[str] = []
    for i in sorted(keep):
        name = nodes[places[i].node].name
        if not names or names[-1] != name:
            names.append(name)
    return "via " + " – ".join(names)


def corridor_label(graph: ExpandedGraph, edges: Sequence[int]) -> str:
    """Return the corridor label of a path given as expanded-graph edges.

    Examples
    --------
    A route through the Dostyk border (with dwell), the Aktau–Baku ferry and then a
    border with no dwell into Georgia is labelled ``"via Dostyk – Aktau – Baku"``.
    """
    data = derived(graph)
    key, moves = data.key_list, data.transitions
    state = 0  # the key places met so far, as a state numbered once per graph
    for e in edges:
        if key[e]:
            after = moves.get((state, e))
            state = data.step_one(state, e) if after is None else after
    if state:
        return data.describe(state)[0]
    places: list[KeyPlace] = []
    for e in edges:
        if graph.kind[e] == EdgeKind.TRANSFER:
            nid = graph.node_ids[graph.vertex_node[graph.src[e]]]
            places = merge_places(
                graph, places, (KeyPlace(nid, float(graph.transfer_h[e]), False),)
            )
    if not places:
        middle = _middle_place(graph, edges)
        if middle is None:
            return "direct"
        places.append(KeyPlace(middle, 0.0, False))
    return label_of(graph, places)


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
