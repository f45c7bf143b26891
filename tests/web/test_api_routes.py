"""Routing endpoints against the Python API they wrap, and every error class they give."""

from __future__ import annotations

import pytest

import steppe
from steppe.routing import Cargo, pareto, reliability, route


def test_route_matches_python_api(client, eurasia):
    body = {"origin": "Ulaanbaatar", "destination": "Duisburg", "avoid": ["RUS"], "alternatives": 3}
    got = client.post("/api/route", json=body).json()
    want = route(eurasia, "Ulaanbaatar", "Duisburg", avoid=["RUS"], alternatives=3).to_dict()
    assert [r["nodes"] for r in got["routes"]] == [r["nodes"] for r in want["routes"]]
    assert [r["cost_usd"] for r in got["routes"]] == [r["cost_usd"] for r in want["routes"]]
    for r in got["routes"]:
        assert "RUS" not in r["countries"]
    modes = {
        f["properties"]["mode"]
        for f in got["geojson"]["features"]
        if f["geometry"]["type"] == "LineString"
    }
    assert modes <= {"road", "rail", "ferry", "sea"} and modes


def test_route_options_reach_the_python_api(client, eurasia):
    body = {
        "origin": "Almaty",
        "destination": "Baku",
        "modes": ["rail", "ferry"],
        "cargo": "tonnes:12",
        "optimize": "time",
    }
    got = client.post("/api/route", json=body).json()["routes"][0]
    want = route(
        eurasia,
        "Almaty",
        "Baku",
        modes=["rail", "ferry"],
        optimize="time",
        cargo=Cargo.parse("tonnes:12"),
    ).best.to_dict()
    assert got["nodes"] == want["nodes"]
    assert got["co2_kg"] == want["co2_kg"]
    assert {leg["mode"] for leg in got["legs"]} <= {"rail", "ferry"}


def test_pareto_matches_python_api(small_client, small_network):
    got = small_client.post(
        "/api/pareto", json={"origin": "Ulaanbaatar", "destination": "Beijing"}
    ).json()
    want = pareto(small_network, "Ulaanbaatar", "Beijing").to_dict()
    assert [r["nodes"] for r in got["routes"]] == [r["nodes"] for r in want["routes"]]


def test_reliability_matches_python_api(client, eurasia):
    body = {"origin": "Almaty", "destination": "Baku", "draws": 500, "seed": 3, "within_days": 10}
    got = client.post("/api/reliability", json=body).json()
    best = route(eurasia, "Almaty", "Baku").best
    want = reliability(eurasia, best, draws=500, seed=3, within_days=10).to_dict()
    assert got["distribution"] == want["distribution"]
    assert got["prob_within"] == want["prob_within"]
    assert got["route"]["nodes"] == list(best.nodes)
    assert got["distribution"][-1]["cdf"] == pytest.approx(1.0)


def test_reliability_of_a_pareto_option(small_client, small_network):
    body = {
        "origin": "Ulaanbaatar",
        "destination": "Beijing",
        "pareto": True,
        "route_index": 0,
        "draws": 100,
    }
    got = small_client.post("/api/reliability", json=body).json()
    want = pareto(small_network, "Ulaanbaatar", "Beijing").routes[0]
    assert got["route"]["nodes"] == list(want.nodes)


def test_matrix_matches_python_api(client, eurasia):
    places = ["Almaty", "Ulaanbaatar", "Baku"]
    got = client.post("/api/matrix", json={"origins": places}).json()
    want = steppe.routing.matrix(eurasia, places).table
    assert len(got["rows"]) == len(want)
    by_pair = {(r["origin"], r["destination"]): r["time_h"] for r in got["rows"]}
    for row in want.itertuples():
        value = by_pair[(row.origin, row.destination)]
        assert value == pytest.approx(row.time_h) if value is not None else row.time_h != row.time_h


