"""Progress of long computations, reported to whoever asked for it (a background job).

Like :mod:`steppe._deadline`, the listener lives in a context variable: the caller that
wants progress sets one with :func:`progress_scope`; loops call :func:`report_progress`,
which does nothing when nobody listens.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["progress_part", "progress_scope", "report_progress"]

_LISTENER: contextvars.ContextVar[Callable[[float], None] | None] = contextvars.ContextVar(
    "steppe_progress", default=None
)


@contextmanager
def progress_scope(listener: Callable[[float], None]) -> Iterator[None]:
    """Send the progress reported inside the ``with`` block (a fraction 0..1) to ``listener``.

    Examples
    --------
    >>> seen = []
    >>> with progress_scope(seen.append):
    ...     report_progress(1, 4)
    >>> seen
    [0.25]
    """
    token = _LISTENER.set(listener)
    try:
        yield
    finally:
        _LISTENER.reset(token)


@contextmanager
def progress_part(start: float, end: float) -> Iterator[None]:
    """Map the progress reported inside the ``with`` block to ``start..end`` of the outer one.

    A job made of steps (two shortest-path matrices, then draws) calls each step in its
    own part, so the listener sees one rising fraction; the part reports ``end`` when it
    finishes, even if the step inside reports nothing.

    Examples
    --------
    >>> seen = []
    >>> with progress_scope(seen.append):
    ...     with progress_part(0.0, 0.5):
    ...         report_progress(1, 2)
    ...     with progress_part(0.5, 1.0):
    ...         pass
    >>> seen
    [0.25, 0.5, 1.0]
    """
    outer = _LISTENER.get()
    if outer is None:
        yield
        return
    listener = outer
    token = _LISTENER.set(lambda fraction: listener(start + (end - start) * fraction))
    try:
        yield
    finally:
        _LISTENER.reset(token)
    listener(end)


def report_progress(done: int, total: int) -> None:
    """Report that ``done`` of ``total`` steps are finished (nothing without a listener).

    Examples
    --------
    >>> report_progress(1, 2)  # nobody listens
    """
    listener = _LISTENER.get()
    if listener is not None and total > 0:
        listener(min(max(done / total, 0.0), 1.0))
