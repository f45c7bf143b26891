"""The embedded road graph for the first and last mile, and snapping points to it.

``data/roads/roads.npz`` is built by ``scripts/build_roads.py`` from the OpenStreetMap
road graph of PyPI ``scgraph_data`` 2.0.0 (data (c) OpenStreetMap contributors, ODbL 1.0;
the derived file stays under ODbL).  It has topology and length only: no road class, no
speed, no country.  It is read on first use, never at import.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from importlib import resources

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from steppe.door.places import unit_vectors
from steppe.errors import ConfigError

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

__all__ = [
    "EARTH_RADIUS_KM",
    "ROAD_SOURCE",
    "SNAP_KM",
    "NoRoadError",
    "RoadGraph",
    "Snap",
    "road_graph",
]

EARTH_RADIUS_KM = 6371.0088
#: The farthest a point may be from the nearest road node of the graph.
SNAP_KM = 50.0
#: Where first/last-mile lengths come from, as said in every such leg.
ROAD_SOURCE = (
    "OpenStreetMap road graph via scgraph_data 2.0.0 (ODbL 1.0, (c) OpenStreetMap "
    "contributors); length measured on the graph"
)


class NoRoadError(ConfigError):
    """A point is farther than the snap distance from every road of the graph."""


@dataclass(frozen=True, slots=True)
class Snap:
    """The road node nearest to a point and the straight-line distance to it."""

    node: int
    km: float


class RoadGraph:
    """An undirected road graph: node coordinates and a CSR matrix of lengths in km."""

    def __init__(self, arrays: dict[str, npt.NDArray[np.generic]]) -> None:
        self.lat = np.asarray(arrays["lat"], dtype=np.float64)
        self.lon = np.asarray(arrays["lon"], dtype=np.float64)
        n = len(self.lat)
        self.matrix = sp.csr_matrix(
            (np.asarray(arrays["km"], np.float64), np.asarray(arrays["indices"], np.int32),
             np.asarray(arrays["indptr"], np.int32)),
            shape=(n, n),
        )  # fmt: skip

    def __len__(self) -> int:
        return len(self.lat)

    @functools.cached_property
    def tree(self) -> object:
        """Return a k-d tree over the nodes' 3-D unit vectors."""
        from scipy.spatial import cKDTree

        return cKDTree(unit_vectors(self.lat, self.lon))

    def snap(self, lat: npt.ArrayLike, lon: npt.ArrayLike) -> tuple[IntArray, FloatArray]:
        """Return the nearest road nodes of points and their great-circle distances, km."""
        chord, idx = self.tree.query(unit_vectors(lat, lon))  # type: ignore[attr-defined]
        km = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.minimum(np.asarray(chord) / 2.0, 1.0))
        return np.asarray(idx, dtype=np.int64), np.asarray(km, dtype=np.float64)

    def snap_point(self, lat: float, lon: float, label: str, limit_km: float = SNAP_KM) -> Snap:
        """Return the road node nearest to a point, refusing one beyond ``limit_km``.

        Raises
        ------
        NoRoadError
            No road node within ``limit_km`` (in the sea, or off the mapped roads).
        """
        idx, km = self.snap(lat, lon)
        if float(km) > limit_km:
            raise NoRoadError(
                f"{label}: no road within {limit_km:g} km (the nearest road node of the "
                f"OpenStreetMap graph is {float(km):.0f} km away); give a point nearer a road"
            )
        return Snap(int(idx), float(km))

    def path(self, predecessors: npt.NDArray[np.int32], target: int) -> list[int]:
        """Return the nodes from a Dijkstra source to ``target`` (source first)."""
        out = [target]
        while predecessors[out[-1]] >= 0:
            out.append(int(predecessors[out[-1]]))
        return out[::-1]

    def line(self, nodes: list[int]) -> tuple[tuple[float, float], ...]:
        """Return (lat, lon) pairs of a list of nodes."""
        return tuple((float(self.lat[i]), float(self.lon[i])) for i in nodes)


@functools.cache
def road_graph() -> RoadGraph:
    """Return the embedded road graph, read on first use."""
    blob = resources.files("steppe.data").joinpath("roads/roads.npz").read_bytes()
    with np.load(io.BytesIO(blob), allow_pickle=False) as data:
        return RoadGraph({k: data[k] for k in data.files})
