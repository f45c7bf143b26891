"""Resolve a query's stops and apply the avoid and closed-transit rules; explain no route."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from steppe.errors import ConfigError, NoRouteError
from steppe.network.model import Mode, Network, Node
from steppe.routing._build import expanded_graph
from steppe.routing._derived import derived
from steppe.routing.graph import ExpandedGraph
from steppe.routing.options import ALL_MODES, Objective, RouteOptions

__all__ = [
    "Query",
    "check_stops",
    "no_route_error",
    "prepare",
    "stage_search",
    "transit_closed",
]


@dataclass(frozen=True, slots=True)
class Query:
    """A checked routing query: the stops as node ids, the options, and the countries
    closed to transit on this trip."""

    stops: tuple[str, ...]
    options: RouteOptions
    closed: frozenset[str] = frozenset()

    @property
    def objective(self) -> Objective:
        """Return the objective of the search."""
        return self.options.objective

    def graph(self, network: Network) -> ExpandedGraph:
        """Return the expanded graph for this query's options."""
        return expanded_graph(network, self.options, self.closed)

    def pair(self, graph: ExpandedGraph) -> int:
        """Return the bilateral pair index this trip's countries may use (-1: none)."""
        net = graph.network
        countries = frozenset(net.nodes_by_id[s].country for s in (self.stops[0], self.stops[-1]))
        return graph.bilateral_index(countries)


def transit_closed(network: Network, options: RouteOptions, ends: Iterable[str]) -> frozenset[str]:
    """Return the countries a trip between countries ``ends`` may not cross.

    These are the network's ``closed_transit`` countries and the options' own, less the
    trip's end countries (a closed country can still be the origin or destination).
    """
    return (frozenset(network.closed_transit) | options.closed_transit) - frozenset(ends)


def check_stops(
    nodes: Sequence[Node], options: RouteOptions, closed: frozenset[str], *, route: bool = True
) -> None:
    """Raise ConfigError if a stop lies in an avoided country or a via in a closed one.

    These are the avoid rules of every search; ``route=False`` words the message for a
    set of places (a matrix) rather than the stops of one route.
    """
    roles = _roles(len(nodes)) if route else ["place"] * len(nodes)
    for role, node in zip(roles, nodes, strict=True):
        if node.country in options.avoid:
            what = "the route must" if route else "the routes must"
            raise ConfigError(
                f"avoid: the {role} {node.name} is in {node.country}, which {what} avoid",
                parameter="avoid",
            )
        if role == "via place" and node.country in closed:
            raise ConfigError(
                f"via: the via place {node.name} is in {node.country}, which is closed to transit",
                parameter="via",
            )


def prepare(
    network: Network, origin: str | Node, destination: str | Node, options: RouteOptions
) -> Query:
    """Resolve the stops of a query and check them against its options."""
    from steppe.door.search import network_place  # names off the network: a clear refusal

    nodes = [network_place(network, s) for s in (origin, *options.via, destination)]
    ids = [n.id for n in nodes]
    if ids[0] == ids[-1]:
        raise ConfigError(f"origin and destination are the same place ({nodes[0].name})")
    for a, b in itertools.pairwise(ids):
        if a == b:
            raise ConfigError(
                f"via: {network.nodes_by_id[a].name} is given twice in a row as a stop",
                parameter="via",
            )
    closed = transit_closed(network, options, (nodes[0].country, nodes[-1].country))
    check_stops(nodes, options, closed)
    return Query(stops=tuple(ids), options=options, closed=closed)


def _roles(n: int) -> list[str]:
    return ["origin", *["via place"] * (n - 2), "destination"]


