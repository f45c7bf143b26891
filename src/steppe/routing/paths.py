"""Shortest routes by any objective, through via places, and corridor-diverse alternatives.

Single-objective searches run :func:`scipy.sparse.csgraph.dijkstra` on the expanded graph
(:mod:`steppe.routing.graph`).  Alternatives use the penalty method: the links of each
route found are made more expensive and the search is repeated; a new route is kept only
if it takes a different corridor and at least ``min_dissimilarity`` of its distance runs
on links no kept route uses, so alternatives are not the same route with one detour.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

import numpy as np

from steppe.errors import ConfigError
from steppe.network.model import Mode, Network, Node
from steppe.routing._assemble import assemble_route
from steppe.routing._query import Query, no_route_error, prepare, stage_search
from steppe.routing.costs import Cargo, CostModel
from steppe.routing.graph import ExpandedGraph
from steppe.routing.result import Route, RouteResult

__all__ = ["objective_value", "route"]

logger = logging.getLogger(__name__)

MIN_DISSIMILARITY = 0.3
PENALTY = 1.5
MAX_ROUNDS_PER_ROUTE = 6


def objective_value(r: Route, objective: str) -> float:
    """Return a route's total for an objective."""
    values = {
        "time": r.time_h,
        "cost": r.cost_usd,
        "co2": r.co2_kg,
        "distance": r.distance_km,
        "generalized": r.generalized_cost,
    }
    return values[objective]


def route(
    network: Network,
    origin: str | Node,
    destination: str | Node,
    *,
    via: Sequence[str | Node] = (),
    modes: Iterable[str | Mode] | str | None = None,
    avoid: Iterable[str] | str = (),
    optimize: str = "generalized",
    alternatives: int = 1,
    cargo: Cargo | None = None,
    cost_model: CostModel | None = None,
) -> RouteResult:
    """Find the best route between two places, and optionally distinct alternatives.

    Parameters
    ----------
    network
        The network to route on.
    origin, destination
        Node ids, place names or aliases, or nodes.
    via
        Places to pass through, in order.
    modes
        Allowed modes (``road``, ``rail``, ``ferry``, ``sea``); ``None`` allows all.
    avoid
        Countries (ISO3, ISO2 or names) whose territory and border posts the route must
        not touch.
    optimize
        ``time``, ``cost``, ``co2``, ``distance`` or ``generalized`` (money plus the
        value of time).
    alternatives
        How many routes to return (at most; fewer if no more distinct corridors exist).
    cargo
        The shipment; default one FEU of 20 t.
    cost_model
        Prices, speeds and factors; default :class:`CostModel`.

    Returns
    -------
    RouteResult
        Routes best first, each with legs, totals and a corridor label.

    Raises
    ------
    UnknownPlaceError, AmbiguousPlaceError
        A place cannot be identified.
    ConfigError
        Contradictory or invalid options.
    NoRouteError
        No route satisfies the constraints; the message says which one blocks it.

    Examples
    --------
    >>> import steppe
    >>> net = steppe.load_network()
    >>> result = steppe.route(net, "Almaty", "Baku", avoid=["Russia"], optimize="time")
    >>> "RUS" in result.best.countries
    False
    """
    if alternatives < 1:
        raise ConfigError(f"alternatives must be at least 1, got {alternatives}")
    query = prepare(
        network,
        [origin, *via, destination],
        modes=modes,
        avoid=avoid,
        objective=optimize,
        cargo=cargo,
        cost_model=cost_model,
    )
    graph = query.graph(network)
    pair = query.pair(graph)
    csr = graph.csr(query.objective, pair)
    found = stage_search(graph, query.stops, csr)
    if found is None:
        raise no_route_error(network, query)
    best = assemble_route(graph, found[1])
    routes = [best]
    if alternatives > 1:
        routes = _alternatives(graph, query, pair, best, alternatives)
    names = network.nodes_by_id
    return RouteResult(
        origin=names[query.stops[0]].name,
        destination=names[query.stops[-1]].name,
        objective=query.objective,
        kind="shortest",
        routes=tuple(routes),
    )


def _alternatives(
    graph: ExpandedGraph, query: Query, pair: int, best: Route, k: int
) -> list[Route]:
    """Return up to ``k`` corridor-diverse routes by the penalty method."""
    base = graph.weights(query.objective)
    weights = base.copy()
    link_of_edge = graph.link
    index_of_link = {lk.id: i for i, lk in enumerate(graph.network.links)}
    kept = [best]
    last = best
    for _ in range(MAX_ROUNDS_PER_ROUTE * k):
        used = np.fromiter((index_of_link[x] for x in last.link_ids), dtype=np.int64)
        weights[np.isin(link_of_edge, used)] *= PENALTY
        found = stage_search(graph, query.stops, graph.csr(query.objective, pair, weights))
        if found is None:
            break
        candidate = assemble_route(graph, found[1])
        last = candidate
        if _distinct(candidate, kept):
            kept.append(candidate)
            if len(kept) == k:
                break
    return sorted(kept, key=lambda r: (objective_value(r, query.objective), r.corridor))


def _distinct(candidate: Route, kept: Sequence[Route]) -> bool:
    """Return whether a route takes another corridor and mostly other links than all kept."""
    lengths = {leg.ref: leg.distance_km for leg in candidate.legs if leg.kind == "link"}
    total = sum(lengths.values()) or 1.0
    for other in kept:
        if other.corridor == candidate.corridor:
            return False
        shared = set(other.link_ids)
        new = sum(km for ref, km in lengths.items() if ref not in shared)
        if new / total < MIN_DISSIMILARITY:
            return False
    return True
