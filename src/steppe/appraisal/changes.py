"""Per-pair changes of a project with mode choice and queue feedback (rule of half).

With a mode logit the shipments of a pair spread over road, rail and multimodal routes,
and the project can move them between modes.  The change in each component ``x`` (hours,
USD, kg CO2 and generalized cost per shipment) is the rule-of-half sum over the
alternatives (Ben-Akiva & Lerman 1985, the consumer surplus of a logit approximated
linearly):

.. math::

    \\Delta x = \\sum_m \\tfrac12 (P^0_m + P^1_m) (x^1_m - x^0_m),

and for an alternative that exists on one side only (a new rail link), its shipments gain
half the difference to the pair's average on the other side (``X^0 = Σ P^0_m x^0_m``):
``½ P^1_m (x^1_m − X^0)`` for a new one, ``½ P^0_m (X^1 − x^0_m)`` for one that closes.
Without mode choice this is the plain difference of the best routes.  With capacity
feedback both sides are equilibria (their hours include the queues at the final loads).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from steppe.appraisal.flows import Flows, FlowSettings, network_flows
from steppe.network.model import Network
from steppe.routing.options import RouteOptions

__all__ = ["flow_changes", "rule_of_half"]

FloatArray = npt.NDArray[np.float64]


def rule_of_half(p0: FloatArray, p1: FloatArray, x0: FloatArray, x1: FloatArray) -> FloatArray:
    """Return the per-pair rule-of-half change of ``x`` (pairs × alternatives inputs).

    Examples
    --------
    >>> import numpy as np
    >>> p0, p1 = np.array([[0.5, 0.5]]), np.array([[0.25, 0.75]])
    >>> x0, x1 = np.array([[10.0, 10.0]]), np.array([[10.0, 6.0]])
    >>> float(rule_of_half(p0, p1, x0, x1)[0])  # 0.5 * (0.5 + 0.75) * (6 - 10)
    -2.5
    """
    both = (p0 > 0) & (p1 > 0)
    avg0 = np.nansum(np.where(p0 > 0, p0 * x0, 0.0), axis=1, keepdims=True)
    avg1 = np.nansum(np.where(p1 > 0, p1 * x1, 0.0), axis=1, keepdims=True)
    kept = np.where(both, 0.5 * (p0 + p1) * (x1 - x0), 0.0)
    new = np.where((p0 == 0) & (p1 > 0), 0.5 * p1 * (x1 - avg0), 0.0)
    gone = np.where((p0 > 0) & (p1 == 0), 0.5 * p0 * (avg1 - x0), 0.0)
    return np.asarray(np.nansum(kept + new + gone, axis=1), dtype=float)


def _dominant(flows: Flows) -> npt.NDArray[np.object_]:
    """Return each pair's mode alternative with the largest share ("" without mode choice)."""
    names = np.array(["" if n == "all" else n for n in flows.alternatives], dtype=object)
    out = names[np.argmax(flows.shares, axis=1)]
    out[flows.shares.sum(axis=1) == 0] = ""
    return np.asarray(out, dtype=object)


def flow_changes(  # noqa: PLR0917 (two networks, two options)
    baseline: Network,
    project: Network,
    table: pd.DataFrame,
    base_options: RouteOptions,
    project_options: RouteOptions,
    settings: FlowSettings,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return per-pair changes (the columns :func:`~steppe.appraisal.appraise` needs) and
    the border loads with and without the project.

    Pairs with no route on either side are left out.
    """
    f0 = network_flows(baseline, table, base_options, settings)
    f1 = network_flows(project, table, project_options, settings)
    ok = np.isfinite(f0.pair_cost) & np.isfinite(f1.pair_cost)
    p0, p1 = f0.shares, f1.shares
    names = {n.id: n.name for n in baseline.nodes} | {n.id: n.name for n in project.nodes}
    out = pd.DataFrame({
        "origin": table["origin"], "destination": table["destination"],
        "origin_name": table["origin"].map(names), "destination_name":
        table["destination"].map(names), "tonnes": table["tonnes"].astype(float),
        "generalized_cost_base": f0.pair_cost, "generalized_cost_scen": f1.pair_cost,
        "generalized_cost_delta": rule_of_half(p0, p1, f0.costs, f1.costs),
        "time_h_delta": rule_of_half(p0, p1, f0.metrics[..., 0], f1.metrics[..., 0]),
        "cost_usd_delta": rule_of_half(p0, p1, f0.metrics[..., 1], f1.metrics[..., 1]),
        "co2_kg_delta": rule_of_half(p0, p1, f0.metrics[..., 2], f1.metrics[..., 2]),
        "corridor_base": _dominant(f0), "corridor_scen": _dominant(f1),
    })  # fmt: skip
    border = pd.concat(
        [pd.Series(_by_border(f0), name="tonnes_base", dtype=float),
         pd.Series(_by_border(f1), name="tonnes_scen", dtype=float)], axis=1,
    ).fillna(0.0)  # fmt: skip
    border["tonnes_delta"] = border["tonnes_scen"] - border["tonnes_base"]
    border = border.rename_axis("border").reset_index()
    border = border.sort_values(["tonnes_scen", "border"], ascending=[False, True],
                                ignore_index=True)  # fmt: skip
    return out[ok].reset_index(drop=True), border


def _by_border(flows: Flows) -> dict[str, float]:
    out: dict[str, float] = {}
    for (b, _), t in flows.borders.items():
        out[b] = out.get(b, 0.0) + t
    return out
