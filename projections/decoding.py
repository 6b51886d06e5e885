"""Read stored events as plain dicts, skipping the domain's classes: the fast path for read models."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson
from eventsourcing.persistence import Mapper
from eventsourcing.utils import get_topic

from domain.application import AidApplication
from domain.enrolment import Enrolment
from domain.fleet import Depot, Vehicle
from domain.household import Household
from domain.route_plan import RoutePlan
from domain.sealing import SEALED_KEY, SealingMapper
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

    def decode(self, state: bytes) -> dict[str, Any]:
        """The payload as JSON; sealed personal fields unsealed, or their placeholders once erased."""
        if self._cipher is not None:
            state = self._cipher.decrypt(state)
        if self._compressor is not None:
            state = self._compressor.decompress(state)
        decoded: dict[str, Any] = orjson.loads(state)
        if SEALED_KEY in decoded and self._unseal is not None:
            self._unseal(decoded)
        return decoded


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
