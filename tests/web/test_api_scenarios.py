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


@pytest.mark.slow
def test_compare_matches_python_api(client, eurasia):
    from steppe.scenarios.compare import compare

    got = client.post("/api/scenarios/compare", json={"scenario": "titr-2030", "top": 5}).json()
    applied = apply_scenario(eurasia, bundled_scenario("titr-2030"))
    want = compare(eurasia, applied, optimize="time").to_dict(top=5)
    assert got["winners"] == want["winners"]
    assert got["corridors"] == want["corridors"]
    assert got["summary"] == want["summary"]
    assert got["metric"] == "time_h"
    assert all(w["time_h_delta"] < 0 for w in got["winners"])


def test_compare_rejects_paths(client):
    res = client.post("/api/scenarios/compare", json={"scenario": "/etc/passwd"})
    assert res.status_code == 422 and res.json()["error"]["type"] == "ValidationError"


@pytest.mark.slow
def test_impact_checks_draws_then_matches_python_api(client, eurasia):
    from steppe.gravity.scenario_impact import scenario_impact

    res = client.post("/api/impact", json={"scenario": "titr-2030", "draws": 3000})
    assert res.status_code == 422 and "draws" in res.json()["error"]["message"]
    got = client.post("/api/impact", json={"scenario": "titr-2030", "draws": 0}).json()
    want = scenario_impact(["titr-2030"], eurasia, draws=0).to_dict()
    nan_to_none = [{k: None if v != v else v for k, v in row.items()} for row in want["focus"]]
    assert got["focus"] == nan_to_none  # NaN (no Monte Carlo band) is null in JSON
    assert {f["flow"] for f in got["focus"]} == {"KAZ->MNG", "MNG->KAZ", "KAZ<->MNG"}


def test_impact_never_reads_a_file(client, tmp_path, monkeypatch):
    (tmp_path / "x.toml").write_text("title = 'x'\n")
    monkeypatch.chdir(tmp_path)
    res = client.post("/api/impact", json={"scenario": "x.toml", "draws": 0})
    assert res.status_code == 422 and res.json()["error"]["type"] == "ScenarioError"


@pytest.mark.slow
def test_compare_takes_the_routing_options(client, eurasia):
    from steppe.routing import RouteOptions
    from steppe.scenarios.compare import compare

    body = {"scenario": "zamiin-uud-2021", "top": 3, "modes": ["road"], "avoid": ["RUS"],
            "optimize": "cost", "cargo": "teu"}  # fmt: skip
    got = client.post("/api/scenarios/compare", json=body).json()
    applied = apply_scenario(eurasia, bundled_scenario("zamiin-uud-2021"))
    opts = RouteOptions.build(modes="road", avoid=["RUS"], optimize="cost", cargo=None)
    want = compare(eurasia, applied, opts.replace(cargo=_teu())).to_dict(top=3)
    assert got["summary"] == want["summary"]
    assert got["metric"] == "cost_usd"


def _teu():
    from steppe.routing import Cargo

    return Cargo.parse("teu")
