"""Shared fixtures: the small hand-made test network and a scratch copy of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from steppe.network import Network, read_network

DATA = Path(__file__).parent / "data"
SMALL = DATA / "network" / "small"


@pytest.fixture(scope="session")
def small_network_dir() -> Path:
    return SMALL


@pytest.fixture(scope="session")
def small_network() -> Network:
    return read_network(SMALL)


@pytest.fixture
def small_copy(tmp_path: Path) -> Path:
    """A writable copy of the small network folder."""
    dest = tmp_path / "small"
    shutil.copytree(SMALL, dest)
    return dest
