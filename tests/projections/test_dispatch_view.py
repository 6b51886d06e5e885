"""The dispatch read model: stop lists, progress, follow-ups and statistics, equal to a rebuild."""

from dataclasses import replace
from datetime import date, datetime

from api.bootstrap import Services
from domain.route_plan import PlannedRoute, UnservedStop
from domain.service import ISTANBUL
from domain.stop_visit import FailureReason, Outcome
from projections import dispatch_queries as dq
from projections.dispatch import TABLES
from tests.builders import DISPATCHER
from tests.dispatch_builders import DAY, meal_plan

AT = datetime(2026, 11, 20, 17, 5, tzinfo=ISTANBUL)


def test_drivers_see_their_published_stops_in_order_with_contact_and_notes(services: Services) -> None:
    """Before publishing the driver's list is empty; after, it has the van's stops, names and addresses."""
    app = services.app
    plan, vans, stops = meal_plan(app)
    services.catch_up()
    assert dq.driver_stops(services.views, DAY, vans[0]) == []
    app.publish_plan(plan, DISPATCHER)
    services.catch_up()
    listed = dq.driver_stops(services.views, DAY, vans[0])
    assert [s.key for s in listed] == [s.key for s in stops[:-1]]
    assert listed[0].name == "Fatma Kalkavan" and "Cumhuriyet" in listed[0].address
    assert listed[0].outcome == "dispatched" and listed[0].unit == "portion"
    assert dq.driver_stops(services.views, DAY, vans[1]) == []
    (unserved,) = [s for s in dq.plan_stops(services.views, plan) if s.vehicle_id is None]
    assert (unserved.key, unserved.unserved_reason) == (stops[-1].key, "capacity")


def test_progress_counts_done_failed_open_and_late_stops(services: Services) -> None:
    """One delivered on time, one failed: 1 done, 1 failed, 0 open; the failure awaits follow-up."""
    app = services.app
    plan, _, stops = meal_plan(app)
    app.publish_plan(plan, DISPATCHER)
    app.report_stop(plan, stops[0].key, Outcome.DELIVERED, AT, "k1", DISPATCHER, receiver="Fatma")
    app.report_stop(plan, stops[1].key, Outcome.FAILED, AT, "k2", DISPATCHER, reason=FailureReason.NOT_HOME)
    services.catch_up()
    (route,) = dq.progress(services.views, plan, now_s=17 * 3600 + 900)
    assert (route.stops, route.done, route.failed, route.open, route.late) == (2, 1, 1, 0, 0)
    assert [s.key for s in dq.failed_stops(services.views, DAY)] == [stops[1].key]
    (stats,) = dq.daily_statistics(services.views, DAY, DAY)
    assert (stats["stops"], stats["delivered"], stats["failed"], stats["unserved"]) == (3, 1, 1, 1)
    assert stats["quantity_delivered"] == 2


def test_an_open_stop_past_its_eta_is_late(services: Services) -> None:
    """Twenty minutes after the first ETA with nothing reported, that stop counts as late."""
    app = services.app
    plan, _, _ = meal_plan(app)
    app.publish_plan(plan, DISPATCHER)
    services.catch_up()
    (route,) = dq.progress(services.views, plan, now_s=17 * 3600 + 20 * 60)
    assert (route.open, route.late) == (2, 1)


def test_replanning_rewrites_routes_but_keeps_reported_outcomes(services: Services) -> None:
    """A re-plan moves stop 2 to van 1; stop 1's delivery report stays; a rebuild gives the same tables."""
    app = services.app
    plan, vans, stops = meal_plan(app)
    app.publish_plan(plan, DISPATCHER)
    app.report_stop(plan, stops[0].key, Outcome.DELIVERED, AT, "k1", DISPATCHER)
    services.catch_up()
    route = app.route_plan(plan).routes[0]
    kept = replace(route, stops=(stops[0],))
    moved = PlannedRoute(vans[1], route.depot_id, (stops[1],), 17 * 3600, 18 * 3600, 1000, 1800)
    app.replan(
        plan, (kept, moved), (UnservedStop(stops[2], "capacity"),), (stops[1].key,), {}, "Arıza", DISPATCHER
    )
    services.catch_up()
    by_key = {s.key: s for s in dq.plan_stops(services.views, plan)}
    assert by_key[stops[0].key].outcome == "delivered"
    assert by_key[stops[1].key].vehicle_id == vans[1]
    assert [s.key for s in dq.driver_stops(services.views, DAY, vans[1])] == [stops[1].key]
    live = {t: sorted(services.views.query(f"SELECT * FROM {t}"), key=repr) for t in TABLES}
    services.dispatch.rebuild()
    assert live == {t: sorted(services.views.query(f"SELECT * FROM {t}"), key=repr) for t in TABLES}


def test_plans_of_the_day_list_their_counts(services: Services) -> None:
    """The dispatcher's overview: one dinner plan with one route, two routed and one unserved stop."""
    meal_plan(services.app)
    services.catch_up()
    (row,) = dq.plans_on(services.views, DAY)
    assert (row.programme, row.round, row.status) == ("hot_meal", "dinner", "planned")
    assert (row.routes, row.routed_stops, row.unserved_stops) == (1, 2, 1)
    assert dq.plans_on(services.views, date(2026, 11, 21)) == []
