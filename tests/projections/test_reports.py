"""Published figures: applications, households and people served, meals and parcels, per district."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from api.bootstrap import Services
from domain.programmes import Programme
from domain.route_plan import PlannedRoute, Round, StopKind
from domain.stop_visit import FailureReason, Outcome
from domain.values import GeoPoint
from projections.report_queries import ReportRow, report
from projections.reports import TABLES
from tests.builders import CASEWORKER, DISPATCHER, applied, enrolled, register, young_family
from tests.dispatch_builders import DAY, kitchen_with_vans, meal_plan, stop
from tests.projections.test_asof import AT


def rows_by(rows: list[ReportRow]) -> dict[tuple[str, str], ReportRow]:
    return {(r.programme, r.district): r for r in rows}


def november(services: Services) -> dict[str, Any]:
    """Three meal stops (one delivered, one failed, one unserved), a parcel day, decisions in November."""
    app = services.app
    plan, _, stops = meal_plan(app)
    app.publish_plan(plan, DISPATCHER)
    app.report_stop(plan, stops[0].key, Outcome.DELIVERED, AT, "k1", DISPATCHER, receiver="Fatma")
    app.report_stop(plan, stops[1].key, Outcome.FAILED, AT, "k2", DISPATCHER, reason=FailureReason.NOT_HOME)
    family = register(app, young_family(), district="Ardeşen", neighbourhood="Fatih Mah.")
    parcel = enrolled(app, family, Programme.FOOD_PARCEL, decided=date(2026, 11, 3))
    rejected = applied(app, family, Programme.HOT_MEAL, date(2026, 11, 2))
    app.assess_application(rejected, "Ev ziyareti", date(2026, 11, 4), CASEWORKER)
    app.reject_application(rejected, "Kriter dışı", CASEWORKER, date(2026, 11, 5))
    depot, vans = kitchen_with_vans(app, vans=1)
    boxes = replace(stop(family, parcel, 10 * 3600), quantity=30, unit="kg", location=GeoPoint(41.1, 40.8))
    route = PlannedRoute(vans[0], depot, (boxes,), 9 * 3600, 12 * 3600, 30_000, 7200)
    parcels = app.record_plan(DAY, Programme.FOOD_PARCEL, Round.DAY, (route,), (), {"stops": 1}, DISPATCHER)
    app.publish_plan(parcels, DISPATCHER)
    app.report_stop(parcels, boxes.key, Outcome.DELIVERED, AT, "k3", DISPATCHER)
    services.catch_up()
    return {"family": family, "meal_household": stops[0].household_id}


def test_a_month_counts_applications_households_people_and_amounts(services: Services) -> None:
    """Only delivered stops count; parcels are counted from kilograms; totals sum the districts."""
    november(services)
    rows = rows_by(report(services.views, 2026, 11))
    meals = rows[("hot_meal", "Rize Merkez")]
    assert (meals.households_served, meals.people_served, meals.delivered, meals.unit) == (1, 1, 2, "meal")
    assert rows[("hot_meal", "Ardeşen")].applications_received == 1
    assert (rows[("hot_meal", "Ardeşen")].applications_assessed, rows[("hot_meal", "Ardeşen")].rejected) == (
        1,
        1,
    )
    parcels = rows[("food_parcel", "Ardeşen")]
    assert (parcels.approved, parcels.households_served, parcels.people_served, parcels.delivered) == (
        1,
        1,
        2,
        2,
    )
    total = rows[("hot_meal", "")]
    assert (total.households_served, total.delivered, total.rejected) == (1, 2, 1)
    assert report(services.views, 2026, 10) == []


def test_the_year_adds_up_the_months(services: Services) -> None:
    """Applications, decisions and amounts of the year are the sums of its twelve months."""
    november(services)
    months = [row for m in range(1, 13) for row in report(services.views, 2026, m)]
    for row in report(services.views, 2026):
        same = [m for m in months if (m.programme, m.district) == (row.programme, row.district)]
        for figure in ("applications_received", "applications_assessed", "approved", "rejected", "delivered"):
            assert getattr(row, figure) == sum(getattr(m, figure) for m in same), (row, figure)
    assert report(services.views, 2025) == []


def test_a_household_that_moves_later_is_counted_where_it_was_served(services: Services) -> None:
    """Moving to Ardeşen after the delivery leaves November's meal in Rize Merkez."""
    ids = november(services)
    services.app.move_household(
        ids["meal_household"], GeoPoint(41.2, 41.0), "Ardeşen", "Fatih Mah.", "Yeni adres", CASEWORKER
    )
    services.catch_up()
    rows = rows_by(report(services.views, 2026, 11))
    assert rows[("hot_meal", "Rize Merkez")].delivered == 2


def test_transport_counts_a_trip_per_passenger_dropped_off(services: Services) -> None:
    """A pickup and its drop-off make one trip, once the passenger is dropped off."""
    app = services.app
    depot, vans = kitchen_with_vans(app, vans=1)
    household = register(app)
    source = enrolled(app, household, Programme.HOT_MEAL)
    pickup = replace(
        stop(household, source, 9 * 3600, key="t/out/pickup"), kind=StopKind.PICKUP, unit="seat", quantity=1
    )
    dropoff = replace(
        stop(household, source, 9 * 3600 + 900, key="t/out/dropoff"),
        kind=StopKind.DROPOFF,
        unit="seat",
        quantity=1,
    )
    route = PlannedRoute(vans[0], depot, (pickup, dropoff), 8 * 3600, 11 * 3600, 10_000, 3600)
    plan = app.record_plan(
        DAY, Programme.ACCESSIBLE_TRANSPORT, Round.DAY, (route,), (), {"stops": 2}, DISPATCHER
    )
    app.publish_plan(plan, DISPATCHER)
    app.report_stop(plan, pickup.key, Outcome.PICKED_UP, AT, "p", DISPATCHER)
    app.report_stop(plan, dropoff.key, Outcome.DROPPED_OFF, AT, "d", DISPATCHER)
    services.catch_up()
    trips = rows_by(report(services.views, 2026, 11))[("accessible_transport", "")]
    assert (trips.delivered, trips.unit, trips.households_served) == (1, "trip", 1)


def test_the_report_view_equals_its_rebuild(services: Services) -> None:
    """Replaying the whole log gives the same tables as the live catch-up."""
    november(services)
    live = {t: sorted(services.views.query(f"SELECT * FROM {t}"), key=repr) for t in TABLES}
    services.reports.rebuild()
    assert {t: sorted(services.views.query(f"SELECT * FROM {t}"), key=repr) for t in TABLES} == live
