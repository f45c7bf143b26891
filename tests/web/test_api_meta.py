"""Places, countries, network and basemap GeoJSON, sources, the page, docs and headers."""

from __future__ import annotations

import json

import steppe
from steppe.network import network_to_geojson, search_places
from steppe.web.meta_api import SOURCES


def test_places_autocomplete_matches_search_places(client, eurasia):
    got = client.get("/api/places", params={"q": "ulaanb"}).json()
    assert [p["id"] for p in got] == [n.id for n in search_places(eurasia, "ulaanb", limit=10)]
    assert got[0]["id"] == "ulaanbaatar" and got[0]["country"] == "MNG"


def test_places_limit_is_capped(client):
    got = client.get("/api/places", params={"q": "", "limit": 1000}).json()
    assert len(got) == 50  # Limits.max_places


def test_places_rejects_bad_query(client):
    res = client.get("/api/places", params={"q": "x" * 101})
    assert res.status_code == 422 and res.json()["error"]["type"] == "ValidationError"


def test_countries_are_those_of_the_network(small_client, small_network):
    got = small_client.get("/api/countries").json()
    assert [c["iso3"] for c in got] == list(small_network.countries)
    assert {"iso3": "MNG", "name": "Mongolia"} in got


def test_network_geojson_is_the_python_one(small_client, small_network):
    assert small_client.get("/api/network").json() == json.loads(
        json.dumps(network_to_geojson(small_network))
    )


def test_network_info(small_client, small_network):
    info = small_client.get("/api/network/info").json()
    assert info["name"] == "small" and info["nodes"] == len(small_network.nodes)


def test_basemap_is_natural_earth(client):
    res = client.get("/api/basemap")
    assert res.status_code == 200
    data = res.json()
    codes = {f["properties"]["adm0_a3"] for f in data["features"]}
    assert {"KAZ", "MNG", "CHN", "RUS", "DEU"} <= codes


def test_sources_listed_and_linked(client):
    got = client.get("/api/sources").json()
    assert got == list(SOURCES)
    names = " ".join(s["name"] for s in got)
    for needle in ("OpenStreetMap", "GeoNames", "Natural Earth", "CAREC", "Eurostat", "CEPII"):
        assert needle in names
    assert all(s["url"].startswith("https://") and s["licence"] for s in got)
    assert client.get("/api/sources.md").status_code == 200


def test_page_and_assets_are_local(client):
    html = client.get("/").text
    assert "<title>steppe" in html
    for asset in (
        "/static/app.js",
        "/static/app.css",
        "/static/vendor/leaflet/leaflet.js",
        "/static/vendor/chartjs/chart.umd.min.js",
    ):
        assert asset in html
        assert client.get(asset).status_code == 200
    assert "http://" not in html.split("<body>")[0] and "https://" not in html.split("<body>")[0]


def test_security_headers_and_closed_cors(client):
    res = client.get("/api/countries", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in res.headers
    assert "default-src 'self'" in res.headers["content-security-policy"]
    pre = client.options(
        "/api/route",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in pre.headers


def test_cors_can_be_opened_explicitly(small_network, make_client):
    from steppe.web import create_app

    with make_client(create_app(small_network, cors_origins=["http://localhost:3000"])) as c:
        res = c.get("/api/countries", headers={"Origin": "http://localhost:3000"})
        assert res.headers["access-control-allow-origin"] == "http://localhost:3000"


def test_openapi_and_offline_docs(client):
    spec = client.get("/openapi.json").json()
    for path in (
        "/api/route",
        "/api/pareto",
        "/api/reliability",
        "/api/matrix",
        "/api/places",
        "/api/scenarios",
        "/api/scenarios/compare",
        "/api/trade/turnover",
        "/api/trade/series",
        "/api/trade/composition",
        "/api/trade/mirror",
        "/api/impact",
    ):
        assert path in spec["paths"], path
    docs = client.get("/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs
    assert "cdn" not in docs.lower()


def test_unknown_url_and_method_are_json(client):
    res = client.get("/api/nothing")
    assert res.status_code == 404 and res.json()["error"]["type"] == "HTTPError"
    res = client.get("/api/route")
    assert res.status_code == 405 and "method" in res.json()["error"]["message"]


def test_embedded_network_is_the_default(make_client):
    from steppe.web import create_app

    with make_client(create_app()) as c:
        assert c.get("/api/network/info").json()["nodes"] == len(steppe.load_network().nodes)
