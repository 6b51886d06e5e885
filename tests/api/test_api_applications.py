"""Applications over HTTP: the caseworker's queue from submission to decision, and every refusal."""

from __future__ import annotations

from uuid import uuid4

from api.bootstrap import Services
from domain.values import Role
from tests.api.test_api_support import Api, api_for
from tests.builders import register, young_family

ARRIVED = "2026-09-01T10:00:00+03:00"


def submit(api: Api, headers: dict[str, str], household: str, programme: str = "hot_meal") -> str:
    body = {"household_id": household, "programme": programme, "channel": "call_centre_153"}
    response = api.client.post("/api/applications", json=body | {"received_at": ARRIVED}, headers=headers)
    assert response.status_code == 201, response.json()
    return str(response.json()["id"])


def test_an_application_goes_from_the_queue_to_an_enrolment(services: Services) -> None:
    """Submitted, queued, assessed, approved: the approval returns the enrolment the household now has."""
    household = str(register(services.app))
    with api_for(services) as api:
        headers = api.as_role(Role.CASEWORKER)
        ident = submit(api, headers, household)
        queue = api.client.get("/api/applications", params={"programme": "hot_meal"}, headers=headers).json()
        assert [(a["id"], a["status"], a["received_on"]) for a in queue] == [
            (ident, "submitted", "2026-09-01")
        ]
        visit = {"visit_note": "Ev ziyareti yapıldı", "visited_on": "2026-09-02"}
        assert (
            api.client.post(f"/api/applications/{ident}/assess", json=visit, headers=headers).status_code
            == 200
        )
        approved = api.client.post(
            f"/api/applications/{ident}/approve", json={"decided_on": "2026-09-10"}, headers=headers
        )
        assert approved.status_code == 201
        read = api.client.get(f"/api/applications/{ident}", headers=headers).json()
        assert (read["status"], read["enrolment_id"]) == ("approved", approved.json()["id"])
        assert api.client.get("/api/applications", headers=headers).json() == []
        again = api.client.post(f"/api/applications/{ident}/approve", json={}, headers=headers)
        assert again.status_code == 409


def test_rejections_and_withdrawals_close_applications_with_a_reason(services: Services) -> None:
    """A rejection needs a reason; a withdrawn application cannot then be rejected (409)."""
    household = str(register(services.app))
    with api_for(services) as api:
        headers = api.as_role(Role.CASEWORKER)
        first = submit(api, headers, household, "food_parcel")
        no_reason = api.client.post(f"/api/applications/{first}/reject", json={}, headers=headers)
        assert no_reason.status_code == 422 and no_reason.json()["field"] == "reason"
        rejected = api.client.post(
            f"/api/applications/{first}/reject",
            json={"reason": "Gelir sınırın üstünde", "decided_on": "2026-09-05"},
            headers=headers,
        )
        assert rejected.status_code == 200
        second = submit(api, headers, household, "food_parcel")
        withdrawn = api.client.post(
            f"/api/applications/{second}/withdraw", json={"reason": "İstemiyor"}, headers=headers
        )
        assert withdrawn.status_code == 200
        late = api.client.post(f"/api/applications/{second}/reject", json={"reason": "x"}, headers=headers)
        assert late.status_code == 409


def test_approval_before_assessment_a_second_open_application_and_ineligibility_are_refused(
    services: Services,
) -> None:
    """Approving unassessed is 409, so is a second open application; milk without a child is 422 members."""
    household = str(register(services.app))
    with api_for(services) as api:
        headers = api.as_role(Role.CASEWORKER)
        ident = submit(api, headers, household)
        assert (
            api.client.post(f"/api/applications/{ident}/approve", json={}, headers=headers).status_code == 409
        )
        body = {"household_id": household, "programme": "hot_meal", "channel": "web"}
        assert api.client.post("/api/applications", json=body, headers=headers).status_code == 409
        milk = submit(api, headers, household, "milk")
        visit = {"visit_note": "Çocuk yok", "visited_on": "2026-09-02"}
        api.client.post(f"/api/applications/{milk}/assess", json=visit, headers=headers)
        refused = api.client.post(f"/api/applications/{milk}/approve", json={}, headers=headers)
        assert refused.status_code == 422 and refused.json()["field"] == "members"


def test_bad_application_bodies_and_unknown_ids(services: Services) -> None:
    """A time without zone, an unknown channel or field is 422 naming it; an unknown id is 404."""
    household = str(register(services.app, members=young_family()))
    with api_for(services) as api:
        headers = api.as_role(Role.CASEWORKER)
        base = {"household_id": household, "programme": "milk", "channel": "web"}
        cases = {
            "received_at": base | {"received_at": "2026-09-01T10:00:00"},
            "channel": base | {"channel": "pigeon"},
            "urgent": base | {"urgent": True},
            "household_id": base | {"household_id": "somebody"},
        }
        for field, body in cases.items():
            response = api.client.post("/api/applications", json=body, headers=headers)
            assert response.status_code == 422 and response.json()["field"] == field, field
        future = base | {"received_at": "2099-01-01T10:00:00+03:00"}
        response = api.client.post("/api/applications", json=future, headers=headers)
        assert response.status_code == 422 and response.json()["field"] == "received_at"
        unknown = base | {"household_id": str(uuid4())}
        assert api.client.post("/api/applications", json=unknown, headers=headers).status_code == 404
        assert api.client.get(f"/api/applications/{uuid4()}", headers=headers).status_code == 404
        visit = {"visit_note": "x", "visited_on": "2026-09-02"}
        assert (
            api.client.post(f"/api/applications/{uuid4()}/assess", json=visit, headers=headers).status_code
            == 404
        )


def test_drivers_and_dispatchers_cannot_see_or_decide_applications(services: Services) -> None:
    """The queue, a single application and every decision are 403 for drivers and dispatchers."""
    household = str(register(services.app))
    with api_for(services) as api:
        roles = api.everyone()
        ident = submit(api, roles[Role.CASEWORKER], household)
        for role in (Role.DRIVER, Role.DISPATCHER):
            headers = roles[role]
            assert api.client.get("/api/applications", headers=headers).status_code == 403
            assert api.client.get(f"/api/applications/{ident}", headers=headers).status_code == 403
            body = {"household_id": household, "programme": "milk", "channel": "web"}
            assert api.client.post("/api/applications", json=body, headers=headers).status_code == 403
            for action, body in (("approve", {}), ("reject", {"reason": "x"}), ("withdraw", {"reason": "x"})):
                response = api.client.post(f"/api/applications/{ident}/{action}", json=body, headers=headers)
                assert response.status_code == 403, (role, action)
        assert api.client.get(f"/api/applications/{ident}", headers=roles[Role.MANAGER]).status_code == 200
