"""Admission control: bounded queues of worker threads, and a deadline on every computation.

Two :class:`WorkQueue` per app: one for cheap work (routes, Pareto sets, reliability,
small matrices, trade queries) and one for expensive work (scenario comparisons, trade
impact, large matrices, background jobs), so a burst of expensive requests never delays a
route.  A queue admits at most ``workers + queue`` requests; beyond that it answers at
once with :class:`~steppe.web.limits.BusyError` (503 with ``Retry-After``), naming the work
that is busy, not the request that was refused.

Every computation runs under a :class:`~steppe._deadline.Deadline`; the library's loops
check it and stop, so a timed-out request frees its thread within moments.  A slot is
counted as taken until its thread has really finished, so the caps bound the work in
progress, not only the requests being answered.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import math
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from steppe._deadline import Deadline, DeadlineExceededError, deadline_scope
from steppe.web.limits import BusyError, RequestTimeoutError

__all__ = ["WorkQueue"]

logger = logging.getLogger(__name__)

T = TypeVar("T")


def _lower_priority(nice: int) -> None:
    """Give this worker thread a lower CPU priority (Linux: nice is per thread)."""
    if nice and sys.platform == "linux":
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
        except OSError:  # pragma: no cover - not permitted here: keep the default
            logger.debug("could not lower the priority of a worker thread")


def _consume(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()  # the caller has had its answer; only mark the outcome as seen


class WorkQueue:
    """A fixed pool of worker threads with a bounded queue in front of it.

    Parameters
    ----------
    name
        What runs here, for messages: ``"cheap work (routes, ...)"``.
    workers
        Threads.
    queue
        Requests that may wait for a thread beyond those running.
    nice
        How much to lower the threads' CPU priority (Linux ``nice``, 0-19), so that the
        operating system runs cheap work first when the cores are busy.

    Examples
    --------
    >>> import asyncio
    >>> q = WorkQueue("sums", workers=1, queue=1)
    >>> asyncio.run(q.run(lambda: 2 + 2, what="a sum", timeout_s=5))
    4
    >>> q.shutdown()
    """

    def __init__(self, name: str, *, workers: int, queue: int, nice: int = 0) -> None:
        self.name = name
        self.workers = workers
        self.capacity = workers + queue
        self._executor = ThreadPoolExecutor(
            workers, thread_name_prefix="steppe-web", initializer=_lower_priority, initargs=(nice,)
        )
        self._lock = threading.Lock()
        self._in_flight = 0
        self._mean_s = 1.0  # running mean of run times, for Retry-After

    @property
    def in_flight(self) -> int:
        """Return the computations admitted and not yet finished (running or waiting)."""
        with self._lock:
            return self._in_flight

    def retry_after(self) -> int:
        """Return seconds until a slot is likely free (for ``Retry-After``)."""
        with self._lock:
            waves = max(self._in_flight - self.workers + 1, 1) / self.workers
            return max(1, min(math.ceil(waves * self._mean_s), 600))

    def _admit(self, what: str, *, force: bool) -> None:
        with self._lock:
            full = not force and self._in_flight >= self.capacity
            if not full:
                self._in_flight += 1
                return
        raise BusyError(
            f"the server is busy with {self.name}: {self.capacity} requests in progress "
            f"or waiting; {what} was not started, try again shortly",
            retry_after=self.retry_after(),
        )

    def _done(self, started: float) -> None:
        with self._lock:
            self._in_flight -= 1
            self._mean_s = 0.8 * self._mean_s + 0.2 * (time.monotonic() - started)

    def submit(
        self, func: Callable[[], T], *, what: str, timeout_s: float, force: bool = False
    ) -> Future[T]:
        """Admit and start ``func`` under a deadline; return its future.

        ``force`` admits beyond the queue's capacity (background jobs, which have a
        cap of their own); the work still counts as in flight.

        Raises
        ------
        BusyError
            If the queue is full.
        """
        return self._submit(func, what, timeout_s, force, threading.Event())

    def _submit(
        self,
        func: Callable[[], T],
        what: str,
        timeout_s: float,
        force: bool,
        started: threading.Event,
    ) -> Future[T]:
        self._admit(what, force=force)
        deadline = Deadline.after(timeout_s, what=what)
        context = contextvars.copy_context()
        admitted = time.monotonic()

        def call() -> T:
            deadline.check()  # waited in the queue past its time: do not start
            started.set()
            with deadline_scope(deadline):
                return func()

        try:
            future = self._executor.submit(context.run, call)
        except BaseException:
            self._done(admitted)
            raise
        future.add_done_callback(lambda _: self._done(admitted))
        return future

    async def run(self, func: Callable[[], T], *, what: str, timeout_s: float) -> T:
        """Run a blocking call in a worker thread within ``timeout_s`` seconds.

        Raises
        ------
        BusyError
            If the queue is full, or no thread became free in time (nothing was started).
        RequestTimeoutError
            If the call did not finish in time; it stops at its next deadline check.
        """
        started = threading.Event()
        wrapped = asyncio.wrap_future(self._submit(func, what, timeout_s, False, started))
        try:
            return await asyncio.wait_for(asyncio.shield(wrapped), timeout_s)
        except (TimeoutError, DeadlineExceededError):
            wrapped.add_done_callback(_consume)
            if not started.is_set():
                raise BusyError(
                    f"the server is busy with {self.name}; {what} waited {timeout_s:g} s "
                    "for a free thread and was not started, try again shortly",
                    retry_after=self.retry_after(),
                ) from None
            logger.warning("stopped %s after %.1f s", what, timeout_s)
            raise RequestTimeoutError(
                f"computing {what} took longer than {timeout_s:g} s and was stopped; "
                "ask for less (fewer alternatives, draws or places) or use the job API"
            ) from None

    def shutdown(self) -> None:
        """Stop taking work; running computations end at their deadlines."""
        self._executor.shutdown(wait=False, cancel_futures=True)
