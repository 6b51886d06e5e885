"""The caseload, decisions and the day's manifest over HTTP: for the office, never for drivers."""

from __future__ import annotations

from api.bootstrap import Services
from domain.programmes import Programme
from domain.values import Need, Role
from tests.api.test_api_support import api_for
from tests.builders import enrolled, register


def test_the_manifest_lists_the_days_households_with_quantity_and_needs(services: Services) -> None:
    """An enrolled diabetic household is on the day's hot-meal manifest with its needs; not on milk's."""
    household = register(services.app, needs=(Need.DIABETIC,))
    enrolment = enrolled(services.app, household, Programme.HOT_MEAL)
    with api_for(services) as api:
        h = api.as_role(Role.DISPATCHER)
        (line,) = api.client.get(
            "/api/manifest", params={"date": "2026-11-20", "programme": "hot_meal"}, headers=h
        ).json()
        assert (line["enrolment_id"], line["household_id"]) == (str(enrolment), str(household))
        assert (
            line["needs"] == ["diabetic"]
            and line["meals"] == ["breakfast", "dinner"]
            and line["quantity"] == 1
        )
        assert (
            api.client.get(
                "/api/manifest", params={"date": "2026-11-20", "programme": "milk"}, headers=h
            ).json()
            == []
        )
        missing = api.client.get("/api/manifest", params={"date": "2026-11-20"}, headers=h)
        assert missing.status_code == 422 and missing.json()["field"] == "programme"


def test_caseload_figures_follow_a_write_made_through_the_api(services: Services) -> None:
    """A suspension made over HTTP is counted by the very next caseload read (no waiting for a poller)."""
    enrolment = enrolled(services.app, register(services.app), Programme.HOT_MEAL)
    with api_for(services) as api:
        h = api.as_role(Role.CASEWORKER)
        before = api.client.get("/api/caseload", params={"on": "2026-12-02"}, headers=h).json()
        assert (before[0]["active"], before[0]["suspended"]) == (1, 0)
        pause = {"start": "2026-12-01", "reason": "Hastanede"}
        assert (
            api.client.post(f"/api/enrolments/{enrolment}/suspend", json=pause, headers=h).status_code == 200
        )
        after = api.client.get("/api/caseload", params={"on": "2026-12-02"}, headers=h).json()
        assert (after[0]["active"], after[0]["suspended"]) == (0, 1)


def test_drivers_see_no_caseload_decisions_or_manifest(services: Services) -> None:
    """All three are 403 for a driver and open to caseworkers, dispatchers, managers and admins."""
    with api_for(services) as api:
        roles = api.everyone()
        paths = ("/api/caseload", "/api/caseload/decisions", "/api/manifest?date=2026-11-20&programme=milk")
        for path in paths:
            assert api.client.get(path, headers=roles[Role.DRIVER]).status_code == 403, path
            for role in (Role.CASEWORKER, Role.DISPATCHER, Role.MANAGER, Role.ADMIN):
                assert api.client.get(path, headers=roles[role]).status_code == 200, (path, role)
