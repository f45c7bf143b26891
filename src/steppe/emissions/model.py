"""Which factor applies to a leg or a hub: the choices of an ISO 14083 calculation.

An :class:`EmissionsModel` is frozen configuration.  It picks the vehicle or vessel
class per mode, the regional road factor by country, and for rail mixes diesel and
electric traction by the electrified share of each country's network and that
country's electricity intensity — where both are cited in the shipped tables.  Where
either is missing the rail leg is computed with diesel traction (the conservative
default) and the result says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from steppe.emissions.factors import EmissionFactor, FactorTable, factor_table
from steppe.errors import ConfigError

__all__ = ["EUROPE", "EmissionsModel", "HubKind", "Intensity"]

# GLEC v3.0 publishes road defaults for "Europe and South America" and an uplift for
# "Asia and Africa"; these ISO3 codes take the European values, all others the uplift.
EUROPE: frozenset[str] = frozenset(
    (
        *("AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU"),
        *("GRC", "HUN", "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT"),
        *("ROU", "SVK", "SVN", "ESP", "SWE", "GBR", "NOR", "CHE", "ISL", "LIE"),
    )
)

HubKind = str  # "transshipment" or "port"


@dataclass(frozen=True, slots=True)
class Intensity:
    """Emission intensity of moving one tonne one km, g CO2e, with its provenance."""

    wtt: float
    ttw: float
    factor_ids: tuple[str, ...]
    sources: tuple[str, ...]
    note: str = ""
    load_factor: float | None = None
    empty_running: float | None = None

    @property
    def wtw(self) -> float:
        """Return the well-to-wheel intensity (WTT + TTW)."""
        return self.wtt + self.ttw


def _mean(parts: Sequence[Intensity]) -> Intensity:
    n = len(parts)
    ids = tuple(dict.fromkeys(i for p in parts for i in p.factor_ids))
    srcs = tuple(dict.fromkeys(s for p in parts for s in p.sources))
    notes = "; ".join(dict.fromkeys(p.note for p in parts if p.note))
    first = parts[0]
    return Intensity(
        wtt=sum(p.wtt for p in parts) / n,
        ttw=sum(p.ttw for p in parts) / n,
        factor_ids=ids,
        sources=srcs,
        note=notes,
        load_factor=first.load_factor,
        empty_running=first.empty_running,
    )


def _of(f: EmissionFactor, note: str = "") -> Intensity:
    # the published WTW is kept exactly (tables round WTT, TTW and WTW separately)
    ttw = f.ttw if f.ttw is not None else 0.0
    wtt = f.wtw - ttw
    return Intensity(
        wtt=wtt,
        ttw=ttw,
        factor_ids=(f.factor_id,),
        sources=(f.source,),
        note=note,
        load_factor=f.load_factor,
        empty_running=f.empty_running,
    )


@dataclass(frozen=True, slots=True)
class EmissionsModel:
    """The factor choices of an emissions calculation (ISO 14083 / GLEC Framework v3).

    Parameters
    ----------
    road_europe, road_asia
        Road factors for countries in :data:`EUROPE` and for all others.
    rail_diesel, rail_electric
        Rail factors by traction; the electric one is rescaled to each country's
        electricity intensity.  Container trains by default; the ``average_mixed``
        rows have other load factors and empty running.
    ferry, sea
        Ferry (ro-pax) and deep-sea container factors.
    transshipment_hub, port_hub
        Hub factors for transfers between land modes (and gauge changes) and for
        port handling (a transfer to or from ferry or sea).
    electric_traction
        Use the electrified share of each country's rail network; ``False`` computes
        all rail as diesel.
    electrified_share, grid_g_per_kwh
        ``(ISO3, value)`` overrides of the shipped country table, e.g. a forwarder's
        own knowledge that a corridor is fully electric, or a newer grid factor.

    Examples
    --------
    >>> m = EmissionsModel()
    >>> round(m.leg_intensity("rail", ("MNG",)).wtw, 1)
    27.6
    """

    road_europe: str = "road_artic44_container_europe"
    road_asia: str = "road_artic44_container_asia"
    rail_diesel: str = "rail_container_diesel"
    rail_electric: str = "rail_container_electric_eu2020"
    ferry: str = "ferry_ropax_10k_20k_gt_vlsfo"
    sea: str = "sea_container_asia_north_europe"
    transshipment_hub: str = "hub_transshipment"
    port_hub: str = "hub_maritime_container_terminal"
    electric_traction: bool = True
    electrified_share: tuple[tuple[str, float], ...] = ()
    grid_g_per_kwh: tuple[tuple[str, float], ...] = ()
    _table: FactorTable = field(
        default_factory=factor_table, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        table = self._table
        checks = {
            "road_europe": "road",
            "road_asia": "road",
            "rail_diesel": "rail",
            "rail_electric": "rail",
            "ferry": "ferry",
            "sea": "sea",
        }
        for name, mode in checks.items():
            f = table.factor(getattr(self, name))
            if f.kind != "leg" or f.mode != mode:
                raise ConfigError(f"{name}={f.factor_id!r} is not a {mode} leg factor")
        for name, energy in (("rail_diesel", "diesel"), ("rail_electric", "electricity")):
            if table.factor(getattr(self, name)).energy != energy:
                raise ConfigError(f"{name}={getattr(self, name)!r} is not a {energy} factor")
        for name in ("transshipment_hub", "port_hub"):
            if table.factor(getattr(self, name)).kind != "hub":
                raise ConfigError(f"{name}={getattr(self, name)!r} is not a hub factor")
        for name in ("electrified_share", "grid_g_per_kwh"):
            for iso3, value in getattr(self, name):
                if not isinstance(value, int | float) or value < 0:
                    raise ConfigError(f"{name}[{iso3!r}] must be a number >= 0, got {value!r}")
                if name == "electrified_share" and value > 1:
                    raise ConfigError(f"electrified_share[{iso3!r}] must be <= 1, got {value}")

    @property
    def table(self) -> FactorTable:
        """Return the factor table this model reads."""
        return self._table

    def _rail(self, iso3: str) -> Intensity:
        diesel = self._table.factor(self.rail_diesel)
        row = self._table.grid.get(iso3)
        share = dict(self.electrified_share).get(iso3, row.electrified_share if row else None)
        grid = dict(self.grid_g_per_kwh).get(iso3, row.grid_g_per_kwh if row else None)
        if not self.electric_traction:
            return _of(diesel)
        if share is None or grid is None:
            missing = "electrified share" if share is None else "grid intensity"
            return _of(diesel, f"{iso3}: {missing} not known, diesel traction assumed")
        electric = self._table.factor(self.rail_electric)
        # the EU default rescaled to the country's grid: same energy per t-km, other mix
        eu_mix = self._table.parameter("eu_electricity_g_per_kwh")
        electric_wtw = electric.wtw * grid / eu_mix
        ttw = (1.0 - share) * float(diesel.ttw or 0.0)
        wtw = share * electric_wtw + (1.0 - share) * diesel.wtw
        sources = [diesel.source, electric.source]
        sources += [self._table.parameters["eu_electricity_g_per_kwh"][1]]
        if row is not None:
            sources += [s for s in (row.share_source, row.grid_source) if s]
        return Intensity(
            wtt=wtw - ttw,
            ttw=ttw,
            factor_ids=(diesel.factor_id, electric.factor_id),
            sources=tuple(dict.fromkeys(sources)),
            note=f"{iso3}: {share:.0%} electric at {grid:g} g CO2e/kWh",
            load_factor=diesel.load_factor,
            empty_running=diesel.empty_running,
        )

    def leg_intensity(self, mode: str, countries: Sequence[str] = ()) -> Intensity:
        """Return the intensity of a leg by a mode through countries (equal shares).

        Raises
        ------
        ConfigError
            For an unknown mode.
        """
        table = self._table
        if mode == "ferry":
            return _of(table.factor(self.ferry))
        if mode == "sea":
            return _of(table.factor(self.sea))
        if mode not in ("road", "rail"):
            raise ConfigError(f"no emission factor for mode {mode!r}")
        parts = []
        for iso3 in countries or ("",):
            if mode == "rail":
                parts.append(self._rail(iso3))
            else:
                fid = self.road_europe if iso3 in EUROPE else self.road_asia
                parts.append(_of(table.factor(fid)))
        return _mean(parts)

    def hub_factor(self, kind: HubKind) -> EmissionFactor:
        """Return the hub factor of a ``transshipment`` or a ``port`` transfer."""
        if kind == "port":
            return self._table.factor(self.port_hub)
        if kind == "transshipment":
            return self._table.factor(self.transshipment_hub)
        raise ConfigError(f"unknown hub kind {kind!r}; use transshipment or port")
