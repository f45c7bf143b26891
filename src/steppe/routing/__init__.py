"""Freight routing on the multimodal network: shortest routes, alternatives, Pareto sets,
OD matrices and reliability, under one immutable cost model.

Examples
--------
>>> import steppe
>>> net = steppe.load_network()
>>> opts = steppe.routing.RouteOptions(avoid=["RUS"], objective="time")
>>> result = steppe.routing.route(net, "Ulaanbaatar", "Almaty", opts)
>>> result.best.time_h > 0
True
"""

from steppe.routing.costs import Cargo, CostModel
from steppe.routing.matrix import MatrixResult, matrix
from steppe.routing.options import Objective, RouteOptions
from steppe.routing.pareto import pareto
from steppe.routing.paths import route
from steppe.routing.reliability import ReliabilityResult, reliability
from steppe.routing.result import Leg, Route, RouteResult

__all__ = [
    "Cargo",
    "CostModel",
    "Leg",
    "MatrixResult",
    "Objective",
    "ReliabilityResult",
    "Route",
    "RouteOptions",
    "RouteResult",
    "matrix",
    "pareto",
    "reliability",
    "route",
]
