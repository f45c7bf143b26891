"""Serving: body and field limits before parsing, Host check, gzip, caching, one set of limits."""

from __future__ import annotations

import asyncio
import os

import pytest

from steppe.web import Limits, create_app
from steppe.web._middleware import BodyLimit, HostCheck

ROUTE = {"origin": "Ulaanbaatar", "destination": "Beijing"}


def test_declared_oversized_body_is_413_before_reading(small_client):
    big = b"x" * 70_000
    res = small_client.post("/api/route", content=big, headers={"content-type": "application/json"})
    assert res.status_code == 413
    assert res.json()["error"]["type"] == "RequestTooLarge"


def _asgi_call(app, headers, chunks):
    """Drive an ASGI app by hand with a chunked body; return the status and how much was read."""
    sent: list[dict] = []
    read = 0
    queue = [{"type": "http.request", "body": c, "more_body": True} for c in chunks]
    queue.append({"type": "http.request", "body": b"", "more_body": False})

    async def receive():
        nonlocal read
        message = queue.pop(0)
        read += len(message["body"])
        return message

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/", "headers": headers}
    asyncio.run(app(scope, receive, send))
    return sent[0]["status"], read


def test_streamed_body_is_cut_at_the_cap():
    called = []

    async def inner(scope, receive, send):
        called.append(True)

    limited = BodyLimit(inner, max_bytes=1000)
    status, read = _asgi_call(limited, [], [b"x" * 600] * 100)  # 60 kB, no Content-Length
    assert status == 413 and not called
    assert read <= 1200  # stopped reading just past the cap


def test_body_within_the_cap_reaches_the_app(small_client):
    assert small_client.post("/api/route", json=ROUTE).status_code == 200


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({**ROUTE, "origin": "x" * 101}, "origin"),
        ({**ROUTE, "via": ["Erenhot"] * 6}, "at most 5 via places per request, asked for 6"),
        ({**ROUTE, "via": ["y" * 101]}, "via.0"),
        ({**ROUTE, "avoid": ["RUS"] * 61}, "at most 60 countries to avoid"),
    ],
)
def test_field_limits(small_client, body, fragment):
    res = small_client.post("/api/route", json=body)
    assert res.status_code == 422
    assert fragment in res.text
    assert "x" * 101 not in res.text and "y" * 101 not in res.text  # never echoed back


def test_unknown_place_echo_is_bounded(small_client):
    res = small_client.post("/api/route", json={**ROUTE, "via": ["z" * 100]})
    assert res.status_code == 404
    assert len(res.content) < 1000  # a name is at most 100 characters, so is its echo


def test_matrix_lists_are_capped(client):
    res = client.post("/api/matrix", json={"origins": ["Almaty"] * 501})
    assert res.status_code == 422 and "at most 500 origins" in res.json()["error"]["message"]


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("localhost", 200),
        ("127.0.0.1:8000", 200),
        ("[::1]:8000", 200),
        ("evil.example", 400),
        ("localhost.evil.example", 400),
    ],
)
def test_host_header_is_checked(small_client, host, status):
    res = small_client.get("/api/limits", headers={"host": host})
    assert res.status_code == status
    if status == 400:
        assert res.json()["error"]["type"] == "HostNotAllowed"


def test_allowed_hosts_are_configurable(small_network, make_client):
    app = create_app(small_network, allowed_hosts=("planner.example.org", "*.steppe.test"))
    with make_client(app) as c:
        assert c.get("/api/limits", headers={"host": "planner.example.org"}).status_code == 200
        assert c.get("/api/limits", headers={"host": "a.steppe.test"}).status_code == 200
        assert c.get("/api/limits", headers={"host": "localhost"}).status_code == 400
    assert HostCheck(None, allowed=("*",)).allows("anything")


def test_gzip_and_cache_headers(small_client):
    res = small_client.get("/api/network", headers={"accept-encoding": "gzip"})
    assert res.headers["content-encoding"] == "gzip"
    assert res.headers["cache-control"] == "no-store"
    static = small_client.get("/static/app.css")
    assert static.headers["cache-control"].startswith("public, max-age=")
    assert small_client.get("/api/basemap").headers["cache-control"].startswith("public")
    assert "default-src 'self'" in static.headers["content-security-policy"]


def test_openapi_states_the_same_limits_as_the_code(small_network, make_client):
    limits = Limits(max_alternatives=4, max_draws=123, max_via=3, max_matrix_places=7)
    with make_client(create_app(small_network, limits=limits)) as c:
        spec = c.get("/openapi.json").json()
        served = c.get("/api/limits").json()
    models = spec["components"]["schemas"]
    assert models["RouteRequest"]["properties"]["alternatives"]["maximum"] == 4
    assert models["ReliabilityRequest"]["properties"]["alternatives"]["maximum"] == 4
    assert models["ReliabilityRequest"]["properties"]["draws"]["maximum"] == 123
    assert models["ImpactRequest"]["properties"]["draws"]["maximum"] == 123
    assert models["RouteRequest"]["properties"]["via"]["maxItems"] == 3
    assert models["MatrixRequest"]["properties"]["origins"]["maxItems"] == 7
    assert served["max_draws"]["value"] == 123 and served["max_draws"]["doc"]


def test_reliability_obeys_the_alternatives_cap(client):
    res = client.post("/api/reliability", json={**ROUTE, "alternatives": 4})
    assert res.status_code == 422 and "at most 3 alternatives" in res.json()["error"]["message"]


@pytest.mark.parametrize(
    "query",
    [
        "/api/trade/turnover?period=0001-01..9999-12",
        "/api/trade/series?start=1900&end=2023",
        "/api/trade/mirror?period=2150",
    ],
)
def test_trade_periods_are_capped_before_the_store(small_client, query):
    res = small_client.get(query)
    assert res.status_code == 422
    assert res.json()["error"]["type"] == "ConfigError"


@pytest.mark.parametrize(
    "extra",
    [{"alternatives": "2"}, {"alternatives": True}, {"cargo_value_usd": "5"}, {"via": "Erenhot"}],
)
def test_request_values_are_not_coerced(small_client, extra):
    res = small_client.post("/api/route", json={**ROUTE, **extra})
    assert res.status_code == 422 and res.json()["error"]["type"] == "ValidationError"


def test_serve_with_workers_starts_one_app_per_process(monkeypatch):
    import uvicorn

    from steppe.cli import main
    from steppe.web._serve import ENVIRONMENT_VARIABLE, ServeConfig, app_from_environment

    seen = {}

    def fake_run(app, **kwargs):
        seen.update(kwargs, app=app, config=ServeConfig.from_json(os.environ[ENVIRONMENT_VARIABLE]))

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.delenv(ENVIRONMENT_VARIABLE, raising=False)
    with pytest.raises(SystemExit) as exc:
        main(["serve", "--workers", "2", "--no-open", "--allowed-host", "planner.test",
              "--network", "tests/data/network/small", "--timeout", "5"])  # fmt: skip
    assert exc.value.code in (0, None)
    assert seen["app"] == "steppe.web._serve:app_from_environment" and seen["factory"]
    assert seen["workers"] == 2
    config = seen["config"]
    assert config.allowed_hosts == ("planner.test",) and config.limits == {"timeout_s": 5.0}
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, config.to_json())
    app = app_from_environment()
    assert app.state.steppe.limits.timeout_s == 5.0
    assert app.state.steppe.network.meta.name == "small"
