"""map_tasks: the same results here and on a dask cluster, one clear error when unreachable."""

from __future__ import annotations

import functools

import pytest

from steppe._distributed import map_tasks
from steppe._progress import progress_scope
from steppe.errors import ConfigError, ScenarioError


def _affine(x: int, *, scale: int, shift: int) -> int:
    return scale * x + shift


def _refuse(x: int) -> int:
    if x == 3:
        raise ScenarioError(f"item {x} is bad")
    return x


def test_local_map_keeps_order_and_reports_progress() -> None:
    seen: list[float] = []
    with progress_scope(seen.append):
        out = map_tasks(functools.partial(_affine, scale=3, shift=1), [4, 1, 2])
    assert out == [13, 4, 7]
    assert seen == pytest.approx([1 / 3, 2 / 3, 1.0])


def test_empty_input_gives_an_empty_list_without_contacting_the_scheduler() -> None:
    assert map_tasks(abs, [], scheduler="tcp://127.0.0.1:1") == []


def test_cluster_gives_the_local_result_in_order() -> None:
    import distributed

    fn = functools.partial(_affine, scale=-2, shift=7)
    items = list(range(25))
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        seen: list[float] = []
        with progress_scope(seen.append):
            remote = map_tasks(fn, items, scheduler=cluster.scheduler_address)
    assert remote == [fn(i) for i in items] == map_tasks(fn, items)
    assert seen[-1] == 1.0


def test_an_error_raised_on_a_worker_is_raised_here() -> None:
    import distributed

    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        pytest.raises(ScenarioError, match="item 3 is bad"),
    ):
        map_tasks(_refuse, [1, 2, 3], scheduler=cluster.scheduler_address)


def test_malformed_address_is_one_clear_error() -> None:
    with pytest.raises(ConfigError, match=r"cannot reach the dask scheduler at nonsense"):
        map_tasks(abs, [1], scheduler="nonsense")


def test_unreachable_scheduler_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import distributed

    def unreachable(address: str, **_: object) -> None:
        # what Client raises once its connect timeout has passed, without waiting for it
        raise OSError(f"Timed out trying to connect to {address} after 10 s")

    monkeypatch.setattr(distributed, "Client", unreachable)
    with pytest.raises(ConfigError, match=r"at tcp://127\.0\.0\.1:1: Timed out.*dask scheduler"):
        map_tasks(abs, [1], scheduler="tcp://127.0.0.1:1")
