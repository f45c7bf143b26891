"""Country groups against Eurostat's own aggregates: no double counting."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from steppe.trade.groups import group_members
from steppe.trade.periods import parse_period
from steppe.trade.stats import flow_values
from steppe.trade.store import TradeStore

EMBEDDED = Path(__file__).parents[2] / "src" / "steppe" / "data" / "trade"

EUROSTAT = pd.read_csv(EMBEDDED / "eurostat_eu_exports_to_kaz_monthly_2019_2024.csv")


def _aggregate(prefix: str, period: str) -> float:
    rows = EUROSTAT[EUROSTAT.reporter.str.startswith(prefix) & (EUROSTAT.period == period)]
    assert len(rows) == 1
    return float(rows.value_eur.iloc[0])


@pytest.mark.parametrize("month", ["2019-01", "2020-01", "2020-02", "2022-06", "2024-08"])
def test_eu27_equals_eurostat_eu27_row(store: TradeStore, month: str) -> None:
    frame, _ = flow_values(store, "EU27", "KAZ", "export", parse_period(month))
    assert frame.value.sum() == _aggregate("European Union - 27", month)


@pytest.mark.parametrize("month", ["2019-01", "2020-01", "2020-02", "2023-12"])
def test_eu_changing_composition_equals_eurostat_eu_row(store: TradeStore, month: str) -> None:
    frame, _ = flow_values(store, "EU", "KAZ", "export", parse_period(month))
    assert frame.value.sum() == _aggregate("European Union (", month)


def test_aggregate_reporters_are_not_stored(store: TradeStore) -> None:
    reporters = set(store.sql("SELECT DISTINCT reporter FROM flows").reporter)
    assert not reporters & {"EU27", "EU", "EA20"}
    assert len(reporters - {"KAZ", "MNG", "CHN", "RUS"}) == 28  # 27 members + UK


def test_membership_dates() -> None:
    assert "GBR" in group_members("EU", 2020, 1)
    assert "GBR" not in group_members("EU", 2020, 2)
    assert "GBR" not in group_members("EU", 2020)
    assert "HRV" not in group_members("EU", 2013, 6)
    assert "HRV" in group_members("EU", 2013, 7)
    assert "KGZ" not in group_members("EAEU", 2015, 7)
    assert set(group_members("EU27", 2010)) == set(group_members("EU", 2024))
