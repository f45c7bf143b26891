"""Benefits, costs and risk of a project, against hand calculations and brute force."""

from __future__ import annotations

import math

import numpy as np
import pytest

import steppe
from steppe.appraisal import AppraisalSettings, Demand, appraise, eirr, npv
from steppe.errors import ConfigError
from steppe.network import Network
from steppe.routing import CostModel
from steppe.scenarios import load_scenarios
from steppe.scenarios.apply import AppliedScenario


def test_yearly_benefits_by_hand(
    net: Network, oskemen_road: AppliedScenario, tiny_demand: Demand
) -> None:
    s = AppraisalSettings(capex_usd=10e6, opex_usd_per_year=1e5, years=10, discount=0.1,
                          construction_years=2, draws=0)  # fmt: skip
    a = appraise(net, oskemen_road, tiny_demand, s)
    # Per shipment (one FEU of 20 t), the routed change for each pair, from two routes:
    vot = CostModel().value_of_time(steppe.Cargo())
    expected = 0.0
    for o, d, tonnes in [("oskemen", "olgii", 20_000.0), ("olgii", "oskemen", 10_000.0)]:
        before = steppe.route(net, o, d, optimize="generalized").best
        after = steppe.route(oskemen_road.network, o, d, optimize="generalized",
                             cost_model=oskemen_road.cost_model).best  # fmt: skip
        shipments = tonnes / 20.0
        expected += shipments * ((before.cost_usd - after.cost_usd)
                                 + vot * (before.time_h - after.time_h))  # fmt: skip
    y = a.yearly
    assert (y["benefits_usd"].iloc[:2] == 0).all()
    assert y["cost_savings_usd"].iloc[2] + y["time_savings_usd"].iloc[2] == pytest.approx(
        expected, rel=1e-6
    )
    assert y["capex_usd"].tolist()[:3] == [5e6, 5e6, 0.0]
    assert a.npv_usd == pytest.approx(npv(y["benefits_usd"], y["costs_usd"], 0.1))
    assert math.isnan(a.bands()["npv_usd"]["low"])


def test_border_loads_match_routes_pair_by_pair(
    net: Network, oskemen_road: AppliedScenario, tiny_demand: Demand
) -> None:
    a = appraise(net, oskemen_road, tiny_demand, AppraisalSettings(capex_usd=1e6, draws=0))
    loads: dict[str, float] = {}
    for o, d, t in tiny_demand.table.itertuples(index=False):
        best = steppe.route(oskemen_road.network, o, d, optimize="generalized",
                            cost_model=oskemen_road.cost_model).best  # fmt: skip
        for leg in best.legs:
            if leg.kind == "border":
                loads[leg.ref] = loads.get(leg.ref, 0.0) + t
    got = a.borders.set_index("border")["tonnes_scen"]
    got = got[got > 0].to_dict()
    assert got == pytest.approx(loads)


def test_draws_are_reproducible_and_centred(
    net: Network, oskemen_road: AppliedScenario, kz_mng_demand: Demand
) -> None:
    s = AppraisalSettings(capex_usd=2e6, draws=400, seed=3)
    a = appraise(net, oskemen_road, kz_mng_demand, s)
    b = appraise(net, oskemen_road, kz_mng_demand, s)
    assert a.draws.equals(b.draws)
    assert 0.0 <= a.p_bcr_above_one <= 1.0
    # Overruns make costs higher on average than estimated (reference class: roads +20 %).
    assert a.draws["capex_factor"].mean() == pytest.approx(1.20, abs=0.05)
    # A draw's NPV recomputed from its factors and the central yearly streams: benefits
    # scale with the demand factor (the CO2 price of the draw aside), capex with its own.
    row = a.draws.iloc[0]
    y = a.yearly
    co2_free = y["benefits_usd"] - y["co2_savings_usd"]
    s0 = AppraisalSettings(capex_usd=2e6, draws=0, co2_price_level=row["co2_level"])
    co2 = appraise(net, oskemen_road, kz_mng_demand, s0).yearly["co2_savings_usd"]
    benefits = row["demand_factor"] * (co2_free + co2)
    costs = row["capex_factor"] * y["capex_usd"] + y["opex_usd"]
    assert row["npv_usd"] == pytest.approx(npv(benefits, costs, s.discount), rel=1e-9)
    assert row["eirr"] == pytest.approx(eirr(benefits - costs), rel=1e-6) or (
        np.isnan(row["eirr"]) and np.isnan(eirr(benefits - costs))
    )


