"""Assign OD freight to routes: all-or-nothing, or path-size logit over alternatives.

Each OD pair's tonnes go to its best route (all-or-nothing, the default), or are split
among up to ``alternatives`` meaningfully different routes by a path-size logit on
generalized cost (Ben-Akiva & Bierlaire 1999):

.. math::

    P_i = \\frac{PS_i \\, e^{-\\theta (C_i - C_{min}) / C_{min}}}
               {\\sum_j PS_j \\, e^{-\\theta (C_j - C_{min}) / C_{min}}},
    \\qquad PS_i = \\sum_{a \\in i} \\frac{l_a}{L_i} \\frac{1}{N_a},

with ``C`` the generalized cost per shipment, ``l_a`` the length of link ``a``, ``L_i``
the route's length and ``N_a`` the number of alternatives using ``a``.  ``θ`` has no
published value for Eurasian corridor freight: the user gives it (a cost difference of
``1/θ`` of the best route's cost weighs ``e`` times less).

All or nothing, pairs are loaded onto shortest-path trees, one Dijkstra per group of
origins (:mod:`~steppe.appraisal.flows`), optionally after a mode choice logit and with
queues that feed back to an equilibrium; the logit over route alternatives routes pairs
one by one (:func:`steppe.routing.route`).  Pairs are taken largest first until
``coverage`` of the tonnes is assigned; the rest is reported, not guessed.
"""

from __future__ import annotations

import dataclasses
import logging
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from steppe._progress import report_progress
from steppe.appraisal.equilibrium import QueueDemand
from steppe.appraisal.flows import Flows, FlowSettings, network_flows
from steppe.appraisal.modechoice import ModeChoice
from steppe.errors import ConfigError, SteppeError
from steppe.network.model import Network
from steppe.routing import route
from steppe.routing._build import expanded_graph
from steppe.routing.options import RouteOptions
from steppe.routing.result import Route

__all__ = ["Assignment", "assign", "path_size_logit"]

log = logging.getLogger(__name__)
_DAYS = 365.0


@dataclass(frozen=True, slots=True)
class Assignment:
    """Freight on the network: loads by link, border crossing and transfer.

    ``links``: ``link``, ``mode``, ``a``, ``b``, ``tonnes`` per year, ``feu_per_day``
    (tonnes ÷ the cargo's tonnes ÷ 365) and ``trucks_per_day`` (road links, one FEU per
    truck); ``borders``: ``border``, ``tonnes``, ``feu_per_day``; ``transfers``: the
    transfer (``node:from>to``), ``tonnes``; ``routes``: per OD pair and alternative, the
    share and tonnes (and ``mode``, the mode alternative).  ``assigned_share`` is the
    share of tonnes routed; ``unrouted`` lists pairs with no route.  ``border_modes``
    splits the border loads by mode; ``modes`` gives the tonnes on each mode alternative;
    ``queues`` the capacity queues with their load and wait, and ``convergence`` says
    whether the capacity-constrained assignment converged (empty without it).
    """

    links: pd.DataFrame
    borders: pd.DataFrame
    transfers: pd.DataFrame
    routes: pd.DataFrame
    assigned_share: float
    unrouted: pd.DataFrame
    method: str
    border_modes: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame)
    modes: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame)
    queues: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame)
    convergence: str = ""


def path_size_logit(routes: list[Route], theta: float) -> np.ndarray:
    """Return the path-size logit shares of alternative routes (see the module docstring).

    Examples
    --------
    >>> import steppe
    >>> net = steppe.load_network()
    >>> alts = steppe.route(net, "Almaty", "Baku", alternatives=3).routes
    >>> shares = path_size_logit(list(alts), theta=5.0)
    >>> bool(abs(shares.sum() - 1.0) < 1e-12)
    True
    """
    if not routes:
        return np.array([])
    if len(routes) == 1:
        return np.array([1.0])
    use: dict[str, int] = defaultdict(int)
    for r in routes:
        for link in set(r.link_ids):
            use[link] += 1
    ps = []
    for r in routes:
        lengths: dict[str, float] = defaultdict(float)
        for leg in r.legs:
            if leg.kind == "link":
                lengths[leg.ref] += leg.distance_km
        total = sum(lengths.values()) or 1.0
        ps.append(sum(km / total / use[link] for link, km in lengths.items()) or 1.0)
    cost = np.array([r.generalized_cost for r in routes])
    best = float(cost.min()) or 1.0
    util = np.log(np.array(ps)) - theta * (cost - best) / abs(best)
    w = np.exp(util - util.max())
    return np.asarray(w / w.sum(), dtype=float)


