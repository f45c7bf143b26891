"""Capacity-constrained assignment: queues that lengthen with the loads, to an equilibrium.

The search for a user equilibrium (Wardrop: no shipment can lower its generalized cost
by changing route) is the classic Frank–Wolfe method on Beckmann's objective, or the
method of successive averages (MSA, or its self-regulated variant) when the loading is
not all-or-nothing (a mode logit):

1. load the demand all or nothing at the uncongested costs: flows ``x``;
2. cost every edge at ``x`` (queue delays at the binding crossings), load all or nothing
   at those costs: the auxiliary flows ``y``;
3. the relative gap ``|x·c(x) − y·c(x)| / x·c(x)`` says how far ``x`` is from an
   equilibrium (0 at one: no pair has a cheaper route than the one it uses);
4. move ``x`` towards ``y`` by the step that minimises Beckmann's objective on the segment
   (bisection on ``(y − x)·c(x + α(y − x)) = 0``; Frank–Wolfe), or by ``1/(k+1)`` (MSA), or
   by self-regulated averaging (SRA: Liu, Ban, Ran & Mirchandani 2009, *Networks and
   Spatial Economics* 9(4), a faster MSA for stochastic loadings);
5. repeat until the gap is below the tolerance, or stop after ``max_iterations`` and say
   that it did not converge.

:func:`solve_equilibrium` is generic (a loading function and an edge-cost function over
one flat flow vector), so the tests check it against a two-link network solved by hand.
:func:`queue_delays` is the edge-cost term steppe uses: the M/D/c wait of the time model
(:func:`steppe.routing.waits.mdc_wait_h`) at the crossing's capacity with the assigned
trains or trucks per day, minus the wait the uncongested graph already charges.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from steppe.appraisal.loading import TreeGroup
from steppe.errors import ConfigError
from steppe.network.calendars import QueueSpec
from steppe.network.model import Network
from steppe.routing.waits import mdc_wait_h

__all__ = [
    "FEU_PER_TRAIN",
    "RHO_MAX",
    "EquilibriumResult",
    "QueueMap",
    "mdc_wait_extended_h",
    "queue_map",
    "solve_equilibrium",
]

FloatArray = npt.NDArray[np.float64]
#: FEU per container train: 100 TEU per train (index1520, 2022), as the time model's
#: demand estimates in ``docs/time-model.md`` use.
FEU_PER_TRAIN = 50.0
#: Above this utilisation the M/D/c wait is continued along its tangent, so an
#: overloaded crossing has a large but finite, increasing wait (an iterate may overload).
RHO_MAX = 0.95
_SRA_UP, _SRA_DOWN = 1.5, 0.05  # self-regulated averaging, Liu et al. (2009)
QueueDemand = Literal["assigned", "added"]


def mdc_wait_extended_h(demand_per_day: float, capacity_per_day: float, servers: int = 1) -> float:
    """Return the M/D/c wait (hours), continued linearly above ``RHO_MAX`` utilisation.

    Examples
    --------
    >>> round(mdc_wait_extended_h(12.0, 24.0), 3)  # as mdc_wait_h below RHO_MAX
    0.5
    >>> mdc_wait_extended_h(30.0, 24.0) > mdc_wait_extended_h(24.0, 24.0) > 0
    True
    """
    knee = RHO_MAX * capacity_per_day
    if demand_per_day <= knee:
        return mdc_wait_h(demand_per_day, capacity_per_day, servers)
    h = 1e-4 * capacity_per_day
    top = mdc_wait_h(knee, capacity_per_day, servers)
    slope = (top - mdc_wait_h(knee - h, capacity_per_day, servers)) / h
    return top + slope * (demand_per_day - knee)


@dataclass(frozen=True, slots=True)
class EquilibriumResult:
    """Flows at the last iterate, the gap of every iteration, and whether it converged."""

    flows: FloatArray
    gaps: tuple[float, ...]
    converged: bool
    method: str
    tolerance: float

    @property
    def iterations(self) -> int:
        """Return the number of iterations run."""
        return len(self.gaps)

    @property
    def gap(self) -> float:
        """Return the last relative gap."""
        return self.gaps[-1] if self.gaps else float("nan")

    def describe(self) -> str:
        """Return one sentence on the convergence."""
        state = "converged" if self.converged else "did NOT converge"
        return (f"{self.method} {state}: relative gap {self.gap:.2e} after {self.iterations} "
                f"iterations (tolerance {self.tolerance:.0e})")  # fmt: skip


def solve_equilibrium(
    load: Callable[[FloatArray], FloatArray],
    edge_cost: Callable[[FloatArray], FloatArray],
    n_edges: int,
    *,
    method: Literal["frank-wolfe", "msa", "sra"] = "frank-wolfe",
    tolerance: float = 1e-3,
    max_iterations: int = 50,
) -> EquilibriumResult:
    """Find flows at which no demand can lower its cost by moving (see the module docstring).

    Parameters
    ----------
    load
        Edge costs -> the flows of loading the demand at those costs.
    edge_cost
        Flows -> the cost of every edge (non-decreasing in its flow).
    n_edges
        Length of the flow vector.
    method
        ``frank-wolfe`` (line search; for all-or-nothing loading), ``msa`` (steps
        ``1/(k+1)``) or ``sra`` (self-regulated averaging: steps ``1/η``, ``η`` growing by
        1.5 when the residual ``|y − x|`` grows and by 0.05 when it falls; for a logit
        loading).
    tolerance, max_iterations
        Stop when the relative gap is below ``tolerance``, or after this many iterations.

    Returns
    -------
    EquilibriumResult

    Examples
    --------
    Two parallel links, cost 1 + x and 2 + x, demand 3: equilibrium 2 and 1.

    >>> import numpy as np
    >>> cost = lambda x: np.array([1.0, 2.0]) + x
    >>> aon = lambda c: np.array([3.0, 0.0]) if c[0] <= c[1] else np.array([0.0, 3.0])
    >>> r = solve_equilibrium(aon, cost, 2, tolerance=1e-9, max_iterations=100)
    >>> [round(float(v), 6) for v in r.flows], r.converged
    ([2.0, 1.0], True)
    """
    if not (0 < tolerance < 1):
        raise ConfigError(f"tolerance {tolerance!r} must lie in (0, 1)", parameter="tolerance")
    if max_iterations < 1:
        raise ConfigError(f"max_iterations {max_iterations!r} must be at least 1",
                          parameter="max_iterations")  # fmt: skip
    x = load(edge_cost(np.zeros(n_edges)))
    gaps: list[float] = []
    eta, last = 1.0, np.inf
    for k in range(1, max_iterations + 1):
        c = edge_cost(x)
        y = load(c)
        total = float(x @ c)
        gap = abs(total - float(y @ c)) / total if total > 0 else 0.0
        gaps.append(gap)
        if gap < tolerance:
            return EquilibriumResult(x, tuple(gaps), True, method, tolerance)
        d = y - x
        if method == "frank-wolfe":
            step = _line_search(edge_cost, x, d)
        elif method == "sra":
            # self-regulated averaging (Liu, Ban, Ran & Mirchandani 2009): the step shrinks
            # fast while the residual grows and slowly while it falls
            residual = float(np.abs(d).sum())
            eta += _SRA_UP if residual >= last else _SRA_DOWN
            last, step = residual, 1.0 / eta
        else:
            step = 1.0 / (k + 1)
        x = x + step * d
    return EquilibriumResult(x, tuple(gaps), False, method, tolerance)


def _line_search(edge_cost: Callable[[FloatArray], FloatArray], x: FloatArray,
                 d: FloatArray) -> float:  # fmt: skip
    """Return the step in [0, 1] where the directional derivative of Beckmann's objective is 0."""
    if float(d @ edge_cost(x + d)) <= 0:
        return 1.0
    lo, hi = 0.0, 1.0
    for _ in range(40):
        mid = (lo + hi) / 2
        if float(d @ edge_cost(x + mid * d)) > 0:
            hi = mid
        else:
            lo = mid
    return (lo + hi) / 2


