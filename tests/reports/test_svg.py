"""The report basemap: 1:50m inside the clip box, 1:110m around it, no seam along the box."""

from __future__ import annotations

import itertools
import re

from steppe.reports.svg import CLIP_BOX, MapFrame, basemap_paths, load_basemap


def _titles(svg: str) -> set[str]:
    return set(re.findall(r"<title>([A-Z0-9-]+)</title>", svg))


def test_world_outside_the_clip_box() -> None:
    # The Cape of Good Hope, where Shanghai -> Rotterdam by sea turns (35 S).
    titles = _titles(basemap_paths(MapFrame(10.0, -40.0, 45.0, -20.0)))
    assert {"ZAF", "NAM", "BWA", "MOZ"} <= titles and "KAZ" not in titles
    # The Strait of Malacca and the Indian subcontinent.
    assert {"MYS", "IDN", "THA"} <= _titles(basemap_paths(MapFrame(95.0, -6.0, 106.0, 8.0)))
    assert {"IND", "LKA"} <= _titles(basemap_paths(MapFrame(70.0, 5.0, 85.0, 20.0)))


def test_detailed_layer_inside_the_clip_box() -> None:
    titles = _titles(basemap_paths(MapFrame(60.0, 40.0, 90.0, 50.0)))
    assert {"KAZ", "UZB", "KGZ", "CHN"} <= titles
    # Every ring of the world layer lies outside the box (edges may touch it).
    w, s, e, n = CLIP_BOX
    for code, rings in load_basemap():
        for ring in rings:
            inside = [(x, y) for x, y in ring if w < x < e and s < y < n]
            assert not inside or all(w <= x <= e and s <= y <= n for x, y in ring), code


def test_no_outline_along_the_clip_box() -> None:
    # Arabia and Iran straddle lat 28: both layers meet there, filled without a seam.
    frame = MapFrame(40.0, 20.0, 65.0, 36.0)
    svg = basemap_paths(frame)
    y28 = f"{frame.xy(CLIP_BOX[1], 0.0)[1]:.1f}"
    fills = re.findall(r'style="stroke:none" d="([^"]+)"', svg)
    lines = re.findall(r'style="fill:none" d="([^"]+)"', svg)
    assert fills and lines

    def along_box(d: str) -> int:
        n = 0
        for sub in d.split("M")[1:]:
            pts = [p.split(",") for p in sub.rstrip("Z").split("L")]
            n += sum(a[1] == b[1] == y28 for a, b in itertools.pairwise(pts))
        return n

    assert sum(along_box(d) for d in fills) > 0  # the cut is there in the fills ...
    assert sum(along_box(d) for d in lines) == 0  # ... but not drawn as a line
