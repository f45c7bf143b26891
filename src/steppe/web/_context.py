"""What every request handler needs: the network, the limits, the work queues, lazy stores.

One :class:`WebContext` per app, kept in ``app.state.steppe``.  Expensive things (the
trade store, the network GeoJSON) are built on first use, once, under a lock.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from fastapi import Request

from steppe._progress import progress_scope
from steppe.errors import SteppeError
from steppe.network.model import Network
from steppe.web.admission import WorkQueue
from steppe.web.jobs import JobStore
from steppe.web.limits import Limits, TooManyJobsError

logger = logging.getLogger(__name__)

__all__ = ["WebContext", "context"]

T = TypeVar("T")


class WebContext:
    """The per-app state shared by request handlers."""

    def __init__(
        self,
        network: Network,
        *,
        limits: Limits,
        trade_store: Any = None,
        network_label: str = "embedded",
        jobs_dir: str | Path | None = None,
    ) -> None:
        self.network = network
        self.limits = limits
        self.network_label = network_label
        self._trade_store = trade_store
        self._cache: dict[str, Any] = {}
        self._recent: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.RLock()  # a build may use another cached value
        self.trade_lock = threading.Lock()  # one DuckDB connection: one query at a time
        self.cheap = WorkQueue(
            "cheap work (routes, Pareto sets, reliability, small matrices, trade queries)",
            workers=limits.cheap_workers,
            queue=limits.cheap_queue,
        )
        self.expensive = WorkQueue(
            "expensive work (scenario comparisons, trade impact, large matrices, jobs)",
            workers=limits.expensive_workers,
            queue=limits.expensive_queue,
            nice=10,  # the cores go to routes first
        )
        self._jobs_dir = jobs_dir
        self._job_tasks: set[asyncio.Task[None]] = set()

    def cached(self, key: str, build: Callable[[], T]) -> T:
        """Return a value built once per app (thread-safe)."""
        with self._lock:
            if key not in self._cache:
                self._cache[key] = build()
            return self._cache[key]  # type: ignore[no-any-return]

    def cached_recent(self, key: str, build: Callable[[], T], *, keep: int) -> T:
        """Return a value built once, keeping only the ``keep`` most recently used such values.

        For values keyed by what a client sends (an uploaded scenario), so that memory
        stays bounded however many different ones arrive.
        """
        with self._lock:
            if key in self._recent:
                self._recent.move_to_end(key)
            else:
                self._recent[key] = build()
                while len(self._recent) > keep:
                    self._recent.popitem(last=False)
            return self._recent[key]  # type: ignore[no-any-return]

    def trade_store(self) -> Any:
        """Return the trade store given to the app, or the embedded one built on first use."""
        if self._trade_store is not None:
            return self._trade_store

        def build() -> Any:
            from steppe.trade import TradeStore

            return TradeStore()  # in memory, filled with the embedded data on first use

        return self.cached("trade_store", build)

    async def run(self, func: Callable[[], T], what: str, *, expensive: bool = False) -> T:
        """Run a blocking Python API call in the cheap or expensive queue, within the timeout."""
        queue = self.expensive if expensive else self.cheap
        return await queue.run(func, what=what, timeout_s=self.limits.timeout_s)

    def jobs(self) -> JobStore:
        """Return the job store (a private temporary folder unless one was given)."""
        return self.cached("jobs", lambda: JobStore(self._jobs_dir))

    def start_job(self, kind: str, func: Callable[[], Any]) -> dict[str, Any]:
        """Admit a background job, start it with the expensive work, return its record.

        Raises
        ------
        TooManyJobsError
            If ``max_jobs`` jobs of this process are queued or running.
        """
        active = sum(not t.done() for t in self._job_tasks)
        if active >= self.limits.max_jobs:
            raise TooManyJobsError(
                f"{active} background jobs are queued or running; the {kind} job was not "
                "started, try again later",
                retry_after=self.expensive.retry_after(),
            )
        store = self.jobs()
        store.expire(self.limits.job_ttl_s)
        job_id = store.create(kind)
        task = asyncio.get_running_loop().create_task(self._run_job(job_id, kind, func))
        self._job_tasks.add(task)
        task.add_done_callback(self._job_tasks.discard)
        return store.get(job_id)

    async def _run_job(self, job_id: str, kind: str, func: Callable[[], Any]) -> None:
        store = self.jobs()

        last = [0.0]

        def progress(fraction: float) -> None:
            now = time.monotonic()
            if now - last[0] >= 1.0:  # at most one record write a second
                last[0] = now
                store.progress(job_id, fraction)

        def work() -> Any:
            store.start(job_id)
            with progress_scope(progress):
                return func()

        from steppe.web.errors import error_body

        try:
            future = self.expensive.submit(
                work, what=f"the {kind} job", timeout_s=self.limits.job_timeout_s, force=True
            )
            result = await asyncio.wrap_future(future)
            store.finish(job_id, result)
        except SteppeError as exc:
            store.fail(job_id, error_body(exc)["error"])
        except Exception:
            logger.exception("job %s (%s) failed", job_id, kind)
            store.fail(
                job_id,
                {"type": "InternalError", "message": "internal error; see the server log"},
            )

    def close(self) -> None:
        """Stop the work queues (at shutdown)."""
        self.cheap.shutdown()
        self.expensive.shutdown()


def context(request: Request) -> WebContext:
    """Return the app's context (a FastAPI dependency)."""
    ctx = request.app.state.steppe
    if not isinstance(ctx, WebContext):  # pragma: no cover - set by create_app
        raise RuntimeError("app not created by steppe.web.create_app")
    return ctx