def stage_search(
    graph: ExpandedGraph,
    stops: Sequence[str],
    csr: tuple[sp.csr_matrix, np.ndarray],
) -> tuple[float, list[int]] | None:
    """Return (weight, edges) of the best path through the stops in order, or None.

    Each via stop is a stage: the search continues from every carrier the stop was
    reached on, so a via place does not give a free change of mode.
    """
    data = derived(graph)
    index = data.node_index
    sources: dict[int, float] = {int(graph.start[index[stops[0]]]): 0.0}
    stages: list[dict[int, tuple[int, np.ndarray]]] = []
    for k, stop in enumerate(stops[1:], start=1):
        i = index[stop]
        targets = [int(graph.end[i])] if k == len(stops) - 1 else graph.arrivals(i)
        srcs = list(sources)
        dist, pred = dijkstra(csr[0], indices=srcs[0] if len(srcs) == 1 else srcs,
                              return_predecessors=True)  # fmt: skip
        dist, pred = dist.reshape(len(srcs), -1), pred.reshape(len(srcs), -1)
        offsets = np.array([sources[s] for s in srcs])
        chosen: dict[int, tuple[int, np.ndarray]] = {}
        new_sources: dict[int, float] = {}
        for t in targets:
            vals = offsets + dist[:, t]
            j = int(np.argmin(vals))
            if np.isfinite(vals[j]):
                new_sources[t] = float(vals[j])
                chosen[t] = (srcs[j], pred[j])
        if not new_sources:
            return None
        stages.append(chosen)
        sources = new_sources
    target = next(iter(sources))
    weight = sources[target]
    verts: list[int] = []  # the path's vertices, end first
    for chosen in reversed(stages):
        src, pred = chosen[target]
        v = target
        row = pred.tolist() if len(pred) < 4096 else pred
        while v != src:
            verts.append(v)
            v = int(row[v])
        target = src
    verts.append(target)
    path = np.array(verts[::-1], dtype=np.int64)
    edges = data.lookup(csr).edges_of(path[:-1], path[1:])
    return weight, edges.tolist()


def _exists(
    network: Network,
    query: Query,
    *,
    modes: frozenset[Mode],
    avoid: frozenset[str],
    closed: bool = True,
) -> bool:
    options = query.options.replace(modes=modes, avoid=avoid)
    g = expanded_graph(network, options, query.closed if closed else frozenset())
    return stage_search(g, query.stops, g.csr("distance", query.pair(g))) is not None


def no_route_error(network: Network, query: Query) -> NoRouteError:
    """Return a NoRouteError whose message says which constraint blocks the trip.

    Each constraint is lifted in turn (avoided countries, closed-transit countries, the
    allowed modes), keeping the others; the first whose lifting opens a route is named.
    """
    names = network.nodes_by_id
    a, b = names[query.stops[0]].name, names[query.stops[-1]].name
    vias = [names[s].name for s in query.stops[1:-1]]
    via = f" via {', '.join(vias)}" if vias else ""
    head = f"no route from {a} to {b}{via}"
    opts = query.options
    if opts.avoid and _exists(network, query, modes=opts.modes, avoid=frozenset()):
        blockers = sorted(
            c for c in opts.avoid
            if _exists(network, query, modes=opts.modes, avoid=opts.avoid - {c})
        )  # fmt: skip
        if blockers:
            return NoRouteError(f"{head}: every route crosses {' or '.join(blockers)}")
        return NoRouteError(
            f"{head}: every route crosses at least one of {', '.join(sorted(opts.avoid))}"
        )
    if query.closed and _exists(network, query, modes=opts.modes, avoid=opts.avoid,
                                closed=False):  # fmt: skip
        return NoRouteError(
            f"{head}: every route transits {', '.join(sorted(query.closed))}, closed to transit"
        )
    if opts.modes != ALL_MODES and _exists(network, query, modes=ALL_MODES, avoid=opts.avoid):
        allowed = ",".join(sorted(m.value for m in opts.modes))
        return NoRouteError(
            f"{head} using only {allowed}: every route needs another mode (allow more modes)"
        )
    return NoRouteError(
        f"{head}: the places are not connected by usable links and open border crossings "
        "(closed and planned links, closed crossings and modes a crossing does not serve "
        "are not used)"
    )
