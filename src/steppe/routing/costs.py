"""The cost model: every price, speed and emission factor the router uses, in one place.

A :class:`CostModel` is immutable and hashable so that the expanded routing graph built
from it can be cached.  Override parameters with :meth:`CostModel.replace` or build one
from a mapping (a scenario file) with :meth:`CostModel.from_mapping`, which names any
unknown key.  The sources of every default are listed in ``docs/routing.md``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, get_args

from steppe.errors import ConfigError
from steppe.network.model import Mode

__all__ = ["Cargo", "CargoUnit", "CostModel", "ModeRates"]

CargoUnit = Literal["feu", "teu", "tonnes"]

# Per-km haulage prices per FEU by mode and country (sources in docs/routing.md):
# KAZ and MNG from the CAREC CPMM 2022 country reports (facts CP06, CP10: USD per 500 km
# per 20 t); the rest are documented estimates.  "EU" is spelled out as the member states
# the embedded network reaches.
_EU_MEMBERS: tuple[str, ...] = ("AUT", "BGR", "CZE", "DEU", "HUN", "NLD", "POL", "ROU", "SVK")
_COUNTRY_RATES: tuple[tuple[str, str, float], ...] = (
    ("road", "KAZ", 1493 / 500),
    ("road", "MNG", 1455 / 500),
    *(("road", iso3, 1.9) for iso3 in _EU_MEMBERS),
    ("rail", "KAZ", 883 / 500),
    ("rail", "MNG", 440 / 500),
    *(("rail", iso3, 1.5) for iso3 in _EU_MEMBERS),
    ("rail", "GEO", 1.8),
    ("rail", "AZE", 1.8),
)


@dataclass(frozen=True, slots=True)
class ModeRates:
    """What moving one FEU by one mode costs, emits and takes, where a link says nothing.

    Parameters
    ----------
    usd_per_km
        Haulage price per km for one FEU.
    kgco2e_per_tkm
        Emission intensity, kg CO2e per tonne-km.
    speed_kmh
        Moving speed.
    hours_per_day
        Hours a day the mode moves (24 unless drivers must rest).
    """

    usd_per_km: float
    kgco2e_per_tkm: float
    speed_kmh: float
    hours_per_day: float = 24.0


@dataclass(frozen=True, slots=True)
class CostModel:
    """Prices, speeds, emission factors and the value of time used to weigh a route.

    Money is per FEU (one 40-foot container) and scales with the shipment's FEU
    equivalents; CO2 is per tonne-km of cargo.  Sources of each default are in
    ``docs/routing.md``.

    Parameters
    ----------
    road_usd_per_km, rail_usd_per_km, ferry_usd_per_km, sea_usd_per_km
        Haulage price per km for one FEU when a link has no ``cost_usd`` of its own.
    usd_per_km_by_country
        ``(mode, ISO3, USD per km)`` overrides of the per-mode prices; a link through
        several countries uses the mean of their rates.
    road_kgco2e_per_tkm, rail_kgco2e_per_tkm, ferry_kgco2e_per_tkm, sea_kgco2e_per_tkm
        Emission intensities, kg CO2 per tonne-km, for links without ``co2_kg``.  The
        defaults are cited tank-to-wheel factors, not GLEC Framework or ISO 14083
        well-to-wheel defaults (see ``docs/routing.md``).
    road_speed_kmh, rail_speed_kmh, ferry_speed_kmh, sea_speed_kmh
        Speeds for links that have neither ``speed_kmh`` nor ``duration_h``.
    road_driving_hours_per_day
        Hours a truck drives per 24 h; road moving time is stretched to elapsed time by
        ``24 / road_driving_hours_per_day`` (9: one driver under the EU/AETR daily limit;
        18: about a two-driver team; 24: no rest).
    feu_tonnes, teu_tonnes
        Cargo mass of one FEU and one TEU; one FEU equivalent is ``feu_tonnes``.
    teu_feu_equivalent
        Share of an FEU's price paid by one TEU.
    time_cost_per_day
        Cost of one day in transit as a share of the cargo value.
    default_cargo_value_usd_per_tonne
        Cargo value used for the value of time when the cargo has none.
    value_of_time_usd_per_h
        Fixed value of time per shipment; ``None`` derives it from the cargo value.
    p90_median_ratio
        Ratio of the 90th percentile to the median of a border dwell when a p90 is
        missing or not above the median.
    headway_wait_share
        Expected wait for a scheduled departure as a share of its headway.
    """

    road_usd_per_km: float = 2.0
    rail_usd_per_km: float = 1.0
    ferry_usd_per_km: float = 3.0
    sea_usd_per_km: float = 0.12
    usd_per_km_by_country: tuple[tuple[str, str, float], ...] = _COUNTRY_RATES
    road_kgco2e_per_tkm: float = 0.0903
    rail_kgco2e_per_tkm: float = 0.0113
    ferry_kgco2e_per_tkm: float = 0.0386
    sea_kgco2e_per_tkm: float = 0.0035
    road_speed_kmh: float = 51.1
    rail_speed_kmh: float = 57.9
    ferry_speed_kmh: float = 25.0
    sea_speed_kmh: float = 30.0
    road_driving_hours_per_day: float = 9.0
    feu_tonnes: float = 20.0
    teu_tonnes: float = 10.0
    teu_feu_equivalent: float = 0.5
    time_cost_per_day: float = 0.006
    default_cargo_value_usd_per_tonne: float = 2500.0
    value_of_time_usd_per_h: float | None = None
    p90_median_ratio: float = 1.5
    headway_wait_share: float = 0.5
    _country_rates: dict[tuple[str, str], float] = field(
        init=False, repr=False, compare=False, hash=False, default_factory=dict
    )
    _by_mode: Mapping[Mode, ModeRates] = field(
        init=False, repr=False, compare=False, hash=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        problems: list[str] = []
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name.startswith("_") or f.name == "usd_per_km_by_country":
                continue
            if value is None and f.name == "value_of_time_usd_per_h":
                continue
            if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
                problems.append(f"{f.name} must be a number >= 0, got {value!r}")
        if self.p90_median_ratio < 1:
            problems.append("p90_median_ratio must be >= 1")
        hours = self.road_driving_hours_per_day
        if isinstance(hours, int | float) and not 0 < hours <= 24:
            problems.append(f"road_driving_hours_per_day must be in (0, 24], got {hours!r}")
        rates = dict(self._country_rates)
        for entry in self.usd_per_km_by_country:
            if len(entry) != 3 or entry[0] not in set(Mode) or float(entry[2]) < 0:
                problems.append(f"bad usd_per_km_by_country entry {entry!r}")
                continue
            rates[(str(entry[0]), str(entry[1]).upper())] = float(entry[2])
        if problems:
            raise ConfigError("invalid cost model: " + "; ".join(problems))
        object.__setattr__(self, "_country_rates", rates)
        object.__setattr__(self, "_by_mode", MappingProxyType(self._mode_rates()))

    def _mode_rates(self) -> dict[Mode, ModeRates]:
        # The one place the per-mode parameters are gathered (a new mode adds a row).
        return {
            Mode.ROAD: ModeRates(self.road_usd_per_km, self.road_kgco2e_per_tkm,
                                 self.road_speed_kmh, self.road_driving_hours_per_day),
            Mode.RAIL: ModeRates(self.rail_usd_per_km, self.rail_kgco2e_per_tkm,
                                 self.rail_speed_kmh),
            Mode.FERRY: ModeRates(self.ferry_usd_per_km, self.ferry_kgco2e_per_tkm,
                                  self.ferry_speed_kmh),
            Mode.SEA: ModeRates(self.sea_usd_per_km, self.sea_kgco2e_per_tkm,
                                self.sea_speed_kmh),
        }  # fmt: skip

    @property
    def rates(self) -> Mapping[Mode, ModeRates]:
        """Return the rates of each mode.

        Examples
        --------
        >>> CostModel().rates[Mode.RAIL].usd_per_km
        1.0
        """
        return self._by_mode

    def usd_per_km(self, mode: Mode, countries: tuple[str, ...] = ()) -> float:
        """Return the price per km of one FEU by a mode, averaged over the countries."""
        base = self.rates[mode].usd_per_km
        if not countries:
            return base
        by_country = self._country_rates
        return sum(by_country.get((mode.value, c), base) for c in countries) / len(countries)

    def kgco2e_per_tkm(self, mode: Mode) -> float:
        """Return the emission intensity of a mode, kg CO2e per tonne-km."""
        return self.rates[mode].kgco2e_per_tkm

    def speed_kmh(self, mode: Mode) -> float:
        """Return the default speed of a mode, for links without speed or duration."""
        return self.rates[mode].speed_kmh

    def elapsed_h(self, mode: Mode, moving_h: float) -> float:
        """Return the elapsed time of a moving time, adding driver rest on roads.

        Road moving time is spread over days of ``road_driving_hours_per_day`` driving
        hours (an averaged daily cycle); other modes run around the clock.

        Examples
        --------
        >>> CostModel().elapsed_h(Mode.ROAD, 9.0)
        24.0
        >>> CostModel(road_driving_hours_per_day=24).elapsed_h(Mode.ROAD, 9.0)
        9.0
        >>> CostModel().elapsed_h(Mode.RAIL, 9.0)
        9.0
        """
        return moving_h * 24.0 / self.rates[mode].hours_per_day

    def value_of_time(self, cargo: Cargo) -> float:
        """Return the value of one hour of transit for a shipment, USD per hour.

        Examples
        --------
        >>> round(CostModel().value_of_time(Cargo(value_usd=240_000.0)), 2)
        60.0
        """
        if self.value_of_time_usd_per_h is not None:
            return self.value_of_time_usd_per_h
        value = cargo.value_usd
        if value is None:
            value = self.default_cargo_value_usd_per_tonne * cargo.tonnes
        return value * self.time_cost_per_day / 24.0

    def feu_equivalents(self, cargo: Cargo) -> float:
        """Return how many FEU prices a shipment pays."""
        if cargo.unit == "feu":
            return 1.0
        if cargo.unit == "teu":
            return self.teu_feu_equivalent
        return cargo.tonnes / self.feu_tonnes

    def replace(self, **overrides: Any) -> CostModel:
        """Return a copy with some parameters changed; unknown names raise ConfigError.

        Examples
        --------
        >>> CostModel().replace(road_usd_per_km=3.5).road_usd_per_km
        3.5
        """
        return CostModel.from_mapping(overrides, base=self)

    @classmethod
    def from_mapping(
        cls, mapping: Mapping[str, Any], *, base: CostModel | None = None
    ) -> CostModel:
        """Build a cost model from a mapping of overrides, checking every key.

        ``usd_per_km_by_country`` may be given as ``{"road": {"KAZ": 2.9}}``, which
        changes or adds those entries and keeps the base model's other countries, or as a
        list of ``(mode, ISO3, rate)`` rows, which replaces them all.

        Raises
        ------
        ConfigError
            Naming every unknown key, or describing an invalid value.

        Examples
        --------
        >>> CostModel.from_mapping({"time_cost_per_day": 0.021}).time_cost_per_day
        0.021
        """
        known = {f.name for f in dataclasses.fields(cls) if not f.name.startswith("_")}
        unknown = sorted(set(mapping) - known)
        if unknown:
            raise ConfigError(
                f"unknown cost model parameter(s): {', '.join(unknown)}; "
                f"known: {', '.join(sorted(known))}"
            )
        values = dict(mapping)
        rates = values.get("usd_per_km_by_country")
        if isinstance(rates, Mapping):
            values["usd_per_km_by_country"] = (base or cls()).usd_per_km_by_country + tuple(
                (str(mode), str(iso3), float(rate))
                for mode, by_country in rates.items()
                for iso3, rate in dict(by_country).items()
            )
        elif rates is not None:
            values["usd_per_km_by_country"] = tuple(tuple(r) for r in rates)
        try:
            return dataclasses.replace(base or cls(), **values)
        except (TypeError, ValueError) as exc:
            if isinstance(exc, ConfigError):
                raise
            raise ConfigError(f"invalid cost model: {exc}") from exc


@dataclass(frozen=True, slots=True)
class Cargo:
    """A shipment: one FEU (default, 20 t), one TEU (10 t) or a mass in tonnes.

    Parameters
    ----------
    unit
        ``"feu"``, ``"teu"`` or ``"tonnes"``.
    tonnes
        Cargo mass; used for CO2 and, with ``unit="tonnes"``, for prices.
    value_usd
        Value of the goods, for the value of time; ``None`` uses the cost model default.

    Examples
    --------
    >>> Cargo.parse("tonnes:12")
    Cargo(unit='tonnes', tonnes=12.0, value_usd=None)
    """

    unit: CargoUnit = "feu"
    tonnes: float = 20.0
    value_usd: float | None = None

    def __post_init__(self) -> None:
        if self.unit not in get_args(CargoUnit):
            raise ConfigError(f"unknown cargo unit {self.unit!r}; use feu, teu or tonnes")
        if not self.tonnes > 0:
            raise ConfigError(f"cargo tonnes must be > 0, got {self.tonnes!r}")
        if self.value_usd is not None and self.value_usd < 0:
            raise ConfigError(f"cargo value must be >= 0, got {self.value_usd!r}")

    @classmethod
    def parse(cls, text: str, *, value_usd: float | None = None) -> Cargo:
        """Parse ``feu``, ``teu``, ``tonnes:N`` (optionally ``feu:T`` for the mass).

        Raises
        ------
        ConfigError
            If the text is not one of these forms.

        Examples
        --------
        >>> Cargo.parse("teu").tonnes
        10.0
        """
        unit, _, amount = text.strip().lower().partition(":")
        defaults = {"feu": 20.0, "teu": 10.0}
        if unit not in ("feu", "teu", "tonnes"):
            raise ConfigError(f"cannot read cargo {text!r}; use feu, teu or tonnes:N")
        if not amount:
            if unit == "tonnes":
                raise ConfigError("cargo 'tonnes' needs a mass, e.g. tonnes:12")
            return cls(unit, defaults[unit], value_usd)  # type: ignore[arg-type]
        try:
            tonnes = float(amount)
        except ValueError:
            raise ConfigError(f"cannot read cargo mass {amount!r} in {text!r}") from None
        return cls(unit, tonnes, value_usd)  # type: ignore[arg-type]