@dataclass(frozen=True, slots=True)
class QueueMap:
    """The capacity queues of a network and the graph edges that join each.

    ``edges[g]`` gives, per edge of group ``g``'s graph (in the flat flow vector, starting
    at ``offsets[g]``), the queue it joins (-1: none).  ``per_unit`` converts tonnes per
    year to the queue's units per day; ``base_h`` is the wait the uncongested graph
    already charges (the queue at its published demand).
    """

    specs: tuple[QueueSpec, ...]
    edge_queue: npt.NDArray[np.int64]
    per_unit: FloatArray
    base_h: FloatArray
    background: FloatArray
    value_of_time: FloatArray

    def flows_per_day(self, flows: FloatArray) -> FloatArray:
        """Return each queue's assigned load in its units per day."""
        on = self.edge_queue >= 0
        tonnes = np.bincount(self.edge_queue[on], weights=flows[on], minlength=len(self.specs))
        return np.asarray(tonnes * self.per_unit, dtype=float)

    def delay_h(self, flows: FloatArray) -> FloatArray:
        """Return the extra hours of every edge at these flows (the flat edge vector)."""
        per_day = self.background + self.flows_per_day(flows)
        waits = np.array([mdc_wait_extended_h(float(lam), float(q.capacity_per_day or 0.0),
                                              q.servers)
                          for lam, q in zip(per_day, self.specs, strict=True)])  # fmt: skip
        extra = waits - self.base_h
        out = np.zeros(len(self.edge_queue))
        on = self.edge_queue >= 0
        out[on] = extra[self.edge_queue[on]]
        return out


