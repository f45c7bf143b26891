"""Shared fixtures for the embedded-network data tests: the shipped tables as DataFrames."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "src" / "steppe" / "data" / "network" / "eurasia"


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(FOLDER / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def nodes() -> pd.DataFrame:
    return _read("nodes.csv")


@pytest.fixture(scope="session")
def links() -> pd.DataFrame:
    return _read("links.csv")


@pytest.fixture(scope="session")
def borders() -> pd.DataFrame:
    return _read("borders.csv")


@pytest.fixture(scope="session")
def transfers() -> pd.DataFrame:
    return _read("transfers.csv")
