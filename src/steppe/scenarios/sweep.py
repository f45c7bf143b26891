"""Compare many scenarios with one baseline, here or on a dask cluster.

A sweep runs :func:`steppe.scenarios.compare.compare` once per scenario (or stack of
scenarios) over the same place pairs and collects the results in one long table, a
``scenario`` column in front.  The comparisons are independent, so they are spread
with :func:`steppe._distributed.map_tasks`: one after the other in this process, over
local worker processes (``workers``), or on a dask.distributed cluster (``scheduler``)
— the same per-scenario function each way, so the results are the same.  The baseline
network is sent to each worker once; scenarios are read here (so a bad name or file is
refused before any work) and applied on the workers.
"""

from __future__ import annotations

import functools
import io
import logging
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from steppe._distributed import local_scheduler, map_tasks
from steppe.errors import ConfigError, MissingExtraError
from steppe.scenarios.apply import apply_scenarios
from steppe.scenarios.bundled import resolve_scenario
from steppe.scenarios.compare import compare

if TYPE_CHECKING:
    from steppe.network.model import Network
    from steppe.routing import RouteOptions
    from steppe.scenarios.io import Scenario

__all__ = ["ScenarioOutcome", "Sweep", "sweep", "sweep_file_format"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ScenarioOutcome:
    """One scenario's comparison with the baseline, without its networks.

    ``summary`` is :meth:`Comparison.summary`; ``pairs`` the comparison's pair table
    (:class:`~steppe.scenarios.compare.Comparison`).
    """

    scenario: str
    title: str
    summary: dict[str, Any]
    pairs: pd.DataFrame


@dataclass(frozen=True, slots=True)
class Sweep:
    """The comparisons of a sweep, in the order the scenarios were given."""

    objective: str
    outcomes: tuple[ScenarioOutcome, ...]
    price_date: str | None = None

    def summary(self) -> pd.DataFrame:
        """Return one row per scenario: ``scenario, title`` and the summary numbers."""
        return pd.DataFrame(
            [{"scenario": o.scenario, "title": o.title, **o.summary} for o in self.outcomes]
        )

    def pairs(self) -> pd.DataFrame:
        """Return every scenario's pair table stacked, with a ``scenario`` column first."""
        frames = [o.pairs.assign(scenario=o.scenario) for o in self.outcomes]
        table = pd.concat(frames, ignore_index=True)
        return table[["scenario", *[c for c in table.columns if c != "scenario"]]]

    def to_dict(self) -> dict[str, Any]:
        """Return the sweep as JSON-ready data (documented in ``docs/scenarios.md``)."""
        rows = self.summary().astype(object)
        rows = rows.where(rows.notna(), None)
        return {
            "objective": self.objective,
            "price_date": self.price_date,
            "scenarios": rows.to_dict(orient="records"),
        }

    def write(self, path: str | Path) -> Path:
        """Write :meth:`pairs` to a ``.csv`` or ``.parquet`` file, all at once.

        Raises
        ------
        ConfigError
            Another suffix.
        MissingExtraError
            Parquet without pyarrow.
        """
        path = Path(path)
        suffix = sweep_file_format(path)
        table = self.pairs()
        if suffix == ".csv":
            data: bytes = table.to_csv(index=False).encode("utf-8")
        else:
            buffer = io.BytesIO()
            try:
                table.to_parquet(buffer, index=False)
            except ImportError as exc:
                raise MissingExtraError("pyarrow", "io") from exc
            data = buffer.getvalue()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
        return path


def sweep_file_format(path: str | Path) -> str:
    """Return the suffix :meth:`Sweep.write` uses (``.csv`` or ``.parquet``), or refuse.

    Examples
    --------
    >>> sweep_file_format("out/sweep.parquet")
    '.parquet'
    """
    suffix = Path(path).suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise ConfigError(
            f"path: cannot write {Path(path).name}: use a .csv or .parquet file name",
            parameter="path",
        )
    return suffix


def _compare_one(
    stack: tuple[Scenario, ...],
    *,
    network: Network,
    options: RouteOptions,
    pairs: Sequence[tuple[str, str]] | None,
    countries: Sequence[str] | None,
    demand: pd.DataFrame | None,
) -> ScenarioOutcome:
    """Apply one stack of scenarios and compare it with the baseline (runs on a worker)."""
    applied = apply_scenarios(network, list(stack), cost_model=options.cost_model)
    result = compare(network, applied, options, pairs=pairs, countries=countries, demand=demand)
    return ScenarioOutcome(applied.name, applied.title, result.summary(), result.pairs)


def sweep(
    scenarios: Sequence[str | Path | Sequence[str | Path]],
    network: Network | None = None,
    options: RouteOptions | None = None,
    *,
    pairs: Sequence[tuple[str, str]] | None = None,
    countries: Iterable[str] | None = None,
    demand: pd.DataFrame | None = None,
    scheduler: str | None = None,
    workers: int = 1,
    **keywords: Any,
) -> Sweep:
    """Compare each of several scenarios with the baseline over the same place pairs.

    Parameters
    ----------
    scenarios
        Bundled names or scenario files; an item that is itself a list is a stack,
        applied in order and compared as one.
    network
        The baseline network; the embedded one by default.
    options, pairs, countries, demand, **keywords
        As for :func:`steppe.scenarios.compare.compare`, the same for every scenario.
    scheduler
        Address of a dask.distributed scheduler (``tcp://host:8786``) to run the
        comparisons on; the workers need steppe installed, nothing else.
    workers
        Without a scheduler: 1 runs the comparisons here one after the other; more
        starts that many local worker processes (needs the ``dist`` extra).

    Returns
    -------
    Sweep

    Raises
    ------
    ConfigError
        No scenarios, or both ``scheduler`` and ``workers`` > 1.
    ScenarioError
        An unknown scenario or a bad file, before any comparison runs.

    Examples
    --------
    >>> res = sweep(["zamiin-uud-2021", "russia-transit-closed"], countries=["MNG", "CHN"],
    ...             modes="road", optimize="time")
    >>> res.summary()["scenario"].tolist()
    ['zamiin-uud-2021', 'russia-transit-closed']
    """
    from steppe.network import load_network
    from steppe.routing import RouteOptions
    from steppe.routing.prices import resolve_price_date

    if not scenarios:
        raise ConfigError("scenarios: name at least one scenario", parameter="scenarios")
    if scheduler is not None and workers != 1:
        raise ConfigError(
            "workers: give either a scheduler or a number of local workers, not both",
            parameter="workers",
        )
    stacks = [
        tuple(resolve_scenario(s) for s in ([item] if isinstance(item, str | Path) else item))
        for item in scenarios
    ]
    if any(not stack for stack in stacks):
        raise ConfigError("scenarios: an empty stack of scenarios", parameter="scenarios")
    opts = RouteOptions.build(options, **keywords)
    base = network if network is not None else load_network()
    price_date = resolve_price_date(base.prices, opts.price_date)  # refuse a bad date first
    one = functools.partial(
        _compare_one,
        network=base,
        options=opts,
        pairs=list(pairs) if pairs is not None else None,
        countries=list(countries) if countries is not None else None,
        demand=demand,
    )
    local = local_scheduler(workers) if scheduler is None and workers > 1 else nullcontext(None)
    with local as address:
        where = scheduler or address
        log.info("sweeping %d scenarios %s", len(stacks), f"on {where}" if where else "here")
        outcomes = map_tasks(one, stacks, scheduler=where)
    return Sweep(objective=opts.objective.value, outcomes=tuple(outcomes), price_date=price_date)
