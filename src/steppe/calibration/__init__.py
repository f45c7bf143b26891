"""Calibration: measure steppe against published shipments, and fit a few factors.

The observations register (``data/observations/observations.csv``) holds one published
figure per row with its source and a fixed ``fit``/``check`` role.
:func:`calibration_report` routes every row and compares; :func:`fit_calibration`
estimates interpretable factors on the ``fit`` rows and returns an overlay that
:func:`apply_calibration` applies to any network.  See ``docs/calibration.md``.
"""

from steppe.calibration.fit import FitResult, fit_calibration
from steppe.calibration.overlay import (
    Calibration,
    apply_calibration,
    read_calibration,
    write_calibration,
)
from steppe.calibration.register import Observation, Observations, read_observations
from steppe.calibration.report import CalibrationReport, calibration_report

__all__ = [
    "Calibration",
    "CalibrationReport",
    "FitResult",
    "Observation",
    "Observations",
    "apply_calibration",
    "calibration_report",
    "fit_calibration",
    "read_calibration",
    "read_observations",
    "write_calibration",
]
