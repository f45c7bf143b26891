"""Routing under a bundled scenario: the API applies it, matches the CLI's answer, says why."""

from __future__ import annotations

from steppe.routing import RouteOptions, route
from steppe.scenarios import apply_scenario, bundled_scenario

OSK = {"origin": "Oskemen", "destination": "Olgii", "modes": ["road"], "optimize": "time"}


def test_route_under_a_scenario_matches_the_python_api(client, eurasia):
    got = client.post("/api/route", json={**OSK, "scenario": "oskemen-ridder-tuyekta"})
    assert got.status_code == 200, got.text
    body = got.json()
    applied = apply_scenario(eurasia, bundled_scenario("oskemen-ridder-tuyekta"))
    opts = RouteOptions.build(modes=["road"], optimize="time", cost_model=applied.cost_model)
    want = route(applied.network, "Oskemen", "Olgii", opts).to_dict()
    assert [r["nodes"] for r in body["routes"]] == [r["nodes"] for r in want["routes"]]
    assert "ridder_kz_post" in body["routes"][0]["nodes"]
    assert body["scenario"]["name"] == "oskemen-ridder-tuyekta"
    words = " ".join(body["scenario"]["changes"])
    assert "New road link" in words and "km/h" in words and "km" in words


def test_route_under_a_scenario_is_faster_than_the_baseline(client):
    base = client.post("/api/route", json=OSK).json()
    scen = client.post("/api/route", json={**OSK, "scenario": ["oskemen-ridder-tuyekta"]}).json()
    assert "scenario" not in base
    assert scen["routes"][0]["time_h"] < base["routes"][0]["time_h"]


def test_scenarios_stack_and_reach_pareto_and_reliability(client):
    names = ["oskemen-ridder-tuyekta", "russia-transit-closed"]
    out = client.post("/api/pareto", json={**OSK, "scenario": names, "optimize": None})
    assert out.status_code == 422  # pareto takes no objective: unknown fields are refused
    out = client.post(
        "/api/pareto", json={"origin": "Oskemen", "destination": "Olgii", "scenario": names}
    )
    assert out.status_code == 200
    body = out.json()
    assert body["scenario"]["name"] == "oskemen-ridder-tuyekta+russia-transit-closed"
    assert "Transit through Russia closed" in body["scenario"]["changes"]
    assert all("RUS" not in r["countries"] for r in body["routes"])  # round by China instead
    rel = client.post(
        "/api/reliability", json={**OSK, "scenario": names[:1], "draws": 50, "within_days": 5}
    )
    assert rel.status_code == 200, rel.text
    assert "ridder_kz_post" in rel.json()["route"]["nodes"]


def test_unknown_scenario_is_a_422_naming_it(client):
    out = client.post("/api/route", json={**OSK, "scenario": "no-such-scenario"})
    assert out.status_code == 422
    assert "no-such-scenario" in out.json()["error"]["message"]
    out = client.post("/api/route", json={**OSK, "scenario": "../etc/passwd"})
    assert out.status_code == 422
