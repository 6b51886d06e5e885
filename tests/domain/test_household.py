"""The household guards one open application and one active enrolment per programme."""

from uuid import uuid4

import pytest

from domain.errors import Conflict, IllegalTransition
from domain.household import Household
from domain.programmes import Programme
from domain.values import Need
from tests.builders import CASEWORKER, RIZE, elderly, personal


def household() -> Household:
    return Household(personal(), RIZE, "Rize Merkez", "Tophane Mah.", elderly(), (Need.DIABETIC,), CASEWORKER)


def test_a_second_open_application_for_the_same_programme_is_a_conflict() -> None:
    """Two open hot-meal applications for one household would be decided twice."""
    home = household()
    home.open_application(Programme.HOT_MEAL, uuid4(), CASEWORKER)
    with pytest.raises(Conflict, match="open hot_meal application"):
        home.open_application(Programme.HOT_MEAL, uuid4(), CASEWORKER)
    home.open_application(Programme.FOOD_PARCEL, uuid4(), CASEWORKER)


def test_one_active_enrolment_per_programme() -> None:
    """A household enrolled in milk cannot be enrolled again, nor apply again, until the first ends."""
    home = household()
    first = uuid4()
    home.link_enrolment(Programme.MILK, first, CASEWORKER)
    with pytest.raises(Conflict):
        home.link_enrolment(Programme.MILK, uuid4(), CASEWORKER)
    with pytest.raises(Conflict, match="already enrolled"):
        home.open_application(Programme.MILK, uuid4(), CASEWORKER)
    home.unlink_enrolment(Programme.MILK, first, CASEWORKER)
    home.link_enrolment(Programme.MILK, uuid4(), CASEWORKER)


def test_closing_an_application_that_is_not_open_is_refused() -> None:
    """Only the open application of a programme can be closed."""
    with pytest.raises(IllegalTransition):
        household().close_application(Programme.MILK, uuid4(), CASEWORKER)


def test_moving_changes_the_area_and_the_address_text_only() -> None:
    """A move keeps name and phone and updates place, district and neighbourhood."""
    home = household()
    home.move(RIZE, "Güneysu", "Merkez Mah.", "Yeni adres 3", CASEWORKER)
    assert (home.district, home.neighbourhood, home.personal.address_text) == (
        "Güneysu",
        "Merkez Mah.",
        "Yeni adres 3",
    )
    assert home.personal.name == personal().name
