"""Greenhouse-gas emissions of transport chains by ISO 14083 and the GLEC Framework v3.

Legs emit tonne-km × a well-to-wheel (WTW) or tank-to-wheel (TTW) intensity; hubs
(transshipment sites, ports) emit per tonne or per container handled.  Every factor is
a row of a shipped table cited to a published source (``docs/emissions.md``).
"""

from steppe.emissions.chain import (
    ChainEmissions,
    HubEmissions,
    LegEmissions,
    hub_emissions,
    leg_emissions,
)
from steppe.emissions.factors import EmissionFactor, FactorTable, factor_table
from steppe.emissions.model import EmissionsModel, Intensity

__all__ = [
    "ChainEmissions",
    "EmissionFactor",
    "EmissionsModel",
    "FactorTable",
    "HubEmissions",
    "Intensity",
    "LegEmissions",
    "factor_table",
    "hub_emissions",
    "leg_emissions",
]
