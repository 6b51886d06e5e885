"""The application's life: submitted, assessed, then decided exactly once — or withdrawn."""

from datetime import date, datetime
from uuid import uuid4

import pytest

from domain.application import AidApplication, ApplicationStatus
from domain.errors import IllegalTransition, InvalidValue
from domain.programmes import Cadence, Entitlement, Programme
from domain.service import ISTANBUL
from domain.values import Channel
from tests.builders import CASEWORKER

MILK = Entitlement(Programme.MILK, 3, Cadence.WEEKLY, weekdays=(1,))


def submitted() -> AidApplication:
    arrived = datetime(2026, 9, 1, 10, 0, tzinfo=ISTANBUL)
    return AidApplication(uuid4(), Programme.MILK, Channel.WHATSAPP, arrived, "", CASEWORKER)


def assessed() -> AidApplication:
    application = submitted()
    application.assess("Ev ziyareti yapıldı", date(2026, 9, 3), CASEWORKER)
    return application


def test_an_assessed_application_can_be_approved_once() -> None:
    """Approval records the entitlement, date and enrolment it creates; a second decision is refused."""
    application = assessed()
    enrolment = uuid4()
    application.approve(MILK, date(2026, 9, 5), enrolment, "", CASEWORKER)
    assert application.status is ApplicationStatus.APPROVED and application.enrolment_id == enrolment
    with pytest.raises(IllegalTransition, match="already approved"):
        application.reject("late objection", date(2026, 9, 6), CASEWORKER)
    with pytest.raises(IllegalTransition):
        application.approve(MILK, date(2026, 9, 6), uuid4(), "", CASEWORKER)


def test_approval_needs_a_home_visit_first() -> None:
    """Without an assessment (sosyal inceleme) an application cannot be approved."""
    with pytest.raises(IllegalTransition, match="assessed"):
        submitted().approve(MILK, date(2026, 9, 5), uuid4(), "", CASEWORKER)


def test_a_rejected_application_cannot_be_approved_or_withdrawn() -> None:
    """Rejection is final: neither approval nor withdrawal applies afterwards."""
    application = assessed()
    application.reject("Gelir kriterin üzerinde", date(2026, 9, 5), CASEWORKER)
    with pytest.raises(IllegalTransition, match="rejected"):
        application.approve(MILK, date(2026, 9, 6), uuid4(), "", CASEWORKER)
    with pytest.raises(IllegalTransition):
        application.withdraw("changed mind", CASEWORKER)


def test_rejection_and_withdrawal_state_their_reason() -> None:
    """A negative decision without a reason is refused, naming the reason field."""
    with pytest.raises(InvalidValue) as refused:
        submitted().reject("  ", date(2026, 9, 5), CASEWORKER)
    assert refused.value.field == "reason"
    with pytest.raises(InvalidValue, match="reason"):
        submitted().withdraw("", CASEWORKER)


def test_an_open_application_can_be_withdrawn_but_not_assessed_afterwards() -> None:
    """Withdrawal closes the application; assessing it later is an illegal transition."""
    application = submitted()
    application.withdraw("Hane başvurusunu geri çekti", CASEWORKER)
    assert application.status is ApplicationStatus.WITHDRAWN
    with pytest.raises(IllegalTransition):
        application.assess("late visit", date(2026, 9, 9), CASEWORKER)


def test_dates_cannot_precede_the_application() -> None:
    """A visit or a decision before the application arrived is impossible."""
    with pytest.raises(InvalidValue, match="visited_on"):
        submitted().assess("visit", date(2026, 8, 30), CASEWORKER)
    with pytest.raises(InvalidValue, match="decided_on"):
        assessed().approve(MILK, date(2026, 9, 2), uuid4(), "", CASEWORKER)


def test_the_entitlement_must_be_for_the_programme_applied_for() -> None:
    """A milk application cannot be approved with a hot-meal entitlement."""
    meals = Entitlement(Programme.HOT_MEAL, 1, Cadence.DAILY, meals=("dinner",))
    with pytest.raises(InvalidValue, match=r"entitlement\.programme"):
        assessed().approve(meals, date(2026, 9, 5), uuid4(), "", CASEWORKER)


def test_every_event_records_the_actor() -> None:
    """The audit trail names who did each step."""
    application = assessed()
    events = application.collect_events()
    assert [type(e).__name__ for e in events] == ["Submitted", "Assessed"]
    assert all(e.actor == CASEWORKER for e in events)  # type: ignore[attr-defined]
