"""Read models after an erasure: personal rows gone or blank, live and rebuilt alike; statistics unchanged;
the retention review lists households exactly past the period."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from api.bootstrap import Services
from domain.programmes import Programme
from domain.service import ISTANBUL, Kapida
from domain.stop_visit import Outcome
from domain.values import ERASED, Actor, GeoPoint, LegalBasis, Need, Role
from projections import dispatch_queries as dq
from projections import queries
from projections.caseload import TABLES as CASELOAD_TABLES
from projections.dispatch import TABLES as DISPATCH_TABLES
from projections.household_index import PERSONAL_TABLES as INDEX_TABLES
from projections.retention import months_before, retention_due
from tests.builders import CASEWORKER, DISPATCHER, applied, enrolled, register
from tests.dispatch_builders import DAY, meal_plan

MANAGER = Actor("elif.aydin", Role.MANAGER)
HOSPITAL = GeoPoint(41.0300, 40.5100)


def everything(services: Services) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every read-model table, sorted, for comparing a live view with a rebuilt one."""
    return {
        table: sorted(services.views.query(f"SELECT * FROM {table}"), key=repr)
        for table in (*CASELOAD_TABLES, *DISPATCH_TABLES, *INDEX_TABLES)
    }


def statistics(services: Services) -> tuple[Any, ...]:
    """What the municipality reports: caseloads on past days, decisions by month, the day's deliveries,
    and people per district."""
    views = services.views
    return (
        queries.caseload(views, date(2026, 10, 15)),
        queries.caseload(views, DAY),
        queries.decisions_by_month(views),
        dq.daily_statistics(views, DAY, DAY),
        views.query("SELECT district, COUNT(*), SUM(members) FROM cl_households GROUP BY district"),
    )


def rider(app: Kapida) -> UUID:
    """A wheelchair user enrolled in accessible transport with a hospital trip booked."""
    household = register(app, needs=(Need.WHEELCHAIR_USER,))
    enrolled(app, household, Programme.ACCESSIBLE_TRANSPORT)
    app.request_trip(household, DAY, HOSPITAL, "Rize Devlet Hastanesi Diyaliz", time(10, 30), CASEWORKER)
    return household


def served_and_erased(services: Services) -> tuple[UUID, UUID, UUID, UUID]:
    """Three meal households (two routed, one unserved) and a rider; the first meal household paused
    once, had a delivery with a receiver's name, then it and the rider are erased."""
    app = services.app
    plan, _, stops = meal_plan(app)
    erased, kept = stops[0].household_id, stops[1].household_id
    pause = app.household(erased).active_enrolments[Programme.HOT_MEAL]
    app.suspend_enrolment(pause, date(2026, 10, 1), "Hastanede", CASEWORKER, date(2026, 10, 3))
    app.publish_plan(plan, DISPATCHER)
    at = datetime.now(ISTANBUL) - timedelta(minutes=5)
    app.report_stop(
        plan, stops[0].key, Outcome.DELIVERED, at, "r1", DISPATCHER, "Komşu Ayşe", note="zil bozuk"
    )
    trip_user = rider(app)
    services.catch_up()
    return plan, erased, kept, trip_user


