"""Compare a scenario with its baseline over place pairs: who wins, who loses, what shifts.

Both networks are solved with :func:`steppe.routing.matrix` (one shortest-path tree per
origin, so every pair is recomputed; this takes well under a second on the embedded
network).  Measures, documented in ``docs/scenarios.md``:

* per pair, the change in time, cost, CO2, distance and generalized cost, and whether
  the corridor (the key border posts and ports passed) or the route changed;
* corridor and border-crossing usage shares: the share of pairs (or of the demand
  weights) whose best route uses each corridor or crossing;
* winners and losers: pairs with the largest gains and losses of the objective;
* accessibility per place: the mean objective (generalized cost, by default) from the
  place to every other place reachable in both networks, weighted by demand if given.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from steppe._progress import progress_part
from steppe.errors import ConfigError, Problem, ScenarioError
from steppe.network.model import Network
from steppe.routing import Objective, RouteOptions, matrix
from steppe.routing.matrix import default_places
from steppe.routing.prices import resolve_price_date
from steppe.scenarios.apply import AppliedScenario

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["METRICS", "Comparison", "compare", "read_demand"]

log = logging.getLogger(__name__)
METRICS: tuple[str, ...] = tuple(o.metric for o in Objective)
_EPS = 1e-6


@dataclass(frozen=True, slots=True)
class Comparison:
    """Baseline versus scenario over place pairs.

    Parameters
    ----------
    scenario
        The applied scenario(s).
    objective
        The objective that chose each route.
    pairs
        One row per pair: ``origin``, ``destination``, names, ``weight``, for each metric
        ``<m>_base``, ``<m>_scen`` and ``<m>_delta``, ``corridor_base``,
        ``corridor_scen``, ``borders_base``, ``borders_scen`` (crossing ids,
        ``|``-separated), ``corridor_changed``, ``route_changed``, ``reachable_base``,
        ``reachable_scen``.
    corridors, borders
        Usage shares: ``corridor`` (or ``border``), ``share_base``, ``share_scen``,
        ``share_delta``.
    accessibility
        Per place: ``place``, ``name``, ``country``, ``lat``, ``lon``, ``base``, ``scen``,
        ``delta``, ``delta_pct`` of the mean objective to the other places.
    """

    scenario: AppliedScenario
    objective: str
    pairs: pd.DataFrame
    corridors: pd.DataFrame
    borders: pd.DataFrame
    accessibility: pd.DataFrame
    price_date: str | None = None
    """Month of the tariffs that priced both networks (``docs/routing.md``, Prices)."""
    depart: str | None = None
    """The departure date both sides were routed for (``RouteOptions.depart``); ``None``:
    yearly averages of closures, queues and sailings."""

    @property
    def metric(self) -> str:
        """Return the pair-table metric of the objective (``generalized_cost`` ...)."""
        return Objective(self.objective).metric

    @property
    def changed(self) -> pd.DataFrame:
        """Return the pairs whose objective, reachability or route changed."""
        p = self.pairs
        mask = (
            (p[f"{self.metric}_delta"].abs() > _EPS).fillna(False)
            | (p["reachable_base"] != p["reachable_scen"])
            | p["route_changed"]
        )
        return p[mask]

    def winners(self, n: int = 10) -> pd.DataFrame:
        """Return the ``n`` pairs that gain most (largest fall of the objective)."""
        col = f"{self.metric}_delta"
        gains = self.pairs[self.pairs[col] < -_EPS]
        return gains.sort_values([col, "origin", "destination"]).head(n)

    def losers(self, n: int = 10) -> pd.DataFrame:
        """Return the ``n`` pairs that lose most (largest rise of the objective)."""
        col = f"{self.metric}_delta"
        losses = self.pairs[self.pairs[col] > _EPS]
        return losses.sort_values(
            [col, "origin", "destination"], ascending=[False, True, True]
        ).head(n)

    def summary(self) -> dict[str, Any]:
        """Return headline numbers: pair counts and mean changes."""
        p = self.pairs
        both = p[p["reachable_base"] & p["reachable_scen"]]
        col = f"{self.metric}_delta"
        return {
            "pairs": len(p),
            "changed_pairs": len(self.changed),
            "faster_or_cheaper": int((both[col] < -_EPS).sum()),
            "slower_or_dearer": int((both[col] > _EPS).sum()),
            "newly_reachable": int((~p["reachable_base"] & p["reachable_scen"]).sum()),
            "no_longer_reachable": int((p["reachable_base"] & ~p["reachable_scen"]).sum()),
            "corridor_changed": int(p["corridor_changed"].sum()),
            **{f"mean_{m}_delta": _num(both[f"{m}_delta"].mean()) for m in METRICS},
        }

    def to_geopandas(self) -> gpd.GeoDataFrame:
        """Return the pairs as origin–destination lines with their changes (``geo`` extra)."""
        from steppe._geopandas import comparison_frame

        return comparison_frame(self)

    def to_dict(self, *, top: int = 20) -> dict[str, Any]:
        """Return the comparison as JSON-ready data (the object in ``docs/scenarios.md``)."""
        return {
            "scenario": self.scenario.to_dict(),
            "objective": self.objective,
            "price_date": self.price_date,
            **({"depart": self.depart} if self.depart else {}),
            "summary": self.summary(),
            "winners": _records(self.winners(top)),
            "losers": _records(self.losers(top)),
            "changed_pairs": _records(self.changed),
            "corridors": _records(self.corridors),
            "borders": _records(self.borders),
            "accessibility": _records(self.accessibility),
        }


def _num(x: Any) -> Any:
    if isinstance(x, float | np.floating):
        return None if not np.isfinite(x) else round(float(x), 4)
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.bool_):
        return bool(x)
    return x


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): _num(v) for k, v in row.items()} for row in df.to_dict(orient="records")]


def read_demand(path: str | Path) -> pd.DataFrame:
    """Read an OD demand CSV with columns ``origin,destination,weight`` (node ids).

    Raises
    ------
    ScenarioError
        Naming the file, row and column of each problem.

    Examples
    --------
    >>> import io
    >>> float(read_demand(io.StringIO("origin,destination,weight\\nalmaty,baku,2\\n")).weight.sum())
    2.0
    """
    name = str(getattr(path, "name", path))
    try:
        df = pd.read_csv(path, dtype={"origin": str, "destination": str})
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise ScenarioError([Problem(name, f"cannot be read as CSV ({exc})")]) from None
    missing = [c for c in ("origin", "destination", "weight") if c not in df.columns]
    if missing:
        raise ScenarioError([Problem(name, "required column is missing", 1, c) for c in missing])
    weight = pd.to_numeric(df["weight"], errors="coerce")
    bad = [
        Problem(name, f"{df['weight'].iloc[i]!r} is not a number >= 0", int(i) + 2, "weight")
        for i in np.flatnonzero(~(weight >= 0))
    ]
    if bad:
        raise ScenarioError(bad)
    return pd.DataFrame({"origin": df["origin"], "destination": df["destination"],
                         "weight": weight.astype(float)})  # fmt: skip


def _places(network: Network, countries: Iterable[str] | None,
            options: RouteOptions) -> list[str]:  # fmt: skip
    places = [n.id for n in default_places(network) if n.country not in options.avoid]
    if countries:
        wanted = {c.upper() for c in countries}
        unknown = wanted - set(network.countries)
        if unknown:
            raise ConfigError(f"no places in {', '.join(sorted(unknown))}")
        places = [p for p in places if network.nodes_by_id[p].country in wanted]
    return places


def _solve(network: Network, origins: list[str], destinations: list[str],
           options: RouteOptions) -> pd.DataFrame:  # fmt: skip
    res = matrix(network, origins, destinations, options)
    return res.table.set_index(["origin", "destination"])


def _shares(keys: pd.Series, weights: pd.Series, *, split: bool = False) -> pd.Series:
    """Return the weighted share of pairs using each key.

    ``keys`` holds one string per pair; with ``split`` it is a ``|``-separated list of
    keys.  Weights are first summed per distinct string, so strings are split once each,
    not once per pair.
    """
    per = pd.Series(weights.to_numpy(), index=keys.to_numpy()).groupby(level=0).sum()
    frame = pd.DataFrame({"key": per.index, "w": per.to_numpy()})
    if split:
        frame["key"] = frame["key"].map(_crossings)
        frame = frame.explode("key")
    frame = frame.dropna(subset=["key"])
    frame = frame[frame["key"] != ""]
    total = float(weights.sum())
    if total <= 0 or frame.empty:
        return pd.Series(dtype=float)
    return frame.groupby("key")["w"].sum() / total


def _usage(
    base: pd.Series, scen: pd.Series, weights: pd.Series, name: str, *, split: bool = False
) -> pd.DataFrame:
    sb, ss = _shares(base, weights, split=split), _shares(scen, weights, split=split)
    df = pd.concat([sb.rename("share_base"), ss.rename("share_scen")], axis=1).fillna(0.0)
    df["share_delta"] = df["share_scen"] - df["share_base"]
    df = df.rename_axis(name).reset_index()
    return df.sort_values(["share_scen", name], ascending=[False, True], ignore_index=True)


def _crossings(cell: object) -> list[str]:
    """Return the border-crossing ids of a matrix row (``|``-separated)."""
    return [c for c in cell.split("|") if c] if isinstance(cell, str) else []


def compare(
    baseline: Network,
    scenario: AppliedScenario,
    options: RouteOptions | None = None,
    *,
    pairs: Sequence[tuple[str, str]] | None = None,
    countries: Iterable[str] | None = None,
    demand: pd.DataFrame | None = None,
    **keywords: Any,
) -> Comparison:
    """Compare the best routes in a baseline network and in a scenario.

    Parameters
    ----------
    baseline
        The network before the scenario.
    scenario
        The result of :func:`~steppe.scenarios.apply_scenarios` on ``baseline``.
    pairs
        Origin–destination node-id pairs; default: every ordered pair of places
        (cities, ports, terminals), restricted to ``countries`` if given.
    countries
        ISO3 codes: only places in these countries.
    demand
        Optional OD weights (``origin, destination, weight``, see :func:`read_demand`);
        pairs not in it weigh 0.  Default: every pair weighs 1.
    options, **keywords
        The routing options, as for :func:`steppe.routing.route` (the objective chooses
        the best route; ``generalized`` by default).  The options' cost model prices
        the baseline; the scenario network is priced by the scenario's cost model.
        Places in avoided countries are left out of the default pairs.

    Returns
    -------
    Comparison

    Examples
    --------
    >>> import steppe
    >>> from steppe.scenarios import load_scenarios
    >>> base = steppe.load_network()
    >>> out = load_scenarios(["zamiin-uud-2021"], base)
    >>> c = compare(base, out, countries=["MNG", "CHN"], modes="road", optimize="time")
    >>> c.summary()["slower_or_dearer"] > 0
    True
    """
    opts = RouteOptions.build(options, **keywords)
    resolve_price_date(baseline.prices, opts.price_date)  # refuse a bad date before any work
    if pairs is not None:
        origins = list(dict.fromkeys(o for o, _ in pairs))
        dests = list(dict.fromkeys(d for _, d in pairs))
    else:
        origins = dests = _places(baseline, countries, opts)
    with progress_part(0.0, 0.5):  # one half of a progress bar per side
        b = _solve(baseline, origins, dests, opts)
    with progress_part(0.5, 1.0):
        s = _solve(scenario.network, origins, dests, opts.replace(cost_model=scenario.cost_model))
    if pairs is not None:
        b = b.loc[b.index.intersection(pd.MultiIndex.from_tuples(list(pairs)))]
    s = s.reindex(b.index)
    out = pd.DataFrame(index=b.index)
    out["origin_name"], out["destination_name"] = b["origin_name"], b["destination_name"]
    if demand is not None:
        w = demand.groupby(["origin", "destination"])["weight"].sum()
        out["weight"] = w.reindex(b.index).fillna(0.0)
    else:
        out["weight"] = 1.0
    for m in METRICS:
        out[f"{m}_base"], out[f"{m}_scen"] = b[m], s[m]
        out[f"{m}_delta"] = s[m] - b[m]
    out["corridor_base"], out["corridor_scen"] = b["corridor"], s["corridor"]
    out["borders_base"], out["borders_scen"] = b["border_crossings"], s["border_crossings"]
    out["reachable_base"], out["reachable_scen"] = b["time_h"].notna(), s["time_h"].notna()
    out["corridor_changed"] = (out["corridor_base"] != out["corridor_scen"]) & (
        out["reachable_base"] & out["reachable_scen"])  # fmt: skip
    out["route_changed"] = out["corridor_changed"] | (
        out["distance_km_delta"].abs() > 1e-3).fillna(False)  # fmt: skip
    out = out.reset_index()
    weights = out["weight"]
    corridors = _usage(out["corridor_base"].where(out["reachable_base"], ""),
                       out["corridor_scen"].where(out["reachable_scen"], ""), weights,
                       "corridor")  # fmt: skip
    borders = _usage(out["borders_base"].where(out["reachable_base"], ""),
                     out["borders_scen"].where(out["reachable_scen"], ""), weights, "border",
                     split=True)  # fmt: skip
    access = _accessibility(baseline, out, opts.objective.metric)
    depart = None if opts.depart is None else f"{opts.depart:%Y-%m-%dT%H:%M}"
    return Comparison(scenario=scenario, objective=opts.objective.value, pairs=out,
                      corridors=corridors, borders=borders, accessibility=access,
                      depart=depart,
                      price_date=resolve_price_date(baseline.prices, opts.price_date))  # fmt: skip


def _accessibility(network: Network, pairs: pd.DataFrame, objective: str) -> pd.DataFrame:
    both = pairs[pairs["reachable_base"] & pairs["reachable_scen"]].copy()
    w = both["weight"] if both["weight"].sum() > 0 else pd.Series(1.0, index=both.index)
    both["w"] = w
    rows = []
    for place, grp in both.groupby("origin"):
        total = grp["w"].sum()
        if total <= 0:
            continue
        base = float((grp[f"{objective}_base"] * grp["w"]).sum() / total)
        scen = float((grp[f"{objective}_scen"] * grp["w"]).sum() / total)
        node = network.nodes_by_id[str(place)]
        rows.append({"place": node.id, "name": node.name, "country": node.country,
                     "lat": node.lat, "lon": node.lon, "base": base, "scen": scen,
                     "delta": scen - base,
                     "delta_pct": 100.0 * (scen - base) / base if base else 0.0})  # fmt: skip
    df = pd.DataFrame(rows, columns=["place", "name", "country", "lat", "lon", "base", "scen",
                                     "delta", "delta_pct"])  # fmt: skip
    return df.sort_values(["delta_pct", "place"], ignore_index=True)
