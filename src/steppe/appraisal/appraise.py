"""Appraise a scenario as a project: yearly benefits and costs, NPV, BCR and EIRR.

The method (``docs/appraisal.md``):

* route every OD pair with demand in the baseline and in the scenario
  (:func:`steppe.scenarios.compare`, best route by generalized cost);
* benefits per year of operation: for the shipments of the year (tonnes ÷ the cargo's
  tonnes), the fall in money cost (operating cost savings), the fall in transit time
  valued at the cargo's value of time (time savings), the fall in CO2 at the shadow price
  of the year; induced traffic (an elasticity of tonnes to generalized cost) counts by the
  rule of half;
* costs: the investment spread over the construction years, then operation and
  maintenance every year of operation;
* NPV, BCR and EIRR of the central case, and their distribution over Monte Carlo draws of
  the cost overrun (reference class), the demand level and the CO2 price.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from steppe._distributed import map_tasks
from steppe.appraisal.changes import flow_changes
from steppe.appraisal.demand import Demand
from steppe.appraisal.finance import bcr, eirr, npv, present_value
from steppe.appraisal.flows import FlowSettings
from steppe.appraisal.induced import induced_trade_benefit
from steppe.appraisal.parameters import (
    COST_OVERRUN,
    DEMAND_SPREAD,
    AppraisalSettings,
    co2_price,
)
from steppe.errors import ConfigError
from steppe.network.model import Network
from steppe.routing.options import RouteOptions
from steppe.scenarios.apply import AppliedScenario

__all__ = ["Appraisal", "appraise"]

log = logging.getLogger(__name__)
FloatArray = npt.NDArray[np.float64]
_EPS = 1e-9
_CHUNK = 250  # draws per task on a cluster


@dataclass(frozen=True, slots=True)
class Appraisal:
    """The appraisal of one scenario.

    ``yearly`` has one row per appraisal year (``year`` from 0, ``calendar_year``,
    ``tonnes``, ``shipments``, ``cost_savings_usd``, ``time_savings_usd``,
    ``co2_savings_usd``, ``induced_usd``, ``induced_trade_usd``, ``benefits_usd``,
    ``capex_usd``, ``opex_usd``, ``costs_usd``, ``net_usd``) for the central case.
    ``pairs`` holds each OD pair's tonnes, per-shipment changes and
    ``gain_usd_per_year`` (largest first); ``borders`` the tonnes per year over each
    border crossing with and without the project.  ``induced_trade_tonnes`` is the
    opening year's induced trade from the GE (0 without it).
    ``draws`` has ``npv_usd``, ``bcr`` and ``eirr`` per Monte Carlo draw.
    """

    scenario: str
    settings: AppraisalSettings
    demand_source: str
    value_of_time_usd_per_h: float
    yearly: pd.DataFrame
    pairs: pd.DataFrame
    borders: pd.DataFrame
    draws: pd.DataFrame
    induced_trade_tonnes: float = 0.0

    @property
    def npv_usd(self) -> float:
        """Return the central NPV, USD."""
        y = self.yearly
        return npv(y["benefits_usd"], y["costs_usd"], self.settings.discount)

    @property
    def bcr(self) -> float:
        """Return the central benefit–cost ratio."""
        y = self.yearly
        return bcr(y["benefits_usd"], y["costs_usd"], self.settings.discount)

    @property
    def eirr(self) -> float:
        """Return the central economic internal rate of return (NaN if none)."""
        return eirr(self.yearly["net_usd"])

    def bands(self, low: float = 5.0, high: float = 95.0) -> dict[str, dict[str, float]]:
        """Return the ``low``, median and ``high`` percentiles of NPV, BCR and EIRR."""
        out: dict[str, dict[str, float]] = {}
        for col in ("npv_usd", "bcr", "eirr"):
            vals = self.draws[col].dropna().to_numpy() if len(self.draws) else np.array([])
            if vals.size == 0:
                out[col] = {"low": float("nan"), "median": float("nan"), "high": float("nan")}
                continue
            lo, med, hi = np.percentile(vals, [low, 50.0, high])
            out[col] = {"low": float(lo), "median": float(med), "high": float(hi)}
        return out

    @property
    def p_bcr_above_one(self) -> float:
        """Return the share of draws with a BCR above 1 (NaN without draws)."""
        if self.draws.empty:
            return float("nan")
        return float((self.draws["bcr"] > 1.0).mean())

    def summary(self) -> dict[str, Any]:
        """Return the headline figures as plain numbers."""
        rate = self.settings.discount
        y = self.yearly
        return {
            "npv_usd": self.npv_usd,
            "bcr": self.bcr,
            "eirr": self.eirr,
            "pv_benefits_usd": present_value(y["benefits_usd"], rate),
            "pv_costs_usd": present_value(y["costs_usd"], rate),
            "p_bcr_above_one": self.p_bcr_above_one,
            "draws": len(self.draws),
            "bands": self.bands(),
            "opening_year_tonnes": float(y["tonnes"].iloc[self.settings.construction_years]),
            "pairs_with_demand": len(self.pairs),
            "pairs_that_gain": int((self.pairs["generalized_cost_delta"] < -_EPS).sum()),
            "induced_trade_tonnes": self.induced_trade_tonnes,
        }

    def to_dict(self) -> dict[str, Any]:
        """Return the appraisal as JSON-ready data."""

        def clean(x: Any) -> Any:  # NaN -> None, numpy scalars -> Python
            if isinstance(x, dict):
                return {k: clean(v) for k, v in x.items()}
            if isinstance(x, float | np.floating):
                return None if not np.isfinite(x) else float(x)
            if isinstance(x, np.integer):
                return int(x)
            return x

        s = self.settings
        out: dict[str, Any] = clean(
            {
                "scenario": self.scenario,
                "settings": {f: getattr(s, f) for f in s.__dataclass_fields__},
                "demand_source": self.demand_source,
                "value_of_time_usd_per_h": self.value_of_time_usd_per_h,
                "summary": self.summary(),
                "yearly": self.yearly.to_dict(orient="records"),
                "borders": self.borders.to_dict(orient="records"),
            }
        )
        return out


def _pair_changes(
    baseline: Network, scenario: AppliedScenario, demand: Demand, options: RouteOptions
) -> pd.DataFrame:
    from steppe.scenarios.compare import compare

    table = demand.table[demand.table["tonnes"] > 0]
    if table.empty:
        raise ConfigError("the demand has no tonnes between places of the network")
    pairs = list(zip(table["origin"], table["destination"], strict=True))
    comp = compare(baseline, scenario, options, pairs=pairs)
    p = comp.pairs.merge(table, on=["origin", "destination"], how="left")
    unroutable = ~(p["reachable_base"] & p["reachable_scen"])
    if unroutable.any():
        log.warning("%d OD pairs with demand have no route with or without the project; "
                    "left out", int(unroutable.sum()))  # fmt: skip
    return p[~unroutable].reset_index(drop=True)


def _borders(pairs: pd.DataFrame) -> pd.DataFrame:
    def load(column: str) -> pd.Series:
        frame = pd.DataFrame({"border": pairs[column].fillna("").str.split("|"),
                              "tonnes": pairs["tonnes"]}).explode("border")  # fmt: skip
        frame = frame[frame["border"] != ""]
        return frame.groupby("border")["tonnes"].sum()

    df = pd.concat([load("borders_base").rename("tonnes_base"),
                    load("borders_scen").rename("tonnes_scen")], axis=1).fillna(0.0)  # fmt: skip
    df["tonnes_delta"] = df["tonnes_scen"] - df["tonnes_base"]
    df = df.rename_axis("border").reset_index()
    return df.sort_values(["tonnes_scen", "border"], ascending=[False, True], ignore_index=True)


def _yearly(
    pairs: pd.DataFrame,
    settings: AppraisalSettings,
    *,
    cargo_tonnes: float,
    vot: float,
    capex_factor: float = 1.0,
    demand_factor: float = 1.0,
    co2_level: float | None = None,
    induced_trade: float = 0.0,
) -> pd.DataFrame:
    s = settings
    t = np.arange(s.years)
    operating = t >= s.construction_years
    growth = (1.0 + s.demand_growth) ** np.maximum(t - s.construction_years, 0)
    base_tonnes = float(pairs["tonnes"].sum()) * demand_factor
    shipments0 = pairs["tonnes"].to_numpy() * demand_factor / cargo_tonnes
    d_cost = float(shipments0 @ -pairs["cost_usd_delta"].to_numpy())
    d_time = float(shipments0 @ -pairs["time_h_delta"].to_numpy()) * vot
    d_co2_t = float(shipments0 @ -pairs["co2_kg_delta"].to_numpy()) / 1000.0
    # Induced traffic: tonnes respond to generalized cost with the given elasticity;
    # the new shipments gain half the fall in generalized cost (rule of half).
    gc0 = pairs["generalized_cost_base"].to_numpy()
    gc1 = pairs["generalized_cost_scen"].to_numpy()
    ratio = np.where(gc0 > 0, gc1 / np.where(gc0 > 0, gc0, 1.0), 1.0)
    induced_shipments = shipments0 * (ratio**s.induced_elasticity - 1.0)
    induced = float(0.5 * induced_shipments @ (gc0 - gc1))
    level = s.co2_price_level if co2_level is None else co2_level
    price = co2_price(s.start_year + t, level=level)
    on = operating * growth
    capex = np.where(t < s.construction_years, s.capex_usd * capex_factor /
                     max(s.construction_years, 1), 0.0)  # fmt: skip
    if s.construction_years == 0:
        capex = np.where(t == 0, s.capex_usd * capex_factor, 0.0)
    opex = np.where(operating, s.opex_usd_per_year, 0.0)
    out = pd.DataFrame(
        {
            "year": t,
            "calendar_year": s.start_year + t,
            "tonnes": np.where(operating, base_tonnes * growth, 0.0),
            "shipments": np.where(operating, shipments0.sum() * growth, 0.0),
            "cost_savings_usd": on * d_cost,
            "time_savings_usd": on * d_time,
            "co2_savings_usd": on * d_co2_t * price,
            "induced_usd": on * induced,
            "induced_trade_usd": on * induced_trade * demand_factor,
        }
    )
    out["benefits_usd"] = out[["cost_savings_usd", "time_savings_usd", "co2_savings_usd",
                               "induced_usd", "induced_trade_usd"]].sum(axis=1)  # fmt: skip
    out["capex_usd"], out["opex_usd"] = capex, opex
    out["costs_usd"] = out["capex_usd"] + out["opex_usd"]
    out["net_usd"] = out["benefits_usd"] - out["costs_usd"]
    return out


def _lognormal(rng: np.random.Generator, mean: float, sd: float, n: int) -> FloatArray:
    """Draw a lognormal with the given mean and standard deviation (moment match)."""
    sigma2 = np.log1p((sd / mean) ** 2)
    return rng.lognormal(np.log(mean) - sigma2 / 2.0, np.sqrt(sigma2), n)


def _eirr_chunk(factors: FloatArray, streams: FloatArray) -> FloatArray:
    """Return the EIRR of each draw (rows: demand, CO2 level, capex factor) of a chunk."""
    benefit, co2_span, capex, opex = streams
    return np.array([eirr(d * (benefit + c * co2_span) - k * capex - opex)
                     for d, c, k in factors])  # fmt: skip


def _draws(pairs: pd.DataFrame, s: AppraisalSettings, cargo_tonnes: float,
           vot: float, induced_trade: float = 0.0, *,
           scheduler: str | None = None) -> pd.DataFrame:  # fmt: skip
    if s.draws == 0:
        return pd.DataFrame({"npv_usd": [], "bcr": [], "eirr": [], "capex_factor": [],
                             "demand_factor": [], "co2_level": []})  # fmt: skip
    rng = np.random.default_rng(s.seed)
    capex = _lognormal(rng, *COST_OVERRUN[s.reference_class], s.draws)
    demand = _lognormal(rng, 1.0, DEMAND_SPREAD, s.draws)
    co2 = rng.uniform(0.0, 1.0, s.draws)
    # Each yearly component is linear in its factor: compute the unit streams once.
    unit = _yearly(pairs, s, cargo_tonnes=cargo_tonnes, vot=vot, co2_level=0.0,
                   induced_trade=induced_trade)  # fmt: skip
    high = _yearly(pairs, s, cargo_tonnes=cargo_tonnes, vot=vot, co2_level=1.0,
                   induced_trade=induced_trade)  # fmt: skip
    rate = s.discount
    pv = {c: present_value(unit[c], rate) for c in ("cost_savings_usd", "time_savings_usd",
                                                    "co2_savings_usd", "induced_usd",
                                                    "induced_trade_usd",
                                                    "capex_usd", "opex_usd")}  # fmt: skip
    pv_co2_high = present_value(high["co2_savings_usd"], rate)
    pv_benefit = demand * (
        pv["cost_savings_usd"]
        + pv["time_savings_usd"]
        + pv["induced_usd"]
        + pv["induced_trade_usd"]
        + pv["co2_savings_usd"]
        + co2 * (pv_co2_high - pv["co2_savings_usd"])
    )
    pv_cost = capex * pv["capex_usd"] + pv["opex_usd"]
    net_benefit = unit["benefits_usd"].to_numpy()
    net_co2_span = high["co2_savings_usd"].to_numpy() - unit["co2_savings_usd"].to_numpy()
    # The EIRR is a root search per draw: chunks of draws go through map_tasks, here or on
    # a dask cluster; the factors are drawn above, so the results do not depend on where.
    streams = np.vstack([net_benefit, net_co2_span, unit["capex_usd"].to_numpy(),
                         unit["opex_usd"].to_numpy()])  # fmt: skip
    chunks = [np.column_stack([demand, co2, capex])[lo : lo + _CHUNK]
              for lo in range(0, s.draws, _CHUNK)]  # fmt: skip
    rates = np.concatenate(map_tasks(partial(_eirr_chunk, streams=streams), chunks,
                                     scheduler=scheduler))  # fmt: skip
    return pd.DataFrame({"npv_usd": pv_benefit - pv_cost, "bcr": pv_benefit / pv_cost,
                         "eirr": rates, "capex_factor": capex, "demand_factor": demand,
                         "co2_level": co2})  # fmt: skip


def appraise(
    baseline: Network,
    scenario: AppliedScenario,
    demand: Demand,
    settings: AppraisalSettings,
    options: RouteOptions | None = None,
    *,
    flows: FlowSettings | None = None,
    trade_factors: pd.DataFrame | None = None,
    scheduler: str | None = None,
    **keywords: Any,
) -> Appraisal:
    """Appraise a scenario as a project over its demand.

    Parameters
    ----------
    baseline
        The network without the project.
    scenario
        The project, applied to ``baseline`` (:func:`steppe.scenarios.load_scenarios`).
    demand
        Tonnes per year between places (:func:`steppe.appraisal.od_demand`).
    settings
        Costs, discount rate, period, growth and uncertainty.
    options
        The routing options (:class:`~steppe.routing.RouteOptions`: modes, avoid, cargo,
        cost model ...); the objective is generalized cost unless set.  Keywords are the
        short form (``avoid=["RUS"]``).
    flows
        Mode choice and capacity feedback (:class:`~steppe.appraisal.flows.FlowSettings`):
        both sides are loaded on shortest-path trees and the changes are the rule of half
        over the modes (:mod:`~steppe.appraisal.changes`); ``None``: the best route of
        each pair, with and without the project.
    trade_factors
        The GE's new ÷ old trade by country pair (``iso_o, iso_d, factor``;
        :func:`steppe.appraisal.induced.trade_change_factors`): the induced trade it
        implies is valued by the rule of half as its own benefit line,
        ``induced_trade_usd`` (:mod:`~steppe.appraisal.induced`); not together with an
        ``induced_elasticity``.
    scheduler
        A dask.distributed scheduler address to run the Monte Carlo draws on
        (:func:`steppe._distributed.map_tasks`; same results as here); ``None``: here.

    Returns
    -------
    Appraisal

    Examples
    --------
    >>> import steppe
    >>> from steppe.appraisal import AppraisalSettings, kazakhstan_trade_flows, od_demand
    >>> from steppe.scenarios import load_scenarios
    >>> net = steppe.load_network()
    >>> flows = kazakhstan_trade_flows(2023)
    >>> demand = od_demand(net, flows[flows.iso_d.isin(["MNG"]) | flows.iso_o.isin(["MNG"])])
    >>> scen = load_scenarios(["oskemen-ridder-tuyekta"], net)
    >>> a = appraise(net, scen, demand, AppraisalSettings(capex_usd=50e6, draws=0))
    >>> bool(a.yearly["benefits_usd"].iloc[-1] > 0)
    True
    """
    opts = RouteOptions.build(options, **keywords)
    cargo, cost_model = opts.cargo, opts.cost_model
    if trade_factors is not None and settings.induced_elasticity != 0:
        raise ConfigError("induced traffic: give an elasticity or the GE's induced trade, not "
                          "both (they estimate the same new shipments)")  # fmt: skip
    if flows is None:
        pairs = _pair_changes(baseline, scenario, demand, opts)
        borders = None
    else:
        table = demand.table[demand.table["tonnes"] > 0].reset_index(drop=True)
        if table.empty:
            raise ConfigError("the demand has no tonnes between places of the network")
        project = opts.replace(cost_model=scenario.cost_model)
        pairs, borders = flow_changes(baseline, scenario.network, table, opts, project, flows)
    if pairs.empty:
        raise ConfigError("no OD pair with demand can be routed with and without the project")
    gains = pairs["generalized_cost_delta"].abs() > _EPS
    if not gains.any():
        raise ConfigError(
            "the scenario changes no route of any OD pair with demand: there is nothing to "
            "appraise (check the demand's countries and the scenario's edits)"
        )
    vot = cost_model.value_of_time(cargo)
    induced_t, induced_trade = 0.0, 0.0
    if trade_factors is not None:
        countries = {n.id: n.country for n in baseline.nodes}
        countries |= {n.id: n.country for n in scenario.network.nodes}
        induced_t, induced_trade = induced_trade_benefit(pairs, trade_factors, countries,
                                                         cargo_tonnes=cargo.tonnes)  # fmt: skip
    yearly = _yearly(pairs, settings, cargo_tonnes=cargo.tonnes, vot=vot,
                     induced_trade=induced_trade)  # fmt: skip
    columns = ["origin", "destination", "origin_name", "destination_name", "tonnes",
               "generalized_cost_delta", "cost_usd_delta", "time_h_delta", "co2_kg_delta",
               "corridor_base", "corridor_scen"]  # fmt: skip
    title = getattr(scenario, "title", "") or "scenario"
    # Yearly gain of each pair in the opening year: shipments × fall in generalized cost.
    gain = pairs["tonnes"] / cargo.tonnes * -pairs["generalized_cost_delta"]
    return Appraisal(
        scenario=str(title),
        settings=settings,
        demand_source=demand.source,
        value_of_time_usd_per_h=vot,
        yearly=yearly,
        pairs=pairs[columns]
        .assign(gain_usd_per_year=gain)
        .sort_values(
            ["gain_usd_per_year", "origin", "destination"],
            ascending=[False, True, True],
            ignore_index=True,
        ),
        borders=_borders(pairs) if borders is None else borders,
        draws=_draws(pairs, settings, cargo.tonnes, vot, induced_trade, scheduler=scheduler),
        induced_trade_tonnes=induced_t,
    )
