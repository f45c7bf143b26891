"""The GeoJSON export opens through GDAL, as QGIS reads it, with numeric fields."""

from __future__ import annotations

import json
from pathlib import Path

import pyogrio

import steppe
from steppe.network import network_to_geojson


def test_gdal_reads_every_feature_with_numeric_fields(tmp_path: Path) -> None:
    net = steppe.load_network()
    path = tmp_path / "eurasia.geojson"
    path.write_text(json.dumps(network_to_geojson(net)), encoding="utf-8")
    info = pyogrio.read_info(path)
    assert info["driver"] == "GeoJSON" and info["crs"] == "EPSG:4326"
    expected = len(net.nodes) + len(net.links) + len(net.borders) + len(net.transfers)
    assert info["features"] == expected
    types = dict(zip(info["fields"], info["ogr_types"], strict=True))
    assert types["length_km"] == "OFTReal" and types["lat"] == "OFTReal"
    assert types["gauge_mm"] == "OFTInteger" and types["mode"] == "OFTString"
    west, south, east, north = info["total_bounds"]
    # east was < 130: since issue 15 the network's sea ports reach Yokohama (139.6 E)
    assert -20 < west < 10 and -40 < south < 30 and 100 < east < 145 and 50 < north < 65
