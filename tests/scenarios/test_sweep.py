"""Scenario sweeps: each result is the one-scenario comparison, the same here and on dask."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from steppe.errors import ConfigError, ScenarioError
from steppe.network import Network
from steppe.scenarios import load_scenarios
from steppe.scenarios.compare import compare
from steppe.scenarios.sweep import Sweep, sweep
from tests.conftest import RunCli

DATA = Path(__file__).parents[1] / "data"
SMALL = DATA / "network" / "small"
ALL = DATA / "scenarios" / "all-edits.toml"
HEAD = 'format_version = 1\ntitle = "{title}"\n'
FAST_FERRY = """
[[edits]]
type = "change_ferry"
id = "ak-bk-ferry"
headway_scale = 0.25
source = "test"
"""
SLOW_FERRY = """
[[edits]]
type = "change_ferry"
id = "ak-bk-ferry"
headway_scale = 4.0
source = "test"
"""


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    out = []
    for name, body in (("fast-ferry", FAST_FERRY), ("slow-ferry", SLOW_FERRY)):
        path = tmp_path / f"{name}.toml"
        path.write_text(HEAD.format(title=name) + body, encoding="utf-8")
        out.append(path)
    return [*out, ALL]


def test_each_scenario_equals_its_own_comparison(small: Network, files: list[Path]) -> None:
    res = sweep(files, small, optimize="time")
    assert [o.scenario for o in res.outcomes] == ["fast-ferry", "slow-ferry", "all-edits"]
    for path, outcome in zip(files, res.outcomes, strict=True):
        alone = compare(small, load_scenarios([path], small), optimize="time")
        pd.testing.assert_frame_equal(outcome.pairs, alone.pairs)
        assert outcome.summary == alone.summary()
    # the sweep measures something: the scenarios differ from each other
    deltas = res.summary()["mean_time_h_delta"]
    assert deltas.iloc[0] < 0 < deltas.iloc[1]


def test_a_stack_is_compared_as_one(small: Network, files: list[Path]) -> None:
    res = sweep([files[:2]], small, optimize="time")
    stacked = compare(small, load_scenarios(files[:2], small), optimize="time")
    assert res.outcomes[0].scenario == "fast-ferry+slow-ferry"
    pd.testing.assert_frame_equal(res.outcomes[0].pairs, stacked.pairs)


def test_dask_cluster_gives_the_local_result(small: Network, files: list[Path]) -> None:
    import distributed

    local = sweep(files, small, optimize="time")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        remote = sweep(files, small, optimize="time", scheduler=cluster.scheduler_address)
    pd.testing.assert_frame_equal(remote.pairs(), local.pairs())
    pd.testing.assert_frame_equal(remote.summary(), local.summary())


def test_the_work_survives_dask_serialisation(small: Network, files: list[Path]) -> None:
    # an in-process cluster shares memory; a real one pickles the network and the options
    from distributed.protocol import deserialize, serialize

    from steppe.routing import RouteOptions
    from steppe.scenarios import resolve_scenario

    opts = RouteOptions.build(None, optimize="time")
    parts = (small, opts, tuple(resolve_scenario(f) for f in files))
    net, opts2, stacks = deserialize(*serialize(parts))
    a = compare(small, load_scenarios(files, small), opts)
    b = compare(net, load_scenarios(files, net), opts2)
    pd.testing.assert_frame_equal(a.pairs, b.pairs)
    assert [s.name for s in stacks] == ["fast-ferry", "slow-ferry", "all-edits"]


def test_bad_input_is_refused_before_any_work(small: Network, files: list[Path]) -> None:
    with pytest.raises(ScenarioError, match="atlantis"):
        sweep([files[0], "atlantis"], small)
    with pytest.raises(ConfigError, match="scenarios: name at least one"):
        sweep([], small)
    with pytest.raises(ConfigError, match="workers: give either a scheduler"):
        sweep(files, small, scheduler="tcp://127.0.0.1:1", workers=2)
    with pytest.raises(ConfigError, match=r"path: cannot write sweep\.xlsx"):
        Sweep("time", ()).write("sweep.xlsx")


def test_write_csv_and_parquet(small: Network, files: list[Path], tmp_path: Path) -> None:
    res = sweep(files[:2], small, optimize="time")
    back = pd.read_csv(res.write(tmp_path / "sweep.csv"))
    assert back["scenario"].unique().tolist() == ["fast-ferry", "slow-ferry"]
    assert len(back) == len(res.pairs()) == 2 * len(res.outcomes[0].pairs)
    pytest.importorskip("pyarrow")
    table = pd.read_parquet(res.write(tmp_path / "sweep.parquet"))
    pd.testing.assert_series_equal(table["time_h_delta"], res.pairs()["time_h_delta"])


def test_cli_sweep(run_cli: RunCli, files: list[Path], tmp_path: Path) -> None:
    out_file = tmp_path / "sweep.csv"
    args = ["scenario", "sweep", *map(str, files[:2]), f"{files[0]}+{files[1]}"]
    code, out, _ = run_cli([*args, "--network", str(SMALL), "--optimize", "time", "--json",
                            "--output", str(out_file)])  # fmt: skip
    assert code == 0
    data = json.loads(out)
    names = [s["scenario"] for s in data["scenarios"]]
    assert names == ["fast-ferry", "slow-ferry", "fast-ferry+slow-ferry"]
    assert data["output"] == str(out_file)
    assert pd.read_csv(out_file)["scenario"].nunique() == 3
    code, out, _ = run_cli([*args[:4], "--network", str(SMALL), "--optimize", "time"])
    assert code == 0 and "fast-ferry" in out and "slow-ferry" in out


def test_cli_sweep_errors(run_cli: RunCli, files: list[Path]) -> None:
    code, _, err = run_cli(["scenario", "sweep", str(files[0]), "--network", str(SMALL),
                            "--output", "x.txt", "--json"])  # fmt: skip
    assert code == 1
    assert "--output: cannot write x.txt" in json.loads(err)["error"]
    code, _, err = run_cli(["scenario", "sweep", "atlantis", "--network", str(SMALL)])
    assert code == 1 and "no bundled scenario" in err and "Traceback" not in err
