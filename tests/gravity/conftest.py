"""Shared fixtures for the gravity tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from steppe.gravity.data import load_dataset
from steppe.gravity.estimate import GravityFit, fit_gravity
from steppe.gravity.ge import GEBaseline


@pytest.fixture(scope="session")
def agtpa() -> pd.DataFrame:
    return load_dataset("agtpa-2006")


@pytest.fixture(scope="session")
def agtpa_fit(agtpa: pd.DataFrame) -> GravityFit:
    return fit_gravity(
        agtpa, "trade ~ ln_DIST + CNTG + INTL_BRDR | exporter + importer", small_sample=False
    )


@pytest.fixture(scope="session")
def agtpa_fitted_baseline(agtpa: pd.DataFrame, agtpa_fit: GravityFit) -> GEBaseline:
    return GEBaseline.from_frame(agtpa.assign(fitted=agtpa_fit.fitted), value="fitted")


@pytest.fixture(scope="session")
def no_border_shock(agtpa: pd.DataFrame, agtpa_fit: GravityFit) -> pd.DataFrame:
    intl = agtpa.loc[agtpa["INTL_BRDR"] == 1, ["exporter", "importer"]]
    return intl.assign(phi_hat=np.exp(-agtpa_fit.coef("INTL_BRDR")))


@pytest.fixture(scope="session")
def ge30() -> GEBaseline:
    return GEBaseline.from_frame(load_dataset("gegravity-30"))
