"""Time changes -> trade costs -> GE impact."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from steppe.errors import ConfigError
from steppe.gravity.costs import aggregate_place_pairs, trade_cost_change_from_times
from steppe.gravity.data import add_domestic_flows, load_dataset
from steppe.gravity.impact import default_baseline, impact_of_pair_changes


def _kaz_mng(hours0: float, hours1: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "iso_o": ["KAZ", "MNG"],
            "iso_d": ["MNG", "KAZ"],
            "baseline_time_h": [hours0] * 2,
            "scenario_time_h": [hours1] * 2,
        }
    )


def test_ad_valorem_conversion_by_hand() -> None:
    out = trade_cost_change_from_times(_kaz_mng(240.0, 120.0), ad_valorem_per_day=0.02, sigma=5.0)
    t_hat = (1 + 0.02 * 5) / (1 + 0.02 * 10)
    assert out["t_hat"].iloc[0] == pytest.approx(t_hat)
    assert out["phi_hat"].iloc[0] == pytest.approx(t_hat**-4.0)


def test_elasticity_conversion_and_errors() -> None:
    out = trade_cost_change_from_times(_kaz_mng(100.0, 50.0), method="elasticity", elasticity=-0.8)
    assert out["phi_hat"].iloc[0] == pytest.approx(0.5**-0.8)
    with pytest.raises(ConfigError):
        trade_cost_change_from_times(_kaz_mng(100.0, 0.0))
    with pytest.raises(ConfigError):
        trade_cost_change_from_times(_kaz_mng(100.0, 50.0), method="magic")  # type: ignore[arg-type]


def test_place_pairs_aggregate_with_weights() -> None:
    pp = pd.DataFrame(
        {
            "iso_o": ["KAZ"] * 2,
            "iso_d": ["MNG"] * 2,
            "baseline_time_h": [10.0, 30.0],
            "scenario_time_h": [10.0, 10.0],
            "weight_o": [1.0, 1.0],
            "weight_d": [1.0, 3.0],
        }
    )
    out = aggregate_place_pairs(pp)
    assert out["baseline_time_h"].iloc[0] == pytest.approx(25.0)


def test_domestic_flows_are_sane() -> None:
    hmr = load_dataset("hmr-2006")
    full = add_domestic_flows(hmr)
    dom = full[full["domestic"]].set_index("exporter")["trade"]
    gdp = hmr.groupby("exporter")["gdp_o"].first()
    assert len(dom) == 166
    assert (dom >= 0.1 * gdp - 1e-9).all() and (dom <= gdp + 1e-9).all()
    # large, closed economies sell most of their output at home
    expend = full.groupby("importer")["trade"].sum()
    assert dom["USA"] / expend["USA"] > 0.8
    assert {"ROU", "COD", "SRB", "KAZ", "MNG"} <= set(dom.index)
    assert not {"ROM", "ZAR", "YUG"} & set(dom.index)


def test_impact_on_one_pair_moves_that_pair_the_expected_way() -> None:
    base = default_baseline()
    faster = impact_of_pair_changes(_kaz_mng(240.0, 120.0), baseline_trade=base, draws=0)
    slower = impact_of_pair_changes(_kaz_mng(240.0, 360.0), baseline_trade=base, draws=0)
    f = faster.focus.set_index("flow")["change_pct"]
    s = slower.focus.set_index("flow")["change_pct"]
    assert f["KAZ->MNG"] > 0 and f["MNG->KAZ"] > 0
    assert s["KAZ->MNG"] < 0
    c = faster.countries.set_index("country")
    assert c.loc["MNG", "real_gdp_change_pct"] > 0 and c.loc["KAZ", "real_gdp_change_pct"] > 0
    # third countries barely move
    others = c.drop(index=["KAZ", "MNG"])["real_gdp_change_pct"].abs().max()
    assert others < c.loc["MNG", "real_gdp_change_pct"] / 10


def test_no_change_means_no_impact() -> None:
    res = impact_of_pair_changes(_kaz_mng(100.0, 100.0), draws=3)
    assert np.allclose(res.focus["change_pct"], 0.0, atol=1e-8)
    assert res.countries["real_gdp_change_pct"].abs().max() < 1e-8


@pytest.mark.slow
def test_monte_carlo_bands_bracket_the_central_value() -> None:
    res = impact_of_pair_changes(_kaz_mng(240.0, 120.0), draws=30, seed=1)
    row = res.focus.set_index("flow").loc["KAZ<->MNG"]
    assert row["p05"] < row["change_pct"] < row["p95"]
    again = impact_of_pair_changes(_kaz_mng(240.0, 120.0), draws=30, seed=1)
    pd.testing.assert_frame_equal(res.focus, again.focus)


@pytest.mark.slow
def test_dask_cluster_gives_the_same_answer() -> None:
    import distributed

    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        remote = impact_of_pair_changes(
            _kaz_mng(240.0, 120.0), draws=4, seed=3, scheduler=cluster.scheduler_address
        )
    local = impact_of_pair_changes(_kaz_mng(240.0, 120.0), draws=4, seed=3)
    pd.testing.assert_frame_equal(remote.focus, local.focus)


def test_unreachable_scheduler_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import distributed

    def unreachable(address: str, **_: object) -> None:
        # what Client raises once its connect timeout has passed, without waiting for it
        raise OSError(f"Timed out trying to connect to {address} after 10 s")

    monkeypatch.setattr(distributed, "Client", unreachable)
    pc = pd.DataFrame({"iso_o": ["KAZ"], "iso_d": ["MNG"],
                       "baseline_time_h": [240.0], "scenario_time_h": [120.0]})  # fmt: skip
    with pytest.raises(
        ConfigError, match=r"cannot reach the dask scheduler at tcp://127\.0\.0\.1:1"
    ):
        impact_of_pair_changes(pc, draws=1, scheduler="tcp://127.0.0.1:1")