def test_a_scenario_with_no_effect_is_refused(net: Network, tiny_demand: Demand) -> None:
    nothing = load_scenarios([], net)
    with pytest.raises(ConfigError, match="nothing to appraise"):
        appraise(net, nothing, tiny_demand, AppraisalSettings(capex_usd=1e6, draws=0))


@pytest.mark.parametrize(
    ("field", "value"),
    [("capex_usd", -1.0), ("discount", 1.5), ("discount", 0.0), ("opex_usd_per_year", -5.0),
     ("years", 0), ("construction_years", 40)],
)  # fmt: skip
def test_impossible_settings_are_refused(field: str, value: float) -> None:
    kwargs = {"capex_usd": 1e6, field: value}
    with pytest.raises(ConfigError, match=field):
        AppraisalSettings(**kwargs)  # type: ignore[arg-type]


def test_tree_loading_reproduces_the_route_comparison(
    net: Network, oskemen_road: AppliedScenario, kz_mng_demand: Demand
) -> None:
    from steppe.appraisal.flows import FlowSettings

    s = AppraisalSettings(capex_usd=50e6, draws=0)
    by_routes = appraise(net, oskemen_road, kz_mng_demand, s)
    by_trees = appraise(net, oskemen_road, kz_mng_demand, s, flows=FlowSettings())
    assert by_trees.npv_usd == pytest.approx(by_routes.npv_usd, rel=1e-9)
    a = by_routes.pairs.set_index(["origin", "destination"]).sort_index()
    b = by_trees.pairs.set_index(["origin", "destination"]).sort_index()
    for col in ("generalized_cost_delta", "cost_usd_delta", "time_h_delta", "co2_kg_delta"):
        np.testing.assert_allclose(b[col], a[col], rtol=1e-9, atol=1e-6)


def test_mode_choice_benefit_is_the_rule_of_half(
    net: Network, oskemen_road: AppliedScenario, kz_mng_demand: Demand
) -> None:
    import pandas as pd

    from steppe.appraisal.flows import FlowSettings, network_flows
    from steppe.appraisal.modechoice import ModeChoice

    fl = FlowSettings(mode_choice=ModeChoice(3.0))
    a = appraise(net, oskemen_road, kz_mng_demand, AppraisalSettings(capex_usd=50e6, draws=0),
                 flows=fl)  # fmt: skip
    table = kz_mng_demand.table[kz_mng_demand.table["tonnes"] > 0].reset_index(drop=True)
    opts = steppe.RouteOptions()
    f0 = network_flows(net, table, opts, fl)
    f1 = network_flows(oskemen_road.network, table, opts.replace(
        cost_model=oskemen_road.cost_model), fl)  # fmt: skip
    # by hand, pair by pair: 1/2 (P0 + P1)(C1 - C0) over the modes both sides offer; a mode
    # on one side only gains half the difference to the other side's average
    expected = []
    for p0, p1, c0, c1 in zip(f0.shares, f1.shares, f0.costs, f1.costs, strict=True):
        avg0 = sum(p * c for p, c in zip(p0, c0, strict=True) if p > 0)
        avg1 = sum(p * c for p, c in zip(p1, c1, strict=True) if p > 0)
        total = 0.0
        for m in range(len(p0)):
            if p0[m] > 0 and p1[m] > 0:
                total += 0.5 * (p0[m] + p1[m]) * (c1[m] - c0[m])
            elif p1[m] > 0:
                total += 0.5 * p1[m] * (c1[m] - avg0)
            elif p0[m] > 0:
                total += 0.5 * p0[m] * (avg1 - c0[m])
        expected.append(total)
    got = a.pairs.set_index(["origin", "destination"])["generalized_cost_delta"]
    ref = pd.Series(expected, index=pd.MultiIndex.from_frame(table[["origin", "destination"]]))
    np.testing.assert_allclose(got.sort_index(), ref.loc[got.sort_index().index], atol=1e-6)
    # the generalized cost of every mode is its money plus its hours at the value of time
    vot = opts.cost_model.value_of_time(opts.cargo)
    np.testing.assert_allclose(f0.costs, f0.metrics[..., 1] + vot * f0.metrics[..., 0],
                               rtol=1e-9)  # fmt: skip
