"""Transit times on the embedded network against published figures.

The expected ranges come from the sources named in ``tests/data/routing/calibration.csv``
(never from steppe's own output); each is widened by the row's tolerance.  Rows with an
``xfail_reason`` are known gaps of the model, explained there and in ``docs/calibration.md``.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from steppe.network import Network, load_network
from steppe.routing import route

TABLE = Path(__file__).parents[1] / "data" / "routing" / "calibration.csv"
ROWS: list[dict[str, str]] = [
    {str(k): str(v) for k, v in r.items()}
    for r in pd.read_csv(TABLE, dtype=str, keep_default_na=False).to_dict("records")
]


def _param(row: dict[str, str]) -> object:
    marks = []
    if row["xfail_reason"]:
        marks.append(pytest.mark.xfail(strict=True, reason=row["xfail_reason"]))
    return pytest.param(row, id=row["id"], marks=marks)


@pytest.fixture(scope="module")
def eurasia() -> Network:
    return load_network()


def steppe_figure(network: Network, row: dict[str, str]) -> float:
    """Return steppe's figure for a calibration row (fastest route, one FEU)."""
    best = route(
        network,
        row["origin"],
        row["destination"],
        modes=row["modes"],
        avoid=[c for c in row["avoid"].split(",") if c],
        via=[v for v in row["via"].split(",") if v],
        optimize="time",
    ).best
    return best.time_days if row["metric"] == "time_days" else best.cost_usd


def test_every_row_is_sourced_and_well_formed() -> None:
    assert len({row["id"] for row in ROWS}) == len(ROWS) > 10
    for row in ROWS:
        assert row["source_title"] and row["source_url"].startswith("http"), row["id"]
        assert row["metric"] in ("time_days", "cost_usd"), row["id"]
        assert 0 < float(row["tolerance"]) <= 0.5, row["id"]
        hi = float(row["published_max"]) if row["published_max"] else math.inf
        assert 0 < float(row["published_min"]) <= hi, row["id"]


@pytest.mark.parametrize("row", [_param(r) for r in ROWS])
def test_route_falls_in_the_published_range(eurasia: Network, row: dict[str, str]) -> None:
    value = steppe_figure(eurasia, row)
    tol = float(row["tolerance"])
    lo = float(row["published_min"]) * (1 - tol)
    hi = float(row["published_max"]) * (1 + tol) if row["published_max"] else math.inf
    assert lo <= value <= hi, f"{row['id']}: steppe {value:.1f}, published range [{lo:.1f}, {hi}]"
