"""Shared fixtures of the calibration tests: the embedded and the small network, a CSV writer."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from steppe.calibration._schema import COLUMNS
from steppe.network import Network, load_network, read_network

SMALL = Path(__file__).parents[1] / "data" / "network" / "small"

GOOD: dict[str, str] = {
    "id": "row_a", "quantity": "time", "origin": "ulaanbaatar", "destination": "beijing",
    "via": "", "modes": "rail", "avoid": "", "scenario": "", "corridor": "test",
    "service": "container_train", "component": "total", "low": "3", "high": "4", "unit": "d",
    "currency_year": "", "period": "2024", "source_title": "a test source",
    "source_url": "https://example.org/a", "source_date": "2024-05-01", "sets_default": "",
    "role": "fit", "note": "",
}  # fmt: skip


@pytest.fixture(scope="session")
def eurasia() -> Network:
    return load_network()


@pytest.fixture(scope="session")
def small() -> Network:
    return read_network(SMALL)


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[[list[dict[str, str]]], Path]:
    def write(rows: list[dict[str, str]], name: str = "obs.csv") -> Path:
        path = tmp_path / name
        with path.open("w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
            w.writeheader()
            for r in rows:
                w.writerow({**GOOD, **r})
        return path

    return write
