"""The programme catalogue's eligibility rules, entitlement limits and delivery cadences."""

from dataclasses import replace
from datetime import date

import pytest

from domain.errors import InvalidValue, NotEligible
from domain.programmes import (
    Cadence,
    Entitlement,
    Programme,
    check_eligible,
    check_entitlement,
    default_entitlement,
    milk_end_date,
)
from domain.values import Member, Need

ON = date(2026, 11, 21)
ADULT = Member("Elif", date(1990, 1, 1))
BABY = Member("Can", date(2025, 2, 10))
GRANDMOTHER = Member("Fatma", date(1948, 3, 14))


def test_milk_needs_a_child_under_the_age_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """A household with a 21-month-old qualifies; once the limit is lowered to 12 months it does not."""
    check_eligible(Programme.MILK, (ADULT, BABY), frozenset(), ON)
    monkeypatch.setenv("KAPIDA_MILK_AGE_LIMIT_MONTHS", "12")
    with pytest.raises(NotEligible, match="12 months"):
        check_eligible(Programme.MILK, (ADULT, BABY), frozenset(), ON)


def test_gluten_free_parcels_need_the_coeliac_need() -> None:
    """Çölyak desteği is only for households with a recorded coeliac diagnosis."""
    with pytest.raises(NotEligible) as refused:
        check_eligible(Programme.GLUTEN_FREE, (ADULT,), frozenset({Need.DIABETIC}), ON)
    assert refused.value.field == "needs"
    check_eligible(Programme.GLUTEN_FREE, (ADULT,), frozenset({Need.COELIAC}), ON)


def test_hot_meals_are_for_the_elderly_disabled_or_bedridden() -> None:
    """A 78-year-old or a bedridden adult qualifies; a healthy 36-year-old does not."""
    check_eligible(Programme.HOT_MEAL, (GRANDMOTHER,), frozenset(), ON)
    check_eligible(Programme.HOT_MEAL, (ADULT,), frozenset({Need.BEDRIDDEN}), ON)
    with pytest.raises(NotEligible, match="65"):
        check_eligible(Programme.HOT_MEAL, (ADULT,), frozenset(), ON)


def test_accessible_transport_needs_a_mobility_need() -> None:
    """Engelsiz ulaşım is for wheelchair users, the bedridden and disabled people."""
    with pytest.raises(NotEligible):
        check_eligible(Programme.ACCESSIBLE_TRANSPORT, (GRANDMOTHER,), frozenset(), ON)
    check_eligible(Programme.ACCESSIBLE_TRANSPORT, (ADULT,), frozenset({Need.WHEELCHAIR_USER}), ON)


def test_default_milk_entitlement_counts_litres_per_eligible_child() -> None:
    """Two children under five get twice the weekly litres of one, on one weekday."""
    one = default_entitlement(Programme.MILK, (ADULT, BABY), ON, seed=3)
    two = default_entitlement(Programme.MILK, (ADULT, BABY, replace(BABY, name="Ece")), ON, seed=3)
    assert two.quantity == 2 * one.quantity
    assert one.cadence is Cadence.WEEKLY and len(one.weekdays) == 1


def test_milk_stops_the_day_before_the_youngest_child_turns_five() -> None:
    """The enrolment's natural end is computed from the youngest eligible child's birth date."""
    assert milk_end_date((ADULT, BABY), ON) == date(2030, 2, 9)
    assert milk_end_date((ADULT,), ON) is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": 1_000_000}, "entitlement.quantity"),
        ({"quantity": -2}, "entitlement.quantity"),
        ({"weekdays": (9,)}, "entitlement.weekdays"),
        ({"weekdays": ()}, "entitlement.weekdays"),
    ],
)
def test_absurd_milk_entitlements_are_refused(change: dict[str, object], field: str) -> None:
    """A million litres, negative litres or a ninth weekday are refused naming the field."""
    entitlement = replace(Entitlement(Programme.MILK, 3, Cadence.WEEKLY, weekdays=(1,)), **change)  # type: ignore[arg-type]
    with pytest.raises(InvalidValue) as refused:
        check_entitlement(entitlement)
    assert refused.value.field == field


def test_monthly_days_and_meals_are_checked() -> None:
    """Day 31 does not exist in every month; a hot meal names real meals."""
    with pytest.raises(InvalidValue, match="day_of_month"):
        check_entitlement(Entitlement(Programme.FOOD_PARCEL, 1, Cadence.MONTHLY, day_of_month=31))
    with pytest.raises(InvalidValue, match="meals"):
        check_entitlement(Entitlement(Programme.HOT_MEAL, 1, Cadence.DAILY, meals=("supper",)))


def test_cadences_put_deliveries_on_the_right_days() -> None:
    """Daily is every day; weekly only on its weekdays; monthly only on its day of the month."""
    monday, tuesday = date(2026, 11, 23), date(2026, 11, 24)
    assert Entitlement(Programme.HOT_MEAL, 1, Cadence.DAILY, meals=("dinner",)).is_due_on(monday)
    weekly = Entitlement(Programme.MILK, 3, Cadence.WEEKLY, weekdays=(1,))
    assert weekly.is_due_on(tuesday) and not weekly.is_due_on(monday)
    monthly = Entitlement(Programme.FOOD_PARCEL, 1, Cadence.MONTHLY, day_of_month=23)
    assert monthly.is_due_on(monday) and not monthly.is_due_on(tuesday)
    assert not Entitlement(Programme.ACCESSIBLE_TRANSPORT, 1, Cadence.ON_REQUEST).is_due_on(monday)
