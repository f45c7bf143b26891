"""Scenarios: the bundled list, one scenario's changes on the map, and the comparison.

Only bundled scenarios are offered, by name: a client never names a file.  Thin wrappers
of ``steppe.scenarios``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from pydantic import Field

from steppe import scenarios as scenario_api
from steppe.network import network_to_geojson
from steppe.routing import Objective
from steppe.web._context import WebContext, context
from steppe.web.schemas import ErrorBody, OptionsRequest

__all__ = ["CompareRequest", "router"]

router = APIRouter(prefix="/api/scenarios", tags=["scenarios"])
Ctx = Annotated[WebContext, Depends(context)]

ScenarioName = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9_.-]{1,80}$", description="A bundled scenario's name.")
]
ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorBody, "description": "Unknown scenario, or it does not apply."},
    503: {"model": ErrorBody, "description": "Busy, or the computation timed out."},
}
_FEATURE_KEYS = {"node": "id", "link": "id", "border": "id", "transfer": "node"}


class CompareRequest(OptionsRequest):
    """Compare a bundled scenario with the baseline over the network's city pairs."""

    scenario: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,80}$", examples=["titr-2030"])
    optimize: Objective = Objective.TIME
    top: int = Field(default=15, ge=1, le=100, description="Pairs to list that gain most.")


def _public(scenario_dict: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in scenario_dict.items() if k != "file"}


@router.get("", summary="Bundled scenarios")
def scenarios() -> list[dict[str, Any]]:
    """Return every bundled scenario: name, title, description and edits."""
    bundled = scenario_api.bundled_scenarios
    return [_public(s.to_dict()) for s in bundled()]


@router.get("/{name}", responses=ERRORS, summary="One scenario applied to the network")
async def scenario(name: ScenarioName, ctx: Ctx) -> dict[str, Any]:
    """Apply a bundled scenario; return its changes and the changed objects as GeoJSON.

    The GeoJSON holds the scenario network's nodes, links, border crossings and
    transfers that the scenario adds or changes, with their new values.
    """
    bundled = scenario_api.bundled_scenario
    apply = scenario_api.apply_scenario

    def work() -> dict[str, Any]:
        applied = apply(ctx.network, bundled(name))
        out: dict[str, Any] = applied.to_dict()
        out["scenarios"] = [_public(s) for s in out["scenarios"]]
        changed = {kind: set(applied.changed_ids(kind)) for kind in _FEATURE_KEYS}
        features = [
            f
            for f in network_to_geojson(applied.network)["features"]
            if (kind := f["properties"]["feature_type"]) in changed
            and f["properties"][_FEATURE_KEYS[kind]] in changed[kind]
        ]
        out["geojson"] = {"type": "FeatureCollection", "features": features}
        out["closed_transit"] = list(applied.network.closed_transit)
        return out

    return await ctx.run(work, f"scenario {name}")


@router.post("/compare", responses=ERRORS, summary="Scenario against the baseline")
async def compare(req: CompareRequest, ctx: Ctx) -> dict[str, Any]:
    """Compare a bundled scenario with the baseline: pairs that gain most, corridor shares.

    Mirrors ``steppe.scenarios.compare`` over every pair of places of the network;
    ``winners`` are the ``top`` pairs that gain most, ``corridors`` the usage shares
    (fractions of pairs) before and after.
    """
    bundled = scenario_api.bundled_scenario
    apply = scenario_api.apply_scenario
    func = scenario_api.compare
    opts = req.options()

    def work() -> dict[str, Any]:
        applied = apply(ctx.network, bundled(req.scenario))
        result = func(ctx.network, applied, opts)
        out: dict[str, Any] = result.to_dict(top=req.top)
        out.pop("changed_pairs", None)  # every changed pair: too long for the page
        out["scenario"] = {k: v for k, v in out["scenario"].items() if k != "scenarios"}
        out["metric"] = result.metric
        return out

    return await ctx.run(work, f"the comparison with {req.scenario}")
