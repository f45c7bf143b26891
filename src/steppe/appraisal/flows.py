"""Network flows of an OD table: mode choice, tree loading and, optionally, queue feedback.

:func:`network_flows` is the engine behind :func:`steppe.appraisal.assign` (without a
path-size logit): it builds the shortest-path trees of each mode alternative
(:mod:`~steppe.appraisal.loading`), splits every pair's tonnes over the alternatives by
the mode logit (:mod:`~steppe.appraisal.modechoice`) and loads them all or nothing; with
``capacity=True`` it repeats this to an equilibrium in which the queues at binding
crossings lengthen with the loads (:mod:`~steppe.appraisal.equilibrium`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from steppe.appraisal.equilibrium import (
    EquilibriumResult,
    QueueDemand,
    QueueMap,
    queue_map,
    solve_equilibrium,
)
from steppe.appraisal.loading import (
    TreeGroup,
    Trees,
    edge_tables,
    push_loads,
    shortest_trees,
    tree_groups,
)
from steppe.appraisal.modechoice import MODE_ALTERNATIVES, ModeChoice, mode_shares
from steppe.errors import ConfigError
from steppe.network.model import Network
from steppe.routing._trees import forest
from steppe.routing.options import RouteOptions

__all__ = ["FlowSettings", "Flows", "network_flows"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class FlowSettings:
    """How to load the demand: mode choice (``None``: off) and capacity feedback."""

    mode_choice: ModeChoice | None = None
    capacity: bool = False
    queue_demand: QueueDemand = "added"
    tolerance: float = 1e-3
    max_iterations: int = 50


@dataclass(frozen=True, slots=True)
class Flows:
    """Loads by link, (border, mode) and transfer; per pair, its cost and mode shares.

    ``pair_cost`` is each pair's generalized cost per shipment (share-weighted over the
    modes; NaN: no route); ``costs`` and ``shares`` are pairs × ``alternatives``;
    ``metrics`` is pairs × alternatives × (hours, USD, kg CO2) per shipment, the hours
    with the queue delays at the final loads;
    ``queues`` lists the capacity queues with their assigned load and wait;
    ``equilibrium`` is ``None`` without capacity feedback.
    """

    links: dict[str, float]
    borders: dict[tuple[str, str], float]
    transfers: dict[str, float]
    pair_cost: FloatArray
    costs: FloatArray
    metrics: FloatArray
    alternatives: tuple[str, ...]
    shares: FloatArray
    queues: pd.DataFrame
    equilibrium: EquilibriumResult | None


def _alternatives(opts: RouteOptions, choice: ModeChoice | None) -> list[tuple[str, RouteOptions]]:
    if choice is None:
        return [("all", opts)]
    out = []
    for name in choice.alternatives:
        modes = MODE_ALTERNATIVES[name]
        allowed = opts.modes if modes is None else modes & opts.modes
        if allowed:
            out.append((name, dataclasses.replace(opts, modes=allowed)))
    if not out:
        raise ConfigError("mode choice: none of the alternatives uses an allowed mode",
                          parameter="modes")  # fmt: skip
    return out


class _Engine:
    """The flat edge vector over every (alternative, group) and the loading on it."""

    def __init__(self, network: Network, table: pd.DataFrame, settings: FlowSettings,
                 opts: RouteOptions) -> None:  # fmt: skip
        self.alts = _alternatives(opts, settings.mode_choice)
        self.beta = settings.mode_choice.beta if settings.mode_choice is not None else 0.0
        self.tonnes = table["tonnes"].to_numpy(dtype=float)
        self.groups: list[tuple[int, TreeGroup]] = [
            (a, g) for a, (_, o) in enumerate(self.alts) for g in tree_groups(network, table, o)
        ]
        sizes = [len(g.graph.src) for _, g in self.groups]
        self.offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        self.base = np.concatenate(
            [g.graph.cost_usd + g.graph.value_of_time * g.graph.time_h for _, g in self.groups]
        ) if self.groups else np.zeros(0)  # fmt: skip
        self.pair_cost = np.full((len(self.tonnes), len(self.alts)), np.nan)
        self.shares = np.zeros((len(self.tonnes), len(self.alts)))
        self.trees: list[Trees] = []

    @property
    def n(self) -> int:
        return int(self.offsets[-1])

    def segment(self, k: int) -> slice:
        return slice(int(self.offsets[k]), int(self.offsets[k + 1]))

    def metrics(self, extra_h: FloatArray | None) -> FloatArray:
        """Return hours, USD and kg CO2 per shipment along the last trees, per pair and mode."""
        out = np.full((len(self.tonnes), len(self.alts), 3), np.nan)
        for k, ((a, g), trees) in enumerate(zip(self.groups, self.trees, strict=True)):
            graph = g.graph
            pred = trees.pred
            hours = graph.time_h if extra_h is None else graph.time_h + extra_h[self.segment(k)]
            weights = np.column_stack([hours, graph.cost_usd, graph.co2_kg])
            sums = _path_sums(pred, g.sources, trees.all_edges(), weights)
            values = sums[g.rows, g.ends]
            values[pred[g.rows, g.ends] < 0] = np.nan
            out[g.od, a] = values
        return out

    def load(self, costs: FloatArray) -> FloatArray:
        """Return the flows of loading the demand at these edge costs."""
        congested = not np.array_equal(costs, self.base)
        trees: list[Trees] = []
        cost = np.full((len(self.tonnes), len(self.alts)), np.nan)
        for k, (a, g) in enumerate(self.groups):
            d, t = shortest_trees(g, costs[self.segment(k)] if congested else None)
            cost[g.od, a] = np.where(np.isfinite(d), d, np.nan)
            trees.append(t)
        if len(self.alts) == 1:
            shares = np.isfinite(cost).astype(float)
        else:
            shares = mode_shares(cost, self.beta, tuple(n for n, _ in self.alts))
        self.pair_cost, self.shares, self.trees = cost, shares, trees
        flows = np.zeros(self.n)
        for k, ((a, g), t) in enumerate(zip(self.groups, trees, strict=True)):
            flows[self.segment(k)] = push_loads(g, t, self.tonnes[g.od] * shares[g.od, a])
        return flows


def network_flows(
    network: Network,
    table: pd.DataFrame,
    options: RouteOptions,
    settings: FlowSettings | None = None,
    *,
    metrics: bool = True,
) -> Flows:
    """Load ``table`` (``origin``, ``destination``, ``tonnes``) onto the network.

    Parameters
    ----------
    network
        The network (a scenario applied, if any).
    table
        Tonnes per year between node ids.
    options
        The routing options; the routes minimise generalized cost.
    settings
        Mode choice and capacity feedback (default: neither).
    metrics
        Also sum hours, USD and CO2 along every pair's route (``Flows.metrics``; NaN
        when ``False``).

    Returns
    -------
    Flows
    """
    s = settings or FlowSettings()
    engine = _Engine(network, table, s, options)
    result: EquilibriumResult | None = None
    queues: QueueMap | None = None
    if s.capacity:
        queues = queue_map(network, [g for _, g in engine.groups], demand=s.queue_demand)
        qmap = queues

        def edge_cost(x: FloatArray) -> FloatArray:
            return np.asarray(engine.base + qmap.value_of_time * qmap.delay_h(x), dtype=float)

        result = solve_equilibrium(
            engine.load, edge_cost, engine.n,
            method="sra" if len(engine.alts) > 1 else "frank-wolfe",
            tolerance=s.tolerance, max_iterations=s.max_iterations,
        )  # fmt: skip
        flows = result.flows
        engine.load(edge_cost(flows))  # the pairs' costs and shares at the final flows
        sums = engine.metrics(qmap.delay_h(flows)) if metrics else None
    else:
        flows = engine.load(engine.base)
        sums = engine.metrics(None) if metrics else None
    if sums is None:
        sums = np.full((len(engine.tonnes), len(engine.alts), 3), np.nan)
    links: dict[str, float] = {}
    borders: dict[tuple[str, str], float] = {}
    transfers: dict[str, float] = {}
    for k, (_, g) in enumerate(engine.groups):
        lk, bd, tr = edge_tables([g], [flows[engine.segment(k)]])
        for lid, v in lk.items():
            links[lid] = links.get(lid, 0.0) + v
        for bm, v in bd.items():
            borders[bm] = borders.get(bm, 0.0) + v
        for xid, v in tr.items():
            transfers[xid] = transfers.get(xid, 0.0) + v
    with np.errstate(invalid="ignore"):
        pair_cost = np.nansum(engine.pair_cost * engine.shares, axis=1)
    pair_cost[engine.shares.sum(axis=1) == 0] = np.nan
    return Flows(
        links=links, borders=borders, transfers=transfers, pair_cost=pair_cost,
        costs=engine.pair_cost, metrics=sums,
        alternatives=tuple(n for n, _ in engine.alts), shares=engine.shares,
        queues=_queue_table(queues, flows), equilibrium=result,
    )  # fmt: skip


def _queue_table(queues: QueueMap | None, flows: FloatArray) -> pd.DataFrame:
    columns = ["queue", "border", "mode", "direction", "capacity_per_day", "unit",
               "assigned_per_day", "demand_per_day", "wait_h", "uncongested_wait_h"]  # fmt: skip
    if queues is None or not queues.specs:
        return pd.DataFrame(columns=columns)
    per_day = queues.flows_per_day(flows)
    from steppe.appraisal.equilibrium import mdc_wait_extended_h

    rows = []
    for q, x, bg, base in zip(queues.specs, per_day, queues.background, queues.base_h,
                              strict=True):  # fmt: skip
        lam = float(bg + x)
        rows.append({"queue": q.id, "border": q.ref, "mode": q.mode.value,
                     "direction": q.direction, "capacity_per_day": q.capacity_per_day,
                     "unit": q.unit, "assigned_per_day": float(x), "demand_per_day": lam,
                     "wait_h": mdc_wait_extended_h(lam, float(q.capacity_per_day or 0.0),
                                                   q.servers),
                     "uncongested_wait_h": float(base)})  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def _path_sums(
    pred: npt.NDArray[np.int32], sources: IntArray, edge: IntArray, weights: FloatArray
) -> FloatArray:
    """Return each metric summed from the root down to every tree vertex.

    Rows × vertices × metrics; ``edge`` is the edge into each vertex (-1 at roots and
    vertices the tree does not reach, whose sums are 0).
    """
    n_rows, n = pred.shape
    trees = forest(pred, np.arange(n_rows, dtype=np.int64) * n + sources)
    into = edge.reshape(-1)[trees.order]
    values = np.where(into >= 0, weights[np.maximum(into, 0)].T, 0.0)
    trees.accumulate(values, overwrite=True)
    out = np.zeros((n_rows * n, weights.shape[1]))
    out[trees.order] = values.T
    return out.reshape(n_rows, n, weights.shape[1])
