"""The route endpoint with ends off the network: coordinates and GeoNames towns."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.slow
def test_route_from_a_coordinate(client: Any) -> None:
    r = client.post("/api/route", json={"origin": "46.1,100.7", "destination": "Tianjin"})
    assert r.status_code == 200, r.text
    legs = r.json()["routes"][0]["legs"]
    assert legs[0]["kind"] == "first_mile"
    assert legs[0]["source"].startswith("estimate: straight line")
    assert all(leg["source"] for leg in legs)
    kinds = {f["properties"]["kind"] for f in r.json()["geojson"]["features"]}
    assert "first_mile" in kinds


@pytest.mark.slow
@pytest.mark.parametrize(
    ("origin", "detail"),
    [("10,10", "outside the covered region"), ("42.0,50.5", "no road within 50 km")],
)
def test_bad_coordinates_are_422(client: Any, origin: str, detail: str) -> None:
    r = client.post("/api/route", json={"origin": origin, "destination": "Tianjin"})
    assert r.status_code == 422
    assert detail in r.text
