"""A route plan's doors are sealed per stop with the stop's household key: not in the stored bytes, read
back while the household exists, and gone from every path (aggregate, events, dp_stops live and rebuilt,
driver list) once it is erased, while other stops and the statistics stay; on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from uuid import UUID

import pytest

from api.bootstrap import Services
from api.planning import move_stop
from domain.errors import IllegalTransition
from domain.programmes import Programme
from domain.route_plan import PlannedRoute, PlannedStop, Round, UnservedStop
from domain.service import ISTANBUL, Kapida
from domain.stop_visit import Outcome
from domain.values import Actor, GeoPoint, LegalBasis, Role
from projections import dispatch_queries as dq
from tests.builders import DISPATCHER, enrolled, register
from tests.dispatch_builders import DAY, kitchen_with_vans, stop
from tests.persistence.stored import raw_payloads

MANAGER = Actor("elif.aydin", Role.MANAGER)
# One door per household, written with digits no other field of a plan event holds.
DOORS = (GeoPoint(41.0234567, 40.5123456), GeoPoint(41.0276543, 40.5187654), GeoPoint(41.0212345, 40.5165432))
DIGITS = tuple(text for door in DOORS for text in (f"{door.lat}", f"{door.lon}"))


def door_plan(app: Kapida) -> tuple[UUID, list[UUID], list[PlannedStop]]:
    """Three households with their own doors: two on van 0, the third unserved; then moved and re-planned
    so every plan event that carries stops (Planned, StopMoved, Replanned) is recorded."""
    depot, vans = kitchen_with_vans(app)
    stops = []
    for n, door in enumerate(DOORS):
        household = register(app)
        planned = stop(household, enrolled(app, household, Programme.HOT_MEAL), 17 * 3600 + 600 * n)
        stops.append(replace(planned, location=door))
    route = PlannedRoute(vans[0], depot, tuple(stops[:2]), 17 * 3600 - 600, 19 * 3600, 12_000, 7200)
    plan = app.record_plan(
        DAY,
        Programme.HOT_MEAL,
        Round.DINNER,
        (route,),
        (UnservedStop(stops[2], "capacity"),),
        {"stops": 3, "vehicles": 1},
        DISPATCHER,
    )
    app.move_stop(plan, stops[1].key, (replace(route, stops=(stops[1], stops[0])),), "Sıra", DISPATCHER)
    app.replan(plan, (route,), (UnservedStop(stops[2], "capacity"),), (), {"stops": 3}, "Arıza", DISPATCHER)
    return plan, vans, stops


def doors_of(app: Kapida, plan: UUID) -> dict[str, GeoPoint | None]:
    routed = app.route_plan(plan)
    return {s.key: s.location for r in routed.routes for s in r.stops} | {
        u.stop.key: u.stop.location for u in routed.unserved
    }


def test_a_plans_stored_events_hold_no_door_in_plain_text(plain: Services) -> None:
    """With payload encryption off a plan's events are readable JSON, yet no stop's coordinates are in
    them; the aggregate and the read model read every door back."""
    assert plain.app.mapper.cipher is None
    plan, _, stops = door_plan(plain.app)
    payloads = b"\n".join(raw_payloads(plain.app))
    assert b'"eta_s"' in payloads and b'"_sealed_stops_"' in payloads
    for digits in DIGITS:
        assert digits.encode() not in payloads
    assert doors_of(plain.app, plan) == {s.key: s.location for s in stops}
    events = plain.app.events_of(plan)
    assert [type(e).__name__ for e in events] == ["Planned", "StopMoved", "Replanned"]
    assert all("_sealed_stops_" not in vars(e) for e in events)
    plain.catch_up()
    rows = {s.key: (s.lat, s.lon) for s in dq.plan_stops(plain.views, plan)}
    assert rows == {s.key: (s.location.lat, s.location.lon) for s in stops if s.location is not None}


def test_after_erasure_no_path_shows_the_households_door_and_the_others_stay(services: Services) -> None:
    """Aggregate, events (also in a fresh application without cached keys), dp_stops live and rebuilt
    and the driver's list show no coordinates for the erased household; the others are unchanged and so
    are the day's statistics."""
    app = services.app
    plan, vans, stops = door_plan(app)
    app.publish_plan(plan, DISPATCHER)
    at = datetime.now(ISTANBUL) - timedelta(minutes=5)
    app.report_stop(plan, stops[0].key, Outcome.DELIVERED, at, "d1", DISPATCHER, "Komşu", note="zil")
    services.catch_up()
    before = dq.daily_statistics(services.views, DAY, DAY)
    erased, kept = stops[0], stops[1:]
    app.erase_household(erased.household_id, LegalBasis.DATA_SUBJECT_REQUEST, "istek", MANAGER, True)
    services.catch_up()
    expected = {erased.key: None} | {s.key: s.location for s in kept}
    fresh = Kapida(env=app.env)
    for reader in (app, fresh):
        assert doors_of(reader, plan) == expected
        text = repr([vars(e) for e in reader.events_of(plan)])
        for digits in DIGITS[:2]:
            assert digits not in text
        for digits in DIGITS[2:]:
            assert digits in text  # the other households' doors still read back
    fresh.close()

    def rows() -> dict[str, tuple[float | None, float | None]]:
        return {s.key: (s.lat, s.lon) for s in dq.plan_stops(services.views, plan)}

    wanted = {erased.key: (None, None)} | {
        s.key: (s.location.lat, s.location.lon) for s in kept if s.location is not None
    }
    assert rows() == wanted
    driver = {s.key: (s.lat, s.lon) for s in dq.driver_stops(services.views, DAY, vans[0])}
    assert driver == {k: v for k, v in wanted.items() if k != stops[2].key}  # the unserved one is no van's
    assert dq.daily_statistics(services.views, DAY, DAY) == before
    services.rebuild()
    assert rows() == wanted
    assert dq.daily_statistics(services.views, DAY, DAY) == before


def test_an_erased_households_stop_cannot_be_moved(services: Services) -> None:
    """Its door is gone, so it cannot be re-timed: moving it, or moving another stop onto or off its
    route, is refused with a clear error and nothing is recorded."""
    app = services.app
    plan, vans, stops = door_plan(app)
    app.erase_household(stops[0].household_id, LegalBasis.DATA_SUBJECT_REQUEST, "istek", MANAGER, True)
    before = app.recorder.max_notification_id()
    with pytest.raises(IllegalTransition, match="erased household"):
        move_stop(services, plan, stops[0].key, vans[1], 0, "Komşu sokak", DISPATCHER)
    with pytest.raises(IllegalTransition, match="erased household"):
        move_stop(services, plan, stops[1].key, vans[1], 0, "Komşu sokak", DISPATCHER)
    assert app.recorder.max_notification_id() == before
