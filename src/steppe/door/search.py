"""Door-to-door routes: first mile, corridor network, last mile, in one search.

The access points are not fixed before the search.  A virtual source vertex gets one
edge to each access vertex of the origin (weighted by its first-mile leg, plus a
road-to-rail or road-to-sea transfer where the place has no road of its own) and every
egress vertex of the destination one edge to a virtual target; one Dijkstra run on this
copy of the expanded graph chooses first mile, corridor and last mile together.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from steppe.door.access import Access, access_points
from steppe.door.places import Point, find_town, point_from
from steppe.errors import ConfigError, NoRouteError, UnknownPlaceError
from steppe.network.lookup import find_place
from steppe.network.model import Mode, Network, Node
from steppe.routing._assemble import assemble_route
from steppe.routing._build import expanded_graph
from steppe.routing._query import transit_closed
from steppe.routing.graph import ExpandedGraph, carrier_mode
from steppe.routing.options import RouteOptions
from steppe.routing.result import Leg, Route, RouteResult

__all__ = [
    "CORRIDOR_SOURCE",
    "Attach",
    "End",
    "attachments",
    "door_ends",
    "door_route",
    "end_name",
    "network_place",
    "resolve_end",
    "search",
]

CORRIDOR_SOURCE = "steppe corridor network"
#: A route end: a network place, or a town or coordinate off the network.
End = Node | Point


@dataclass(frozen=True, slots=True)
class Attach:
    """An edge between a virtual end and a vertex of the expanded graph.

    ``access`` is the road leg (None when the end is a network place itself);
    ``transfer`` the network transfer row used at the place (-1 if none).
    """

    vertex: int
    weight: float
    access: Access | None = None
    transfer: int = -1
    transfer_h: float = 0.0
    transfer_usd: float = 0.0


def resolve_end(network: Network, query: str | Node) -> End:
    """Return the network place, GeoNames town or coordinate a route end means.

    A coordinate (``"46.1,100.7"``) is always a point; a name is looked up among the
    network's places first, then among the GeoNames towns.
    """
    if isinstance(query, Node):
        return network.node(query.id)
    text = str(query)
    point = point_from(text)
    if point is not None:
        return point
    try:
        return find_place(network, text, suggest=False)
    except UnknownPlaceError:
        try:
            town = find_town(text)
        except UnknownPlaceError as town_exc:
            try:
                find_place(network, text)
            except UnknownPlaceError as exc:
                hints = dict.fromkeys([*exc.suggestions, *town_exc.suggestions])
                raise UnknownPlaceError(text.strip(), list(hints)[:8]) from None
            raise
    same = [n for n in network.nodes if n.geonameid is not None and n.geonameid == town.geonameid]
    return same[0] if same else town


def network_place(network: Network, query: str | Node) -> Node:
    """Return the network place a query means, refusing a town or point off the network.

    For searches that need network places (Pareto sets, matrices, scenarios): the
    message says so instead of "unknown place".
    """
    end = resolve_end(network, query)
    if isinstance(end, Point):
        raise ConfigError(
            f"{end_name(end)} is off the network: door-to-door (first/last mile by road) "
            "works for the best route (steppe route, steppe.route) so far; give a network "
            "place here"
        )
    return end


def door_ends(
    network: Network, origin: str | Node, destination: str | Node
) -> tuple[End, End] | None:
    """Return both ends when at least one lies off the network, else None."""
    ends = (resolve_end(network, origin), resolve_end(network, destination))
    if all(isinstance(e, Node) for e in ends):
        return None
    return ends


def _vertex(graph: ExpandedGraph, node: int, carrier: str, role: int) -> int | None:
    lo = int(graph.start[node])
    hi = int(graph.start[node + 1]) if node + 1 < len(graph.start) else graph.n_vertices
    for v in range(lo + 2, hi):
        if graph.vertex_carrier[v] == carrier and int(graph.vertex_role[v]) == role:
            return v
    return None


def attachments(
    graph: ExpandedGraph, end: End, options: RouteOptions, ways: Sequence[Access], *, out: bool
) -> list[Attach]:
    """Return the vertices an end joins: from the origin (``out``) or to the destination."""
    if isinstance(end, Node):
        i = graph.node_ids.index(end.id)
        return [Attach(int(graph.start[i] if out else graph.end[i]), 0.0)]
    net, objective = graph.network, options.objective
    feu = options.cost_model.feu_equivalents(options.cargo)
    found: list[Attach] = []
    for way in ways:
        w = way.weight(objective, graph.value_of_time)
        road = _vertex(graph, way.node, "road", 2 if out else 3)
        if road is not None:
            found.append(Attach(road, w, way))
            continue
        node_id = graph.node_ids[way.node]
        for t, tr in enumerate(net.transfers):
            if tr.node != node_id or (tr.from_mode if out else tr.to_mode) is not Mode.ROAD:
                continue
            for v in range(int(graph.start[way.node]) + 2, graph.n_vertices):
                if int(graph.vertex_node[v]) != way.node:
                    break
                c = graph.vertex_carrier[v]
                mode = tr.to_mode if out else tr.from_mode
                if (
                    c is None
                    or carrier_mode(c) is not mode
                    or graph.vertex_role[v] != (3 if out else 2)
                ):
                    continue
                money = tr.cost_usd * feu
                extra = {"time": tr.time_h, "cost": money, "co2": 0.0, "distance": 0.0}.get(
                    objective.value, money + graph.value_of_time * tr.time_h
                )
                found.append(Attach(v, w + extra, way, t, tr.time_h, money))
    return found


def search(
    graph: ExpandedGraph,
    csr: tuple[sp.csr_matrix, np.ndarray],
    sources: Sequence[Attach],
    targets: Sequence[Attach],
) -> tuple[float, Attach, list[int], Attach] | None:
    """Return (weight, source, edges, target) of the best path between virtual ends.

    The expanded graph's CSR matrix is copied with a super-source (``n``) and a
    super-target (``n + 1``) vertex and searched once.
    """
    matrix, _ = csr
    n = graph.n_vertices
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(matrix.indptr))
    src = np.concatenate([rows, np.full(len(sources), n), [a.vertex for a in targets]])
    dst = np.concatenate(
        [matrix.indices, [a.vertex for a in sources], np.full(len(targets), n + 1)]
    )
    w = np.concatenate([matrix.data, [a.weight for a in sources], [a.weight for a in targets]])
    order = np.lexsort((w, dst, src))
    s, d, w = src[order].astype(np.int64), dst[order].astype(np.int64), w[order]
    first = np.ones(len(s), dtype=bool)
    first[1:] = (s[1:] != s[:-1]) | (d[1:] != d[:-1])
    s, d, w = s[first], d[first], w[first]
    indptr = np.zeros(n + 3, dtype=np.int64)
    np.cumsum(np.bincount(s, minlength=n + 2), out=indptr[1:])
    aug = sp.csr_matrix((w, d, indptr), shape=(n + 2, n + 2))
    dist, pred = dijkstra(aug, indices=n, return_predecessors=True)
    if not np.isfinite(dist[n + 1]):
        return None
    path = [n + 1]
    while path[-1] != n:
        path.append(int(pred[path[-1]]))
    path.reverse()
    inner = path[1:-1]
    by_src = {a.vertex: a for a in sources}
    by_dst = {a.vertex: a for a in targets}
    edges = [graph.edge_between(csr, u, v) for u, v in itertools.pairwise(inner)]
    return float(dist[n + 1]), by_src[inner[0]], edges, by_dst[inner[-1]]


def door_route(
    network: Network, ends: tuple[End, End], options: RouteOptions, *, alternatives: int = 1
) -> RouteResult:
    """Return the best door-to-door route between two ends (see the module docstring).

    ``alternatives`` is an upper bound as for :func:`steppe.routing.route`; off the network
    only the best route is returned so far.

    Raises
    ------
    ConfigError
        Options not available off the network (``via``, ``depart``), or an end in an
        avoided country.
    NoRoadError
        An end is too far from every road and every network place.
    NoRouteError
        No access place of the origin connects to one of the destination.
    """
    if alternatives < 1:
        raise ConfigError(f"alternatives: must be at least 1, got {alternatives}")
    if options.via:
        raise ConfigError("via: not available yet when an end lies off the network")
    if options.depart is not None:
        raise ConfigError("depart: not available yet when an end lies off the network")
    origin, destination = ends
    if (origin.lat, origin.lon) == (destination.lat, destination.lon):
        raise ConfigError(f"origin and destination are the same place ({end_name(origin)})")
    for role, end in (("origin", origin), ("destination", destination)):
        if end.country in options.avoid:
            raise ConfigError(
                f"avoid: the {role} {end_name(end)} is in {end.country}, which the route must avoid"
            )
    closed = transit_closed(network, options, (origin.country, destination.country))
    graph = expanded_graph(network, options, closed)
    pair = graph.bilateral_index(frozenset((origin.country, destination.country)))
    csr = graph.csr(options.objective, pair)
    vot = graph.value_of_time
    ways = [access_points(network, e, options, value_of_time=vot) if isinstance(e, Point)
            else [] for e in ends]  # fmt: skip
    sources = attachments(graph, origin, options, ways[0], out=True)
    targets = attachments(graph, destination, options, ways[1], out=False)
    found = search(graph, csr, sources, targets) if sources and targets else None
    if found is None:
        raise _no_door_route(graph, origin, destination, sources, targets)
    _, src, edges, dst = found
    route = _with_miles(graph, assemble_route(graph, edges), origin, destination, src, dst)
    return RouteResult(
        origin=end_name(origin), destination=end_name(destination),
        objective=options.objective.value, kind="shortest", routes=(route,),
    )  # fmt: skip


def end_name(end: End) -> str:
    if isinstance(end, Node):
        return end.name
    if end.near:
        return f"{end.label} (near {end.near})"
    return f"{end.label} ({end.country})"


def _no_door_route(
    graph: ExpandedGraph, origin: End, destination: End,
    sources: Sequence[Attach], targets: Sequence[Attach],
) -> NoRouteError:  # fmt: skip
    def places(ats: Sequence[Attach]) -> str:
        nodes = graph.network.nodes_by_id
        names = dict.fromkeys(
            nodes[graph.node_ids[int(graph.vertex_node[a.vertex])]].name for a in ats
        )
        return ", ".join(names) or "none"

    return NoRouteError(
        f"no route from {end_name(origin)} to {end_name(destination)}: no access place of the "
        f"origin ({places(sources)}) connects to one of the destination ({places(targets)}) "
        "by usable links and open border crossings under these options"
    )


def _mile_leg(graph: ExpandedGraph, end: Point, at: Attach, *, first: bool) -> list[Leg]:
    way = at.access
    assert way is not None  # a point always joins through a road leg
    node = graph.network.nodes_by_id[graph.node_ids[way.node]]
    geometry = way.geometry if first else tuple(reversed(way.geometry))
    ends = [(end.id, end.label), (node.id, node.name)]
    (a_id, a_name), (b_id, b_name) = ends if first else ends[::-1]
    leg = Leg(a_id, b_id, a_name, b_name, "road", "first_mile" if first else "last_mile",
              way.distance_km, way.time_h, way.cost_usd, way.co2_kg,
              "estimate:straight-line" if way.estimate else "osm:road-graph", geometry,
              source=way.source)  # fmt: skip
    if at.transfer < 0:
        return [leg]
    tr = graph.network.transfers[at.transfer]
    mode = (tr.to_mode if first else Mode.ROAD).value
    move = Leg(node.id, node.id, node.name, node.name, mode, "transfer", 0.0, at.transfer_h,
               at.transfer_usd, 0.0, f"{tr.node}:{tr.from_mode.value}>{tr.to_mode.value}",
               ((node.lat, node.lon),), source=CORRIDOR_SOURCE)  # fmt: skip
    return [leg, move] if first else [move, leg]


def _with_miles(  # noqa: PLR0917 (the parts of one route)
    graph: ExpandedGraph, core: Route, origin: End, destination: End, src: Attach, dst: Attach
) -> Route:
    """Return the corridor route with the first- and last-mile legs around it."""
    legs = [dataclasses.replace(leg, source=CORRIDOR_SOURCE) for leg in core.legs]
    nodes, places, countries = list(core.nodes), list(core.places), list(core.countries)
    if isinstance(origin, Point):
        legs = _mile_leg(graph, origin, src, first=True) + legs
        first = graph.network.nodes_by_id[graph.node_ids[int(graph.vertex_node[src.vertex])]]
        if not nodes:
            nodes, places, countries = [first.id], [first.name], [first.country]
        nodes.insert(0, origin.id)
        places.insert(0, origin.label)
        if countries[0] != origin.country:
            countries.insert(0, origin.country)
    if isinstance(destination, Point):
        legs += _mile_leg(graph, destination, dst, first=False)
        last = graph.network.nodes_by_id[graph.node_ids[int(graph.vertex_node[dst.vertex])]]
        if nodes[-1] != last.id and not core.nodes:
            nodes.append(last.id)
            places.append(last.name)
        nodes.append(destination.id)
        places.append(destination.label)
        if countries[-1] != destination.country:
            countries.append(destination.country)
    time_h = sum(leg.time_h for leg in legs)
    cost = sum(leg.cost_usd for leg in legs)
    route = dataclasses.replace(
        core, nodes=tuple(nodes), places=tuple(places), countries=tuple(countries),
        legs=tuple(legs), distance_km=sum(leg.distance_km for leg in legs), time_h=time_h,
        cost_usd=cost, co2_kg=sum(leg.co2_kg for leg in legs),
        generalized_cost=cost + graph.value_of_time * time_h, emissions=None,
    )  # fmt: skip
    return _with_emissions(graph, route)


def _with_emissions(graph: ExpandedGraph, route: Route) -> Route:
    """Attach the ISO 14083 breakdown, counting first/last miles as road legs."""
    if graph.options is None:
        return route
    from steppe.emissions.route import route_emissions, shipment_size

    as_links = dataclasses.replace(route, legs=tuple(
        dataclasses.replace(leg, kind="link") if leg.kind in ("first_mile", "last_mile")
        else leg for leg in route.legs
    ))  # fmt: skip
    tonnes, containers = shipment_size(graph.options)
    chain = route_emissions(as_links, graph.network, tonnes=tonnes, containers=containers,
                            model=graph.options.emissions)  # fmt: skip
    return dataclasses.replace(route, emissions=chain)
