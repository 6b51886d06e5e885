"""Over HTTP: refusals in the reader's language (account, then browser, then KAPIDA_LANG, then Turkish),
the pages' texts per language, and the household search with Turkish letters."""

from __future__ import annotations

from typing import Any

import pytest

from api.bootstrap import Services
from domain.values import Role
from tests.api.test_api_households import household
from tests.api.test_api_support import api_for

MISSING = "/api/applications/00000000-0000-0000-0000-000000000000"
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}


def test_refusals_are_turkish_by_default_and_english_when_the_browser_asks(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 404 and a 422 from the domain, and a 422 from request validation, in both languages."""
    monkeypatch.delenv("KAPIDA_LANG", raising=False)
    with api_for(services) as api:
        headers = api.as_role(Role.CASEWORKER)
        assert api.client.get(MISSING, headers=headers).json()["detail"].startswith("başvuru bulunamadı: ")
        english = api.client.get(MISSING, headers=headers | ENGLISH).json()["detail"]
        assert english == "application 00000000-0000-0000-0000-000000000000 not found"
        bad_phone = household(phone="telefon yok")
        refused = api.client.post("/api/households", json=bad_phone, headers=headers)
        assert refused.status_code == 422 and refused.json()["field"] == "phone"
        assert (
            refused.json()["detail"]
            == "phone: 'telefon yok' bir telefon numarası değil (en az 10 rakam, örn. 0532 123 45 67)"
        )
        invalid = api.client.post("/api/households", json=household(members=[]), headers=headers | ENGLISH)
        assert invalid.json() | {"errors": None} == {
            "detail": "members: must have at least 1 items",
            "field": "members",
            "errors": None,
        }
        turkish = api.client.post("/api/households", json=household(members=[]), headers=headers)
        assert turkish.json()["detail"] == "members: en az 1 öğe olmalı"


def test_kapida_lang_sets_the_default_and_sign_in_errors_follow_it(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With KAPIDA_LANG=en and no browser preference, messages (even 401s) are English."""
    monkeypatch.setenv("KAPIDA_LANG", "en")
    with api_for(services) as api:
        answer = api.client.get("/api/me")
        assert answer.status_code == 401 and answer.json()["detail"].startswith("sign in first")
        monkeypatch.setenv("KAPIDA_LANG", "tr")
        assert api.client.get("/api/me").json()["detail"].startswith("önce giriş yapın")


def test_a_users_chosen_language_wins_over_the_browser_and_is_shown_on_sign_in(services: Services) -> None:
    """PUT /api/users/me/language stores the choice (an event); then messages follow it whatever the
    browser says, and /api/me and the users list report it; an unknown language is refused."""
    with api_for(services) as api:
        headers = api.as_role(Role.CASEWORKER)
        assert api.client.get("/api/me", headers=headers).json()["language"] is None
        assert (
            api.client.put("/api/users/me/language", json={"language": "en"}, headers=headers).status_code
            == 204
        )
        assert api.client.get("/api/me", headers=headers).json()["language"] == "en"
        turkish_browser = headers | {"Accept-Language": "tr-TR"}
        assert api.client.get(MISSING, headers=turkish_browser).json()["detail"].endswith("not found")
        refused = api.client.put("/api/users/me/language", json={"language": "de"}, headers=headers)
        assert refused.status_code == 422 and refused.json()["field"] == "language"
        assert refused.json()["detail"].startswith("language: must be one of")
        admin = api.as_role(Role.ADMIN)
        listed = {u["username"]: u["language"] for u in api.client.get("/api/users", headers=admin).json()}
        assert listed["ayse.yilmaz"] == "en" and listed["admin"] is None
        events = [type(e).__name__ for e in services.app.events_of(services.app.user("ayse.yilmaz").id)]
        assert events[-1] == "LanguageChanged"


def test_the_pages_get_their_texts_per_language_from_the_catalogue(services: Services) -> None:
    """/i18n/tr.json and /i18n/en.json hold the same keys; other languages are 404."""
    with api_for(services) as api:
        tr = api.client.get("/i18n/tr.json").json()
        en = api.client.get("/i18n/en.json").json()
        assert (
            set(tr) == set(en)
            and tr["driver.delivered"] == "Teslim edildi"
            and en["driver.delivered"] == "Delivered"
        )
        assert api.client.get("/i18n/de.json").status_code == 404
        page = api.client.get("/caseload", headers=ENGLISH)
        assert 'lang="en"' in page.text and "Caseload" in page.text


PEOPLE = ["Işık Demir", "İsmail Işıkçı", "Ilgın Ilık", "Mehmet İlik", "Hasan İzmirli", "Veli Izgaracı"]


def _register(api: Any, headers: dict[str, str]) -> None:
    for number, name in enumerate(PEOPLE):
        body = household(name=name, phone=f"0532 555 00 {number:02d}")
        assert api.client.post("/api/households", json=body, headers=headers).status_code == 201


def test_households_are_found_by_name_with_turkish_case_rules_and_by_phone(services: Services) -> None:
    """`ışık` finds both Işık spellings in upper or lower case; `ılık` finds Ilık but not İlik; `isik`
    (no Turkish keyboard) finds them all; `IZMIR` finds İzmirli; digits find the phone; results are in
    Turkish alphabetical order; drivers may not search."""
    with api_for(services) as api:
        headers = api.as_role(Role.CASEWORKER)
        _register(api, headers)

        def names(query: str) -> list[str]:
            response = api.client.get("/api/households", params={"q": query}, headers=headers)
            assert response.status_code == 200, response.text
            return [row["name"] for row in response.json()]

        assert names("IŞIK") == names("ışık") == ["Işık Demir", "İsmail Işıkçı"]
        assert names("ılık") == ["Ilgın Ilık"]
        assert names("İlik") == ["Mehmet İlik"]
        assert names("isik") == ["Işık Demir", "İsmail Işıkçı"]
        assert names("IZMIR") == ["Hasan İzmirli"]
        assert names("ızgara") == ["Veli Izgaracı"]
        assert names("555 00 03") == ["Mehmet İlik"]
        short = api.client.get("/api/households", params={"q": "i"}, headers=headers)
        assert short.status_code == 422 and short.json()["field"] == "q"
        driver = api.as_role(Role.DRIVER)
        assert api.client.get("/api/households", params={"q": "ışık"}, headers=driver).status_code == 403
