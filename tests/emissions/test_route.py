"""Emissions on routed chains: every output carries WTW and TTW per leg and hub."""

from __future__ import annotations

import json

import pytest

import steppe
from steppe.emissions import EmissionsModel
from steppe.emissions.route import hub_kind, route_emissions
from steppe.network.model import Network
from steppe.routing import Cargo, RouteOptions


@pytest.fixture(scope="module")
def net() -> Network:
    return steppe.load_network()


def test_route_co2_is_the_wtw_sum_of_legs_and_hubs(net: Network) -> None:
    r = steppe.route(net, "Almaty", "Baku").best
    assert r.emissions is not None
    assert r.co2_kg == pytest.approx(r.emissions.wtw_kg)
    assert sum(leg.co2_kg for leg in r.legs) == pytest.approx(r.emissions.wtw_kg)
    assert r.emissions.ttw_kg < r.emissions.wtw_kg
    kinds = {h.kind for h in r.emissions.hubs}
    assert "port" in kinds  # Aktau and Alat
    ferry = [x for x in r.emissions.legs if x.mode == "ferry"]
    assert ferry and ferry[0].factor_ids == ("ferry_ropax_10k_20k_gt_vlsfo",)


def test_route_emissions_is_independent_of_the_search(net: Network) -> None:
    r = steppe.route(net, "Almaty", "Baku").best
    again = route_emissions(r, net, tonnes=20.0, containers=1.0, model=EmissionsModel())
    assert again.wtw_kg == pytest.approx(r.co2_kg)


def test_json_gives_wtw_ttw_and_sources_per_leg_and_hub(net: Network) -> None:
    d = steppe.route(net, "Almaty", "Baku").to_dict()["routes"][0]
    co2e = d["co2e"]
    assert co2e["wtw_kg"] == d["co2e_wtw_kg"]
    assert co2e["legs"] and co2e["hubs"]
    for item in co2e["legs"] + co2e["hubs"]:
        assert item["sources"] and item["factor_ids"]
        assert "wtw_kg" in item and "ttw_kg" in item
        assert d["legs"][item["leg"]]["co2e_wtw_kg"] == pytest.approx(item["wtw_kg"], abs=1e-3)
    waits = [leg for leg in d["legs"] if leg["kind"] == "wait"]
    assert all(leg["co2e_wtw_kg"] == 0 for leg in waits)


def test_route_geojson_features_carry_co2e(net: Network) -> None:
    fc = steppe.route(net, "Almaty", "Baku").to_geojson()
    lines = [f for f in fc["features"] if f["geometry"]["type"] == "LineString"]
    assert lines
    assert all(f["properties"]["co2e_wtw_kg"] > 0 for f in lines)
    assert all(f["properties"]["co2e_ttw_kg"] is not None for f in lines)


def test_pareto_co2_objective_is_wtw(net: Network) -> None:
    front = steppe.pareto(net, "Almaty", "Baku")
    for r in front.routes:
        assert r.emissions is not None
        assert r.co2_kg == pytest.approx(r.emissions.wtw_kg)
    best_co2 = steppe.route(net, "Almaty", "Baku", optimize="co2").best
    assert best_co2.co2_kg <= min(r.co2_kg for r in front.routes) + 1e-6


def test_cargo_in_tonnes_scales_port_containers(net: Network) -> None:
    opts = RouteOptions(cargo=Cargo("tonnes", 10.0))
    r = steppe.route(net, "Almaty", "Baku", options=opts).best
    assert r.emissions is not None
    ports = [h for h in r.emissions.hubs if h.kind == "port"]
    assert ports and all(h.containers == 0.5 for h in ports)


def test_a_different_ferry_class_changes_the_answer(net: Network) -> None:
    small = RouteOptions(emissions=EmissionsModel(ferry="ferry_ropax_5k_10k_gt_vlsfo"))
    a = steppe.route(net, "Almaty", "Baku").best
    b = steppe.route(net, "Almaty", "Baku", options=small).best
    assert b.co2_kg > a.co2_kg


def test_hub_kind() -> None:
    assert hub_kind("zamiin_uud:rail:1520>rail:1435") == "transshipment"
    assert hub_kind("poti:rail:1520>sea") == "port"


def test_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    from steppe.cli import main

    try:
        main(["route", "Almaty", "Baku", "--json"])
    except SystemExit as exc:
        assert exc.code in (0, None)
    out = json.loads(capsys.readouterr().out)
    route = out["routes"][0]
    assert route["co2e"]["method"].startswith("ISO 14083")
    assert all(h["ttw_kg"] is None and h["sources"] for h in route["co2e"]["hubs"])


def test_network_geojson_link_co2e(net: Network) -> None:
    from steppe.network.geojson import network_to_geojson

    fc = network_to_geojson(net)
    ferry = next(
        f for f in fc["features"]
        if f["properties"]["feature_type"] == "link" and f["properties"]["mode"] == "ferry"
    )  # fmt: skip
    p = ferry["properties"]
    assert p["co2e_wtw_kg_per_feu"] == pytest.approx(129.7 * 20 * p["length_km"] / 1000, abs=1e-3)
    assert p["co2e_factor_ids"] == "ferry_ropax_10k_20k_gt_vlsfo"
    transfers = [f for f in fc["features"] if f["properties"]["feature_type"] == "transfer"]
    assert all(f["properties"]["co2e_wtw_kg_per_feu"] > 0 for f in transfers)


def test_web_api_returns_the_breakdown(net: Network) -> None:
    import warnings

    from steppe.web import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Starlette's TestClient warns about httpx
        from fastapi.testclient import TestClient

    with TestClient(create_app(net)) as client:
        got = client.post("/api/route", json={"origin": "Almaty", "destination": "Baku"})
    assert got.status_code == 200
    route = got.json()["routes"][0]
    assert route["co2e_wtw_kg"] == pytest.approx(route["co2_kg"], abs=1e-2)
    assert route["co2e"]["hubs"][0]["sources"]
    assert "co2e_ttw_kg" in route["legs"][0]
