"""One `APIRouter` per resource; `ROUTERS` lists them in the order the OpenAPI page shows them."""

from __future__ import annotations

from fastapi import APIRouter

from api.routers import (
    applications,
    audit,
    auth,
    caseload,
    depots,
    enrolments,
    households,
    imports,
    map,
    plans,
    reports,
    stops,
    trips,
    users,
    vehicles,
)

ROUTERS: tuple[APIRouter, ...] = (
    auth.router,
    users.router,
    households.router,
    applications.router,
    enrolments.router,
    depots.router,
    vehicles.router,
    plans.router,
    stops.router,
    stops.driver_router,
    trips.router,
    caseload.router,
    reports.router,
    audit.router,
    map.router,
    imports.router,
)
