"""What every part of Kapıda's command side shares: loading aggregates, saving atomically, dates and time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Mapper, Recording

from domain import idempotency
from domain.application import AidApplication
from domain.enrolment import Enrolment
from domain.errors import N_, AlreadyRecorded, Conflict, InvalidValue, NotFound
from domain.fleet import Depot, Vehicle
from domain.household import Household
from domain.idempotency import IdempotencyKey
from domain.keystore import KeyStore, keystore_for
from domain.route_plan import RoutePlan
from domain.sealing import SealedAsDict, SealingMapper
from domain.stop_visit import StopVisit
from domain.transcodings import register_transcodings
from domain.trip import TripRequest
from domain.users import User, user_id_for

ISTANBUL = ZoneInfo("Europe/Istanbul")
EARLIEST_RECORD = date(2000, 1, 1)
A = TypeVar("A", bound=Aggregate)
_REGISTERED: type = getattr(Household, "Registered")  # noqa: B009 - made by the @event decorator


def today_in_istanbul() -> date:
    return datetime.now(ISTANBUL).date()


def check_past_date(field: str, day: date) -> None:
    """Business dates of things that already happened: not before 2000, not in the future."""
    if not EARLIEST_RECORD <= day <= today_in_istanbul():
        raise InvalidValue(field, N_("{day} is not between 2000-01-01 and today"), day=day)


def check_plan_date(field: str, day: date) -> None:
    """Dates that may lie ahead (an end date, a suspension's return) but not absurdly far."""
    latest = today_in_istanbul() + timedelta(days=5 * 366)
    if not EARLIEST_RECORD <= day <= latest:
        raise InvalidValue(field, N_("{day} is not between 2000-01-01 and {latest}"), day=day, latest=latest)


class KapidaBase(Application):
    """Loading and saving for the command mixins; `Kapida` in `domain.service` puts them together."""

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_transcodings(transcoder)
        transcoder.register(SealedAsDict())

    def construct_mapper(self) -> Mapper[UUID]:
        """Personal fields are sealed with per-household keys (crypto-shredding), see `domain.sealing`."""
        self.keys: KeyStore = keystore_for(self.env)
        return SealingMapper(
            self.construct_transcoder(),
            self.keys,
            compressor=self.factory.compressor(),
            cipher=self.factory.cipher(),
        )

    def _record(self, processing_event: ProcessingEvent[UUID]) -> list[Recording[UUID]]:
        """New households get their keys in one write before their events are stored (not one each)."""
        registered = [e.originator_id for e in processing_event.events if type(e) is _REGISTERED]
        if registered:
            self.keys.create_many(registered)
        return super()._record(processing_event)

    def close(self) -> None:
        super().close()
        self.keys.close()

    # -- loading ------------------------------------------------------------------------------------------
    def household(self, household_id: UUID) -> Household:
        return self._get(Household, household_id, N_("household"))

    def aid_application(self, application_id: UUID) -> AidApplication:
        return self._get(AidApplication, application_id, N_("application"))

    def enrolment(self, enrolment_id: UUID) -> Enrolment:
        return self._get(Enrolment, enrolment_id, N_("enrolment"))

    def depot(self, depot_id: UUID) -> Depot:
        return self._get(Depot, depot_id, N_("depot"))

    def vehicle(self, vehicle_id: UUID) -> Vehicle:
        return self._get(Vehicle, vehicle_id, N_("vehicle"))

    def route_plan(self, plan_id: UUID) -> RoutePlan:
        return self._get(RoutePlan, plan_id, N_("route plan"))

    def stop_visit(self, visit_id: UUID) -> StopVisit:
        return self._get(StopVisit, visit_id, N_("stop"))

    def trip(self, trip_id: UUID) -> TripRequest:
        return self._get(TripRequest, trip_id, N_("trip"))

    def user(self, username: str) -> User:
        return self._get(User, user_id_for(username), N_("user"))

    def exists(self, aggregate_id: UUID) -> bool:
        try:
            self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return False
        return True

    def _get(self, kind: type[A], aggregate_id: UUID, label: str) -> A:
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFound(label, aggregate_id) from None
        if not isinstance(aggregate, kind):
            raise NotFound(label, aggregate_id)
        return aggregate

    def _save(self, *aggregates: Aggregate) -> None:
        """One atomic write for everything a command changed; a concurrent writer makes it a conflict.

        A request sent with an `Idempotency-Key` records the key in this same write, so the key exists
        exactly when the command's events do; a second use of the key fails here and is reported as such.
        """
        key = idempotency.claim(aggregates)
        with self._translated_conflicts(key):
            self.save(*aggregates, *((key,) if key is not None else ()))

    @contextmanager
    def _translated_conflicts(self, key: IdempotencyKey | None = None) -> Iterator[None]:
        try:
            yield
        except IntegrityError:
            if key is not None:
                idempotency.release()
                if self.exists(key.id):
                    idempotency.mark_duplicate()
                    raise AlreadyRecorded(key.key) from None
            raise Conflict(
                N_("someone else changed this record at the same time; reload and try again")
            ) from None

    def idempotency_key(self, key_id: UUID) -> IdempotencyKey | None:
        """A used key with its request and stored answer, or None when the key is new."""
        try:
            found: Aggregate = self.repository.get(key_id)
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, IdempotencyKey) else None

    def answer_idempotent(self, key_id: UUID, status: int, body: str, media_type: str) -> None:
        """Keep the answer of a keyed request for its retries."""
        key = self.idempotency_key(key_id)
        if key is not None:
            key.answer(status, body, media_type)
            self.save(key)

    def events_of(self, aggregate_id: UUID) -> list[Any]:
        """Every event of one aggregate, in order (for audits and tests)."""
        return list(self.events.get(aggregate_id))
