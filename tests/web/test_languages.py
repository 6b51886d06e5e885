"""Every page (sign-in, dispatcher, driver, manager, history, import) rendered in a real browser in Turkish
(the default) and in English (chosen on the sign-in page and kept on the account): no text is left
untranslated, no catalogue key is missing, and each translated element shows its language's text.

Runs only with `KAPIDA_TEST_BROWSER=1` (Debian's Chromium through Playwright).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from api.i18n import translator
from domain.users import user_id_for
from tests.web.city import PASSWORD
from tests.web.conftest import LiveServer, browser_tests_enabled

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.skipif(
    not browser_tests_enabled(), reason="browser tests run only with KAPIDA_TEST_BROWSER=1"
)

WAIT_MS = 20_000
DESKTOP = {"viewport": {"width": 1400, "height": 900}}
KEY_LIKE = re.compile(r"^[a-z_]+(\.[A-Za-z0-9_]+)+$")
# Every text node and translatable attribute the page shows, and what each data-i18n element says.
READ_PAGE = """() => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("script,style,[hidden]") || !node.textContent.trim()) continue;
    texts.push(node.textContent.trim());
  }
  for (const el of document.querySelectorAll("[placeholder],[title],[aria-label]")) {
    for (const name of ["placeholder", "title", "aria-label"]) {
      if (el.hasAttribute(name)) texts.push(el.getAttribute(name));
    }
  }
  const keyed = [...document.querySelectorAll("[data-i18n]")].map((el) => [el.dataset.i18n, el.textContent]);
  return { lang: document.documentElement.lang, title: document.title, texts, keyed };
}"""


def open_page(
    browser: Browser, server: LiveServer, username: str, path: str, lang: str
) -> tuple[Page, list[str]]:
    """Choose `lang` on the sign-in page, sign in and open `path`; an account that already has another
    language opens in that one, and is switched with the header's language menu, as a person would.
    Returns the page and the browser console's i18n warnings."""
    context = browser.new_context(locale="tr-TR", timezone_id="Europe/Istanbul", **DESKTOP)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    warnings: list[str] = []
    page.on("console", lambda message: warnings.append(message.text) if "i18n" in message.text else None)
    page.goto(server.url + "/")
    page.wait_for_selector("html[data-translated=tr]", state="attached")
    switch_to(page, lang)
    if path == "/":
        return page, warnings
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/(dispatcher|driver|manager)$"))
    page.goto(server.url + path)
    page.wait_for_selector("html[data-translated]", state="attached")
    switch_to(page, lang)
    page.wait_for_load_state("networkidle")
    return page, warnings


def switch_to(page: Page, lang: str) -> None:
    """Pick `lang` in the header's language menu unless the page is already in it."""
    if page.evaluate("() => document.documentElement.dataset.translated") != lang:
        with page.expect_navigation():
            page.select_option("#lang", lang)
    page.wait_for_selector(f"html[data-translated={lang}]", state="attached")


def check_translated(page: Page, warnings: list[str], lang: str) -> dict[str, Any]:
    """The page is in `lang`: no key shows instead of a text, each data-i18n element has its text."""
    seen: dict[str, Any] = page.evaluate(READ_PAGE)
    texts = translator(lang).pages()
    assert seen["lang"] == lang
    families = {key.split(".")[0] for key in texts}  # a key shown as text: `dispatcher.x`, `status.y`
    leaked = [text for text in seen["texts"] if KEY_LIKE.match(text) and text.split(".")[0] in families]
    assert leaked == []
    assert [(key, shown) for key, shown in seen["keyed"] if not shown.startswith(texts[key])] == []
    assert warnings == []
    return seen


PAGES = [
    ("/", "dispatcher", "login.submit"),
    ("/dispatcher", "dispatcher", "dispatcher.heading"),
    ("/driver", "driver", "driver.heading"),
    ("/manager", "manager", "manager.heading"),
    ("/manager/history/{manager_id}", "manager", "history.heading"),
    ("/import", "manager", "import.heading"),
]


@pytest.mark.parametrize(("path", "who", "heading"), PAGES)
def test_each_page_reads_entirely_in_turkish_and_then_in_english(
    browser: Browser, live_server: LiveServer, artifacts: Path, path: str, who: str, heading: str
) -> None:
    """Turkish by default; English once chosen; the heading's text changes language accordingly."""
    city = live_server.city
    username = {"dispatcher": city.dispatcher, "manager": city.manager, "driver": min(city.drivers.values())}[
        who
    ]
    target = path.format(manager_id=user_id_for(city.manager))
    for lang in ("tr", "en"):
        page, warnings = open_page(browser, live_server, username, target, lang)
        seen = check_translated(page, warnings, lang)
        assert translator(lang).pages()[heading] in seen["texts"]
        name = path.strip("/").split("/")[-1 if "history" not in path else 1] or "login"
        page.screenshot(path=artifacts / f"lang-{name}-{lang}.png", full_page=True)
        page.context.close()


def test_the_header_switch_changes_the_language_and_keeps_it_on_the_account(
    browser: Browser, live_server: LiveServer
) -> None:
    """A signed-in manager switches to English in the header: the page reloads in English and
    `/api/me` reports the choice; switching back returns to Turkish."""
    page, warnings = open_page(browser, live_server, live_server.city.manager, "/manager", "tr")
    for lang in ("en", "tr"):
        switch_to(page, lang)
        page.wait_for_load_state("networkidle")
        check_translated(page, warnings, lang)
        me = page.evaluate(
            """async () => (await fetch('/api/me', { headers: { Authorization:
                 'Bearer ' + JSON.parse(localStorage.getItem('kapida.session')).token } })).json()"""
        )
        assert me["language"] == lang
    page.context.close()
