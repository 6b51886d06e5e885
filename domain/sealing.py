"""Crypto-shredding: personal fields of events are sealed with their household's key, apart from the events.

`SealingMapper` replaces the personal attributes of the event classes listed in `SEALED` with one
`Sealed` value (AES-GCM under the household's key from the `KeyStore`) before the payload is encoded
(and, when configured, encrypted as a whole). Reading unseals them; once the household's key is
destroyed, reading yields the explicit placeholders of `ERASED_VALUES` instead. Events of other classes
pay one dictionary lookup when stored and one when read.
"""

from __future__ import annotations

from base64 import b64decode, b64encode
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import Cipher, Compressor, Mapper, StoredEvent, Transcoder, Transcoding

from domain.application import AidApplication
from domain.enrolment import Enrolment
from domain.household import Household
from domain.keystore import KeyStore
from domain.stop_visit import StopVisit
from domain.trip import TripRequest
from domain.values import ERASED, PersonalDetails

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

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        domain_event = super().to_domain_event(stored_event)
        state = domain_event.__dict__
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
        sealed = state.pop(SEALED_KEY, None)
        if sealed is None:
            return state
        data = sealed["_data_"]
        fields = tuple(data["f"])
        owner = data["h"]
        box = self.keys.box_by_hex(owner)
        if box is None:
            personal = self._erased_json(fields)
        else:
            personal = orjson.loads(box.open(b64decode(data["c"]), bytes.fromhex(owner)))
        names = personal.pop(MEMBER_NAMES, None)
        state.update(personal)
        if MEMBER_NAMES in fields:
            for index, member in enumerate(state["members"]):
                member["_data_"]["name"] = names[index] if names is not None else ERASED
        return state

    def _erased_json(self, fields: tuple[str, ...]) -> dict[str, Any]:
        placeholders = {name: erased_value(name) for name in fields if name != MEMBER_NAMES}
        decoded: dict[str, Any] = orjson.loads(self.transcoder.encode(placeholders))
        return decoded
