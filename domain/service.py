"""Kapıda's command side: each command loads aggregates, calls them, and saves them together."""

from __future__ import annotations

from datetime import date, datetime, time
from uuid import UUID

from domain.accounts import AccountCommands
from domain.app_base import (
    ISTANBUL,
    KapidaBase,
    check_past_date,
    check_plan_date,
    today_in_istanbul,
)
from domain.application import AidApplication
from domain.dispatch import DispatchCommands
from domain.enrolment import Enrolment
from domain.erasure import ErasureCommands
from domain.errors import N_, Conflict, InvalidValue
from domain.fleet import Depot, DepotKind, Vehicle, VehicleKind, check_capacities
from domain.household import Household
from domain.land import check_on_land
from domain.permissions import Duty, require
from domain.programmes import (
    Entitlement,
    Programme,
    check_eligible,
    check_entitlement,
    default_entitlement,
    milk_end_date,
)
from domain.values import (
    Actor,
    Channel,
    GeoPoint,
    Member,
    Need,
    PersonalDetails,
    check_area_name,
    check_members,
    check_personal_details,
)

__all__ = ["ISTANBUL", "Kapida", "today_in_istanbul"]


class CaseworkCommands(KapidaBase):
    """Households, applications, enrolments, depots and vehicles."""

    # -- households ---------------------------------------------------------------------------------------
    def register_household(
        self,
        personal: PersonalDetails,
        location: GeoPoint,
        district: str,
        neighbourhood: str,
        members: tuple[Member, ...],
        needs: tuple[Need, ...],
        actor: Actor,
    ) -> UUID:
        require(actor, Duty.CASEWORK)
        check_personal_details(personal)
        check_members(members, today_in_istanbul())
        household = Household(
            personal,
            check_on_land("location", location),
            check_area_name("district", district),
            check_area_name("neighbourhood", neighbourhood),
            tuple(members),
            tuple(sorted(set(needs))),
            actor,
        )
        self._save(household)
        return household.id

    def move_household(
        self,
        household_id: UUID,
        location: GeoPoint,
        district: str,
        neighbourhood: str,
        address: str,
        actor: Actor,
    ) -> None:
        require(actor, Duty.CASEWORK)
        if not address.strip():
            raise InvalidValue("address", N_("the address text is empty"))
        check_on_land("location", location)
        household = self.household(household_id)
        household.check_not_erased(N_("move"))
        district, neighbourhood = (
            check_area_name("district", district),
            check_area_name("neighbourhood", neighbourhood),
        )
        household.move(location, district, neighbourhood, address, actor)
        self._save(household)

    def change_members(self, household_id: UUID, members: tuple[Member, ...], actor: Actor) -> None:
        require(actor, Duty.CASEWORK)
        check_members(members, today_in_istanbul())
        household = self.household(household_id)
        household.check_not_erased(N_("change the members of"))
        household.change_members(tuple(members), actor)
        self._save(household)

    def change_needs(self, household_id: UUID, needs: tuple[Need, ...], actor: Actor) -> None:
        require(actor, Duty.CASEWORK)
        household = self.household(household_id)
        household.check_not_erased(N_("change the needs of"))
        household.change_needs(tuple(sorted(set(needs))), actor)
        self._save(household)

    def change_contact(self, household_id: UUID, name: str, phone: str, actor: Actor) -> None:
        """A new contact person or phone number; checked like a registration's."""
        require(actor, Duty.CASEWORK)
        household = self.household(household_id)
        household.check_not_erased(N_("change the contact of"))
        check_personal_details(PersonalDetails(name, phone, household.personal.address_text))
        household.change_contact(name.strip(), phone, actor)
        self._save(household)

    # -- applications -------------------------------------------------------------------------------------
    def submit_application(
        self,
        household_id: UUID,
        programme: Programme,
        channel: Channel,
        actor: Actor,
        received_at: datetime | None = None,
        note: str = "",
    ) -> UUID:
        """Record an application as it arrived (`received_at` may be earlier when paper files are entered)."""
        require(actor, Duty.CASEWORK)
        received = received_at or datetime.now(ISTANBUL)
        if received.tzinfo is None:
            raise InvalidValue("received_at", N_("needs a time zone (Europe/Istanbul)"))
        received = received.astimezone(ISTANBUL)
        check_past_date("received_at", received.date())
        household = self.household(household_id)
        application = AidApplication(
            household_id, Programme(programme), Channel(channel), received, note, actor
        )
        household.open_application(application.programme, application.id, actor)
        self._save(application, household)
        return application.id

    def assess_application(
        self, application_id: UUID, visit_note: str, visited_on: date, actor: Actor
    ) -> None:
        require(actor, Duty.CASEWORK)
        check_past_date("visited_on", visited_on)
        application = self.aid_application(application_id)
        application.assess(visit_note, visited_on, actor)
        self._save(application)

    def approve_application(
        self,
        application_id: UUID,
        actor: Actor,
        decided_on: date | None = None,
        entitlement: Entitlement | None = None,
        start_date: date | None = None,
        end_date: date | None = None,
        note: str = "",
    ) -> UUID:
        """Approve, enrol the household and close the application, all in one save."""
        require(actor, Duty.DECIDE)
        decided = decided_on or today_in_istanbul()
        check_past_date("decided_on", decided)
        application = self.aid_application(application_id)
        household = self.household(application.household_id)
        check_eligible(application.programme, household.members, household.needs, decided)
        granted = check_entitlement(
            entitlement
            or default_entitlement(application.programme, household.members, decided, household.id.int)
        )
        start = start_date or decided
        if end_date is None and application.programme is Programme.MILK:
            end_date = milk_end_date(household.members, start)
        check_plan_date("start_date", start)
        if end_date is not None:
            check_plan_date("end_date", end_date)
        Enrolment.check_dates(start, end_date)
        enrolment = Enrolment(
            household.id, application.programme, application.id, granted, start, end_date, actor
        )
        application.approve(granted, decided, enrolment.id, note, actor)
        household.close_application(application.programme, application.id, actor)
        household.link_enrolment(application.programme, enrolment.id, actor)
        self._save(application, enrolment, household)
        return enrolment.id

    def reject_application(
        self, application_id: UUID, reason: str, actor: Actor, decided_on: date | None = None
    ) -> None:
        require(actor, Duty.DECIDE)
        decided = decided_on or today_in_istanbul()
        check_past_date("decided_on", decided)
        application = self.aid_application(application_id)
        application.reject(reason, decided, actor)
        household = self.household(application.household_id)
        household.close_application(application.programme, application.id, actor)
        self._save(application, household)

    def withdraw_application(self, application_id: UUID, reason: str, actor: Actor) -> None:
        require(actor, Duty.CASEWORK)
        application = self.aid_application(application_id)
        application.withdraw(reason, actor)
        household = self.household(application.household_id)
        household.close_application(application.programme, application.id, actor)
        self._save(application, household)

    # -- enrolments ---------------------------------------------------------------------------------------
    def suspend_enrolment(
        self, enrolment_id: UUID, start: date, reason: str, actor: Actor, until: date | None = None
    ) -> None:
        require(actor, Duty.CASEWORK)
        check_plan_date("start", start)
        if until is not None:
            check_plan_date("until", until)
        enrolment = self.enrolment(enrolment_id)
        enrolment.suspend(start, until, reason, actor)
        self._save(enrolment)

    def resume_enrolment(self, enrolment_id: UUID, on: date, actor: Actor) -> None:
        require(actor, Duty.CASEWORK)
        check_plan_date("on", on)
        enrolment = self.enrolment(enrolment_id)
        enrolment.resume(on, actor)
        self._save(enrolment)

    def change_entitlement(
        self, enrolment_id: UUID, entitlement: Entitlement, reason: str, actor: Actor
    ) -> None:
        require(actor, Duty.DECIDE)
        enrolment = self.enrolment(enrolment_id)
        enrolment.change_entitlement(check_entitlement(entitlement), reason, actor)
        self._save(enrolment)

    def end_enrolment(self, enrolment_id: UUID, on: date, reason: str, actor: Actor) -> None:
        require(actor, Duty.DECIDE)
        check_plan_date("on", on)
        enrolment = self.enrolment(enrolment_id)
        enrolment.end(on, reason, actor)
        household = self.household(enrolment.household_id)
        household.unlink_enrolment(enrolment.programme, enrolment.id, actor)
        self._save(enrolment, household)

    # -- depots and vehicles ------------------------------------------------------------------------------
    def register_depot(
        self, name: str, kind: DepotKind, location: GeoPoint, district: str, neighbourhood: str, actor: Actor
    ) -> UUID:
        require(actor, Duty.FLEET)
        if not name.strip():
            raise InvalidValue("name", N_("a depot needs a name"))
        depot = Depot(
            name.strip(),
            DepotKind(kind),
            check_on_land("location", location),
            check_area_name("district", district),
            check_area_name("neighbourhood", neighbourhood),
            actor,
        )
        self._save(depot)
        return depot.id

    def close_depot(self, depot_id: UUID, reason: str, actor: Actor) -> None:
        require(actor, Duty.FLEET)
        depot = self._get(Depot, depot_id, N_("depot"))
        depot.close(reason, actor)
        self._save(depot)

    def register_vehicle(
        self,
        plate: str,
        kind: VehicleKind,
        capacities: dict[str, int],
        shift: tuple[time, time],
        depot_id: UUID,
        wheelchair_lift: bool,
        actor: Actor,
    ) -> UUID:
        require(actor, Duty.FLEET)
        if not plate.strip():
            raise InvalidValue("plate", N_("a vehicle needs its number plate"))
        if shift[1] <= shift[0]:
            raise InvalidValue(
                "shift",
                N_("the shift ends ({end}) before it starts ({start})"),
                end=shift[1],
                start=shift[0],
            )
        depot = self._get(Depot, depot_id, N_("depot"))
        if depot.closed:
            raise Conflict(N_("depot {name} is closed"), name=depot.name)
        vehicle = Vehicle(
            plate.strip().upper(),
            VehicleKind(kind),
            check_capacities(capacities),
            shift[0],
            shift[1],
            depot_id,
            wheelchair_lift,
            actor,
        )
        self._save(vehicle)
        return vehicle.id

    def take_vehicle_out_of_service(self, vehicle_id: UUID, reason: str, actor: Actor) -> None:
        require(actor, Duty.FLEET)
        vehicle = self._get(Vehicle, vehicle_id, N_("vehicle"))
        vehicle.take_out_of_service(reason, actor)
        self._save(vehicle)

    def return_vehicle_to_service(self, vehicle_id: UUID, actor: Actor) -> None:
        require(actor, Duty.FLEET)
        vehicle = self._get(Vehicle, vehicle_id, N_("vehicle"))
        vehicle.return_to_service(actor)
        self._save(vehicle)


class Kapida(ErasureCommands, DispatchCommands, AccountCommands, CaseworkCommands):
    """The whole command side of Kapıda, on one event log."""

    name = "Kapida"
