"""The calibration HTML report opens offline in Chromium: scatters drawn, nothing fetched."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def test_report_opens_offline(tmp_path: Path, eurasia) -> None:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium package"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    from steppe.calibration import calibration_report, read_observations
    from steppe.calibration.html import report_html

    page_path = tmp_path / "calibration.html"
    rep = calibration_report(eurasia, read_observations(None, eurasia))
    page_path.write_text(report_html(rep), encoding="utf-8")
    foreign: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page()
        page.on("request", lambda r: foreign.append(r.url)
                if urlparse(r.url).scheme not in ("file", "data") else None)  # fmt: skip
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(page_path.as_uri())
        assert page.locator("svg.scatter").count() == 4  # time, price, distance, volume
        assert page.locator("svg.scatter circle.check").count() > 10
        assert page.locator("table tr").count() > len(rep.rows)
        assert "steppe against published shipments" in page.inner_text("h1")
        browser.close()
    assert not foreign, foreign
    assert not errors, errors
