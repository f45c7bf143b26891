"""The earlier penalty method of alternative routes: a reference for tests and benchmarks.

After each route found, the weights of its links are multiplied by 1.5 and the search
repeated.  The library uses the via-node method (``steppe.routing._alternatives``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from steppe.routing._alternatives import shared_fraction
from steppe.routing._assemble import assemble_route
from steppe.routing._query import Query, stage_search
from steppe.routing.graph import ExpandedGraph
from steppe.routing.result import Route

PENALTY = 1.5
MIN_DISSIMILARITY = 0.3
MAX_ROUNDS_PER_ROUTE = 6


def penalty_alternatives(
    graph: ExpandedGraph,
    query: Query,
    pair: int,
    best: Route,
    k: int,
    *,
    accept: Callable[[Route, Route], bool] | None = None,
) -> list[Route]:
    """Return up to ``k`` routes by the penalty method (the earlier method, for reference).

    After each route found, the weights of its links are multiplied by 1.5 and the search
    repeated; a candidate is kept if its corridor label differs from every kept route's
    and at least 30 % of its distance runs on links no kept route uses, or, if ``accept``
    is given, when ``accept(candidate, kept_route)`` holds for every kept route.
    """
    ok = _old_distinct if accept is None else accept
    weights = graph.weights(query.objective).copy()
    index_of_link = {lk.id: i for i, lk in enumerate(graph.network.links)}
    kept = [best]
    last = best
    for _ in range(MAX_ROUNDS_PER_ROUTE * k):
        used = np.fromiter((index_of_link[x] for x in last.link_ids), dtype=np.int64)
        weights[np.isin(graph.link, used)] *= PENALTY
        found = stage_search(graph, query.stops, graph.csr(query.objective, pair, weights))
        if found is None:
            break
        candidate = assemble_route(graph, found[1])
        last = candidate
        if all(ok(candidate, other) for other in kept):
            kept.append(candidate)
            if len(kept) == k:
                break
    return kept


def _old_distinct(candidate: Route, other: Route) -> bool:
    return (
        other.corridor != candidate.corridor
        and 1 - shared_fraction(candidate, other) >= MIN_DISSIMILARITY
    )
