"""Sea and ferry links follow real sea lanes: never across land, the right side of Africa.

The polylines come from searoute at build time (``scripts/build_network.py sea``); these
checks are independent of it: the shipped Natural Earth 1:50m polygons (clipped to lon
0..125, lat 28..62, so land outside that window is not checked here) and plain geometry.
"""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, shape
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parents[2]
BASEMAP = ROOT / "src" / "steppe" / "data" / "basemap" / "countries.geojson"
# Land allowed near the port nodes (km): the node sits in the city, up a river or behind
# a harbour the 1:50m polygons fill in (Hamburg is ~100 km up the Elbe).
PORT_ZONE_KM = {
    "hamburg": 110.0,
    "shanghai": 40.0,
    "rotterdam": 35.0,
    "tianjin": 60.0,
    "astrakhan": 120.0,  # ~100 km up the Volga delta
    "antwerp": 90.0,  # ~80 km up the Scheldt
    "ningbo": 30.0,  # the point is in the city on the Yong river
}
DEFAULT_ZONE_KM = 15.0
# The Suez Canal is land in the 1:50m polygons: a 0.1 deg corridor along it is allowed.
SUEZ_CANAL = [(32.57, 29.92), (32.56, 30.21), (32.38, 30.32), (32.31, 31.10), (32.31, 31.30)]
SUEZ = (30.6, 32.33)  # lat, lon, mid-canal
CAPE_OF_GOOD_HOPE_LAT = -34.36


def _km(lat1: np.ndarray, lon1: np.ndarray, lat2: float, lon2: float) -> np.ndarray:
    p1, p2 = np.radians(lat1), math.radians(lat2)
    h = (
        np.sin((p2 - p1) / 2) ** 2
        + np.cos(p1) * math.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * np.arcsin(np.sqrt(h))


@pytest.fixture(scope="module")
def land() -> shapely.Geometry:
    data = json.loads(BASEMAP.read_text("utf-8"))
    polygons = unary_union([shape(f["geometry"]) for f in data["features"]])
    canal = LineString(SUEZ_CANAL).buffer(0.1)
    geom = polygons.difference(canal)
    shapely.prepare(geom)
    return geom


@pytest.fixture(scope="module")
def lanes(links: pd.DataFrame) -> pd.DataFrame:
    return links[links["mode"].isin(["sea", "ferry"])].set_index("id")


def _points(cell: str) -> np.ndarray:
    return np.array([[float(v) for v in p.split()] for p in cell.split(";")])


def _densify(pts: np.ndarray, step_km: float = 1.0) -> np.ndarray:
    out = [pts[:1]]
    for p, q in itertools.pairwise(pts):
        n = max(1, int(_km(p[:1], p[1:], q[0], q[1])[0] / step_km))
        t = np.linspace(0, 1, n + 1)[1:, None]
        out.append(p + t * (q - p))
    return np.vstack(out)


def test_every_sea_and_ferry_link_has_a_lane(lanes: pd.DataFrame, nodes: pd.DataFrame) -> None:
    xy = nodes.set_index("id")
    # 17 lanes before issue 15; more ferries and sea links since: every one must have a lane
    assert len(lanes) >= 22
    for link, r in lanes.iterrows():
        assert r.geometry, link
        pts = _points(r.geometry)
        for end, node in ((pts[0], r.a), (pts[-1], r.b)):
            gap = _km(end[:1], end[1:], float(xy.lat[node]), float(xy.lon[node]))[0]
            assert gap < 0.1, f"{link} does not start/end at {node}"
        assert np.all(np.abs(np.diff(pts[:, 1])) < 180), f"{link} jumps across the antimeridian"


def test_no_lane_crosses_land_outside_the_port_zones(
    lanes: pd.DataFrame, nodes: pd.DataFrame, land: shapely.Geometry
) -> None:
    xy = nodes.set_index("id")
    crossing = {}
    for link, r in lanes.iterrows():
        dense = _densify(_points(r.geometry))
        on_land = shapely.contains_xy(land, dense[:, 1], dense[:, 0])
        for node in (r.a, r.b):
            zone = PORT_ZONE_KM.get(node, DEFAULT_ZONE_KM)
            near = _km(dense[:, 0], dense[:, 1], float(xy.lat[node]), float(xy.lon[node]))
            on_land &= near > zone
        if on_land.any():
            crossing[link] = dense[on_land][:3].round(2).tolist()
    assert not crossing, f"lanes on land (lat, lon): {crossing}"


def test_the_land_check_finds_a_straight_line_across_eurasia(land: shapely.Geometry) -> None:
    # the old drawing: a straight line Shanghai -> Rotterdam is nearly all land
    dense = _densify(np.array([[31.22, 121.46], [51.92, 4.48]]), 10.0)
    assert shapely.contains_xy(land, dense[:, 1], dense[:, 0]).mean() > 0.8


def test_cape_lanes_round_africa_and_suez_lanes_use_the_canal(lanes: pd.DataFrame) -> None:
    for link, r in lanes[lanes["mode"] == "sea"].iterrows():
        pts = _points(r.geometry)
        near_suez = _km(pts[:, 0], pts[:, 1], *SUEZ).min()
        if str(link).endswith("-cape"):
            assert pts[:, 0].min() < CAPE_OF_GOOD_HOPE_LAT, link
            # was > 1000 km; since issue 15 eastern Mediterranean ports (Mersin, 580 km
            # from the canal) have Cape lanes: the lane must only keep clear of the canal
            assert near_suez > 100, link
        elif str(link).endswith("-suez"):
            assert pts[:, 0].min() > -15, link
            assert near_suez < 50, link
        else:
            # since issue 15 sea lanes between ports on one side of Suez (e.g. Busan -
            # Singapore, Rotterdam - Piraeus) carry no variant suffix: neither way round
            assert pts[:, 0].min() > -15, link
            assert near_suez > 50, link


def test_lane_length_agrees_with_the_link_length(lanes: pd.DataFrame) -> None:
    for link, r in lanes.iterrows():
        pts = _points(r.geometry)
        drawn = sum(_km(p[:1], p[1:], q[0], q[1])[0] for p, q in itertools.pairwise(pts))
        length = float(r.length_km)
        # the simplified line is a little shorter than searoute's; published lengths
        # (Shanghai-Rotterdam) differ from searoute by under 2 %
        assert 0.95 < drawn / length < 1.03, (link, drawn, length)
