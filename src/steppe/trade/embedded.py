"""The trade data shipped inside the package, with their attributions.

* ``kz_bns_trade_by_partner_2018_2023.csv``: Kazakhstan Bureau of National Statistics,
  "Main indicators of foreign trade by country", 2019-2023 editions (stat.gov.kz); yearly
  exports and imports of Kazakhstan by partner, thousand USD. Use with reference to the source.
* ``eurostat_eu_exports_to_kaz_monthly_2019_2024.csv``: Eurostat Comext, monthly exports of
  each EU member state to Kazakhstan, 2019-01..2024-08, EUR. Reuse with attribution.
* ``hs_sections.csv``: WCO Harmonized System, chapter -> section.
* ``eur_usd_rates.csv``: ECB annual average EUR/USD reference rates.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["EMBEDDED_DATASETS", "embedded_path"]

# dataset name -> (file, format)
EMBEDDED_DATASETS: dict[str, tuple[str, str]] = {
    "kz_bns_trade_by_partner_2018_2023": ("kz_bns_trade_by_partner_2018_2023.csv", "kz-bns"),
    "eurostat_eu_exports_to_kaz_monthly_2019_2024": (
        "eurostat_eu_exports_to_kaz_monthly_2019_2024.csv",
        "eurostat",
    ),
}


def embedded_path(name: str) -> Path:
    """Return the path of a file shipped in ``steppe/data/trade``.

    Examples
    --------
    >>> embedded_path("hs_sections.csv").name
    'hs_sections.csv'
    """
    return Path(str(resources.files("steppe").joinpath("data", "trade", name)))
