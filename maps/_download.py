"""The one module that reaches the internet: download a drive network through osmnx, cached as GraphML.

The second run with the same place name or polygon reads the cached file and stays offline.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import osmnx as ox
from shapely.geometry import Polygon

from maps.errors import NetworkSourceError
from maps.sources import REPO_ROOT


def download_cache_dir() -> Path:
    """Where downloaded networks are kept: `KAPIDA_CACHE_DIR`/networks, else `<repo>/var/cache/networks`."""
    override = os.environ.get("KAPIDA_CACHE_DIR")
    return (Path(override) if override else REPO_ROOT / "var" / "cache") / "networks"


def cached_graphml_path(query: str | Polygon, cache_dir: Path | None = None) -> Path:
    """Where the GraphML of a place name or polygon is (or will be) cached."""
    label = query if isinstance(query, str) else query.wkt
    key = hashlib.sha256(label.encode()).hexdigest()[:24]
    folder = Path(cache_dir) if cache_dir is not None else download_cache_dir()
    return folder / f"drive-{key}.graphml"


def download_graphml(query: str | Polygon, cache_dir: Path | None = None) -> Path:
    """The GraphML file of osmnx's "drive" network for a place name or WGS84 polygon, downloading once."""
    label = query if isinstance(query, str) else query.wkt
    if not label.strip():
        raise NetworkSourceError("an empty place name cannot be downloaded")
    target = cached_graphml_path(query, cache_dir)
    folder = target.parent
    if target.is_file():
        return target
    try:
        if isinstance(query, str):
            graph = ox.graph_from_place(query, network_type="drive", simplify=True)
        else:
            graph = ox.graph_from_polygon(query, network_type="drive", simplify=True)
    except Exception as exc:  # osmnx raises many types (HTTP, geocoder, empty response)
        raise NetworkSourceError(f"cannot download a road network for {label[:120]!r}: {exc}") from None
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".drive-", suffix=".graphml", dir=folder)
    os.close(fd)
    try:
        ox.save_graphml(graph, tmp)
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target
