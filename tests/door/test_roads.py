"""The embedded road graph: loading, snapping and the refusal beyond the snap distance."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from steppe.door.roads import SNAP_KM, NoRoadError, road_graph


def test_graph_is_symmetric_with_positive_lengths() -> None:
    g = road_graph()
    assert len(g) > 200_000
    m = g.matrix
    assert (m.data > 0).all()
    assert abs(m - m.T).max() < 1e-3


def test_snap_finds_a_near_node() -> None:
    g = road_graph()
    snap = g.snap_point(48.00556, 91.64194, "Khovd")  # Khovd is on the graph
    assert snap.km < 5
    lat, lon = g.lat[snap.node], g.lon[snap.node]
    assert abs(lat - 48.0) < 0.1 and abs(lon - 91.64) < 0.1


def test_snap_distance_is_great_circle() -> None:
    g = road_graph()
    node = 1234
    _, km = g.snap(g.lat[node] + 0.1, g.lon[node])  # 0.1 degree north: about 11.1 km
    assert km <= 11.2
    assert np.isfinite(km)


def test_point_in_the_caspian_refused() -> None:
    with pytest.raises(NoRoadError, match=f"no road within {SNAP_KM:g} km"):
        road_graph().snap_point(42.0, 50.5, "42.0,50.5")


@pytest.mark.slow
def test_loading_is_lazy() -> None:
    code = (
        "import steppe\n"
        "net = steppe.load_network()\n"
        "steppe.route(net, 'Almaty', 'Baku')\n"
        "from steppe.door.roads import road_graph\n"
        "from steppe.door.places import towns\n"
        "assert road_graph.cache_info().currsize == 0\n"
        "assert towns.cache_info().currsize == 0\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
