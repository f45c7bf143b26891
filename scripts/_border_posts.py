"""Place border posts where the OpenStreetMap road or rail graph crosses the boundary.

Used by ``scripts/build_network.py posts`` only.  Many border posts are in none of
GeoNames, UN/LOCODE and the World Port Index.  For each row of
``network-src/border_posts.csv`` (a post id, its country, the neighbouring country, the
mode whose graph to use and a rough site ``hint_lat``/``hint_lon`` with a search radius)
this finds the edges of the OSM-derived graph (scgraph_data 2.0.0) that cross the
Natural Earth 10m boundary line between the two countries within the radius, takes the
crossing nearest the hint, and places the post at the end of that edge on its own side
(or at ``INSET_KM`` from the crossing along that edge when its end is more than ``MAX_END_KM``
away).  The result
(``network-src/enrichment/border_posts.csv``) is what ``nodes.csv`` quotes as the
post's ``estimate:`` position; the hint only picks which crossing is meant.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["MAX_END_KM", "place_posts"]

EARTH_KM = 6371.0088
MAX_END_KM = 5.0
INSET_KM = 0.5  # a post placed at the crossing itself is moved this far into its country
EDGE_MARGIN_KM = 400.0


def _km(la1: float, lo1: float, la2: float, lo2: float) -> float:
    p1, p2 = math.radians(la1), math.radians(la2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lo2 - lo1) / 2) ** 2
    )
    return 2 * EARTH_KM * math.asin(math.sqrt(h))


def _boundaries(path: Path) -> dict[frozenset[str], Any]:
    from shapely.geometry import shape
    from shapely.ops import unary_union

    data = json.loads(path.read_text("utf-8"))
    parts: dict[frozenset[str], list[Any]] = {}
    for f in data["features"]:
        p = f["properties"]
        parts.setdefault(frozenset((p["adm0_a3_l"], p["adm0_a3_r"])), []).append(
            shape(f["geometry"])
        )
    return {k: unary_union(v) for k, v in parts.items()}


def _graph(path: Path) -> tuple[np.ndarray, np.ndarray]:
    g = json.loads(path.read_text("utf-8"))
    latlon = np.asarray(g["node_latlon"], dtype=float)
    index = {int(k): i for i, k in enumerate(g["node_ids"])}
    e = np.asarray(g["edges"], dtype=float)
    uv = np.column_stack([[index[int(x)] for x in e[:, 0]], [index[int(x)] for x in e[:, 1]]])
    return latlon, uv


def place_posts(hints: pd.DataFrame, shared: Path, countries: Path) -> pd.DataFrame:
    """Return the estimated position of every post in ``hints``.

    Examples
    --------
    >>> place_posts(hints, Path("../shared/data"), basemap)  # doctest: +SKIP
    """
    from shapely.geometry import LineString, Point, shape

    geo = json.loads(countries.read_text("utf-8"))
    polys: dict[str, list[Any]] = {}
    for f in geo["features"]:
        polys.setdefault(f["properties"]["adm0_a3"], []).append(shape(f["geometry"]))
    lines = _boundaries(shared / "geo" / "ne_10m_admin_0_boundary_lines_land_wide.geojson")
    graphs = {
        "road": _graph(shared / "osm" / "world_highways_wide_graph.json"),
        "rail": _graph(shared / "osm" / "world_railways_wide_graph.json"),
    }
    out = []
    missing: list[str] = []
    for r in hints.itertuples():
        latlon, uv = graphs[str(r.mode)]
        boundary = lines[frozenset((str(r.country), str(r.partner)))]
        hlat, hlon, radius = float(r.hint_lat), float(r.hint_lon), float(r.radius_km)
        dlat = (radius + EDGE_MARGIN_KM) / 111.0  # an edge crossing nearby may be long
        dlon = dlat / max(math.cos(math.radians(hlat)), 0.1)
        a, b = latlon[uv[:, 0]], latlon[uv[:, 1]]
        near = (
            (np.abs(a[:, 0] - hlat) < dlat)
            & (np.abs(a[:, 1] - hlon) < dlon)
            & (np.abs(b[:, 0] - hlat) < dlat)
            & (np.abs(b[:, 1] - hlon) < dlon)
        )
        best: tuple[float, float, float, float, float] | None = None
        for k in np.flatnonzero(near):
            (la1, lo1), (la2, lo2) = a[k], b[k]
            hit = LineString([(lo1, la1), (lo2, la2)]).intersection(boundary)
            if hit.is_empty:
                continue
            pt = hit if hit.geom_type == "Point" else hit.representative_point()
            d = _km(hlat, hlon, pt.y, pt.x)
            if d > radius or (best is not None and d >= best[0]):
                continue
            own = polys[str(r.country)]
            end = (la1, lo1) if any(p.covers(Point(lo1, la1)) for p in own) else (la2, lo2)
            best = (d, pt.y, pt.x, float(end[0]), float(end[1]))
        if best is None:
            missing.append(str(r.id))
            continue
        d, cy, cx, ey, ex = best
        to_end = _km(cy, cx, ey, ex)
        if to_end <= MAX_END_KM:
            lat, lon, how = ey, ex, "graph node"
        else:
            t = INSET_KM / to_end
            lat, lon = cy + t * (ey - cy), cx + t * (ex - cx)
            how = f"crossing point, {INSET_KM} km into the country along the edge"
        out.append(
            {
                "id": r.id,
                "lat": f"{lat:.4f}",
                "lon": f"{lon:.4f}",
                "how": how,
                "hint_km": f"{d:.1f}",
            }
        )
    if missing:
        raise ValueError(f"border_posts.csv: no crossing of the graph within the radius: {missing}")
    return pd.DataFrame(out).sort_values("id")
