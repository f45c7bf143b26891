"""Shared fixtures for scenario tests: the small network and a scenario writer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from steppe.network import Network, read_network
from steppe.scenarios import Scenario, parse_scenario

DATA = Path(__file__).parents[1] / "data"
HEAD = 'format_version = 1\ntitle = "test"\n'


@pytest.fixture(scope="session")
def small() -> Network:
    return read_network(DATA / "network" / "small")


@pytest.fixture
def scenario() -> Callable[[str], Scenario]:
    def make(edits: str) -> Scenario:
        return parse_scenario(HEAD + edits, file="test.toml")

    return make
