"""What every request handler needs: the network, the limits, the worker slots, lazy stores.

One :class:`WebContext` per app, kept in ``app.state.steppe``.  Expensive things (the
trade store, the network GeoJSON) are built on first use, once, under a lock.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Request

from steppe.network.model import Network
from steppe.web.limits import Limits, run_bounded

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
    ) -> None:
        self.network = network
        self.limits = limits
        self.network_label = network_label
        self._trade_store = trade_store
        self._cache: dict[str, Any] = {}
        self._lock = threading.Lock()
        self.trade_lock = threading.Lock()  # one DuckDB connection: one query at a time
        self._slots: tuple[asyncio.AbstractEventLoop, asyncio.Semaphore] | None = None

    def cached(self, key: str, build: Callable[[], T]) -> T:
        """Return a value built once per app (thread-safe)."""
        with self._lock:
            if key not in self._cache:
                self._cache[key] = build()
            return self._cache[key]  # type: ignore[no-any-return]

    def trade_store(self) -> Any:
        """Return the trade store given to the app, or the embedded one built on first use."""
        if self._trade_store is not None:
            return self._trade_store

        def build() -> Any:
            from steppe.trade import TradeStore

            return TradeStore()  # in memory, filled with the embedded data on first use

        return self.cached("trade_store", build)

    async def run(self, func: Callable[[], T], what: str) -> T:
        """Run a blocking Python API call within this app's limits."""
        loop = asyncio.get_running_loop()
        if self._slots is None or self._slots[0] is not loop:  # one semaphore per event loop
            self._slots = (loop, asyncio.Semaphore(self.limits.max_concurrent))
        return await run_bounded(func, limits=self.limits, semaphore=self._slots[1], what=what)


def context(request: Request) -> WebContext:
    """Return the app's context (a FastAPI dependency)."""
    ctx = request.app.state.steppe
    if not isinstance(ctx, WebContext):  # pragma: no cover - set by create_app
        raise RuntimeError("app not created by steppe.web.create_app")
    return ctx
