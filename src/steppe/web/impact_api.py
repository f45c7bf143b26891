"""Impact of a scenario on trade: thin wrapper of steppe's scenario-to-trade chain.

The chain (country-pair transit times before and after, trade-cost changes, the general
equilibrium counterfactual) lives in ``steppe.gravity``; this module only checks the
request against the limits and calls it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import Field

from steppe.errors import ConfigError
from steppe.gravity import scenario_impact
from steppe.scenarios import bundled_scenario
from steppe.web._context import WebContext, context
from steppe.web.schemas import ErrorBody, _Request

__all__ = ["ImpactRequest", "router"]

router = APIRouter(prefix="/api", tags=["impact"])
Ctx = Annotated[WebContext, Depends(context)]

ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorBody, "description": "Unknown scenario, or over a limit."},
    501: {"model": ErrorBody, "description": "The gravity extra is not installed."},
    503: {"model": ErrorBody, "description": "Busy, or the computation timed out."},
}


class ImpactRequest(_Request):
    """The trade impact of a bundled scenario, with Monte Carlo bands."""

    scenario: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,80}$", examples=["titr-2030"])
    draws: int = Field(default=50, ge=0, le=100_000)
    seed: int = Field(default=0, ge=0)


@router.post("/impact", responses=ERRORS, summary="Trade impact of a scenario")
async def impact(req: ImpactRequest, ctx: Ctx) -> dict[str, Any]:
    """Return the change of Kazakhstan-Mongolia trade and of each country's real GDP.

    Mirrors ``steppe.gravity.scenario_impact``.
    """
    if req.draws > ctx.limits.max_draws:
        raise ConfigError(
            f"at most {ctx.limits.max_draws} draws per request, asked for {req.draws}"
        )
    bundled = bundled_scenario
    func = scenario_impact

    def work() -> dict[str, Any]:
        bundled(req.scenario)  # only bundled names: a client never names a file
        result = func([req.scenario], ctx.network, draws=req.draws, seed=req.seed)
        out: dict[str, Any] = result.to_dict()
        return out

    return await ctx.run(work, f"the impact of {req.scenario}")
