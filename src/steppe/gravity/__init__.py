"""Structural gravity: PPML estimation, GE counterfactuals, trade impact of cost changes."""

from __future__ import annotations

from steppe.gravity.costs import trade_cost_change_from_times
from steppe.gravity.data import add_domestic_flows, load_dataset, read_trade_table
from steppe.gravity.estimate import GravityFit, fit_gravity
from steppe.gravity.ge import GEBaseline, GEResult, GESolution, solve_ge, solve_ge_arrays
from steppe.gravity.impact import ImpactResult, impact_of_pair_changes
from steppe.gravity.scenario_impact import ScenarioImpact, scenario_impact
from steppe.gravity.store_baseline import baseline_from_store, read_gdp_table

__all__ = [
    "GEBaseline",
    "GEResult",
    "GESolution",
    "GravityFit",
    "ImpactResult",
    "ScenarioImpact",
    "add_domestic_flows",
    "baseline_from_store",
    "fit_gravity",
    "impact_of_pair_changes",
    "load_dataset",
    "read_gdp_table",
    "read_trade_table",
    "scenario_impact",
    "solve_ge",
    "solve_ge_arrays",
    "trade_cost_change_from_times",
]
