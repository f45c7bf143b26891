"""Emissions of a transport chain by ISO 14083: legs (tonne-km x intensity) plus hubs.

``WTW = Σ legs tonne-km × WTW intensity + Σ hubs (tonnes or containers) × hub factor``,
and TTW likewise for the legs.  GLEC's hub defaults are published as totals only, so a
hub has a WTW figure and no TTW split (``ttw_kg`` is ``None``); the chain's TTW total is
that of its legs.  The worked example in ``docs/emissions.md`` is computed by
:func:`chain_emissions`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from steppe.emissions.model import EmissionsModel, HubKind
from steppe.errors import ConfigError

__all__ = ["ChainEmissions", "HubEmissions", "LegEmissions", "hub_emissions", "leg_emissions"]


def _r(x: float | None, nd: int = 3) -> float | None:
    return None if x is None else round(x, nd)


@dataclass(frozen=True, slots=True)
class LegEmissions:
    """WTW and TTW CO2e of one moving leg, with the factors and sources used."""

    mode: str
    distance_km: float
    tonnes: float
    countries: tuple[str, ...]
    wtt_g_per_tkm: float
    ttw_g_per_tkm: float
    factor_ids: tuple[str, ...]
    sources: tuple[str, ...]
    note: str = ""
    load_factor: float | None = None
    empty_running: float | None = None
    leg_index: int = -1

    @property
    def tonne_km(self) -> float:
        """Return the transport activity, tonne-km."""
        return self.tonnes * self.distance_km

    @property
    def wtw_g_per_tkm(self) -> float:
        """Return the WTW intensity, g CO2e per tonne-km."""
        return self.wtt_g_per_tkm + self.ttw_g_per_tkm

    @property
    def ttw_kg(self) -> float:
        """Return tank-to-wheel emissions, kg CO2e."""
        return self.tonne_km * self.ttw_g_per_tkm / 1000.0

    @property
    def wtw_kg(self) -> float:
        """Return well-to-wheel emissions, kg CO2e."""
        return self.tonne_km * self.wtw_g_per_tkm / 1000.0

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON object of the docs."""
        return {
            "leg": self.leg_index,
            "mode": self.mode,
            "countries": list(self.countries),
            "wtw_kg": _r(self.wtw_kg),
            "ttw_kg": _r(self.ttw_kg),
            "tonne_km": _r(self.tonne_km),
            "wtw_g_per_tkm": _r(self.wtw_g_per_tkm, 4),
            "ttw_g_per_tkm": _r(self.ttw_g_per_tkm, 4),
            "load_factor": self.load_factor,
            "empty_running": self.empty_running,
            "factor_ids": list(self.factor_ids),
            "sources": list(self.sources),
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class HubEmissions:
    """WTW CO2e of handling the shipment at a hub (transshipment site or port)."""

    kind: HubKind
    node: str
    tonnes: float
    containers: float
    factor_id: str
    unit: str
    factor: float
    source: str
    leg_index: int = -1

    @property
    def wtw_kg(self) -> float:
        """Return well-to-wheel emissions, kg CO2e."""
        amount = self.containers if self.unit == "kg_co2e_per_container" else self.tonnes
        return amount * self.factor

    @property
    def ttw_kg(self) -> float | None:
        """Return ``None``: published hub defaults have no TTW split."""
        return None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON object of the docs."""
        return {
            "leg": self.leg_index,
            "hub": self.kind,
            "node": self.node,
            "wtw_kg": _r(self.wtw_kg),
            "ttw_kg": None,
            "factor": self.factor,
            "unit": self.unit,
            "factor_ids": [self.factor_id],
            "sources": [self.source],
        }


@dataclass(frozen=True, slots=True)
class ChainEmissions:
    """Emissions of a whole chain: its legs and hubs and their totals."""

    legs: tuple[LegEmissions, ...]
    hubs: tuple[HubEmissions, ...] = ()

    @property
    def wtw_kg(self) -> float:
        """Return total well-to-wheel emissions (legs and hubs), kg CO2e."""
        return sum(x.wtw_kg for x in self.legs) + sum(h.wtw_kg for h in self.hubs)

    @property
    def ttw_kg(self) -> float:
        """Return total tank-to-wheel emissions of the legs, kg CO2e."""
        return sum(x.ttw_kg for x in self.legs)

    def to_dict(self) -> dict[str, Any]:
        """Return ``{wtw_kg, ttw_kg, legs, hubs}``."""
        return {
            "wtw_kg": _r(self.wtw_kg),
            "ttw_kg": _r(self.ttw_kg),
            "legs": [x.to_dict() for x in self.legs],
            "hubs": [h.to_dict() for h in self.hubs],
        }


def leg_emissions(
    model: EmissionsModel,
    mode: str,
    distance_km: float,
    tonnes: float,
    countries: Sequence[str] = (),
    *,
    leg_index: int = -1,
) -> LegEmissions:
    """Compute the emissions of moving ``tonnes`` over ``distance_km`` by a mode.

    Examples
    --------
    >>> leg = leg_emissions(EmissionsModel(), "ferry", 523.0, 20.0)
    >>> round(leg.wtw_kg, 3), round(leg.ttw_kg, 3)
    (1356.662, 1156.876)
    """
    if distance_km < 0 or tonnes < 0:
        raise ConfigError("distance_km and tonnes must be >= 0")
    i = model.leg_intensity(mode, countries)
    return LegEmissions(
        mode=mode,
        distance_km=distance_km,
        tonnes=tonnes,
        countries=tuple(countries),
        wtt_g_per_tkm=i.wtt,
        ttw_g_per_tkm=i.ttw,
        factor_ids=i.factor_ids,
        sources=i.sources,
        note=i.note,
        load_factor=i.load_factor,
        empty_running=i.empty_running,
        leg_index=leg_index,
    )


def hub_emissions(
    model: EmissionsModel,
    kind: HubKind,
    *,
    tonnes: float,
    containers: float,
    node: str = "",
    leg_index: int = -1,
) -> HubEmissions:
    """Compute the emissions of handling a shipment at a hub.

    Examples
    --------
    >>> hub_emissions(EmissionsModel(), "port", tonnes=20.0, containers=1.0).wtw_kg
    10.7
    """
    f = model.hub_factor(kind)
    return HubEmissions(
        kind=kind,
        node=node,
        tonnes=tonnes,
        containers=containers,
        factor_id=f.factor_id,
        unit=f.unit,
        factor=f.wtw,
        source=f.source,
        leg_index=leg_index,
    )
