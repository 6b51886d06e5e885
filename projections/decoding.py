"""Read stored events as plain dicts, skipping the domain's classes: the fast path for read models."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import orjson
from eventsourcing.persistence import Mapper
from eventsourcing.utils import get_topic

from domain.application import AidApplication
from domain.enrolment import Enrolment
from domain.fleet import Depot, Vehicle
from domain.household import Household
from domain.route_plan import RoutePlan
from domain.sealing import SEALED_KEY, SEALED_STOPS_KEY, SealingMapper
from domain.stop_visit import StopVisit
from domain.trip import TripRequest
from domain.users import User

AGGREGATES = (AidApplication, Enrolment, Depot, Vehicle, Household, RoutePlan, StopVisit, TripRequest, User)


class EventDecoder:
    """Turns a notification's bytes into the event's JSON dict, honouring the app's cipher and compressor.

    Read models only need a few fields of each event; building full domain-event objects would cost
    more than the rest of a rebuild put together.
    """

    def __init__(self, mapper: Mapper[Any]) -> None:
        self._cipher = mapper.cipher
        self._compressor = mapper.compressor
        self._unseal = mapper.unseal_json if isinstance(mapper, SealingMapper) else None
        self._keys = mapper.keys if isinstance(mapper, SealingMapper) else None

    def decode(self, state: bytes) -> dict[str, Any]:
        """The payload as JSON; sealed personal fields unsealed, or their placeholders once erased."""
        decoded = self.decode_public(state)
        if (SEALED_KEY in decoded or SEALED_STOPS_KEY in decoded) and self._unseal is not None:
            self._unseal(decoded)
        return decoded

    def decode_public(self, state: bytes) -> dict[str, Any]:
        """The payload as JSON with its personal fields still sealed: for handlers marked
        `public_fields_only`, which never read one, so a replay does not pay for opening them."""
        if self._cipher is not None:
            state = self._cipher.decrypt(state)
        if self._compressor is not None:
            state = self._compressor.decompress(state)
        decoded: dict[str, Any] = orjson.loads(state)
        return decoded

    def decoder_for(self, handler: Callable[..., Any]) -> Callable[[bytes], dict[str, Any]]:
        """How a replay decodes the events `handler` receives: unsealed unless it reads public fields only."""
        return self.decode_public if getattr(handler, PUBLIC_FIELDS_ONLY, False) else self.decode

    def prepare_for_replay(self) -> None:
        """Before reading the whole log: load the household keys in one query, not one per household."""
        if self._keys is not None:
            self._keys.preload()


PUBLIC_FIELDS_ONLY = "kapida_public_fields_only"
HandlerT = TypeVar("HandlerT", bound=Callable[..., Any])


def public_fields_only(handler: HandlerT) -> HandlerT:
    """Mark a read-model handler that reads none of its events' personal (sealed) fields.

    A replay then hands it the payload with those fields still sealed: no key lookup, no decryption.
    Reading a sealed field there fails loudly (a missing key), except member names, which read as empty;
    `tests/projections/test_public_fields.py` replays every view with and without the marks and requires
    identical tables, so a wrong mark cannot pass unnoticed.
    """
    setattr(handler, PUBLIC_FIELDS_ONLY, True)
    return handler


def value(field: Any) -> Any:
    """The payload of a transcoded value (`{"_type_": ..., "_data_": x}` → x); plain values pass through."""
    if isinstance(field, dict) and "_data_" in field:
        return field["_data_"]
    return field


def full_topics(names: Iterable[str]) -> list[str]:
    """`Household.Registered` → `domain.household:Household.Registered`, for the aggregates Kapıda records."""
    topic_of = {cls.__name__: get_topic(cls) for cls in AGGREGATES}
    return sorted(f"{topic_of[name.partition('.')[0]]}.{name.partition('.')[2]}" for name in names)


def event_name(topic: str) -> str:
    """`domain.household:Household.Registered` → `Household.Registered`."""
    return topic.rpartition(":")[2]
