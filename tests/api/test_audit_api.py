"""`kapida audit history|why` and their API routes: managers read trails, office staff ask why not served."""

from __future__ import annotations

import json
from datetime import date

import pytest

from api.bootstrap import Services
from domain.programmes import Programme
from domain.values import Role
from tests.api.test_api_support import api_for
from tests.api.test_asof_api import kapida, url_of
from tests.builders import CASEWORKER, enrolled, register
from tests.dispatch_builders import ADMIN


def suspended_household(services: Services) -> str:
    household = register(services.app)
    enrolment = enrolled(services.app, household, Programme.HOT_MEAL)
    services.app.suspend_enrolment(
        enrolment, date(2026, 10, 1), "Hastanede", CASEWORKER, until=date(2026, 10, 9)
    )
    return str(household)


def test_the_cli_prints_a_households_history_and_why_it_was_not_served(
    services: Services, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """History as JSON in time order; the why-answer in Turkish by default and in English on request."""
    monkeypatch.setenv("KAPIDA_DB", url_of(services.views.database))
    monkeypatch.setenv("COLUMNS", "300")
    household = suspended_household(services)
    code, out, err = kapida(capsys, "audit", "history", household, "--json")
    assert code == 0, err
    events = [row["event"] for row in json.loads(out)]
    assert events[0] == "Household.Registered" and events[-1] == "Enrolment.Suspended"
    code, out, _ = kapida(capsys, "audit", "history", household)
    assert code == 0 and "Askıya alındı" in out and "Hastanede" in out
    code, out, _ = kapida(capsys, "audit", "why", household, "--date", "2026-10-05", "--json")
    (answer,) = json.loads(out)
    assert answer["code"] == "suspended" and answer["answer"].startswith("Sıcak yemek: Hizmet askıdaydı")
    assert answer["answer_en"].startswith("Hot meal: Service was suspended")
    code, out, _ = kapida(capsys, "audit", "why", household, "--date", "2026-10-05", "--lang", "en")
    assert code == 0 and "suspended" in out
    code, _, err = kapida(capsys, "audit", "why", household, "--date", "2026-13-01")
    assert code == 2 and "date" in err
    code, _, err = kapida(capsys, "audit", "history", "6f1c1a52-3a8e-4a53-9a52-4b0d7c6b6d11")
    assert code == 2 and "kayıt bulunamadı" in err
    services.app.add_user("veli.sofor", "Veli Şoför", Role.DRIVER, "not-a-real-hash", ADMIN)
    code, out, _ = kapida(capsys, "audit", "history", "veli.sofor", "--json")
    (registered,) = json.loads(out)
    assert (registered["event"], registered["actor"]) == ("User.Registered", "admin")
    assert "hash" not in registered["summary"] and "Veli" not in registered["summary"]


def test_the_api_serves_history_to_managers_and_why_to_office_staff(services: Services) -> None:
    """Managers read the trail; caseworkers ask why; drivers get neither."""
    household = suspended_household(services)
    with api_for(services) as api:
        manager, caseworker = api.as_role(Role.MANAGER), api.as_role(Role.CASEWORKER)
        driver = api.as_role(Role.DRIVER)
        trail = api.client.get(f"/api/reports/history/{household}", headers=manager)
        assert trail.status_code == 200 and trail.json()[-1]["reason"] == "Hastanede"
        assert api.client.get(f"/api/reports/history/{household}", headers=caseworker).status_code == 403
        why = api.client.get(
            f"/api/reports/why/{household}", params={"date": "2026-10-05"}, headers=caseworker
        )
        assert why.status_code == 200 and why.json()[0]["code"] == "suspended"
        assert why.json()[0]["params"]["reason"] == "Hastanede"
        english = api.client.get(
            f"/api/reports/why/{household}", params={"date": "2026-10-05", "lang": "en"}, headers=caseworker
        )
        assert english.json()[0]["text"].startswith(
            "Hot meal: Service was suspended (2026-10-01 – 2026-10-09)"
        )
        refused = api.client.get(
            f"/api/reports/why/{household}", params={"date": "2026-10-05"}, headers=driver
        )
        assert refused.status_code == 403
