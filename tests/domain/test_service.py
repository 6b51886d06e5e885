"""Commands of the case-management application, on SQLite and PostgreSQL: all or nothing, with the actor."""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from uuid import uuid4

import pytest

from api.bootstrap import Services
from domain.errors import (
    Conflict,
    DomainError,
    IllegalTransition,
    InvalidValue,
    NotEligible,
    NotFound,
    PermissionDenied,
)
from domain.fleet import DepotKind, VehicleKind
from domain.programmes import Programme
from domain.service import ISTANBUL, Kapida, today_in_istanbul
from domain.values import Channel, Need
from tests.builders import (
    CASEWORKER,
    DISPATCHER,
    DRIVER,
    RIZE,
    applied,
    enrolled,
    personal,
    register,
    young_family,
)


def event_count(app: Kapida) -> int:
    return app.recorder.max_notification_id() or 0


def test_approval_enrols_the_household_and_closes_the_application_in_one_write(services: Services) -> None:
    """Application, enrolment and household change together: their events are consecutive in the log."""
    app = services.app
    household = register(app, young_family())
    application = applied(app, household, Programme.MILK)
    app.assess_application(application, "Ev ziyareti yapıldı", date(2026, 9, 2), CASEWORKER)
    before = event_count(app)
    enrolment = app.approve_application(application, CASEWORKER, decided_on=date(2026, 9, 5))
    written = app.recorder.select_notifications(start=before, limit=10, inclusive_of_start=False)
    assert {n.originator_id for n in written} == {application, enrolment, household}
    assert [n.id for n in written] == list(range(before + 1, before + 1 + len(written)))
    assert app.household(household).active_enrolments == {Programme.MILK: enrolment}
    assert app.enrolment(enrolment).end_date == date(2030, 2, 9)


def refusals(app: Kapida) -> list[tuple[str, Callable[[], object], type[DomainError]]]:
    household = register(app, young_family())
    pending = applied(app, household, Programme.MILK)
    elderly_home = register(app)
    ineligible = applied(app, elderly_home, Programme.MILK)
    app.assess_application(ineligible, "Ziyaret", date(2026, 9, 2), CASEWORKER)
    future = today_in_istanbul() + timedelta(days=3)
    return [
        ("unknown household", lambda: applied(app, uuid4(), Programme.MILK), NotFound),
        (
            "unknown application",
            lambda: app.assess_application(uuid4(), "x", date(2026, 9, 2), CASEWORKER),
            NotFound,
        ),
        ("approve before visit", lambda: app.approve_application(pending, CASEWORKER), IllegalTransition),
        ("ineligible household", lambda: app.approve_application(ineligible, CASEWORKER), NotEligible),
        ("duplicate application", lambda: applied(app, household, Programme.MILK), Conflict),
        (
            "decision in the future",
            lambda: app.reject_application(pending, "x", CASEWORKER, future),
            InvalidValue,
        ),
        (
            "visit in 1900",
            lambda: app.assess_application(pending, "x", date(1900, 1, 1), CASEWORKER),
            InvalidValue,
        ),
        (
            "application from the future",
            lambda: app.submit_application(
                household,
                Programme.FOOD_PARCEL,
                Channel.WEB,
                CASEWORKER,
                datetime.now(ISTANBUL) + timedelta(days=2),
            ),
            InvalidValue,
        ),
        (
            "driver registering a household",
            lambda: app.register_household(
                personal(), RIZE, "Rize Merkez", "Tophane Mah.", young_family(), (), DRIVER
            ),
            PermissionDenied,
        ),
        (
            "caseworker registering a vehicle",
            lambda: app.register_vehicle(
                "53 A 1",
                VehicleKind.VAN,
                {"meal_containers": 10},
                (datetime.min.time(), datetime.max.time()),
                uuid4(),
                False,
                CASEWORKER,
            ),
            PermissionDenied,
        ),
    ]


def test_refused_commands_write_nothing_and_name_the_problem(services: Services) -> None:
    """Every refusal raises a domain error with a message, and the log is unchanged afterwards."""
    app = services.app
    for label, command, error in refusals(app):
        before = event_count(app)
        with pytest.raises(error) as refused:
            command()
        assert refused.value.message, label
        assert event_count(app) == before, f"{label} wrote events"


