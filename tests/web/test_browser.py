"""The page in Debian's Chromium, driven by Playwright: plan a route, a scenario, trade.

Screenshots go to ``test-output/screenshots/`` at the repository root for a person to
look at.  The browser cannot be downloaded here: Playwright launches ``/usr/bin/chromium``.
Without it the tests fail when ``CI`` is set (``.ci/run`` installs it) and skip otherwise.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path(__file__).parents[2] / "test-output" / "screenshots"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        reason = (
            f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)"
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@contextmanager
def planner_page(browser, live_server) -> Iterator[object]:
    """The planner at 1280 x 800, ready; no page error and no request outside the app."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = ctx.new_page()
    errors: list[str] = []
    foreign: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    # data: URLs have no host, like the app's own relative requests
    pg.on("request", lambda r: (
        foreign.append(r.url) if urlparse(r.url).hostname not in ("127.0.0.1", None) else None
    ))  # fmt: skip
    pg.goto(live_server + "/")
    pg.wait_for_selector("body[data-ready='true']", timeout=30_000)
    yield pg
    ctx.close()
    assert not errors, errors
    assert not foreign, f"the page reached outside the app: {foreign}"


@pytest.fixture
def page(browser, live_server):
    with planner_page(browser, live_server) as pg:
        yield pg


def shot(pg, name: str, **kwargs) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{name}.png"), **kwargs)


def test_plan_ulaanbaatar_duisburg_avoiding_russia(page):
    page.fill("#origin", "Ulaanb")
    page.wait_for_selector("#origin-list option[value='Ulaanbaatar']", state="attached")
    page.fill("#origin", "Ulaanbaatar")
    page.fill("#destination", "Duisburg")
    page.check("input[name='avoid'][value='RUS']")
    page.click("#plan")
    page.wait_for_selector("#legs-table tbody tr", timeout=30_000)
    routes = page.locator("#route-list li")
    assert routes.count() >= 1
    legs = page.locator("#legs-table tbody tr")
    assert legs.count() >= 3
    assert "Duisburg" in page.locator("#legs-table tbody").inner_text()
    # the route is drawn: SVG paths in the routes pane, and stops marked
    assert page.locator(".leaflet-routes-pane path").count() >= 2
    assert page.locator(".leaflet-stops-pane path").count() >= 1
    assert "Russia" not in page.locator("#route-list").inner_text()
    page.wait_for_selector("#rel-fig:not([hidden])", timeout=30_000)
    page.wait_for_timeout(300)
    shot(page, "planner")


def test_sea_route_around_africa_runs_past_land(page):
    """Shanghai -> Rotterdam by sea goes round the Cape: the world layer draws Africa."""
    requested: list[str] = []
    page.on("request", lambda r: requested.append(urlparse(r.url).path))
    page.reload()
    page.wait_for_selector("body[data-ready='true']", timeout=30_000)
    assert {"/api/basemap", "/api/basemap/world", "/api/network"} <= set(requested)
    page.fill("#origin", "Shanghai")
    page.fill("#destination", "Rotterdam")
    for mode in ("road", "rail", "ferry"):
        page.uncheck(f"input[name='mode'][value='{mode}']")
    page.click("#plan")
    page.wait_for_selector("#legs-table tbody tr", timeout=30_000)
    assert "Rotterdam" in page.locator("#legs-table tbody").inner_text()
    page.wait_for_function("() => !document.querySelector('.leaflet-zoom-anim')")
    page.wait_for_timeout(500)  # the map has moved to the route and redrawn its layers
    # Inland South Africa and India are land of the basemap, the Indian Ocean is not.
    land = page.evaluate(
        """async () => {
          const m = await import("/static/js/map.js");
          const at = (lat, lon) => {
            const el = document.elementFromPoint(...m.pagePoint(lat, lon));
            return Boolean(el && el.tagName === "path" && el.closest(".leaflet-overlay-pane"));
          };
          return [at(-29, 24), at(20, 78), at(-15, 75)];
        }"""
    )
    assert land == [True, True, False]
    shot(page, "sea-cape")


