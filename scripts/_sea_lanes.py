"""Sea-lane polylines for the sea and ferry links of the embedded network (``sea`` step).

Used by ``scripts/build_network.py sea`` only; ``build`` reads the committed cache
``network-src/enrichment/link_sea.csv`` and never needs searoute.

For every ``sea`` and ``ferry`` link, ``searoute`` (PyPI, Apache-2.0; it ships its maritime
network inside the package, derived from Eurostat's SeaRoute "marnet") computes the
shortest sea lane between the two port nodes.  The route variant is honoured with
searoute's passage restrictions: ``*-cape`` links avoid Suez, Bab-el-Mandeb and Panama,
``*-suez`` links must go through Suez.  The line is simplified (Douglas-Peucker, 0.05 deg
~ 5 km, refined wherever a simplified segment would cut across land that the sea lane went
around) and checked against the Natural Earth country polygons shipped as the basemap:
apart from the first and last few km near the ports (``PORT_ZONE_KM``), it must not touch
land.
"""

from __future__ import annotations

import itertools
import json
import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = [
    "PORT_ZONE_KM",
    "SeaLane",
    "land_km",
    "lane_for",
    "load_land",
    "port_zone_km",
    "restrictions_for",
    "sea_lanes",
]

log = logging.getLogger("build_network.sea")

EARTH_KM = 6371.0088
TOLERANCE_DEG = 0.05  # Douglas-Peucker tolerance, ~5 km
# Land allowed near each end of a lane: the port node sits in the city, up a river or
# behind a harbour the 1:50m polygons fill in.  Default, and river ports by their
# distance from the open water (Hamburg: the Elbe, ~100 km to Cuxhaven; Shanghai: the
# Huangpu to the Yangtze estuary; Rotterdam: the Nieuwe Waterweg; Tianjin: Haihe).
PORT_ZONE_KM: dict[str, float] = {
    "*": 15.0,
    "hamburg": 110.0,
    "shanghai": 40.0,
    "rotterdam": 35.0,
    "tianjin": 60.0,  # the node is Tianjin city, Xingang lies ~50 km east on the coast
    "astrakhan": 120.0,  # the city port is ~100 km up the Volga delta from the open sea
    "antwerp": 90.0,  # ~80 km up the Scheldt from Vlissingen
    "ningbo": 30.0,  # the searoute point is in the city on the Yong river, ~25 km from the sea
}
# The Suez Canal, Suez to Port Said (lat, lon), estimate from the marnet lane.
SUEZ_CANAL = [(29.92, 32.57), (30.21, 32.56), (30.32, 32.38), (31.10, 32.31), (31.30, 32.31)]
CANAL_BUFFER_DEG = 0.1
# Hand-picked open-water waypoints (estimates) joined by straight lines from the ``a``
# port where the marnet does not reach it: searoute snaps Kuryk to a node off Aktau,
# 60 km north, and its straight line south from there crosses the Absheron peninsula.
VIA: dict[str, list[tuple[float, float]]] = {
    "ferry-kuryk-alat": [(42.50, 51.00)],
    "ferry-kuryk-amirabad": [(42.50, 51.00)],
}
# Corrections of the marnet graph (estimates, checked against the 1:50m polygons):
# - the Corinth Canal (21 m wide, closed to container ships) is taken out;
# - two marnet edges are straight chords across land (the Gallipoli peninsula in the
#   Dardanelles, Cape Maleas south of the Peloponnese): the lane is drawn through these
#   open-water points instead (the searoute length is kept).
CORINTH_CANAL = ((22.947178, 37.960508), (23.020113, 37.909026))  # marnet (lon, lat)
STRAIT_VIA: dict[tuple[tuple[float, float], tuple[float, float]], list[tuple[float, float]]] = {
    # marnet edge (lat, lon) -> (lat, lon) points drawn between its ends
    ((40.1, 26.2), (40.440676, 26.768188)): [
        (40.06, 26.19),
        (40.07, 26.26),
        (40.12, 26.37),
        (40.23, 26.48),
        (40.36, 26.65),
    ],
    ((36.372798, 22.39158), (36.5, 23.6)): [(36.42, 22.9), (36.41, 23.2)],
}
Exempt = list[tuple[tuple[float, float], float]]
CAPE = ["northwest", "suez", "babalmandab", "panama"]
SUEZ = ["northwest", "panama"]
DEFAULT = ["northwest"]


