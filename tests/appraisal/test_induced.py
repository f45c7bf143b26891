"""Induced trade from the GE as a benefit line, by hand and against the GE's own report."""

from __future__ import annotations

import pandas as pd
import pytest

from steppe.appraisal import AppraisalSettings, Demand, appraise
from steppe.appraisal.induced import trade_change_factors
from steppe.errors import ConfigError
from steppe.network import Network
from steppe.scenarios.apply import AppliedScenario


def test_induced_trade_line_by_hand(
    net: Network, oskemen_road: AppliedScenario, kz_mng_demand: Demand
) -> None:
    s = AppraisalSettings(capex_usd=50e6, draws=0, construction_years=2)
    plain = appraise(net, oskemen_road, kz_mng_demand, s)
    factors = pd.DataFrame({"iso_o": ["KAZ", "MNG"], "iso_d": ["MNG", "KAZ"],
                            "factor": [1.10, 1.05]})  # fmt: skip
    a = appraise(net, oskemen_road, kz_mng_demand, s, trade_factors=factors)
    country = {n.id: n.country for n in net.nodes}
    p = plain.pairs
    r = [{"KAZMNG": 1.10, "MNGKAZ": 1.05}.get(country[o] + country[d], 1.0)
         for o, d in zip(p["origin"], p["destination"], strict=True)]  # fmt: skip
    hand = sum(
        0.5 * t * (f - 1.0) / 20.0 * -g
        for t, f, g in zip(p["tonnes"], r, p["generalized_cost_delta"], strict=True)
    )
    opening = a.yearly.iloc[2]
    assert opening["induced_trade_usd"] == pytest.approx(hand)
    assert a.yearly.iloc[0]["induced_trade_usd"] == 0.0  # nothing while building
    assert opening["benefits_usd"] == pytest.approx(plain.yearly.iloc[2]["benefits_usd"] + hand)
    assert a.npv_usd > plain.npv_usd


def test_induced_trade_and_elasticity_are_not_both_counted(
    net: Network, oskemen_road: AppliedScenario, kz_mng_demand: Demand
) -> None:
    s = AppraisalSettings(capex_usd=50e6, draws=0, induced_elasticity=-1.0)
    factors = pd.DataFrame({"iso_o": ["KAZ"], "iso_d": ["MNG"], "factor": [1.1]})
    with pytest.raises(ConfigError, match="not both"):
        appraise(net, oskemen_road, kz_mng_demand, s, trade_factors=factors)


def test_factors_agree_with_the_ge_report(net: Network) -> None:
    from steppe.gravity import scenario_impact

    f = trade_change_factors(["oskemen-ridder-tuyekta-repaired"], net)
    focus = scenario_impact(["oskemen-ridder-tuyekta-repaired"], net, draws=0).impact.focus
    pct = focus.set_index("flow")["change_pct"]
    got = f.set_index(["iso_o", "iso_d"])["factor"]
    assert 100.0 * (got[("KAZ", "MNG")] - 1.0) == pytest.approx(pct["KAZ->MNG"], rel=1e-6)
    assert 100.0 * (got[("MNG", "KAZ")] - 1.0) == pytest.approx(pct["MNG->KAZ"], rel=1e-6)
