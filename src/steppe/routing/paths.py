"""Shortest routes by any objective, through via places, and corridor-diverse alternatives.

Single-objective searches run :func:`scipy.sparse.csgraph.dijkstra` on the expanded graph
(:mod:`steppe.routing.graph`).  Alternatives come from the via-node method
(:mod:`steppe.routing._alternatives`): candidates through each vertex in increasing cost,
kept when they are locally optimal, within a bounded stretch of the best route and
meaningfully different from every route kept (another corridor, mostly other links), so
alternatives are not the same route with one detour.
"""

from __future__ import annotations

import logging
from typing import Any

from steppe.errors import ConfigError
from steppe.network.model import Network, Node
from steppe.routing._alternatives import via_node_alternatives
from steppe.routing._assemble import assemble_route
from steppe.routing._query import no_route_error, prepare, stage_search
from steppe.routing.dated import for_date
from steppe.routing.options import RouteOptions
from steppe.routing.result import RouteResult

__all__ = ["route"]

logger = logging.getLogger(__name__)


def route(
    network: Network,
    origin: str | Node,
    destination: str | Node,
    options: RouteOptions | None = None,
    *,
    alternatives: int = 1,
    **keywords: Any,
) -> RouteResult:
    """Find the best route between two places, and optionally distinct alternatives.

    Parameters
    ----------
    network
        The network to route on.
    origin, destination
        Node ids, place names or aliases, or nodes.
    options
        The query's options (modes, avoided countries, via places, objective, cargo,
        cost model); default :class:`RouteOptions` ().
    alternatives
        How many routes to return (at most; fewer if no more meaningfully different
        routes exist; see ``docs/routing.md``).
    **keywords
        The keyword form of the options, applied on top of ``options`` by
        :meth:`RouteOptions.build`: ``via``, ``modes``, ``avoid``, ``closed_transit``,
        ``optimize`` (or ``objective``), ``cargo``, ``cost_model``.

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
    >>> opts = steppe.RouteOptions(avoid=["Russia"], objective="time")
    >>> steppe.route(net, "Almaty", "Baku", opts).best == result.best
    True
    """
    if alternatives < 1:
        raise ConfigError(
            f"alternatives: must be at least 1, got {alternatives}", parameter="alternatives"
        )
    query = prepare(network, origin, destination, RouteOptions.build(options, **keywords))
    graph = query.graph(network)
    pair = query.pair(graph)
    csr = graph.csr(query.objective, pair)
    found = stage_search(graph, query.stops, csr)
    if found is None:
        raise no_route_error(network, query)
    best = assemble_route(graph, found[1])
    routes = [best]
    if alternatives > 1:
        found_routes = via_node_alternatives(graph, query, pair, best, alternatives)
        routes = sorted(found_routes, key=query.objective.total)
    names = network.nodes_by_id
    result = RouteResult(
        origin=names[query.stops[0]].name,
        destination=names[query.stops[-1]].name,
        objective=query.objective.value,
        kind="shortest",
        routes=tuple(routes),
    )
    if query.options.depart is None:
        return result
    return for_date(network, graph, result, query.stops, query.options.depart,
                    objective=query.objective.value, pair=pair, search=True)  # fmt: skip
