"""steppe route and steppe matrix: every option and every user error."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from steppe.network.io import write_network
from tests.conftest import RunCli
from tests.routing.conftest import corridor_network


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_network(corridor_network(), tmp_path_factory.mktemp("net") / "corridor")


def route_json(folder: Path, run_cli: RunCli, *extra: str) -> dict:  # type: ignore[type-arg]
    code, out, err = run_cli(
        ["route", "Xian", "Tbilisi", "--network", str(folder), "--json", *extra]
    )
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def test_table_output(folder: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli(["route", "Xian", "Tbilisi", "--network", str(folder)])
    assert code == 0
    assert "via Dostyk – Aktau – Baku" in out and "total:" in out and "days" in out
    assert "Alashankou / Dostyk" in out


def test_json_object_is_documented_shape(folder: Path, run_cli: RunCli) -> None:
    data = route_json(folder, run_cli)
    r = data["routes"][0]
    for key in (
        "nodes",
        "places",
        "countries",
        "legs",
        "border_crossings",
        "distance_km",
        "time_h",
        "cost_usd",
        "co2_kg",
        "corridor",
    ):
        assert key in r
    for key in ("from", "to", "mode", "distance_km", "time_h", "cost_usd", "co2_kg"):
        assert key in r["legs"][0]
    assert r["countries"] == ["CHN", "KAZ", "AZE", "GEO"]
    assert sum(leg["time_h"] for leg in r["legs"]) == pytest.approx(r["time_h"], abs=0.01)


def _non_dominated(routes: list[dict]) -> bool:  # type: ignore[type-arg]
    keys = ("time_h", "cost_usd", "co2_kg")
    vectors = [tuple(r[k] for k in keys) for r in routes]
    return len(vectors) >= 1 and not any(
        a != b and all(x <= y for x, y in zip(a, b, strict=True)) for a in vectors for b in vectors
    )


@pytest.mark.parametrize(
    ("extra", "check"),
    [
        (
            ["--optimize", "time"],
            # with driver rest (9 h a day) the rail-ferry route is faster than the road
            lambda r: r["routes"][0]["corridor"] == "via Dostyk – Aktau – Baku",
        ),
        (["--avoid", "RUS"], lambda r: "RUS" not in r["routes"][0]["countries"]),
        (
            ["--avoid", "Russia", "--optimize", "time"],
            lambda r: "RUS" not in r["routes"][0]["countries"],
        ),
        (["--via", "Moscow"], lambda r: "moscow" in r["routes"][0]["nodes"]),
        (
            ["--modes", "road,rail", "--optimize", "cost"],
            lambda r: {leg["mode"] for leg in r["routes"][0]["legs"]} <= {"road", "rail"},
        ),
        (["--alternatives", "3"], lambda r: len({x["corridor"] for x in r["routes"]}) == 2),
        # with driver rest one rail-ferry route beats the road on all three criteria here
        (["--pareto"], lambda r: r["kind"] == "pareto" and _non_dominated(r["routes"])),
        (
            ["--reliability", "--within", "12"],
            lambda r: 0 <= r["routes"][0]["reliability"]["prob_within"] <= 1,
        ),
        (["--cargo", "teu"], lambda r: r["routes"][0]["co2_kg"] > 0),
        (["--cargo", "tonnes:5", "--value", "90000"], lambda r: r["routes"][0]["cost_usd"] > 0),
    ],
)
def test_options(folder: Path, run_cli: RunCli, extra, check) -> None:  # type: ignore[no-untyped-def]
    assert check(route_json(folder, run_cli, *extra))


def test_geojson(folder: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli(["route", "Xian", "Tbilisi", "--network", str(folder), "--geojson"])
    fc = json.loads(out)
    types = {f["geometry"]["type"] for f in fc["features"]}
    assert code == 0 and fc["type"] == "FeatureCollection" and types == {"LineString", "Point"}


def test_reliability_table(folder: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli(
        ["route", "Xian", "Tbilisi", "--network", str(folder), "--reliability", "--within", "11"]
    )
    assert code == 0 and "reliability: median" in out and "P(within 11 days)" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["route", "Almatty", "Tbilisi"], "unknown place 'Almatty'; did you mean Almaty"),
        (["route", "Xian", "Tbilisi", "--avoid", "KAZ"], "every route crosses KAZ"),
        (["route", "Xian", "Tbilisi", "--modes", "rail"], "using only rail"),
        (["route", "Almaty", "Ridder"], "not connected"),
        (["route", "Xian", "Tbilisi", "--avoid", "CHN"], "origin Xian is in CHN"),
        (["route", "Xian", "Xian"], "same place"),
        (["route", "Xian", "Tbilisi", "--pareto", "--alternatives", "2"], "--pareto"),
        (["route", "Xian", "Tbilisi", "--pareto", "--optimize", "time"], "--optimize"),
        (["route", "Xian", "Tbilisi", "--json", "--geojson"], "--json and --geojson"),
        (["route", "Xian", "Tbilisi", "--optimize", "fast"], "unknown objective"),
        (["route", "Xian", "Tbilisi", "--modes", "plane"], "unknown mode"),
        (["route", "Xian", "Tbilisi", "--cargo", "pallets"], "cannot read cargo"),
        (["route", "Xian", "Tbilisi", "--avoid", "Narnia"], "unknown country"),
        (["route", "Xian", "Tbilisi", "--alternatives", "0"], "at least 1"),
    ],
)
def test_errors_are_one_line_exit_1(
    folder: Path, run_cli: RunCli, args: list[str], message: str
) -> None:
    code, _, err = run_cli([*args, "--network", str(folder)])
    assert code == 1, err
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_ambiguous_place(folder: Path, tmp_path: Path, run_cli: RunCli) -> None:
    import dataclasses

    net = corridor_network()
    twin = dataclasses.replace(net.nodes_by_id["kurgan"], id="kurgan2", country="KAZ")
    write_network(net.replace(nodes=(*net.nodes, twin)), tmp_path / "amb")
    code, _, err = run_cli(["route", "Kurgan", "Almaty", "--network", str(tmp_path / "amb")])
    assert code == 1 and "ambiguous" in err and "RUS" in err and "KAZ" in err


def test_matrix_csv_and_parquet(folder: Path, tmp_path: Path, run_cli: RunCli) -> None:
    out = tmp_path / "m.csv"
    code, _, err = run_cli(["matrix", "--network", str(folder), "-o", str(out)])
    assert code == 0, err
    table = pd.read_csv(out)
    assert len(table) == 42 and {"time_h", "cost_usd", "co2_kg", "distance_km"} <= set(table)
    out2 = tmp_path / "m.parquet"
    code, _, _ = run_cli(
        [
            "matrix",
            "--network",
            str(folder),
            "--from",
            "Xian,Almaty",
            "--to",
            "Tbilisi",
            "--metric",
            "cost",
            "--avoid",
            "RUS",
            "-o",
            str(out2),
        ]
    )
    table = pd.read_parquet(out2)
    assert code == 0 and len(table) == 2
    out3 = tmp_path / "w.csv"
    code, _, _ = run_cli(
        ["matrix", "--network", str(folder), "--from", "Xian", "--wide", "-o", str(out3)]
    )
    assert code == 0 and pd.read_csv(out3).shape == (1, 7)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--metric", "speed"], "unknown metric"),
        (["--from", "Atlantis"], "unknown place"),
        (["--from", "Moscow", "--avoid", "RUS"], "Moscow is in RUS"),
    ],
)
def test_matrix_errors(
    folder: Path, tmp_path: Path, run_cli: RunCli, args: list[str], message: str
) -> None:
    out = tmp_path / "m.csv"
    code, _, err = run_cli(["matrix", "--network", str(folder), "-o", str(out), *args])
    assert code == 1 and message in err and not out.exists()


def test_matrix_bad_suffix(folder: Path, tmp_path: Path, run_cli: RunCli) -> None:
    code, _, err = run_cli(["matrix", "--network", str(folder), "-o", str(tmp_path / "m.xlsx")])
    assert code == 1 and ".csv, .parquet or .omx" in err


def test_errors_name_the_flag(folder: Path, run_cli: RunCli) -> None:
    base = ["route", "Xian", "Tbilisi", "--network", str(folder)]
    code, _, err = run_cli([*base, "--modes", "plane"])
    assert code == 1 and err.startswith("error: --modes: unknown mode 'plane'")
    code, _, err = run_cli([*base, "--optimize", "fastest"])
    assert code == 1 and err.startswith("error: --optimize: unknown objective 'fastest'")
    code, _, err = run_cli([*base, "--via", "Moscow", "--avoid", "RUS"])
    assert code == 1 and err.startswith("error: --avoid: the via place Moscow is in RUS")


def test_depart_dates_the_answer(run_cli: RunCli) -> None:
    code, out, err = run_cli(
        ["route", "Oskemen", "Olgii", "--optimize", "time", "--depart", "2025-07-09"]
    )
    assert code == 0, err
    flat = " ".join(out.split())  # rich wraps long lines
    assert "leaving 2025-07-09 00:00" in flat and "closed for Naadam" in flat
    code, out, err = run_cli(["route", "Almaty", "Baku", "--depart", "2025-13-01"])
    assert code == 1 and "depart: cannot read departure date '2025-13-01'" in out + err


def test_dated_matrix_has_a_depart_column(folder: Path, tmp_path: Path, run_cli: RunCli) -> None:
    out_file = tmp_path / "m.csv"
    code, out, err = run_cli(["matrix", "-o", str(out_file), "--from", "Xian", "--to", "Tbilisi",
                              "--network", str(folder), "--depart", "2025-03-01"])  # fmt: skip
    assert code == 0, err
    assert "leaving 2025-03-01 00:00" in " ".join(out.split())  # rich wraps long lines
    assert set(pd.read_csv(out_file)["depart"]) == {"2025-03-01T00:00"}
