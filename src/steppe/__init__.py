"""steppe: plan and evaluate freight corridors across Eurasia.

The short public API.  Names are imported on first use, so ``import steppe`` stays
fast and loads neither DuckDB nor the econometrics stack until they are needed.

Examples
--------
>>> import steppe
>>> net = steppe.load_network()
>>> steppe.find_place(net, "Öskemen").name
'Oskemen'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "Mode": "steppe.network",
    "Network": "steppe.network",
    "Node": "steppe.network",
    "SteppeError": "steppe.errors",
    "find_place": "steppe.network",
    "load_network": "steppe.network",
    "read_network": "steppe.network",
    "resolve_country": "steppe.countries",
    "search_places": "steppe.network",
    "validate_network": "steppe.network",
    "write_network": "steppe.network",
}

__all__ = [
    "Mode",
    "Network",
    "Node",
    "SteppeError",
    "__version__",
    "find_place",
    "load_network",
    "read_network",
    "resolve_country",
    "search_places",
    "validate_network",
    "write_network",
]

if TYPE_CHECKING:
    from steppe.countries import resolve_country
    from steppe.errors import SteppeError
    from steppe.network import (
        Mode,
        Network,
        Node,
        find_place,
        load_network,
        read_network,
        search_places,
        validate_network,
        write_network,
    )


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'steppe' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
