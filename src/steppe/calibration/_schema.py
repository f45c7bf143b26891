"""The columns, units and allowed values of an observations file, in one place."""

from __future__ import annotations

import hashlib
from typing import Final, Literal

__all__ = [
    "COLUMNS",
    "COMPONENTS",
    "DIRECTIONS",
    "QUANTITIES",
    "REQUIRED",
    "SERVICES",
    "UNITS",
    "Component",
    "Quantity",
    "split_role",
]

Quantity = Literal["time", "price", "distance", "volume"]
Component = Literal["total", "line_haul", "border", "transfer", "port", "ferry_wait"]

QUANTITIES: Final = ("time", "price", "distance", "volume")
COMPONENTS: Final = ("total", "line_haul", "border", "transfer", "port", "ferry_wait")
SERVICES: Final = (
    "block_train", "container_train", "express_train", "wagon_load", "truck", "ferry", "sea",
    "any",
)  # fmt: skip

#: unit -> (quantity, factor to hours / USD / km / tonnes, cargo the price is for); a
#: volume is the tonnes over the row's ``period`` (both directions together)
UNITS: Final[dict[str, tuple[str, float, str]]] = {
    "h": ("time", 1.0, "feu"),
    "d": ("time", 24.0, "feu"),
    "km": ("distance", 1.0, "feu"),
    "USD/FEU": ("price", 1.0, "feu"),
    "USD/TEU": ("price", 1.0, "teu"),
    "USD/truck": ("price", 1.0, "feu"),
    "USD/wagon": ("price", 1.0, "feu"),
    "USD/tonne": ("price", 1.0, "tonnes"),
    "t": ("volume", 1.0, "tonnes"),
    "Mt": ("volume", 1e6, "tonnes"),
}

COLUMNS: Final = (
    "id", "quantity", "origin", "destination", "via", "modes", "avoid", "scenario", "corridor",
    "service", "component", "low", "high", "unit", "currency_year", "period", "source_title",
    "source_url", "source_date", "sets_default", "role", "note", "direction",
)  # fmt: skip
#: ``direction``: empty for a figure about origin -> destination; ``both`` for a figure
#: averaged over both directions (a national two-way average), measured as the mean of
#: the model's two directions
DIRECTIONS: Final = ("", "both")
REQUIRED: Final = (
    "id", "quantity", "origin", "destination", "modes", "component", "unit", "period",
    "source_title", "source_date", "role",
)  # fmt: skip


def split_role(row_id: str, quantity: str, sets_default: bool) -> str:
    """Return the role (``fit`` or ``check``) the register's fixed split gives a row.

    The rule was fixed before any fit and is never changed to improve results:
    distance rows are ``check`` (lengths are measured, never fitted); a row whose figure
    set one of the network's defaults is ``fit`` (it anchors that default); every other
    row is ``check`` when the first 32 bits of the SHA-256 of its id are divisible by 3,
    else ``fit`` (about one third held out).

    Examples
    --------
    >>> split_role("ort_new_route_837km", "distance", False)
    'check'
    >>> split_role("anything", "time", True)
    'fit'
    """
    if quantity == "distance":
        return "check"
    if sets_default:
        return "fit"
    digest = int(hashlib.sha256(row_id.encode("utf-8")).hexdigest()[:8], 16)
    return "check" if digest % 3 == 0 else "fit"
