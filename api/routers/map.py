"""The city's streets as GeoJSON, for a base map that works without internet access."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.planning import network_geojson
from api.security import CurrentUser

router = APIRouter(prefix="/api/map", tags=["map"])


@router.get("/network")
def network(user: CurrentUser) -> dict[str, Any]:
    """Drivable streets of the configured city (`KAPIDA_ROADS`) as a GeoJSON FeatureCollection."""
    return network_geojson()