@dataclass(frozen=True, slots=True)
class SeaLane:
    """One computed lane: its simplified polyline ``((lat, lon), ...)`` from ``a`` to ``b``."""

    link: str
    searoute_km: float
    passages: tuple[str, ...]
    restrictions: tuple[str, ...]
    via: tuple[tuple[float, float], ...]
    points: tuple[tuple[float, float], ...]

    def row(self) -> dict[str, str]:
        """Return the cache row (``link_sea.csv``)."""
        return {
            "link": self.link,
            "searoute_km": f"{self.searoute_km:.1f}",
            "restrictions": "|".join(self.restrictions),
            "passages": "|".join(self.passages),
            "via": ";".join(f"{la:.2f} {lo:.2f}" for la, lo in self.via),
            "points": str(len(self.points)),
            "geometry": ";".join(f"{la:.4f} {lo:.4f}" for la, lo in self.points),
        }


def _hav_km(p: tuple[float, float], q: tuple[float, float]) -> float:
    (la1, lo1), (la2, lo2) = p, q
    a, b = math.radians(la1), math.radians(la2)
    h = (
        math.sin((b - a) / 2) ** 2
        + math.cos(a) * math.cos(b) * math.sin(math.radians(lo2 - lo1) / 2) ** 2
    )
    return 2 * EARTH_KM * math.asin(math.sqrt(h))


def load_land(countries_geojson: Path) -> Any:
    """Return the Natural Earth country polygons as one geometry, less the Suez Canal.

    The 1:50m polygons do not cut out the canal, so a corridor of ``CANAL_BUFFER_DEG``
    around its line is taken out of the land.
    """
    from shapely.geometry import LineString, shape
    from shapely.ops import unary_union

    data = json.loads(countries_geojson.read_text("utf-8"))
    land = unary_union([shape(f["geometry"]) for f in data["features"]])
    canal = LineString([(lo, la) for la, lo in SUEZ_CANAL]).buffer(CANAL_BUFFER_DEG)
    return land.difference(canal)


def land_km(
    points: list[tuple[float, float]], land: Any, exempt: list[tuple[tuple[float, float], float]]
) -> float:
    """Return the km of a ``(lat, lon)`` polyline on land, outside the ``exempt`` circles.

    ``exempt`` holds ``((lat, lon), radius_km)`` pairs (the port zones).  The land pieces
    are sampled every ~1 km.
    """
    from shapely.geometry import LineString

    km = 0.0
    for p, q in itertools.pairwise(points):
        hit = LineString([(p[1], p[0]), (q[1], q[0])]).intersection(land)
        for part in getattr(hit, "geoms", [hit]):
            if part.is_empty or part.geom_type != "LineString":
                continue
            coords = list(part.coords)
            for (x1, y1), (x2, y2) in itertools.pairwise(coords):
                length = _hav_km((y1, x1), (y2, x2))
                n = max(1, int(length))
                for i in range(n):
                    t = (i + 0.5) / n
                    mid = (y1 + t * (y2 - y1), x1 + t * (x2 - x1))
                    if all(_hav_km(mid, c) > r for c, r in exempt):
                        km += length / n
    return km


def _simplify(pts: list[tuple[float, float]], land: Any, exempt: Exempt) -> list[int]:
    """Douglas-Peucker (in degrees) that also splits chords cutting across land."""
    from shapely.geometry import LineString, Point

    keep = {0, len(pts) - 1}
    stack = [(0, len(pts) - 1)]
    while stack:
        i, j = stack.pop()
        if j - i < 2:
            continue
        chord = LineString([(pts[i][1], pts[i][0]), (pts[j][1], pts[j][0])])
        dists = [chord.distance(Point(pts[k][1], pts[k][0])) for k in range(i + 1, j)]
        k = i + 1 + max(range(len(dists)), key=dists.__getitem__)
        if dists[k - i - 1] > TOLERANCE_DEG or (
            land_km([pts[i], pts[j]], land, exempt) > land_km(pts[i : j + 1], land, exempt)
        ):
            keep.add(k)
            stack += [(i, k), (k, j)]
    return sorted(keep)


def _marnet() -> Any:
    """Return searoute's maritime network with the Corinth Canal closed."""
    import searoute  # type: ignore[import-untyped]
    from searoute.data.marnet_dict import edge_list, node_list  # type: ignore[import-untyped]

    m = searoute.from_nodes_edges_set(searoute.Marnet(), node_list, edge_list)
    u, v = CORINTH_CANAL
    m[u][v]["passage"] = m[v][u]["passage"] = "corinth"  # the graph stores both directions
    return m


