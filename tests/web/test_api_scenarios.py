"""Scenario and impact endpoints against steppe.scenarios and steppe.gravity."""

from __future__ import annotations

import pytest

from steppe.scenarios import apply_scenario, bundled_scenario, scenario_names


def test_list_is_the_bundled_scenarios(client):
    got = client.get("/api/scenarios").json()
    assert [s["name"] for s in got] == list(scenario_names())
    assert all("file" not in s for s in got)


def test_scenario_changes_match_python_api(client, eurasia):
    name = "oskemen-ridder-tuyekta"
    got = client.get(f"/api/scenarios/{name}").json()
    applied = apply_scenario(eurasia, bundled_scenario(name))
    assert got["changes"] == [c.to_dict() for c in applied.changes]
    ids = {f["properties"].get("id") for f in got["geojson"]["features"]}
    assert set(applied.changed_ids("link")) <= ids


def test_closed_transit_scenario(client):
    got = client.get("/api/scenarios/russia-transit-closed").json()
    assert got["closed_transit"] == ["RUS"]


@pytest.mark.parametrize("name", ["no-such-scenario", "..%2F..%2Fetc%2Fpasswd"])
def test_unknown_scenario_is_a_clear_4xx(client, name):
    res = client.get(f"/api/scenarios/{name}")
    assert 400 <= res.status_code < 500
    assert "error" in res.json()


def test_compare_answers_or_says_not_available(client):
    res = client.post("/api/scenarios/compare", json={"scenario": "titr-2030"})
    assert res.status_code in (200, 501), res.text
    if res.status_code == 501:
        assert res.json()["error"]["type"] == "NotAvailableError"


def test_compare_rejects_paths(client):
    res = client.post("/api/scenarios/compare", json={"scenario": "/etc/passwd"})
    assert res.status_code == 422 and res.json()["error"]["type"] == "ValidationError"


def test_impact_checks_draws_then_answers_or_says_not_available(client):
    res = client.post("/api/impact", json={"scenario": "titr-2030", "draws": 3000})
    assert res.status_code == 422 and "draws" in res.json()["error"]["message"]
    res = client.post("/api/impact", json={"scenario": "titr-2030", "draws": 0})
    assert res.status_code in (200, 501), res.text
