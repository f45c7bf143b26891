"""Appraise many scenarios over one demand, here or on a dask cluster.

Each scenario is applied to the baseline and appraised on its own (not stacked) by
:func:`steppe._distributed.map_tasks`: the calls run one after the other here, or spread
over the workers of a dask.distributed scheduler, with the same results in the same
order.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path

from steppe._distributed import map_tasks
from steppe.appraisal.appraise import Appraisal, appraise
from steppe.appraisal.demand import Demand
from steppe.appraisal.flows import FlowSettings
from steppe.appraisal.parameters import AppraisalSettings
from steppe.network.model import Network
from steppe.routing.options import RouteOptions

__all__ = ["appraise_many"]


def _one(
    scenario: str | Path,
    *,
    baseline: Network,
    demand: Demand,
    settings: AppraisalSettings,
    options: RouteOptions | None,
    flows: FlowSettings | None,
) -> Appraisal:
    from steppe.scenarios import load_scenarios

    return appraise(baseline, load_scenarios([scenario], baseline), demand, settings, options,
                    flows=flows)  # fmt: skip


def appraise_many(
    baseline: Network,
    scenarios: Sequence[str | Path],
    demand: Demand,
    settings: AppraisalSettings,
    options: RouteOptions | None = None,
    *,
    flows: FlowSettings | None = None,
    scheduler: str | None = None,
) -> list[Appraisal]:
    """Appraise each scenario on its own; one :class:`Appraisal` per scenario, in order.

    Parameters
    ----------
    baseline, demand, settings, options, flows
        As for :func:`steppe.appraisal.appraise`.
    scenarios
        Bundled scenario names or scenario files.
    scheduler
        A dask.distributed scheduler address (``tcp://host:8786``); ``None`` runs here.

    Examples
    --------
    >>> import steppe
    >>> from steppe.appraisal import AppraisalSettings, demand_from
    >>> net = steppe.load_network()
    >>> runs = appraise_many(net, ["oskemen-ridder-tuyekta"], demand_from(net, year=2023),
    ...                      AppraisalSettings(capex_usd=275e6, draws=0))
    >>> [round(r.bcr, 3) < 1 for r in runs]
    [True]
    """
    fn = partial(_one, baseline=baseline, demand=demand, settings=settings, options=options,
                 flows=flows)  # fmt: skip
    return map_tasks(fn, list(scenarios), scheduler=scheduler)
