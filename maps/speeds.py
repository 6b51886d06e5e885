"""Speeds per road class and travel time per edge.

Turkish law (Karayolları Trafik Yönetmeliği, art. 100) caps cars at 50 km/h inside settlements unless
signed otherwise. OSM rarely carries `maxspeed` in Turkish towns (6 of ~40,000 way segments in the Rize
extract), so every edge without one gets the default of its highway class below. The defaults are
free-flow speeds a delivery van can hold on a weekday, not legal limits: the 50 km/h urban limit on the
main roads, less on residential streets (parked cars, hills, junctions every 50 m) and walking pace on
living streets (`yaya öncelikli yol`).

| highway | km/h | highway | km/h |
|---|---|---|---|
| motorway | 90 | motorway_link | 50 |
| trunk | 70 | trunk_link | 40 |
| primary | 50 | primary_link | 40 |
| secondary | 50 | secondary_link | 35 |
| tertiary | 40 | tertiary_link | 30 |
| unclassified | 30 | road | 30 |
| residential | 25 | living_street | 10 |
| service | 15 | (anything else) | 25 |
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import networkx as nx

DEFAULT_SPEED_KPH: Mapping[str, float] = {
    "motorway": 90.0,
    "motorway_link": 50.0,
    "trunk": 70.0,
    "trunk_link": 40.0,
    "primary": 50.0,
    "primary_link": 40.0,
    "secondary": 50.0,
    "secondary_link": 35.0,
    "tertiary": 40.0,
    "tertiary_link": 30.0,
    "unclassified": 30.0,
    "road": 30.0,
    "residential": 25.0,
    "living_street": 10.0,
    "service": 15.0,
}
FALLBACK_SPEED_KPH = 25.0

# Named legal limits OSM uses instead of numbers (`maxspeed=TR:urban`).
_ZONE_SPEED_KPH: Mapping[str, float] = {
    "tr:urban": 50.0,
    "tr:rural": 90.0,
    "tr:trunk": 110.0,
    "tr:motorway": 120.0,
    "walk": 5.0,
    "tr:living_street": 10.0,
}
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(mph|km/h|kmh|kph)?\s*$")
_MPH_TO_KPH = 1.609344

# Per vehicle type: a minibus with a wheelchair lift is slower off the line and through junctions.
VEHICLE_SPEED_FACTOR: Mapping[str, float] = {
    "van": 1.0,
    "hot_meal_van": 1.0,
    "milk_van": 1.0,
    "accessible_minibus": 0.85,
}


def parse_maxspeed_kph(value: object) -> float | None:
    """The speed in km/h an OSM `maxspeed` value states, or None when it states none we can use.

    Simplified edges may carry a list (one value per merged way): their mean is used, like osmnx does.
    """
    if isinstance(value, list | tuple):
        speeds = [s for s in (parse_maxspeed_kph(v) for v in value) if s is not None]
        return sum(speeds) / len(speeds) if speeds else None
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    if text.startswith("[") and text.endswith("]"):
        return parse_maxspeed_kph([part.strip(" '\"") for part in text[1:-1].split(",")])
    if text in _ZONE_SPEED_KPH:
        return _ZONE_SPEED_KPH[text]
    match = _NUMBER.match(text)
    if match is None:
        return None
    speed = float(match.group(1)) * (_MPH_TO_KPH if match.group(2) == "mph" else 1.0)
    return speed if speed > 0 else None


def highway_classes(value: object) -> list[str]:
    """The highway classes of an edge: simplified edges may merge several (a list or its repr)."""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if not isinstance(value, str):
        return []
    text = value.strip()
    if text.startswith("[") and text.endswith("]"):
        return [part.strip(" '\"") for part in text[1:-1].split(",") if part.strip(" '\"")]
    return [text]


def default_speed_kph(highway: object) -> float:
    """The default speed of the fastest class an edge belongs to (a merged edge is mostly that road)."""
    speeds = [DEFAULT_SPEED_KPH[c] for c in highway_classes(highway) if c in DEFAULT_SPEED_KPH]
    return max(speeds) if speeds else FALLBACK_SPEED_KPH


def add_speeds_and_travel_times(graph: nx.MultiDiGraph) -> int:
    """Set `speed_kph` and `travel_time` (s) on every edge in place; return how many speeds were imputed.

    `length` must be metres (osmnx sets it). A stated `maxspeed` wins over the class default.
    """
    imputed = 0
    for _, _, data in graph.edges(data=True):
        stated = parse_maxspeed_kph(data.get("maxspeed"))
        if stated is None:
            imputed += 1
            speed = default_speed_kph(data.get("highway"))
        else:
            speed = stated
        length_m = float(data["length"])
        if not math.isfinite(length_m) or length_m < 0:
            raise ValueError(f"edge has an invalid length {data['length']!r} (expected metres >= 0)")
        data["speed_kph"] = speed
        data["travel_time"] = length_m / (speed / 3.6)
    return imputed


def check_speed_factor(speed_factor: float) -> float:
    """A speed factor must be a finite positive number (1.0 = the table above, 0.85 = 15 % slower)."""
    if not (isinstance(speed_factor, int | float) and math.isfinite(speed_factor) and speed_factor > 0):
        raise ValueError(f"speed_factor must be a finite number > 0, got {speed_factor!r}")
    return float(speed_factor)


def vehicle_speed_factor(vehicle_type: str) -> float:
    """The speed factor of a named vehicle type; unknown types are refused rather than guessed."""
    if vehicle_type not in VEHICLE_SPEED_FACTOR:
        raise ValueError(f"unknown vehicle type {vehicle_type!r}; known: {sorted(VEHICLE_SPEED_FACTOR)}")
    return VEHICLE_SPEED_FACTOR[vehicle_type]
