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

import importlib
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

from steppe.routing.costs import Cargo, CostModel
from steppe.routing.options import Objective, RouteOptions
from steppe.routing.pareto import pareto
from steppe.routing.paths import route
from steppe.routing.reliability import ReliabilityResult, reliability
from steppe.routing.result import Leg, Route, RouteResult

if TYPE_CHECKING:
    from steppe.routing.matrix import MatrixResult, matrix

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


class _Package(ModuleType):
    """This package, whose ``matrix`` is the function even once its module is imported.

    The OD-matrix module (and pandas with it) is imported on first use, so that one route
    from the command line does not pay for it; importing a submodule binds its name on the
    package, and this keeps ``steppe.routing.matrix`` the function, as it always was.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "matrix" and isinstance(value, ModuleType):
            value = value.matrix
        super().__setattr__(name, value)


def __getattr__(name: str) -> Any:
    if name in ("matrix", "MatrixResult"):
        module = importlib.import_module(f"{__name__}.matrix")  # _Package binds the function
        globals()["MatrixResult"] = module.MatrixResult
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


sys.modules[__name__].__class__ = _Package
