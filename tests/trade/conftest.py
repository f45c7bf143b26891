"""Shared fixtures for the trade tests: stores in memory, never in the home directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from steppe.trade.store import TradeStore

DATA = Path(__file__).parent.parent / "data" / "trade"
EMBEDDED = Path(__file__).parents[2] / "src" / "steppe" / "data" / "trade"


@pytest.fixture(scope="session")
def store() -> Iterator[TradeStore]:
    """The embedded data only, in memory."""
    s = TradeStore()
    yield s
    s.close()


@pytest.fixture(scope="session")
def loaded() -> Iterator[TradeStore]:
    """The embedded data plus the Comtrade and BACI fixtures, in memory (loaded last, they
    answer the periods they cover)."""
    s = TradeStore()
    s.load(DATA / "comtrade_mng_kaz_2023.csv")
    s.load(DATA / "BACI_HS17_Y2022_V202401_sample.csv")
    yield s
    s.close()


@pytest.fixture(autouse=True)
def _no_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
