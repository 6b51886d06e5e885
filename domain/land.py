"""Is a point on Türkiye's land? A household in the Black Sea is a typing mistake, not a household.

The outline (`domain/data/turkiye_land.json`, 1,652 vertices) is the union of every district of Türkiye
(`tr_ilce.gpkg`, MIT) widened by ~1.1 km so seafront houses and piers stay inside, then simplified. Plain
ray casting over it takes well under a millisecond, with no geometry library in the domain.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from domain.errors import N_, InvalidValue
from domain.values import GeoPoint

OUTLINE = Path(__file__).resolve().parent / "data" / "turkiye_land.json"
Ring = tuple[tuple[float, float], ...]


@lru_cache(maxsize=1)
def _land() -> tuple[tuple[tuple[float, float, float, float], Ring, tuple[Ring, ...]], ...]:
    """Each polygon's bounding box (W, S, E, N), outer ring and holes, as (lon, lat) pairs."""
    polygons = json.loads(OUTLINE.read_text())["polygons"]
    land = []
    for polygon in polygons:
        outer: Ring = tuple((float(x), float(y)) for x, y in polygon["outer"])
        holes = tuple(tuple((float(x), float(y)) for x, y in hole) for hole in polygon["holes"])
        xs, ys = [x for x, _ in outer], [y for _, y in outer]
        land.append(((min(xs), min(ys), max(xs), max(ys)), outer, holes))
    return tuple(land)


def _inside(ring: Ring, x: float, y: float) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def on_land(point: GeoPoint) -> bool:
    x, y = point.lon, point.lat
    for (west, south, east, north), outer, holes in _land():
        if west <= x <= east and south <= y <= north and _inside(outer, x, y):
            return not any(_inside(hole, x, y) for hole in holes)
    return False


def check_on_land(field: str, point: GeoPoint) -> GeoPoint:
    """Refuse points in the sea (more than ~1 km off the coast) or in a neighbouring country."""
    if not on_land(point):
        raise InvalidValue(
            field, N_("{lat:.5f}, {lon:.5f} is in the sea or outside Türkiye"), lat=point.lat, lon=point.lon
        )
    return point
