"""Bounds on the work one web request may ask for: the one place every limit is defined.

:class:`Limits` holds every cap and time limit; the request handlers check against it,
``GET /api/limits`` serves it, and the OpenAPI document takes its maxima from it
(:data:`SCHEMA_BOUNDS`, applied by :func:`steppe.web.app.create_app`), so the three never
disagree.  How the work is queued and stopped is in :mod:`steppe.web.admission`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, fields
from typing import Any

from steppe._deadline import DeadlineExceededError
from steppe.errors import ConfigError, SteppeError

__all__ = [
    "NAME_MAX_CHARS",
    "SCHEMA_BOUNDS",
    "BusyError",
    "Limits",
    "RequestTimeoutError",
    "TooManyJobsError",
    "check_options",
    "check_periods",
]

NAME_MAX_CHARS = 100
"""Longest place, country or scenario name accepted in a request."""


@dataclass(frozen=True, slots=True)
class Limits:
    """Caps on one request's work, and the sizes of the work queues.

    Every field is documented in its metadata (served at ``/api/limits``).  All must
    be > 0, except the queues, which may be 0 (no waiting: busy at once).

    Examples
    --------
    >>> Limits(max_draws=500).max_draws
    500
    >>> Limits().to_dict()["max_alternatives"]["value"]
    5
    """

    max_alternatives: int = field(
        default=5, metadata={"doc": "most routes per route or reliability request"}
    )
    max_via: int = field(default=5, metadata={"doc": "most intermediate stops per route request"})
    max_avoid: int = field(default=60, metadata={"doc": "most countries to avoid per request"})
    max_pareto_labels: int = field(
        default=200_000, metadata={"doc": "most labels the Pareto search may keep"}
    )
    max_matrix_places: int = field(
        default=500, metadata={"doc": "most origins, and most destinations, per matrix request"}
    )
    max_matrix_cells: int = field(
        default=2_500, metadata={"doc": "most origin x destination cells per matrix request"}
    )
    cheap_matrix_cells: int = field(
        default=100,
        metadata={"doc": "matrices up to this many cells run with the cheap work, larger ones "
                  "with the expensive work"},
    )  # fmt: skip
    max_draws: int = field(
        default=5_000, metadata={"doc": "most Monte Carlo draws per reliability or impact request"}
    )
    max_places: int = field(default=50, metadata={"doc": "most places per autocomplete answer"})
    max_period_years: int = field(
        default=50,
        metadata={"doc": "longest trade period or series, in years; years run 1900-2100"},
    )
    max_body_bytes: int = field(
        default=64_000, metadata={"doc": "largest request body in bytes (413 above)"}
    )
    impact_base_s: float = field(
        default=5.0,
        metadata={"doc": "estimate: seconds of an impact request without draws (measured: "
                  "4.7 s for titr-2030 on the embedded network, 2-core machine, 2026-12)"},
    )  # fmt: skip
    impact_draw_s: float = field(
        default=0.03,
        metadata={"doc": "estimate: seconds per impact draw (measured: 0.030-0.036 s, same "
                  "run); impact requests whose estimate exceeds the time limit are refused "
                  "before they start"},
    )  # fmt: skip
    timeout_s: float = field(
        default=30.0, metadata={"doc": "seconds after which a request's computation stops (503)"}
    )
    job_timeout_s: float = field(
        default=900.0, metadata={"doc": "seconds after which a background job stops (failed)"}
    )
    cheap_workers: int = field(
        default=4, metadata={"doc": "threads for cheap work (routes, Pareto sets, small matrices)"}
    )
    cheap_queue: int = field(
        default=64, metadata={"doc": "cheap requests that may wait for a thread (503 beyond)"}
    )
    expensive_workers: int = field(
        default=1,
        metadata={"doc": "threads for expensive work (comparisons, impact, large matrices)"},
    )
    expensive_queue: int = field(
        default=4, metadata={"doc": "expensive requests that may wait for a thread (503 beyond)"}
    )
    max_jobs: int = field(
        default=16, metadata={"doc": "background jobs queued or running per process (429 beyond)"}
    )
    job_ttl_s: float = field(
        default=3600.0, metadata={"doc": "seconds a finished job's result is kept"}
    )

    def __post_init__(self) -> None:
        bad = []
        for f in fields(self):
            value = getattr(self, f.name)
            least = 0 if f.name.endswith("_queue") else 1e-9  # a queue may be empty
            if isinstance(value, bool) or not (math.isfinite(value) and value >= least):
                bad.append(f.name)
        if bad:
            raise ConfigError(f"web limits must be finite and > 0 (queues >= 0): {', '.join(bad)}")

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """Return every limit with its value and meaning (the ``/api/limits`` answer)."""
        return {
            f.name: {"value": getattr(self, f.name), "doc": f.metadata["doc"]} for f in fields(self)
        }

    def check(self, name: str, asked: int, what: str) -> None:
        """Raise :class:`ConfigError` if ``asked`` is over the limit ``name``.

        Examples
        --------
        >>> Limits().check("max_draws", 6000, "draws")
        Traceback (most recent call last):
        ...
        steppe.errors.ConfigError: at most 5000 draws per request, asked for 6000
        """
        cap = getattr(self, name)
        if asked > cap:
            raise ConfigError(f"at most {cap} {what} per request, asked for {asked}")


_YEAR = re.compile(r"(?<![0-9])[0-9]{4}(?![0-9])")


def check_periods(limits: Limits, *periods: str) -> None:
    """Refuse trade periods outside 1900-2100 or spanning more than ``max_period_years``.

    A pure size check on the query text, before the trade store is asked.

    Examples
    --------
    >>> check_periods(Limits(), "2018", "2024-01..2024-08")
    >>> check_periods(Limits(), "0001-01..9999-12")
    Traceback (most recent call last):
    ...
    steppe.errors.ConfigError: trade periods run from 1900 to 2100, got 0001-01..9999-12
    """
    years = [int(y) for p in periods for y in _YEAR.findall(p)]
    if any(not 1900 <= y <= 2100 for y in years):
        shown = " and ".join(p[:30] for p in periods)
        raise ConfigError(f"trade periods run from 1900 to 2100, got {shown}")
    if years and max(years) - min(years) + 1 > limits.max_period_years:
        raise ConfigError(
            f"at most {limits.max_period_years} years per trade request, "
            f"asked for {max(years) - min(years) + 1}"
        )


# (schema model, field) -> (Limits field, JSON-schema keyword): the OpenAPI maxima.
_ROUTING = ("RouteRequest", "ParetoRequest", "ReliabilityRequest")
_OPTIONS = (*_ROUTING, "MatrixRequest", "MatrixJob", "CompareRequest", "CompareJob")
SCHEMA_BOUNDS: dict[tuple[str, str], tuple[str, str]] = {
    ("RouteRequest", "alternatives"): ("max_alternatives", "maximum"),
    ("ReliabilityRequest", "alternatives"): ("max_alternatives", "maximum"),
    ("ReliabilityRequest", "draws"): ("max_draws", "maximum"),
    ("ImpactRequest", "draws"): ("max_draws", "maximum"),
    ("ImpactJob", "draws"): ("max_draws", "maximum"),
    **{(m, "via"): ("max_via", "maxItems") for m in _ROUTING},
    **{(m, "avoid"): ("max_avoid", "maxItems") for m in _OPTIONS},
    **{(m, "closed_transit"): ("max_avoid", "maxItems") for m in _OPTIONS},
    **{(m, f): ("max_matrix_places", "maxItems")
       for m in ("MatrixRequest", "MatrixJob") for f in ("origins", "destinations")},
}  # fmt: skip


def check_options(limits: Limits, req: Any) -> None:
    """Check a request's country lists (``avoid``, ``closed_transit``) against the limits."""
    limits.check("max_avoid", len(req.avoid), "countries to avoid")
    limits.check("max_avoid", len(req.closed_transit), "closed-transit countries")


class BusyError(RuntimeError, SteppeError):
    """A work queue is full; the request was not started.

    Parameters
    ----------
    message
        What is busy, in words.
    retry_after
        Seconds after which a retry may succeed (the ``Retry-After`` header).
    """

    def __init__(self, message: str, *, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TooManyJobsError(BusyError):
    """Too many background jobs are queued or running (429)."""


class RequestTimeoutError(DeadlineExceededError):
    """A computation took longer than the request timeout and was stopped."""
