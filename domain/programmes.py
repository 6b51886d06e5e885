"""The programme catalogue: what each service delivers, how often, in which unit, and who is eligible."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta
from enum import StrEnum

from domain.errors import N_, InvalidValue, NotEligible
from domain.values import GeoPoint, Member, Need


class Programme(StrEnum):
    """The services a social-services department delivers to the door."""

    HOT_MEAL = "hot_meal"
    MILK = "milk"
    FOOD_PARCEL = "food_parcel"
    GLUTEN_FREE = "gluten_free"
    ACCESSIBLE_TRANSPORT = "accessible_transport"


class Cadence(StrEnum):
    """How often an entitlement is delivered."""

    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    ON_REQUEST = "on_request"


MEALS = ("breakfast", "lunch", "dinner")


@dataclass(frozen=True)
class Entitlement:
    """What one enrolled household receives: `quantity` units per delivery, on the cadence's days."""

    programme: Programme
    quantity: int
    cadence: Cadence
    weekdays: tuple[int, ...] = ()
    day_of_month: int | None = None
    meals: tuple[str, ...] = ()
    wheelchair_place: bool = False
    destination: GeoPoint | None = None
    appointment: time | None = None

    def is_due_on(self, day: date) -> bool:
        """Whether the cadence puts a delivery on `day` (suspensions and dates are the enrolment's job)."""
        if self.cadence is Cadence.DAILY:
            return True
        if self.cadence is Cadence.WEEKLY:
            return day.weekday() in self.weekdays
        if self.cadence is Cadence.MONTHLY:
            return day.day == self.day_of_month
        return False


@dataclass(frozen=True)
class ProgrammeSpec:
    """A programme's unit, capacity dimension, limits and eligibility rule."""

    programme: Programme
    title_tr: str
    unit: str
    dimension: str
    cadence: Cadence
    max_quantity: int
    eligibility: Callable[[tuple[Member, ...], frozenset[Need], date], None]
    kg_per_unit: int = 0
    notes: tuple[str, ...] = field(default=())


def milk_age_limit_months() -> int:
    """Children younger than this many months get milk (İzmir's Süt Kuzusu: under 5 years by default)."""
    return int(os.environ.get("KAPIDA_MILK_AGE_LIMIT_MONTHS", "60"))


def milk_litres_per_child_per_week() -> int:
    """Weekly litres per eligible child, configurable per municipality."""
    return int(os.environ.get("KAPIDA_MILK_LITRES_PER_CHILD", "3"))


def eligible_children(members: tuple[Member, ...], on: date) -> int:
    """Members younger than the milk age limit on `on`."""
    limit = milk_age_limit_months()
    return sum(1 for m in members if 0 <= m.age_in_months_on(on) < limit)


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    return date(day.year + year, month + 1, min(day.day, 28))


def milk_end_date(members: tuple[Member, ...], on: date) -> date | None:
    """The day before the youngest eligible child reaches the age limit: milk stops by itself then."""
    limit = milk_age_limit_months()
    ends = [_add_months(m.birth_date, limit) for m in members if 0 <= m.age_in_months_on(on) < limit]
    return max(ends) - timedelta(days=1) if ends else None


def _needs_hot_meal(members: tuple[Member, ...], needs: frozenset[Need], on: date) -> None:
    if any(m.age_on(on) >= 65 for m in members):
        return
    if needs & {Need.WHEELCHAIR_USER, Need.BEDRIDDEN, Need.DISABILITY}:
        return
    raise NotEligible(
        "members", N_("hot meals are for households with a member aged 65+, disabled or bedridden")
    )


def _needs_small_child(members: tuple[Member, ...], needs: frozenset[Need], on: date) -> None:
    if eligible_children(members, on) == 0:
        months = milk_age_limit_months()
        raise NotEligible(
            "members", N_("the milk programme needs a child younger than {months} months"), months=months
        )


def _anyone(members: tuple[Member, ...], needs: frozenset[Need], on: date) -> None:
    """Food parcels are means-tested by the caseworker's assessment, not by a data rule."""


def _needs_coeliac(members: tuple[Member, ...], needs: frozenset[Need], on: date) -> None:
    if Need.COELIAC not in needs:
        raise NotEligible(
            "needs", N_("gluten-free parcels need a coeliac (çölyak) diagnosis recorded as a need")
        )


