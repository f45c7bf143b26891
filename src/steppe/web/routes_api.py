"""Route, Pareto set, reliability and travel-time matrix: thin wrappers of ``steppe.routing``.

Each handler checks the request against the app's :class:`~steppe.web.limits.Limits`,
then calls the Python API in a worker thread and returns its ``to_dict()`` form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends

from steppe import routing
from steppe.errors import ConfigError
from steppe.web._context import WebContext, context
from steppe.web._scenarios import scenario_network
from steppe.web.limits import check_options
from steppe.web.schemas import (
    ErrorBody,
    MatrixRequest,
    ParetoRequest,
    ReliabilityRequest,
    RouteQuery,
    RouteRequest,
    RouteResponse,
)

__all__ = ["check_matrix", "matrix_work", "router"]

router = APIRouter(prefix="/api", tags=["routing"])
Ctx = Annotated[WebContext, Depends(context)]

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "Unknown place, or no route."},
    413: {"model": ErrorBody, "description": "Request body too large."},
    422: {"model": ErrorBody, "description": "Invalid or ambiguous request, or over a limit."},
    503: {"model": ErrorBody, "description": "Busy (see Retry-After), or stopped at the timeout."},
}


def _options(
    ctx: WebContext, req: RouteQuery, cost_model: routing.CostModel | None = None
) -> routing.RouteOptions:
    ctx.limits.check("max_via", len(req.via), "via places")
    check_options(ctx.limits, req)
    return req.options(cost_model)


def _check_alternatives(ctx: WebContext, alternatives: int) -> None:
    ctx.limits.check("max_alternatives", alternatives, "alternatives")


def _with_geojson(result: Any, scenario: dict[str, Any] | None = None) -> dict[str, Any]:
    out = {**result.to_dict(), "geojson": result.to_geojson()}
    if scenario is not None:
        out["scenario"] = scenario
    return out


@router.post("/route", response_model=RouteResponse, responses=ERRORS, summary="Best routes")
async def route(req: RouteRequest, ctx: Ctx) -> dict[str, Any]:
    """Find the best route by an objective, and up to the limit of distinct alternatives.

    Mirrors :func:`steppe.routing.route`.  Totals are in km, hours, USD and kg CO2e for
    the cargo given (one FEU by default).
    """
    _check_alternatives(ctx, req.alternatives)
    func = routing.route

    def work() -> dict[str, Any]:
        net, model, scenario = scenario_network(ctx, req.scenario, req.scenario_toml)
        opts = _options(ctx, req, model)
        result = func(net, req.origin, req.destination, opts, alternatives=req.alternatives)
        return _with_geojson(result, scenario)

    return await ctx.run(work, "the route")


@router.post(
    "/pareto", response_model=RouteResponse, responses=ERRORS, summary="Time-cost-CO2 trade-offs"
)
async def pareto(req: ParetoRequest, ctx: Ctx) -> dict[str, Any]:
    """Return the routes that no other route beats on time, cost and CO2 at once.

    Mirrors :func:`steppe.routing.pareto`, with the label cap of the server's limits.
    """
    _options(ctx, req)  # checks the request before queueing it
    func = routing.pareto

    def work() -> dict[str, Any]:
        net, model, scenario = scenario_network(ctx, req.scenario, req.scenario_toml)
        opts = _options(ctx, req, model)
        result = func(
            net, req.origin, req.destination, opts, max_labels=ctx.limits.max_pareto_labels
        )
        return _with_geojson(result, scenario)

    return await ctx.run(work, "the Pareto set")


@router.post("/reliability", responses=ERRORS, summary="Probability of arrival by day")
async def reliability(req: ReliabilityRequest, ctx: Ctx) -> dict[str, Any]:
    """Simulate border dwell and waits for one route and return its arrival-time distribution.

    The route is ``route_index`` of the answer to the same request sent to ``/api/route``
    (or to ``/api/pareto`` when ``pareto`` is true).  Mirrors
    :func:`steppe.routing.reliability`.
    """
    ctx.limits.check("max_draws", req.draws, "draws")
    _check_alternatives(ctx, req.alternatives)
    if not req.pareto:
        _check_alternatives(ctx, req.route_index + 1)
    _options(ctx, req)  # checks the request before queueing it
    simulate = routing.reliability

    def work() -> dict[str, Any]:
        net, model, _ = scenario_network(ctx, req.scenario, req.scenario_toml)
        opts = _options(ctx, req, model)
        if req.pareto:
            found = routing.pareto(
                net, req.origin, req.destination, opts,
                max_labels=ctx.limits.max_pareto_labels,
            )  # fmt: skip
        else:
            found = routing.route(
                net, req.origin, req.destination, opts,
                alternatives=max(req.alternatives, req.route_index + 1),
            )  # fmt: skip
        if req.route_index >= len(found.routes):
            raise ConfigError(
                f"route_index {req.route_index} is out of range: {len(found.routes)} routes found"
            )
        chosen = found.routes[req.route_index]
        result = simulate(
            net, chosen, opts, draws=req.draws, seed=req.seed, within_days=req.within_days
        )
        return {**result.to_dict(), "route": chosen.to_dict()}

    return await ctx.run(work, "the reliability")


def check_matrix(ctx: WebContext, req: MatrixRequest) -> int:
    """Check a matrix request against the limits; return its number of cells."""
    ctx.limits.check("max_matrix_places", len(req.origins), "origins")
    check_options(ctx.limits, req)
    n_dest = len(req.origins)
    if req.destinations is not None:
        ctx.limits.check("max_matrix_places", len(req.destinations), "destinations")
        n_dest = len(req.destinations)
    cells = len(req.origins) * n_dest
    if cells > ctx.limits.max_matrix_cells:
        raise ConfigError(
            f"at most {ctx.limits.max_matrix_cells} matrix cells per request, "
            f"asked for {len(req.origins)} x {n_dest} = {cells}"
        )
    return cells


def matrix_work(ctx: WebContext, req: MatrixRequest) -> Callable[[], dict[str, Any]]:
    """Return the computation of a matrix request (for the endpoint and the job API)."""
    func = routing.matrix
    opts = req.options()

    def work() -> dict[str, Any]:
        result = func(ctx.network, req.origins, req.destinations, opts)
        if hasattr(result, "to_dict"):
            out: dict[str, Any] = result.to_dict()
            return out
        table = result.table.astype(object).where(result.table.notna(), None)
        return {"objective": result.objective, "price_date": result.price_date,
                "service": result.service, "rows": table.to_dict(orient="records")}  # fmt: skip

    return work


@router.post("/matrix", responses=ERRORS, summary="Travel-time matrix")
async def matrix(req: MatrixRequest, ctx: Ctx) -> dict[str, Any]:
    """Return the best value of an objective between every origin and destination.

    Mirrors :func:`steppe.routing.matrix`, for at most the server's cap of cells; large
    matrices run with the expensive work (or as a job: ``POST /api/jobs``, kind ``matrix``).
    """
    cells = check_matrix(ctx, req)
    expensive = cells > ctx.limits.cheap_matrix_cells
    return await ctx.run(matrix_work(ctx, req), "the matrix", expensive=expensive)