def assign(
    network: Network,
    demand: pd.DataFrame,
    options: RouteOptions | None = None,
    *,
    theta: float | None = None,
    alternatives: int = 3,
    coverage: float = 0.99,
    max_pairs: int = 20_000,
    method: Literal["trees", "pairs"] = "trees",
    mode_beta: float | None = None,
    capacity: bool = False,
    queue_demand: QueueDemand = "added",
    tolerance: float = 1e-3,
    max_iterations: int = 50,
    **keywords: Any,
) -> Assignment:
    """Assign yearly OD tonnes to the network's routes.

    Parameters
    ----------
    network
        The network (with a scenario applied, if any).
    demand
        ``origin, destination, tonnes`` per year.
    theta
        Path-size logit scale on the relative generalized cost (routes pairs one by one);
        ``None`` assigns all or nothing.
    alternatives
        Alternatives per pair for the logit (ignored for all-or-nothing).
    coverage
        Assign pairs, largest first, until this share of the tonnes is assigned.
    max_pairs
        Assign at most this many pairs.
    method
        All or nothing by shortest-path ``trees`` (default) or by routing ``pairs`` one by
        one (the reference the trees are tested against).
    mode_beta
        Split each pair's tonnes over road, rail and multimodal routes by a logit on log
        generalized cost with this scale (:mod:`~steppe.appraisal.modechoice`); ``None``:
        no mode choice (the options' modes, one best route).
    capacity
        Let the queues at crossings with a capacity lengthen with the loads and iterate
        to an equilibrium (:mod:`~steppe.appraisal.equilibrium`).
    queue_demand
        ``added`` (default): a queue serves the assigned load on top of its published
        demand; ``assigned``: the assigned load only (an OD table with all the traffic).
    tolerance, max_iterations
        When the capacity-constrained assignment stops (relative gap; iterations).
    options
        The routing options (modes, avoid, cargo, cost model ...); the objective is
        generalized cost unless set.  Keywords are the short form (``avoid=["RUS"]``).

    Returns
    -------
    Assignment

    Examples
    --------
    >>> import pandas as pd, steppe
    >>> net = steppe.load_network()
    >>> od = pd.DataFrame({"origin": ["almaty"], "destination": ["tashkent"], "tonnes": [7300.0]})
    >>> a = assign(net, od)
    >>> float(a.borders["tonnes"].max())
    7300.0
    """
    if theta is not None and not (theta > 0 and math.isfinite(theta)):
        raise ConfigError(f"theta {theta!r} must be a positive number (or None: all or nothing)")
    if not 0 < coverage <= 1:
        raise ConfigError(f"coverage {coverage!r} must lie in (0, 1]")
    if method not in ("trees", "pairs"):
        raise ConfigError(f"method {method!r}: use trees or pairs", parameter="method")
    choice = ModeChoice(mode_beta) if mode_beta is not None else None
    by_pairs = theta is not None or method == "pairs"
    if by_pairs and (choice is not None or capacity):
        raise ConfigError("mode choice and capacity feedback work on shortest-path trees: "
                          "give them without theta and method='pairs'")  # fmt: skip
    opts = RouteOptions.build(options, **keywords)
    # Options that are wrong for every pair (a price month outside the tariffs, an unknown
    # service) fail here, once; the loop below only catches what is wrong for one pair.
    expanded_graph(network, opts)
    table = demand[demand["tonnes"] > 0].sort_values(
        ["tonnes", "origin", "destination"], ascending=[False, True, True], ignore_index=True
    )
    total = float(table["tonnes"].sum())
    if total <= 0:
        raise ConfigError("the demand has no tonnes to assign")
    cum = table["tonnes"].cumsum() / total
    n = min(int(np.searchsorted(cum.to_numpy(), coverage - 1e-12)) + 1, max_pairs, len(table))
    table = table.iloc[:n].reset_index(drop=True)
    if by_pairs:
        return _assign_pairs(network, table, opts, theta, alternatives, total)
    settings = FlowSettings(mode_choice=choice, capacity=capacity, queue_demand=queue_demand,
                            tolerance=tolerance, max_iterations=max_iterations)  # fmt: skip
    flows = network_flows(network, table, opts, settings, metrics=False)
    return _from_flows(network, table, opts, flows, total, choice)


def _from_flows(  # noqa: PLR0917 (private helper)
    network: Network,
    table: pd.DataFrame,
    opts: RouteOptions,
    flows: Flows,
    total: float,
    choice: ModeChoice | None,
) -> Assignment:
    reached = np.isfinite(flows.pair_cost)
    rows = []
    for a, name in enumerate(flows.alternatives):
        share = flows.shares[:, a]
        on = share > 0
        rows.append(pd.DataFrame({
            "origin": table["origin"][on], "destination": table["destination"][on],
            "alternative": a, "corridor": "", "mode": name, "share": share[on],
            "tonnes": table["tonnes"].to_numpy()[on] * share[on],
            "generalized_cost": flows.costs[on, a],
        }))  # fmt: skip
    routes = pd.concat(rows, ignore_index=True).sort_values(
        ["origin", "destination", "alternative"], ignore_index=True
    )
    unrouted = table[~reached].assign(reason="no route")
    border_t: dict[str, float] = {}
    for (b, _), t in flows.borders.items():
        border_t[b] = border_t.get(b, 0.0) + t
    method = "all-or-nothing (shortest-path trees)"
    if choice is not None:
        method += f", mode logit beta={choice.beta:g}"
    modes = pd.DataFrame(
        {
            "mode": list(flows.alternatives),
            "tonnes": (flows.shares * table["tonnes"].to_numpy()[:, None]).sum(0),
        }
    )
    eq = flows.equilibrium
    if eq is not None:
        method += f", capacity-constrained ({eq.method})"
    return _assignment(
        network, opts, flows.links, border_t, flows.transfers, routes=routes,
        assigned=float(table["tonnes"][reached].sum()), total=total,
        unrouted=unrouted[["origin", "destination", "tonnes", "reason"]], method=method,
        border_modes=pd.DataFrame(
            [{"border": b, "mode": m, "tonnes": t} for (b, m), t in flows.borders.items()],
            columns=["border", "mode", "tonnes"],
        ).sort_values(["tonnes", "border"], ascending=[False, True], ignore_index=True),
        modes=modes, queues=flows.queues,
        convergence="" if eq is None else eq.describe(),
    )  # fmt: skip