def test_erasure_removes_personal_rows_and_a_rebuild_yields_the_same(services: Services) -> None:
    """Contact row deleted; location, needs, pause reason, receiver, note and trip details blank; the
    other households untouched; a full rebuild afterwards gives exactly the same tables."""
    plan, erased, kept, trip_user = served_and_erased(services)
    for household in (erased, trip_user):
        services.app.erase_household(household, LegalBasis.KVKK_ARTICLE_7, "amaç sona erdi", MANAGER, True)
    services.catch_up()
    views = services.views
    assert views.query(
        "SELECT COUNT(*) FROM cl_contacts WHERE household_id IN (?, ?)", (erased.hex, trip_user.hex)
    ) == [(0,)]
    assert views.query("SELECT name FROM cl_contacts WHERE household_id=?", (kept.hex,)) == [
        ("Fatma Kalkavan",)
    ]
    assert views.query(
        "SELECT lat, lon, needs, erased FROM cl_households WHERE household_id=?", (trip_user.hex,)
    ) == [(None, None, "", 1)]
    assert views.query("SELECT reason FROM cl_suspensions") == [(ERASED,)]
    assert views.query("SELECT outcome, receiver, note FROM dp_outcomes WHERE receiver IS NOT NULL") == [
        ("delivered", ERASED, ERASED)
    ]
    assert views.query("SELECT pickup_lat, destination_lat, destination_name FROM dp_trips") == [
        (None, None, ERASED)
    ]
    assert dq.trips_on(views, DAY) == []
    (stop,) = [s for s in dq.plan_stops(views, plan) if s.household_id == erased]
    assert (stop.name, stop.phone, stop.address, stop.needs) == ("", "", "", ())
    for table in INDEX_TABLES:  # the import helper's national-id index and members
        assert views.query(f"SELECT COUNT(*) FROM {table} WHERE household_id=?", (erased.hex,)) == [(0,)]
    live = everything(services)
    services.rebuild()
    assert everything(services) == live


def test_statistics_are_the_same_before_and_after_erasure(services: Services) -> None:
    """Caseloads of past days, decisions per month, the day's deliveries and people per district do not
    change when households are erased (their enrolments ended the day before)."""
    _, erased, _, trip_user = served_and_erased(services)
    for household in (erased, trip_user):
        for enrolment in services.app.household(household).active_enrolments.values():
            services.app.end_enrolment(enrolment, date(2026, 10, 31), "taşındı", CASEWORKER)
    services.catch_up()
    before = statistics(services)
    for household in (erased, trip_user):
        services.app.erase_household(household, LegalBasis.PURPOSE_ENDED, "taşındı", MANAGER)
    services.catch_up()
    assert statistics(services) == before
    services.rebuild()
    assert statistics(services) == before


def test_the_retention_review_lists_households_just_past_the_period(services: Services) -> None:
    """With 24 months on 2026-11-01: an enrolment ended 2024-10-31 is due, one ended 2024-11-01 is not,
    nor one with an open application, an erased one, or one still enrolled."""
    app = services.app
    today, months = date(2026, 11, 1), 24
    assert months_before(today, months) == date(2024, 11, 1)
    due, boundary, reapplied, erased, running = (register(app) for _ in range(5))
    for household, last_day in ((due, 31), (boundary, 1), (reapplied, 31), (erased, 31)):
        enrolment = enrolled(app, household, Programme.HOT_MEAL, decided=date(2024, 9, 10))
        end = date(2024, 10, 31) if last_day == 31 else date(2024, 11, 1)
        app.end_enrolment(enrolment, end, "amaç sona erdi", CASEWORKER)
    enrolled(app, running, Programme.HOT_MEAL, decided=date(2024, 9, 10))
    applied(app, reapplied, Programme.MILK, on=date(2026, 9, 1))
    app.erase_household(erased, LegalBasis.PURPOSE_ENDED, "süre doldu", MANAGER)
    services.catch_up()
    rows = retention_due(services.views, today, months)
    assert [r.household_id for r in rows] == [due]
    assert (rows[0].last_enrolment_end, rows[0].last_decision) == ("2024-10-31", "2024-09-10")
    assert [
        r.household_id for r in retention_due(services.views, today + timedelta(days=1), months)
    ] == sorted([due, boundary], key=lambda h: h.hex)


def test_months_before_clamps_to_the_end_of_shorter_months() -> None:
    """31 March minus one month is the last day of February; whole years keep the day."""
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2024, 3, 31), 1) == date(2024, 2, 29)
    assert months_before(date(2026, 11, 21), 24) == date(2024, 11, 21)
