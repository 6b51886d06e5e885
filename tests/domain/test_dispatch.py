"""Route plans as events: planned, published, adjusted, re-planned, closed; drivers report each door."""

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from api.bootstrap import Services
from domain.errors import Conflict, IllegalTransition, InvalidValue, NotFound, PermissionDenied
from domain.programmes import Programme
from domain.route_plan import PlannedRoute, PlanStatus, Round, UnservedStop
from domain.service import ISTANBUL
from domain.stop_visit import FailureReason, Outcome, stop_visit_id
from domain.values import Actor, Role
from tests.builders import CASEWORKER, DISPATCHER
from tests.dispatch_builders import ADMIN, DAY, meal_plan

AT = datetime(2026, 11, 20, 17, 30, tzinfo=ISTANBUL)


def driver_of(services: Services, vehicle: object, name: str = "veli.sofor") -> Actor:
    services.app.add_user(name, "Veli Şoför", Role.DRIVER, "hash", ADMIN, vehicle_id=vehicle)  # type: ignore[arg-type]
    return Actor(name, Role.DRIVER)


def test_publishing_dispatches_every_routed_stop_to_its_vehicle(services: Services) -> None:
    """After publishing, each stop on a route has a visit on that route's vehicle; unserved ones have none."""
    app = services.app
    plan, vans, stops = meal_plan(app)
    app.publish_plan(plan, DISPATCHER)
    assert app.route_plan(plan).status is PlanStatus.PUBLISHED
    for stop in stops[:-1]:
        assert app.stop_visit(stop_visit_id(plan, stop.key)).vehicle_id == vans[0]
    with pytest.raises(NotFound):
        app.stop_visit(stop_visit_id(plan, stops[-1].key))
    with pytest.raises(IllegalTransition, match="already published"):
        app.publish_plan(plan, DISPATCHER)


def test_a_delivery_report_is_recorded_once_whatever_the_retries(services: Services) -> None:
    """The same idempotency key twice records one event; a different report on a delivered stop conflicts."""
    app = services.app
    plan, vans, stops = meal_plan(app)
    app.publish_plan(plan, DISPATCHER)
    driver = driver_of(services, vans[0])
    key = stops[0].key
    assert app.report_stop(plan, key, Outcome.DELIVERED, AT, "phone-1-0001", driver, receiver="Fatma")
    before = app.recorder.max_notification_id()
    assert not app.report_stop(plan, key, Outcome.DELIVERED, AT, "phone-1-0001", driver, receiver="Fatma")
    assert app.recorder.max_notification_id() == before
    with pytest.raises(Conflict, match="already delivered"):
        app.report_stop(plan, key, Outcome.FAILED, AT, "phone-1-0002", driver, reason=FailureReason.NOT_HOME)


def test_a_failed_delivery_can_be_retried_and_needs_a_reason(services: Services) -> None:
    """Not home at 17:30, delivered at 18:10; a failure without a reason is refused by name."""
    app = services.app
    plan, vans, stops = meal_plan(app)
    app.publish_plan(plan, DISPATCHER)
    driver = driver_of(services, vans[0])
    with pytest.raises(InvalidValue, match="reason"):
        app.report_stop(plan, stops[1].key, Outcome.FAILED, AT, "k1", driver)
    app.report_stop(plan, stops[1].key, Outcome.FAILED, AT, "k2", driver, reason=FailureReason.NOT_HOME)
    app.report_stop(plan, stops[1].key, Outcome.DELIVERED, AT + timedelta(minutes=40), "k3", driver)
    assert app.stop_visit(stop_visit_id(plan, stops[1].key)).outcome is Outcome.DELIVERED


