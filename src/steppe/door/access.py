"""First and last mile: from a point to the access points of the corridor network.

A point is joined to network places of its own country in two ways:

* **by road graph** — the point snaps to the nearest node of the embedded OpenStreetMap
  road graph (at most :data:`~steppe.door.roads.SNAP_KM` away); a Dijkstra search on
  that graph reaches the road nodes that network places snap to.  The leg's length is
  the graph length plus the two straight snap offsets, which the leg states;
* **by straight-line estimate** — network places within :data:`DIRECT_KM` of the point
  are also reachable at the great-circle distance times :data:`CIRCUITY` (the graph
  misses roads: Mongolia away from the main roads, the Chuya highway near Kosh-Agach).

Legs never cross a border (the road graph has no countries or crossings), so access
points lie in the point's country.  Time, money and CO2e come from the cost model's road
speed, driving hours and price per km of the country, and the ISO 14083 well-to-wheel road
intensity of the options' emissions model (as for road links of the network).
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy.sparse.csgraph import dijkstra

from steppe.door.places import Point
from steppe.door.roads import EARTH_RADIUS_KM, ROAD_SOURCE, SNAP_KM, NoRoadError, road_graph
from steppe.network.model import Mode, Network
from steppe.routing.options import Objective, RouteOptions

__all__ = [
    "CIRCUITY",
    "DIRECT_KM",
    "MAX_ROAD_KM",
    "Access",
    "access_batch",
    "access_points",
    "road_costs",
]

#: Network places this close to a point are reachable by a straight-line estimate.
DIRECT_KM = 50.0
#: Road length over great-circle length for straight-line estimates.  Source: Böttcher &
#: Lamberti, "How much longer do you have to drive than the crow has to fly?",
#: arXiv:2406.06490 (2024): motorway networks, 1.3 +/- 0.1 (https://arxiv.org/abs/2406.06490).
CIRCUITY = 1.3
#: How far the road-graph search for access points reaches, km.
MAX_ROAD_KM = 1500.0


@dataclass(frozen=True, slots=True)
class Access:
    """A way between a point and one network place, with its road-leg totals.

    ``straight_km`` is the part of ``distance_km`` that is a straight-line estimate (snap
    offsets, or the whole leg when ``estimate``); ``geometry`` runs from the point to the
    place.
    """

    node: int
    distance_km: float
    straight_km: float
    estimate: bool
    time_h: float
    cost_usd: float
    co2_kg: float
    ends: tuple[tuple[float, float], tuple[float, float]]
    road_target: int = -1
    predecessors: npt.NDArray[np.int32] | None = field(default=None, compare=False, repr=False)

    @property
    def geometry(self) -> tuple[tuple[float, float], ...]:
        """Return the leg's line from the point to the place (road nodes in between)."""
        if self.predecessors is None:
            return self.ends
        roads = road_graph()
        inner = roads.line(roads.path(self.predecessors, self.road_target))
        return (self.ends[0], *inner, self.ends[1])

    def weight(self, objective: Objective, value_of_time: float) -> float:
        """Return the leg's weight under an objective."""
        if objective is Objective.TIME:
            return self.time_h
        if objective is Objective.COST:
            return self.cost_usd
        if objective is Objective.CO2:
            return self.co2_kg
        if objective is Objective.DISTANCE:
            return self.distance_km
        return self.cost_usd + value_of_time * self.time_h

    @property
    def source(self) -> str:
        """Return where the leg's length comes from, as said in the answer."""
        if self.estimate:
            return (f"estimate: straight line x {CIRCUITY:g} (no road of the OpenStreetMap "
                    "graph joins the point to this place)")  # fmt: skip
        return f"{ROAD_SOURCE}; {self.straight_km:.1f} km of it straight-line snap offsets"


def road_costs(options: RouteOptions, country: str, km: float) -> tuple[float, float, float]:
    """Return (time h, money USD, kg CO2) of ``km`` by road in a country."""
    speed, usd_km, kg_km = _rates(options, country)
    return options.cost_model.elapsed_h(Mode.ROAD, km / speed), usd_km * km, kg_km * km


@functools.lru_cache(maxsize=64)
def _rates(options: RouteOptions, country: str) -> tuple[float, float, float]:
    cm, cargo = options.cost_model, options.cargo
    wtw_g_per_tkm = options.emissions.leg_intensity("road", (country,)).wtw  # as road links
    return (
        cm.speed_kmh(Mode.ROAD),
        cm.usd_per_km(Mode.ROAD, (country,)) * cm.feu_equivalents(cargo),
        wtw_g_per_tkm * cargo.tonnes / 1000.0,
    )


def _node_snaps(network: Network) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    cached: tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]] | None
    cached = network.__dict__.get("_door_snaps")
    if cached is None:
        lat = np.array([n.lat for n in network.nodes])
        lon = np.array([n.lon for n in network.nodes])
        cached = road_graph().snap(lat, lon)
        network.__dict__["_door_snaps"] = cached  # derived from immutable data: safe to cache
    return cached


def _gc_km(lat: float, lon: float, lats: npt.NDArray[np.float64],
           lons: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:  # fmt: skip
    p1, p2 = np.radians(lat), np.radians(lats)
    h = (
        np.sin((p2 - p1) / 2) ** 2
        + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lons - lon) / 2) ** 2
    )
    out: npt.NDArray[np.float64] = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(h, 1.0)))
    return out


