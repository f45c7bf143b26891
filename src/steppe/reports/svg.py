"""Inline SVG drawing for reports: a basemap with links and places, and bar charts.

No JavaScript and no external URL: the SVG is written into the HTML page.  The map uses
an equirectangular projection scaled by the cosine of the mid latitude, drawn from the
Natural Earth country polygons shipped in ``steppe/data/basemap``: 1:50m inside
:data:`CLIP_BOX`, 1:110m for the rest of the world.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from html import escape
from importlib import resources
from itertools import pairwise
from typing import Any

__all__ = ["CLIP_BOX", "MapFrame", "bar_chart", "basemap_paths", "load_basemap"]


Ring = tuple[tuple[float, float], ...]

#: The box ``countries.geojson`` covers at 1:50m; ``world_110m.geojson`` has it cut out.
CLIP_BOX = (0.0, 28.0, 125.0, 62.0)

_LAYERS = (("countries.geojson", "adm0_a3"), ("world_110m.geojson", "iso_a3"))


@cache
def load_basemap() -> tuple[tuple[str, tuple[Ring, ...]], ...]:
    """Return ``(country code, outer rings of (lon, lat))`` for each country of the basemap.

    The detailed Natural Earth 1:50m polygons inside :data:`CLIP_BOX`, then the 1:110m
    polygons of the rest of the world (Antarctica left out), so a frame that reaches
    Africa, Arabia, India or South-East Asia is drawn too.  A country that crosses the
    box appears twice, once from each layer.

    Examples
    --------
    >>> codes = {code for code, _ in load_basemap()}
    >>> {"KAZ", "CHN", "ZAF", "IND", "IDN"} <= codes
    True
    """
    out = []
    for name, key in _LAYERS:
        path = resources.files("steppe.data") / "basemap" / name
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        for feature in data["features"]:
            geom = feature["geometry"]
            polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
            rings = tuple(tuple((float(x), float(y)) for x, y in poly[0]) for poly in polys)
            out.append((str(feature["properties"].get(key, "")), rings))
    return tuple(out)


def _on_clip_edge(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Return whether the segment ``a``-``b`` runs along the clip box (a cut, not a coast)."""
    w, s, e, n = CLIP_BOX
    return (a[0] == b[0] and a[0] in (w, e)) or (a[1] == b[1] and a[1] in (s, n))


def _outline(ring: Ring) -> list[Ring]:
    """Return the runs of ``ring`` that are coasts or borders, without the clip-box cuts."""
    runs: list[Ring] = []
    run: list[tuple[float, float]] = []
    for a, b in pairwise(ring):
        if _on_clip_edge(a, b):
            if len(run) > 1:
                runs.append(tuple(run))
            run = []
            continue
        run = run or [a]
        run.append(b)
    if len(run) > 1:
        runs.append(tuple(run))
    return runs


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
    """Return SVG paths of the countries that overlap the frame.

    Each country is a filled path without a stroke, and its coasts and borders are drawn
    over all fills as open paths, so the seam between the 1:50m and the 1:110m layers
    along :data:`CLIP_BOX` does not show.

    Examples
    --------
    >>> svg = basemap_paths(MapFrame(10.0, -40.0, 60.0, 0.0))  # southern Africa
    >>> "<title>ZAF</title>" in svg and "<title>KAZ</title>" not in svg
    True
    """
    fills: list[str] = []
    lines: list[str] = []
    for code, rings in load_basemap():
        d: list[str] = []
        o: list[str] = []
        for ring in rings:
            xs, ys = [x for x, _ in ring], [y for _, y in ring]
            if (max(xs) < frame.lon0 or min(xs) > frame.lon1
                    or max(ys) < frame.lat0 or min(ys) > frame.lat1):  # fmt: skip
                continue
            d.append(_svg_line(frame, ring) + "Z")
            o.extend(_svg_line(frame, run) for run in _outline(ring))
        if d:
            fills.append(f'<path class="country" style="stroke:none" d="{"".join(d)}">'
                         f"<title>{escape(code)}</title></path>")  # fmt: skip
        if o:
            lines.append(f'<path class="country" style="fill:none" d="{"".join(o)}"/>')
    return "".join(fills + lines)


def _svg_line(frame: MapFrame, points: Ring) -> str:
    """Return the SVG path data of ``(lon, lat)`` points in ``frame``."""
    return "M" + "L".join("{:.1f},{:.1f}".format(*frame.xy(y, x)) for x, y in points)


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
