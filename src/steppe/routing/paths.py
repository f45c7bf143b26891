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
from collections.abc import Iterable, Sequence
from datetime import date

from steppe.errors import ConfigError
from steppe.network.model import Mode, Network, Node
from steppe.routing._alternatives import via_node_alternatives
from steppe.routing._assemble import assemble_route
from steppe.routing._clock import parse_depart
from steppe.routing._query import no_route_error, prepare, stage_search
from steppe.routing.costs import Cargo, CostModel
from steppe.routing.result import Route, RouteResult
from steppe.routing.timedep import for_date

__all__ = ["objective_value", "route"]

logger = logging.getLogger(__name__)


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
    depart: str | date | None = None,
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
        How many routes to return (at most; fewer if no more meaningfully different
        routes exist; see ``docs/routing.md``).
    cargo
        The shipment; default one FEU of 20 t.
    cost_model
        Prices, speeds and factors; default :class:`CostModel`.
    depart
        Departure date (``"2025-07-10"``, a date or date-time).  With a date the search
        is time-dependent (earliest arrival, FIFO): closures, queues, sailings and
        weather are met at the moment the shipment gets there, and legs say why they
        waited; without one, their yearly averages apply (``docs/time-model.md``).

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
    moment = parse_depart(depart)
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
        found_routes = via_node_alternatives(graph, query, pair, best, alternatives)
        routes = sorted(found_routes, key=lambda r: objective_value(r, query.objective))
    names = network.nodes_by_id
    result = RouteResult(
        origin=names[query.stops[0]].name,
        destination=names[query.stops[-1]].name,
        objective=query.objective,
        kind="shortest",
        routes=tuple(routes),
    )
    if moment is None:
        return result
    return for_date(network, graph, result, query.stops, moment,
                    objective=query.objective, pair=pair, search=True)  # fmt: skip