def access_points(
    network: Network,
    point: Point,
    options: RouteOptions,
    *,
    allowed: frozenset[str] | None = None,
    k: int = 8,
    value_of_time: float = 0.0,
) -> list[Access]:
    """Return up to ``k`` best ways from a point to network places of its country.

    ``allowed`` limits the places (node ids) to consider; ``None`` allows every place of
    the point's country.  "Best" is by the options' objective.

    Raises
    ------
    NoRoadError
        The point is farther than the snap distance from every road and every place.
    """
    nodes = network.nodes
    lats = np.array([n.lat for n in nodes])
    lons = np.array([n.lon for n in nodes])
    ok = np.array([n.country == point.country and (allowed is None or n.id in allowed)
                   for n in nodes])  # fmt: skip
    found: dict[int, Access] = {}
    roads = road_graph()
    idx, km = roads.snap(point.lat, point.lon)
    snap_node, snap_km = int(idx), float(km)
    if snap_km <= SNAP_KM:
        node_road, node_km = _node_snaps(network)
        dist, pred = dijkstra(roads.matrix, indices=snap_node, limit=MAX_ROAD_KM,
                              return_predecessors=True)  # fmt: skip
        for i in np.flatnonzero(ok & (node_km <= SNAP_KM)):
            d = float(dist[node_road[i]])
            if not np.isfinite(d):
                continue
            straight = snap_km + float(node_km[i])
            ends = ((point.lat, point.lon), (float(lats[i]), float(lons[i])))
            way = _make(int(i), d + straight, straight, False, ends, point, options)
            found[int(i)] = dataclasses.replace(way, road_target=int(node_road[i]),
                                                predecessors=pred)  # fmt: skip
    direct = _gc_km(point.lat, point.lon, lats, lons)
    for i in np.flatnonzero(ok & (direct <= DIRECT_KM)):
        km_est = float(direct[i]) * CIRCUITY
        line = ((point.lat, point.lon), (float(lats[i]), float(lons[i])))
        cand = _make(int(i), km_est, km_est, True, line, point, options)
        old = found.get(int(i))
        if old is None or cand.distance_km < old.distance_km:
            found[int(i)] = cand
    if not found:
        if snap_km > SNAP_KM:
            raise NoRoadError(
                f"{point.label}: no road within {SNAP_KM:g} km (the nearest node of the "
                f"OpenStreetMap road graph is {snap_km:.0f} km away) and no network place "
                f"of {point.country} within {DIRECT_KM:g} km; give a point nearer a road"
            )
        raise NoRoadError(
            f"{point.label}: no network place of {point.country} is reachable on the "
            f"OpenStreetMap road graph within {MAX_ROAD_KM:g} km or lies within "
            f"{DIRECT_KM:g} km (access legs do not cross borders)"
        )
    objective = options.objective
    ranked = sorted(found.values(), key=lambda a: (a.weight(objective, value_of_time), a.node))
    return ranked[:k]


def access_batch(
    network: Network,
    points: list[Point],
    options: RouteOptions,
    *,
    k: int = 8,
    value_of_time: float = 0.0,
) -> list[list[Access] | NoRoadError]:
    """Return the access ways of many points at once (without road geometry).

    The road-graph searches run from the network places (at most one per place, bounded
    at :data:`MAX_ROAD_KM`) rather than from each point, so the cost does not grow with
    the number of points.  A point with no access gets its :class:`NoRoadError`.
    """
    nodes = network.nodes
    lats = np.array([n.lat for n in nodes])
    lons = np.array([n.lon for n in nodes])
    countries = np.array([n.country for n in nodes])
    roads = road_graph()
    p_node, p_km = roads.snap([p.lat for p in points], [p.lon for p in points])
    node_road, node_km = _node_snaps(network)
    wanted = {p.country for p in points}
    cand = np.flatnonzero((node_km <= SNAP_KM) & np.isin(countries, sorted(wanted)))
    dist = np.full((len(cand), len(points)), np.inf)
    for lo in range(0, len(cand), 16):
        part = cand[lo : lo + 16]
        d = dijkstra(roads.matrix, indices=node_road[part], limit=MAX_ROAD_KM)
        dist[lo : lo + 16] = d[:, p_node]
    out: list[list[Access] | NoRoadError] = []
    for j, point in enumerate(points):
        found: dict[int, Access] = {}
        if p_km[j] <= SNAP_KM:
            for r, i in enumerate(cand):
                if countries[i] != point.country or not np.isfinite(dist[r, j]):
                    continue
                straight = float(p_km[j] + node_km[i])
                ends = ((point.lat, point.lon), (float(lats[i]), float(lons[i])))
                found[int(i)] = _make(int(i), float(dist[r, j]) + straight, straight, False,
                                      ends, point, options)  # fmt: skip
        direct = _gc_km(point.lat, point.lon, lats, lons)
        for i in np.flatnonzero((countries == point.country) & (direct <= DIRECT_KM)):
            km_est = float(direct[i]) * CIRCUITY
            ends = ((point.lat, point.lon), (float(lats[i]), float(lons[i])))
            way = _make(int(i), km_est, km_est, True, ends, point, options)
            old = found.get(int(i))
            if old is None or way.distance_km < old.distance_km:
                found[int(i)] = way
        if not found:
            out.append(NoRoadError(f"{point.label}: no road within {SNAP_KM:g} km and no "
                                   f"network place of {point.country} within reach"))  # fmt: skip
            continue
        objective = options.objective
        ranked = sorted(found.values(), key=lambda a: (a.weight(objective, value_of_time), a.node))
        out.append(ranked[:k])
    return out


def _make(  # noqa: PLR0917 (the fields of one leg)
    node: int,
    km: float,
    straight: float,
    estimate: bool,
    ends: tuple[tuple[float, float], tuple[float, float]],
    point: Point,
    options: RouteOptions,
) -> Access:
    time_h, cost, co2 = road_costs(options, point.country, km)
    return Access(node, km, straight, estimate, time_h, cost, co2, ends)
