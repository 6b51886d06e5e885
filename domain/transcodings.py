"""How value objects are stored in events: plain JSON shapes that projections can read without the domain."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from eventsourcing.persistence import Transcoder, Transcoding

from domain.programmes import Cadence, Entitlement, Programme
from domain.values import Actor, GeoPoint, Member, PersonalDetails, Role


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class TimeAsISO(Transcoding):
    type = time
    name = "time_iso"

    def encode(self, obj: time) -> str:
        return obj.isoformat(timespec="minutes")

    def decode(self, data: str) -> time:
        return time.fromisoformat(data)


class ActorAsDict(Transcoding):
    type = Actor
    name = "actor"

    def encode(self, obj: Actor) -> dict[str, str]:
        return {"user": obj.user, "role": obj.role.value}

    def decode(self, data: dict[str, str]) -> Actor:
        return Actor(data["user"], Role(data["role"]))


class GeoPointAsDict(Transcoding):
    type = GeoPoint
    name = "geo_point"

    def encode(self, obj: GeoPoint) -> dict[str, float]:
        return {"lat": obj.lat, "lon": obj.lon}

    def decode(self, data: dict[str, float]) -> GeoPoint:
        return GeoPoint(data["lat"], data["lon"])


class MemberAsDict(Transcoding):
    type = Member
    name = "member"

    def encode(self, obj: Member) -> dict[str, Any]:
        return {"name": obj.name, "birth_date": obj.birth_date}

    def decode(self, data: dict[str, Any]) -> Member:
        return Member(data["name"], data["birth_date"])


class PersonalDetailsAsDict(Transcoding):
    type = PersonalDetails
    name = "personal"

    def encode(self, obj: PersonalDetails) -> dict[str, str]:
        return {
            "name": obj.name,
            "phone": obj.phone,
            "address_text": obj.address_text,
            "national_id": obj.national_id,
        }

    def decode(self, data: dict[str, str]) -> PersonalDetails:
        return PersonalDetails(data["name"], data["phone"], data["address_text"], data["national_id"])


class EntitlementAsDict(Transcoding):
    type = Entitlement
    name = "entitlement"

    def encode(self, obj: Entitlement) -> dict[str, Any]:
        return {
            "programme": obj.programme.value,
            "quantity": obj.quantity,
            "cadence": obj.cadence.value,
            "weekdays": list(obj.weekdays),
            "day_of_month": obj.day_of_month,
            "meals": list(obj.meals),
            "wheelchair_place": obj.wheelchair_place,
            "destination": obj.destination,
            "appointment": obj.appointment,
        }

    def decode(self, data: dict[str, Any]) -> Entitlement:
        return Entitlement(
            programme=Programme(data["programme"]),
            quantity=data["quantity"],
            cadence=Cadence(data["cadence"]),
            weekdays=tuple(data["weekdays"]),
            day_of_month=data["day_of_month"],
            meals=tuple(data["meals"]),
            wheelchair_place=data["wheelchair_place"],
            destination=data["destination"],
            appointment=data["appointment"],
        )


TRANSCODINGS: tuple[Transcoding, ...] = (
    DateAsISO(),
    TimeAsISO(),
    ActorAsDict(),
    GeoPointAsDict(),
    MemberAsDict(),
    PersonalDetailsAsDict(),
    EntitlementAsDict(),
)


def register_transcodings(transcoder: Transcoder) -> None:
    """Teach the application's transcoder Kapıda's value objects."""
    for transcoding in TRANSCODINGS:
        transcoder.register(transcoding)  # type: ignore[attr-defined]
