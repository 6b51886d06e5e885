"""Depot and vehicle lists from the caseload read model, for the dispatcher's pages and the API."""

from __future__ import annotations

from typing import Any

import orjson

from domain.turkish import sort_key
from projections.sql import ViewDatabase


def depots(db: ViewDatabase) -> list[dict[str, Any]]:
    rows = db.query("SELECT depot_id, name, kind, lat, lon, district, neighbourhood, closed FROM cl_depots")
    listed = [
        {
            "id": ident,
            "name": name,
            "kind": kind,
            "location": {"lat": lat, "lon": lon},
            "district": district,
            "neighbourhood": hood,
            "closed": bool(closed),
        }
        for ident, name, kind, lat, lon, district, hood, closed in rows
    ]
    return sorted(listed, key=lambda depot: sort_key(str(depot["name"])))


def vehicles(db: ViewDatabase) -> list[dict[str, Any]]:
    rows = db.query(
        "SELECT vehicle_id, plate, kind, capacities, shift_start, shift_end, depot_id, wheelchair_lift, "
        "in_service FROM cl_vehicles ORDER BY plate"
    )
    return [
        {
            "id": ident,
            "plate": plate,
            "kind": kind,
            "capacities": orjson.loads(capacities),
            "shift_start": start,
            "shift_end": end,
            "depot_id": depot,
            "wheelchair_lift": bool(lift),
            "in_service": bool(in_service),
        }
        for ident, plate, kind, capacities, start, end, depot, lift, in_service in rows
    ]
