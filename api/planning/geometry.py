"""A plan on the map: street-following route lines, stops and depots as GeoJSON, and a driver's GPX."""

from __future__ import annotations

from typing import Any
from uuid import UUID
from xml.sax.saxutils import escape

from shapely.geometry import mapping

import maps
from api.bootstrap import Services
from api.formatting import format_date
from api.i18n import translator
from api.planning.network import road_network
from domain.errors import N_, InvalidValue
from domain.route_plan import PlannedRoute, RoutePlan


def _points(services: Services, route: PlannedRoute) -> list[tuple[float, float]]:
    depot = services.app.depot(route.depot_id).location
    inner = [(s.location.lat, s.location.lon) for s in route.stops if s.location is not None]
    return [(depot.lat, depot.lon), *inner, (depot.lat, depot.lon)]


def _doors(route: PlannedRoute) -> bool:
    return any(s.location is not None for s in route.stops)


def _clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def _route_feature(services: Services, plan: RoutePlan, index: int, route: PlannedRoute) -> dict[str, Any]:
    line = maps.route_linestring(road_network(), _points(services, route))
    return {
        "type": "Feature",
        "geometry": mapping(line),
        "properties": {
            "kind": "route",
            "vehicle_id": str(route.vehicle_id),
            "plate": services.app.vehicle(route.vehicle_id).plate,
            "colour_index": index,
            "stops": len(route.stops),
            "distance_m": route.distance_m,
            "duration_s": route.duration_s,
            "depart": _clock(route.depart_s),
            "return": _clock(route.return_s),
        },
    }


def _point(lat: float, lon: float, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }


def plan_geojson(services: Services, plan_id: UUID) -> dict[str, Any]:
    """Routes on the streets (one feature per vehicle), every stop with its ETA or reason, and depots."""
    plan = services.app.route_plan(plan_id)
    features = [_route_feature(services, plan, i, r) for i, r in enumerate(plan.routes) if _doors(r)]
    for route in plan.routes:
        for seq, stop in enumerate(route.stops):
            if stop.location is None:
                continue  # an erased household's door: not on the map
            features.append(
                _point(
                    stop.location.lat,
                    stop.location.lon,
                    {
                        "kind": "stop",
                        "key": stop.key,
                        "seq": seq + 1,
                        "vehicle_id": str(route.vehicle_id),
                        "eta": _clock(stop.eta_s),
                        "quantity": stop.quantity,
                        "unit": stop.unit,
                        "stop_kind": stop.kind.value,
                    },
                )
            )
    for missed in plan.unserved:
        stop = missed.stop
        if stop.location is None:
            continue
        features.append(
            _point(
                stop.location.lat,
                stop.location.lon,
                {
                    "kind": "unserved",
                    "key": stop.key,
                    "reason": missed.reason,
                    "quantity": stop.quantity,
                    "unit": stop.unit,
                },
            )
        )
    for depot_id in sorted({r.depot_id for r in plan.routes}, key=str):
        depot = services.app.depot(depot_id)
        features.append(_point(depot.location.lat, depot.location.lon, {"kind": "depot", "name": depot.name}))
    return {"type": "FeatureCollection", "features": features, "attribution": maps.ATTRIBUTION}


def route_gpx(services: Services, plan_id: UUID, vehicle_id: UUID, lang: str = "tr") -> str:
    """GPX 1.1 of one vehicle's route: numbered waypoints with ETAs (no names: the phone may be lost),
    quantities, programme and round in the driver's language."""
    words = translator(lang)
    plan = services.app.route_plan(plan_id)
    route = plan.route_of(vehicle_id)
    if route is None:
        raise InvalidValue(
            "vehicle_id",
            N_("vehicle {vehicle_id} has no route in plan {plan_id}"),
            vehicle_id=vehicle_id,
            plan_id=plan_id,
        )
    line = maps.route_linestring(road_network(), _points(services, route)) if _doors(route) else None
    waypoints = "".join(
        f'<wpt lat="{s.location.lat:.6f}" lon="{s.location.lon:.6f}">'
        f"<name>{seq + 1:02d} {_clock(s.eta_s)}</name>"
        f"<desc>{escape(str(s.quantity) + ' ' + words.label(s.unit, 'unit'))}</desc></wpt>"
        for seq, s in enumerate(route.stops)
        if s.location is not None  # an erased household's door: no waypoint
    )
    track = "".join(f'<trkpt lat="{lat:.6f}" lon="{lon:.6f}"/>' for lon, lat in (line.coords if line else []))
    what = f"{words.label(plan.programme)} · {words.label(plan.round)}"
    title = escape(f"Kapıda {format_date(plan.day, words.lang)} {what}")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<gpx version="1.1" creator="Kapıda" xmlns="http://www.topografix.com/GPX/1/1">'
        f'<metadata><name>{title}</name><copyright author="OpenStreetMap contributors"/></metadata>'
        f"{waypoints}<trk><name>{title}</name><trkseg>{track}</trkseg></trk></gpx>"
    )