def test_unknown_place_shows_suggestions(page):
    page.fill("#origin", "Ulanbatar")
    page.click("#plan")
    status = page.locator("#route-status")
    status.locator("button").first.wait_for(timeout=10_000)
    assert "unknown place" in status.inner_text()


def test_pareto_chart_click_selects_a_route(page):
    page.fill("#origin", "Almaty")
    page.fill("#destination", "Baku")
    page.click("#pareto-btn")
    page.wait_for_selector("#pareto-fig:not([hidden])", timeout=30_000)
    assert page.locator("#route-list li").count() >= 2
    page.locator("#route-list li:nth-child(2) button").click()
    assert (
        page.locator("#route-list li:nth-child(2) button").get_attribute("aria-pressed") == "true"
    )
    shot(page, "pareto", full_page=True)


def test_keyboard_reaches_the_planner(page):
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # first tab
    assert page.evaluate("document.activeElement.id") == "tab-route"
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.id") == "tab-scenarios"
    assert page.locator("#panel-scenarios").is_visible()
    page.keyboard.press("ArrowLeft")
    page.focus("#origin")
    page.keyboard.press("Enter")  # submits the form from an input
    page.wait_for_selector("#legs-table tbody tr", timeout=30_000)


def test_scenario_comparison(page):
    page.click("#tab-scenarios")
    page.select_option("#scenario", "oskemen-ridder-tuyekta")
    page.click("#scenario-show")
    page.wait_for_selector("#changes-table tbody tr", timeout=30_000)
    assert page.locator(".leaflet-scenario-pane path").count() >= 1
    page.click("#scenario-compare")
    page.wait_for_selector("#shares-fig:not([hidden])", timeout=60_000)
    assert page.locator("#gains-table tbody tr").count() >= 1
    assert "Compared" in page.locator("#scenario-status").inner_text()
    page.wait_for_timeout(300)
    shot(page, "scenarios")


def test_trade_panel_defaults_to_kazakhstan_mongolia(page):
    page.click("#tab-trade")
    page.wait_for_selector("#series-table tbody tr", timeout=30_000)
    text = page.locator("#trade-results").inner_text()
    assert "KAZ–MNG" in text and "USD million" in text
    assert page.locator("[data-sources='series'] a").count() >= 1
    shot(page, "trade")


def test_narrow_screen_stacks_map_and_panels(browser, live_server):
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    pg = ctx.new_page()
    pg.goto(live_server + "/")
    pg.wait_for_selector("body[data-ready='true']", timeout=30_000)
    map_box = pg.locator("#map").bounding_box()
    panel_box = pg.locator("#panels").bounding_box()
    assert panel_box["y"] >= map_box["y"] + map_box["height"] - 1
    assert panel_box["width"] <= 390
    shot(pg, "narrow", full_page=True)
    ctx.close()


@pytest.mark.parametrize("kind", ["comparison", "impact"])
def test_html_reports_open_offline(browser, tmp_path: Path, kind: str) -> None:
    """The self-contained reports render in Chromium from a file and request nothing."""
    import steppe
    from steppe.reports import comparison_html, impact_html

    net = steppe.load_network()
    if kind == "comparison":
        applied = steppe.load_scenarios(["oskemen-ridder-tuyekta"], net)
        html = comparison_html(steppe.compare(net, applied, countries=["KAZ", "MNG", "RUS"]))
    else:
        html = impact_html(steppe.scenario_impact(["oskemen-ridder-tuyekta-repaired"], draws=0))
    report = tmp_path / f"{kind}.html"
    report.write_text(html, encoding="utf-8")
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = ctx.new_page()
    requests: list[str] = []
    errors: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(report.as_uri())
    assert "Oskemen" in pg.title() or "Oskemen" in pg.inner_text("h1")
    assert pg.locator("svg").count() >= 1
    assert pg.locator("table").count() >= 2
    shot(pg, f"report-{kind}", full_page=True)
    ctx.close()
    assert requests == [report.as_uri()], requests
    assert not errors, errors


