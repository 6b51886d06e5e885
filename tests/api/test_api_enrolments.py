"""Enrolments over HTTP: pauses, entitlement changes and the end, refused by name when wrong."""

from __future__ import annotations

from uuid import uuid4

from api.bootstrap import Services
from domain.programmes import Programme
from domain.values import Role
from tests.api.test_api_support import api_for
from tests.builders import enrolled, register

MEAL = {"programme": "hot_meal", "quantity": 2, "cadence": "daily", "meals": ["dinner"]}


def test_a_caseworker_pauses_resumes_changes_and_ends_an_enrolment(services: Services) -> None:
    """Each change shows on read: the pause, the resumption's day, the new quantity, the end."""
    ident = enrolled(services.app, register(services.app), Programme.HOT_MEAL)
    with api_for(services) as api:
        h = api.as_role(Role.CASEWORKER)
        url = f"/api/enrolments/{ident}"
        pause = {"start": "2026-12-01", "reason": "Hastanede"}
        assert api.client.post(f"{url}/suspend", json=pause, headers=h).status_code == 200
        assert api.client.post(f"{url}/resume", json={"on": "2026-12-05"}, headers=h).status_code == 200
        change = {"entitlement": MEAL, "reason": "Yalnız akşam"}
        assert api.client.put(f"{url}/entitlement", json=change, headers=h).status_code == 200
        read = api.client.get(url, headers=h).json()
        assert read["suspensions"] == [{"start": "2026-12-01", "until": "2026-12-04", "reason": "Hastanede"}]
        assert (read["entitlement"]["quantity"], read["entitlement"]["meals"]) == (2, ["dinner"])
        end = {"on": "2026-12-31", "reason": "Taşındı"}
        assert api.client.post(f"{url}/end", json=end, headers=h).status_code == 200
        assert api.client.get(url, headers=h).json()["ended"] is True
        assert api.client.post(f"{url}/end", json=end, headers=h).status_code == 409
        assert api.client.post(f"{url}/suspend", json=pause, headers=h).status_code == 409


def test_enrolment_refusals_name_the_field_or_the_conflict(services: Services) -> None:
    """Absurd quantities and days are 422 by field, resuming an active one is 409, unknown ids 404."""
    ident = enrolled(services.app, register(services.app), Programme.HOT_MEAL)
    with api_for(services) as api:
        h = api.as_role(Role.CASEWORKER)
        url = f"/api/enrolments/{ident}"
        cases = {
            "entitlement.quantity": {"entitlement": MEAL | {"quantity": 50}, "reason": "x"},
            "entitlement.meals": {"entitlement": MEAL | {"meals": ["supper"]}, "reason": "x"},
            "entitlement.day_of_month": {"entitlement": MEAL | {"day_of_month": 31}, "reason": "x"},
            "entitlement.programme": {
                "entitlement": MEAL | {"programme": "milk", "cadence": "weekly", "weekdays": [1]},
                "reason": "x",
            },
        }
        for field, body in cases.items():
            response = api.client.put(f"{url}/entitlement", json=body, headers=h)
            assert response.status_code == 422 and response.json()["field"] == field, (field, response.json())
        backwards = {"start": "2026-12-10", "until": "2026-12-01", "reason": "x"}
        response = api.client.post(f"{url}/suspend", json=backwards, headers=h)
        assert response.status_code == 422 and response.json()["field"] == "until"
        assert api.client.post(f"{url}/resume", json={"on": "2026-12-05"}, headers=h).status_code == 409
        assert api.client.get(f"/api/enrolments/{uuid4()}", headers=h).status_code == 404


def test_drivers_and_dispatchers_cannot_read_or_change_enrolments(services: Services) -> None:
    """Every enrolment route is 403 for the delivery side."""
    ident = enrolled(services.app, register(services.app), Programme.HOT_MEAL)
    with api_for(services) as api:
        roles = api.everyone()
        for role in (Role.DRIVER, Role.DISPATCHER):
            h = roles[role]
            assert api.client.get(f"/api/enrolments/{ident}", headers=h).status_code == 403
            pause = {"start": "2026-12-01", "reason": "x"}
            assert (
                api.client.post(f"/api/enrolments/{ident}/suspend", json=pause, headers=h).status_code == 403
            )
            end = {"on": "2026-12-31", "reason": "x"}
            assert api.client.post(f"/api/enrolments/{ident}/end", json=end, headers=h).status_code == 403