def queue_map(
    network: Network, groups: Sequence[TreeGroup], *, demand: QueueDemand = "added"
) -> QueueMap:
    """Return the capacity queues at border crossings and the edges (of every group) they hold.

    Only ``mdc`` queues with a capacity in trains or trucks per day count: a train is
    ``FEU_PER_TRAIN`` FEU, a truck one FEU (the cost model's tonnes per FEU).  With
    ``demand="added"`` (default) the assigned load comes on top of the published demand
    the time model uses — right when the demand is not all the traffic of the crossing,
    as steppe's default demand (Kazakhstan's trade) is not; with ``"assigned"`` the queue
    serves the assigned load only (it replaces the published demand: for an OD table that
    holds all the traffic).
    """
    if demand not in ("assigned", "added"):
        raise ConfigError(f"queue demand {demand!r}: use assigned or added", parameter="demand")
    specs = [q for q in network.queues
             if q.applies_to == "border" and q.model == "mdc" and q.capacity_per_day
             and q.unit in ("trains", "trucks")]  # fmt: skip
    borders = {b.id: (i, b) for i, b in enumerate(network.borders)}
    edge_parts = []
    vot = []
    per_unit = np.zeros(len(specs))
    for g in groups:
        graph = g.graph
        q_of = np.full(len(graph.src), -1, dtype=np.int64)
        for k, q in enumerate(specs):
            if q.ref not in borders:
                continue
            idx, border = borders[q.ref]
            edges = np.flatnonzero(graph.border == idx)
            for e in edges.tolist():
                link = network.links[int(graph.link[e])]
                if link.mode != q.mode:
                    continue
                forward = graph.node_ids[int(graph.vertex_node[graph.src[e]])] == border.a
                if q.direction == "both" or (q.direction == "ab") == forward:
                    q_of[e] = k
        edge_parts.append(q_of)
        vot.append(np.full(len(graph.src), graph.value_of_time))
        tonnes = graph.options.cargo.tonnes if graph.options is not None else 20.0
        for k, q in enumerate(specs):
            per_unit[k] = 1.0 / (tonnes * (FEU_PER_TRAIN if q.unit == "trains" else 1.0) * 365.0)
    published = np.array([float(np.mean(q.demand_per_day)) if q.demand_per_day else 0.0
                          for q in specs])  # fmt: skip
    base = np.array([mdc_wait_h(lam, float(q.capacity_per_day or 0.0), q.servers)
                     for lam, q in zip(published, specs, strict=True)])  # fmt: skip
    return QueueMap(
        specs=tuple(specs),
        edge_queue=np.concatenate(edge_parts) if edge_parts else np.zeros(0, np.int64),
        per_unit=per_unit,
        base_h=base,
        background=published if demand == "added" else np.zeros(len(specs)),
        value_of_time=np.concatenate(vot) if vot else np.zeros(0),
    )
