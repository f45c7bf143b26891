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

Pairs are routed one by one (:func:`steppe.routing.route`), largest first, until
``coverage`` of the tonnes is assigned; the rest is reported, not guessed.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from steppe._progress import report_progress
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
    share and tonnes.  ``assigned_share`` is the share of tonnes routed; ``unrouted``
    lists pairs with no route.
    """

    links: pd.DataFrame
    borders: pd.DataFrame
    transfers: pd.DataFrame
    routes: pd.DataFrame
    assigned_share: float
    unrouted: pd.DataFrame
    method: str


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
        Logit scale on the relative generalized cost; ``None`` assigns all or nothing.
    alternatives
        Alternatives per pair for the logit (ignored for all-or-nothing).
    coverage
        Route pairs, largest first, until this share of the tonnes is assigned.
    max_pairs
        Route at most this many pairs.
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
    opts = RouteOptions.build(options, **keywords)
    # Options that are wrong for every pair (a price month outside the tariffs, an unknown
    # service) fail here, once; the loop below only catches what is wrong for one pair.
    expanded_graph(network, opts)
    cargo = opts.cargo
    table = demand[demand["tonnes"] > 0].sort_values(
        ["tonnes", "origin", "destination"], ascending=[False, True, True], ignore_index=True
    )
    total = float(table["tonnes"].sum())
    if total <= 0:
        raise ConfigError("the demand has no tonnes to assign")
    cum = table["tonnes"].cumsum() / total
    n = min(int(np.searchsorted(cum.to_numpy(), coverage - 1e-12)) + 1, max_pairs, len(table))
    link_t: dict[str, float] = defaultdict(float)
    border_t: dict[str, float] = defaultdict(float)
    transfer_t: dict[str, float] = defaultdict(float)
    route_rows: list[dict[str, object]] = []
    unrouted: list[dict[str, object]] = []
    assigned = 0.0
    k = alternatives if theta is not None else 1
    pairs = table.iloc[:n][["origin", "destination", "tonnes"]].itertuples(index=False)
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
                               "corridor": r.corridor, "share": float(share), "tonnes": t,
                               "generalized_cost": r.generalized_cost})  # fmt: skip
            for leg in r.legs:
                if leg.kind == "link":
                    link_t[leg.ref] += t
                elif leg.kind == "border":
                    border_t[leg.ref] += t
                elif leg.kind == "transfer":
                    transfer_t[leg.ref] += t
        assigned += float(tonnes)
    per_day = cargo.tonnes * _DAYS
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
        routes=pd.DataFrame(
            route_rows,
            columns=[
                "origin",
                "destination",
                "alternative",
                "corridor",
                "share",
                "tonnes",
                "generalized_cost",
            ],
        ),
        assigned_share=(assigned / total),
        unrouted=pd.DataFrame(unrouted, columns=["origin", "destination", "tonnes", "reason"]),
        method="all-or-nothing"
        if theta is None
        else f"path-size logit, theta={theta:g}, {alternatives} alternatives",
    )
