"""The emission factor tables shipped with steppe, each row cited to a published table.

Three small CSV files in ``steppe/data/emissions``:

``factors.csv``
    Well-to-tank, tank-to-wheel and well-to-wheel intensities of legs (g CO2e per
    tonne-km) and hubs (kg CO2e per tonne or per container), by mode, vehicle or
    vessel type, energy carrier, region, with the load factor and empty running the
    intensity assumes.
``electricity.csv``
    By country: the electrified share of the rail network and the carbon intensity of
    electricity generation, where a source was found (either may be blank).
``parameters.csv``
    The few numbers that turn an electricity factor into a rail intensity.

The sources are in the files and in ``docs/emissions.md``.
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from importlib import resources
from typing import Literal

from steppe.errors import ConfigError, DataFileError, Problem

__all__ = ["EmissionFactor", "FactorTable", "GridRow", "factor_table"]

FactorKind = Literal["leg", "hub"]
FactorUnit = Literal["g_co2e_per_tkm", "kg_co2e_per_tonne", "kg_co2e_per_container"]
_UNITS = ("g_co2e_per_tkm", "kg_co2e_per_tonne", "kg_co2e_per_container")


@dataclass(frozen=True, slots=True)
class EmissionFactor:
    """One row of ``factors.csv``.

    ``wtt`` and ``ttw`` are ``None`` for hubs, whose published defaults give only the
    total (well-to-wheel) intensity.
    """

    factor_id: str
    kind: FactorKind
    mode: str
    vehicle: str
    energy: str
    region: str
    load_factor: float | None
    empty_running: float | None
    unit: FactorUnit
    wtt: float | None
    ttw: float | None
    wtw: float
    source: str


@dataclass(frozen=True, slots=True)
class GridRow:
    """One country of ``electricity.csv``: rail electrification and grid intensity."""

    iso3: str
    electrified_share: float | None
    share_source: str
    grid_g_per_kwh: float | None
    grid_source: str


@dataclass(frozen=True, slots=True)
class FactorTable:
    """All shipped factors, by id, and the electricity rows, by country."""

    factors: dict[str, EmissionFactor]
    grid: dict[str, GridRow]
    parameters: dict[str, tuple[float, str]]

    def factor(self, factor_id: str) -> EmissionFactor:
        """Return one factor; an unknown id raises ConfigError naming the known ones."""
        try:
            return self.factors[factor_id]
        except KeyError:
            known = ", ".join(sorted(self.factors))
            raise ConfigError(f"unknown emission factor {factor_id!r}; known: {known}") from None

    def parameter(self, name: str) -> float:
        """Return one number of ``parameters.csv``."""
        return self.parameters[name][0]


def _number(text: str, problems: list[Problem], file: str, row: int, col: str) -> float | None:
    if not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        problems.append(Problem(file, f"not a number: {text!r}", row, col))
        return None
    if value < 0:
        problems.append(Problem(file, f"must be >= 0, got {value}", row, col))
    return value


def _rows(name: str) -> list[dict[str, str]]:
    text = (resources.files("steppe.data") / "emissions" / name).read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _parse_factors(problems: list[Problem]) -> dict[str, EmissionFactor]:
    file = "emissions/factors.csv"
    out: dict[str, EmissionFactor] = {}
    for i, r in enumerate(_rows("factors.csv"), start=2):
        nums = {c: _number(r[c], problems, file, i, c) for c in ("wtt", "ttw", "wtw")}
        shares = {c: _number(r[c], problems, file, i, c) for c in ("load_factor", "empty_running")}
        if r["kind"] not in ("leg", "hub"):
            problems.append(Problem(file, f"kind must be leg or hub, got {r['kind']!r}", i, "kind"))
        if r["unit"] not in _UNITS:
            problems.append(Problem(file, f"unknown unit {r['unit']!r}", i, "unit"))
        if nums["wtw"] is None:
            problems.append(Problem(file, "wtw is required", i, "wtw"))
            continue
        if not r["source"].strip():
            problems.append(Problem(file, "every factor needs a source", i, "source"))
        out[r["factor_id"]] = EmissionFactor(
            factor_id=r["factor_id"],
            kind=r["kind"],  # type: ignore[arg-type]
            mode=r["mode"],
            vehicle=r["vehicle"],
            energy=r["energy"],
            region=r["region"],
            load_factor=shares["load_factor"],
            empty_running=shares["empty_running"],
            unit=r["unit"],  # type: ignore[arg-type]
            wtt=nums["wtt"],
            ttw=nums["ttw"],
            wtw=nums["wtw"],
            source=r["source"],
        )
    return out


def _parse_grid(problems: list[Problem]) -> dict[str, GridRow]:
    file = "emissions/electricity.csv"
    out: dict[str, GridRow] = {}
    for i, r in enumerate(_rows("electricity.csv"), start=2):
        share = _number(r["electrified_share"], problems, file, i, "electrified_share")
        grid = _number(r["grid_g_co2e_per_kwh"], problems, file, i, "grid_g_co2e_per_kwh")
        if share is not None and share > 1:
            problems.append(Problem(file, "electrified_share must be <= 1", i, "electrified_share"))
        if (share is not None and not r["share_source"]) or (
            grid is not None and not r["grid_source"]
        ):
            problems.append(Problem(file, "every value needs a source", i))
        out[r["iso3"]] = GridRow(r["iso3"], share, r["share_source"], grid, r["grid_source"])
    return out


@functools.cache
def factor_table() -> FactorTable:
    """Return the shipped factor table (read once, then shared: it is immutable).

    Raises
    ------
    DataFileError
        A shipped file is malformed (every problem, with file, row and column).

    Examples
    --------
    >>> factor_table().factor("rail_container_diesel").wtw
    27.6
    """
    problems: list[Problem] = []
    factors = _parse_factors(problems)
    grid = _parse_grid(problems)
    parameters: dict[str, tuple[float, str]] = {}
    for i, r in enumerate(_rows("parameters.csv"), start=2):
        value = _number(r["value"], problems, "emissions/parameters.csv", i, "value")
        if value is not None:
            parameters[r["name"]] = (value, r["source"])
    if problems:
        raise DataFileError(problems)
    return FactorTable(factors=factors, grid=grid, parameters=parameters)
