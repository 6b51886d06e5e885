"""Reports over HTTP: daily statistics and failed stops for the office, the audit trail for managers only."""

from __future__ import annotations

from uuid import uuid4

from api.bootstrap import Services
from domain.values import Role
from tests.api.test_api_support import api_for
from tests.builders import DISPATCHER
from tests.dispatch_builders import DAY, meal_plan

AT = "2026-11-20T17:20:00+03:00"


def test_daily_statistics_and_failed_stops_follow_the_drivers_reports(services: Services) -> None:
    """One delivered and one failed stop: the day counts them; the failed one is listed with its reason."""
    plan, vans, stops = meal_plan(services.app)
    services.app.publish_plan(plan, DISPATCHER)
    with api_for(services) as api:
        driver, manager = api.as_role(Role.DRIVER, vans[0]), api.as_role(Role.MANAGER)
        ok = {"outcome": "delivered", "at": AT, "idempotency_key": "a"}
        failed = {"outcome": "failed", "at": AT, "idempotency_key": "b", "reason": "not_home"}
        api.client.post(f"/api/plans/{plan}/stops/{stops[0].key}/report", json=ok, headers=driver)
        api.client.post(f"/api/plans/{plan}/stops/{stops[1].key}/report", json=failed, headers=driver)
        params = {"from": "2026-11-19", "to": "2026-11-21"}
        (day,) = api.client.get("/api/reports/daily", params=params, headers=manager).json()
        assert (day["day"], day["stops"], day["delivered"], day["failed"], day["unserved"]) == (
            DAY.isoformat(),
            3,
            1,
            1,
            1,
        )
        (follow_up,) = api.client.get(
            "/api/reports/failed", params={"date": DAY.isoformat()}, headers=manager
        ).json()
        assert (follow_up["key"], follow_up["failure_reason"], follow_up["phone"]) == (
            stops[1].key,
            "not_home",
            "0532 123 45 67",
        )


def test_report_ranges_must_run_forwards_and_stay_within_a_year(services: Services) -> None:
    """'to' before 'from' or more than a year later is 422 naming 'to'; a missing 'from' names 'from'."""
    with api_for(services) as api:
        h = api.as_role(Role.MANAGER)
        for params in (
            {"from": "2026-11-20", "to": "2026-11-01"},
            {"from": "2024-01-01", "to": "2026-01-01"},
        ):
            response = api.client.get("/api/reports/daily", params=params, headers=h)
            assert response.status_code == 422 and response.json()["field"] == "to"
        response = api.client.get("/api/reports/daily", params={"to": "2026-11-01"}, headers=h)
        assert response.status_code == 422 and response.json()["field"] == "from"


def test_only_managers_read_the_audit_trail(services: Services) -> None:
    """A plan's history names who planned and published it; dispatchers, admins and others get 403."""
    plan, _, _ = meal_plan(services.app)
    services.app.publish_plan(plan, DISPATCHER)
    with api_for(services) as api:
        roles = api.everyone()
        trail = api.client.get(f"/api/reports/audit/{plan}", headers=roles[Role.MANAGER]).json()
        assert [(e["event"], e["actor"], e["role"]) for e in trail] == [
            ("RoutePlan.Planned", "hakan.sahin", "dispatcher"),
            ("RoutePlan.Published", "hakan.sahin", "dispatcher"),
        ]
        for role in (Role.CASEWORKER, Role.DISPATCHER, Role.DRIVER, Role.ADMIN):
            assert api.client.get(f"/api/reports/audit/{plan}", headers=roles[role]).status_code == 403, role
        assert api.client.get(f"/api/reports/audit/{uuid4()}", headers=roles[Role.MANAGER]).status_code == 404


def test_drivers_and_caseworkers_read_no_delivery_reports(services: Services) -> None:
    """Daily statistics and the failed list are 403 for drivers and caseworkers."""
    with api_for(services) as api:
        roles = api.everyone()
        for role in (Role.DRIVER, Role.CASEWORKER):
            daily = api.client.get(
                "/api/reports/daily", params={"from": "2026-11-01", "to": "2026-11-02"}, headers=roles[role]
            )
            assert daily.status_code == 403
            failed = api.client.get("/api/reports/failed", params={"date": "2026-11-01"}, headers=roles[role])
            assert failed.status_code == 403
        assert (
            api.client.get(
                "/api/reports/failed", params={"date": "2026-11-01"}, headers=roles[Role.DISPATCHER]
            ).status_code
            == 200
        )
