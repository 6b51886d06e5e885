"""The event store's contract, identical on SQLite and PostgreSQL (the `database` fixture runs both)."""

from datetime import date, time

import pytest

from domain.database import Database
from domain.errors import Conflict
from domain.programmes import Cadence, Entitlement, Programme
from domain.service import Kapida
from domain.values import GeoPoint, Need
from projections.sql import ViewDatabase
from tests.builders import CASEWORKER, enrolled, register, young_family


@pytest.fixture
def app(database: Database) -> Kapida:
    ViewDatabase(database).close()  # creates the PostgreSQL schema, as bootstrap does
    return Kapida(env=database.eventsourcing_env())


def test_value_objects_survive_a_round_trip(app: Kapida) -> None:
    """Members, needs, places, times and entitlements come back equal after being stored and reloaded."""
    household = register(app, young_family(), (Need.WHEELCHAIR_USER,))
    trip = Entitlement(
        Programme.ACCESSIBLE_TRANSPORT,
        1,
        Cadence.WEEKLY,
        weekdays=(0, 2, 4),
        wheelchair_place=True,
        destination=GeoPoint(41.03, 40.51),
        appointment=time(9, 30),
    )
    enrolment = enrolled(app, household, Programme.ACCESSIBLE_TRANSPORT, entitlement=trip)
    reloaded = Kapida(env=app.env)
    assert reloaded.household(household).members == young_family()
    assert reloaded.household(household).needs == {Need.WHEELCHAIR_USER}
    assert reloaded.enrolment(enrolment).entitlement == trip
    assert reloaded.enrolment(enrolment).start_date == date(2026, 9, 10)


def test_notifications_come_in_commit_order_without_gaps(app: Kapida) -> None:
    """Projections rely on reading the log in order from a position."""
    for _ in range(3):
        register(app)
    notifications = app.recorder.select_notifications(start=1, limit=10)
    assert [n.id for n in notifications] == [1, 2, 3]
    assert [n.id for n in app.recorder.select_notifications(start=1, limit=10, inclusive_of_start=False)] == [
        2,
        3,
    ]


def test_a_save_with_one_stale_aggregate_writes_none_of_its_aggregates(app: Kapida) -> None:
    """Saving several aggregates is atomic: a version conflict in one leaves the others unwritten too."""
    first = register(app)
    stale = app.household(first)
    app.change_needs(first, (Need.DIABETIC,), CASEWORKER)
    stale.change_needs((Need.BEDRIDDEN,), CASEWORKER)
    fresh = app.household(register(app))
    fresh.change_needs((Need.COELIAC,), CASEWORKER)
    before = app.recorder.max_notification_id()
    with pytest.raises(Conflict):
        app._save(fresh, stale)
    assert app.recorder.max_notification_id() == before
    assert app.household(fresh.id).needs == frozenset()
