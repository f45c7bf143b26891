"""Scenarios: the bundled list, one scenario's changes on the map, and the comparison.

Only bundled scenarios are offered, by name: a client never names a file.  Thin wrappers
of ``steppe.scenarios``.  ``POST /compare`` is declared before ``GET /{name}``, so another
method on ``/compare`` is answered 405 with ``Allow: POST`` (the same for ``/upload``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from pydantic import Field, model_validator
from starlette.exceptions import HTTPException as StarletteHTTPException

from steppe import scenarios as scenario_api
from steppe.routing import Objective
from steppe.web._context import WebContext, context
from steppe.web._scenarios import applied_scenarios, uploaded_scenario
from steppe.web.limits import check_options
from steppe.web.schemas import UPLOAD_MAX_CHARS, ErrorBody, OptionsRequest, _Request

__all__ = ["CompareRequest", "ScenarioChoice", "UploadRequest", "compare_work", "router"]

router = APIRouter(prefix="/api/scenarios", tags=["scenarios"])
Ctx = Annotated[WebContext, Depends(context)]

ScenarioName = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9_.-]{1,80}$", description="A bundled scenario's name.")
]
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "Unknown country, or no route."},
    422: {"model": ErrorBody, "description": "Unknown scenario, or it does not apply."},
    503: {"model": ErrorBody, "description": "Busy (see Retry-After), or stopped at the timeout."},
}


class ScenarioChoice(_Request):
    """A bundled scenario by name, an uploaded one by its text, or both (stacked)."""

    scenario: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,79}$",
        examples=["titr-2030"],
        description="A bundled scenario's name.",
    )
    scenario_toml: str | None = Field(
        default=None,
        min_length=1,
        max_length=UPLOAD_MAX_CHARS,
        description="The text of an uploaded scenario TOML file (after the named one).",
    )

    @model_validator(mode="after")
    def _one_at_least(self) -> ScenarioChoice:
        if self.scenario is None and self.scenario_toml is None:
            raise ValueError(
                "give a bundled scenario (scenario) or an uploaded one (scenario_toml)"
            )
        return self

    def names(self) -> list[str]:
        """Return the bundled names asked for (none or one)."""
        return [self.scenario] if self.scenario is not None else []

    def check(self) -> None:
        """Refuse an unknown name or an upload that is not a scenario, before queueing.

        Raises
        ------
        ScenarioError
        """
        if self.scenario is not None:
            scenario_api.scenario_path(self.scenario)  # only bundled names, never a file
        if self.scenario_toml is not None:
            uploaded_scenario(self.scenario_toml)

    def label(self) -> str:
        """Return how messages name the scenario."""
        return " + ".join(self.names() + (["the uploaded scenario"] if self.scenario_toml else []))


class CompareRequest(ScenarioChoice, OptionsRequest):
    """Compare a bundled or uploaded scenario with the baseline over the network's city pairs."""

    optimize: Objective = Field(default=Objective.TIME, strict=False)
    top: int = Field(default=15, ge=1, le=100, description="Pairs to list that gain most.")


class UploadRequest(_Request):
    """The text of a scenario TOML file, to check and show before using it."""

    scenario_toml: str = Field(min_length=1, max_length=UPLOAD_MAX_CHARS)


def _describe(applied: scenario_api.AppliedScenario) -> list[str]:
    """Return one sentence per change of applied scenarios (``describe_changes``)."""
    return scenario_api.describe_changes(applied)


def _public(scenario_dict: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in scenario_dict.items() if k != "file"}


@router.get("", summary="Bundled scenarios")
def scenarios() -> list[dict[str, Any]]:
    """Return every bundled scenario: name, title, description and edits."""
    bundled = scenario_api.bundled_scenarios
    return [_public(s.to_dict()) for s in bundled()]


def compare_work(ctx: WebContext, req: CompareRequest) -> Callable[[], dict[str, Any]]:
    """Return the computation of a comparison (for the endpoint and the job API)."""
    func = scenario_api.compare
    check_options(ctx.limits, req)
    opts = req.options()

    def work() -> dict[str, Any]:
        applied = applied_scenarios(ctx, req.names(), req.scenario_toml)
        result = func(ctx.network, applied, opts)
        out: dict[str, Any] = result.to_dict(top=req.top)
        out.pop("changed_pairs", None)  # every changed pair: too long for the page
        out["scenario"] = {k: v for k, v in out["scenario"].items() if k != "scenarios"}
        out["metric"] = result.metric
        out["scenario"]["words"] = _describe(applied)
        return out

    return work


@router.post("/compare", responses=ERRORS, summary="Scenario against the baseline")
async def compare(req: CompareRequest, ctx: Ctx) -> dict[str, Any]:
    """Compare a bundled scenario with the baseline: pairs that gain most, corridor shares.

    Mirrors ``steppe.scenarios.compare`` over every pair of places of the network;
    ``winners`` are the ``top`` pairs that gain most, ``corridors`` the usage shares
    (fractions of pairs) before and after.  Runs with the expensive work; also a
    background job (``POST /api/jobs``, kind ``compare``).
    """
    req.check()
    return await ctx.run(
        compare_work(ctx, req), f"the comparison with {req.label()}", expensive=True
    )


@router.get("/compare", include_in_schema=False)
def compare_other_method() -> None:
    """Answer 405 to GET on ``/compare`` (which would otherwise read as a scenario name)."""
    raise StarletteHTTPException(405, headers={"Allow": "POST"})


@router.post("/upload", responses=ERRORS, summary="Check and show an uploaded scenario")
async def upload(req: UploadRequest, ctx: Ctx) -> dict[str, Any]:
    """Apply the text of a scenario TOML file to the network and show what it changes.

    Nothing is stored: the answer is that of ``GET /api/scenarios/{name}`` (the changes
    field by field, ``words``: one sentence per change, and GeoJSON of the changed
    objects).  Send the same text as ``scenario_toml`` to route, compare or estimate the
    impact under it.  A text that is not a valid scenario is a 422 listing every problem.
    """

    def work() -> dict[str, Any]:
        return _shown(applied_scenarios(ctx, [], req.scenario_toml))

    return await ctx.run(work, "the uploaded scenario")


@router.get("/upload", include_in_schema=False)
def upload_other_method() -> None:
    """Answer 405 to GET on ``/upload`` (which would otherwise read as a scenario name)."""
    raise StarletteHTTPException(405, headers={"Allow": "POST"})


@router.get("/{name}", responses=ERRORS, summary="One scenario applied to the network")
async def scenario(name: ScenarioName, ctx: Ctx) -> dict[str, Any]:
    """Apply a bundled scenario; return its changes and the changed objects as GeoJSON.

    The GeoJSON holds the scenario network's nodes, links, border crossings and
    transfers that the scenario adds or changes, with their new values.
    """
    bundled = scenario_api.bundled_scenario
    apply = scenario_api.apply_scenario

    def work() -> dict[str, Any]:
        return _shown(apply(ctx.network, bundled(name)))

    return await ctx.run(work, f"scenario {name}")


def _shown(applied: scenario_api.AppliedScenario) -> dict[str, Any]:
    out: dict[str, Any] = applied.to_dict()
    out["scenarios"] = [_public(s) for s in out["scenarios"]]
    out["words"] = _describe(applied)
    out["geojson"] = applied.changed_features()
    out["closed_transit"] = list(applied.network.closed_transit)
    return out
