"""A record's history: every event in order with actor, role, reason and a summary free of personal data."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from api.bootstrap import Services
from domain.errors import NotFound
from domain.programmes import Programme
from domain.stop_visit import FailureReason, Outcome
from domain.values import Need
from projections.history import history
from tests.builders import CASEWORKER, DISPATCHER, applied, enrolled, register
from tests.dispatch_builders import meal_plan
from tests.projections.test_asof import AT


def test_a_households_history_includes_its_cases_in_time_order(services: Services) -> None:
    """Registration, application, decision and enrolment events, oldest first, each with who and why."""
    app = services.app
    household = register(app)
    enrolment = enrolled(app, household, Programme.HOT_MEAL)
    rejected = applied(app, household, Programme.FOOD_PARCEL)
    app.reject_application(rejected, "Gelir kriterin üzerinde", CASEWORKER, date(2026, 9, 5))
    app.suspend_enrolment(enrolment, date(2026, 12, 1), "Hastanede", CASEWORKER, until=date(2026, 12, 9))
    services.catch_up()
    entries = history(app, services.views, household)
    events = [e.event for e in entries]
    assert events[0] == "Household.Registered" and "Enrolment.Suspended" in events
    assert [e.at for e in entries] == sorted(e.at for e in entries)
    (rejection,) = [e for e in entries if e.event == "AidApplication.Rejected"]
    assert (rejection.actor, rejection.role, rejection.reason) == (
        "ayse.yilmaz",
        "caseworker",
        "Gelir kriterin üzerinde",
    )
    assert rejection.record_id == rejected
    (suspension,) = [e for e in entries if e.event == "Enrolment.Suspended"]
    assert "start=2026-12-01" in suspension.summary and "until=2026-12-09" in suspension.summary
    only_household = history(app, services.views, household, related=False)
    assert {e.record for e in only_household} == {"Household"}


def test_summaries_leave_names_phones_and_addresses_out(services: Services) -> None:
    """The registration summary counts members and names the district, never the person or the needs."""
    household = register(services.app, needs=(Need.DIABETIC,))
    services.catch_up()
    (registered,) = history(services.app, services.views, household, related=False)
    assert "members=1" in registered.summary and "district=Rize Merkez" in registered.summary
    assert "needs" not in registered.summary
    for secret in ("Fatma", "Kalkavan", "0532", "Cumhuriyet", "41.0201"):
        assert secret not in registered.summary


def test_a_stop_visits_history_shows_the_drivers_failure_reason(services: Services) -> None:
    """Dispatched, then failed with the driver's reason: the stop's trail and the household's both show it."""
    app = services.app
    plan, _, stops = meal_plan(app)
    app.publish_plan(plan, DISPATCHER)
    app.report_stop(plan, stops[0].key, Outcome.FAILED, AT, "k1", DISPATCHER, reason=FailureReason.NOT_HOME)
    services.catch_up()
    trail = history(app, services.views, stops[0].household_id)
    (failed,) = [e for e in trail if e.event == "StopVisit.Reported"]
    assert failed.reason == "not_home" and "outcome=failed" in failed.summary
    plan_trail = history(app, services.views, plan)
    assert [e.event for e in plan_trail] == ["RoutePlan.Planned", "RoutePlan.Published"]
    assert "routes=1" in plan_trail[0].summary and "unserved=1" in plan_trail[0].summary


def test_an_unknown_record_is_refused(services: Services) -> None:
    """NotFound names the record."""
    with pytest.raises(NotFound, match="record"):
        history(services.app, services.views, uuid4())
