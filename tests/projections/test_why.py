"""Why was a household not served on a day: each obstacle from application to doorstep, from the events."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from api.bootstrap import Services
from api.wording import finding_text
from domain.errors import NotFound
from domain.programmes import Cadence, Entitlement, Programme
from domain.route_plan import Round
from domain.service import ISTANBUL, today_in_istanbul
from domain.stop_visit import FailureReason, Outcome
from projections.why import Finding, why_not_served
from tests.builders import CASEWORKER, DISPATCHER, applied, enrolled, register, young_family
from tests.dispatch_builders import DAY, meal_plan

AT = datetime(2026, 11, 20, 17, 5, tzinfo=ISTANBUL)


def why(services: Services, household: UUID, day: date, programme: str | None = "hot_meal") -> Finding:
    services.catch_up()
    (finding,) = why_not_served(services.app, services.views, household, day, programme)
    return finding


def test_a_household_registered_later_was_not_registered_yet(services: Services) -> None:
    """Registered today, asked about last week with no application: not registered yet."""
    household = register(services.app)
    finding = why(services, household, today_in_istanbul() - timedelta(days=7), None)
    assert finding.code == "not_registered_yet"
    assert "henüz kayıtlı değildi" in finding_text(finding)


def test_no_application_for_the_programme(services: Services) -> None:
    """A registered household that never applied for hot meals."""
    household = register(services.app)
    assert why(services, household, today_in_istanbul()).code == "no_application"


def test_a_pending_application_says_since_when(services: Services) -> None:
    """Applied on 1 September, not decided: pending, with the day it arrived."""
    household = register(services.app)
    applied(services.app, household, Programme.HOT_MEAL, date(2026, 9, 1))
    finding = why(services, household, date(2026, 9, 20))
    assert (finding.code, finding.params["received_on"]) == ("application_pending", "2026-09-01")


def test_a_rejection_gives_the_reason_who_and_when(services: Services) -> None:
    """The caseworker's reason and name appear in the Turkish and English answers."""
    household = register(services.app)
    application = applied(services.app, household, Programme.HOT_MEAL, date(2026, 9, 1))
    services.app.reject_application(application, "Gelir kriterin üzerinde", CASEWORKER, date(2026, 9, 5))
    finding = why(services, household, date(2026, 9, 20))
    assert finding.code == "application_rejected" and finding.params["by"] == "ayse.yilmaz"
    assert finding_text(finding) == (
        f"Sıcak yemek: Başvuru reddedildi: Gelir kriterin üzerinde (ayse.yilmaz, {finding.params['at']})."
    )
    assert finding_text(finding, "en").startswith("Hot meal") or "rejected" in finding_text(finding, "en")


def test_a_withdrawn_application(services: Services) -> None:
    """Withdrawn by the household, with the reason recorded."""
    household = register(services.app)
    application = applied(services.app, household, Programme.HOT_MEAL, date(2026, 9, 1))
    services.app.withdraw_application(application, "Başka ile taşındı", CASEWORKER)
    finding = why(services, household, today_in_istanbul())
    assert (finding.code, finding.params["reason"]) == ("application_withdrawn", "Başka ile taşındı")


def test_an_enrolment_that_starts_later(services: Services) -> None:
    """Approved with a start date after the day asked about."""
    household = register(services.app)
    enrolled(services.app, household, Programme.HOT_MEAL, start_date=date(2026, 10, 1))
    finding = why(services, household, date(2026, 9, 20))
    assert (finding.code, finding.params["start"]) == ("enrolment_not_started", "2026-10-01")


def test_an_ended_enrolment_and_one_whose_period_ran_out(services: Services) -> None:
    """Ended by a caseworker (reason, who) versus an end date given at approval."""
    app = services.app
    ended = register(app)
    app.end_enrolment(enrolled(app, ended, Programme.HOT_MEAL), date(2026, 10, 1), "Vefat", CASEWORKER)
    finding = why(services, ended, date(2026, 10, 5))
    assert (finding.code, finding.params["reason"], finding.params["on"]) == (
        "enrolment_ended",
        "Vefat",
        "2026-10-01",
    )
    expired = register(app)
    enrolled(app, expired, Programme.HOT_MEAL, end_date=date(2026, 9, 30))
    assert why(services, expired, date(2026, 10, 5)).code == "enrolment_period_over"


