"""Non-road OSM features (buildings, place nodes, address nodes) read from an OSM XML or PBF extract."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import osmnx as ox

from maps.errors import NetworkSourceError
from maps.network import _pbf_as_xml

TagFilter = dict[str, bool | str | list[str]]


def read_osm_features(source: Path | str, tags: TagFilter) -> gpd.GeoDataFrame:
    """Features matching `tags` (osmnx semantics) in WGS84; GraphML holds roads only and is refused."""
    path = Path(source)
    name = path.name.lower()
    if not path.is_file():
        raise NetworkSourceError(f"OSM extract not found: {path}")
    if name.endswith((".graphml", ".graphml.bz2")):
        raise NetworkSourceError(f"{path} is a GraphML road graph: it has no buildings or place names")
    try:
        if name.endswith(".pbf"):
            with _pbf_as_xml(path) as xml_path:
                return _features(xml_path, tags)
        return _features(path, tags)
    except (OSError, EOFError, ET.ParseError, KeyError, TypeError) as exc:
        raise NetworkSourceError(
            f"cannot read OSM features from {path}: {type(exc).__name__}: {exc}"
        ) from None


def _features(path: Path, tags: TagFilter) -> gpd.GeoDataFrame:
    """osmnx's reader; an extract with none of the tags gives an empty frame instead of an error."""
    try:
        return ox.features_from_xml(path, tags=tags)
    except ox._errors.InsufficientResponseError:
        return gpd.GeoDataFrame({"geometry": []}, geometry="geometry", crs="EPSG:4326")
