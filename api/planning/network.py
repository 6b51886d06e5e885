"""The road network the planner and the maps use, loaded once per process from `KAPIDA_ROADS`."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping

import maps


def cache_dir() -> Path:
    """Parsed graphs and travel-time matrices are cached beside the data (a re-plan reuses them)."""
    folder = Path(os.environ.get("KAPIDA_CACHE", "var/cache"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@lru_cache(maxsize=2)
def road_network(source: str | None = None) -> maps.RoadNetwork:
    return maps.load_network(source or maps.default_roads_source(), cache_dir=cache_dir() / "graphs")


@lru_cache(maxsize=2)
def network_geojson(source: str | None = None) -> dict[str, Any]:
    """The city's drivable streets as GeoJSON lines: the dispatcher's offline base map."""
    network = road_network(source)
    features = []
    for index, line in enumerate(network.edge_geom_ll):
        reverse = int(network.edge_reverse[index])
        if 0 <= reverse < index:  # a two-way street is drawn once
            continue
        geometry = mapping(shapely.set_precision(line, 1e-5))
        features.append({"type": "Feature", "properties": {}, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features, "attribution": maps.ATTRIBUTION}
