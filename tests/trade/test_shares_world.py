"""Shares of the World total, sources never mixed silently, heading shares of the flow total."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from steppe.errors import ConfigError, TradeDataError
from steppe.trade import SourceRule, series, shares, turnover
from steppe.trade.store import TradeStore

DATA = Path(__file__).parent.parent / "data" / "trade"
TIDY = "reporter,partner,flow,period,value\n"


@pytest.fixture
def extract() -> Iterator[TradeStore]:
    """KAZ's 2023 Comtrade extract: four partners and the World row, no embedded data."""
    with TradeStore(embedded=False) as store:
        store.load(DATA / "comtrade_kaz_partners_world_2023.csv")
        yield store


def test_shares_are_of_the_world_total(extract: TradeStore) -> None:
    s = shares(extract, "KAZ", "2023")
    china = s.table.set_index("partner").loc["CHN"]
    assert round(china.exports_share_pct, 1) == 19.9  # not 54.9: the World row is the total
    assert s.totals.exports == 78_695_000_000
    assert s.basis == "world total"
    rest = s.table.set_index("partner").loc["rest"]
    assert rest.exports == 78_695_000_000 - 28_525_000_000
    assert round(s.table.exports_share_pct.sum(), 6) == 100.0


def test_listed_partners_only_when_asked_and_labelled(extract: TradeStore) -> None:
    s = shares(extract, "KAZ", "2023", basis="listed")
    assert round(s.table.set_index("partner").loc["CHN"].exports_share_pct, 1) == 54.9
    assert s.basis == "listed partners only"
    assert "rest" not in set(s.table.partner)
    with pytest.raises(ConfigError):
        shares(extract, "KAZ", "2023", basis="some")


def test_no_world_total_is_refused_with_the_way_to_get_it(tmp_path: Path) -> None:
    path = tmp_path / "few.csv"
    path.write_text(TIDY + "KAZ,MNG,export,2023,5\nKAZ,CHN,export,2023,7\n")
    with TradeStore(embedded=False) as store:
        store.load(path)
        with pytest.raises(TradeDataError, match="World row"):
            shares(store, "KAZ", "2023")


def test_embedded_national_table_lists_every_partner() -> None:
    with TradeStore() as store:
        s = shares(store, "KAZ", "2023")
        assert "rest" not in set(s.table.partner)  # BNS lists every partner
        assert s.publishers == ("Kazakhstan BNS",)


def test_growth_across_sources_is_labelled_or_refused(extract: TradeStore) -> None:
    with TradeStore() as store:  # BNS for 2022, the Comtrade extract (loaded last) for 2023
        store.load(DATA / "comtrade_kaz_partners_world_2023.csv")
        t = turnover(store, "KAZ", "MNG", "2023")
        assert t.publishers == ("Kazakhstan BNS", "UN Comtrade")
        assert "mixes sources" in t.note
        with pytest.raises(TradeDataError, match="refusing to compare"):
            turnover(store, "KAZ", "MNG", "2023", rule=SourceRule(mix="refuse"))
        preferred = turnover(store, "KAZ", "MNG", "2023", rule=SourceRule(prefer=("bns",)))
        assert preferred.publishers == ("Kazakhstan BNS",)
        assert preferred.note == ""
        s = series(store, "KAZ", "MNG", "2021", "2023")
        assert s.table.source.tolist() == ["Kazakhstan BNS", "Kazakhstan BNS", "UN Comtrade"]
        assert "mixes sources" in s.note
        with pytest.raises(ConfigError, match="no dataset"):
            turnover(store, "KAZ", "MNG", "2023", rule=SourceRule(prefer=("nowhere",)))


def test_world_code_answers_total_trade(extract: TradeStore) -> None:
    t = turnover(extract, "KAZ", "WLD", "2023")
    assert t.current.exports == 78_695_000_000
