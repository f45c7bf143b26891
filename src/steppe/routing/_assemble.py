"""Turn a path of expanded-graph edges into a :class:`~steppe.routing.result.Route`."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from steppe.network.model import Link, Network
from steppe.routing._derived import derived
from steppe.routing.corridor import corridor_label
from steppe.routing.graph import EdgeKind, ExpandedGraph
from steppe.routing.result import Leg, Route

__all__ = ["Piece", "assemble_route"]


def _geometry(network: Network, link: Link, u: str) -> tuple[tuple[float, float], ...]:
    if link.geometry:
        return link.geometry if u == link.a else tuple(reversed(link.geometry))
    a, b = network.nodes_by_id[link.a], network.nodes_by_id[link.b]
    line = ((a.lat, a.lon), (b.lat, b.lon))
    return line if u == link.a else line[::-1]


def _countries(network: Network, link: Link, u: str) -> tuple[str, ...]:
    cs = network.link_countries(link)
    return cs if u == link.a else tuple(reversed(cs))


def _price(graph: ExpandedGraph, basis: np.ndarray, e: int) -> tuple[str, str]:
    """Return (price_ref, price_source) of edge ``e`` (empty if the graph has no record)."""
    if len(basis) <= e or basis[e] < 0:
        return "", ""
    b = graph.price_bases[basis[e]]
    return b.ref, b.source


def _node_wait(graph: ExpandedGraph, e: int, u: str, name: str, at: tuple[float, float]) -> Leg:
    """Return the leg of a port or terminal dwell before leaving a node (calendars, queues)."""
    mode = str(graph.vertex_carrier[graph.dst[e]]).split(":")[0]
    return Leg(u, u, name, name, mode, "wait", 0.0, float(graph.wait_h[e]), 0.0, 0.0,
               f"{u}:{mode}", (at,))  # fmt: skip


@dataclass(frozen=True, slots=True)
class Piece:
    """What one expanded-graph edge adds to a route: its legs, the nodes it visits and
    the countries it passes (in order, repeats merged by the route), its link and the
    border crossing it names."""

    legs: tuple[Leg, ...]
    nodes: tuple[str, ...]
    countries: tuple[str, ...]
    link_id: str | None = None
    crossing: str | None = None


def _piece(graph: ExpandedGraph, e: int) -> Piece:
    """Return the route piece of edge ``e`` (legs are immutable, so pieces are shared)."""
    net = graph.network
    nodes = net.nodes_by_id
    u = graph.node_ids[graph.vertex_node[graph.src[e]]]
    v = graph.node_ids[graph.vertex_node[graph.dst[e]]]
    un, vn = nodes[u], nodes[v]
    kind = int(graph.kind[e])
    legs: list[Leg] = []
    if kind in (EdgeKind.START, EdgeKind.TRANSFER) and graph.wait_h[e] > 0:
        legs.append(_node_wait(graph, e, u, un.name, (un.lat, un.lon)))
    if kind == EdgeKind.TRANSFER:
        tr = net.transfers[int(graph.transfer[e])]
        c_from = graph.vertex_carrier[graph.src[e]]
        c_to = graph.vertex_carrier[graph.dst[e]]
        legs.append(Leg(
            u, u, un.name, un.name, str(c_to).split(":")[0], "transfer", 0.0,
            float(graph.transfer_h[e]), float(graph.transfer_cost[e]), float(graph.co2_kg[e]),
            f"{tr.node}:{c_from}>{c_to}", ((un.lat, un.lon),),
            *_price(graph, graph.cost_basis, e),
        ))  # fmt: skip
    if kind != EdgeKind.LINK:
        return Piece(tuple(legs), (u,), (un.country,))
    link = net.links[int(graph.link[e])]
    mode = link.mode.value
    if graph.wait_h[e] > 0:
        legs.append(Leg(
            u, u, un.name, un.name, mode, "wait", 0.0, float(graph.wait_h[e]), 0.0, 0.0,
            link.id, ((un.lat, un.lon),),
        ))  # fmt: skip
    legs.append(Leg(
        u, v, un.name, vn.name, mode, "link", float(graph.distance_km[e]),
        float(graph.move_h[e]), float(graph.link_cost[e]), float(graph.co2_kg[e]),
        link.id, _geometry(net, link, u), *_price(graph, graph.cost_basis, e),
    ))  # fmt: skip
    crossing = None
    if graph.border[e] >= 0:
        border = net.borders[int(graph.border[e])]
        crossing = border.name or f"{nodes[border.a].name} / {nodes[border.b].name}"
        legs.append(Leg(
            u, v, un.name, vn.name, mode, "border", 0.0, float(graph.dwell_h[e]),
            float(graph.fee_cost[e]), 0.0, border.id, ((vn.lat, vn.lon),),
            *_price(graph, graph.fee_basis, e),
        ))  # fmt: skip
    countries = (un.country, *_countries(net, link, u), vn.country)
    return Piece(tuple(legs), (u, v), countries, link.id, crossing)


def _merged(items: Iterable[str]) -> tuple[str, ...]:
    """Return items with consecutive repeats dropped."""
    out: list[str] = []
    for x in items:
        if not out or out[-1] != x:
            out.append(x)
    return tuple(out)


def assemble_route(graph: ExpandedGraph, edges: Sequence[int]) -> Route:
    """Build a route (legs, totals, countries, corridor) from expanded-graph edges.

    Each edge's legs are built once per graph and shared by every route that uses it.
    """
    memo = derived(graph).pieces
    pieces = []
    for e in edges:
        piece = memo.get(e)
        if piece is None:
            piece = memo[e] = _piece(graph, e)
        pieces.append(piece)
    legs = tuple(leg for p in pieces for leg in p.legs)
    visited = _merged(n for p in pieces for n in p.nodes)
    nodes = graph.network.nodes_by_id
    time_h = sum(leg.time_h for leg in legs)
    cost = sum(leg.cost_usd for leg in legs)
    route = Route(
        nodes=visited,
        places=tuple(nodes[n].name for n in visited),
        countries=_merged(c for p in pieces for c in p.countries),
        legs=legs,
        border_crossings=tuple(p.crossing for p in pieces if p.crossing is not None),
        distance_km=sum(leg.distance_km for leg in legs),
        time_h=time_h,
        cost_usd=cost,
        co2_kg=sum(leg.co2_kg for leg in legs),
        generalized_cost=cost + graph.value_of_time * time_h,
        corridor=corridor_label(graph, edges),
        link_ids=tuple(p.link_id for p in pieces if p.link_id is not None),
    )
    return _with_emissions(graph, route)


def _with_emissions(graph: ExpandedGraph, route: Route) -> Route:
    """Attach the ISO 14083 WTW/TTW breakdown of the route's legs and hubs."""
    if graph.options is None:
        return route
    from steppe.emissions.route import route_emissions, shipment_size

    tonnes, containers = shipment_size(graph.options)
    chain = route_emissions(
        route, graph.network, tonnes=tonnes, containers=containers,
        model=graph.options.emissions,
    )  # fmt: skip
    return dataclasses.replace(route, emissions=chain)