@pytest.mark.parametrize(
    ("body", "status", "kind"),
    [
        ({"origin": "Ulanbatar", "destination": "Duisburg"}, 404, "UnknownPlaceError"),
        ({"origin": "Almaty", "destination": "Almaty"}, 422, "ConfigError"),
        # The OpenAPI pattern now states the cargo forms, so the schema refuses this one
        # (it was a ConfigError from Cargo.parse before the schema said it).
        ({"origin": "Almaty", "destination": "Baku", "cargo": "pallets"}, 422, "ValidationError"),
        ({"origin": "Almaty"}, 422, "ValidationError"),
        ({"origin": "Almaty", "destination": "Baku", "modes": ["camel"]}, 422, "ValidationError"),
        ({"origin": "Almaty", "destination": "Baku", "alternatives": 4}, 422, "ConfigError"),
        ({"origin": "Almaty", "destination": "Baku", "via": ["A", "B", "C"]}, 422, "ConfigError"),
        (
            {"origin": "Almaty", "destination": "Baku", "path": "/etc/passwd"},
            422,
            "ValidationError",
        ),
        (
            {
                "origin": "Ulaanbaatar",
                "destination": "Duisburg",
                "modes": ["road"],
                "avoid": ["RUS", "CHN"],
            },
            404,
            "NoRouteError",
        ),
    ],
)
def test_route_errors(client, body, status, kind):
    res = client.post("/api/route", json=body)
    assert res.status_code == status, res.text
    err = res.json()["error"]
    assert err["type"] == kind
    assert err["message"] and "Traceback" not in err["message"]


def test_unknown_place_lists_suggestions(client):
    err = client.post("/api/route", json={"origin": "Ulanbatar", "destination": "Duisburg"}).json()[
        "error"
    ]
    assert any(s.startswith("Ulaanbaatar") for s in err["suggestions"])


def test_caps_on_draws_and_matrix(client):
    res = client.post(
        "/api/reliability", json={"origin": "Almaty", "destination": "Baku", "draws": 5000}
    )
    assert res.status_code == 422 and "draws" in res.json()["error"]["message"]
    res = client.post("/api/matrix", json={"origins": [f"p{i}" for i in range(11)]})
    assert res.status_code == 422 and "121" in res.json()["error"]["message"]


def test_route_index_out_of_range(small_client):
    res = small_client.post(
        "/api/reliability",
        json={"origin": "Ulaanbaatar", "destination": "Beijing", "pareto": True, "route_index": 40},
    )
    assert res.status_code == 422
    assert "route_index" in res.json()["error"]["message"]


def test_errors_name_the_request_field_not_a_flag(client):
    res = client.post("/api/route", json={"origin": "Almaty", "destination": "Baku",
                                          "via": ["Moscow"], "avoid": ["RUS"]})  # fmt: skip
    assert res.status_code == 422
    err = res.json()["error"]
    assert err["field"] == "avoid" and err["message"].startswith("avoid: the via place Moscow")
    res = client.post("/api/route", json={"origin": "Ulaanbaatar", "destination": "Baku",
                                          "modes": ["ferry"]})  # fmt: skip
    assert "--" not in res.json()["error"]["message"]


def test_route_takes_a_departure_date(client):
    body = {"origin": "Oskemen", "destination": "Olgii", "optimize": "time", "depart": "2025-07-09"}
    got = client.post("/api/route", json=body).json()
    assert got["depart"] == "2025-07-09T00:00"
    assert any("closed for Naadam" in n for n in got["notes"])
    assert got["routes"][0]["depart"] == "2025-07-09T00:00"


def test_an_unreadable_departure_date_is_422(client):
    body = {"origin": "Almaty", "destination": "Baku", "depart": "2025-02-30"}
    res = client.post("/api/route", json=body)
    assert res.status_code == 422 and "depart" in res.json()["error"]["message"]


def test_a_ferry_landing_in_another_country_counts_a_border(client):
    """Kuryk (KAZ) -> Alat (AZE) by ferry crosses one border: port customs on landing."""
    body = client.post(
        "/api/route", json={"origin": "Kuryk", "destination": "Alat", "modes": ["ferry"]}
    ).json()
    best = body["routes"][0]
    assert best["countries"] == ["KAZ", "AZE"]
    assert len(best["border_crossings"]) == 1
