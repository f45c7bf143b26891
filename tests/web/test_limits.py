"""Bounded work: the timeout, the work queues, the limits' own checks, the error mapping."""

from __future__ import annotations

import asyncio
import threading

import pytest

from steppe.errors import (
    AmbiguousPlaceError,
    ConfigError,
    MissingExtraError,
    NoRouteError,
    ScenarioError,
    UnknownPlaceError,
)
from steppe.web.admission import WorkQueue
from steppe.web.errors import NotAvailableError, error_body, status_for
from steppe.web.limits import BusyError, Limits, RequestTimeoutError, TooManyJobsError


def test_limits_reject_non_positive_values():
    with pytest.raises(ConfigError, match="max_draws"):
        Limits(max_draws=0)
    with pytest.raises(ConfigError, match="timeout_s"):
        Limits(timeout_s=float("nan"))


def test_work_queue_times_out():
    release = threading.Event()
    queue = WorkQueue("waits", workers=1, queue=0)

    async def main() -> None:
        with pytest.raises(RequestTimeoutError, match=r"longer than 0\.05 s"):
            await queue.run(lambda: release.wait(5), what="a wait", timeout_s=0.05)
        release.set()  # let the abandoned thread end

    asyncio.run(main())
    queue.shutdown()


def test_work_queue_is_busy_when_full():
    release = threading.Event()
    queue = WorkQueue("waits", workers=1, queue=0)

    async def main() -> None:
        queue.submit(lambda: release.wait(5), what="a wait", timeout_s=5)
        with pytest.raises(BusyError, match=r"busy with waits: .*; a sum was not started") as info:
            await queue.run(lambda: 1, what="a sum", timeout_s=5)
        assert info.value.retry_after >= 1
        release.set()

    asyncio.run(main())
    queue.shutdown()


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (UnknownPlaceError("x", ["y"]), 404),
        (NoRouteError("no route"), 404),
        (AmbiguousPlaceError("Khorgos", ["Khorgos (KAZ)", "Khorgos (CHN)"]), 422),
        (ConfigError("bad"), 422),
        (ScenarioError("bad edit", file="s.toml"), 422),
        (MissingExtraError("fastapi", "web"), 501),
        (NotAvailableError("later"), 501),
        (BusyError("busy"), 503),
        (TooManyJobsError("too many"), 429),
        (RequestTimeoutError("slow"), 503),
    ],
)
def test_status_mapping(exc, status):
    assert status_for(exc) == status
    body = error_body(exc)["error"]
    assert body["type"] == type(exc).__name__ and body["message"] == str(exc)


def test_ambiguous_place_lists_candidates():
    body = error_body(AmbiguousPlaceError("Khorgos", ["Khorgos (KAZ)", "Khorgos (CHN)"]))
    assert body["error"]["candidates"] == ["Khorgos (KAZ)", "Khorgos (CHN)"]


def test_timeout_answer_is_503_json(small_network, make_client, monkeypatch):
    from steppe.web import create_app

    release = threading.Event()

    def slow(*args, **kwargs):
        release.wait(5)
        raise AssertionError("not reached in time")

    monkeypatch.setattr("steppe.routing.route", slow)
    with make_client(create_app(small_network, limits=Limits(timeout_s=0.1))) as c:
        res = c.post("/api/route", json={"origin": "Ulaanbaatar", "destination": "Beijing"})
        release.set()  # let the abandoned thread end before the client shuts down
    assert res.status_code == 503
    assert res.json()["error"]["type"] == "RequestTimeoutError"


def test_unexpected_error_is_500_without_details(small_network, make_client, monkeypatch):
    from steppe.web import create_app

    def broken(*args, **kwargs):
        raise KeyError("secret internals")

    monkeypatch.setattr("steppe.routing.route", broken)
    with make_client(create_app(small_network), raise_server_exceptions=False) as c:
        res = c.post("/api/route", json={"origin": "Ulaanbaatar", "destination": "Beijing"})
    assert res.status_code == 500
    assert "secret" not in res.text and res.json()["error"]["type"] == "InternalError"
