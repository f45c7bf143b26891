"""Fixtures for the web app: test clients over the small and the embedded network, a live server."""

from __future__ import annotations

import functools
import socket
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

import steppe
from steppe.network.model import Network
from steppe.web import Limits, create_app

with warnings.catch_warnings():
    # Starlette's TestClient warns that it will move from httpx to httpx2.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

SMALL = Path(__file__).parents[1] / "data" / "network" / "small"
# The app answers only requests addressed to loopback names (its Host check).
LocalClient = functools.partial(TestClient, base_url="http://localhost")
REPO = Path(__file__).parents[2]


@pytest.fixture(scope="session")
def small_network() -> Network:
    return steppe.load_network(SMALL)


@pytest.fixture(scope="session")
def eurasia() -> Network:
    return steppe.load_network()


@pytest.fixture(scope="session")
def client(eurasia: Network) -> Iterator[TestClient]:
    """A client over the embedded network, with small limits so that caps are testable."""
    limits = Limits(max_alternatives=3, max_draws=2000, max_matrix_cells=100, max_via=2)
    with LocalClient(create_app(eurasia, limits=limits)) as c:
        yield c


@pytest.fixture(scope="session")
def small_client(small_network: Network) -> Iterator[TestClient]:
    with LocalClient(create_app(small_network)) as c:
        yield c


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(eurasia: Network) -> Iterator[str]:
    """Run the app with uvicorn on a free loopback port in a thread; yield its URL."""
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(create_app(eurasia), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def make_client():
    """Return the TestClient class addressing ``localhost`` (imported without the httpx warning)."""
    return LocalClient
