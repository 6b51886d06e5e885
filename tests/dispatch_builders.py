"""Builders for dispatch tests: a kitchen, vans, drivers and a small hand-made plan."""

from __future__ import annotations

from datetime import date, time
from uuid import UUID

from domain.fleet import DepotKind, VehicleKind
from domain.programmes import Programme
from domain.route_plan import PlannedRoute, PlannedStop, Round, StopKind, UnservedStop
from domain.service import Kapida
from domain.values import Actor, GeoPoint, Role
from tests.builders import DISPATCHER, RIZE, enrolled, register

ADMIN = Actor("admin", Role.ADMIN)
DAY = date(2026, 11, 20)


def kitchen_with_vans(app: Kapida, vans: int = 2) -> tuple[UUID, list[UUID]]:
    depot = app.register_depot(
        "Merkez Aşevi", DepotKind.CENTRAL_KITCHEN, RIZE, "Rize Merkez", "Tophane Mah.", DISPATCHER
    )
    ids = [
        app.register_vehicle(
            f"53 KPD {n}",
            VehicleKind.VAN,
            {"meal_containers": 40},
            (time(6), time(20)),
            depot,
            False,
            DISPATCHER,
        )
        for n in range(vans)
    ]
    return depot, ids


def stop(household: UUID, source: UUID, eta_s: int, key: str | None = None) -> PlannedStop:
    return PlannedStop(
        key or f"{source}/dinner",
        StopKind.DELIVERY,
        household,
        source,
        GeoPoint(41.02, 40.52),
        eta_s,
        17 * 3600,
        19 * 3600,
        120,
        2,
        "portion",
    )


def meal_plan(app: Kapida, households: int = 3) -> tuple[UUID, list[UUID], list[PlannedStop]]:
    """A dinner plan: all but the last household on van 0, the last one unserved (capacity)."""
    depot, vans = kitchen_with_vans(app)
    stops = []
    for n in range(households):
        household = register(app)
        stops.append(stop(household, enrolled(app, household, Programme.HOT_MEAL), 17 * 3600 + 600 * n))
    route = PlannedRoute(vans[0], depot, tuple(stops[:-1]), 17 * 3600 - 600, 19 * 3600, 12_000, 7200)
    plan = app.record_plan(
        DAY,
        Programme.HOT_MEAL,
        Round.DINNER,
        (route,),
        (UnservedStop(stops[-1], "capacity"),),
        {"stops": households, "vehicles": 1},
        DISPATCHER,
    )
    return plan, vans, stops
