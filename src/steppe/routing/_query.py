"""Check and normalise query options; explain why no route exists."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse.csgraph import dijkstra

from steppe.errors import ConfigError, NoRouteError
from steppe.network.lookup import find_place
from steppe.network.model import Mode, Network, Node
from steppe.routing._build import expanded_graph
from steppe.routing.costs import OBJECTIVES, Cargo, CostModel
from steppe.routing.graph import ExpandedGraph

__all__ = [
    "Query",
    "no_route_error",
    "parse_avoid",
    "parse_modes",
    "prepare",
    "stage_search",
]

ALL_MODES = frozenset(Mode)


@dataclass(frozen=True, slots=True)
class Query:
    """A checked routing query: the stops as node ids and the frozen options."""

    stops: tuple[str, ...]
    modes: frozenset[Mode]
    avoid: frozenset[str]
    objective: str
    cargo: Cargo
    cost_model: CostModel
    closed: frozenset[str] = frozenset()

    def graph(self, network: Network) -> ExpandedGraph:
        """Return the expanded graph for this query's options."""
        blocked = self.avoid | self.closed
        return expanded_graph(network, self.cost_model, self.cargo, self.modes, blocked)

    def pair(self, graph: ExpandedGraph) -> int:
        """Return the bilateral pair index this trip's countries may use (-1: none)."""
        net = graph.network
        countries = frozenset(net.nodes_by_id[s].country for s in (self.stops[0], self.stops[-1]))
        return graph.bilateral_index(countries)


def parse_modes(modes: Iterable[str | Mode] | str | None) -> frozenset[Mode]:
    """Return allowed modes from names (or a comma-separated string); None means all."""
    if modes is None:
        return ALL_MODES
    items = modes.split(",") if isinstance(modes, str) else list(modes)
    out: set[Mode] = set()
    for m in items:
        name = str(m).strip().lower()
        if not name:
            continue
        try:
            out.add(Mode(name))
        except ValueError:
            known = ", ".join(x.value for x in Mode)
            raise ConfigError(f"unknown mode {name!r}; use one of {known}") from None
    if not out:
        raise ConfigError("no transport mode allowed; give at least one of road, rail, ferry, sea")
    return frozenset(out)


def parse_avoid(avoid: Iterable[str] | str) -> frozenset[str]:
    """Return ISO3 codes from ISO3, ISO2 or country names (or a comma-separated string)."""
    from steppe.countries import resolve_country

    items = avoid.split(",") if isinstance(avoid, str) else list(avoid)
    return frozenset(resolve_country(a.strip()) for a in items if a.strip())


def prepare(
    network: Network,
    stops: Sequence[str | Node],
    *,
    modes: Iterable[str | Mode] | str | None,
    avoid: Iterable[str] | str,
    objective: str,
    cargo: Cargo | None,
    cost_model: CostModel | None,
) -> Query:
    """Resolve places and options, raising ConfigError for contradictory ones."""
    if objective not in OBJECTIVES:
        raise ConfigError(f"unknown objective {objective!r}; use one of {', '.join(OBJECTIVES)}")
    nodes = [find_place(network, s) for s in stops]
    ids = [n.id for n in nodes]
    if ids[0] == ids[-1]:
        raise ConfigError(f"origin and destination are the same place ({nodes[0].name})")
    for a, b in itertools.pairwise(ids):
        if a == b:
            raise ConfigError(f"{network.nodes_by_id[a].name} is given twice in a row as a stop")
    avoided = parse_avoid(avoid)
    for role, node in zip(_roles(len(nodes)), nodes, strict=True):
        if node.country in avoided:
            raise ConfigError(
                f"the {role} {node.name} is in {node.country}, which the route must avoid"
            )
    ends = {nodes[0].country, nodes[-1].country}
    closed = frozenset(network.closed_transit) - ends
    for node in nodes[1:-1]:
        if node.country in closed:
            raise ConfigError(
                f"the via place {node.name} is in {node.country}, which is closed to transit"
            )
    return Query(
        closed=closed,
        stops=tuple(ids),
        modes=parse_modes(modes),
        avoid=avoided,
        objective=objective,
        cargo=cargo or Cargo(),
        cost_model=cost_model or CostModel(),
    )


def _roles(n: int) -> list[str]:
    return ["origin", *["via place"] * (n - 2), "destination"]


def stage_search(
    graph: ExpandedGraph,
    stops: Sequence[str],
    csr: tuple[object, np.ndarray],
) -> tuple[float, list[int]] | None:
    """Return (weight, edges) of the best path through the stops in order, or None.

    Each via stop is a stage: the search continues from every carrier the stop was
    reached on, so a via place does not give a free change of mode.
    """
    index = {nid: i for i, nid in enumerate(graph.node_ids)}
    sources: dict[int, float] = {int(graph.start[index[stops[0]]]): 0.0}
    stages: list[dict[int, tuple[int, np.ndarray]]] = []
    for k, stop in enumerate(stops[1:], start=1):
        i = index[stop]
        targets = [int(graph.end[i])] if k == len(stops) - 1 else graph.arrivals(i)
        srcs = list(sources)
        dist, pred = dijkstra(csr[0], indices=srcs, return_predecessors=True)
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
    edges: list[int] = []
    for chosen in reversed(stages):
        src, pred = chosen[target]
        part: list[int] = []
        v = target
        while v != src:
            u = int(pred[v])
            part.append(graph.edge_between(csr, u, v))
            v = u
        edges = part[::-1] + edges
        target = src
    return weight, edges


def _exists(
    network: Network,
    query: Query,
    *,
    modes: frozenset[Mode],
    avoid: frozenset[str],
    closed: bool = True,
) -> bool:
    blocked = avoid | query.closed if closed else avoid
    g = expanded_graph(network, query.cost_model, query.cargo, modes, blocked)
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
    if query.avoid and _exists(network, query, modes=query.modes, avoid=frozenset()):
        blockers = sorted(
            c for c in query.avoid
            if _exists(network, query, modes=query.modes, avoid=query.avoid - {c})
        )  # fmt: skip
        if blockers:
            return NoRouteError(f"{head}: every route crosses {' or '.join(blockers)}")
        return NoRouteError(
            f"{head}: every route crosses at least one of {', '.join(sorted(query.avoid))}"
        )
    if query.closed and _exists(network, query, modes=query.modes, avoid=query.avoid,
                                closed=False):  # fmt: skip
        return NoRouteError(
            f"{head}: every route transits {', '.join(sorted(query.closed))}, "
            "closed to transit in this network"
        )
    if query.modes != ALL_MODES and _exists(network, query, modes=ALL_MODES, avoid=query.avoid):
        allowed = ",".join(sorted(m.value for m in query.modes))
        return NoRouteError(
            f"{head} using only {allowed}: every route needs another mode "
            f"(allow more with --modes road,rail,ferry,sea)"
        )
    return NoRouteError(
        f"{head}: the places are not connected by usable links and open border crossings "
        "(closed and planned links, closed crossings and modes a crossing does not serve "
        "are not used)"
    )
