"""Crypto-shredding: personal fields of events are sealed with their household's key, apart from the events.

`SealingMapper` replaces the personal attributes of the event classes listed in `SEALED` with one
`Sealed` value (AES-GCM under the household's key from the `KeyStore`) before the payload is encoded
(and, when configured, encrypted as a whole). Reading unseals them; once the household's key is
destroyed, reading yields the explicit placeholders of `ERASED_VALUES` instead. Events of other classes
pay one dictionary lookup when stored and one when read.
"""

from __future__ import annotations

from base64 import b64decode, b64encode
from binascii import a2b_base64
from dataclasses import dataclass, replace
from typing import Any, cast
from uuid import UUID

import orjson
from eventsourcing.persistence import Cipher, Compressor, Mapper, StoredEvent, Transcoder, Transcoding

from domain.application import AidApplication
from domain.enrolment import Enrolment
from domain.household import Household
from domain.keystore import KeyStore
from domain.route_plan import PlannedRoute, PlannedStop, RoutePlan, UnservedStop
from domain.sealbox import SealBox
from domain.stop_visit import StopVisit
from domain.trip import TripRequest
from domain.values import ERASED, PersonalDetails

STOP_LOCATION = "location"
SEALED_STOPS_KEY = "_sealed_stops_"  # marks a plan event whose stops' doors are sealed one by one
MEMBER_NAMES = "members.name"  # members stay (birth dates count people and ages); only names are sealed
SEALED_KEY = "_sealed_"


@dataclass(frozen=True)
class Sealed:
    """The sealed personal fields of one event: whose key, which fields, and the AES-GCM box."""

    household_id: UUID
    fields: tuple[str, ...]
    box: bytes


class SealedAsDict(Transcoding):
    type = Sealed
    name = "sealed"

    def encode(self, obj: Sealed) -> dict[str, Any]:
        return {"h": obj.household_id.hex, "f": list(obj.fields), "c": b64encode(obj.box).decode()}

    def decode(self, data: dict[str, Any]) -> Sealed:
        return Sealed(UUID(data["h"]), tuple(data["f"]), b64decode(data["c"]))


@dataclass(frozen=True)
class SealSpec:
    """Which attributes of an event class are personal, and where the household's id is (None: originator)."""

    fields: tuple[str, ...]
    owner: str | None = None


def _event(aggregate: type, name: str) -> type:
    """The event class the `@event(name)` decorator made on `aggregate`."""
    found: type = getattr(aggregate, name)
    return found


SEALED: dict[type, SealSpec] = {
    _event(Household, "Registered"): SealSpec(("personal", "location", "needs", MEMBER_NAMES)),
    _event(Household, "Moved"): SealSpec(("location", "address_text")),
    _event(Household, "MembersChanged"): SealSpec((MEMBER_NAMES,)),
    _event(Household, "NeedsChanged"): SealSpec(("needs",)),
    _event(Household, "ContactChanged"): SealSpec(("name", "phone")),
    _event(AidApplication, "Submitted"): SealSpec(("note",), "household_id"),
    _event(AidApplication, "Assessed"): SealSpec(("visit_note",), "household_id"),
    _event(AidApplication, "Approved"): SealSpec(("note",), "household_id"),
    _event(Enrolment, "Suspended"): SealSpec(("reason",), "household_id"),
    _event(TripRequest, "Requested"): SealSpec(("pickup", "destination", "destination_name"), "household_id"),
    _event(StopVisit, "Reported"): SealSpec(("receiver", "note"), "household_id"),
}

# Route plan events whose stops (in `routes` and `unserved`) carry households' doors: each stop's
# `location` is sealed on its own, with that stop's household key.
SEALED_STOPS: frozenset[type] = frozenset(
    _event(RoutePlan, name) for name in ("Planned", "StopMoved", "Replanned")
)

