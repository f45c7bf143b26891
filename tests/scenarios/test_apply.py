"""Applying scenarios: new networks, untouched baselines, stacking and located errors."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from steppe.errors import ScenarioError
from steppe.network import BorderRegime, LinkStatus, Mode, Network, read_network
from steppe.routing import CostModel
from steppe.scenarios import Scenario, apply_scenario, apply_scenarios, read_scenario

DATA = Path(__file__).parents[1] / "data"
Make = Callable[[str], Scenario]


def test_every_edit_type(small: Network) -> None:
    out = apply_scenario(small, read_scenario(DATA / "scenarios" / "all-edits.toml"))
    net = out.network
    assert small == read_network(DATA / "network" / "small")  # the baseline is untouched
    assert net is not small
    assert net.node("sainshand").country == "MNG"
    assert net.links_by_id["ub-sa-road"].status is LinkStatus.PLANNED
    road = net.links_by_id["al-ak-road"]
    assert (road.status, road.speed_kmh) == (LinkStatus.OPEN, 70)
    ferry = net.links_by_id["ak-bk-ferry"]
    assert (ferry.headway_h, ferry.cost_usd) == (36.0, 700.0)
    border = net.borders[0]
    assert border.dwell_for(Mode.ROAD, forward=True).median_h == 1.0  # type: ignore[union-attr]
    # the p90 keeps the old spread (6 / 2 = 3 x the median)
    assert border.dwell_for(Mode.ROAD, forward=True).p90_h == 3.0  # type: ignore[union-attr]
    assert border.dwell_for(Mode.RAIL, forward=False).fee_usd == 60.0  # type: ignore[union-attr]
    times = {(t.node, t.from_mode, t.to_mode): t.time_h for t in net.transfers}
    assert times[("aktau", Mode.RAIL, Mode.FERRY)] == 6.0
    assert times[("aktau", Mode.FERRY, Mode.RAIL)] == 6.0
    assert net.closed_transit == ("CHN",)
    assert out.cost_model.time_cost_per_day == 0.01
    assert {c.ref for c in out.changes if c.kind == "link"} == {
        "ub-sa-road",
        "al-ak-road",
        "ak-bk-ferry",
    }


def test_link_by_ends_and_border_close(small: Network, scenario: Make) -> None:
    s = scenario(
        '[[edits]]\ntype = "change_link"\na = "erenhot"\nb = "zamyn_uud"\nmode = "rail"\n'
        'status = "closed"\n'
        '[[edits]]\ntype = "change_border"\na = "erenhot"\nb = "zamyn_uud"\nregime = "closed"\n'
    )
    net = apply_scenario(small, s).network
    assert net.links_by_id["zu-er-rail"].status is LinkStatus.CLOSED
    assert net.borders[0].regime is BorderRegime.CLOSED


def test_stacking_later_wins(small: Network, scenario: Make) -> None:
    one = scenario('[[edits]]\ntype = "change_link"\nid = "er-bj-road"\nspeed_kmh = 80\n')
    two = scenario('[[edits]]\ntype = "change_link"\nid = "er-bj-road"\nspeed_kmh = 90\n')
    out = apply_scenarios(small, [one, two])
    assert out.network.links_by_id["er-bj-road"].speed_kmh == 90
    assert [c.new for c in out.changes] == [80, 90]
    assert apply_scenarios(small, []).network is small


def test_stacked_cost_models(small: Network, scenario: Make) -> None:
    a = scenario('[[edits]]\ntype = "cost_model"\nparameters = { road_usd_per_km = 3.5 }\n')
    b = scenario('[[edits]]\ntype = "cost_model"\nparameters = { time_cost_per_day = 0.02 }\n')
    base = CostModel(rail_usd_per_km=1.0)
    model = apply_scenarios(small, [a, b], cost_model=base).cost_model
    assert (model.road_usd_per_km, model.time_cost_per_day, model.rail_usd_per_km) == (
        3.5,
        0.02,
        1.0,
    )
    assert base.road_usd_per_km == CostModel().road_usd_per_km


@pytest.mark.parametrize(
    ("edits", "row", "column", "needle"),
    [
        ('type = "change_link"\nid = "nope"\nspeed_kmh = 3\n', 1, "id", "unknown link 'nope'"),
        (
            'type = "change_link"\na = "erenhot"\nb = "zamyn_uud"\nspeed_kmh = 3\n',
            1,
            "mode",
            "2 links join",
        ),
        (
            'type = "change_link"\na = "erenhot"\nb = "almaty"\nspeed_kmh = 3\n',
            1,
            "a",
            "no link joins",
        ),
        ('type = "change_ferry"\nid = "er-bj-road"\nheadway_h = 3\n', 1, "id", "not a ferry"),
        (
            'type = "change_link"\nid = "er-bj-road"\nheadway_scale = 3\n',
            1,
            "headway_scale",
            "unknown field",
        ),
        (
            'type = "change_link"\nid = "er-bj-road"\nlength_km = 3\n'
            '[[edits]]\ntype = "change_link"\nid = "er-bj-road"\nlength_km = 4\n',
            2,
            "length_km",
            "contradicts edit 1",
        ),
        (
            'type = "add_link"\nid = "x"\na = "beijing"\nb = "atlantis"\nmode = "road"\n'
            "length_km = 5\nspeed_kmh = 50\n",
            1,
            "b",
            "unknown node 'atlantis'",
        ),
        (
            'type = "add_link"\nid = "er-bj-road"\na = "beijing"\nb = "erenhot"\nmode = "road"\n'
            "length_km = 5\nspeed_kmh = 50\n",
            1,
            "id",
            "already exists",
        ),
        (
            'type = "add_node"\nid = "beijing"\nname = "B"\nlat = 1\nlon = 1\ncountry = "CHN"\n',
            1,
            "id",
            "already exists",
        ),
        ('type = "change_border"\nid = "nope"\nregime = "closed"\n', 1, "id", "unknown border"),
        (
            'type = "change_border"\nid = "zamyn_uud-erenhot"\nroad_fee_usd = 1\n'
            '[[edits]]\ntype = "change_border"\nid = "zamyn_uud-erenhot"\nroad_fee_usd = 2\n',
            2,
            "road_fee_usd",
            "contradicts edit 1",
        ),
        (
            'type = "change_transfer"\nnode = "beijing"\nfrom_mode = "road"\nto_mode = "rail"\n'
            "time_h = 1\n",
            1,
            "node",
            "no transfer road -> rail",
        ),
        (
            'type = "cost_model"\nparameters = { warp_speed = 9 }\n',
            1,
            "parameters.warp_speed",
            "unknown cost model parameter",
        ),
        (
            'type = "cost_model"\nparameters = { road_usd_per_km = -1 }\n',
            1,
            "parameters.road_usd_per_km",
            ">= 0",
        ),
        (
            'type = "add_link"\nid = "bad-ferry"\na = "beijing"\nb = "almaty"\nmode = "ferry"\n'
            "length_km = 5\nduration_h = 5\n",
            1,
            None,
            "the edited network is invalid",
        ),
    ],
)
def test_apply_error(
    small: Network, scenario: Make, edits: str, row: int, column: str | None, needle: str
) -> None:
    with pytest.raises(ScenarioError) as info:
        apply_scenario(small, scenario("[[edits]]\n" + edits))
    found = [(p.row, p.column, p.message) for p in info.value.problems]
    assert all(p.file == "test.toml" for p in info.value.problems)
    assert any(r == row and (column is None or c == column) and needle in m for r, c, m in found), (
        found
    )


def test_every_edit_class_has_a_handler_and_a_test() -> None:
    from steppe.scenarios._edits import HANDLERS
    from steppe.scenarios.spec import EDIT_CLASSES, EDIT_TYPES

    assert set(HANDLERS) == set(EDIT_CLASSES)
    in_fixture = set(re.findall(r'^type = "(\w+)"', (DATA / "scenarios" / "all-edits.toml")
                                .read_text(encoding="utf-8"), flags=re.M))  # fmt: skip
    # the two not in the fixture are tested below
    assert in_fixture | {"add_border", "add_transfer"} == set(EDIT_TYPES)


def test_add_transfer(small: Network, scenario: Make) -> None:
    s = scenario('[[edits]]\ntype = "add_transfer"\nnode = "almaty"\nfrom_mode = "road"\n'
                 'to_mode = "rail"\ntime_h = 5\ncost_usd = 80\nsource = "test"\n')  # fmt: skip
    out = apply_scenario(small, s)
    added = [t for t in out.network.transfers if t.node == "almaty"]
    assert [(t.from_mode, t.to_mode, t.time_h, t.cost_usd) for t in added] == [
        (Mode.ROAD, Mode.RAIL, 5.0, 80.0)
    ]
    assert [c.ref for c in out.changes] == ["almaty:road:rail"]
    assert not [t for t in small.transfers if t.node == "almaty"]  # the baseline is untouched


def test_add_transfer_that_exists_is_an_error(small: Network, scenario: Make) -> None:
    s = scenario('[[edits]]\ntype = "add_transfer"\nnode = "ulaanbaatar"\nfrom_mode = "road"\n'
                 'to_mode = "rail"\ntime_h = 5\ncost_usd = 80\n')  # fmt: skip
    with pytest.raises(ScenarioError) as info:
        apply_scenario(small, s)
    assert info.value.problems[0].row == 1


def test_add_border(small: Network, scenario: Make) -> None:
    posts = "".join(
        f'[[edits]]\ntype = "add_node"\nid = "{i}"\nname = "{i}"\nlat = 45.2\nlon = 82.5\n'
        f'country = "{c}"\nkind = "border_crossing"\n'
        for i, c in (("dostyk", "KAZ"), ("alashankou", "CHN"))
    )
    links = "".join(
        f'[[edits]]\ntype = "add_link"\nid = "{a}-{b}"\na = "{a}"\nb = "{b}"\nmode = "road"\n'
        f"length_km = {km}\nspeed_kmh = 60\n"
        for a, b, km in (("almaty", "dostyk", 500), ("dostyk", "alashankou", 5))
    )
    s = scenario(posts + links + '[[edits]]\ntype = "add_border"\nid = "dostyk-alashankou"\n'
                 'a = "dostyk"\nb = "alashankou"\nroad_ab_median_h = 20\nroad_ba_median_h = 30\n'
                 "road_fee_usd = 90\n")  # fmt: skip
    out = apply_scenario(small, s)
    border = out.network.borders_by_pair[frozenset(("dostyk", "alashankou"))]
    dwell = border.dwell_for(Mode.ROAD, forward=True)
    assert dwell is not None and (dwell.median_h, dwell.fee_usd) == (20.0, 90.0)
    assert border.dwell_for(Mode.ROAD, forward=False).median_h == 30.0  # type: ignore[union-attr]
    assert "dostyk-alashankou" in {c.ref for c in out.changes if c.kind == "border"}
