"""Route plans over HTTP: dispatchers plan, publish, adjust and close; others read or are refused."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from api.bootstrap import Services
from domain.programmes import Programme
from domain.values import GeoPoint, Role
from tests.api.test_api_support import api_for
from tests.builders import CASEWORKER, elderly, enrolled, personal
from tests.dispatch_builders import DAY, kitchen_with_vans, meal_plan

PLAN_DAY = date(2026, 11, 20)


def test_a_dispatcher_lists_reads_publishes_follows_and_closes_a_plan(services: Services) -> None:
    """The plan's routes, stops and unserved reason read back; progress counts a report; each step once."""
    plan, vans, stops = meal_plan(services.app)
    with api_for(services) as api:
        h = api.as_role(Role.DISPATCHER)
        (listed,) = api.client.get("/api/plans", params={"date": DAY.isoformat()}, headers=h).json()
        assert (listed["plan_id"], listed["status"], listed["routed_stops"], listed["unserved_stops"]) == (
            str(plan),
            "planned",
            2,
            1,
        )
        detail = api.client.get(f"/api/plans/{plan}", headers=h).json()
        (route,) = detail["routes"]
        assert (route["vehicle_id"], route["distance_m"], route["duration_s"]) == (str(vans[0]), 12_000, 7200)
        assert route["plate"] == "53 KPD 0"
        assert [s["key"] for s in route["stops"]] == [s.key for s in stops[:2]]
        (missed,) = detail["unserved"]
        assert (missed["key"], missed["household_id"], missed["reason"]) == (
            stops[2].key,
            str(stops[2].household_id),
            "capacity",
        )
        assert missed["name"] == "Fatma Kalkavan" and "Cumhuriyet" in missed["address"]
        assert api.client.post(f"/api/plans/{plan}/publish", headers=h).status_code == 200
        assert api.client.post(f"/api/plans/{plan}/publish", headers=h).status_code == 409
        report = {"outcome": "delivered", "at": "2026-11-20T17:05:00+03:00", "idempotency_key": "k1"}
        api.client.post(f"/api/plans/{plan}/stops/{stops[0].key}/report", json=report, headers=h)
        (progress,) = api.client.get(
            f"/api/plans/{plan}/progress", params={"now_s": 61_500}, headers=h
        ).json()
        assert (progress["stops"], progress["done"], progress["open"]) == (2, 1, 1)
        assert api.client.post(f"/api/plans/{plan}/close", headers=h).status_code == 200
        assert api.client.get(f"/api/plans/{plan}", headers=h).json()["status"] == "closed"
        assert api.client.post(f"/api/plans/{plan}/close", headers=h).status_code == 409


def test_unknown_plans_are_404_and_bad_queries_422(services: Services) -> None:
    """Reading, following, publishing or closing an unknown plan is 404; a bad date or clock names itself."""
    with api_for(services) as api:
        h = api.as_role(Role.DISPATCHER)
        ghost = uuid4()
        assert api.client.get(f"/api/plans/{ghost}", headers=h).status_code == 404
        assert api.client.get(f"/api/plans/{ghost}/progress", headers=h).status_code == 404
        assert api.client.post(f"/api/plans/{ghost}/publish", headers=h).status_code == 404
        assert api.client.post(f"/api/plans/{ghost}/close", headers=h).status_code == 404
        bad_day = api.client.get("/api/plans", params={"date": "2026-13-01"}, headers=h)
        assert bad_day.status_code == 422 and bad_day.json()["field"] == "date"
        bad_clock = api.client.get(f"/api/plans/{ghost}/progress", params={"now_s": 90_000}, headers=h)
        assert bad_clock.status_code == 422 and bad_clock.json()["field"] == "now_s"


