"""Project appraisal: freight demand on the network, and whether a project pays.

From trade values to tonnes between places (:mod:`~steppe.appraisal.demand`), the
scenario's effect on each OD pair's cost, time and CO2, yearly benefits and costs, and
NPV, BCR and EIRR with Monte Carlo bands (:mod:`~steppe.appraisal.appraise`); the
discounting is in :mod:`~steppe.appraisal.finance`; loading on shortest-path trees, the
mode logit and the capacity equilibrium in :mod:`~steppe.appraisal.flows`.  Method and sources:
``docs/appraisal.md``.
"""

from steppe.appraisal.appraise import Appraisal, appraise
from steppe.appraisal.assign import Assignment, assign, path_size_logit
from steppe.appraisal.demand import (
    DEFAULT_USD_PER_TONNE,
    Demand,
    demand_from,
    kazakhstan_trade_flows,
    od_demand,
    read_od_tonnes,
    read_trade_flows,
)
from steppe.appraisal.finance import bcr, discount_factors, eirr, npv, present_value
from steppe.appraisal.flows import FlowSettings
from steppe.appraisal.modechoice import ModeChoice
from steppe.appraisal.parameters import AppraisalSettings, co2_price
from steppe.appraisal.sweep import appraise_many

__all__ = [
    "DEFAULT_USD_PER_TONNE",
    "Appraisal",
    "AppraisalSettings",
    "Assignment",
    "Demand",
    "FlowSettings",
    "ModeChoice",
    "appraise",
    "appraise_many",
    "assign",
    "bcr",
    "co2_price",
    "demand_from",
    "discount_factors",
    "eirr",
    "kazakhstan_trade_flows",
    "npv",
    "od_demand",
    "path_size_logit",
    "present_value",
    "read_od_tonnes",
    "read_trade_flows",
]
