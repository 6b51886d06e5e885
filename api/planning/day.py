"""What a day's round asks of the fleet: the stops from the manifest or trip bookings, and the vehicles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from uuid import UUID

import orjson

from domain.errors import N_, InvalidValue
from domain.programmes import CATALOGUE, Programme
from domain.route_plan import PlannedStop, Round, StopKind, trip_stop_key
from domain.values import GeoPoint
from projections import dispatch_queries, queries
from projections.sql import ViewDatabase

HOUR = 3600
# Delivery windows per round, seconds from local midnight (door-step times municipalities announce).
WINDOWS: dict[tuple[Programme, Round], tuple[int, int]] = {
    (Programme.HOT_MEAL, Round.BREAKFAST): (7 * HOUR, 9 * HOUR),
    (Programme.HOT_MEAL, Round.DINNER): (17 * HOUR, 19 * HOUR),
    (Programme.MILK, Round.DAY): (9 * HOUR, 16 * HOUR),
    (Programme.FOOD_PARCEL, Round.DAY): (9 * HOUR, 17 * HOUR),
    (Programme.GLUTEN_FREE, Round.DAY): (9 * HOUR, 17 * HOUR),
    (Programme.ACCESSIBLE_TRANSPORT, Round.DAY): (7 * HOUR, 19 * HOUR),
}
SERVICE_S = {
    Programme.HOT_MEAL: 120,
    Programme.MILK: 60,
    Programme.FOOD_PARCEL: 180,
    Programme.GLUTEN_FREE: 180,
}
BOARDING_S = 180
MAX_RIDE_S = 45 * 60
EARLY_ARRIVAL_S = 30 * 60
SPEED_CLASS = {
    "van": "van",
    "refrigerated_van": "milk_van",
    "minibus_with_lift": "accessible_minibus",
    "truck": "van",
}


@dataclass(frozen=True)
class FleetVehicle:
    vehicle_id: UUID
    plate: str
    kind: str
    capacities: dict[str, int]
    shift_start_s: int
    shift_end_s: int
    depot_id: UUID
    depot: GeoPoint
    lift: bool


def dimensions_of(programme: Programme) -> tuple[str, ...]:
    if programme is Programme.ACCESSIBLE_TRANSPORT:
        return ("seats", "wheelchair_places")
    return (CATALOGUE[programme].dimension,)


def check_round(programme: Programme, round_: Round) -> tuple[int, int]:
    try:
        return WINDOWS[(programme, round_)]
    except KeyError:
        rounds = sorted(r.value for p, r in WINDOWS if p is programme)
        raise InvalidValue(
            "round",
            N_("{programme} runs in the round(s) {rounds}"),
            programme=programme,
            rounds=", ".join(rounds),
        ) from None


def _seconds(clock: str) -> int:
    moment = time.fromisoformat(clock)
    return moment.hour * HOUR + moment.minute * 60


def fleet_for(
    views: ViewDatabase, programme: Programme, include: frozenset[UUID] = frozenset()
) -> list[FleetVehicle]:
    """In-service vehicles of open depots that carry what the programme delivers.

    `include` adds vehicles whatever their state: re-planning a plan needs the van that just broke down.
    """
    rows = views.query(
        "SELECT v.vehicle_id, v.plate, v.kind, v.capacities, v.shift_start, v.shift_end, v.depot_id, "
        "d.lat, d.lon, v.wheelchair_lift, v.in_service=1 AND d.closed=0 "
        "FROM cl_vehicles v JOIN cl_depots d ON d.depot_id=v.depot_id ORDER BY v.plate"
    )
    wanted = dimensions_of(programme)[0]
    fleet = []
    for vid, plate, kind, caps, start, end, depot, lat, lon, lift, available in rows:
        capacities = orjson.loads(caps)
        if capacities.get(wanted, 0) > 0 and (available or UUID(vid) in include):
            fleet.append(
                FleetVehicle(
                    UUID(vid),
                    plate,
                    kind,
                    capacities,
                    _seconds(start),
                    _seconds(end),
                    UUID(depot),
                    GeoPoint(float(lat), float(lon)),
                    bool(lift),
                )
            )
    return fleet


def delivery_stops(views: ViewDatabase, day: date, programme: Programme, round_: Round) -> list[PlannedStop]:
    """The manifest's households as stops: quantity in the programme's unit, the round's window."""
    start, end = check_round(programme, round_)
    spec = CATALOGUE[programme]
    stops = []
    for line in queries.manifest(views, day, programme.value):
        if programme is Programme.HOT_MEAL and round_.value not in line.meals:
            continue
        quantity = line.quantity * (spec.kg_per_unit or 1)
        stops.append(
            PlannedStop(
                f"{line.enrolment_id}/{round_.value}",
                StopKind.DELIVERY,
                line.household_id,
                line.enrolment_id,
                GeoPoint(line.lat, line.lon),
                0,
                start,
                end,
                SERVICE_S[programme],
                quantity,
                "kg" if spec.kg_per_unit else spec.unit,
            )
        )
    return stops


def trip_stops(views: ViewDatabase, day: date) -> list[tuple[PlannedStop, PlannedStop]]:
    """Each booked trip as a pickup and a drop-off (and a second pair for the ride home)."""
    pairs = []
    for trip in dispatch_queries.trips_on(views, day):
        trip_id, household = UUID(trip["trip_id"]), UUID(trip["household_id"])
        home = GeoPoint(float(trip["pickup_lat"]), float(trip["pickup_lon"]))
        there = GeoPoint(float(trip["destination_lat"]), float(trip["destination_lon"]))
        seats = int(trip["seats"])
        unit = "wheelchair" if trip["wheelchair"] else "seat"
        appointment = _seconds(trip["appointment"])
        legs = [("out", home, there, appointment - EARLY_ARRIVAL_S, appointment)]
        if trip["return_at"]:
            back = _seconds(trip["return_at"])
            legs.append(("back", there, home, back, back + MAX_RIDE_S + EARLY_ARRIVAL_S))
        for leg, origin, target, ready, due in legs:
            pickup_window = (
                (max(0, ready - MAX_RIDE_S), due) if leg == "out" else (ready, ready + EARLY_ARRIVAL_S)
            )
            pairs.append(
                (
                    PlannedStop(
                        trip_stop_key(trip_id, leg, StopKind.PICKUP),
                        StopKind.PICKUP,
                        household,
                        trip_id,
                        origin,
                        0,
                        *pickup_window,
                        BOARDING_S,
                        seats,
                        unit,
                    ),
                    PlannedStop(
                        trip_stop_key(trip_id, leg, StopKind.DROPOFF),
                        StopKind.DROPOFF,
                        household,
                        trip_id,
                        target,
                        0,
                        ready,
                        due,
                        BOARDING_S,
                        seats,
                        unit,
                    ),
                )
            )
    return pairs
