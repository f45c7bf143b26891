"""Inline SVG drawing for reports: a basemap with links and places, and bar charts.

No JavaScript and no external URL: the SVG is written into the HTML page.  The map uses
an equirectangular projection scaled by the cosine of the mid latitude, drawn from the
Natural Earth country polygons shipped in ``steppe/data/basemap``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from html import escape
from importlib import resources
from typing import Any

__all__ = ["MapFrame", "bar_chart", "basemap_paths", "load_basemap"]


@cache
def load_basemap() -> tuple[tuple[str, tuple[tuple[tuple[float, float], ...], ...]], ...]:
    """Return ``(country code, rings of (lon, lat))`` for each country of the basemap."""
    path = resources.files("steppe.data") / "basemap" / "countries.geojson"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for feature in data["features"]:
        geom = feature["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        rings = tuple(tuple((float(x), float(y)) for x, y in poly[0]) for poly in polys)
        out.append((str(feature["properties"].get("adm0_a3", "")), rings))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class MapFrame:
    """A lon/lat box projected onto a ``width`` x ``height`` pixel canvas."""

    lon0: float
    lat0: float
    lon1: float
    lat1: float
    width: int = 900

    @classmethod
    def around(cls, points: Iterable[tuple[float, float]], margin: float = 2.0) -> MapFrame:
        """Return a frame around ``(lat, lon)`` points with a margin in degrees."""
        pts = list(points) or [(45.0, 70.0)]
        lats, lons = [p[0] for p in pts], [p[1] for p in pts]
        return cls(min(lons) - margin, min(lats) - margin, max(lons) + margin, max(lats) + margin)

    @property
    def kx(self) -> float:
        """Return the x scale (pixels per degree of longitude)."""
        return self.width / max(self.lon1 - self.lon0, 1e-6)

    @property
    def ky(self) -> float:
        """Return the y scale (pixels per degree of latitude)."""
        return self.kx / max(math.cos(math.radians((self.lat0 + self.lat1) / 2)), 0.2)

    @property
    def height(self) -> int:
        """Return the canvas height in pixels."""
        return round((self.lat1 - self.lat0) * self.ky)

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        """Return the pixel position of a point."""
        return ((lon - self.lon0) * self.kx, (self.lat1 - lat) * self.ky)


def basemap_paths(frame: MapFrame) -> str:
    """Return SVG paths of the countries that overlap the frame."""
    parts = []
    for code, rings in load_basemap():
        d = []
        for ring in rings:
            if not any(frame.lon0 <= x <= frame.lon1 and frame.lat0 <= y <= frame.lat1
                       for x, y in ring):  # fmt: skip
                continue
            pts = (frame.xy(y, x) for x, y in ring)
            d.append("M" + "L".join(f"{px:.1f},{py:.1f}" for px, py in pts) + "Z")
        if d:
            parts.append(f'<path class="country" d="{"".join(d)}"><title>{escape(code)}</title>'
                         "</path>")  # fmt: skip
    return "".join(parts)


def bar_chart(labels: Sequence[str], values: Sequence[float], *, unit: str,
              width: int = 640, higher_is_better: bool = False) -> str:  # fmt: skip
    """Return a horizontal SVG bar chart with gains in green and losses in red.

    A gain is a negative value (less time, less cost) unless ``higher_is_better``
    (more trade, more real GDP).
    """
    if not values:
        return "<p>No changes.</p>"
    row, left = 22, 260
    top = max(abs(v) for v in values) or 1.0
    half = (width - left - 60) / 2
    mid = left + half
    out = [f'<svg class="chart" width="{width}" height="{row * len(values) + 10}" '
           f'role="img">']  # fmt: skip
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 5 + i * row
        w = abs(value) / top * half
        x = mid - w if value < 0 else mid
        cls = "gain" if (value > 0) == higher_is_better and value != 0 else "loss"
        out.append(f'<text x="{left - 6}" y="{y + 14}" text-anchor="end">{escape(label)}</text>'
                   f'<rect class="{cls}" x="{x:.1f}" y="{y}" width="{max(w, 1):.1f}" '
                   f'height="{row - 6}"><title>{value:+.2f} {escape(unit)}</title></rect>'
                   f'<text x="{mid + half + 4}" y="{y + 14}">{value:+.1f}</text>')  # fmt: skip
    out.append(f'<line x1="{mid}" x2="{mid}" y1="0" y2="{row * len(values) + 10}" '
               'stroke="#333"/></svg>')  # fmt: skip
    return "".join(out)
