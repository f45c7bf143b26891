"""Freight demand between places: from trade values by country pair to tonnes by OD pair.

The rule, documented in ``docs/appraisal.md``:

1. trade values by country pair, USD per year (``iso_o, iso_d, value_usd``): the
   embedded Kazakhstan statistics (exports and imports of Kazakhstan with every partner),
   a file of the user's, or any table with those columns;
2. tonnes = value ÷ a value per tonne (default: the road-and-rail average of extra-EU
   trade in 2024, :data:`DEFAULT_USD_PER_TONNE`, a proxy the user should replace with
   unit values for the goods at hand);
3. each country's tonnes are shared among its places (cities, ports, terminals) in
   proportion to their GeoNames population, so the tonnes of place pair ``(o, d)`` are
   ``T_cd · pop_o / pop(c) · pop_d / pop(d)``.

Or the user gives OD tonnes directly (:func:`read_od_tonnes`).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from steppe.errors import ConfigError, DataFileError, Problem
from steppe.network.model import Network
from steppe.routing.matrix import default_places

__all__ = [
    "DEFAULT_USD_PER_TONNE",
    "Demand",
    "demand_from",
    "kazakhstan_trade_flows",
    "od_demand",
    "place_population",
    "read_od_tonnes",
    "read_trade_flows",
]

# Eurostat, extra-EU trade in goods by mode of transport, 2024 (news release of
# 2025-09-25, as reported by WAM): road carried 5.8 % of import tonnes and 20.4 % of import
# value, rail 3.1 % and 1.5 %; road 16.5 % of export tonnes and 24.0 % of value, rail 2.9 %
# and 1.3 %; sea 1.1 bn t / EUR 1,251 bn of imports (75.6 % / 51.3 %) and 0.5 bn t /
# EUR 1,126 bn of exports (73.7 % / 43.6 %).  Hence road+rail: imports 129.5 Mt worth
# EUR 534.1 bn, exports 131.6 Mt worth EUR 653.4 bn; EUR 4,548 per tonne, times the ECB's
# 2024 average of 1.0824 USD per EUR.  A proxy for overland freight, not a measured value
# of Kazakh or Mongolian trade.
DEFAULT_USD_PER_TONNE = 4548.0 * 1.0824
_FLOW_COLUMNS = ("iso_o", "iso_d", "value_usd")


@dataclass(frozen=True, slots=True)
class Demand:
    """Yearly freight demand between places.

    ``table`` has one row per OD pair: ``origin``, ``destination`` (node ids), ``tonnes``
    per year; ``unplaced`` lists the country pairs whose value could not be placed
    (a country without places in the network) with their ``value_usd``; ``source`` says
    where the tonnes came from.
    """

    table: pd.DataFrame
    unplaced: pd.DataFrame
    source: str

    @property
    def tonnes(self) -> float:
        """Return the total tonnes per year placed on OD pairs."""
        return float(self.table["tonnes"].sum())


def _read_csv(path: str | Path, required: tuple[str, ...], what: str) -> pd.DataFrame:
    name = str(path)
    try:
        df = pd.read_csv(path, comment="#", dtype=str)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise DataFileError([Problem(name, f"cannot be read as CSV ({exc})")]) from None
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataFileError(
            [Problem(name, f"required column of {what} is missing", 1, c) for c in missing]
        )
    return df


def _numbers(df: pd.DataFrame, column: str, name: str) -> pd.Series:
    values = pd.to_numeric(df[column], errors="coerce")
    bad = np.flatnonzero(~(values >= 0) | ~np.isfinite(values.fillna(-1.0)))
    if bad.size:
        raise DataFileError(
            [
                Problem(name, f"{df[column].iloc[i]!r} is not a number >= 0", int(i) + 2, column)
                for i in bad[:50]
            ]
        )
    return values.astype(float)


def read_trade_flows(path: str | Path) -> pd.DataFrame:
    """Read country-pair trade values (``iso_o, iso_d, value_usd`` per year).

    Raises
    ------
    DataFileError
        Naming the file, row and column of every problem.
    """
    df = _read_csv(path, _FLOW_COLUMNS, "trade flows")
    values = _numbers(df, "value_usd", str(path))
    return pd.DataFrame(
        {"iso_o": df["iso_o"].str.upper(), "iso_d": df["iso_d"].str.upper(), "value_usd": values}
    )


def read_od_tonnes(path: str | Path) -> pd.DataFrame:
    """Read OD tonnes per year (``origin, destination, tonnes``; node ids).

    Raises
    ------
    DataFileError
        Naming the file, row and column of every problem.
    """
    df = _read_csv(path, ("origin", "destination", "tonnes"), "OD tonnes")
    tonnes = _numbers(df, "tonnes", str(path))
    return pd.DataFrame({"origin": df["origin"], "destination": df["destination"],
                         "tonnes": tonnes})  # fmt: skip


def kazakhstan_trade_flows(year: int | None = None) -> pd.DataFrame:
    """Return Kazakhstan's exports and imports with each partner as country-pair flows.

    From the embedded Bureau of National Statistics table (thousand USD), latest year by
    default.

    Examples
    --------
    >>> flows = kazakhstan_trade_flows(2023)
    >>> bool(((flows.iso_o == "KAZ") & (flows.iso_d == "MNG")).any())
    True
    """
    path = resources.files("steppe").joinpath("data", "trade",
                                              "kz_bns_trade_by_partner_2018_2023.csv")  # fmt: skip
    raw = pd.read_csv(str(path), comment="#")
    raw = raw[~raw["is_aggregate"].astype(bool) & raw["iso3"].notna()]
    years = sorted(int(y) for y in raw["year"].unique())
    chosen = years[-1] if year is None else year
    if chosen not in years:
        raise ConfigError(
            f"year {chosen} is not in the Kazakh trade table ({years[0]}–{years[-1]})"
        )
    rows = raw[raw["year"] == chosen]
    exports = pd.DataFrame({"iso_o": "KAZ", "iso_d": rows["iso3"],
                            "value_usd": rows["export_kusd"] * 1000.0})  # fmt: skip
    imports = pd.DataFrame({"iso_o": rows["iso3"], "iso_d": "KAZ",
                            "value_usd": rows["import_kusd"] * 1000.0})  # fmt: skip
    out = pd.concat([exports, imports], ignore_index=True)
    return out[out["value_usd"] > 0].reset_index(drop=True)


def place_population(network: Network) -> pd.Series:
    """Return the GeoNames population of each place of ``network`` (0 where unknown).

    Places are cities, ports and terminals; populations come from the shipped
    ``data/appraisal/place_population.csv`` (GeoNames, CC BY 4.0), keyed by node id.
    """
    path = resources.files("steppe").joinpath("data", "appraisal", "place_population.csv")
    table = pd.read_csv(str(path), comment="#", dtype={"id": str})
    pop = table.set_index("id")["population"].astype(float)
    ids = [n.id for n in default_places(network)]
    return pop.reindex(ids).fillna(0.0)


def od_demand(
    network: Network,
    flows: pd.DataFrame,
    *,
    usd_per_tonne: float = DEFAULT_USD_PER_TONNE,
    source: str = "trade flows",
) -> Demand:
    """Turn country-pair trade values into tonnes between places.

    Parameters
    ----------
    network
        The network whose places receive the demand.
    flows
        ``iso_o, iso_d, value_usd`` per year.
    usd_per_tonne
        Value of one tonne of the goods traded.
    source
        A label for the flows, kept with the result.

    Returns
    -------
    Demand

    Examples
    --------
    >>> import steppe
    >>> net = steppe.load_network()
    >>> flows = kazakhstan_trade_flows(2023)
    >>> to_mongolia = flows[flows.iso_d == "MNG"]
    >>> d = od_demand(net, to_mongolia)
    >>> round(d.tonnes) == round(to_mongolia.value_usd.sum() / DEFAULT_USD_PER_TONNE)
    True
    """
    if not (usd_per_tonne > 0 and np.isfinite(usd_per_tonne)):
        raise ConfigError(f"usd_per_tonne {usd_per_tonne!r} must be a positive number")
    pop = place_population(network)
    country = pd.Series({n.id: n.country for n in default_places(network)})
    pop = pop[pop > 0]
    share = pop / pop.groupby(country.reindex(pop.index)).transform("sum")
    by_country = {
        c: share[country.reindex(share.index) == c] for c in set(country.reindex(share.index))
    }
    rows: list[pd.DataFrame] = []
    unplaced = []
    grouped = flows.groupby(["iso_o", "iso_d"], sort=True, as_index=False)["value_usd"].sum()
    for o, d, value in zip(grouped["iso_o"], grouped["iso_d"], grouped["value_usd"], strict=True):
        so, sd = by_country.get(str(o)), by_country.get(str(d))
        if so is None or sd is None or o == d:
            unplaced.append({"iso_o": o, "iso_d": d, "value_usd": float(value)})
            continue
        tonnes = float(value) / usd_per_tonne
        grid = np.outer(so.to_numpy(), sd.to_numpy()) * tonnes
        oi, di = np.meshgrid(so.index, sd.index, indexing="ij")
        rows.append(pd.DataFrame({"origin": oi.ravel(), "destination": di.ravel(),
                                  "tonnes": grid.ravel()}))  # fmt: skip
    table = (
        pd.concat(rows, ignore_index=True)
        if rows
        else pd.DataFrame({"origin": [], "destination": [], "tonnes": []})
    )
    table = table[table["origin"] != table["destination"]]
    summed = table.groupby(["origin", "destination"], as_index=False, sort=True)["tonnes"].sum()
    return Demand(
        table=pd.DataFrame(summed),
        unplaced=pd.DataFrame(unplaced, columns=["iso_o", "iso_d", "value_usd"]),
        source=f"{source}; {usd_per_tonne:,.0f} USD per tonne; places by GeoNames population",
    )


def demand_from(
    network: Network,
    *,
    flows: str | Path | None = None,
    od: str | Path | None = None,
    year: int | None = None,
    usd_per_tonne: float | None = None,
) -> Demand:
    """Return the demand a user asked for: OD tonnes, trade flows, or the Kazakh default.

    Parameters
    ----------
    network
        The network whose places receive the demand.
    flows
        A CSV of country-pair trade values (:func:`read_trade_flows`).
    od
        A CSV of OD tonnes between place ids (:func:`read_od_tonnes`); not with ``flows``.
    year
        Year of the embedded Kazakh trade table when neither file is given.
    usd_per_tonne
        Value of a tonne for the trade flows (default :data:`DEFAULT_USD_PER_TONNE`).

    Raises
    ------
    ConfigError
        Both files given, or place ids the network does not know.
    """
    if flows is not None and od is not None:
        raise ConfigError("give either trade flows or OD tonnes, not both")
    value = DEFAULT_USD_PER_TONNE if usd_per_tonne is None else usd_per_tonne
    if od is not None:
        table = read_od_tonnes(od)
        ids = set(table["origin"]) | set(table["destination"])
        unknown = sorted(ids - set(network.nodes_by_id))
        if unknown:
            raise ConfigError(f"{od}: unknown place ids {', '.join(unknown[:5])}")
        return Demand(table=table, unplaced=table.iloc[0:0], source=f"OD tonnes from {od}")
    if flows is not None:
        return od_demand(network, read_trade_flows(flows), usd_per_tonne=value, source=str(flows))
    label = f"Kazakhstan's trade by partner, {year or 'latest year'} (stat.gov.kz)"
    return od_demand(network, kazakhstan_trade_flows(year), usd_per_tonne=value, source=label)