def test_a_suspension_gives_its_dates_reason_and_who(services: Services) -> None:
    """Suspended 1-10 October for a hospital stay: the 5th is inside, resumed pauses end early."""
    app = services.app
    household = register(app)
    enrolment = enrolled(app, household, Programme.HOT_MEAL)
    app.suspend_enrolment(enrolment, date(2026, 10, 1), "Hastanede", CASEWORKER, until=date(2026, 10, 10))
    app.resume_enrolment(enrolment, date(2026, 10, 7), CASEWORKER)
    finding = why(services, household, date(2026, 10, 5))
    assert (finding.code, finding.params["reason"], finding.params["until"]) == (
        "suspended",
        "Hastanede",
        "2026-10-06",
    )
    assert why(services, household, date(2026, 10, 8)).code == "no_plan"


def test_no_delivery_due_by_weekly_or_monthly_cadence(services: Services) -> None:
    """Milk on Tuesdays only; a monthly parcel only on its day of the month."""
    app = services.app
    family = register(app, young_family())
    weekly = Entitlement(Programme.MILK, 3, Cadence.WEEKLY, weekdays=(1,))
    enrolled(app, family, Programme.MILK, entitlement=weekly)
    assert why(services, family, date(2026, 11, 25), "milk").code == "not_due_weekly"  # a Wednesday
    assert why(services, family, date(2026, 11, 24), "milk").code == "no_plan"  # a Tuesday
    monthly = Entitlement(Programme.FOOD_PARCEL, 1, Cadence.MONTHLY, day_of_month=15)
    enrolled(app, family, Programme.FOOD_PARCEL, entitlement=monthly)
    finding = why(services, family, date(2026, 11, 16), "food_parcel")
    assert (finding.code, finding.params["day_of_month"]) == ("not_due_monthly", "15")


def test_transport_on_request_needs_a_booked_trip(services: Services) -> None:
    """Accessible transport is due only on days with a trip request."""
    from domain.values import Need

    household = register(services.app, needs=(Need.WHEELCHAIR_USER,))
    enrolled(services.app, household, Programme.ACCESSIBLE_TRANSPORT)
    assert why(services, household, DAY, "accessible_transport").code == "no_trip_booked"


def test_not_in_the_days_plan(services: Services) -> None:
    """A plan was made that day, but this household (enrolled since) is not in it."""
    meal_plan(services.app)
    household = register(services.app)
    enrolled(services.app, household, Programme.HOT_MEAL)
    assert why(services, household, DAY).code == "not_in_plan"


def test_planned_unassigned_unpublished_delivered_failed_and_unreported(services: Services) -> None:
    """Each stop of a plan tells its own story: the solver's reason, the publication, the driver's report."""
    app = services.app
    plan, _, stops = meal_plan(app, households=4)
    unserved = why(services, stops[-1].household_id, DAY)
    assert (unserved.code, unserved.params["reason"], unserved.params["round"]) == (
        "unassigned",
        "capacity",
        "dinner",
    )
    assert "Araç kapasitesi yetmiyor" in finding_text(unserved) and "Akşam yemeği" in finding_text(unserved)
    assert why(services, stops[0].household_id, DAY).code == "plan_not_published"
    app.publish_plan(plan, DISPATCHER)
    assert why(services, stops[0].household_id, DAY).code == "not_reported"
    app.report_stop(plan, stops[0].key, Outcome.DELIVERED, AT, "k1", DISPATCHER, receiver="Fatma")
    app.report_stop(plan, stops[1].key, Outcome.FAILED, AT, "k2", DISPATCHER, reason=FailureReason.NOT_HOME)
    delivered = why(services, stops[0].household_id, DAY)
    assert delivered.served and delivered.code == "delivered" and delivered.params["plate"] == "53 KPD 0"
    assert delivered.params["by"] == "hakan.sahin" and delivered.params["at"].startswith("2026-11-20T17:05")
    failed = why(services, stops[1].household_id, DAY)
    assert (failed.code, failed.params["reason"]) == ("delivery_failed", "not_home")
    assert "Evde yok" in finding_text(failed) and "Not at home (" in finding_text(failed, "en")
    assert Round.DINNER.value == unserved.params["round"]


def test_every_programme_is_answered_when_none_is_named(services: Services) -> None:
    """Without a programme, one finding per programme the household ever applied for."""
    household = register(services.app, young_family())
    enrolled(services.app, household, Programme.MILK)
    applied(services.app, household, Programme.FOOD_PARCEL, date(2026, 9, 1))
    services.catch_up()
    findings = why_not_served(services.app, services.views, household, date(2026, 9, 20))
    assert [f.programme for f in findings] == ["food_parcel", "milk"]


def test_an_unknown_household_is_refused(services: Services) -> None:
    """NotFound names the household."""
    with pytest.raises(NotFound, match="household"):
        why_not_served(services.app, services.views, uuid4(), DAY)
