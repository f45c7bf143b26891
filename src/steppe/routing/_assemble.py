"""Turn a path of expanded-graph edges into a :class:`~steppe.routing.result.Route`."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from steppe.network.model import Link, Network
from steppe.routing.corridor import corridor_label
from steppe.routing.graph import EdgeKind, ExpandedGraph
from steppe.routing.result import Leg, Route

__all__ = ["assemble_route"]


def _geometry(network: Network, link: Link, u: str) -> tuple[tuple[float, float], ...]:
    if link.geometry:
        return link.geometry if u == link.a else tuple(reversed(link.geometry))
    a, b = network.nodes_by_id[link.a], network.nodes_by_id[link.b]
    line = ((a.lat, a.lon), (b.lat, b.lon))
    return line if u == link.a else line[::-1]


def _countries(network: Network, link: Link, u: str) -> tuple[str, ...]:
    cs = network.link_countries(link)
    return cs if u == link.a else tuple(reversed(cs))


def _node_wait(graph: ExpandedGraph, e: int, u: str, name: str, at: tuple[float, float]) -> Leg:
    """Return the leg of a port or terminal dwell before leaving a node (calendars, queues)."""
    mode = str(graph.vertex_carrier[graph.dst[e]]).split(":")[0]
    return Leg(u, u, name, name, mode, "wait", 0.0, float(graph.wait_h[e]), 0.0, 0.0,
               f"{u}:{mode}", (at,))  # fmt: skip


def assemble_route(graph: ExpandedGraph, edges: Sequence[int]) -> Route:
    """Build a route (legs, totals, countries, corridor) from expanded-graph edges."""
    net = graph.network
    nodes = net.nodes_by_id
    legs: list[Leg] = []
    visited: list[str] = []
    countries: list[str] = []
    crossings: list[str] = []
    link_ids: list[str] = []

    def visit(nid: str) -> None:
        if not visited or visited[-1] != nid:
            visited.append(nid)
        add_country(nodes[nid].country)

    def add_country(iso3: str) -> None:
        if not countries or countries[-1] != iso3:
            countries.append(iso3)

    for e in edges:
        u = graph.node_ids[graph.vertex_node[graph.src[e]]]
        v = graph.node_ids[graph.vertex_node[graph.dst[e]]]
        un, vn = nodes[u], nodes[v]
        kind = int(graph.kind[e])
        visit(u)
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
            ))  # fmt: skip
            continue
        if kind != EdgeKind.LINK:
            continue
        link = net.links[int(graph.link[e])]
        mode = link.mode.value
        link_ids.append(link.id)
        if graph.wait_h[e] > 0:
            legs.append(Leg(
                u, u, un.name, un.name, mode, "wait", 0.0, float(graph.wait_h[e]), 0.0, 0.0,
                link.id, ((un.lat, un.lon),),
            ))  # fmt: skip
        legs.append(Leg(
            u, v, un.name, vn.name, mode, "link", float(graph.distance_km[e]),
            float(graph.move_h[e]), float(graph.link_cost[e]), float(graph.co2_kg[e]),
            link.id, _geometry(net, link, u),
        ))  # fmt: skip
        for iso3 in _countries(net, link, u):
            add_country(iso3)
        if graph.border[e] >= 0:
            border = net.borders[int(graph.border[e])]
            crossings.append(border.name or f"{nodes[border.a].name} / {nodes[border.b].name}")
            legs.append(Leg(
                u, v, un.name, vn.name, mode, "border", 0.0, float(graph.dwell_h[e]),
                float(graph.fee_cost[e]), 0.0, border.id, ((vn.lat, vn.lon),),
            ))  # fmt: skip
        visit(v)
    if not visited and edges:
        visit(graph.node_ids[graph.vertex_node[graph.src[edges[0]]]])
    time_h = sum(leg.time_h for leg in legs)
    cost = sum(leg.cost_usd for leg in legs)
    route = Route(
        nodes=tuple(visited),
        places=tuple(nodes[n].name for n in visited),
        countries=tuple(countries),
        legs=tuple(legs),
        border_crossings=tuple(crossings),
        distance_km=sum(leg.distance_km for leg in legs),
        time_h=time_h,
        cost_usd=cost,
        co2_kg=sum(leg.co2_kg for leg in legs),
        generalized_cost=cost + graph.value_of_time * time_h,
        corridor=corridor_label(graph, edges),
        link_ids=tuple(link_ids),
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
