"""The page in Chromium: the Pareto view, "arrive within N days", place names, uploads, progress.

One page is shared by the tests of this module (they run in order and each leaves the page
usable), so the browser starts and the page loads once.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest

import steppe
from tests.web.test_browser import _covered, browser, planner_page, shot  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

UPLOAD = Path(__file__).parents[1] / "data" / "scenarios" / "kuryk-alat-daily-ferry.toml"


@pytest.fixture(scope="module")
def planner(browser, live_server) -> Iterator[object]:  # noqa: F811 (fixture)
    with planner_page(browser, live_server) as pg:
        yield pg


def _map(pg, call: str):
    module = 'const m = await import("/static/js/map.js");'
    return pg.evaluate(f"async () => {{ {module} return {call}; }}")


def test_place_names_on_the_map_without_overlap(planner):
    names = {n.name for n in steppe.load_network().nodes}
    wide = _map(planner, "m.placeLabels()")
    assert len(wide) >= 10 and set(wide) <= names
    boxes = planner.evaluate(
        """() => [...document.querySelectorAll('.leaflet-labels-pane .place-label')].map((n) => {
             const r = n.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"""
    )
    overlaps = [
        (a, b)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1
    ]
    assert not overlaps, overlaps[:3]
    _map(planner, "m.setView(49.9, 82.6, 7)")  # East Kazakhstan, close up
    close = _map(planner, "m.placeLabels()")
    assert "Ridder" in close and "Oskemen" in close
    assert "Ridder" not in wide  # a small town is named only when there is room
    shot(planner, "place-names")


def test_pareto_view_groups_log_axis_and_keyboard(planner):
    planner.fill("#origin", "Ulaanbaatar")
    planner.fill("#destination", "Duisburg")
    planner.check("input[name='avoid'][value='RUS']")
    planner.click("#pareto-btn")
    planner.wait_for_selector("#pareto-svg .pt", timeout=30_000)
    n_routes = planner.locator("#route-list li").count()
    points = planner.locator("#pareto-svg .pt")
    assert planner.locator("#pareto-svg .axis.y[data-scale='log']").count() == 1
    assert "log scale" in planner.locator("#pareto-svg").text_content()
    # near-identical options are one point: fewer points than options, all named
    assert 2 <= points.count() < n_routes
    labels = [points.nth(i).get_attribute("aria-label") for i in range(points.count())]
    assert all("days" in a and "USD" in a and "kg CO2e" in a for a in labels)
    assert any("near-identical options" in a for a in labels)
    members = [points.nth(i).get_attribute("data-members").split() for i in range(points.count())]
    assert sum(len(m) for m in members) == n_routes  # every option is in exactly one group
    assert planner.locator("#pareto-groups li").count() == points.count()
    # keyboard: Tab reaches one point, arrows move, Enter shows that group's option
    planner.focus("#pareto-svg .pt[tabindex='0']")
    first = planner.evaluate("document.activeElement.dataset.group")
    planner.keyboard.press("ArrowRight")
    second = planner.evaluate("document.activeElement.dataset.group")
    assert (first, second) == ("A", "B")
    planner.keyboard.press("Enter")
    picked = planner.evaluate("document.activeElement.dataset.members.split(' ').map(Number)")
    pressed = planner.locator("#route-list button[aria-pressed='true']")
    assert int(pressed.get_attribute("data-index")) in picked
    assert planner.locator("#pareto-svg .pt.selected").get_attribute("data-group") == "B"
    planner.keyboard.press("End")
    last = chr(ord("A") + points.count() - 1)
    assert planner.evaluate("document.activeElement.dataset.group") == last
    shot(planner, "pareto-view")


def test_arrive_within_n_days(planner, eurasia):
    # the reference: the same 1,000 draws (seed 0) from the Python API, for a deadline
    # inside the spread, so that the answer is neither 0 nor 1
    opts = steppe.RouteOptions.build(optimize="generalized")
    best = steppe.route(eurasia, "Ulaanbaatar", "Duisburg", opts).routes[0]
    days = math.ceil(steppe.reliability(eurasia, best, opts, draws=1000, seed=0).median_h / 24)
    want = steppe.reliability(eurasia, best, opts, draws=1000, seed=0, within_days=days)
    assert 0 < want.prob_within < 1
    planner.uncheck("input[name='avoid'][value='RUS']")
    planner.click("#plan")
    planner.locator("#route-status", has_text="found").wait_for(timeout=30_000)
    planner.locator("#within-out", has_text="90 % of").wait_for(timeout=30_000)
    assert "90 % of 1,000 draws arrive within" in planner.locator("#within-out").inner_text()
    planner.fill("#within-days", str(days))
    planner.keyboard.press("Enter")  # the field submits its form
    out = planner.locator("#within-out")
    out.filter(has_text=f"within {days} days").wait_for(timeout=30_000)
    assert float(out.get_attribute("data-probability")) == pytest.approx(want.prob_within)
    assert f"{round(100 * want.prob_within)} % chance" in out.inner_text()
    shot(planner, "within-days")


def test_compare_under_an_uploaded_scenario_with_progress(planner):
    planner.click("#tab-scenarios")
    planner.set_input_files("#scenario-file", str(UPLOAD))
    status = planner.locator("#scenario-status")
    status.filter(has_text="Uploaded").wait_for(timeout=30_000)
    words = planner.locator("#changes-words").inner_text()
    assert "Ferry Kuryk – Alat" in words and "every 24 h" in words
    planner.wait_for_selector(".leaflet-scenario-pane path", state="attached")
    assert planner.locator("#route-scenario option[value='upload:']").count() == 1
    planner.evaluate("document.body.dataset.progressAfterMs = '0'")  # no 1 s threshold
    planner.click("#scenario-compare")
    planner.wait_for_selector("#scenario-progress:not([hidden]) progress", timeout=30_000)
    status.filter(has_text="Compared Kuryk – Alat ferry every day").wait_for(timeout=120_000)
    assert planner.locator("#shares-fig").is_visible()
    assert planner.locator("#gains-table tbody tr").count() >= 1
    assert planner.locator("#scenario-progress").is_hidden()
    shot(planner, "compare-upload")
    # and the route planner routes under the uploaded scenario
    planner.click("#tab-route")
    planner.fill("#origin", "Almaty")
    planner.fill("#destination", "Baku")
    planner.select_option("#route-scenario", "upload:")
    planner.click("#plan")
    planner.wait_for_selector("#route-scenario-note:not([hidden])", timeout=30_000)
    assert "every 24 h" in planner.locator("#route-scenario-changes").inner_text()
    planner.select_option("#route-scenario", "")


def test_a_bad_upload_lists_its_problems(planner, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('format_version = 1\ntitle = "x"\n[[edits]]\ntype = "widen_road"\n')
    planner.click("#tab-scenarios")
    planner.set_input_files("#scenario-file", str(bad))
    status = planner.locator("#scenario-status.error")
    status.wait_for(timeout=30_000)
    assert "bad.toml is not a scenario" in status.inner_text()
    assert "edit 1 (widen_road): unknown edit type" in status.inner_text()
    assert planner.locator("#changes-fig").is_hidden()


def test_trade_default_view_has_no_refusals(planner):
    """Kazakhstan-Mongolia: the series, and one note for what the data do not hold."""
    planner.click("#tab-trade")
    planner.wait_for_selector("#series-table tbody tr", timeout=30_000)
    note = planner.locator("#trade-missing")
    note.wait_for(timeout=30_000)
    text = note.inner_text()
    assert "composition by goods" in text and "mirror statistics" in text
    assert planner.locator("#comp-fig").is_hidden() and planner.locator("#mirror-fig").is_hidden()
    assert planner.locator("#panel-trade .status.error").count() == 0


def test_impact_under_an_uploaded_scenario_with_progress(planner):
    planner.click("#tab-scenarios")
    planner.set_input_files("#scenario-file", str(UPLOAD))
    planner.locator("#scenario-status", has_text="Uploaded").wait_for(timeout=30_000)
    planner.click("#tab-trade")
    planner.select_option("#impact-scenario", "upload:")
    planner.fill("#impact-draws", "500")
    planner.evaluate("document.body.dataset.progressAfterMs = '0'")  # no 1 s threshold
    planner.click("#impact-run")
    planner.wait_for_selector("#impact-progress:not([hidden]) progress", timeout=30_000)
    assert "s" in planner.locator("#impact-progress .elapsed").inner_text()
    planner.wait_for_selector("#impact-fig:not([hidden])", timeout=180_000)
    table = planner.locator("#impact-table tbody").inner_text()
    assert "KAZ" in table and "MNG" in table
    assert planner.locator("#impact-progress").is_hidden()
    assert planner.locator("#impact-status.error").count() == 0


def test_phone_reaches_the_new_controls(browser, live_server):  # noqa: F811 (fixture)
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    pg = ctx.new_page()
    pg.goto(live_server + "/")
    pg.wait_for_selector("body[data-ready='true']", timeout=30_000)
    pg.click("#tab-scenarios")
    for sel in ("#scenario-file", "#scenario-compare"):
        assert _covered(pg, sel) is None, f"{sel} is covered by {_covered(pg, sel)}"
    pg.click("#tab-trade")
    assert _covered(pg, "#impact-run") is None
    ctx.close()
