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

import itertools
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
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
    return matrix(network, origins, destinations, options).table


def _shares(keys: pd.Series, weights: npt.NDArray[np.float64], *,
            split: bool = False) -> pd.Series:  # fmt: skip
    """Return the weighted share of pairs using each key.

    ``keys`` holds one string per pair; with ``split`` it is a ``|``-separated list of
    keys.  Weights are first summed per distinct string, so strings are split once each,
    not once per pair.
    """
    codes, distinct = pd.factorize(keys, sort=True, use_na_sentinel=False)
    per = np.bincount(codes, weights=weights, minlength=len(distinct))
    frame = pd.DataFrame({"key": np.asarray(distinct, dtype=object), "w": per})
    if split:
        frame["key"] = frame["key"].map(_crossings)
        frame = frame.explode("key")
    frame = frame.dropna(subset=["key"])
    frame = frame[frame["key"] != ""]
    total = float(weights.sum())
    if total <= 0 or frame.empty:
        return pd.Series(dtype=float)
    return frame.groupby("key")["w"].sum() / total


def _usage(base: pd.Series, scen: pd.Series, weights: npt.NDArray[np.float64], name: str, *,
           split: bool = False) -> pd.DataFrame:  # fmt: skip
    sb, ss = _shares(base, weights, split=split), _shares(scen, weights, split=split)
    df = pd.concat([sb.rename("share_base"), ss.rename("share_scen")], axis=1).fillna(0.0)
    df["share_delta"] = df["share_scen"] - df["share_base"]
    df = df.rename_axis(name).reset_index()
    return df.sort_values(["share_scen", name], ascending=[False, True], ignore_index=True)


def _crossings(cell: object) -> list[str]:
    """Return the border-crossing ids of a matrix row (``|``-separated)."""
    return [c for c in cell.split("|") if c] if isinstance(cell, str) else []


def _aligned(b: pd.DataFrame, s: pd.DataFrame) -> pd.DataFrame:
    """Return the scenario table row for row with the baseline's pairs.

    Both matrices list the same places in the same order, so their rows normally align
    already; otherwise (a place unroutable in one of them) the rows are matched by pair.
    """
    same = len(b) == len(s) and all(
        np.array_equal(b[c].to_numpy(), s[c].to_numpy()) for c in ("origin", "destination")
    )
    if same:
        return s.reset_index(drop=True)
    keyed = s.set_index(["origin", "destination"])
    index = pd.MultiIndex.from_arrays([b["origin"], b["destination"]])
    return keyed.reindex(index).reset_index()


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
        wanted = pd.MultiIndex.from_tuples(list(dict.fromkeys(pairs)))
        b = b[pd.MultiIndex.from_arrays([b["origin"], b["destination"]]).isin(wanted)]
        b = b.reset_index(drop=True)
    s = _aligned(b, s)
    cols: dict[str, Any] = {
        "origin": b["origin"], "destination": b["destination"],
        "origin_name": b["origin_name"], "destination_name": b["destination_name"],
    }  # fmt: skip
    if demand is not None:
        w = demand.groupby(["origin", "destination"])["weight"].sum()
        index = pd.MultiIndex.from_arrays([b["origin"], b["destination"]])
        cols["weight"] = w.reindex(index).fillna(0.0).to_numpy()
    else:
        cols["weight"] = np.ones(len(b))
    for m in METRICS:
        base, scen = b[m].to_numpy(), s[m].to_numpy()
        cols[f"{m}_base"], cols[f"{m}_scen"], cols[f"{m}_delta"] = base, scen, scen - base
    reach_b, reach_s = ~np.isnan(cols["time_h_base"]), ~np.isnan(cols["time_h_scen"])
    corr_b, corr_s = b["corridor"], s["corridor"]
    cols["corridor_base"], cols["corridor_scen"] = corr_b, corr_s
    cols["borders_base"], cols["borders_scen"] = b["border_crossings"], s["border_crossings"]
    cols["reachable_base"], cols["reachable_scen"] = reach_b, reach_s
    corridor_changed = (corr_b.to_numpy() != corr_s.to_numpy()) & reach_b & reach_s
    cols["corridor_changed"] = corridor_changed
    with np.errstate(invalid="ignore"):
        moved = np.abs(cols["distance_km_delta"]) > 1e-3
    cols["route_changed"] = corridor_changed | moved
    out = pd.DataFrame(cols)
    weights = np.asarray(cols["weight"], dtype=np.float64)
    corridors = _usage(out["corridor_base"].where(reach_b, ""),
                       out["corridor_scen"].where(reach_s, ""), weights,
                       "corridor")  # fmt: skip
    borders = _usage(out["borders_base"].where(reach_b, ""),
                     out["borders_scen"].where(reach_s, ""), weights, "border",
                     split=True)  # fmt: skip
    access = _accessibility(baseline, out, opts.objective.metric)
    depart = None if opts.depart is None else f"{opts.depart:%Y-%m-%dT%H:%M}"
    return Comparison(scenario=scenario, objective=opts.objective.value, pairs=out,
                      corridors=corridors, borders=borders, accessibility=access,
                      depart=depart,
                      price_date=resolve_price_date(baseline.prices, opts.price_date))  # fmt: skip


def _accessibility(network: Network, pairs: pd.DataFrame, objective: str) -> pd.DataFrame:
    both = (pairs["reachable_base"] & pairs["reachable_scen"]).to_numpy()
    w = pairs["weight"].to_numpy()[both]
    if not w.sum() > 0:
        w = np.ones(len(w))
    codes, places = pd.factorize(pairs["origin"].to_numpy()[both], sort=True)
    base_w = pairs[f"{objective}_base"].to_numpy()[both] * w
    scen_w = pairs[f"{objective}_scen"].to_numpy()[both] * w
    # per place, numpy's own (pairwise) sums over its rows in order, as a per-group sum
    by_place = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[by_place], np.arange(len(places) + 1)).tolist()
    sums = np.array([[x[by_place[lo:hi]].sum() for x in (w, base_w, scen_w)]
                     for lo, hi in itertools.pairwise(bounds)]).reshape(-1, 3)  # fmt: skip
    total, base, scen = sums[:, 0], sums[:, 1], sums[:, 2]
    keep = total > 0
    places, total, base, scen = np.asarray(places)[keep], total[keep], base[keep], scen[keep]
    base, scen = base / total, scen / total
    nodes = [network.nodes_by_id[str(p)] for p in places]
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(base != 0, 100.0 * (scen - base) / np.where(base != 0, base, 1.0), 0.0)
    df = pd.DataFrame({
        "place": [n.id for n in nodes], "name": [n.name for n in nodes],
        "country": [n.country for n in nodes], "lat": [n.lat for n in nodes],
        "lon": [n.lon for n in nodes], "base": base, "scen": scen, "delta": scen - base,
        "delta_pct": pct,
    })  # fmt: skip
    return df.sort_values(["delta_pct", "place"], ignore_index=True)
