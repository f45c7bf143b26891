"""Scenarios: TOML files of edits to a network, applied to make new networks, and compared."""

from steppe.scenarios.apply import AppliedScenario, Change, apply_scenario, apply_scenarios
from steppe.scenarios.bundled import (
    bundled_scenario,
    bundled_scenarios,
    load_scenarios,
    resolve_scenario,
    scenario_names,
    scenario_path,
)
from steppe.scenarios.compare import Comparison, compare
from steppe.scenarios.describe import describe_changes
from steppe.scenarios.io import Scenario, parse_scenario, read_scenario
from steppe.scenarios.spec import ScenarioSpec

__all__ = [
    "AppliedScenario",
    "Change",
    "Comparison",
    "Scenario",
    "ScenarioSpec",
    "apply_scenario",
    "apply_scenarios",
    "bundled_scenario",
    "bundled_scenarios",
    "compare",
    "describe_changes",
    "load_scenarios",
    "parse_scenario",
    "read_scenario",
    "resolve_scenario",
    "scenario_names",
    "scenario_path",
]
