"""Turnover and series against the source files and published facts."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from steppe.errors import TradeDataError
from steppe.trade.periods import parse_period
from steppe.trade.stats import flow_values, series, turnover
from steppe.trade.store import TradeStore

DATA = Path(__file__).parent.parent / "data" / "trade"
EMBEDDED = Path(__file__).parents[2] / "src" / "steppe" / "data" / "trade"

BNS = pd.read_csv(EMBEDDED / "kz_bns_trade_by_partner_2018_2023.csv", dtype=str)
FACTS = pd.read_csv(DATA / "corridor_facts_trade.csv").set_index("fact_id")


def _usd(kusd: str) -> float:
    return float(Decimal(kusd or "0") * 1000)


@pytest.mark.parametrize("year", range(2018, 2024))
def test_kaz_mng_turnover_equals_bns_row(store: TradeStore, year: int) -> None:
    row = BNS[(BNS.iso3 == "MNG") & (BNS.year == str(year))].iloc[0]
    result = turnover(store, "KAZ", "MNG", str(year))
    assert result.current.exports == _usd(row.export_kusd)
    assert result.current.imports == _usd(row.import_kusd)
    # BNS rounds turnover separately from its parts; compare at its precision
    assert result.turnover == pytest.approx(_usd(row.turnover_kusd), abs=1.0)


# KM02-KM05 differ from the BNS file (their note says why); KM07, KM08 agree
@pytest.mark.parametrize("fact", ["KM07", "KM08"])
def test_turnover_matches_published_facts(store: TradeStore, fact: str) -> None:
    row = FACTS.loc[fact]
    result = turnover(store, "KAZ", "MNG", str(row.period))
    assert round(result.turnover / 1e6, 1) == pytest.approx(row.value, abs=0.06)


def test_exports_2023_match_km09(store: TradeStore) -> None:
    result = turnover(store, "KAZ", "MNG", "2023")
    assert round(result.current.exports / 1e6, 1) == FACTS.loc["KM09"].value


def test_growth_2023_is_published_27_7(store: TradeStore) -> None:
    # KM08: "+27.7% vs 2022"
    assert round(turnover(store, "KAZ", "MNG", "2023").growth_pct or 0, 1) == 27.7


@pytest.mark.parametrize("year", range(2018, 2024))
def test_partners_sum_to_world_total(store: TradeStore, year: int) -> None:
    world = BNS[(BNS.partner_ru == "Всего") & (BNS.year == str(year))].iloc[0]
    for flow, col in (("export", "export_kusd"), ("import", "import_kusd")):
        frame, _ = flow_values(store, "KAZ", "*", flow, parse_period(str(year)))
        assert frame.value.sum() == pytest.approx(_usd(getattr(world, col)), abs=1000.0)


@pytest.mark.parametrize("year", range(2018, 2024))
def test_eaeu_group_equals_bns_aggregate(store: TradeStore, year: int) -> None:
    agg = BNS[(BNS.partner_ru == "Страны ЕАЭС") & (BNS.year == str(year))].iloc[0]
    result = turnover(store, "KAZ", "EAEU", str(year))
    # BNS rounds its aggregate rows: equal to 1e-8
    assert result.turnover == pytest.approx(_usd(agg.turnover_kusd), rel=1e-8)


def test_partial_periods_are_refused(store: TradeStore) -> None:
    with pytest.raises(TradeDataError, match="do not fully cover"):
        turnover(store, "KAZ", "MNG", "2023-Q1")
    with pytest.raises(TradeDataError, match="do not fully cover"):
        turnover(store, "KAZ", "MNG", "2023..2024")
    with pytest.raises(TradeDataError, match="do not fully cover"):
        flow_values(store, "EU27", "KAZ", "export", parse_period("2024-07..2024-09"))


def test_previous_period_missing_gives_no_growth(store: TradeStore) -> None:
    result = turnover(store, "KAZ", "MNG", "2018")
    assert result.previous is None and result.growth_pct is None
    assert "2017" in result.note


def test_series_matches_turnover(store: TradeStore) -> None:
    s = series(store, "KAZ", "MNG", "2019", "2023")
    assert s.table.period.tolist() == ["2019", "2020", "2021", "2022", "2023"]
    for row in s.table.itertuples():
        assert row.turnover == pytest.approx(turnover(store, "KAZ", "MNG", row.period).turnover)
    assert s.table.growth_pct.iloc[-1] == pytest.approx(
        turnover(store, "KAZ", "MNG", "2023").growth_pct
    )


def test_monthly_tidy_data_answer_month_ranges() -> None:
    with TradeStore(embedded=False) as s:
        s.load(DATA / "tidy_kaz_mng_monthly.csv")
        r = turnover(s, "KAZ", "MNG", "2024-01..2024-03")
        assert (r.current.exports, r.current.imports) == (33e6, 1.8e6)
        assert r.previous is None
        m = series(s, "KAZ", "MNG", "2024-01", "2024-03")
        assert m.table.turnover.tolist() == [10.5e6, 11.6e6, 12.7e6]
        with pytest.raises(TradeDataError):
            turnover(s, "KAZ", "MNG", "2024-Q1".replace("Q1", "Q2"))
