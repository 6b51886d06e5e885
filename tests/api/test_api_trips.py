"""Accessible-transport trips over HTTP: booked for enrolled households, listed by day, cancelled once."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from api.bootstrap import Services
from domain.programmes import Programme
from domain.values import Need, Role
from tests.api.test_api_support import api_for
from tests.builders import enrolled, register

DAY = "2026-11-25"


def trip(household: UUID, **changes: Any) -> dict[str, Any]:
    body = {
        "household_id": str(household),
        "date": DAY,
        "destination": {"lat": 41.0255, "lon": 40.5176},
        "destination_name": "Rize Devlet Hastanesi",
        "appointment": "10:30",
        "wheelchair": True,
        "return_at": "12:00",
    }
    return body | changes


def wheelchair_user(services: Services) -> UUID:
    household = register(services.app, needs=(Need.WHEELCHAIR_USER,))
    enrolled(services.app, household, Programme.ACCESSIBLE_TRANSPORT)
    return household


def test_a_caseworker_books_a_trip_the_dispatcher_sees_and_cancels_it(services: Services) -> None:
    """The booking shows in the day's list until cancelled; cancelling twice is 409."""
    household = wheelchair_user(services)
    with api_for(services) as api:
        caseworker, dispatcher = api.as_role(Role.CASEWORKER), api.as_role(Role.DISPATCHER)
        created = api.client.post("/api/trips", json=trip(household), headers=caseworker)
        assert created.status_code == 201
        ident = created.json()["id"]
        (listed,) = api.client.get("/api/trips", params={"date": DAY}, headers=dispatcher).json()
        assert (listed["trip_id"], listed["appointment"], listed["wheelchair"]) == (ident, "10:30:00", True)
        cancel = {"reason": "Randevu ertelendi"}
        assert (
            api.client.post(f"/api/trips/{ident}/cancel", json=cancel, headers=dispatcher).status_code == 200
        )
        assert api.client.get("/api/trips", params={"date": DAY}, headers=dispatcher).json() == []
        assert (
            api.client.post(f"/api/trips/{ident}/cancel", json=cancel, headers=dispatcher).status_code == 409
        )
        assert (
            api.client.post(f"/api/trips/{uuid4()}/cancel", json=cancel, headers=dispatcher).status_code
            == 404
        )


def test_bad_trips_are_refused_by_field_or_as_conflicts(services: Services) -> None:
    """Nine seats, a return before the appointment, no destination name: 422; not enrolled: 409."""
    household = wheelchair_user(services)
    with api_for(services) as api:
        h = api.as_role(Role.CASEWORKER)
        cases = {
            "seats": trip(household, seats=9),
            "return_at": trip(household, return_at="09:00"),
            "destination_name": trip(household, destination_name=" "),
            "appointment": trip(household, appointment="half past ten"),
            "ambulance": trip(household, ambulance=True),
        }
        for field, body in cases.items():
            response = api.client.post("/api/trips", json=body, headers=h)
            assert response.status_code == 422 and response.json()["field"] == field, (field, response.json())
        walker = register(services.app)
        assert api.client.post("/api/trips", json=trip(walker), headers=h).status_code == 409
        assert api.client.post("/api/trips", json=trip(uuid4()), headers=h).status_code == 404


def test_drivers_cannot_book_or_list_trips_and_managers_only_list(services: Services) -> None:
    """Drivers get 403 on every trip route; managers list trips but may not book them."""
    household = wheelchair_user(services)
    with api_for(services) as api:
        roles = api.everyone()
        driver, manager = roles[Role.DRIVER], roles[Role.MANAGER]
        assert api.client.post("/api/trips", json=trip(household), headers=driver).status_code == 403
        assert api.client.get("/api/trips", params={"date": DAY}, headers=driver).status_code == 403
        assert (
            api.client.post(f"/api/trips/{uuid4()}/cancel", json={"reason": "x"}, headers=driver).status_code
            == 403
        )
        assert api.client.get("/api/trips", params={"date": DAY}, headers=manager).status_code == 200
        assert api.client.post("/api/trips", json=trip(household), headers=manager).status_code == 403
