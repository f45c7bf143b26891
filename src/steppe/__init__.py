"""steppe: plan and evaluate freight corridors across Eurasia.

The short public API.  Names are imported on first use, so ``import steppe`` stays
fast and loads neither DuckDB nor the econometrics stack until they are needed.

Examples
--------
>>> import steppe
>>> net = steppe.load_network()
>>> steppe.find_place(net, "Öskemen").name
'Oskemen'
>>> best = steppe.route(net, "Ulaanbaatar", "Almaty", optimize="time").best
>>> best.time_h > 0
True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "Cargo": "steppe.routing",
    "CostModel": "steppe.routing",
    "Mode": "steppe.network",
    "Network": "steppe.network",
    "Node": "steppe.network",
    "Objective": "steppe.routing",
    "Route": "steppe.routing",
    "RouteOptions": "steppe.routing",
    "RouteResult": "steppe.routing",
    "Scenario": "steppe.scenarios",
    "ScenarioImpact": "steppe.gravity.scenario_impact",
    "SteppeError": "steppe.errors",
    "TradeStore": "steppe.trade",
    "compare": "steppe.scenarios.compare",
    "composition": "steppe.trade",
    "find_place": "steppe.network",
    "fit_gravity": "steppe.gravity",
    "load_network": "steppe.network",
    "load_scenarios": "steppe.scenarios",
    "matrix": "steppe.routing",
    "mirror": "steppe.trade",
    "pareto": "steppe.routing",
    "read_network": "steppe.network",
    "reliability": "steppe.routing",
    "resolve_country": "steppe.countries",
    "route": "steppe.routing",
    "scenario_impact": "steppe.gravity.scenario_impact",
    "search_places": "steppe.network",
    "series": "steppe.trade",
    "shares": "steppe.trade",
    "solve_ge": "steppe.gravity",
    "turnover": "steppe.trade",
    "validate_network": "steppe.network",
    "write_network": "steppe.network",
}

__all__ = [
    "Cargo",
    "CostModel",
    "Mode",
    "Network",
    "Node",
    "Objective",
    "Route",
    "RouteOptions",
    "RouteResult",
    "Scenario",
    "ScenarioImpact",
    "SteppeError",
    "TradeStore",
    "__version__",
    "compare",
    "composition",
    "find_place",
    "fit_gravity",
    "load_network",
    "load_scenarios",
    "matrix",
    "mirror",
    "pareto",
    "read_network",
    "reliability",
    "resolve_country",
    "route",
    "scenario_impact",
    "search_places",
    "series",
    "shares",
    "solve_ge",
    "turnover",
    "validate_network",
    "write_network",
]

if TYPE_CHECKING:
    from steppe.countries import resolve_country
    from steppe.errors import SteppeError
    from steppe.gravity import (
        fit_gravity,
        solve_ge,
    )
    from steppe.gravity.scenario_impact import (
        ScenarioImpact,
        scenario_impact,
    )
    from steppe.network import (
        Mode,
        Network,
        Node,
        find_place,
        load_network,
        read_network,
        search_places,
        validate_network,
        write_network,
    )
    from steppe.routing import (
        Cargo,
        CostModel,
        Objective,
        Route,
        RouteOptions,
        RouteResult,
        matrix,
        pareto,
        reliability,
        route,
    )
    from steppe.scenarios import (
        Scenario,
        load_scenarios,
    )
    from steppe.scenarios.compare import compare
    from steppe.trade import (
        TradeStore,
        composition,
        mirror,
        series,
        shares,
        turnover,
    )


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'steppe' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
