"""The job API: long computations (comparisons, impact, large matrices) in the background.

``POST /api/jobs/{kind}`` takes the same body as the synchronous endpoint, checks it
against the limits at once (a bad request is a 4xx now, not a failed job later) and
answers 202 with the job record; ``GET /api/jobs/{id}`` gives its status and, once it is
done, ``result_url``; ``GET /api/jobs/{id}/result`` gives the result.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from pydantic import Field

from steppe.web._context import WebContext, context
from steppe.web.impact_api import ImpactRequest, check_impact, impact_work
from steppe.web.routes_api import check_matrix, matrix_work
from steppe.web.scenarios_api import CompareRequest, compare_work
from steppe.web.schemas import ErrorBody, MatrixRequest, _Response

__all__ = ["Job", "router"]

router = APIRouter(prefix="/api/jobs", tags=["jobs"])
Ctx = Annotated[WebContext, Depends(context)]
JobId = Annotated[
    str, Path(pattern=r"^[0-9a-f]{32}$", description="The id answered by POST /api/jobs/...")
]

ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorBody, "description": "Request body too large."},
    422: {"model": ErrorBody, "description": "Invalid request, or over a limit."},
    429: {"model": ErrorBody, "description": "Too many jobs queued or running (Retry-After)."},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such job, or no result (yet)."}
}


class Job(_Response):
    """A background job's record."""

    id: str
    kind: str
    status: str = Field(description="queued, running, done or failed")
    created: float = Field(description="Unix time")
    started: float | None
    finished: float | None
    elapsed_s: float
    progress: float = Field(description="0 until done, then 1")
    status_url: str
    result_url: str | None = Field(description="Set once the job is done.")
    error: dict[str, Any] | None = Field(description='{"type", "message"} if failed.')


@router.post("/compare", status_code=202, response_model=Job, responses=ERRORS,
             summary="Scenario comparison as a job")  # fmt: skip
async def compare_job(req: CompareRequest, ctx: Ctx) -> dict[str, Any]:
    """Start ``POST /api/scenarios/compare`` in the background."""
    return ctx.start_job("compare", compare_work(ctx, req))


@router.post("/impact", status_code=202, response_model=Job, responses=ERRORS,
             summary="Trade impact as a job")  # fmt: skip
async def impact_job(req: ImpactRequest, ctx: Ctx) -> dict[str, Any]:
    """Start ``POST /api/impact`` in the background (up to the draws cap)."""
    check_impact(ctx, req, time_limit_s=ctx.limits.job_timeout_s)
    return ctx.start_job("impact", impact_work(ctx, req))


@router.post("/matrix", status_code=202, response_model=Job, responses=ERRORS,
             summary="Travel-time matrix as a job")  # fmt: skip
async def matrix_job(req: MatrixRequest, ctx: Ctx) -> dict[str, Any]:
    """Start ``POST /api/matrix`` in the background."""
    check_matrix(ctx, req)
    return ctx.start_job("matrix", matrix_work(ctx, req))


@router.get("/{job_id}", response_model=Job, responses=NOT_FOUND, summary="A job's status")
def job(job_id: JobId, ctx: Ctx) -> dict[str, Any]:
    """Return a job's status, elapsed time and, once done, its ``result_url``."""
    return ctx.jobs().get(job_id)


@router.get("/{job_id}/result", responses=NOT_FOUND, summary="A finished job's result")
def job_result(job_id: JobId, ctx: Ctx) -> Any:
    """Return the result of a finished job (the synchronous endpoint's answer)."""
    return ctx.jobs().result(job_id)