def test_caseworkers_and_drivers_cannot_plan_and_managers_only_read(services: Services) -> None:
    """Caseworkers and drivers get 403 on every plan route; managers read but may not publish or plan."""
    plan, _, _ = meal_plan(services.app)
    with api_for(services) as api:
        roles = api.everyone()
        body = {"date": DAY.isoformat(), "programme": "hot_meal", "round": "dinner", "time_limit_s": 1}
        for role in (Role.CASEWORKER, Role.DRIVER):
            h = roles[role]
            assert api.client.post("/api/plans", json=body, headers=h).status_code == 403, role
            assert (
                api.client.get("/api/plans", params={"date": DAY.isoformat()}, headers=h).status_code == 403
            )
            assert api.client.get(f"/api/plans/{plan}", headers=h).status_code == 403
            assert api.client.get(f"/api/plans/{plan}/progress", headers=h).status_code == 403
            assert api.client.post(f"/api/plans/{plan}/publish", headers=h).status_code == 403
            cancel = {"kind": "cancel", "keys": ["x"], "reason": "x"}
            assert api.client.post(f"/api/plans/{plan}/replan", json=cancel, headers=h).status_code == 403
        manager = roles[Role.MANAGER]
        assert api.client.get(f"/api/plans/{plan}", headers=manager).status_code == 200
        assert api.client.post(f"/api/plans/{plan}/publish", headers=manager).status_code == 403
        assert api.client.post("/api/plans", json=body, headers=manager).status_code == 403


def test_bad_planning_requests_name_the_field(services: Services) -> None:
    """No time limit, an unknown round or field, a round the programme does not run, a bad re-plan kind."""
    with api_for(services) as api:
        h = api.as_role(Role.DISPATCHER)
        base = {"date": DAY.isoformat(), "programme": "hot_meal", "round": "dinner", "time_limit_s": 1}
        cases = {
            "time_limit_s": base | {"time_limit_s": 0},
            "round": base | {"round": "lunch"},
            "vehicles": base | {"vehicles": 3},
        }
        for field, body in cases.items():
            response = api.client.post("/api/plans", json=body, headers=h)
            assert response.status_code == 422 and response.json()["field"] == field, (field, response.json())
        milk_dinner = api.client.post("/api/plans", json=base | {"programme": "milk"}, headers=h)
        assert milk_dinner.status_code == 422 and milk_dinner.json()["field"] == "round"
        odd = api.client.post(
            f"/api/plans/{uuid4()}/replan", json={"kind": "flood", "reason": "x"}, headers=h
        )
        assert odd.status_code == 422