def test_a_driver_reports_only_the_stops_of_their_own_vehicle(services: Services) -> None:
    """The other van's driver, a caseworker, or a report from the future are refused."""
    app = services.app
    plan, vans, stops = meal_plan(app)
    app.publish_plan(plan, DISPATCHER)
    other = driver_of(services, vans[1], "ayse.sofor")
    with pytest.raises(PermissionDenied, match="another vehicle"):
        app.report_stop(plan, stops[0].key, Outcome.DELIVERED, AT, "k1", other)
    with pytest.raises(PermissionDenied):
        app.report_stop(plan, stops[0].key, Outcome.DELIVERED, AT, "k1", CASEWORKER)
    future = datetime.now(ISTANBUL) + timedelta(hours=2)
    with pytest.raises(InvalidValue, match="future"):
        app.report_stop(plan, stops[0].key, Outcome.DELIVERED, future, "k1", DISPATCHER)


def test_moving_a_stop_after_publishing_reassigns_it_to_the_new_van(services: Services) -> None:
    """The unserved stop moved onto van 1 is dispatched there and leaves the unserved list."""
    app = services.app
    plan, vans, stops = meal_plan(app)
    app.publish_plan(plan, DISPATCHER)
    depot = app.route_plan(plan).routes[0].depot_id
    second = PlannedRoute(vans[1], depot, (stops[-1],), 17 * 3600, 18 * 3600, 3000, 3600)
    app.move_stop(plan, stops[-1].key, (second,), "Ek araç çıktı", DISPATCHER)
    assert app.route_plan(plan).unserved == ()
    assert app.stop_visit(stop_visit_id(plan, stops[-1].key)).vehicle_id == vans[1]
    with pytest.raises(InvalidValue, match="twice") as refused:
        app.move_stop(plan, stops[0].key, (replace(second, stops=(stops[0],)),), "yanlış", DISPATCHER)
    assert refused.value.field == "routes"


def test_replanning_cannot_take_a_delivered_stop_off_its_route(services: Services) -> None:
    """A stop already delivered stays with the van that delivered it; moving an open one is fine."""
    app = services.app
    plan, vans, stops = meal_plan(app)
    app.publish_plan(plan, DISPATCHER)
    app.report_stop(plan, stops[0].key, Outcome.DELIVERED, AT, "k1", DISPATCHER)
    route = app.route_plan(plan).routes[0]
    with pytest.raises(IllegalTransition, match="already delivered"):
        app.replan(
            plan,
            (replace(route, vehicle_id=vans[1]),),
            (UnservedStop(stops[-1], "capacity"),),
            (),
            {},
            "Araç arızası",
            DISPATCHER,
        )
    kept = replace(route, stops=(stops[0],))
    moved = PlannedRoute(vans[1], route.depot_id, (stops[1],), 17 * 3600, 18 * 3600, 1000, 1800)
    app.replan(
        plan, (kept, moved), (UnservedStop(stops[-1], "capacity"),), (stops[1].key,), {}, "Arıza", DISPATCHER
    )
    assert app.stop_visit(stop_visit_id(plan, stops[1].key)).vehicle_id == vans[1]


def test_planning_a_published_day_again_is_a_conflict_and_a_closed_plan_is_final(services: Services) -> None:
    """Planning again replaces an unpublished plan; after publishing use re-plan; after closing nothing."""
    app = services.app
    plan, _, _ = meal_plan(app)
    same = app.route_plan(plan)
    assert (
        app.record_plan(DAY, Programme.HOT_MEAL, Round.DINNER, same.routes, same.unserved, {}, DISPATCHER)
        == plan
    )
    app.publish_plan(plan, DISPATCHER)
    with pytest.raises(Conflict, match="published"):
        app.record_plan(DAY, Programme.HOT_MEAL, Round.DINNER, same.routes, same.unserved, {}, DISPATCHER)
    app.close_plan(plan, DISPATCHER)
    with pytest.raises(IllegalTransition, match="closed"):
        app.replan(plan, same.routes, same.unserved, (), {}, "geç", DISPATCHER)


def test_a_caseworker_cannot_plan_routes(services: Services) -> None:
    """Planning is the dispatcher's duty."""
    app = services.app
    plan, _, _ = meal_plan(app)
    with pytest.raises(PermissionDenied):
        app.publish_plan(plan, CASEWORKER)