# What an erased field reads as: explicit, typed so every consumer copes (no location: None).
ERASED_VALUES: dict[str, Any] = {
    "personal": PersonalDetails.erased(),
    "location": None,
    "pickup": None,
    "destination": None,
    "needs": (),
}


def erased_value(field: str) -> Any:
    return ERASED_VALUES.get(field, ERASED)


class SealingMapper(Mapper[UUID]):
    """The application's mapper: seals personal fields on the way in, unseals (or erases) on the way out."""

    def __init__(
        self,
        transcoder: Transcoder,
        keys: KeyStore,
        compressor: Compressor | None = None,
        cipher: Cipher | None = None,
    ) -> None:
        super().__init__(transcoder, compressor=compressor, cipher=cipher)
        self.keys = keys

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        spec = SEALED.get(type(domain_event))
        if spec is None:
            if type(domain_event) in SEALED_STOPS:
                return super().to_stored_event(self._seal_stops(domain_event))
            return super().to_stored_event(domain_event)
        state = dict(vars(domain_event))
        owner = state["originator_id"] if spec.owner is None else state.get(spec.owner)
        if not isinstance(owner, UUID):
            raise ValueError(f"{type(domain_event).__qualname__} names no household to seal its fields with")
        personal = {name: state.pop(name) for name in spec.fields if name != MEMBER_NAMES}
        if not any(personal.values()) and MEMBER_NAMES not in spec.fields:
            return super().to_stored_event(domain_event)  # nothing personal in it (an empty note)
        if MEMBER_NAMES in spec.fields:
            personal[MEMBER_NAMES] = [member.name for member in state["members"]]
            state["members"] = tuple(type(m)("", m.birth_date) for m in state["members"])
        box = self.keys.box(owner, create=True)
        assert box is not None  # `create` either returns a box or refuses an erased household
        state[SEALED_KEY] = Sealed(
            owner, spec.fields, box.seal(self.transcoder.encode(personal), owner.bytes)
        )
        sealed_event = object.__new__(type(domain_event))
        object.__setattr__(sealed_event, "__dict__", state)
        return super().to_stored_event(sealed_event)

    def _seal_stops(self, domain_event: Any) -> Any:
        """A copy of a plan event whose stops' locations are `Sealed`, each with its household's key."""
        boxes: dict[UUID, SealBox] = {}

        def seal(stop: PlannedStop) -> PlannedStop:
            location: Any = stop.location
            if location is None or isinstance(location, Sealed):
                return stop  # an erased household's door (None) stays None
            owner = stop.household_id
            box = boxes.get(owner)
            if box is None:
                found = self.keys.box(owner, create=True)
                assert found is not None  # `create` either returns a box or refuses an erased household
                box = boxes[owner] = found
            encoded = self.transcoder.encode({STOP_LOCATION: location})
            sealed = Sealed(owner, (STOP_LOCATION,), box.seal(encoded, owner.bytes))
            return replace(stop, location=cast(Any, sealed))

        state = dict(vars(domain_event))
        state["routes"] = tuple(
            replace(route, stops=tuple(seal(s) for s in route.stops)) for route in state["routes"]
        )
        if "unserved" in state:
            state["unserved"] = tuple(replace(u, stop=seal(u.stop)) for u in state["unserved"])
        state[SEALED_STOPS_KEY] = True
        sealed_event = object.__new__(type(domain_event))
        object.__setattr__(sealed_event, "__dict__", state)
        return sealed_event

    def _unseal_stops(self, state: dict[str, Any]) -> None:
        """Open each stop's sealed location in place: its `GeoPoint`, or None once the household is erased."""
        opened: dict[UUID, SealBox | None] = {}

        def unseal(stop: PlannedStop) -> PlannedStop:
            sealed: Any = stop.location
            if not isinstance(sealed, Sealed):
                return stop
            owner = sealed.household_id
            if owner not in opened:
                opened[owner] = self.keys.box(owner)
            box = opened[owner]
            if box is None:
                return replace(stop, location=erased_value(STOP_LOCATION))
            location = self.transcoder.decode(box.open(sealed.box, owner.bytes))[STOP_LOCATION]
            return replace(stop, location=location)

        routes: tuple[PlannedRoute, ...] = state["routes"]
        state["routes"] = tuple(replace(r, stops=tuple(unseal(s) for s in r.stops)) for r in routes)
        if "unserved" in state:
            unserved: tuple[UnservedStop, ...] = state["unserved"]
            state["unserved"] = tuple(replace(u, stop=unseal(u.stop)) for u in unserved)

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        domain_event = super().to_domain_event(stored_event)
        state = domain_event.__dict__
        if state.pop(SEALED_STOPS_KEY, None):
            self._unseal_stops(state)
            return domain_event
        sealed = state.pop(SEALED_KEY, None)
        if sealed is not None:
            box = self.keys.box(sealed.household_id)
            if box is None:
                personal = {name: erased_value(name) for name in sealed.fields if name != MEMBER_NAMES}
            else:
                personal = self.transcoder.decode(box.open(sealed.box, sealed.household_id.bytes))
            names = personal.pop(MEMBER_NAMES, None)
            state.update(personal)
            if MEMBER_NAMES in sealed.fields:
                names = names if names is not None else [ERASED] * len(state["members"])
                state["members"] = tuple(
                    type(m)(name, m.birth_date) for m, name in zip(state["members"], names, strict=True)
                )
        return domain_event

    def unseal_json(self, state: dict[str, Any]) -> dict[str, Any]:
        """The fast path's twin of `to_domain_event`: unseal a decoded JSON payload in place."""
        if state.pop(SEALED_STOPS_KEY, None):
            self._unseal_stops_json(state)
            return state
        sealed = state.pop(SEALED_KEY, None)
        if sealed is None:
            return state
        data = sealed["_data_"]
        fields = data["f"]
        owner = data["h"]
        box = self.keys.box_by_hex(owner)
        if box is None:
            personal = self._erased_json(tuple(fields))
        else:  # `a2b_base64` is `b64decode` without its argument checks: a replay opens every registration
            personal = orjson.loads(box.open(a2b_base64(data["c"]), bytes.fromhex(owner)))
        names = personal.pop(MEMBER_NAMES, None)
        state.update(personal)
        if MEMBER_NAMES in fields:
            for index, member in enumerate(state["members"]):
                member["_data_"]["name"] = names[index] if names is not None else ERASED
        return state

    def _unseal_stops_json(self, state: dict[str, Any]) -> None:
        """`_unseal_stops` on the JSON form (`{"_type_": "planned_stop", "_data_": {"location": ...}}`)."""
        opened: dict[str, SealBox | None] = {}
        erased = self._erased_json((STOP_LOCATION,))[STOP_LOCATION]

        def unseal(stop: dict[str, Any]) -> None:
            data = stop["_data_"]
            location = data["location"]
            if not isinstance(location, dict) or location.get("_type_") != SealedAsDict.name:
                return
            sealed = location["_data_"]
            owner = sealed["h"]
            if owner not in opened:
                opened[owner] = self.keys.box_by_hex(owner)
            box = opened[owner]
            if box is None:
                data["location"] = erased
            else:
                data["location"] = orjson.loads(box.open(a2b_base64(sealed["c"]), bytes.fromhex(owner)))[
                    STOP_LOCATION
                ]

        for route in state["routes"]:
            for stop in route["_data_"]["stops"]:
                unseal(stop)
        for missed in state.get("unserved", ()):
            unseal(missed["_data_"]["stop"])

    def _erased_json(self, fields: tuple[str, ...]) -> dict[str, Any]:
        placeholders = {name: erased_value(name) for name in fields if name != MEMBER_NAMES}
        decoded: dict[str, Any] = orjson.loads(self.transcoder.encode(placeholders))
        return decoded
