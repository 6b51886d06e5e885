"""The import page in a real browser: upload, mapping, dry run, a household placed on the map, import, export.

Runs only with `KAPIDA_TEST_BROWSER=1`; the screenshot is saved under `test-artifacts/`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.api.import_support import csv_file, row, tc
from tests.web.city import MANAGER, PASSWORD
from tests.web.conftest import LiveServer, browser_tests_enabled

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.skipif(
    not browser_tests_enabled(), reason="browser tests run only with KAPIDA_TEST_BROWSER=1"
)
WAIT_MS = 30_000


def test_a_manager_imports_a_list_placing_one_household_on_the_map(
    browser: Browser, live_server: LiveServer, artifacts: Path, tmp_path: Path
) -> None:
    """The mapping comes pre-filled; the dry run shows a wrong row and one to place; a click on the map
    places it; the import creates two households; the caseload downloads as .xlsx."""
    listing = tmp_path / "liste.csv"
    listing.write_bytes(
        csv_file(
            row(1, "Fatma Kalkavan", tc(901), "Sıcak yemek", born="14.03.1948", needs="yatalak"),
            row(2, "Ali Yılmaz", "12345678901"),
            row(3, "Zeynep Kaya", tc(903), where=("", ""), address="Uydurma Sokak No:3"),
        )
    )
    context = browser.new_context(locale="tr-TR", timezone_id="Europe/Istanbul", accept_downloads=True)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.fill("#username", MANAGER)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/manager")
    page.click("a[href='/import']")
    page.set_input_files("#file", str(listing))
    page.click("#file-form button[type=submit]")
    assert page.locator("#mapping-table select[data-header='T.C. Kimlik No']").input_value() == "national_id"
    page.click("#check")
    page.wait_for_selector("#plan-table tr[data-status=to_place]")
    assert page.locator("#plan-table tr[data-status=error]").count() == 1
    page.wait_for_selector("#place-map canvas")  # the street network is drawn: the map takes clicks
    page.click("#plan-table tr[data-status=to_place] button")
    box = page.locator("#place-map").bounding_box()
    assert box is not None
    page.locator("#place-map").click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    assert page.input_value("#plan-table tr[data-status=to_place] input[name=lat]") != ""
    page.click("#recheck")
    page.locator("#plan-table tr[data-status=to_place]").wait_for(state="detached")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#run")
    page.locator("#plan-table tr[data-status=created]").nth(1).wait_for()
    assert page.locator("#plan-table tr[data-status=created]").count() == 2
    page.screenshot(path=str(artifacts / "import-page.png"), full_page=True)
    with page.expect_download() as download:
        page.click("#export-xlsx")
    assert download.value.suggested_filename.endswith(".xlsx")
    context.close()
