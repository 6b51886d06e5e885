"""Bad input is refused with a 4xx that names the field, and refused requests write nothing.

Unknown fields are refused (every request model has `extra="forbid"`): a misspelt field silently ignored
would lose what the caseworker typed.
"""

from __future__ import annotations

import json
from typing import Any

from api.bootstrap import Services
from domain.programmes import Programme
from domain.values import Role
from tests.api.test_api_support import api_for, household
from tests.builders import applied, register
from tests.reliability.support import event_count

NAN, INF = float("nan"), float("inf")
MILK = {"programme": "milk", "quantity": 1_000_000, "cadence": "weekly", "weekdays": [1]}
# (what, path, body, status, field): `{application}` is a submitted milk application.
REFUSALS: tuple[tuple[str, str, Any, int, str], ...] = (
    ("unknown field", "/api/households", household(favourite_colour="mavi"), 422, "favourite_colour"),
    ("lat as text", "/api/households", household(location={"lat": "x", "lon": 40.5}), 422, "location.lat"),
    ("members as text", "/api/households", household(members="Fatma"), 422, "members"),
    ("needs as text", "/api/households", household(needs="diabetic"), 422, "needs"),
    ("a null name", "/api/households", household(name=None), 422, "name"),
    ("born in 1890", "/api/households",
     household(members=[{"name": "Ali", "birth_date": "1890-01-01"}]), 422, "members[0].birth_date"),
    ("born tomorrow-ish", "/api/households",
     household(members=[{"name": "Ali", "birth_date": "2999-01-01"}]), 422, "members[0].birth_date"),
    ("in Paris", "/api/households", household(location={"lat": 48.85, "lon": 2.35}), 422, "location.lat"),
    ("in the Black Sea", "/api/households", household(location={"lat": 41.45, "lon": 40.6}), 422, "location"),
    ("in the Mediterranean", "/api/households",
     household(location={"lat": 35.9, "lon": 32.0}), 422, "location"),
    ("NaN latitude", "/api/households", json.dumps(household(location={"lat": NAN, "lon": 40.5})), 422,
     "location.lat"),
    ("infinite longitude", "/api/households", json.dumps(household(location={"lat": 41.0, "lon": INF})),
     422, "location.lon"),
    ("a million litres", "/api/applications/{application}/approve", {"entitlement": MILK}, 422,
     "entitlement.quantity"),
    ("visited in 1900", "/api/applications/{application}/assess",
     {"visit_note": "Ev ziyareti", "visited_on": "1900-06-01"}, 422, "visited_on"),
    ("a date that is not one", "/api/applications/{application}/assess",
     {"visit_note": "Ev ziyareti", "visited_on": "2026-02-30"}, 422, "visited_on"),
    ("broken JSON", "/api/households", '{"name": "Fatma"', 422, ""),
    ("a list for an object", "/api/households", [household()], 422, ""),
)  # fmt: skip


def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(services: Services) -> None:
    """Each row: the expected 4xx, the field named in `field` (and in the message), the log unchanged."""
    household_id = register(services.app)
    application = applied(services.app, household_id, Programme.MILK)
    with api_for(services) as api:
        headers = api.as_role(Role.CASEWORKER)
        for what, path, body, status, field in REFUSALS:
            before = event_count(services)
            url = path.format(application=application)
            if isinstance(body, str):
                answer = api.client.post(
                    url, content=body, headers=headers | {"Content-Type": "application/json"}
                )
            else:
                answer = api.client.post(url, json=body, headers=headers)
            assert answer.status_code == status, (what, answer.status_code, answer.text)
            if field:
                assert answer.json()["field"] == field, (what, answer.json())
            assert answer.json()["detail"], what
            assert event_count(services) == before, what


def test_a_household_on_the_coast_is_accepted(services: Services) -> None:
    """The sea check leaves room for the coast: Rize's seafront and a house in Kaş are on land."""
    with api_for(services) as api:
        headers = api.as_role(Role.CASEWORKER)
        for lat, lon in ((41.0255, 40.5190), (36.2005, 29.6380)):
            body = household(location={"lat": lat, "lon": lon})
            answer = api.client.post("/api/households", json=body, headers=headers)
            assert answer.status_code == 201, (lat, lon, answer.text)