def _draw_straits(pts: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out = [pts[0]]
    for p, q in itertools.pairwise(pts):
        if (p, q) in STRAIT_VIA:
            out += STRAIT_VIA[p, q]
        elif (q, p) in STRAIT_VIA:
            out += STRAIT_VIA[q, p][::-1]
        out.append(q)
    return out


def _wrap(lon: float) -> float:
    """Return the longitude in -180..180 (searoute unwraps lanes across the antimeridian)."""
    return lon - 360.0 if lon > 180.0 else lon + 360.0 if lon < -180.0 else lon


def restrictions_for(link_id: str) -> list[str]:
    """Return the searoute passages a link must avoid, from its route variant."""
    if link_id.endswith("-cape"):
        return [*CAPE, "corinth"]
    if link_id.endswith("-suez"):
        return [*SUEZ, "corinth"]
    return [*DEFAULT, "corinth"]


def lane_for(
    link_id: str,
    ends: tuple[str, str],
    a: tuple[float, float],
    b: tuple[float, float],
    land: Any,
    marnet: Any = None,
) -> SeaLane:
    """Compute, simplify and check the sea lane of one link between ports ``a`` and ``b``.

    ``ends`` are the node ids (for the port zones), ``a`` and ``b`` their ``(lat, lon)``.
    Raises ``ValueError`` if the lane is not the route variant named in the id or if the
    simplified line touches land outside the port zones.

    Examples
    --------
    >>> lane_for("ferry-x", ("poti", "constanta"), (42.14, 41.67), (44.18, 28.63), land)
    ... # doctest: +SKIP
    """
    import searoute

    restr = restrictions_for(link_id)
    via = VIA.get(link_id, [])
    start = via[-1] if via else a
    feat = searoute.searoute(
        [start[1], start[0]],
        [b[1], b[0]],
        restrictions=list(restr),
        append_orig_dest=True,
        return_passages=True,
        M=marnet if marnet is not None else _marnet(),
    )
    coords = feat["geometry"]["coordinates"]
    if not coords:
        raise ValueError(f"{link_id}: searoute found no lane with restrictions {restr}")
    lane = [(float(lat), _wrap(float(lon))) for lon, lat in coords]
    head = [a, *via]
    pts = head[:-1] + lane if via else lane
    pts = _draw_straits([p for k, p in enumerate(pts) if k == 0 or p != pts[k - 1]])
    if any(abs(q[1] - p[1]) > 180 for p, q in itertools.pairwise(pts)):
        raise ValueError(f"{link_id}: lane crosses the antimeridian")
    length = float(feat["properties"]["length"])
    length += sum(_hav_km(p, q) for p, q in itertools.pairwise(head))
    passages = tuple(sorted(feat["properties"].get("traversed_passages", [])))
    if link_id.endswith("-cape") and (
        "south_africa" not in passages or {"suez", "babalmandab"} & set(passages)
    ):
        raise ValueError(f"{link_id}: not a Cape route ({passages})")
    if link_id.endswith("-suez") and "suez" not in passages:
        raise ValueError(f"{link_id}: not a Suez route ({passages})")
    exempt = [(a, port_zone_km(ends[0])), (b, port_zone_km(ends[1]))]
    simple = [pts[k] for k in _simplify(pts, land, exempt)]
    simple = [(round(la, 4), round(lo, 4)) for la, lo in simple]
    on_land = land_km(simple, land, exempt)
    if on_land > 0:
        raise ValueError(
            f"{link_id}: lane has {on_land:.1f} km on land "
            f"(unsimplified: {land_km(pts, land, exempt):.1f} km)"
        )
    return SeaLane(link_id, length, passages, tuple(restr), tuple(via), tuple(simple))


def port_zone_km(node: str) -> float:
    """Return the radius around a port node in which a lane may cross land."""
    return PORT_ZONE_KM.get(node, PORT_ZONE_KM["*"])


def sea_lanes(links: pd.DataFrame, coords: pd.DataFrame, land: Any) -> pd.DataFrame:
    """Return the ``link_sea.csv`` cache table for every sea and ferry link.

    Examples
    --------
    >>> sea_lanes(links, coords, load_land(Path("countries.geojson")))  # doctest: +SKIP
    """
    xy = coords.set_index("id")[["lat", "lon"]].astype(float)
    rows = []
    marnet = _marnet()
    for r in links[links["mode"].isin(["sea", "ferry"])].to_dict("records"):
        link, na, nb = str(r["id"]), str(r["a"]), str(r["b"])
        a, b = (float(xy.lat[na]), float(xy.lon[na])), (float(xy.lat[nb]), float(xy.lon[nb]))
        lane = lane_for(link, (na, nb), a, b, land, marnet)
        log.info(
            "%s: %.0f km, %d points, passages %s",
            link,
            lane.searoute_km,
            len(lane.points),
            ",".join(lane.passages) or "-",
        )
        rows.append(lane.row())
    return pd.DataFrame(rows).sort_values("link")
