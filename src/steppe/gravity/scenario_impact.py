"""From a scenario to trade and welfare: route, aggregate to countries, solve the GE.

The chain (see ``docs/gravity.md``, "Impact of a scenario"):

1. route every pair of cities on the baseline and on the scenario network
   (:func:`steppe.routing.matrix`, best route by the chosen objective);
2. average the door-to-door transit times of the place pairs of each country pair,
   each place pair weighted by ``w_o * w_d`` (equal place weights unless given);
3. turn the change in transit time into a change in bilateral trade costs
   (:func:`steppe.gravity.costs.trade_cost_change_from_times`);
4. solve the full-endowment GE counterfactual on a baseline trade matrix, with Monte
   Carlo bands (:func:`steppe.gravity.impact.impact_of_pair_changes`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from steppe.errors import ConfigError, NoRouteError
from steppe.gravity.costs import HUMMELS_SCHAUR_PER_DAY, aggregate_place_pairs
from steppe.gravity.ge import GEBaseline
from steppe.gravity.impact import ImpactResult, default_baseline, impact_of_pair_changes
from steppe.network import Network, NodeKind, load_network

if TYPE_CHECKING:
    from steppe.routing import RouteOptions

__all__ = ["ScenarioImpact", "impact_baseline", "scenario_impact"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ScenarioImpact:
    """The trade and welfare impact of a scenario.

    ``country_pairs`` holds the weighted mean transit time of each international country
    pair before and after (``iso_o, iso_d, baseline_time_h, scenario_time_h,
    place_pairs``); only pairs whose time changed are passed to the GE.
    ``impact`` is the GE result with its Monte Carlo bands.
    """

    scenario: str
    title: str
    country_pairs: pd.DataFrame
    impact: ImpactResult
    places: int
    dropped_pairs: int
    settings: Mapping[str, Any]

    def changed_pairs(self) -> pd.DataFrame:
        """Return the country pairs whose mean transit time changed, largest change first."""
        df = self.country_pairs
        delta = df["scenario_time_h"] - df["baseline_time_h"]
        out = df.assign(change_h=delta).loc[delta.abs() > 1e-9]
        return out.reindex(out["change_h"].abs().sort_values(ascending=False).index)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (documented in ``docs/gravity.md``)."""
        return {
            "scenario": self.scenario,
            "title": self.title,
            "places": self.places,
            "dropped_place_pairs": self.dropped_pairs,
            "settings": dict(self.settings),
            "country_pairs_changed": self.changed_pairs().to_dict(orient="records"),
            **self.impact.to_dict(),
        }


def impact_baseline(
    *,
    trade_data: str | Path | None = None,
    store: str | Path | None = None,
    year: int | None = None,
    gdp: str | Path | None = None,
    reporter_side: Literal["exporter", "importer", "mirror-max"] = "exporter",
) -> GEBaseline | None:
    """Return the trade baseline of an impact run: a trade table, a year of a trade store,
    or ``None`` for the embedded 2006 data.

    Parameters
    ----------
    trade_data
        A trade CSV (``exporter, importer, trade``, domestic flows included).
    store
        A trade store file; the baseline is its ``year``, with GDP from ``gdp`` (built in
        for 2006), reported by ``reporter_side``
        (:func:`steppe.gravity.store_baseline.baseline_from_store`).

    Raises
    ------
    ConfigError
        Contradictory choices, naming the parameter.

    Examples
    --------
    >>> impact_baseline() is None
    True
    """
    if trade_data is not None and store is not None:
        raise ConfigError("trade_data: give either trade_data or store, not both",
                          parameter="trade_data")  # fmt: skip
    if store is None and (year is not None or gdp is not None):
        raise ConfigError("year: year and gdp go with a trade store", parameter="year")
    if trade_data is not None:
        from steppe.gravity.data import read_trade_table

        return GEBaseline.from_frame(read_trade_table(trade_data))
    if store is None:
        return None
    if year is None:
        raise ConfigError("year: a trade-store baseline needs a year", parameter="year")
    from steppe.gravity.store_baseline import baseline_from_store
    from steppe.trade.store import TradeStore

    with TradeStore(store) as db:
        table = baseline_from_store(db, year, gdp=gdp, reporter_side=reporter_side)
    return GEBaseline.from_frame(table)


def _places(network: Network, countries: set[str]) -> list[str]:
    return [n.id for n in network.nodes if n.kind is NodeKind.CITY and n.country in countries]