def _assign_pairs(  # noqa: PLR0917 (private helper)
    network: Network,
    table: pd.DataFrame,
    opts: RouteOptions,
    theta: float | None,
    alternatives: int,
    total: float,
) -> Assignment:
    link_t: dict[str, float] = defaultdict(float)
    border_t: dict[str, float] = defaultdict(float)
    transfer_t: dict[str, float] = defaultdict(float)
    route_rows: list[dict[str, object]] = []
    unrouted: list[dict[str, object]] = []
    assigned = 0.0
    k = alternatives if theta is not None else 1
    n = len(table)
    pairs = table[["origin", "destination", "tonnes"]].itertuples(index=False)
    for j, (o, d, tonnes) in enumerate(pairs):
        report_progress(j, n)
        try:
            res = route(network, o, d, opts, alternatives=k)
        except SteppeError as exc:
            unrouted.append({"origin": o, "destination": d, "tonnes": tonnes, "reason": str(exc)})
            continue
        alts = list(res.routes)
        shares = path_size_logit(alts, theta) if theta is not None else np.array([1.0])
        alts = alts[: len(shares)]
        for i, (r, share) in enumerate(zip(alts, shares, strict=True)):
            t = float(tonnes) * float(share)
            route_rows.append({"origin": o, "destination": d, "alternative": i,
                               "corridor": r.corridor, "mode": "", "share": float(share),
                               "tonnes": t, "generalized_cost": r.generalized_cost})  # fmt: skip
            for leg in r.legs:
                if leg.kind == "link":
                    link_t[leg.ref] += t
                elif leg.kind == "border":
                    border_t[leg.ref] += t
                elif leg.kind == "transfer":
                    transfer_t[leg.ref] += t
        assigned += float(tonnes)
    return _assignment(
        network, opts, link_t, border_t, transfer_t,
        routes=pd.DataFrame(route_rows, columns=_ROUTE_COLUMNS), assigned=assigned, total=total,
        unrouted=pd.DataFrame(unrouted, columns=["origin", "destination", "tonnes", "reason"]),
        method="all-or-nothing (route by route)" if theta is None
        else f"path-size logit, theta={theta:g}, {alternatives} alternatives",
    )  # fmt: skip


_ROUTE_COLUMNS = ["origin", "destination", "alternative", "corridor", "mode", "share", "tonnes",
                  "generalized_cost"]  # fmt: skip


def _assignment(
    network: Network,
    opts: RouteOptions,
    link_t: dict[str, float],
    border_t: dict[str, float],
    transfer_t: dict[str, float],
    *,
    routes: pd.DataFrame,
    assigned: float,
    total: float,
    unrouted: pd.DataFrame,
    method: str,
    **extra: Any,
) -> Assignment:
    per_day = opts.cargo.tonnes * _DAYS
    links = network.links_by_id
    link_rows = [
        {"link": lid, "mode": links[lid].mode.value, "a": links[lid].a, "b": links[lid].b,
         "tonnes": t, "feu_per_day": t / per_day,
         "trucks_per_day": t / per_day if links[lid].mode.value == "road" else 0.0}
        for lid, t in link_t.items()
    ]  # fmt: skip
    out_links = pd.DataFrame(link_rows, columns=["link", "mode", "a", "b", "tonnes",
                                                 "feu_per_day", "trucks_per_day"])  # fmt: skip
    borders = pd.DataFrame(
        [{"border": b, "tonnes": t, "feu_per_day": t / per_day} for b, t in border_t.items()],
        columns=["border", "tonnes", "feu_per_day"],
    )
    transfers = pd.DataFrame(
        [{"transfer": x, "tonnes": t} for x, t in transfer_t.items()],
        columns=["transfer", "tonnes"],
    )
    return Assignment(
        links=out_links.sort_values(["tonnes", "link"], ascending=[False, True], ignore_index=True),
        borders=borders.sort_values(
            ["tonnes", "border"], ascending=[False, True], ignore_index=True
        ),
        transfers=transfers.sort_values(
            ["tonnes", "transfer"], ascending=[False, True], ignore_index=True
        ),
        routes=routes[_ROUTE_COLUMNS],
        assigned_share=assigned / total,
        unrouted=unrouted,
        method=method,
        **extra,
    )
