"""The pages are served with security headers, and every visible text comes from a language catalogue."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.i18n import translator
from api.pages import PAGES, STATIC, mount_pages, security_headers, tile_origin

HTML_FILES = sorted(STATIC.glob("*.html"))
JS_FILES = sorted((STATIC / "js").glob("*.js"))
I18N_ATTRIBUTES = ("data-i18n", "data-i18n-placeholder", "data-i18n-title", "data-i18n-aria-label")


def catalogue(lang: str) -> dict[str, str]:
    """The page texts one language gets from `GET /i18n/{lang}.json` (the gettext catalogue)."""
    return translator(lang).pages()


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    mount_pages(app)
    return TestClient(app)


class _Markup(HTMLParser):
    """Collects i18n keys, and text that sits in the markup instead of a catalogue."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: set[str] = set()
        self.loose_text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.keys |= {value for name, value in attrs if name in I18N_ATTRIBUTES and value}
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.loose_text.append(data.strip())


def parsed(path: Path) -> _Markup:
    markup = _Markup()
    markup.feed(path.read_text(encoding="utf-8"))
    return markup


HISTORY = "/manager/history/6f1c1a52-3a8e-4a53-9a52-4b0d7c6b6d11"


SERVED = [*PAGES, HISTORY, "/static/app.css", "/static/js/page.js", "/page-config.json"]


@pytest.mark.parametrize("path", SERVED)
def test_pages_and_static_files_carry_security_headers(client: TestClient, path: str) -> None:
    """Every page, static file and the page config is served with CSP, nosniff, no framing, no referrer."""
    response = client.get(path)
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_each_page_path_serves_its_own_turkish_html(client: TestClient) -> None:
    """Each page path answers with its own HTML file (its script), Turkish by default."""
    scripts = {
        "/": "login",
        "/dispatcher": "dispatcher",
        "/driver": "driver",
        "/manager": "manager",
        "/reports": "reports",
        "/import": "import",
    }
    assert set(scripts) == set(PAGES)
    for path, script in scripts.items():
        response = client.get(path)
        assert response.headers["content-type"].startswith("text/html")
        assert f'src="/static/js/{script}.js"' in response.text
        assert '<html lang="tr">' in response.text


def test_the_history_page_answers_only_for_a_record_id(client: TestClient) -> None:
    """`/manager/history/{id}` serves the history page for a UUID and refuses anything else."""
    assert 'src="/static/js/history.js"' in client.get(HISTORY).text
    assert client.get("/manager/history/not-a-uuid").status_code == 422


def test_the_tile_server_is_off_by_default_and_allowed_by_csp_only_when_configured(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without `KAPIDA_TILE_URL` pages reach no other origin; with it, images from that host are allowed."""
    monkeypatch.delenv("KAPIDA_TILE_URL", raising=False)
    assert client.get("/page-config.json").json()["tile_url"] == ""
    assert "tile" not in client.get("/dispatcher").headers["content-security-policy"]
    monkeypatch.setenv("KAPIDA_TILE_URL", "https://{s}.tile.example.org/{z}/{x}/{y}.png")
    assert client.get("/page-config.json").json()["tile_url"].startswith("https://{s}.tile.example.org/")
    assert (
        "img-src 'self' data: blob: https://*.tile.example.org"
        in client.get("/dispatcher").headers["content-security-policy"]
    )
    assert tile_origin("javascript:alert(1)") == ""
    assert "javascript" not in security_headers("javascript:alert(1)")["Content-Security-Policy"]


def test_turkish_and_english_page_texts_have_the_same_keys_and_no_empty_text() -> None:
    """Both languages name the same keys; no text is empty; placeholders match between them; Turkish
    differs from the English source except for names that are the same in both (Kapıda, WhatsApp, ...)."""
    tr, en = catalogue("tr"), catalogue("en")
    assert set(tr) == set(en)
    assert [key for key, text in {**tr, **en}.items() if not text.strip()] == []
    placeholders = re.compile(r"\{(\w+)\}")
    assert [k for k in tr if set(placeholders.findall(tr[k])) != set(placeholders.findall(en[k]))] == []
    same = {k for k in tr if tr[k] == en[k]}
    assert len(same) < 15, sorted(same)


def test_every_i18n_key_in_the_markup_is_in_the_catalogue() -> None:
    """Each `data-i18n*` key of each page exists in the catalogues."""
    tr = catalogue("tr")
    missing = {path.name: sorted(parsed(path).keys - set(tr)) for path in HTML_FILES}
    assert {name: keys for name, keys in missing.items() if keys} == {}


def test_pages_hold_no_visible_text_outside_the_catalogue() -> None:
    """No page has text written straight into its markup: everything visible is translated."""
    loose = {path.name: parsed(path).loose_text for path in HTML_FILES}
    assert {name: text for name, text in loose.items() if text} == {}


def test_every_literal_key_the_scripts_translate_is_in_the_catalogue() -> None:
    """`t("…")` calls and `label(...)`'s fixed keys in the modules name keys that exist."""
    tr = catalogue("tr")
    used = {
        key
        for path in JS_FILES
        for key in re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]+)["']""", path.read_text(encoding="utf-8"))
    }
    used |= {
        key
        for path in JS_FILES
        for key in re.findall(r"""kpi\([^,]+,\s*["']([a-z_]+\.[a-z_]+)["']\)""", path.read_text("utf-8"))
    }
    assert used and sorted(used - set(tr)) == []


def test_enumerated_values_of_the_domain_all_have_a_text() -> None:
    """Programmes, rounds, outcomes, failure and planner reasons, needs: each value has a catalogue entry."""
    from domain.programmes import Programme
    from domain.route_plan import Round
    from domain.stop_visit import FailureReason, Outcome
    from domain.values import Need
    from routing.plan import Reason

    tr = catalogue("tr")
    wanted = {
        f"{prefix}.{member.value}"
        for prefix, enum in (
            ("programme", Programme),
            ("round", Round),
            ("outcome", Outcome),
            ("failure", FailureReason),
            ("need", Need),
            ("reason", Reason),
        )
        for member in enum
    }
    assert sorted(wanted - set(tr)) == []


def test_every_event_of_every_record_has_a_name_for_the_history_page() -> None:
    """The history page names each event (`event.Registered`, `event.LanguageChanged`, ...)."""
    import importlib
    import pkgutil

    from eventsourcing.domain import Aggregate

    import domain

    names = set()
    for module in pkgutil.iter_modules(domain.__path__):
        for value in vars(importlib.import_module(f"domain.{module.name}")).values():
            if isinstance(value, type) and issubclass(value, Aggregate) and value is not Aggregate:
                names |= {
                    name
                    for name, member in vars(value).items()
                    if isinstance(member, type)
                    and issubclass(member, Aggregate.Event)
                    and not hasattr(Aggregate, name)  # the library's own base classes
                }
    assert "LanguageChanged" in names
    assert sorted(f"event.{name}" for name in names if f"event.{name}" not in catalogue("tr")) == []
