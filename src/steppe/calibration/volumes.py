"""Published freight volumes against the baseline assignment: the ``volume`` rows.

A ``volume`` row gives the tonnes that went through a crossing or across a sea in its
``period``, both directions together (Trans-Caspian ferries, the Zamyn-Uud, Naushki,
Dostyk and Altynkol rail crossings).  The model figure is the load that the demand
steppe ships with — Kazakhstan's recorded trade, the latest year, placed by population
(:func:`steppe.appraisal.demand_from`) — puts on the network links of the row's modes that
join two of the row's places (origin, destination and ``via``), all or nothing by
generalized cost, scaled from a year to the row's period.  The comparison says how much of
the real traffic steppe's demand explains; transit (China–Europe trains) and the trade of
other countries are not in that demand, so a ratio far below 1 is expected and reported.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from steppe.calibration.measure import Measured, NetworkFor, log_error
from steppe.calibration.register import Observation

__all__ = ["VOLUME_DEMAND", "measure_volumes", "volume_links"]

#: What the model side of a volume row carries (shown in the report).
VOLUME_DEMAND = "Kazakhstan's trade (latest year), all-or-nothing"


def volume_links(obs: Observation, links: Iterable[Any]) -> list[str]:
    """Return the ids of the links a volume row counts: its modes, both ends among its places.

    Examples
    --------
    >>> import steppe
    >>> from steppe.calibration import read_observations
    >>> row = next(o for o in read_observations() if o.id == "titr_caspian_ports_2024")
    >>> volume_links(row, steppe.load_network().links)
    ['ferry-aktau-alat', 'ferry-kuryk-alat']
    """
    places = {obs.origin, obs.destination, *obs.via}
    modes = set(obs.modes)
    return [lk.id for lk in links if lk.a in places and lk.b in places and lk.mode.value in modes]


def _inside(obs: Observation, model: float) -> bool:
    lo = obs.low if obs.low is not None else -math.inf
    hi = obs.high if obs.high is not None else math.inf
    return lo * 0.995 <= model <= hi * 1.005


def measure_volumes(
    observations: Sequence[Observation],
    network_for: NetworkFor,
    *,
    demand: pd.DataFrame | None = None,
) -> tuple[Measured, ...]:
    """Measure every volume row against the baseline assignment of its scenario's network.

    The assignment is made once per scenario (the user's scenarios and the calibration
    overlay apply through ``network_for``); ``demand`` (``origin, destination, tonnes``
    per year) replaces the default demand.
    """
    from steppe.appraisal import assign, demand_from
    from steppe.routing.options import RouteOptions

    loads: dict[str, dict[str, float]] = {}
    out = []
    for obs in observations:
        net, cm = network_for(obs.scenario)
        if obs.scenario not in loads:
            table = demand if demand is not None else demand_from(net).table
            a = assign(net, table, RouteOptions(cost_model=cm), coverage=1.0)
            loads[obs.scenario] = dict(zip(a.links["link"], a.links["tonnes"], strict=True))
        ids = volume_links(obs, net.links)
        if not ids:
            out.append(Measured(obs, None, None, None, None,
                                error="no link of its modes joins its places"))  # fmt: skip
            continue
        per_year = sum(loads[obs.scenario].get(i, 0.0) for i in ids)
        days = (obs.period[1] - obs.period[0]).days + 1
        model = per_year * days / 365.0 / obs.scale
        ratio = model / obs.reference if obs.reference > 0 else None
        err = log_error(obs, model)
        out.append(Measured(
            obs, model, ratio, err if math.isfinite(err) else None, _inside(obs, model),
            link_ids=tuple(ids), corridor=VOLUME_DEMAND,
        ))  # fmt: skip
    return tuple(out)
