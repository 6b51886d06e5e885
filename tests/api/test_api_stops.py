"""Drivers over HTTP: their own published stops, idempotent reports, and nobody else's stops."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any
from uuid import UUID, uuid4

from api.bootstrap import Services
from domain.stop_visit import stop_visit_id
from domain.values import Role
from tests.api.test_api_support import Api, api_for
from tests.builders import DISPATCHER
from tests.dispatch_builders import DAY, meal_plan

AT = "2026-11-20T17:30:00+03:00"


def delivered(key: str = "phone-1-0001", **changes: Any) -> dict[str, Any]:
    return {"outcome": "delivered", "at": AT, "idempotency_key": key, "receiver": "Fatma"} | changes


def report_url(plan: UUID, key: str) -> str:
    return f"/api/plans/{plan}/stops/{key}/report"


def published(services: Services) -> tuple[UUID, list[UUID], list[str]]:
    plan, vans, stops = meal_plan(services.app)
    services.app.publish_plan(plan, DISPATCHER)
    return plan, vans, [s.key for s in stops]


def drivers(api: Api, vans: list[UUID]) -> tuple[dict[str, str], dict[str, str]]:
    return api.as_role(Role.DRIVER, vans[0]), api.as_role(Role.DRIVER, vans[1], "ayse.sofor")


def test_a_driver_sees_their_published_stops_in_order_with_contacts(services: Services) -> None:
    """The first van's driver lists its two stops with name and address; the second van's list is empty."""
    _, vans, keys = published(services)
    with api_for(services) as api:
        mine, other = drivers(api, vans)
        stops = api.client.get("/api/driver/stops", params={"date": DAY.isoformat()}, headers=mine).json()
        assert [s["key"] for s in stops] == keys[:2]
        assert stops[0]["name"] == "Fatma Kalkavan" and stops[0]["outcome"] == "dispatched"
        assert (
            api.client.get("/api/driver/stops", params={"date": DAY.isoformat()}, headers=other).json() == []
        )


def test_a_driver_cannot_read_another_vehicles_stops_or_report_them(services: Services) -> None:
    """Naming the other van is 403, reporting its stop is 403, and a driver with no van gets 409."""
    plan, vans, keys = published(services)
    with api_for(services) as api:
        _, other = drivers(api, vans)
        params = {"date": DAY.isoformat(), "vehicle_id": str(vans[0])}
        assert api.client.get("/api/driver/stops", params=params, headers=other).status_code == 403
        assert api.client.post(report_url(plan, keys[0]), json=delivered(), headers=other).status_code == 403
        vanless = api.as_role(Role.DRIVER, username="yedek.sofor")
        response = api.client.get("/api/driver/stops", params={"date": DAY.isoformat()}, headers=vanless)
        assert response.status_code == 409


def test_dispatchers_name_the_vehicle_and_caseworkers_see_no_stops(services: Services) -> None:
    """A dispatcher reads any van's list but must name it (422 'vehicle_id'); caseworkers get 403."""
    plan, vans, keys = published(services)
    with api_for(services) as api:
        dispatcher, caseworker = api.as_role(Role.DISPATCHER), api.as_role(Role.CASEWORKER)
        params = {"date": DAY.isoformat(), "vehicle_id": str(vans[0])}
        assert len(api.client.get("/api/driver/stops", params=params, headers=dispatcher).json()) == 2
        unnamed = api.client.get("/api/driver/stops", params={"date": DAY.isoformat()}, headers=dispatcher)
        assert unnamed.status_code == 422 and unnamed.json()["field"] == "vehicle_id"
        assert api.client.get("/api/driver/stops", params=params, headers=caseworker).status_code == 403
        assert (
            api.client.post(report_url(plan, keys[0]), json=delivered(), headers=caseworker).status_code
            == 403
        )


