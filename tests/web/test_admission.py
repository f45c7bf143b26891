"""Admission control: a stopped computation frees its thread, full queues answer at once."""

from __future__ import annotations

import threading
import time

import pytest

from steppe._deadline import check_deadline
from steppe.web import Limits, create_app

ROUTE = {"origin": "Ulaanbaatar", "destination": "Beijing"}


def _wait_until(condition, seconds: float = 10.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def _endless(*args, **kwargs):
    """A computation that only a deadline stops (as the library's loops do)."""
    while True:
        check_deadline()
        time.sleep(0.001)


def test_after_a_timeout_the_worker_is_free(small_network, make_client, monkeypatch):
    from steppe import routing

    real_route = routing.route
    limits = Limits(timeout_s=0.2, cheap_workers=1, cheap_queue=0)
    app = create_app(small_network, limits=limits)
    ctx = app.state.steppe
    with make_client(app) as c:
        monkeypatch.setattr("steppe.routing.route", _endless)
        res = c.post("/api/route", json=ROUTE)
        assert res.status_code == 503
        assert res.json()["error"]["type"] == "RequestTimeoutError"
        assert "stopped" in res.json()["error"]["message"]
        # The endless loop saw its deadline and ended: the only thread is free again.
        assert _wait_until(lambda: ctx.cheap.in_flight == 0)
        monkeypatch.setattr("steppe.routing.route", real_route)
        res = c.post("/api/route", json=ROUTE)
        assert res.status_code == 200, res.text


def test_full_cheap_queue_answers_503_with_retry_after(small_network, make_client, monkeypatch):
    release = threading.Event()
    limits = Limits(timeout_s=10, cheap_workers=1, cheap_queue=0)
    app = create_app(small_network, limits=limits)
    with make_client(app) as c:
        app.state.steppe.cheap.submit(lambda: release.wait(10), what="a wait", timeout_s=10)
        try:
            res = c.post("/api/route", json=ROUTE)
        finally:
            release.set()
    assert res.status_code == 503
    assert int(res.headers["Retry-After"]) >= 1
    err = res.json()["error"]
    assert err["type"] == "BusyError"
    assert (
        "busy with cheap work" in err["message"] and "the route was not started" in err["message"]
    )


def test_expensive_work_does_not_block_routes(small_network, make_client):
    release = threading.Event()
    limits = Limits(timeout_s=10, expensive_workers=1, expensive_queue=0)
    app = create_app(small_network, limits=limits)
    with make_client(app) as c:
        app.state.steppe.expensive.submit(lambda: release.wait(10), what="a wait", timeout_s=10)
        try:
            route = c.post("/api/route", json=ROUTE)
            compare = c.post("/api/scenarios/compare", json={"scenario": "titr-2030"})
        finally:
            release.set()
    assert route.status_code == 200
    assert compare.status_code == 503
    message = compare.json()["error"]["message"]
    assert "busy with expensive work" in message and "comparison with titr-2030" in message
    assert "route" not in message.replace("routes", "")


def test_waiting_past_the_timeout_is_busy_not_slow(small_network, make_client):
    release = threading.Event()
    limits = Limits(timeout_s=0.2, cheap_workers=1, cheap_queue=1)
    app = create_app(small_network, limits=limits)
    with make_client(app) as c:
        app.state.steppe.cheap.submit(lambda: release.wait(10), what="a wait", timeout_s=10)
        try:
            res = c.post("/api/route", json=ROUTE)
        finally:
            release.set()
    assert res.status_code == 503
    assert res.json()["error"]["type"] == "BusyError"
    assert "waited 0.2 s for a free thread and was not started" in res.json()["error"]["message"]
    assert "Retry-After" in res.headers


def test_impact_estimated_over_the_time_limit_is_refused_before_starting(client):
    res = client.post("/api/impact", json={"scenario": "titr-2030", "draws": 2000})
    assert res.status_code == 422
    message = res.json()["error"]["message"]
    assert "would take about" in message and "POST /api/jobs, kind impact" in message


def test_too_many_jobs_is_429(small_network, make_client):
    release = threading.Event()
    limits = Limits(max_jobs=1, expensive_workers=1)
    app = create_app(small_network, limits=limits)
    with make_client(app) as c:
        app.state.steppe.expensive.submit(lambda: release.wait(10), what="a wait", timeout_s=10)
        try:
            first = c.post(
                "/api/jobs", json={"kind": "matrix", "origins": ["Ulaanbaatar", "Beijing"]}
            )
            second = c.post(
                "/api/jobs", json={"kind": "matrix", "origins": ["Ulaanbaatar", "Beijing"]}
            )
        finally:
            release.set()
    assert first.status_code == 202
    assert second.status_code == 429 and int(second.headers["Retry-After"]) >= 1
    assert second.json()["error"]["type"] == "TooManyJobsError"


@pytest.mark.parametrize("draws", [10, 100])
def test_reliability_and_impact_draws_caps_are_the_limits(client, draws):
    limits = client.get("/api/limits").json()
    assert limits["max_draws"]["value"] == 2000  # the test client's limits
    res = client.post("/api/reliability", json={**ROUTE, "draws": 2001})
    assert res.status_code == 422 and "at most 2000 draws" in res.json()["error"]["message"]
