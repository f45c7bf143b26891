"""Induced trade from the general equilibrium, as a separate benefit of a project.

A faster route makes trade between the countries it serves cheaper, and the gravity GE
(:func:`steppe.gravity.scenario_impact`) says by how much each country pair's trade grows.
steppe turns that into tonnes and values them by the rule of half:

1. run the scenario through the GE chain (transit times between the cities of each
   country pair, trade-cost changes, the full-endowment GE; central case, no draws) and
   read the new over the old trade of every country pair: ``r(c, c')``;
2. each OD pair's induced tonnes are ``tonnes · (r(c_o, c_d) − 1)`` (pairs inside one
   country: none);
3. the induced shipments gain half the fall in generalized cost of their pair (the rule of
   half: they were not shipped before, so on average they gain half of it):
   ``B = ½ Σ induced shipments × (GC_base − GC_project)``.

This line replaces the ``--elasticity`` one (both estimate the same new traffic, so an
appraisal takes one or the other).  It grows and is drawn with the demand like the other
lines.  Nothing is counted for trade diverted from other routes or countries: the GE's
falls in some pairs count as negative induced tonnes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from steppe.network.model import Network

__all__ = ["induced_trade_benefit", "trade_change_factors"]


def trade_change_factors(
    scenarios: Sequence[str | Path],
    network: Network,
    options: Any = None,
    **keywords: Any,
) -> pd.DataFrame:
    """Return the GE's new ÷ old trade of every country pair whose trade changes.

    Columns ``iso_o``, ``iso_d``, ``factor``.  ``options`` and keywords are passed to
    :func:`steppe.gravity.scenario_impact` (routing options, ``sigma``, ``method`` ...).
    """
    from steppe.gravity.ge import solve_ge
    from steppe.gravity.impact import default_baseline, default_reference
    from steppe.gravity.scenario_impact import scenario_impact

    res = scenario_impact(list(scenarios), network, options, draws=0, **keywords)
    base = keywords.get("baseline_trade") or default_baseline()
    shocks = res.impact.pair_shocks
    if shocks.empty:
        return pd.DataFrame({"iso_o": [], "iso_d": [], "factor": []})
    ge = solve_ge(base, shocks[["exporter", "importer", "phi_hat"]], kind="full",
                  reference=res.impact.settings.get("reference") or default_reference(base),
                  sigma=float(res.impact.settings.get("sigma", 7.0)))  # fmt: skip
    p = ge.pairs
    p = p[(p["exporter"] != p["importer"]) & (p["trade_base"] > 0)]
    factor = p["trade_new"] / p["trade_base"]
    out = pd.DataFrame({"iso_o": p["exporter"], "iso_d": p["importer"], "factor": factor})
    return out[(out["factor"] - 1.0).abs() > 1e-12].reset_index(drop=True)


def induced_trade_benefit(
    pairs: pd.DataFrame,
    factors: pd.DataFrame,
    countries: dict[str, str],
    *,
    cargo_tonnes: float,
) -> tuple[float, float]:
    """Return the induced tonnes and their yearly benefit (USD) in the opening year.

    ``pairs`` are the appraisal's OD pairs (``origin, destination, tonnes,
    generalized_cost_delta``); ``countries`` maps node ids to ISO3.

    Examples
    --------
    >>> import pandas as pd
    >>> pairs = pd.DataFrame({"origin": ["a"], "destination": ["b"], "tonnes": [200.0],
    ...                       "generalized_cost_delta": [-50.0]})
    >>> f = pd.DataFrame({"iso_o": ["KAZ"], "iso_d": ["MNG"], "factor": [1.1]})
    >>> tonnes, usd = induced_trade_benefit(pairs, f, {"a": "KAZ", "b": "MNG"}, cargo_tonnes=20.0)
    >>> round(tonnes, 9), round(usd, 9)  # 200 t x 10 %; 1/2 x 1 shipment x 50 USD
    (20.0, 25.0)
    """
    key = dict(zip(zip(factors["iso_o"], factors["iso_d"], strict=True), factors["factor"],
                   strict=True))  # fmt: skip
    iso_o = pairs["origin"].map(countries)
    iso_d = pairs["destination"].map(countries)
    r = np.array([key.get((o, d), 1.0) for o, d in zip(iso_o, iso_d, strict=True)], dtype=float)
    induced_t = pairs["tonnes"].to_numpy() * (r - 1.0)
    gain = -pairs["generalized_cost_delta"].to_numpy()
    benefit = 0.5 * float((induced_t / cargo_tonnes) @ gain)
    return float(induced_t.sum()), benefit
