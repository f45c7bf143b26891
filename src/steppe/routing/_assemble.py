"""Turn a path of expanded-graph edges into a :class:`~steppe.routing.result.Route`."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from steppe.emissions.chain import ChainEmissions, HubEmissions, LegEmissions
from steppe.network.model import Link, Network
from steppe.routing._derived import derived
from steppe.routing.corridor import corridor_label
from steppe.routing.graph import EdgeKind, ExpandedGraph
from steppe.routing.result import Leg, Route

__all__ = ["Piece", "assemble_route", "with_emissions"]


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
    emits: tuple[int, LegEmissions | HubEmissions] | None = None
    """The index of the emitting leg in :attr:`legs` and its emissions (leg index -1)."""


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
        hub = _hub_emits(graph, legs[-1], len(legs) - 1) if kind == EdgeKind.TRANSFER else None
        return Piece(tuple(legs), (u,), (un.country,), emits=hub)
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
    emits = _leg_emits(graph, link, mode, float(graph.distance_km[e]), int(graph.wait_h[e] > 0))
    return Piece(tuple(legs), (u, v), countries, link.id, crossing, emits)


def _leg_emits(
    graph: ExpandedGraph, link: Link, mode: str, km: float, at: int
) -> tuple[int, LegEmissions] | None:
    """Return what a link leg emits, as :func:`steppe.emissions.route.route_emissions` has it."""
    if graph.options is None:
        return None
    from steppe.emissions.chain import leg_emissions
    from steppe.emissions.route import shipment_size

    tonnes, _ = shipment_size(graph.options)
    return at, leg_emissions(
        graph.options.emissions, mode, km, tonnes, graph.network.link_countries(link)
    )


def _hub_emits(graph: ExpandedGraph, leg: Leg, at: int) -> tuple[int, HubEmissions] | None:
    """Return what a transfer leg emits at its hub, as ``route_emissions`` has it."""
    if graph.options is None:
        return None
    from steppe.emissions.chain import hub_emissions
    from steppe.emissions.route import hub_kind, shipment_size

    tonnes, containers = shipment_size(graph.options)
    return at, hub_emissions(graph.options.emissions, hub_kind(leg.ref), tonnes=tonnes,
                             containers=containers, node=leg.from_id)  # fmt: skip


def _merged(items: list[str]) -> tuple[str, ...]:
    """Return items with consecutive repeats dropped."""
    out: list[str] = []
    last = None
    for x in items:
        if x != last:
            out.append(x)
            last = x
    return tuple(out)


def assemble_route(graph: ExpandedGraph, edges: Sequence[int], *, emissions: bool = True) -> Route:
    """Build a route (legs, totals, countries, corridor) from expanded-graph edges.

    Each edge's legs (and what they emit) are built once per graph and shared by every
    route that uses it.  ``emissions=False`` leaves the ISO 14083 breakdown out (a
    candidate that may be discarded; :func:`with_emissions` adds it later).
    """
    memo = derived(graph).pieces
    pieces = []
    for e in edges:
        piece = memo.get(e)
        if piece is None:
            piece = memo[e] = _piece(graph, e)
        pieces.append(piece)
    legs = tuple([leg for p in pieces for leg in p.legs])
    visited = _merged([n for p in pieces for n in p.nodes])
    nodes = graph.network.nodes_by_id
    time_h = sum([leg.time_h for leg in legs])
    cost = sum([leg.cost_usd for leg in legs])
    route = Route(
        nodes=visited,
        places=tuple([nodes[n].name for n in visited]),
        countries=_merged([c for p in pieces for c in p.countries]),
        legs=legs,
        border_crossings=tuple([p.crossing for p in pieces if p.crossing is not None]),
        distance_km=sum([leg.distance_km for leg in legs]),
        time_h=time_h,
        cost_usd=cost,
        co2_kg=sum([leg.co2_kg for leg in legs]),
        generalized_cost=cost + graph.value_of_time * time_h,
        corridor=corridor_label(graph, edges),
        link_ids=tuple([p.link_id for p in pieces if p.link_id is not None]),
    )
    return with_emissions(graph, route, edges) if emissions else route


def with_emissions(graph: ExpandedGraph, route: Route, edges: Sequence[int]) -> Route:
    """Attach the ISO 14083 WTW/TTW breakdown of a route's legs and hubs.

    The same figures as :func:`steppe.emissions.route.route_emissions`, from each edge's
    emissions worked out once per graph.
    """
    if graph.options is None:
        return route
    memo = derived(graph).pieces
    legs: list[LegEmissions] = []
    hubs: list[HubEmissions] = []
    at = 0
    for e in edges:
        piece = memo.get(e)
        if piece is None:
            piece = memo[e] = _piece(graph, e)
        if piece.emits is not None:
            offset, x = piece.emits
            i = at + offset
            if isinstance(x, HubEmissions):
                hubs.append(HubEmissions(x.kind, x.node, x.tonnes, x.containers, x.factor_id,
                                         x.unit, x.factor, x.source, leg_index=i))  # fmt: skip
            else:
                legs.append(LegEmissions(
                    x.mode, x.distance_km, x.tonnes, x.countries, x.wtt_g_per_tkm,
                    x.ttw_g_per_tkm, x.factor_ids, x.sources, x.note, x.load_factor,
                    x.empty_running, leg_index=i,
                ))  # fmt: skip
        at += len(piece.legs)
    return dataclasses.replace(route, emissions=ChainEmissions(tuple(legs), tuple(hubs)))
