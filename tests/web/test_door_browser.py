"""The page: a map click sets the origin, the next the destination; the route is drawn."""

from __future__ import annotations

import pytest

from tests.web.test_browser import browser, page, shot  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def test_map_clicks_set_origin_and_destination(page):  # noqa: F811 (fixture)
    for lat, lon in ((46.1, 100.7), (39.2, 117.1)):
        x, y = page.evaluate(
            f"""async () => {{
              const m = await import("/static/js/map.js");
              return m.pagePoint({lat}, {lon});
            }}"""
        )
        page.mouse.click(x, y)
    origin = page.input_value("#origin")
    lat, lon = (float(v) for v in origin.split(","))
    assert abs(lat - 46.1) < 0.5 and abs(lon - 100.7) < 0.5
    assert "," in page.input_value("#destination")
    page.fill("#destination", "Tianjin")
    page.click("#plan")
    page.wait_for_selector("#legs-table tbody tr", timeout=30_000)
    legs = page.locator("#legs-table tbody").inner_text()
    assert "first_mile" in legs
    assert legs.startswith(origin.split(",")[0])
    assert page.locator(".leaflet-routes-pane path").count() >= 2
    shot(page, "door-to-door")