def _needs_mobility_support(members: tuple[Member, ...], needs: frozenset[Need], on: date) -> None:
    if not needs & {Need.WHEELCHAIR_USER, Need.BEDRIDDEN, Need.DISABILITY}:
        raise NotEligible(
            "needs", N_("accessible transport is for wheelchair users, bedridden or disabled people")
        )


CATALOGUE: dict[Programme, ProgrammeSpec] = {
    spec.programme: spec
    for spec in (
        ProgrammeSpec(
            Programme.HOT_MEAL,
            "Sıcak yemek",
            "portion",
            "meal_containers",
            Cadence.DAILY,
            20,
            _needs_hot_meal,
        ),
        ProgrammeSpec(
            Programme.MILK, "Süt Kuzusu", "litre", "milk_litres", Cadence.WEEKLY, 30, _needs_small_child
        ),
        ProgrammeSpec(
            Programme.FOOD_PARCEL,
            "Gıda kolisi",
            "parcel",
            "parcel_kg",
            Cadence.MONTHLY,
            4,
            _anyone,
            kg_per_unit=15,
        ),
        ProgrammeSpec(
            Programme.GLUTEN_FREE,
            "Çölyak desteği",
            "parcel",
            "parcel_kg",
            Cadence.MONTHLY,
            4,
            _needs_coeliac,
            kg_per_unit=8,
        ),
        ProgrammeSpec(
            Programme.ACCESSIBLE_TRANSPORT,
            "Engelsiz ulaşım",
            "seat",
            "seats",
            Cadence.ON_REQUEST,
            4,
            _needs_mobility_support,
        ),
    )
}


def check_eligible(
    programme: Programme, members: tuple[Member, ...], needs: frozenset[Need], on: date
) -> None:
    """Raise `NotEligible` naming the field when the household does not qualify on `on`."""
    CATALOGUE[programme].eligibility(members, needs, on)


def default_entitlement(
    programme: Programme, members: tuple[Member, ...], on: date, seed: int
) -> Entitlement:
    """The entitlement a caseworker gets unless they say otherwise; `seed` spreads delivery days."""
    spec = CATALOGUE[programme]
    if programme is Programme.HOT_MEAL:
        return Entitlement(programme, len(members), Cadence.DAILY, meals=("breakfast", "dinner"))
    if programme is Programme.MILK:
        litres = milk_litres_per_child_per_week() * max(1, eligible_children(members, on))
        return Entitlement(programme, litres, Cadence.WEEKLY, weekdays=(seed % 5,))
    if programme is Programme.ACCESSIBLE_TRANSPORT:
        return Entitlement(programme, 1, Cadence.ON_REQUEST)
    return Entitlement(programme, 1, spec.cadence, day_of_month=1 + seed % 28)


def check_entitlement(entitlement: Entitlement) -> Entitlement:
    """Refuse entitlements no programme could deliver (a million litres, day 31, a weekday 9)."""
    spec = CATALOGUE[entitlement.programme]
    if not 1 <= entitlement.quantity <= spec.max_quantity:
        raise InvalidValue(
            "entitlement.quantity",
            N_("{quantity} {unit} is outside 1..{max_quantity} for {programme}"),
            quantity=entitlement.quantity,
            unit=spec.unit,
            max_quantity=spec.max_quantity,
            programme=spec.programme,
        )
    if entitlement.cadence is Cadence.WEEKLY and not entitlement.weekdays:
        raise InvalidValue(
            "entitlement.weekdays", N_("a weekly entitlement names at least one weekday (0=Mon..6=Sun)")
        )
    if any(not 0 <= d <= 6 for d in entitlement.weekdays) or len(set(entitlement.weekdays)) != len(
        entitlement.weekdays
    ):
        raise InvalidValue(
            "entitlement.weekdays",
            N_("{weekdays} must be distinct numbers 0..6"),
            weekdays=entitlement.weekdays,
        )
    if entitlement.cadence is Cadence.MONTHLY and not 1 <= (entitlement.day_of_month or 0) <= 28:
        raise InvalidValue("entitlement.day_of_month", N_("a monthly delivery day is between 1 and 28"))
    if entitlement.programme is Programme.HOT_MEAL and (
        not entitlement.meals or not set(entitlement.meals) <= set(MEALS)
    ):
        raise InvalidValue(
            "entitlement.meals", N_("hot meals name one or more of {meals}"), meals=", ".join(MEALS)
        )
    return replace(entitlement, weekdays=tuple(sorted(entitlement.weekdays)))
