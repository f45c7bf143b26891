"""Loading on shortest-path trees against routing every pair one by one."""

from __future__ import annotations

import pandas as pd
import pytest

from steppe.appraisal import assign, demand_from
from steppe.network import Network


@pytest.fixture(scope="module")
def largest_pairs(net: Network) -> pd.DataFrame:
    table = demand_from(net, year=2023).table
    return table.nlargest(150, "tonnes").reset_index(drop=True)


def test_trees_equal_routing_each_pair(net: Network, largest_pairs: pd.DataFrame) -> None:
    trees = assign(net, largest_pairs, coverage=1.0)
    pairs = assign(net, largest_pairs, coverage=1.0, method="pairs")
    assert trees.assigned_share == pytest.approx(pairs.assigned_share)
    for name, key in (("links", "link"), ("borders", "border"), ("transfers", "transfer")):
        got = getattr(trees, name).set_index(key)["tonnes"].to_dict()
        ref = getattr(pairs, name).set_index(key)["tonnes"].to_dict()
        assert got == pytest.approx(ref, rel=1e-9), name
    by_pair = trees.routes.set_index(["origin", "destination"])["generalized_cost"]
    ref_cost = pairs.routes.set_index(["origin", "destination"])["generalized_cost"]
    assert by_pair.sort_index().to_numpy() == pytest.approx(ref_cost.sort_index().to_numpy())


def test_border_loads_split_by_mode_add_up(net: Network, largest_pairs: pd.DataFrame) -> None:
    a = assign(net, largest_pairs, coverage=1.0)
    summed = a.border_modes.groupby("border")["tonnes"].sum()
    assert summed.to_dict() == pytest.approx(a.borders.set_index("border")["tonnes"].to_dict())
    assert set(a.border_modes["mode"]) <= {"road", "rail", "ferry", "sea"}


def test_unknown_place_is_unrouted_not_guessed(net: Network) -> None:
    od = pd.DataFrame({"origin": ["almaty", "nowhere"], "destination": ["tashkent", "almaty"],
                       "tonnes": [100.0, 50.0]})  # fmt: skip
    a = assign(net, od, coverage=1.0)
    assert a.assigned_share == pytest.approx(100.0 / 150.0)
    assert a.unrouted["origin"].tolist() == ["nowhere"]
