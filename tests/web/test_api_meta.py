"""Places, countries, network and basemap GeoJSON, sources, the page, docs and headers."""

from __future__ import annotations

import itertools
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


def _inside(lon: float, lat: float, geometry: dict) -> bool:
    """Even-odd ray casting over every ring of a (Multi)Polygon."""
    polys = geometry["coordinates"]
    polys = polys if geometry["type"] == "MultiPolygon" else [polys]
    hit = False
    for ring in (r for poly in polys for r in poly):
        for (x0, y0), (x1, y1) in itertools.pairwise(ring):
            if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
                hit = not hit
    return hit


def _countries_at(features: list[dict], lon: float, lat: float) -> set[str]:
    return {f["properties"]["iso_a3"] for f in features if _inside(lon, lat, f["geometry"])}


def test_world_basemap_covers_the_sea_route_around_africa(client):
    res = client.get("/api/basemap/world")
    assert res.status_code == 200 and res.headers["content-type"] == "application/geo+json"
    feats = res.json()["features"]
    assert all(set(f["properties"]) == {"iso_a3", "name"} for f in feats)
    # GeoNames coordinates of cities along Shanghai -> Rotterdam by the Cape, and open sea.
    assert _countries_at(feats, 18.42, -33.92) == {"ZAF"}  # Cape Town
    assert _countries_at(feats, 72.88, 19.08) == {"IND"}  # Mumbai
    assert _countries_at(feats, 39.19, 21.49) == {"SAU"}  # Jeddah
    assert _countries_at(feats, 101.69, 3.14) == {"MYS"}  # Kuala Lumpur
    assert _countries_at(feats, 3.39, 6.45) == {"NGA"}  # Lagos
    assert _countries_at(feats, 121.47, 25.03) == {"TWN"}  # Taipei
    assert _countries_at(feats, 70.0, -10.0) == set()  # Indian Ocean
    assert _countries_at(feats, -20.0, 20.0) == set()  # Atlantic off Mauritania
    # The detailed layer's box is cut out: nothing of the world layer lies inside it.
    assert _countries_at(feats, 76.9, 43.25) == set()  # Almaty
    assert _countries_at(feats, 121.47, 31.23) == set()  # Shanghai (the 1:50m layer)
    detailed = client.get("/api/basemap").json()["features"]
    for f in detailed:
        f["properties"]["iso_a3"] = f["properties"]["adm0_a3"]
    assert _countries_at(detailed, 121.47, 31.23) == {"CHN"}


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


def test_api_docs_state_the_units_the_api_returns(client):
    """Trade values are answered in USD (the page divides by a million), not thousand USD."""
    text = client.get("/openapi.json").json()["info"]["description"]
    assert "thousand" not in text and "trade values in USD" in text
    params = {"reporter": "KAZ", "partner": "MNG", "start": 2023, "end": 2023}
    rows = client.get("/api/trade/series", params=params).json()["rows"]
    # the embedded BNS file gives 2023 KAZ exports to MNG as 124,277.18179 thousand USD
    assert abs(rows[0]["exports"] - 124_277_181.79) < 1.0