def test_a_retried_report_is_recorded_once(services: Services) -> None:
    """The same key twice: recorded, then `recorded: false` and no new event; the stop list shows it."""
    plan, vans, keys = published(services)
    with api_for(services) as api:
        mine, _ = drivers(api, vans)
        first = api.client.post(report_url(plan, keys[0]), json=delivered(), headers=mine)
        assert first.status_code == 200 and first.json()["recorded"] is True
        events = len(services.app.events_of(stop_visit_id(plan, keys[0])))
        retry = api.client.post(report_url(plan, keys[0]), json=delivered(), headers=mine)
        assert retry.status_code == 200 and retry.json()["recorded"] is False
        assert len(services.app.events_of(stop_visit_id(plan, keys[0]))) == events
        stops = api.client.get("/api/driver/stops", params={"date": DAY.isoformat()}, headers=mine).json()
        assert [s["outcome"] for s in stops] == ["delivered", "dispatched"]
        changed_mind = delivered("phone-1-0002", outcome="failed", reason="not_home")
        assert api.client.post(report_url(plan, keys[0]), json=changed_mind, headers=mine).status_code == 409


def test_a_failed_stop_needs_a_reason_and_may_be_delivered_later(services: Services) -> None:
    """Failure without a reason is 422 'reason'; with one it is recorded; a later delivery closes it."""
    plan, vans, keys = published(services)
    with api_for(services) as api:
        mine, _ = drivers(api, vans)
        url = report_url(plan, keys[1])
        no_reason = api.client.post(url, json=delivered("k1", outcome="failed"), headers=mine)
        assert no_reason.status_code == 422 and no_reason.json()["field"] == "reason"
        failed = delivered("k2", outcome="failed", reason="not_home")
        assert api.client.post(url, json=failed, headers=mine).json()["recorded"] is True
        later = delivered("k3", at="2026-11-20T18:10:00+03:00")
        assert api.client.post(url, json=later, headers=mine).json()["recorded"] is True


def test_bad_reports_name_the_field_and_unknown_stops_are_404(services: Services) -> None:
    """A zone-less or future time, unknown outcome or field, empty key: 422; unknown stop or plan: 404."""
    plan, vans, keys = published(services)
    with api_for(services) as api:
        mine, _ = drivers(api, vans)
        cases = {
            "at": delivered(at="2026-11-20T17:30:00"),
            "outcome": delivered(outcome="teleported"),
            "idempotency_key": delivered(""),
            "signature": delivered(signature="x"),
        }
        for field, body in cases.items():
            response = api.client.post(report_url(plan, keys[0]), json=body, headers=mine)
            assert response.status_code == 422 and response.json()["field"] == field, (field, response.json())
        future = api.client.post(
            report_url(plan, keys[0]), json=delivered(at="2099-01-01T10:00:00+03:00"), headers=mine
        )
        assert future.status_code == 422 and future.json()["field"] == "at"
        pickup = api.client.post(report_url(plan, keys[0]), json=delivered(outcome="picked_up"), headers=mine)
        assert pickup.status_code == 422 and pickup.json()["field"] == "outcome"
        assert (
            api.client.post(report_url(plan, "nope/dinner"), json=delivered(), headers=mine).status_code
            == 404
        )
        assert (
            api.client.post(report_url(uuid4(), keys[0]), json=delivered(), headers=mine).status_code == 404
        )
        unserved = api.client.post(report_url(plan, keys[2]), json=delivered(), headers=mine)
        assert unserved.status_code == 404


def test_a_dispatcher_may_report_for_a_driver_without_a_phone(services: Services) -> None:
    """Dispatchers and admins report any stop (the driver phoned it in); managers may not (403)."""
    plan, _, keys = published(services)
    with api_for(services) as api:
        roles = api.everyone()
        assert (
            api.client.post(
                report_url(plan, keys[0]), json=delivered(), headers=roles[Role.MANAGER]
            ).status_code
            == 403
        )
        response = api.client.post(
            report_url(plan, keys[0]), json=delivered(), headers=roles[Role.DISPATCHER]
        )
        assert response.json()["recorded"] is True


def test_simultaneous_copies_of_one_report_record_it_once(services: Services) -> None:
    """Eight copies of a report sent at the same moment: one `recorded: true`, seven duplicates, one event."""
    plan, vans, keys = published(services)
    with api_for(services) as api:
        mine, _ = drivers(api, vans)
        before = len(services.app.events_of(stop_visit_id(plan, keys[0])))
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(
                pool.map(
                    lambda _: api.client.post(report_url(plan, keys[0]), json=delivered(), headers=mine),
                    range(8),
                )
            )
        assert sorted(a.status_code for a in answers) == [200] * 8
        assert sorted(a.json()["recorded"] for a in answers) == [False] * 7 + [True]
        assert len(services.app.events_of(stop_visit_id(plan, keys[0]))) == before + 1
