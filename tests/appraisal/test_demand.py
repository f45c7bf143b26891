"""Trade values to tonnes between places."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from steppe.appraisal import (
    DEFAULT_USD_PER_TONNE,
    kazakhstan_trade_flows,
    od_demand,
    read_od_tonnes,
    read_trade_flows,
)
from steppe.appraisal.demand import place_population
from steppe.errors import ConfigError, DataFileError
from steppe.network import Network


def test_kazakh_flows_match_the_statistics() -> None:
    flows = kazakhstan_trade_flows(2023)
    kz_mn = flows[(flows.iso_o == "KAZ") & (flows.iso_d == "MNG")].value_usd.sum()
    mn_kz = flows[(flows.iso_o == "MNG") & (flows.iso_d == "KAZ")].value_usd.sum()
    # Fact TR01-style check: Kazakhstan–Mongolia turnover in 2023 was about 133 million USD.
    assert 120e6 < kz_mn + mn_kz < 145e6


def test_tonnes_are_conserved_and_split_by_population(net: Network) -> None:
    flows = pd.DataFrame({"iso_o": ["KAZ"], "iso_d": ["MNG"], "value_usd": [1e8]})
    d = od_demand(net, flows, usd_per_tonne=1000.0)
    assert d.tonnes == pytest.approx(1e5)
    pop = place_population(net)
    kaz = {n.id for n in net.nodes if n.country == "KAZ"}
    origin_share = d.table.groupby("origin")["tonnes"].sum() / d.tonnes
    kaz_pop = pop[pop.index.isin(kaz)]
    expected = kaz_pop[kaz_pop > 0] / kaz_pop.sum()
    pd.testing.assert_series_equal(
        origin_share.sort_index(), expected.sort_index(), check_names=False, rtol=1e-9
    )


def test_countries_without_places_are_reported(net: Network) -> None:
    flows = pd.DataFrame({"iso_o": ["KAZ", "KAZ"], "iso_d": ["MNG", "BRA"],
                          "value_usd": [1e6, 5e6]})  # fmt: skip
    d = od_demand(net, flows)
    assert d.tonnes == pytest.approx(1e6 / DEFAULT_USD_PER_TONNE)
    assert d.unplaced.to_dict("records") == [{"iso_o": "KAZ", "iso_d": "BRA", "value_usd": 5e6}]


def test_a_bad_value_per_tonne_is_refused(net: Network) -> None:
    with pytest.raises(ConfigError, match="usd_per_tonne"):
        od_demand(net, kazakhstan_trade_flows(), usd_per_tonne=0.0)


def test_an_unknown_year_names_the_span() -> None:
    with pytest.raises(ConfigError, match="2018–2023"):
        kazakhstan_trade_flows(1999)


def test_bad_files_name_row_and_column(tmp_path: Path) -> None:
    p = tmp_path / "flows.csv"
    p.write_text("iso_o,iso_d,value_usd\nKAZ,MNG,12\nKAZ,CHN,-4\nKAZ,RUS,abc\n")
    with pytest.raises(DataFileError) as info:
        read_trade_flows(p)
    text = info.value.report()
    assert "flows.csv:3:value_usd" in text and "flows.csv:4:value_usd" in text
    q = tmp_path / "od.csv"
    q.write_text("origin,destination\nalmaty,baku\n")
    with pytest.raises(DataFileError, match=r"od\.csv:1:tonnes"):
        read_od_tonnes(q)
