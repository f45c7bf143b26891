"""GeoPackage and GeoDataFrame exports, read back by independent readers.

The GeoPackage is read with Python's own sqlite3 (a GeoPackage is an SQLite database
with tables the OGC standard names) and through GDAL; the numbers are checked against
the network and against the router's own legs.
"""

from __future__ import annotations

import json
import sqlite3
import struct
import sys
from pathlib import Path

import pyogrio
import pytest

import steppe
from steppe.errors import MissingExtraError
from steppe.network import network_to_geojson, read_geojson
from steppe.network.gpkg import write_gpkg


@pytest.fixture(scope="module")
def eurasia() -> steppe.Network:
    return steppe.load_network()


@pytest.fixture(scope="module")
def gpkg(eurasia: steppe.Network, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_gpkg(eurasia, tmp_path_factory.mktemp("gpkg") / "eurasia.gpkg")


def _rows(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute(sql).fetchall()


def _point(blob: bytes) -> tuple[float, float]:
    """Read x, y of a GeoPackage point (its header, then little- or big-endian WKB)."""
    flags = blob[3]
    envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(flags >> 1) & 7]
    wkb = blob[8 + envelope :]
    order = "<" if wkb[0] == 1 else ">"
    return struct.unpack(f"{order}dd", wkb[5:21])


def test_one_layer_per_feature_type_in_wgs84(gpkg: Path, eurasia: steppe.Network) -> None:
    layers = dict(_rows(gpkg, "SELECT table_name, geometry_type_name FROM "
                              "gpkg_geometry_columns"))  # fmt: skip
    assert layers == {"nodes": "POINT", "links": "LINESTRING", "borders": "LINESTRING",
                      "transfers": "POINT"}  # fmt: skip
    srs = _rows(gpkg, "SELECT DISTINCT srs_id FROM gpkg_geometry_columns")
    assert srs == [(4326,)]
    counts = {"nodes": eurasia.nodes, "links": eurasia.links, "borders": eurasia.borders,
              "transfers": eurasia.transfers}  # fmt: skip
    for layer, items in counts.items():
        assert _rows(gpkg, f"SELECT count(*) FROM {layer}") == [(len(items),)]


def test_nodes_and_links_carry_the_network_numbers(gpkg: Path, eurasia: steppe.Network) -> None:
    for node_id, lat, lon, geom in _rows(gpkg, "SELECT id, lat, lon, geom FROM nodes"):
        node = eurasia.nodes_by_id[node_id]
        assert (lat, lon) == (node.lat, node.lon)
        assert _point(geom) == (node.lon, node.lat)
    for link_id, km, gauge in _rows(gpkg, "SELECT id, length_km, gauge_mm FROM links"):
        link = eurasia.links_by_id[link_id]
        assert km == link.length_km and gauge == link.gauge_mm


def test_numeric_fields_are_numeric_and_filled(gpkg: Path) -> None:
    info = pyogrio.read_info(gpkg, layer="links")
    types = dict(zip(info["fields"], info["ogr_types"], strict=True))
    for field in ("length_km", "speed_kmh", "cost_usd", "co2_kg", "capacity", "feu_time_h",
                  "feu_cost_usd"):  # fmt: skip
        assert types[field] == "OFTReal", field
    assert types["gauge_mm"] in ("OFTInteger", "OFTInteger64")
    borders = pyogrio.read_info(gpkg, layer="borders")
    assert dict(zip(borders["fields"], borders["ogr_types"], strict=True))["road_fee_usd"] == (
        "OFTReal"
    )
    assert _rows(gpkg, "SELECT count(*) FROM links WHERE co2_kg IS NULL") == [(0,)]
    unusable = _rows(gpkg, "SELECT DISTINCT status FROM links WHERE feu_time_h IS NULL")
    assert {s for (s,) in unusable} <= {"closed", "planned"}


def test_link_charges_are_the_routers_legs(gpkg: Path, eurasia: steppe.Network) -> None:
    charges = {r[0]: r[1:] for r in _rows(gpkg, "SELECT id, feu_time_h, feu_cost_usd, co2_kg "
                                                "FROM links")}  # fmt: skip
    checked = 0
    for a, b in (("Almaty", "Baku"), ("Ulaanbaatar", "Tianjin"), ("Oskemen", "Olgii")):
        legs = steppe.route(eurasia, a, b).best.legs
        for k, leg in enumerate(legs):
            if leg.kind != "link" or leg.from_id != eurasia.links_by_id[leg.ref].a:
                continue
            wait = legs[k - 1].time_h if k and legs[k - 1].kind == "wait" and (
                legs[k - 1].ref == leg.ref) else 0.0  # fmt: skip
            time_h, cost, co2 = charges[leg.ref]
            assert time_h == pytest.approx(leg.time_h + wait)
            assert cost == pytest.approx(leg.cost_usd)
            assert co2 == pytest.approx(leg.co2_kg, rel=1e-3)  # the export rounds to grams
            checked += 1
    assert checked >= 10


def test_geojson_co2_is_filled_and_reads_back_unchanged(tmp_path: Path, eurasia) -> None:
    fc = network_to_geojson(eurasia)
    links = [f["properties"] for f in fc["features"] if f["properties"]["feature_type"] == "link"]
    assert all(p["co2_kg"] is not None and p["co2_kg"] > 0 for p in links)
    for p in links:
        own = eurasia.links_by_id[p["id"]].co2_kg
        assert p["co2_kg_source"] == ("derived" if own is None else "link")
    path = tmp_path / "net.geojson"
    path.write_text(json.dumps(fc), encoding="utf-8")
    assert read_geojson(path).links == eurasia.links


def test_to_geopandas_layers_routes_and_comparisons(eurasia: steppe.Network) -> None:
    from steppe.scenarios import load_scenarios
    from steppe.scenarios.compare import compare

    layers = eurasia.to_geopandas()
    assert {k: len(v) for k, v in layers.items()} == {
        "nodes": len(eurasia.nodes), "links": len(eurasia.links),
        "borders": len(eurasia.borders), "transfers": len(eurasia.transfers),
    }  # fmt: skip
    assert all(str(v.crs) == "EPSG:4326" for v in layers.values())
    result = steppe.route(eurasia, "Almaty", "Baku")
    legs = result.to_geopandas()
    moving = legs[legs.geom_type == "LineString"]
    assert moving["distance_km"].sum() == pytest.approx(result.best.distance_km)
    pairs = [("ulaanbaatar", "beijing"), ("almaty", "baku")]
    comparison = compare(eurasia, load_scenarios(["zamiin-uud-2021"], eurasia), pairs=pairs)
    frame = comparison.to_geopandas()
    assert len(frame) == len(comparison.pairs) == 2
    first = frame.iloc[0]
    start = eurasia.nodes_by_id[first["origin"]]
    assert frame.geometry.iloc[0].coords[0] == (start.lon, start.lat)


def test_without_geopandas_the_error_names_the_extra(eurasia, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "geopandas", None)
    with pytest.raises(MissingExtraError, match=r"steppe\[geo\]"):
        eurasia.to_geopandas()