def _street_households(services: Services, count: int) -> None:
    """Hot-meal households on Rize's streets a few hundred metres apart, so routes differ."""
    app = services.app
    for n in range(count):
        point = GeoPoint(41.0201 + 0.0015 * (n % 4), 40.5234 + 0.002 * (n // 4))
        household = app.register_household(
            personal(), point, "Rize Merkez", "Tophane Mah.", elderly(), (), CASEWORKER
        )
        enrolled(app, household, Programme.HOT_MEAL)


def test_a_dispatcher_plans_moves_replans_and_maps_a_day_on_the_streets(services: Services) -> None:
    """POST plans the manifest; a hand-moved stop shows on its new van; cancelling re-plans; maps draw."""
    _, vans = kitchen_with_vans(services.app)
    _street_households(services, 6)
    with api_for(services) as api:
        h = api.as_role(Role.DISPATCHER)
        body = {"date": PLAN_DAY.isoformat(), "programme": "hot_meal", "round": "dinner", "time_limit_s": 0.3}
        created = api.client.post("/api/plans", json=body, headers=h)
        assert created.status_code == 201, created.json()
        plan = created.json()
        plan_id = plan["plan_id"]
        keys = [s["key"] for r in plan["routes"] for s in r["stops"]]
        assert len(keys) + len(plan["unserved"]) == 6 and keys
        carrier = next(r["vehicle_id"] for r in plan["routes"] if keys[0] in [s["key"] for s in r["stops"]])
        target = next(v for v in vans if str(v) != carrier)
        move = {"key": keys[0], "to_vehicle": str(target), "position": 0, "reason": "Şoför bölgeyi biliyor"}
        moved = api.client.post(f"/api/plans/{plan_id}/move-stop", json=move, headers=h)
        assert moved.status_code == 200, moved.json()
        on_target = next(r for r in moved.json()["routes"] if r["vehicle_id"] == str(target))
        assert on_target["stops"][0]["key"] == keys[0]
        on_carrier = [
            s["key"] for r in moved.json()["routes"] if r["vehicle_id"] == carrier for s in r["stops"]
        ]
        assert keys[0] not in on_carrier
        geo = api.client.get(f"/api/plans/{plan_id}/geojson", headers=h).json()
        kinds = [f["properties"]["kind"] for f in geo["features"]]
        assert kinds.count("route") >= 1 and kinds.count("stop") == len(keys) and "depot" in kinds
        assert api.client.post(f"/api/plans/{plan_id}/publish", headers=h).status_code == 200
        cancel = {"kind": "cancel", "keys": [keys[-1]], "reason": "Hastaneye yattı", "time_limit_s": 0.3}
        replanned = api.client.post(f"/api/plans/{plan_id}/replan", json=cancel, headers=h)
        assert replanned.status_code == 200 and replanned.json()["plan_id"] == plan_id
        after = api.client.get(f"/api/plans/{plan_id}", headers=h).json()
        assert keys[-1] not in [s["key"] for r in after["routes"] for s in r["stops"]]
        broken = next(r["vehicle_id"] for r in after["routes"] if r["stops"])
        breakdown = {
            "kind": "breakdown",
            "vehicle_id": broken,
            "at_s": 61_200,
            "reason": "Arıza",
            "time_limit_s": 0.3,
        }
        response = api.client.post(f"/api/plans/{plan_id}/replan", json=breakdown, headers=h)
        assert response.status_code == 200, response.json()
        final = api.client.get(f"/api/plans/{plan_id}", headers=h).json()
        assert all(not r["stops"] for r in final["routes"] if r["vehicle_id"] == broken)
        _street_households(services, 1)
        urgent = {"kind": "new_requests", "reason": "Acil başvuru", "time_limit_s": 0.3}
        added = api.client.post(f"/api/plans/{plan_id}/replan", json=urgent, headers=h)
        assert added.status_code == 200, added.json()
        detail = api.client.get(f"/api/plans/{plan_id}", headers=h).json()
        routed = [s["key"] for r in detail["routes"] for s in r["stops"]] + [
            u["key"] for u in detail["unserved"]
        ]
        assert len(routed) == 7
        assert api.client.post(f"/api/plans/{plan_id}/replan", json=urgent, headers=h).status_code == 409
        unknown = {"kind": "cancel", "keys": ["nope"], "reason": "x"}
        assert api.client.post(f"/api/plans/{plan_id}/replan", json=unknown, headers=h).status_code == 422


def test_a_driver_downloads_their_published_route_as_gpx(services: Services) -> None:
    """GPX 1.1, a waypoint per stop of the driver's van; 404 before publishing, 403 for another van."""
    plan, vans, _ = meal_plan(services.app)
    with api_for(services) as api:
        driver = api.as_role(Role.DRIVER, vans[0])
        params = {"date": DAY.isoformat()}
        assert api.client.get("/api/driver/route.gpx", params=params, headers=driver).status_code == 404
        api.client.post(f"/api/plans/{plan}/publish", headers=api.as_role(Role.DISPATCHER))
        gpx = api.client.get("/api/driver/route.gpx", params=params, headers=driver)
        assert gpx.status_code == 200 and gpx.headers["content-type"].startswith("application/gpx+xml")
        assert gpx.text.count("<wpt ") == 2 and 'version="1.1"' in gpx.text
        assert "Sıcak yemek" in gpx.text and "porsiyon" in gpx.text  # the driver's language: Turkish
        english = api.client.get(
            "/api/driver/route.gpx", params=params, headers=driver | {"Accept-Language": "en"}
        )
        assert "Hot meal" in english.text and "portions" in english.text
        other = params | {"vehicle_id": str(vans[1])}
        assert api.client.get("/api/driver/route.gpx", params=other, headers=driver).status_code == 403
        wrong_plan = params | {"plan_id": str(uuid4())}
        assert api.client.get("/api/driver/route.gpx", params=wrong_plan, headers=driver).status_code == 404
