"""Freight routing on the multimodal network: shortest routes, alternatives, Pareto sets,
OD matrices and reliability, under one immutable cost model.

Examples
--------
>>> import steppe
>>> net = steppe.load_network()
>>> steppe.routing.route(net, "Ulaanbaatar", "Almaty", optimize="time").best.corridor  # doctest: +SKIP
'via ...'
"""

from steppe.routing.costs import Cargo, CostModel
from steppe.routing.paths import route
from steppe.routing.result import Leg, Route, RouteResult

__all__ = ["Cargo", "CostModel", "Leg", "Route", "RouteResult", "route"]
