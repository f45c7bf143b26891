"""Convert a network to and from GeoJSON, so that it opens in QGIS and in the web map.

Nodes become Points, links LineStrings (their geometry, or a straight line between the
ends), border crossings LineStrings between the two crossing points, and transfers
Points at their node.  ``properties.feature_type`` says which.  Every attribute is kept,
so a network written as GeoJSON and read back is equal to the original.

A link's ``co2_kg`` is always filled: its own value where the network gives one
(``co2_kg_source`` ``link``), else the ISO 14083 / GLEC default the router uses for one
FEU (``co2_kg_source`` ``derived``), which reading the file back ignores.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from steppe.errors import NetworkFileError, Problem
from steppe.network import _tables as t
from steppe.network.model import Link, Network, NetworkMeta, Transfer

__all__ = ["is_numeric_field", "network_from_geojson", "network_to_geojson", "read_geojson"]


_INTEGER = frozenset({"geonameid", "gauge_mm"})
_NUMBER = frozenset({"lat", "lon", "length_km", "speed_kmh", "duration_h", "headway_h",
                     "capacity", "cost_usd", "co2_kg", "time_h"})  # fmt: skip


def is_numeric_field(key: str) -> bool:
    """Whether a network attribute (or a derived field of the exports) is a number.

    Examples
    --------
    >>> is_numeric_field("length_km"), is_numeric_field("rail_in_h"), is_numeric_field("mode")
    (True, True, False)
    """
    return (
        key in _NUMBER
        or key in _INTEGER
        or key.endswith(("_h", "_fee_usd", "_kg_per_feu", "_kg", "_usd", "_km", "_kmh"))
    )


def _typed(row: dict[str, str]) -> dict[str, Any]:
    """Return table cells as JSON values: numbers as numbers, empty cells as null.

    GIS tools (QGIS reads GeoJSON through GDAL) then see numeric fields they can style
    and filter by, and reading back gives the same text as the CSV cell.
    """
    out: dict[str, Any] = {}
    for key, value in row.items():
        numeric = is_numeric_field(key)
        if value == "" and numeric:
            out[key] = None
        elif key in _INTEGER and value:
            out[key] = int(value)
        elif numeric:
            out[key] = float(value)
        else:
            out[key] = value
    return out


def _cell(value: Any) -> str:
    """Return a GeoJSON property as the CSV cell it came from."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _point(lat: float, lon: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


def _line(points: list[tuple[float, float]]) -> dict[str, Any]:
    return {"type": "LineString", "coordinates": [[lon, lat] for lat, lon in points]}


_FEU_T = 20.0  # one FEU of cargo, as the router's default shipment


def _link_co2e(network: Network, link: Link) -> dict[str, Any]:
    """Return derived, read-only CO2e of moving one FEU (20 t) along a link.

    ISO 14083 / GLEC v3.0 defaults (``docs/emissions.md``); they are not link
    attributes and are ignored when the file is read back.
    """
    from steppe.emissions.model import EmissionsModel

    i = EmissionsModel().leg_intensity(link.mode.value, network.link_countries(link))
    tkm = _FEU_T * link.length_km
    return {
        "co2e_wtw_kg_per_feu": round(i.wtw * tkm / 1000.0, 3),
        "co2e_ttw_kg_per_feu": round(i.ttw * tkm / 1000.0, 3),
        "co2e_factor_ids": "|".join(i.factor_ids),
    }


def _transfer_co2e(tr: Transfer) -> dict[str, Any]:
    """Return derived hub CO2e (WTW) of handling one FEU at a transfer."""
    from steppe.emissions.chain import hub_emissions
    from steppe.emissions.model import EmissionsModel

    water = {"ferry", "sea"}
    kind = "port" if {tr.from_mode.value, tr.to_mode.value} & water else "transshipment"
    h = hub_emissions(EmissionsModel(), kind, tonnes=_FEU_T, containers=1.0)
    return {"co2e_wtw_kg_per_feu": round(h.wtw_kg, 3), "co2e_factor_ids": h.factor_id}


