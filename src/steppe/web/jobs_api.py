"""The job API: long computations (comparisons, impact, large matrices) in the background.

``POST /api/jobs`` takes the body of the synchronous endpoint plus ``kind`` (``compare``,
``impact`` or ``matrix``), checks it against the limits at once (a bad request is a 4xx
now, not a failed job later) and answers 202 with the job record; ``GET /api/jobs/{id}``
gives its status and, once it is done, ``result_url``; ``GET /api/jobs/{id}/result``
gives the result.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path
from pydantic import Field

from steppe.web._context import WebContext, context
from steppe.web.impact_api import ImpactRequest, check_impact, impact_work
from steppe.web.routes_api import check_matrix, matrix_work
from steppe.web.scenarios_api import CompareRequest, compare_work
from steppe.web.schemas import ErrorBody, MatrixRequest, _Response

__all__ = ["CompareJob", "ImpactJob", "Job", "JobRequest", "MatrixJob", "router"]

router = APIRouter(prefix="/api/jobs", tags=["jobs"])
Ctx = Annotated[WebContext, Depends(context)]
JobId = Annotated[
    str, Path(pattern=r"^[0-9a-f]{32}$", description="The id answered by POST /api/jobs.")
]

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "Unknown place or country."},
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
    progress: float = Field(description="Share done, 0..1 (impact: draws done; else 0 until done)")
    status_url: str
    result_url: str | None = Field(description="Set once the job is done.")
    error: dict[str, Any] | None = Field(description='{"type", "message"} if failed.')


class CompareJob(CompareRequest):
    """A scenario comparison job: the body of ``POST /api/scenarios/compare``."""

    kind: Literal["compare"]


class ImpactJob(ImpactRequest):
    """A trade impact job: the body of ``POST /api/impact``."""

    kind: Literal["impact"]


class MatrixJob(MatrixRequest):
    """A travel-time matrix job: the body of ``POST /api/matrix``."""

    kind: Literal["matrix"]


JobRequest = Annotated[CompareJob | ImpactJob | MatrixJob, Field(discriminator="kind")]


@router.post("", status_code=202, response_model=Job, responses=ERRORS, summary="Start a job")
async def start_job(req: JobRequest, ctx: Ctx) -> dict[str, Any]:
    """Start a comparison, an impact (up to the draws cap) or a matrix in the background.

    Answers at once with the job's record; poll ``status_url`` until ``status`` is
    ``done`` (then fetch ``result_url``) or ``failed`` (then ``error`` says why).
    """
    if isinstance(req, CompareJob):
        req.check()  # refuse an unknown name or a bad upload now, not in a failed job
        return ctx.start_job("compare", compare_work(ctx, req))
    if isinstance(req, ImpactJob):
        check_impact(ctx, req, time_limit_s=ctx.limits.job_timeout_s)
        return ctx.start_job("impact", impact_work(ctx, req))
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
