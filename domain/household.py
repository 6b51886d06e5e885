"""The household (hane): who lives where, what they need, and which programmes they are in."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import N_, Conflict, IllegalTransition, Listed, Term
from domain.programmes import Programme
from domain.values import ERASED, Actor, GeoPoint, LegalBasis, Member, Need, PersonalDetails


class Household(Aggregate):
    """A household that applies for and receives help.

    It also holds the one open application and the one active enrolment per programme, so that the
    invariant "one active enrolment per household and programme" is guarded by this aggregate's
    version under concurrent decisions.
    """

    @event("Registered")
    def __init__(
        self,
        personal: PersonalDetails,
        location: GeoPoint,
        district: str,
        neighbourhood: str,
        members: tuple[Member, ...],
        needs: tuple[Need, ...],
        actor: Actor,
    ) -> None:
        self.personal = personal
        # None only once the household is erased (its key destroyed): see `domain.sealing`.
        self.location: GeoPoint | None = location
        self.district = district
        self.neighbourhood = neighbourhood
        self.members = tuple(members)
        self.needs = frozenset(Need(n) for n in needs)
        self.open_applications: dict[Programme, UUID] = {}
        self.active_enrolments: dict[Programme, UUID] = {}
        self.erased = False
        self.erasure_basis: LegalBasis | None = None

    @event("Moved")
    def move(
        self, location: GeoPoint, district: str, neighbourhood: str, address_text: str, actor: Actor
    ) -> None:
        self.location = location
        self.district = district
        self.neighbourhood = neighbourhood
        self.personal = PersonalDetails(
            self.personal.name, self.personal.phone, address_text, self.personal.national_id
        )

    @event("MembersChanged")
    def change_members(self, members: tuple[Member, ...], actor: Actor) -> None:
        self.members = tuple(members)

    @event("NeedsChanged")
    def change_needs(self, needs: tuple[Need, ...], actor: Actor) -> None:
        self.needs = frozenset(Need(n) for n in needs)

    @event("ContactChanged")
    def change_contact(self, name: str, phone: str, actor: Actor) -> None:
        self.personal = PersonalDetails(name, phone, self.personal.address_text, self.personal.national_id)

    def check_not_erased(self, verb: str) -> None:
        if self.erased:
            raise IllegalTransition(
                N_("cannot {verb} household {id}: its personal data was erased"), verb=Term(verb), id=self.id
            )

    def erase(self, basis: LegalBasis, reason: str, actor: Actor) -> None:
        """Record the erasure (the key is destroyed after this event is saved); a second one is a conflict."""
        if self.erased:
            raise Conflict(
                N_("household {id} was already erased ({erasure_basis})"),
                id=self.id,
                erasure_basis=self.erasure_basis,
            )
        if self.active_enrolments or self.open_applications:
            raise IllegalTransition(
                N_(
                    "household {id} still has active enrolments or open applications ({programmes}): "
                    "end them first (--end-enrolments)"
                ),
                id=self.id,
                programmes=Listed(sorted({*self.active_enrolments, *self.open_applications})),
            )
        self._erased(LegalBasis(basis), reason, actor)

    @event("Erased")
    def _erased(self, basis: LegalBasis, reason: str, actor: Actor) -> None:
        """Blank the aggregate too, so no copy loaded before the erasure keeps plaintext."""
        self.erased = True
        self.erasure_basis = LegalBasis(basis)
        self.personal = PersonalDetails.erased()
        self.location = None
        self.members = tuple(Member(ERASED, m.birth_date) for m in self.members)
        self.needs = frozenset()

    def open_application(self, programme: Programme, application_id: UUID, actor: Actor) -> None:
        """Refuse a second open application for the same programme, or one while already enrolled."""
        self.check_not_erased(N_("open an application for"))
        if programme in self.open_applications:
            raise Conflict(
                N_("household {id} already has an open {programme} application ({open_applications})"),
                id=self.id,
                programme=programme,
                open_applications=self.open_applications[programme],
            )
        if programme in self.active_enrolments:
            raise Conflict(
                N_("household {id} is already enrolled in {programme}"), id=self.id, programme=programme
            )
        self._application_opened(programme, application_id, actor)

    @event("ApplicationOpened")
    def _application_opened(self, programme: Programme, application_id: UUID, actor: Actor) -> None:
        self.open_applications[Programme(programme)] = application_id

    def close_application(self, programme: Programme, application_id: UUID, actor: Actor) -> None:
        if self.open_applications.get(programme) != application_id:
            raise IllegalTransition(
                N_("application {application_id} is not open on household {id}"),
                application_id=application_id,
                id=self.id,
            )
        self._application_closed(programme, application_id, actor)

    @event("ApplicationClosed")
    def _application_closed(self, programme: Programme, application_id: UUID, actor: Actor) -> None:
        del self.open_applications[Programme(programme)]

    def link_enrolment(self, programme: Programme, enrolment_id: UUID, actor: Actor) -> None:
        """Guard the rule: one active enrolment per household and programme."""
        if programme in self.active_enrolments:
            raise Conflict(
                N_("household {id} already has an active {programme} enrolment"),
                id=self.id,
                programme=programme,
            )
        self._enrolment_linked(programme, enrolment_id, actor)

    @event("EnrolmentLinked")
    def _enrolment_linked(self, programme: Programme, enrolment_id: UUID, actor: Actor) -> None:
        self.active_enrolments[Programme(programme)] = enrolment_id

    def unlink_enrolment(self, programme: Programme, enrolment_id: UUID, actor: Actor) -> None:
        if self.active_enrolments.get(programme) != enrolment_id:
            raise IllegalTransition(
                N_("enrolment {enrolment_id} is not active on household {id}"),
                enrolment_id=enrolment_id,
                id=self.id,
            )
        self._enrolment_unlinked(programme, enrolment_id, actor)

    @event("EnrolmentUnlinked")
    def _enrolment_unlinked(self, programme: Programme, enrolment_id: UUID, actor: Actor) -> None:
        del self.active_enrolments[Programme(programme)]
