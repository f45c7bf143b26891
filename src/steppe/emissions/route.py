"""Emissions of a routed :class:`~steppe.routing.result.Route`, leg by leg and hub by hub.

Every ``link`` leg becomes a :class:`LegEmissions` (its mode, length and the countries
its link passes through); every ``transfer`` leg becomes a :class:`HubEmissions`: a port
when one side is a ferry or a ship, a transshipment site otherwise (road-rail terminals
and gauge changes).  Waits and border dwell emit nothing here.  A link's own ``co2_kg``
(a user network may carry one) is not used: it does not say whether it is WTW or TTW.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from steppe.emissions.chain import ChainEmissions, HubEmissions, LegEmissions
from steppe.emissions.model import EmissionsModel, Intensity
from steppe.errors import ConfigError

if TYPE_CHECKING:
    from steppe.emissions.factors import EmissionFactor
    from steppe.network.model import Network
    from steppe.routing.options import RouteOptions
    from steppe.routing.result import Route

__all__ = ["hub_kind", "route_emissions", "shipment_size"]

_WATER = ("ferry", "sea")


def hub_kind(ref: str) -> str:
    """Return ``port`` or ``transshipment`` for a transfer leg's ``node:from>to`` ref.

    Examples
    --------
    >>> hub_kind("aktau:rail:1520>ferry"), hub_kind("dostyk:rail:1435>rail:1520")
    ('port', 'transshipment')
    """
    _, _, change = ref.partition(":")
    sides = change.split(">")
    return "port" if any(s.split(":")[0] in _WATER for s in sides) else "transshipment"


def shipment_size(options: RouteOptions) -> tuple[float, float]:
    """Return the cargo's tonnes and the containers a port handles for it.

    An FEU or a TEU is one container; a cargo in tonnes fills ``tonnes / feu_tonnes``.
    """
    cargo, cm = options.cargo, options.cost_model
    containers = 1.0 if cargo.unit in ("feu", "teu") else cargo.tonnes / cm.feu_tonnes
    return cargo.tonnes, containers


def route_emissions(
    route: Route,
    network: Network,
    *,
    tonnes: float,
    containers: float,
    model: EmissionsModel | None = None,
) -> ChainEmissions:
    """Return the ISO 14083 emissions of a route's legs and hubs.

    Parameters
    ----------
    route
        A route found on ``network``.
    network
        The network it was found on (for each link's countries).
    tonnes
        Cargo mass.
    containers
        Containers handled at a port (1 for an FEU or a TEU).
    model
        The factor choices; the default :class:`EmissionsModel` if ``None``.
    """
    model = model or EmissionsModel()
    if tonnes < 0:
        raise ConfigError("distance_km and tonnes must be >= 0")
    links = network.links_by_id
    legs: list[LegEmissions] = []
    hubs: list[HubEmissions] = []
    for i, leg in enumerate(route.legs):
        if leg.kind == "link":
            link = links.get(leg.ref)
            countries = network.link_countries(link) if link is not None else ()
            if leg.distance_km < 0:
                raise ConfigError("distance_km and tonnes must be >= 0")
            x = _intensity(model, leg.mode, countries)  # as leg_emissions, memoised
            legs.append(LegEmissions(
                mode=leg.mode, distance_km=leg.distance_km, tonnes=tonnes, countries=countries,
                wtt_g_per_tkm=x.wtt, ttw_g_per_tkm=x.ttw, factor_ids=x.factor_ids,
                sources=x.sources, note=x.note, load_factor=x.load_factor,
                empty_running=x.empty_running, leg_index=i,
            ))  # fmt: skip
        elif leg.kind == "transfer":
            f = _hub_factor(model, hub_kind(leg.ref))
            hubs.append(HubEmissions(
                kind=hub_kind(leg.ref), node=leg.from_id, tonnes=tonnes, containers=containers,
                factor_id=f.factor_id, unit=f.unit, factor=f.wtw, source=f.source, leg_index=i,
            ))  # fmt: skip
    return ChainEmissions(tuple(legs), tuple(hubs))


@functools.lru_cache(maxsize=4096)
def _intensity(model: EmissionsModel, mode: str, countries: tuple[str, ...]) -> Intensity:
    """Return ``model.leg_intensity(mode, countries)``, once per model, mode and countries."""
    return model.leg_intensity(mode, countries)


@functools.lru_cache(maxsize=64)
def _hub_factor(model: EmissionsModel, kind: str) -> EmissionFactor:
    """Return ``model.hub_factor(kind)``, once per model and kind."""
    return model.hub_factor(kind)
