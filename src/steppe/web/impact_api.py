"""Impact of a scenario on trade: thin wrapper of steppe's scenario-to-trade chain.

The chain (country-pair transit times before and after, trade-cost changes, the general
equilibrium counterfactual) lives in ``steppe.gravity``; this module only checks the
request against the limits (and its estimated cost against the time limit) and calls it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import Field

from steppe.errors import ConfigError
from steppe.gravity import scenario_impact
from steppe.web._context import WebContext, context
from steppe.web.scenarios_api import ScenarioChoice
from steppe.web.schemas import ErrorBody

__all__ = ["ImpactRequest", "check_impact", "impact_work", "router"]

router = APIRouter(prefix="/api", tags=["impact"])
Ctx = Annotated[WebContext, Depends(context)]

ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorBody, "description": "Unknown scenario, or over a limit."},
    501: {"model": ErrorBody, "description": "The gravity extra is not installed."},
    503: {"model": ErrorBody, "description": "Busy (see Retry-After), or stopped at the timeout."},
}


class ImpactRequest(ScenarioChoice):
    """The trade impact of a bundled or uploaded scenario, with Monte Carlo bands."""

    draws: int = Field(default=50, ge=0)
    seed: int = Field(default=0, ge=0, le=2**32 - 1)


def check_impact(ctx: WebContext, req: ImpactRequest, *, time_limit_s: float) -> None:
    """Refuse an impact request for an unknown scenario, over the draws cap, or whose
    estimated time is over the limit: before it is queued."""
    req.check()  # only bundled names (a client never names a file), or a valid upload
    ctx.limits.check("max_draws", req.draws, "draws")
    estimate = ctx.limits.impact_base_s + req.draws * ctx.limits.impact_draw_s
    if estimate > time_limit_s:
        raise ConfigError(
            f"{req.draws} draws would take about {estimate:.0f} s, over the time limit of "
            f"{time_limit_s:g} s; ask for fewer draws or use the job API "
            "(POST /api/jobs, kind impact)"
        )


def impact_work(ctx: WebContext, req: ImpactRequest) -> Callable[[], dict[str, Any]]:
    """Return the computation of an impact request (for the endpoint and the job API)."""
    func = scenario_impact

    def work() -> dict[str, Any]:
        req.check()  # only bundled names: a client never names a file
        with tempfile.TemporaryDirectory(prefix="steppe-upload-") as folder:
            scenarios: list[str | Path] = list(req.names())
            if req.scenario_toml is not None:
                # scenario_impact reads scenarios by name or from a file: the upload
                # goes to a private temporary file that this request alone names.
                path = Path(folder) / "upload.toml"
                path.write_text(req.scenario_toml, encoding="utf-8")
                scenarios.append(path)
            result = func(scenarios, ctx.network, draws=req.draws, seed=req.seed)
        out: dict[str, Any] = result.to_dict()
        return out

    return work


@router.post("/impact", responses=ERRORS, summary="Trade impact of a scenario")
async def impact(req: ImpactRequest, ctx: Ctx) -> dict[str, Any]:
    """Return the change of Kazakhstan-Mongolia trade and of each country's real GDP.

    Mirrors ``steppe.gravity.scenario_impact``.  Runs with the expensive work; many
    draws need the job API (``POST /api/jobs``, kind ``impact``).
    """
    check_impact(ctx, req, time_limit_s=ctx.limits.timeout_s)
    return await ctx.run(impact_work(ctx, req), f"the impact of {req.label()}", expensive=True)
