"""Uploaded scenarios (the text of a TOML file) through the API, against the Python API."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from steppe.routing import RouteOptions, route
from steppe.scenarios import apply_scenario, describe_changes, read_scenario
from steppe.web.meta_api import SOURCES

UPLOAD = Path(__file__).parents[1] / "data" / "scenarios" / "kuryk-alat-daily-ferry.toml"
SOURCES_MD = Path(__file__).parents[2] / "src" / "steppe" / "data" / "SOURCES.md"


@pytest.fixture(scope="module")
def toml() -> str:
    return UPLOAD.read_text(encoding="utf-8")


def test_upload_shows_the_changes_of_the_python_api(client, eurasia, toml):
    got = client.post("/api/scenarios/upload", json={"scenario_toml": toml})
    assert got.status_code == 200, got.text
    body = got.json()
    applied = apply_scenario(eurasia, read_scenario(UPLOAD, name="upload"))
    assert body["changes"] == [c.to_dict() for c in applied.changes]
    assert body["words"] == describe_changes(applied)
    assert "a sailing every 24 h instead of 84 h" in body["words"][0]
    assert body["title"] == "Kuryk – Alat ferry every day"
    ids = {f["properties"].get("id") for f in body["geojson"]["features"]}
    assert "ferry-kuryk-alat" in ids


def test_bundled_scenario_is_described_in_words(client):
    body = client.get("/api/scenarios/oskemen-ridder-tuyekta").json()
    assert any(w.startswith("New road link") and "km/h" in w for w in body["words"])


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("title = ", "is not valid TOML"),
        ('format_version = 1\ntitle = "x"\n[[edits]]\ntype = "widen_road"\n', "widen_road"),
        (
            'format_version = 1\ntitle = "x"\n[[edits]]\ntype = "change_ferry"\n'
            'id = "no-such-ferry"\nheadway_h = 3.0\n',
            "no-such-ferry",
        ),
    ],
)
def test_a_bad_upload_is_a_422_saying_what_is_wrong(client, text, says):
    got = client.post("/api/scenarios/upload", json={"scenario_toml": text})
    assert got.status_code == 422, got.text
    err = got.json()["error"]
    assert says in err["message"] + " ".join(err.get("problems", []))
    # the same text is refused the same way wherever it is sent
    out = client.post(
        "/api/route", json={"origin": "Almaty", "destination": "Baku", "scenario_toml": text}
    )
    assert out.status_code == 422


def test_route_under_an_upload_matches_the_python_api(client, eurasia, toml):
    req = {"origin": "Almaty", "destination": "Baku", "optimize": "time"}
    got = client.post("/api/route", json={**req, "scenario_toml": toml}).json()
    applied = apply_scenario(eurasia, read_scenario(UPLOAD, name="upload"))
    opts = RouteOptions.build(optimize="time", cost_model=applied.cost_model)
    want = route(applied.network, "Almaty", "Baku", opts)
    assert got["routes"][0]["nodes"] == list(want.routes[0].nodes)
    assert got["routes"][0]["time_h"] == pytest.approx(want.routes[0].time_h)
    assert got["scenario"]["changes"] == describe_changes(applied)
    base = client.post("/api/route", json=req).json()
    assert "kuryk" in got["routes"][0]["nodes"]
    assert got["routes"][0]["time_h"] < base["routes"][0]["time_h"]  # a daily ferry waits less


def test_a_bundled_and_an_uploaded_scenario_stack(client, toml):
    got = client.post(
        "/api/pareto",
        json={"origin": "Almaty", "destination": "Baku", "scenario": "russia-transit-closed",
              "scenario_toml": toml},
    )  # fmt: skip
    assert got.status_code == 200, got.text
    words = got.json()["scenario"]["changes"]
    assert "Transit through Russia closed" in words and any("Kuryk" in w for w in words)


def test_compare_and_impact_need_a_scenario(client):
    for url in ("/api/scenarios/compare", "/api/impact"):
        got = client.post(url, json={})
        assert got.status_code == 422
        assert "scenario_toml" in got.json()["error"]["message"]


def test_openapi_lists_bundled_names_and_takes_uploads(client):
    props = client.get("/openapi.json").json()["components"]["schemas"]["CompareRequest"][
        "properties"
    ]
    strings = [s for s in props["scenario"]["anyOf"] if s.get("type") == "string"]
    assert "titr-2030" in strings[0]["enum"]
    assert "scenario_toml" in props


@pytest.mark.slow
def test_impact_job_under_an_upload_reports_progress(client, toml):
    job = client.post("/api/jobs", json={"kind": "impact", "scenario_toml": toml, "draws": 4})
    assert job.status_code == 202, job.text
    url = job.json()["status_url"]
    seen = []
    for _ in range(600):
        rec = client.get(url).json()
        seen.append(rec["progress"])
        if rec["status"] in ("done", "failed"):
            break
        time.sleep(0.2)
    assert rec["status"] == "done", rec
    assert seen == sorted(seen) and seen[-1] == 1.0
    result = client.get(rec["result_url"]).json()
    assert result["title"] == "Kuryk – Alat ferry every day"
    assert result["draws"] == 4


def test_footer_names_every_data_source_of_sources_md():
    """Each source SOURCES.md credits is in the footer list (names as SOURCES.md spells them)."""
    text = SOURCES_MD.read_text(encoding="utf-8")
    footer = " ".join(f"{s['name']} {s['what']}" for s in SOURCES)
    for needle in (
        "OpenStreetMap", "GeoNames", "Natural Earth", "CAREC", "Eurostat", "CEPII",
        "UN/LOCODE", "Yotov", "SeaRoute", "World Port Index", "Eurasian Rail Alliance Index",
        "Drewry World Container Index", "European Central Bank", "Bank of Mongolia",
        "World Customs Organization", "ISO 3166", "GLEC", "Ember", "Our World in Data",
        "Head, Mayer & Ries",
    ):  # fmt: skip
        assert needle in text, f"{needle} is no longer in SOURCES.md: update this list"
        assert needle in footer, f"{needle} is missing from the footer (meta_api.SOURCES)"
    assert "road graph of the first and last mile" in footer