def test_a_concurrent_change_is_a_conflict_not_an_overwrite(services: Services) -> None:
    """Two caseworkers deciding the same application at once: the second save is refused."""
    app = services.app
    application = applied(app, register(app, young_family()), Programme.MILK)
    first, second = app.aid_application(application), app.aid_application(application)
    first.withdraw("Hane vazgeçti", CASEWORKER)
    app._save(first)
    second.assess("Ziyaret", date(2026, 9, 2), CASEWORKER)
    with pytest.raises(Conflict, match="same time"):
        app._save(second)
    assert app.aid_application(application).status == "withdrawn"


def test_after_an_enrolment_ends_the_household_may_apply_again(services: Services) -> None:
    """The one-active-enrolment rule releases the programme when the enrolment ends."""
    app = services.app
    household = register(app, young_family())
    enrolment = enrolled(app, household, Programme.MILK)
    with pytest.raises(Conflict):
        applied(app, household, Programme.MILK, date(2026, 10, 1))
    app.end_enrolment(enrolment, date(2026, 10, 31), "Başka ile taşındı", CASEWORKER)
    applied(app, household, Programme.MILK, date(2026, 11, 1))


def test_fleet_commands_check_the_depot_and_the_shift(services: Services) -> None:
    """Vehicles belong to an open depot and work a shift that ends after it starts."""
    app = services.app
    depot = app.register_depot(
        "Merkez Aşevi", DepotKind.CENTRAL_KITCHEN, RIZE, "Rize Merkez", "Tophane Mah.", DISPATCHER
    )
    morning, evening = datetime(2026, 1, 1, 7).time(), datetime(2026, 1, 1, 19).time()
    with pytest.raises(InvalidValue, match="shift"):
        app.register_vehicle(
            "53 KPD 1", VehicleKind.VAN, {"meal_containers": 40}, (evening, morning), depot, False, DISPATCHER
        )
    with pytest.raises(InvalidValue, match=r"capacities\.litres"):
        app.register_vehicle(
            "53 KPD 1", VehicleKind.VAN, {"litres": 40}, (morning, evening), depot, False, DISPATCHER
        )
    van = app.register_vehicle(
        "53 kpd 1", VehicleKind.VAN, {"meal_containers": 40}, (morning, evening), depot, False, DISPATCHER
    )
    app.take_vehicle_out_of_service(van, "Arıza", DISPATCHER)
    with pytest.raises(IllegalTransition):
        app.take_vehicle_out_of_service(van, "Arıza", DISPATCHER)
    assert app.vehicle(van).plate == "53 KPD 1" and not app.vehicle(van).in_service
    app.close_depot(depot, "Taşındı", DISPATCHER)
    with pytest.raises(Conflict, match="closed"):
        app.register_vehicle(
            "53 KPD 2", VehicleKind.VAN, {"meal_containers": 40}, (morning, evening), depot, False, DISPATCHER
        )


def test_needs_and_members_can_change_and_are_replayed(services: Services) -> None:
    """A household's later changes are events; loading it again gives the changed state."""
    app = services.app
    household = register(app)
    app.change_needs(household, (Need.COELIAC, Need.COELIAC, Need.DIABETIC), CASEWORKER)
    assert app.household(household).needs == {Need.COELIAC, Need.DIABETIC}
    assert [type(e).__name__ for e in app.events_of(household)] == ["Registered", "NeedsChanged"]


def test_a_new_phone_number_reaches_the_contact_list_and_a_bad_one_is_refused(services: Services) -> None:
    """Changing the contact is an event the read model follows; a short phone is refused, writing nothing."""
    app = services.app
    household = register(app)
    app.change_contact(household, "Fatma Kalkavan", "0544 987 65 43", CASEWORKER)
    before = event_count(app)
    with pytest.raises(InvalidValue, match="phone"):
        app.change_contact(household, "Fatma Kalkavan", "123", CASEWORKER)
    assert event_count(app) == before
    services.catch_up()
    assert services.views.query("SELECT phone FROM cl_contacts WHERE household_id=?", (household.hex,)) == [
        ("0544 987 65 43",)
    ]