def network_to_geojson(network: Network) -> dict[str, Any]:
    """Return the network as a GeoJSON FeatureCollection.

    Links and transfers also carry ``co2e_wtw_kg_per_feu`` (and links
    ``co2e_ttw_kg_per_feu``): the ISO 14083 emissions of one FEU, derived from the
    shipped factors; reading the file back ignores them.

    Examples
    --------
    >>> import steppe
    >>> fc = network_to_geojson(steppe.load_network())
    >>> fc["type"], fc["features"][0]["properties"]["feature_type"]
    ('FeatureCollection', 'node')
    """
    nodes = network.nodes_by_id
    features: list[dict[str, Any]] = []
    for n in network.nodes:
        features.append(
            {
                "type": "Feature",
                "geometry": _point(n.lat, n.lon),
                "properties": {"feature_type": "node", **_typed(t.node_to_row(n))},
            }
        )
    for lk in network.links:
        props = t.link_to_row(lk)
        del props["geometry"]
        pts = (
            list(lk.geometry)
            if lk.geometry
            else [(nodes[lk.a].lat, nodes[lk.a].lon), (nodes[lk.b].lat, nodes[lk.b].lon)]
        )
        props["has_geometry"] = "yes" if lk.geometry else ""
        props["countries_crossed"] = "|".join(network.link_countries(lk))
        co2e = _link_co2e(network, lk)
        typed = _typed(props)
        typed["co2_kg_source"] = "link" if lk.co2_kg is not None else "derived"
        if lk.co2_kg is None:
            typed["co2_kg"] = co2e["co2e_wtw_kg_per_feu"]
        features.append(
            {
                "type": "Feature",
                "geometry": _line(pts),
                "properties": {"feature_type": "link", **typed, **co2e},
            }
        )
    for b in network.borders:
        pts = [(nodes[b.a].lat, nodes[b.a].lon), (nodes[b.b].lat, nodes[b.b].lon)]
        features.append(
            {
                "type": "Feature",
                "geometry": _line(pts),
                "properties": {"feature_type": "border", **_typed(t.border_to_row(b))},
            }
        )
    for tr in network.transfers:
        n = nodes[tr.node]
        features.append(
            {
                "type": "Feature",
                "geometry": _point(n.lat, n.lon),
                "properties": {
                    "feature_type": "transfer",
                    **_typed(t.transfer_to_row(tr)),
                    **_transfer_co2e(tr),
                },
            }
        )
    meta = network.meta
    return {
        "type": "FeatureCollection",
        "steppe": {
            "format_version": meta.format_version,
            "name": meta.name,
            "description": meta.description,
            "license": meta.license,
            "sources": list(meta.sources),
            "closed_transit": list(network.closed_transit),
        },
        "features": features,
    }


def network_from_geojson(data: dict[str, Any], *, file: str = "<geojson>") -> Network:
    """Build a network from a FeatureCollection written by :func:`network_to_geojson`.

    Raises
    ------
    NetworkFileError
        With every problem found; ``row`` is the feature index counted from 1.
    """
    from steppe.network.io import _is_country
    from steppe.network.validate import check_network

    problems: list[Problem] = []
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise NetworkFileError("is not a GeoJSON FeatureCollection", file=file)
    parsed: dict[str, list[Any]] = {"node": [], "link": [], "border": [], "transfer": []}
    for i, feature in enumerate(data.get("features", []), start=1):
        props = feature.get("properties") or {}
        kind = props.get("feature_type")
        if kind not in parsed:
            problems.append(Problem(file, f"unknown feature_type {kind!r}", i, "feature_type"))
            continue
        cells = {k: _cell(v) for k, v in props.items()}
        if cells.get("co2_kg_source") == "derived":  # written by the export, not an attribute
            cells["co2_kg"] = ""
        p = t.RowParser(file, i, cells, problems)
        if kind == "node":
            obj: Any = t.parse_node(p, _is_country)
        elif kind == "link":
            if cells.get("has_geometry"):
                coords = feature["geometry"]["coordinates"]
                cells["geometry"] = ";".join(f"{lat!r} {lon!r}" for lon, lat in coords)
            obj = t.parse_link(p, _is_country)
        elif kind == "border":
            obj = t.parse_border(p)
        else:
            obj = t.parse_transfer(p)
        if obj is not None:
            parsed[kind].append(obj)
    meta = data.get("steppe") or {}
    network = Network(
        tuple(parsed["node"]),
        tuple(parsed["link"]),
        tuple(parsed["border"]),
        tuple(parsed["transfer"]),
        NetworkMeta(
            name=str(meta.get("name", "network")),
            description=str(meta.get("description", "")),
            sources=tuple(meta.get("sources", [])),
            license=str(meta.get("license", "")),
        ),
        tuple(meta.get("closed_transit", [])),
    )
    problems.extend(check_network(network))
    if any(p.severity == "error" for p in problems):
        raise NetworkFileError(problems)
    return network


def read_geojson(path: str | Path) -> Network:
    """Read a network from a GeoJSON file written by steppe (or edited in QGIS)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NetworkFileError(f"cannot read GeoJSON: {exc}", file=str(path)) from exc
    return network_from_geojson(data, file=str(path))
