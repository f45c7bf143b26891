"""Shared appraisal fixtures: the embedded network, the Oskemen road and a small demand."""

from __future__ import annotations

import pandas as pd
import pytest

import steppe
from steppe.appraisal import Demand, kazakhstan_trade_flows, od_demand
from steppe.network import Network
from steppe.scenarios import load_scenarios
from steppe.scenarios.apply import AppliedScenario


@pytest.fixture(scope="session")
def net() -> Network:
    return steppe.load_network()


@pytest.fixture(scope="session")
def oskemen_road(net: Network) -> AppliedScenario:
    return load_scenarios(["oskemen-ridder-tuyekta"], net)


@pytest.fixture(scope="session")
def kz_mng_demand(net: Network) -> Demand:
    flows = kazakhstan_trade_flows(2023)
    return od_demand(net, flows[(flows.iso_d == "MNG") | (flows.iso_o == "MNG")])


@pytest.fixture(scope="session")
def tiny_demand() -> Demand:
    table = pd.DataFrame(
        {
            "origin": ["oskemen", "olgii"],
            "destination": ["olgii", "oskemen"],
            "tonnes": [20_000.0, 10_000.0],
        }
    )
    return Demand(table=table, unplaced=table.iloc[0:0], source="test")
