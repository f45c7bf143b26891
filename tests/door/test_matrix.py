"""Door-to-door matrices: the same answers as one route per pair; the points file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import steppe
from steppe.door.matrix import door_matrix, read_points
from steppe.errors import DataFileError
from steppe.network.model import Network


@pytest.fixture(scope="module")
def net() -> Network:
    return steppe.load_network()


@pytest.mark.slow
@pytest.mark.parametrize("objective", ["time", "cost"])
def test_matrix_matches_route_per_pair(net: Network, objective: str) -> None:
    origins = ["Zaysan", "46.1,100.7", "Semey"]
    destinations = ["Khovd", "Tianjin", "Zaysan"]
    table = door_matrix(net, origins, destinations, optimize=objective).table
    assert len(table) == 8  # Zaysan to Zaysan is left out
    for o in origins:
        for d in destinations:
            if o == d:
                continue
            best = steppe.route(net, o, d, optimize=objective).best
            row = table[(table.origin == best.nodes[0]) & (table.destination == best.nodes[-1])]
            assert len(row) == 1
            metric = steppe.Objective(objective).metric
            assert float(row[metric].iloc[0]) == pytest.approx(getattr(best, metric))
            if objective == "time":  # by cost, equally cheap paths may differ in the rest
                for other in ("cost_usd", "co2_kg", "distance_km"):
                    assert float(row[other].iloc[0]) == pytest.approx(getattr(best, other))
                assert row["corridor"].iloc[0] == best.corridor


@pytest.mark.slow
def test_point_without_access_gives_nan(net: Network) -> None:
    table = door_matrix(net, ["42.0,50.5"], ["Tianjin"]).table
    assert np.isnan(table["time_h"].iloc[0])


def test_read_points_layouts(tmp_path: Path) -> None:
    a = tmp_path / "a.csv"
    a.write_text('place\nZaysan\n"46.1,100.7"\n', encoding="utf-8")
    assert read_points(a) == ["Zaysan", "46.1,100.7"]
    b = tmp_path / "b.csv"
    b.write_text("lat,lon\n46.1,100.7\n", encoding="utf-8")
    assert read_points(b) == ["46.1,100.7"]


def test_read_points_names_row_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("lat,lon\n46.1,100.7\n46.1,x\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"bad.csv:3:lon: not a number"):
        read_points(bad)
    other = tmp_path / "other.csv"
    other.write_text("name\nZaysan\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="needs a 'place' column"):
        read_points(other)
