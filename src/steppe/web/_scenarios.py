"""Routing under bundled scenarios: the applied network, built once per set of names.

A route, Pareto or reliability request may name bundled scenarios (never a file); they
are applied to the app's network in order, cached, and described in words in the answer.
"""

from __future__ import annotations

from typing import Any

from steppe.network.model import Network
from steppe.routing.costs import CostModel
from steppe.web._context import WebContext

__all__ = ["scenario_network"]


def scenario_network(
    ctx: WebContext, names: list[str]
) -> tuple[Network, CostModel | None, dict[str, Any] | None]:
    """Return the network and cost model under bundled scenarios, and what they change.

    Parameters
    ----------
    ctx
        The app's context (its network and cache).
    names
        Bundled scenario names, applied in order; empty for the baseline.

    Returns
    -------
    tuple
        The network, the cost model (None for the baseline) and, under scenarios, a
        JSON-ready ``{"name", "title", "changes"}`` with one sentence per change.

    Raises
    ------
    ScenarioError
        If a name is not a bundled scenario or a scenario does not apply.
    """
    if not names:
        return ctx.network, None, None
    key = "scenario:" + "+".join(names)

    def build() -> tuple[Network, CostModel, dict[str, Any]]:
        from steppe.scenarios import apply_scenarios, bundled_scenario, describe_changes

        applied = apply_scenarios(ctx.network, [bundled_scenario(n) for n in names])
        words = {"name": applied.name, "title": applied.title}
        return applied.network, applied.cost_model, {**words, "changes": describe_changes(applied)}

    return ctx.cached(key, build)
