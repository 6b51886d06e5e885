"""The enrolment's pauses and end, and the manifest rule it implies."""

from datetime import date
from uuid import uuid4

import pytest

from domain.enrolment import Enrolment
from domain.errors import IllegalTransition, InvalidValue
from domain.programmes import Cadence, Entitlement, Programme
from tests.builders import CASEWORKER

MEALS = Entitlement(Programme.HOT_MEAL, 2, Cadence.DAILY, meals=("breakfast", "dinner"))


def running(end: date | None = None) -> Enrolment:
    return Enrolment(uuid4(), Programme.HOT_MEAL, uuid4(), MEALS, date(2026, 9, 1), end, CASEWORKER)


def test_a_suspension_stops_deliveries_until_resumed() -> None:
    """Suspended from the 10th, resumed on the 20th: nothing is due from the 10th to the 19th."""
    enrolment = running()
    enrolment.suspend(date(2026, 10, 10), None, "Hastanede", CASEWORKER)
    assert not enrolment.is_due_on(date(2026, 10, 25))
    enrolment.resume(date(2026, 10, 20), CASEWORKER)
    assert enrolment.is_due_on(date(2026, 10, 9))
    assert not enrolment.is_due_on(date(2026, 10, 10)) and not enrolment.is_due_on(date(2026, 10, 19))
    assert enrolment.is_due_on(date(2026, 10, 20))


def test_a_suspension_with_a_return_date_ends_by_itself() -> None:
    """A pause known to last until the 15th needs no resume command."""
    enrolment = running()
    enrolment.suspend(date(2026, 10, 10), date(2026, 10, 15), "Seyahatte", CASEWORKER)
    assert not enrolment.is_due_on(date(2026, 10, 15))
    assert enrolment.is_due_on(date(2026, 10, 16))


def test_overlapping_suspensions_are_refused() -> None:
    """An enrolment already paused cannot be paused again over the same days."""
    enrolment = running()
    enrolment.suspend(date(2026, 10, 10), date(2026, 10, 20), "Hastanede", CASEWORKER)
    with pytest.raises(IllegalTransition, match="already suspended"):
        enrolment.suspend(date(2026, 10, 15), None, "Seyahatte", CASEWORKER)
    enrolment.suspend(date(2026, 10, 21), None, "Seyahatte", CASEWORKER)


def test_resuming_an_active_enrolment_is_refused() -> None:
    """Resume only applies to a paused enrolment."""
    with pytest.raises(IllegalTransition, match="not suspended"):
        running().resume(date(2026, 10, 1), CASEWORKER)


def test_a_suspension_cannot_start_before_the_enrolment_or_end_before_it_starts() -> None:
    """Impossible pause dates are refused naming the field."""
    with pytest.raises(InvalidValue, match="start"):
        running().suspend(date(2026, 8, 1), None, "x", CASEWORKER)
    with pytest.raises(InvalidValue, match="until"):
        running().suspend(date(2026, 10, 10), date(2026, 10, 1), "x", CASEWORKER)
    with pytest.raises(InvalidValue, match="reason"):
        running().suspend(date(2026, 10, 10), None, " ", CASEWORKER)


def test_an_ended_enrolment_delivers_nothing_after_its_last_day_and_refuses_changes() -> None:
    """Ending is final: later suspensions, resumptions and a second end are refused."""
    enrolment = running()
    enrolment.end(date(2026, 10, 31), "Başka ile taşındı", CASEWORKER)
    assert enrolment.is_due_on(date(2026, 10, 31)) and not enrolment.is_due_on(date(2026, 11, 1))
    for attempt in (
        lambda: enrolment.end(date(2026, 11, 5), "again", CASEWORKER),
        lambda: enrolment.suspend(date(2026, 11, 5), None, "x", CASEWORKER),
        lambda: enrolment.change_entitlement(MEALS, "x", CASEWORKER),
    ):
        with pytest.raises(IllegalTransition, match="ended"):
            attempt()


def test_an_end_date_set_at_approval_is_kept_when_ended_later() -> None:
    """Ending after the planned last day does not extend the enrolment."""
    enrolment = running(end=date(2026, 10, 15))
    enrolment.end(date(2026, 10, 31), "Süre doldu", CASEWORKER)
    assert enrolment.end_date == date(2026, 10, 15)


def test_nothing_is_due_before_the_start_date() -> None:
    """Deliveries begin on the start date."""
    enrolment = running()
    assert not enrolment.is_due_on(date(2026, 8, 31)) and enrolment.is_due_on(date(2026, 9, 1))


def test_the_entitlement_can_change_but_not_its_programme() -> None:
    """A new child changes the milk litres; switching programme is refused."""
    enrolment = running()
    enrolment.change_entitlement(
        Entitlement(Programme.HOT_MEAL, 3, Cadence.DAILY, meals=("dinner",)), "yeni üye", CASEWORKER
    )
    assert enrolment.entitlement.quantity == 3
    with pytest.raises(InvalidValue, match="programme"):
        enrolment.change_entitlement(
            Entitlement(Programme.MILK, 3, Cadence.WEEKLY, weekdays=(1,)), "x", CASEWORKER
        )
