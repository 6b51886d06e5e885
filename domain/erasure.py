"""Erasing a household's personal data (KVKK): record who erased it and why, then destroy its key."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.app_base import KapidaBase, today_in_istanbul
from domain.errors import N_, InvalidValue
from domain.household import Household
from domain.permissions import Duty, require
from domain.values import Actor, LegalBasis


class ErasureCommands(KapidaBase):
    """Crypto-shredding: the `Household.Erased` event is saved first, then the household's key is destroyed.

    A crash between the two leaves the key marked; `finish_erasures` (run at every start-up, and by
    `kapida households erase --resume`) destroys the keys of households that are erased.
    """

    def erase_household(
        self,
        household_id: UUID,
        basis: LegalBasis,
        reason: str,
        actor: Actor,
        end_enrolments: bool = False,
    ) -> None:
        """Erase the household's personal data; with `end_enrolments`, end its enrolments and applications."""
        require(actor, Duty.ERASE)
        try:
            basis = LegalBasis(basis)
        except ValueError:
            allowed = ", ".join(b.value for b in LegalBasis)
            raise InvalidValue(
                "basis", N_("{basis!r} is not a legal basis ({allowed})"), basis=basis, allowed=allowed
            ) from None
        if not reason.strip():
            raise InvalidValue("reason", N_("an erasure states its grounds (the request, the decision, ...)"))
        household = self.household(household_id)
        changed: list[Aggregate] = []
        if end_enrolments and not household.erased:
            changed = self._close_everything(household, actor)
        household.erase(basis, reason.strip(), actor)
        self.keys.mark_erasing(household.id)
        self._save(household, *changed)
        self.keys.destroy(household.id)

    def _close_everything(self, household: Household, actor: Actor) -> list[Aggregate]:
        """End active enrolments (today, or the day before a future start) and withdraw open applications."""
        changed: list[Aggregate] = []
        today = today_in_istanbul()
        for programme, enrolment_id in list(household.active_enrolments.items()):
            enrolment = self.enrolment(enrolment_id)
            on = max(today - timedelta(days=1), enrolment.start_date - timedelta(days=1))
            enrolment.end(on, "kişisel veriler silindi / personal data erased", actor)
            household.unlink_enrolment(programme, enrolment_id, actor)
            changed.append(enrolment)
        for programme, application_id in list(household.open_applications.items()):
            application = self.aid_application(application_id)
            application.withdraw("kişisel veriler silindi / personal data erased", actor)
            household.close_application(programme, application_id, actor)
            changed.append(application)
        return changed

    def finish_erasures(self) -> list[UUID]:
        """Destroy the keys of erased households whose erasure was interrupted; returns their ids."""
        finished = []
        for household_id in self.keys.pending():
            if self.exists(household_id) and self.household(household_id).erased:
                self.keys.destroy(household_id)
                finished.append(household_id)
            else:
                self.keys.unmark(household_id)  # the erasure's event was never saved
        return finished
