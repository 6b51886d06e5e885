"""End to end in a real browser: a dispatcher plans and publishes the dinner round, a driver reports two
doors (one while offline), and the dispatcher's map and progress table follow.

Runs only with `KAPIDA_TEST_BROWSER=1` (Debian's Chromium through Playwright); screenshots are saved
under `test-artifacts/`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

import pytest

from tests.web.city import PASSWORD
from tests.web.conftest import LiveServer, browser_tests_enabled

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.skipif(
    not browser_tests_enabled(), reason="browser tests run only with KAPIDA_TEST_BROWSER=1"
)

WAIT_MS = 20_000
DESKTOP = {"viewport": {"width": 1400, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def signed_in(browser: Browser, server: LiveServer, username: str, page_path: str, **options: Any) -> Page:
    context = browser.new_context(locale="tr-TR", timezone_id="Europe/Istanbul", **options)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    page.goto(server.url + "/")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{page_path}")
    return page


def test_a_planned_published_round_is_reported_by_a_driver_and_followed_by_the_dispatcher(
    browser: Browser, live_server: LiveServer, artifacts: Path
) -> None:
    """Plan → routes on the map → publish → the driver downloads the GPX, marks one stop delivered
    (queued while offline, kept across a reload without network, sent when back online) and one failed
    → the dispatcher's map and progress show one done and one failed, and the manager sees the failed
    door, its history, why it was not served, and the month's report."""
    from playwright.sync_api import expect

    dispatcher = signed_in(browser, live_server, live_server.city.dispatcher, "/dispatcher", **DESKTOP)
    expect(dispatcher.locator("#plan-date")).to_have_value(re.compile(r"^\d{2}\.\d{2}\.\d{4}$"))
    expect(dispatcher.locator(".leaflet-control-attribution")).to_contain_text("© OpenStreetMap contributors")
    dispatcher.select_option("#plan-programme", "hot_meal")
    dispatcher.select_option("#plan-round", "dinner")
    dispatcher.fill("#plan-time-limit", "3")
    planned = lambda r: r.url.endswith("/api/plans") and r.request.method == "POST"  # noqa: E731
    with dispatcher.expect_response(planned) as made:
        dispatcher.click("#plan-button")
    assert made.value.status == 201, made.value.text()
    plan = made.value.json()
    route = max(plan["routes"], key=lambda r: len(r["stops"]))
    assert len(route["stops"]) >= 2, "the seeded city should give one van at least two dinner stops"
    expect(dispatcher.locator("path.kapida-route").first).to_be_visible()
    expect(dispatcher.locator(f'#routes-table tr[data-vehicle="{route["vehicle_id"]}"]')).to_be_visible()
    dispatcher.screenshot(path=artifacts / "01-dispatcher-planned.png")

    with dispatcher.expect_response(lambda r: r.url.endswith("/publish")) as published:
        dispatcher.click("#publish-button")
    assert published.value.ok, published.value.text()
    expect(dispatcher.locator('#plan-status[data-status="published"]')).to_be_visible()
    dispatcher.screenshot(path=artifacts / "02-dispatcher-published.png")

    driver_name = live_server.city.drivers[UUID(route["vehicle_id"])]
    driver = signed_in(browser, live_server, driver_name, "/driver", **PHONE)
    stops = driver.locator("li.stop")
    expect(stops).to_have_count(len(route["stops"]))
    driver.screenshot(path=artifacts / "03-driver-stops.png", full_page=True)
    with driver.expect_download() as gpx:
        driver.click("#gpx-button")
    route_file = artifacts / "driver-route.gpx"
    gpx.value.save_as(route_file)
    assert "<gpx" in route_file.read_text(encoding="utf-8")

    driver.wait_for_function("() => !!navigator.serviceWorker.controller")  # the page is kept for offline use
    driver.context.set_offline(True)
    stops.nth(0).locator('button[data-outcome="delivered"]').click()
    expect(stops.nth(0)).to_have_attribute("data-outcome", "delivered")
    expect(driver.locator("#pending-count")).to_be_visible()
    driver.reload()  # still offline: the page, its stops and the queued report survive
    expect(stops).to_have_count(len(route["stops"]))
    expect(stops.nth(0)).to_have_attribute("data-outcome", "delivered")
    expect(driver.locator("#pending-count")).to_contain_text("1")
    driver.screenshot(path=artifacts / "04-driver-offline-queued.png", full_page=True)
    with driver.expect_response(lambda r: r.url.endswith("/report")) as sent:
        driver.context.set_offline(False)
    assert sent.value.ok, sent.value.text()
    expect(driver.locator("#pending-count")).to_be_hidden()

    stops.nth(1).locator('button[data-outcome="failed"]').click()
    driver.check('#fail-form input[value="not_home"]')
    with driver.expect_response(lambda r: r.url.endswith("/report")) as failed:
        driver.click('#fail-form button[value="confirm"]')
    assert failed.value.ok, failed.value.text()
    expect(stops.nth(1)).to_have_attribute("data-outcome", "failed")
    driver.screenshot(path=artifacts / "05-driver-reported.png", full_page=True)

    row = dispatcher.locator(f'#routes-table tr[data-vehicle="{route["vehicle_id"]}"]')
    expect(row.locator("td.done")).to_have_text("1")
    expect(row.locator("td.failed")).to_have_text("1")
    expect(dispatcher.locator("path.kapida-outcome-delivered")).to_have_count(1)
    expect(dispatcher.locator("path.kapida-outcome-failed")).to_have_count(1)
    dispatcher.screenshot(path=artifacts / "06-dispatcher-progress.png")

    manager = signed_in(browser, live_server, live_server.city.manager, "/manager", **DESKTOP)
    expect(manager.locator("#failed-table tbody tr")).to_have_count(1)
    expect(manager.locator("#caseload-table tbody tr").first).to_be_visible()
    manager.screenshot(path=artifacts / "07-manager.png", full_page=True)
    manager.locator("#failed-table a.history-link").click()
    manager.wait_for_url("**/manager/history/*")
    expect(manager.locator("#history-table tbody tr").first).to_be_visible()
    manager.screenshot(path=artifacts / "08-manager-history.png", full_page=True)
    expect(manager.locator("#why-card")).to_be_visible()  # the failed door's household: why not served today?
    manager.click("#why-form button[type=submit]")
    expect(manager.locator("#why-answer")).to_contain_text("Teslimat başarısız: Evde yok")
    manager.screenshot(path=artifacts / "09-manager-why.png", full_page=True)
    manager.goto(live_server.url + "/reports")
    expect(manager.locator("#report-table tbody tr").first).to_be_visible()
    expect(manager.locator("#report-table")).to_contain_text("Sıcak yemek")
    manager.screenshot(path=artifacts / "10-reports.png", full_page=True)