def scenario_impact(
    scenarios: Sequence[str | Path],
    network: Network | None = None,
    options: RouteOptions | None = None,
    *,
    baseline_trade: GEBaseline | None = None,
    place_weights: Mapping[str, float] | None = None,
    method: Literal["ad_valorem", "elasticity"] = "ad_valorem",
    ad_valorem_per_day: float = 0.0135,
    per_day_range: tuple[float, float] = HUMMELS_SCHAUR_PER_DAY,
    elasticity: float | None = None,
    sigma: float = 7.0,
    reference: str | None = None,
    draws: int = 100,
    seed: int = 0,
    scheduler: str | None = None,
    **keywords: Any,
) -> ScenarioImpact:
    """Estimate what a scenario does to trade and real GDP.

    Parameters
    ----------
    scenarios
        Bundled scenario names or scenario files, applied in order (stacked).
    network
        The baseline network; the embedded one by default.
    baseline_trade
        Baseline trade flows with domestic flows; default the embedded 166-country
        2006 data (:func:`steppe.gravity.impact.default_baseline`).
    options, **keywords
        How shipments choose their routes, as for :func:`steppe.routing.route`
        (``generalized`` cost by default; ``modes``, ``avoid``, ``cargo`` ...).  Cities
        in avoided countries are left out.  The scenario network is priced by the
        scenario's cost model.
    place_weights
        Weight of each place (node id) in its country's average; 1 for places not
        given.  The default weights every city equally.
    method, ad_valorem_per_day, per_day_range, elasticity, sigma, reference, draws, seed,
    scheduler
        As for :func:`steppe.gravity.impact.impact_of_pair_changes`.

    Returns
    -------
    ScenarioImpact

    Raises
    ------
    NoRouteError
        No country pair in the trade baseline has a route in both networks.

    Examples
    --------
    >>> res = scenario_impact(["oskemen-ridder-tuyekta-repaired"], draws=0)
    >>> bool(res.impact.focus.set_index("flow").loc["KAZ<->MNG", "change_pct"] > 0)
    True
    """
    from steppe.routing import RouteOptions, matrix
    from steppe.scenarios import load_scenarios

    if not scenarios:
        raise ConfigError("scenarios: name at least one scenario", parameter="scenarios")
    opts = RouteOptions.build(options, **keywords)
    base_net = network if network is not None else load_network()
    applied = load_scenarios(list(scenarios), base_net)
    trade = baseline_trade if baseline_trade is not None else default_baseline()
    countries = set(trade.countries)
    places = _places(base_net, countries - opts.avoid)
    if len(places) < 2:
        raise ConfigError("the network has fewer than two cities in the trade data's countries")
    before = matrix(base_net, places, places, opts).table
    scen_opts = opts.replace(cost_model=applied.cost_model)
    after = matrix(applied.network, places, places, scen_opts).table
    keys = ["origin", "destination"]
    pairs = before[[*keys, "time_h"]].merge(
        after[[*keys, "time_h"]], on=keys, suffixes=("_b", "_s")
    )
    country = {n.id: n.country for n in base_net.nodes}
    pairs["iso_o"] = pairs["origin"].map(country)
    pairs["iso_d"] = pairs["destination"].map(country)
    pairs = pairs.loc[pairs["iso_o"] != pairs["iso_d"]]
    ok = np.isfinite(pairs["time_h_b"]) & np.isfinite(pairs["time_h_s"])
    dropped = int((~ok).sum())
    if dropped:
        log.info("%d place pairs without a route in one of the networks are left out", dropped)
    pairs = pairs.loc[ok]
    if pairs.empty:
        raise NoRouteError(
            "no pair of places in different countries has a route in both "
            "the baseline and the scenario"
        )
    weights = place_weights or {}
    pairs = pairs.assign(
        baseline_time_h=pairs["time_h_b"],
        scenario_time_h=pairs["time_h_s"],
        weight_o=pairs["origin"].map(lambda x: float(weights.get(x, 1.0))),
        weight_d=pairs["destination"].map(lambda x: float(weights.get(x, 1.0))),
    )
    by_country = aggregate_place_pairs(pairs).merge(
        pairs.groupby(["iso_o", "iso_d"]).size().rename("place_pairs").reset_index(),
        on=["iso_o", "iso_d"],
    )
    changed = by_country.loc[
        (by_country["scenario_time_h"] - by_country["baseline_time_h"]).abs() > 1e-9
    ]
    impact = impact_of_pair_changes(
        changed[["iso_o", "iso_d", "baseline_time_h", "scenario_time_h"]],
        baseline_trade=trade,
        method=method,
        ad_valorem_per_day=ad_valorem_per_day,
        per_day_range=per_day_range,
        elasticity=elasticity,
        sigma=sigma,
        reference=reference,
        draws=draws,
        seed=seed,
        scheduler=scheduler,
    )
    settings = {
        "optimize": opts.objective.value,
        "modes": ",".join(sorted(m.value for m in opts.modes)),
        "avoid": ",".join(sorted(opts.avoid)) or "none",
        "cargo": f"{opts.cargo.unit}, {opts.cargo.tonnes:g} t",
        "method": method,
        "ad_valorem_per_day": ad_valorem_per_day,
        "sigma": sigma,
        "draws": draws,
        "seed": seed,
        "place_weights": "given" if place_weights else "equal",
    }
    return ScenarioImpact(
        applied.name, applied.title, by_country, impact, len(places), dropped, settings
    )
