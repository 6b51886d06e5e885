"""Value objects refuse what cannot be true and say which field is wrong."""

from datetime import date

import pytest

from domain.errors import InvalidValue
from domain.values import (
    Actor,
    GeoPoint,
    Member,
    PersonalDetails,
    Role,
    check_members,
    check_personal_details,
    is_valid_tc_kimlik,
)


def test_tc_kimlik_numbers_pass_only_with_both_check_digits() -> None:
    """The official checksum accepts a valid number; a typo, a leading zero or letters fail."""
    assert is_valid_tc_kimlik("10000000146")
    assert not is_valid_tc_kimlik("10000000147")
    assert not is_valid_tc_kimlik("01000000146")
    assert not is_valid_tc_kimlik("1000000014a")
    assert not is_valid_tc_kimlik("1000000014")


@pytest.mark.parametrize(("lat", "lon", "field"), [(1.0, 40.5, "location.lat"), (41.0, 80.0, "location.lon")])
def test_points_outside_turkiye_are_refused_naming_the_coordinate(lat: float, lon: float, field: str) -> None:
    """A coordinate outside Türkiye is a typing mistake and is refused with the coordinate's name."""
    with pytest.raises(InvalidValue) as refused:
        GeoPoint(lat, lon)
    assert refused.value.field == field


def test_a_point_that_is_not_a_number_is_refused() -> None:
    """NaN coordinates never reach the map."""
    with pytest.raises(InvalidValue, match=r"location\.lat"):
        GeoPoint(float("nan"), 40.5)


def test_ages_count_completed_years_and_months() -> None:
    """A child born on 10 Feb 2025 is 20 months old on 9 Nov 2026 and 21 on 10 Nov 2026."""
    child = Member("Can", date(2025, 2, 10))
    assert child.age_in_months_on(date(2026, 11, 9)) == 20
    assert child.age_in_months_on(date(2026, 11, 10)) == 21
    assert Member("Fatma", date(1948, 3, 14)).age_on(date(2013, 3, 13)) == 64


def test_members_born_in_the_future_or_before_1900_are_refused() -> None:
    """Birth dates are checked member by member, and the message names which one."""
    with pytest.raises(InvalidValue, match=r"members\[1\].birth_date"):
        check_members((Member("A", date(1980, 1, 1)), Member("B", date(1899, 12, 31))), date(2026, 1, 1))
    with pytest.raises(InvalidValue, match="members"):
        check_members((), date(2026, 1, 1))


def test_personal_details_need_a_callable_phone_and_a_valid_national_id() -> None:
    """A phone without ten digits or a national id failing its checksum is refused by name."""
    with pytest.raises(InvalidValue, match="phone"):
        check_personal_details(PersonalDetails("Ali", "123", "Adres"))
    with pytest.raises(InvalidValue, match="national_id"):
        check_personal_details(PersonalDetails("Ali", "0532 123 45 67", "Adres", "12345678901"))
    check_personal_details(PersonalDetails("Ali", "0532 123 45 67", "Adres", "10000000146"))


def test_an_actor_needs_a_name_and_a_known_role() -> None:
    """Every command records who acted; an empty user or unknown role is refused."""
    with pytest.raises(InvalidValue, match="actor"):
        Actor(" ", Role.CASEWORKER)
    with pytest.raises(ValueError):
        Actor("ayse", "janitor")  # type: ignore[arg-type]
