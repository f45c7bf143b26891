"""Run one function over many inputs, here or on a dask.distributed cluster.

The Monte Carlo of :mod:`steppe.gravity.impact`, the scenario sweeps of
:mod:`steppe.scenarios.sweep` and the appraisal draws all call :func:`map_tasks`, so
the local and the cluster paths share one per-item function and give the same
results: only where the calls run changes.  ``distributed`` is imported only when a
scheduler address is given (the ``dist`` extra).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from steppe._progress import report_progress
from steppe.errors import ConfigError, MissingExtraError

__all__ = ["local_scheduler", "map_tasks"]

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

#: How long to wait for a scheduler before giving up (dask's own default is 30 s).
CONNECT_TIMEOUT = "10s"


def map_tasks(fn: Callable[[T], R], items: Sequence[T], *, scheduler: str | None = None) -> list[R]:
    """Return ``[fn(item) for item in items]``, computed here or on a dask cluster.

    Without a scheduler the calls run one after the other in this process. With
    one, ``fn`` is sent to each worker once (so a large baseline bound into it with
    :func:`functools.partial` crosses the network once per worker, not once per
    item) and the items are spread over the workers. Either way the results come
    back in the order of ``items`` and progress is reported through
    :func:`steppe._progress.report_progress`. An exception raised by ``fn`` on a
    worker is raised here unchanged.

    Parameters
    ----------
    fn
        The function to call on each item; must be picklable (a module-level
        function or a :func:`functools.partial` of one) to run on a cluster.
    items
        The inputs, one call each.
    scheduler
        Address of a dask.distributed scheduler, e.g. ``tcp://10.0.0.5:8786``
        (started with ``dask scheduler``); ``None`` runs everything here.

    Returns
    -------
    list
        One result per item, in the order of ``items``.

    Raises
    ------
    ConfigError
        The scheduler address is malformed or cannot be reached.
    MissingExtraError
        A scheduler is given but ``distributed`` is not installed.

    Examples
    --------
    >>> map_tasks(abs, [-2, 3, -5])
    [2, 3, 5]
    """
    todo = list(items)
    if scheduler is None:
        results: list[R] = []
        for done, item in enumerate(todo, start=1):
            results.append(fn(item))
            report_progress(done, len(todo))
        return results
    if not todo:
        return []
    return _map_on_cluster(fn, todo, scheduler)


@contextmanager
def local_scheduler(workers: int) -> Iterator[str]:
    """Start a dask cluster of ``workers`` processes on this machine; yield its address.

    For running :func:`map_tasks` on several local cores with the very code path a
    remote cluster uses; the cluster stops when the ``with`` block ends.

    Parameters
    ----------
    workers
        Number of worker processes (one thread each), >= 1.

    Raises
    ------
    ConfigError
        ``workers`` < 1.
    MissingExtraError
        ``distributed`` is not installed.
    """
    if workers < 1:
        raise ConfigError(f"workers: must be >= 1, got {workers}", parameter="workers")
    try:
        from distributed import LocalCluster
    except ImportError as exc:
        raise MissingExtraError("distributed", "dist") from exc
    with LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,  # not dask's shutdown chatter on the user's terminal
    ) as cluster:
        yield str(cluster.scheduler_address)


def _apply(item: Any, fn: Callable[[Any], Any]) -> Any:
    """Call ``fn`` on ``item`` (runs on a worker, with ``fn`` scattered beforehand)."""
    return fn(item)


def _map_on_cluster(fn: Callable[[T], R], items: list[T], scheduler: str) -> list[R]:
    try:
        from distributed import Client, as_completed
    except ImportError as exc:
        raise MissingExtraError("distributed", "dist") from exc
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as exc:
        raise ConfigError(
            f"cannot reach the dask scheduler at {scheduler}: {exc}; "
            "start one with `dask scheduler` and at least one `dask worker <address>`, "
            "or give no scheduler to run here"
        ) from exc
    with client:
        logger.info("running %d tasks on %s", len(items), scheduler)
        [shared_fn] = client.scatter([fn], broadcast=True, hash=False)  # type: ignore[no-untyped-call]
        futures = client.map(_apply, items, fn=shared_fn, pure=False)
        for done, _ in enumerate(as_completed(futures), start=1):  # type: ignore[no-untyped-call]
            report_progress(done, len(items))
        return [f.result() for f in futures]
