"""Many draws and many scenarios on a local dask cluster give the local results."""

from __future__ import annotations

import pandas as pd
import pytest

from steppe.appraisal import AppraisalSettings, Demand, appraise
from steppe.appraisal.sweep import appraise_many
from steppe.network import Network
from steppe.scenarios.apply import AppliedScenario

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=":0") as c:  # fmt: skip
        yield c


def test_draws_on_a_cluster_equal_the_local_draws(
    net: Network, oskemen_road: AppliedScenario, kz_mng_demand: Demand, cluster: object
) -> None:
    s = AppraisalSettings(capex_usd=50e6, draws=600, seed=3)
    here = appraise(net, oskemen_road, kz_mng_demand, s)
    there = appraise(net, oskemen_road, kz_mng_demand, s,
                     scheduler=cluster.scheduler_address)  # type: ignore[attr-defined]  # fmt: skip
    pd.testing.assert_frame_equal(here.draws, there.draws)
    assert here.draws["eirr"].notna().all()


def test_scenario_sweep_on_a_cluster_equals_the_local_sweep(
    net: Network, kz_mng_demand: Demand, cluster: object
) -> None:
    names = ["oskemen-ridder-tuyekta", "oskemen-ridder-tuyekta-repaired"]
    s = AppraisalSettings(capex_usd=50e6, draws=20)
    here = appraise_many(net, names, kz_mng_demand, s)
    there = appraise_many(net, names, kz_mng_demand, s,
                          scheduler=cluster.scheduler_address)  # type: ignore[attr-defined]  # fmt: skip
    assert [a.scenario for a in there] == [a.scenario for a in here]
    for a, b in zip(here, there, strict=True):
        assert b.npv_usd == pytest.approx(a.npv_usd, rel=1e-12)
        pd.testing.assert_frame_equal(a.draws, b.draws)
    assert here[0].npv_usd != here[1].npv_usd
