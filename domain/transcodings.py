"""How value objects are stored in events: plain JSON shapes that projections can read without the domain."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from eventsourcing.persistence import Transcoder, Transcoding

from domain.programmes import Cadence, Entitlement, Programme
from domain.route_plan import PlannedRoute, PlannedStop, StopKind, UnservedStop
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


class PlannedStopAsDict(Transcoding):
    type = PlannedStop
    name = "planned_stop"

    def encode(self, obj: PlannedStop) -> dict[str, Any]:
        return {
            "key": obj.key,
            "kind": obj.kind.value,
            "household_id": obj.household_id,
            "source_id": obj.source_id,
            "location": obj.location,
            "eta_s": obj.eta_s,
            "window": [obj.window_start_s, obj.window_end_s],
            "service_s": obj.service_s,
            "quantity": obj.quantity,
            "unit": obj.unit,
        }

    def decode(self, data: dict[str, Any]) -> PlannedStop:
        return PlannedStop(
            data["key"],
            StopKind(data["kind"]),
            data["household_id"],
            data["source_id"],
            data["location"],
            data["eta_s"],
            data["window"][0],
            data["window"][1],
            data["service_s"],
            data["quantity"],
            data["unit"],
        )


class PlannedRouteAsDict(Transcoding):
    type = PlannedRoute
    name = "planned_route"

    def encode(self, obj: PlannedRoute) -> dict[str, Any]:
        return {
            "vehicle_id": obj.vehicle_id,
            "depot_id": obj.depot_id,
            "stops": list(obj.stops),
            "depart_s": obj.depart_s,
            "return_s": obj.return_s,
            "distance_m": obj.distance_m,
            "duration_s": obj.duration_s,
        }

    def decode(self, data: dict[str, Any]) -> PlannedRoute:
        return PlannedRoute(
            data["vehicle_id"],
            data["depot_id"],
            tuple(data["stops"]),
            data["depart_s"],
            data["return_s"],
            data["distance_m"],
            data["duration_s"],
        )


class UnservedStopAsDict(Transcoding):
    type = UnservedStop
    name = "unserved_stop"

    def encode(self, obj: UnservedStop) -> dict[str, Any]:
        return {"stop": obj.stop, "reason": obj.reason}

    def decode(self, data: dict[str, Any]) -> UnservedStop:
        return UnservedStop(data["stop"], data["reason"])


TRANSCODINGS: tuple[Transcoding, ...] = (
    DateAsISO(),
    TimeAsISO(),
    ActorAsDict(),
    GeoPointAsDict(),
    MemberAsDict(),
    PersonalDetailsAsDict(),
    EntitlementAsDict(),
    PlannedStopAsDict(),
    PlannedRouteAsDict(),
    UnservedStopAsDict(),
)


def register_transcodings(transcoder: Transcoder) -> None:
    """Teach the application's transcoder Kapıda's value objects."""
    for transcoding in TRANSCODINGS:
        transcoder.register(transcoding)  # type: ignore[attr-defined]