def test_route_under_a_scenario(page):
    page.fill("#origin", "Oskemen")
    page.fill("#destination", "Olgii")
    for mode in ("rail", "ferry", "sea"):
        page.uncheck(f"input[name='mode'][value='{mode}']")
    page.select_option("#optimize", "time")
    page.select_option("#route-scenario", "oskemen-ridder-tuyekta")
    page.click("#plan")
    page.wait_for_selector("#route-scenario-note:not([hidden])", timeout=30_000)
    words = page.locator("#route-scenario-changes").inner_text()
    assert "New road link" in words and "km/h" in words
    assert "Oskemen–Ridder–Tuyekta" in page.locator("#route-scenario-title").inner_text()
    legs = page.locator("#legs-table tbody").inner_text()
    assert "Ridder–Altai border post" in legs  # the new road is taken
    page.wait_for_selector(".leaflet-scenario-pane path", state="attached", timeout=10_000)
    shot(page, "route-scenario")
    page.select_option("#route-scenario", "")  # back to the baseline: no scenario note
    page.click("#plan")
    page.wait_for_selector("#route-scenario-note[hidden]", state="attached", timeout=30_000)
    assert "Ridder–Altai" not in page.locator("#legs-table tbody").inner_text()


def _covered(pg, selector: str) -> str | None:
    """Return what covers the centre of an element, or None when it is the element itself."""
    return pg.evaluate(
        """(sel) => {
          const target = document.querySelector(sel);
          target.scrollIntoView({block: "center"});
          const r = target.getBoundingClientRect();
          const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
          if (hit && (hit === target || target.contains(hit))) return null;
          return hit ? (hit.id || hit.className || hit.tagName) : "nothing";
        }""",
        selector,
    )


def test_phone_footer_does_not_cover_the_controls(browser, live_server):
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    pg = ctx.new_page()
    pg.goto(live_server + "/")
    pg.wait_for_selector("body[data-ready='true']", timeout=30_000)
    for sel in ("fieldset.avoid", "#avoid-list", "#avoid-list label", "#plan", "#pareto-btn"):
        assert _covered(pg, sel) is None, f"{sel} is covered by {_covered(pg, sel)}"
    foot = pg.locator("footer.foot").bounding_box()
    panels = pg.locator("#panels").bounding_box()
    assert foot["y"] >= panels["y"] + panels["height"] - 1, "the footer overlays the panels"
    pg.click("#tab-trade")
    assert _covered(pg, "#trade-show") is None
    shot(pg, "phone", full_page=True)
    ctx.close()


def test_keyboard_planning_moves_focus_to_the_results(page):
    page.focus("#destination")
    page.keyboard.press("Enter")
    page.wait_for_selector("#legs-table tbody tr", timeout=30_000)
    page.wait_for_function("document.activeElement.id === 'routes-heading'", timeout=10_000)
    page.keyboard.press("Tab")  # the next Tab goes to the first route, not the map
    assert page.evaluate("document.activeElement.closest('#route-list') !== null")


def test_legs_table_shows_usd_and_co2_without_sideways_scroll(page):
    page.click("#plan")
    page.wait_for_selector("#legs-table tbody tr", timeout=30_000)
    wrap = page.evaluate(
        "(() => { const w = document.querySelector('#legs-table').parentElement;"
        " return [w.scrollWidth, w.clientWidth]; })()"
    )
    assert wrap[0] <= wrap[1], f"the legs table scrolls sideways: {wrap}"
    for col in ("USD", "kg CO2e"):
        assert page.locator("#legs-table thead th", has_text=col).is_visible()


def test_trade_error_clears_the_previous_chart(page):
    page.click("#tab-trade")
    page.wait_for_selector("#series-table tbody tr", timeout=30_000)
    page.fill("#partner", "Atlantis")
    page.click("#trade-show")
    page.wait_for_selector("#trade-status.error", timeout=30_000)
    assert page.locator("#trade-results").is_hidden()
    assert page.locator("#series-table tbody tr").count() == 0
