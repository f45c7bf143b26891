"""Composition, mirror gaps and shares on the fixtures, checked by hand sums."""

from __future__ import annotations

import pytest

from steppe.errors import ConfigError, TradeDataError
from steppe.trade.compare import composition, mirror, shares
from steppe.trade.rates import load_rates
from steppe.trade.stats import turnover
from steppe.trade.store import TradeStore


def test_composition_chapters_and_sections(loaded: TradeStore) -> None:
    c = composition(loaded, "MNG", "KAZ", "2023", level="chapter")
    imports = c.table[c.table.flow == "import"].set_index("code")
    # the motCode 3 row (500 USD) is a breakdown and is not added
    assert imports.value.to_dict() == {"27": 60e6, "86": 25e6, "84": 20e6, "10": 15e6}
    assert imports.share_pct.sum() == pytest.approx(100.0)
    s = composition(loaded, "MNG", "KAZ", "2023", level="section")
    assert s.table[s.table.flow == "export"].code.tolist() == ["XI", "V"]
    with pytest.raises(TradeDataError, match="no commodity detail"):
        composition(loaded, "KAZ", "MNG", "2021")
    with pytest.raises(TradeDataError, match="no 4-digit HS headings"):
        composition(loaded, "MNG", "KAZ", "2023", level="heading")  # chapters only


def test_comtrade_totals_not_double_counted(loaded: TradeStore) -> None:
    r = turnover(loaded, "MNG", "KAZ", "2023")
    assert (r.current.exports, r.current.imports) == (9e6, 120e6)  # TOTAL rows, not + chapters


def test_mirror_kaz_mng(loaded: TradeStore) -> None:
    m = mirror(loaded, "KAZ", "MNG", "2023")
    row = m.table.iloc[0]
    assert (row.exporter, row.importer) == ("KAZ", "MNG")
    assert row.exports_reported == 124277181.79  # BNS
    assert row.imports_reported == 120e6  # Comtrade fixture
    assert row.gap == pytest.approx(120e6 - 124277181.79)
    assert row.gap_pct == pytest.approx((120e6 / 124277181.79 - 1) * 100)


def test_mirror_needs_one_currency(store: TradeStore) -> None:
    with pytest.raises(ConfigError, match="--currency"):
        mirror(store, "EU27", "KAZ", "2023")
    m = mirror(store, "EU27", "KAZ", "2023", currency="USD")
    assert (
        m.table.imports_reported.iloc[0] == turnover(store, "KAZ", "EU27", "2023").current.imports
    )
    rate = load_rates().rate(2023, "EUR", "USD")
    assert m.table.exports_reported.iloc[0] == pytest.approx(13094652634.088, rel=1e-12)
    assert rate == 1.0813


def test_baci_is_symmetric(loaded: TradeStore) -> None:
    r = turnover(loaded, "MNG", "CHN", "2022")
    assert (r.current.exports, r.current.imports) == (13000750.0, 7e6)
    gaps = mirror(loaded, "MNG", "CHN", "2022").table.gap
    assert gaps.tolist() == [0.0, 0.0]


def test_shares_sum_to_100(store: TradeStore) -> None:
    s = shares(store, "Kazakhstan", "2023")
    assert s.table.turnover_share_pct.sum() == pytest.approx(100.0)
    assert s.table.partner.iloc[:2].tolist() == ["CHN", "RUS"]
    kp03 = s.table  # KP03: KAZ-RUS 2022 "exceeds 26 bn"; BNS 26.97
    assert kp03 is not None
    rus = shares(store, "KAZ", "2022").table.set_index("partner").loc["RUS", "turnover"]
    assert 26e9 < rus < 27e9
