"""Bounds on the work one web request may ask for, and the runner that enforces the time limit.

Every computation behind the API runs in a worker thread (so the event loop keeps serving
other requests), at most ``max_concurrent`` at once, and is abandoned after
``timeout_s`` seconds with a 503 answer.  Python cannot kill a thread: an abandoned
computation finishes in the background, which is why the size caps below come first.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from steppe.errors import ConfigError, SteppeError

__all__ = ["BusyError", "Limits", "RequestTimeoutError", "run_bounded"]

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Limits:
    """Caps on one request's work.

    Parameters
    ----------
    max_alternatives
        Most alternative routes per route request.
    max_via
        Most intermediate stops per route request.
    max_pareto_labels
        Most labels the Pareto search may keep (passed to ``steppe.routing.pareto``).
    max_matrix_cells
        Most origin x destination cells per matrix request.
    max_draws
        Most Monte Carlo draws per reliability request.
    max_places
        Most places per autocomplete answer.
    timeout_s
        Seconds after which a computation is abandoned with a 503 answer.
    max_concurrent
        Computations running at once; further requests wait for a free slot (within
        their timeout).

    Examples
    --------
    >>> Limits(max_draws=500).max_draws
    500
    """

    max_alternatives: int = 5
    max_via: int = 5
    max_pareto_labels: int = 200_000
    max_matrix_cells: int = 2_500
    max_draws: int = 5_000
    max_places: int = 50
    timeout_s: float = 30.0
    max_concurrent: int = 4

    def __post_init__(self) -> None:
        bad = [
            name
            for name in self.__slots__
            if not getattr(self, name) > 0  # also rejects NaN
        ]
        if bad:
            raise ConfigError(f"web limits must be > 0: {', '.join(bad)}")


class RequestTimeoutError(TimeoutError, SteppeError):
    """A computation took longer than the request timeout."""


class BusyError(RuntimeError, SteppeError):
    """No worker slot became free within the request timeout."""


async def run_bounded(
    func: Callable[[], T], *, limits: Limits, semaphore: asyncio.Semaphore, what: str
) -> T:
    """Run a blocking call in a worker thread within the request timeout.

    Parameters
    ----------
    func
        The call, without arguments (bind them with a lambda or ``functools.partial``).
    limits
        Gives the timeout.
    semaphore
        Bounds how many computations run at once (one per app).
    what
        Words for the error message, e.g. ``"the route"``.

    Returns
    -------
    Whatever ``func`` returns.

    Raises
    ------
    RequestTimeoutError
        If the call did not finish in time.
    BusyError
        If no worker slot became free in time.

    Examples
    --------
    >>> import asyncio
    >>> asyncio.run(run_bounded(lambda: 2 + 2, limits=Limits(),
    ...                         semaphore=asyncio.Semaphore(1), what="a sum"))
    4
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limits.timeout_s
    try:
        await asyncio.wait_for(semaphore.acquire(), timeout=limits.timeout_s)
    except TimeoutError:
        raise BusyError(
            f"the server is busy; could not start {what} within {limits.timeout_s:g} s, try again"
        ) from None
    try:
        remaining = max(deadline - loop.time(), 0.001)
        return await asyncio.wait_for(asyncio.to_thread(func), timeout=remaining)
    except TimeoutError:
        logger.warning("abandoned %s after %.1f s", what, limits.timeout_s)
        raise RequestTimeoutError(
            f"computing {what} took longer than {limits.timeout_s:g} s; "
            "ask for less (fewer alternatives, draws or places)"
        ) from None
    finally:
        semaphore.release()
