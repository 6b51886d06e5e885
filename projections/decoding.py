"""Read stored events as plain dicts, skipping the domain's classes: the fast path for read models."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import orjson
from eventsourcing.persistence import Mapper
from eventsourcing.utils import get_topic

from domain.application import AidApplication
from domain.enrolment import Enrolment
from domain.fleet import Depot, Vehicle
from domain.household import Household
from domain.route_plan import RoutePlan
from domain.sealing import MEMBER_NAMES, SEALED_KEY, SEALED_STOPS_KEY, SealingMapper
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
        if self._cipher is not None:
            state = self._cipher.decrypt(state)
        if self._compressor is not None:
            state = self._compressor.decompress(state)
        decoded: dict[str, Any] = orjson.loads(state)
        if (SEALED_KEY in decoded or SEALED_STOPS_KEY in decoded) and self._unseal is not None:
            self._unseal(decoded)
        return decoded

    def prepare_for_replay(self) -> None:
        """Before reading the whole log: load the household keys in one query, not one per household."""
        if self._keys is not None:
            self._keys.preload()

    def decode_lazily(self, state: bytes) -> dict[str, Any]:
        """Like `decode`, but sealed fields are opened only when a handler reads one of them: read models
        that never look at a note do not pay for unsealing it."""
        if self._cipher is not None:
            state = self._cipher.decrypt(state)
        if self._compressor is not None:
            state = self._compressor.decompress(state)
        decoded: dict[str, Any] = orjson.loads(state)
        if SEALED_STOPS_KEY in decoded and self._unseal is not None:
            self._unseal(decoded)  # a plan's stops: every read model that reads a plan reads its stops
            return decoded
        if SEALED_KEY in decoded and self._unseal is not None:
            return Unsealing(decoded, self._unseal)
        return decoded


class Unsealing(dict[str, Any]):
    """A payload whose sealed fields are unsealed on the first read of a key it lacks (or of `members`,
    whose names are sealed)."""

    def __init__(self, decoded: dict[str, Any], unseal: Callable[[dict[str, Any]], Any]) -> None:
        super().__init__(decoded)
        self._unseal = unseal
        self._members = self.pop("members", None) if MEMBER_NAMES in self[SEALED_KEY]["_data_"]["f"] else None

    def __missing__(self, key: str) -> Any:
        if SEALED_KEY not in self:
            raise KeyError(key)
        self._open()
        return self[key]

    def get(self, key: str, default: Any = None) -> Any:
        if SEALED_KEY in self and not super().__contains__(key):
            self._open()
        return super().get(key, default)

    def _open(self) -> None:
        if self._members is not None:
            self["members"] = self._members
            self._members = None
        self._unseal(self)


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
