"""A time limit that long computations check in their loops, so that abandoned work stops.

Python cannot stop a thread from outside; a computation can only stop itself.  A
:class:`Deadline` is a frozen point in time.  The caller that owns the time limit (the web
app, a script) makes it current with ``with deadline_scope(deadline):``; the expensive loops (Pareto
labels, Monte Carlo draws, matrix rows, the GE iterations, scenario comparisons) call
:func:`check_deadline`, which raises :class:`DeadlineExceededError` once the current
deadline has passed and costs one clock read otherwise.  Outside any ``with`` block there
is no deadline and :func:`check_deadline` does nothing, so library calls behave as before.

The current deadline lives in a :class:`contextvars.ContextVar`: it is per thread and per
asyncio task, is copied into ``asyncio.to_thread`` workers, and no signature of the
routing or gravity functions has to carry it.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from steppe.errors import SteppeError

__all__ = [
    "Deadline",
    "DeadlineExceededError",
    "check_deadline",
    "current_deadline",
    "deadline_scope",
]

_CURRENT: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar(
    "steppe_deadline", default=None
)


class DeadlineExceededError(TimeoutError, SteppeError):
    """A computation passed its deadline and stopped."""


@dataclass(frozen=True, slots=True)
class Deadline:
    """A point in time (``time.monotonic()`` seconds) after which work should stop.

    Parameters
    ----------
    at
        Monotonic clock time of the deadline.
    what
        Words for the error message, e.g. ``"the route"``.

    Examples
    --------
    >>> d = Deadline.after(60, what="a sum")
    >>> d.remaining() > 59
    True
    >>> with deadline_scope(Deadline.after(0, what="a sum")):
    ...     check_deadline()
    Traceback (most recent call last):
    ...
    steppe._deadline.DeadlineExceededError: a sum passed its time limit and stopped
    """

    at: float
    what: str = "the computation"

    @classmethod
    def after(cls, seconds: float, *, what: str = "the computation") -> Deadline:
        """Return the deadline ``seconds`` from now."""
        return cls(time.monotonic() + seconds, what)

    def remaining(self) -> float:
        """Return the seconds left (negative once passed)."""
        return self.at - time.monotonic()

    def expired(self) -> bool:
        """Return whether the deadline has passed."""
        return time.monotonic() >= self.at

    def check(self) -> None:
        """Raise :class:`DeadlineExceededError` if the deadline has passed."""
        if time.monotonic() >= self.at:
            raise DeadlineExceededError(f"{self.what} passed its time limit and stopped")


@contextmanager
def deadline_scope(deadline: Deadline | None) -> Iterator[Deadline | None]:
    """Make ``deadline`` current inside the ``with`` block (``None``: leave things as they are).

    A nested, later deadline never extends an outer, earlier one.

    Examples
    --------
    >>> with deadline_scope(Deadline.after(60)) as d:
    ...     current_deadline() is d
    True
    """
    current = _CURRENT.get()
    if deadline is None or (current is not None and current.at <= deadline.at):
        yield current
        return
    token = _CURRENT.set(deadline)
    try:
        yield deadline
    finally:
        _CURRENT.reset(token)


def current_deadline() -> Deadline | None:
    """Return the deadline in force in this thread or task, if any.

    Examples
    --------
    >>> current_deadline() is None
    True
    """
    return _CURRENT.get()


def check_deadline() -> None:
    """Raise :class:`DeadlineExceededError` if the current deadline has passed.

    Called in the loops of long computations; without a current deadline it does nothing.

    Examples
    --------
    >>> check_deadline()  # no deadline in force
    """
    current = _CURRENT.get()
    if current is not None:
        current.check()
