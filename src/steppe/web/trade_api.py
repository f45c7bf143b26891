"""Trade statistics: turnover, series, composition, mirror gaps and partner shares.

Thin wrappers of ``steppe.trade``.  Values are in the currency of the source (Kazakhstan's
statistics: USD) unless ``currency`` asks for a conversion; each answer names its
currency and its source datasets.  Queries to the one DuckDB store run one at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query

from steppe import trade
from steppe.web._context import WebContext, context
from steppe.web.limits import check_periods
from steppe.web.schemas import ErrorBody

__all__ = ["router"]

router = APIRouter(prefix="/api/trade", tags=["trade"])
Ctx = Annotated[WebContext, Depends(context)]

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "Unknown country."},
    422: {"model": ErrorBody, "description": "Bad period, or the data do not cover it."},
    503: {"model": ErrorBody, "description": "Busy, or the computation timed out."},
}

Country = Annotated[str, Query(min_length=2, max_length=60, description="Name, ISO code or group.")]
Period = Annotated[
    str,
    Query(
        min_length=4,
        max_length=30,
        pattern=r"^[0-9Qq.\- ]+$",
        description="2023, 2023-Q1, 2024-03 or 2024-01..2024-08.",
    ),
]
Currency = Annotated[
    str | None, Query(max_length=3, pattern=r"^[A-Za-z]{3}$", description="Convert to USD or EUR.")
]


async def _call(ctx: WebContext, name: str, what: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    func: Callable[..., Any] = getattr(trade, name)

    def work() -> dict[str, Any]:
        store = ctx.trade_store()
        with ctx.trade_lock:
            out: dict[str, Any] = func(store, *args, **kwargs).to_dict()
        return out

    return await ctx.run(work, what)


@router.get("/turnover", responses=ERRORS, summary="Turnover and growth")
async def turnover(
    ctx: Ctx,
    reporter: Country = "KAZ",
    partner: Country = "MNG",
    period: Period = "2023",
    currency: Currency = None,
) -> dict[str, Any]:
    """Return exports, imports and turnover of a reporter with a partner, and the growth."""
    check_periods(ctx.limits, period)
    return await _call(
        ctx, "turnover", "the turnover", reporter, partner, period, currency=currency
    )


@router.get("/series", responses=ERRORS, summary="Turnover by year or month")
async def series(
    ctx: Ctx,
    *,
    reporter: Country = "KAZ",
    partner: Country = "MNG",
    start: Period = "2018",
    end: Period = "2023",
    currency: Currency = None,
) -> dict[str, Any]:
    """Return exports, imports and turnover by year (two years) or month (two months)."""
    check_periods(ctx.limits, start, end)
    return await _call(
        ctx, "series", "the series", reporter, partner, start, end, currency=currency
    )


@router.get("/composition", responses=ERRORS, summary="Top commodities")
async def composition(
    ctx: Ctx,
    *,
    reporter: Country = "KAZ",
    partner: Country = "MNG",
    period: Period = "2023",
    level: Literal["section", "chapter", "heading"] = "section",
    top: Annotated[int, Query(ge=1, le=50)] = 10,
    currency: Currency = None,
) -> dict[str, Any]:
    """Return the top commodities of the reporter's exports to and imports from the partner."""
    check_periods(ctx.limits, period)
    return await _call(
        ctx,
        "composition",
        "the composition",
        reporter,
        partner,
        period,
        level=level,
        top=top,
        currency=currency,
    )


@router.get("/mirror", responses=ERRORS, summary="Mirror statistics gaps")
async def mirror(
    ctx: Ctx,
    a: Country = "KAZ",
    b: Country = "MNG",
    period: Period = "2023",
    currency: Currency = None,
) -> dict[str, Any]:
    """Compare what each country reports exporting with what the other reports importing."""
    check_periods(ctx.limits, period)
    return await _call(ctx, "mirror", "the mirror comparison", a, b, period, currency=currency)


@router.get("/shares", responses=ERRORS, summary="Partner shares")
async def shares(  # noqa: PLR0917
    ctx: Ctx,
    country: Country = "KAZ",
    period: Period = "2023",
    top: Annotated[int, Query(ge=1, le=250)] = 15,
    basis: Annotated[
        Literal["world", "listed"],
        Query(description="world: shares of the World total; listed: of the listed partners."),
    ] = "world",
    currency: Currency = None,
) -> dict[str, Any]:
    """Return each partner's share of a country's exports, imports and turnover."""
    check_periods(ctx.limits, period)
    return await _call(
        ctx,
        "shares",
        "the partner shares",
        country,
        period,
        top=top,
        basis=basis,
        currency=currency,
    )
