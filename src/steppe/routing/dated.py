"""Routes for a departure date: the time-dependent search's best route, and any route timed.

:func:`for_date` is what :func:`~steppe.routing.route` and :func:`~steppe.routing.pareto`
call when ``RouteOptions.depart`` is set; :func:`retime` times a route found without a date
leg by leg, in the same order as the search (:mod:`steppe.routing.timedep`) and the
reliability draws (:mod:`steppe.routing.reliability`) time it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime

from steppe.network.model import Network
from steppe.routing._assemble import assemble_route
from steppe.routing._clock import from_hours, to_hours
from steppe.routing.graph import EdgeKind, ExpandedGraph
from steppe.routing.result import Leg, Route, RouteResult
from steppe.routing.timedep import stage_search, timed_graph
from steppe.routing.waits import WaitKey, average_waits, time_model

__all__ = ["closure_notes", "dated_route", "for_date", "retime"]


def dated_route(
    graph: ExpandedGraph,
    stops: Sequence[str],
    depart: datetime,
    *,
    objective: str,
    pair: int,
    edges: Sequence[int] | None = None,
) -> Route | None:
    """Return the route leaving on ``depart`` (earliest arrival for ``time``), or None.

    With ``edges``, the given path is timed instead of searched.  Legs carry their start
    time and, where the shipment waited, why.
    """
    timed = timed_graph(graph)
    t0 = to_hours(depart)
    if edges is None:
        found = stage_search(timed, stops, t0, objective, pair)
        if found is None:
            return None
        edges = found
    return retime(graph.network, assemble_route(graph, list(edges)), depart)


def _iso(hours: float) -> str:
    return f"{from_hours(hours):%Y-%m-%dT%H:%M}"


def retime(network: Network, route: Route, depart: datetime) -> Route:
    """Return a route found without a date timed leg by leg for a departure date.

    Each border and wait leg keeps its static part (the survey dwell, half a headway)
    and replaces its yearly-mean waits with the wait functions at the moment the shipment
    gets there; legs carry their start time and why they waited.
    """
    model = time_model(network)
    averages = average_waits(network)
    borders = {b.id: b for b in network.borders}
    t0 = to_hours(depart)
    t = t0
    legs: list[Leg] = []
    for leg in route.legs:
        key: WaitKey | None = None
        if leg.kind == "border" and leg.ref in borders:
            key = ("border", leg.ref, leg.mode, leg.from_id == borders[leg.ref].a)
        elif leg.kind == "wait":
            link = network.links_by_id.get(leg.ref)
            if link is not None:
                key = ("link", link.id, link.mode.value, leg.from_id == link.a)
            else:
                node, _, mode = leg.ref.partition(":")
                key = ("node", node, mode, True)
        start, note, time_h = t, "", leg.time_h
        if key is not None and key in model:
            t_out, why = model[key].exit(t)
            time_h = max(0.0, leg.time_h - averages[key][0]) + (t_out - t)
            note = "; ".join(why)
        t = start + time_h
        legs.append(dataclasses.replace(leg, time_h=time_h, start=_iso(start), note=note))
    total = t - t0
    return dataclasses.replace(
        route,
        legs=tuple(legs),
        time_h=total,
        generalized_cost=route.generalized_cost + (total - route.time_h) * _vot(route),
        depart=_iso(t0),
        arrive=_iso(t),
    )


def _vot(route: Route) -> float:
    """Return the value of time implied by a route's totals (USD per hour)."""
    return (route.generalized_cost - route.cost_usd) / route.time_h if route.time_h else 0.0


def closure_notes(route: Route) -> list[str]:
    """Return the notes of a dated route's legs that waited for a closure."""
    return [leg.note for leg in route.legs if " closed for " in leg.note]


def for_date(
    network: Network,
    graph: ExpandedGraph,
    result: RouteResult,
    stops: Sequence[str],
    depart: datetime,
    *,
    objective: str,
    pair: int,
    search: bool,
) -> RouteResult:
    """Return a routing result for a departure date.

    With ``search`` the best route is the time-dependent search's (earliest arrival for
    ``time``) and the other routes are timed for the date; otherwise (Pareto sets) every
    route is timed.  ``notes`` say where the best route waits for a closure, or that it
    goes another way than the undated best route because of one.
    """
    timed = [retime(network, r, depart) for r in result.routes]
    notes: list[str] = []
    if search:
        edges = stage_search(timed_graph(graph), stops, to_hours(depart), objective, pair)
        if edges is not None:
            links = tuple(network.links[int(graph.link[e])].id for e in edges
                          if int(graph.kind[e]) == EdgeKind.LINK)  # fmt: skip
            same = [r for r in timed if r.link_ids == links]
            # the undated route (or an alternative) may already be the one, timed
            best = same[0] if same else retime(network, assemble_route(graph, edges), depart)
            if best.link_ids != timed[0].link_ids:
                notes += [f"{n}: the route goes another way" for n in closure_notes(timed[0])]
            rest = [r for r in timed if r.link_ids != best.link_ids]
            timed = [best, *rest][: len(result.routes)]
    notes += [f"{n}: the route waits" for n in closure_notes(timed[0])]
    return dataclasses.replace(
        result, routes=tuple(timed), depart=_iso(to_hours(depart)), notes=tuple(notes)
    )
