"""One query through Python, the CLI and the web API gives one answer (one RouteOptions)."""

from __future__ import annotations

import json

import pytest

import steppe
from tests.conftest import RunCli

QUERY = {
    "origin": "Ulaanbaatar",
    "destination": "Duisburg",
    "avoid": ["RUS"],
    "modes": ["rail", "sea", "road"],
    "optimize": "cost",
    "cargo": "tonnes:12",
    "closed_transit": ["BLR"],
}


def _totals(route: dict) -> tuple:  # type: ignore[type-arg]
    return (route["corridor"], route["countries"], round(route["time_h"], 3),
            round(route["cost_usd"], 2), round(route["co2_kg"], 2))  # fmt: skip


def test_route_is_the_same_in_python_cli_and_api(client, eurasia, run_cli: RunCli) -> None:
    opts = steppe.RouteOptions(
        avoid=QUERY["avoid"], modes=QUERY["modes"], objective=QUERY["optimize"],
        cargo=steppe.Cargo.parse(QUERY["cargo"]), closed_transit=QUERY["closed_transit"],
    )  # fmt: skip
    python = steppe.route(eurasia, QUERY["origin"], QUERY["destination"], opts).to_dict()
    code, out, err = run_cli([
        "route", QUERY["origin"], QUERY["destination"], "--avoid", "RUS",
        "--modes", "rail,sea,road", "--optimize", "cost", "--cargo", "tonnes:12",
        "--closed-transit", "BLR", "--json",
    ])  # fmt: skip
    assert code == 0, err
    cli = json.loads(out)
    res = client.post("/api/route", json=QUERY)
    assert res.status_code == 200, res.text
    api = res.json()
    want = _totals(python["routes"][0])
    assert _totals(cli["routes"][0]) == want
    assert _totals(api["routes"][0]) == want
    assert "RUS" not in want[1]


@pytest.mark.parametrize("objective", ["time", "distance"])
def test_matrix_is_the_same_in_python_and_api(client, eurasia, objective: str) -> None:
    body = {"origins": ["Almaty", "Ulaanbaatar"], "destinations": ["Baku", "Tianjin"],
            "optimize": objective, "avoid": ["RUS"], "cargo": "teu"}  # fmt: skip
    res = client.post("/api/matrix", json=body)
    assert res.status_code == 200, res.text
    api = res.json()
    opts = steppe.RouteOptions(avoid=["RUS"], objective=objective, cargo=steppe.Cargo.parse("teu"))
    table = steppe.matrix(eurasia, body["origins"], body["destinations"], opts).table
    metric = opts.objective.metric
    rows = api["rows"] if "rows" in api else api["table"]
    got = {(r["origin"], r["destination"]): r[metric] for r in rows}
    want = {(r.origin, r.destination): getattr(r, metric) for r in table.itertuples()}
    assert got == pytest.approx(want)
