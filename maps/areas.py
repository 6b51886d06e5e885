"""Assign points to districts (ilçe) and neighbourhoods (mahalle) for caseload reports by area.

Polygons come from the shared GeoPackages (read with a bounding-box filter, repaired with
`make_valid()`), or, without them, from the OSM extract itself: each neighbourhood is the Voronoi cell
of its `place=neighbourhood|suburb|quarter|village` node, and the district comes from `addr:*` tags.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import box

from maps.errors import BoundaryError
from maps.features import read_osm_features
from maps.network import _utm_crs
from maps.snapping import Point, check_points
from maps.sources import default_boundary_files, default_roads_source

# A point just outside every polygon (a quay, a coastal road) takes the nearest one within this gap.
DEFAULT_MAX_GAP_M = 300.0
_PLACE_KINDS = ["neighbourhood", "suburb", "quarter", "village"]


@dataclass(frozen=True)
class Area:
    """The district and neighbourhood of one point (None where no polygon covers it)."""

    district: str | None
    neighbourhood: str | None
    province: str | None


@dataclass(frozen=True, eq=False)
class Boundaries:
    """Valid WGS84 polygons: `districts` (name, province) and `neighbourhoods` (name, district)."""

    districts: gpd.GeoDataFrame
    neighbourhoods: gpd.GeoDataFrame
    source: str


def load_boundaries(
    bbox: tuple[float, float, float, float],
    district_file: Path | None = None,
    neighbourhood_file: Path | None = None,
) -> Boundaries:
    """District and neighbourhood polygons meeting `bbox` (W, S, E, N) from the GeoPackages."""
    default_d, default_n = default_boundary_files()
    d_path, n_path = district_file or default_d, neighbourhood_file or default_n
    for path in (d_path, n_path):
        if not Path(path).is_file():
            raise BoundaryError(f"boundary file not found: {path}")
    districts = _read_layer(d_path, "ilce", bbox, {"ilce_adi": "name", "il_adi": "province"})
    hoods = _read_layer(n_path, "mahalle", bbox, {"mahalle_adi": "name", "ilce_adi": "district"})
    return Boundaries(districts, hoods, source=f"{d_path}, {n_path}")


def _read_layer(
    path: Path, layer: str, bbox: tuple[float, float, float, float], columns: dict[str, str]
) -> gpd.GeoDataFrame:
    """One layer, only the features meeting the bbox, with repaired geometry and our column names."""
    try:
        frame = gpd.read_file(path, layer=layer, bbox=bbox)
    except Exception as exc:  # pyogrio raises its own DataSourceError/DataLayerError types
        raise BoundaryError(f"cannot read layer {layer!r} of {path}: {exc}") from None
    missing = set(columns) - set(frame.columns)
    if missing:
        raise BoundaryError(f"layer {layer!r} of {path} lacks columns {sorted(missing)}")
    frame = frame.rename(columns=columns)[[*columns.values(), "geometry"]]
    frame["geometry"] = frame.geometry.make_valid()
    return frame.to_crs("EPSG:4326")


def osm_boundaries(source: Path | str | None = None) -> Boundaries:
    """Neighbourhood cells and one district polygon derived from the OSM extract's place and addr tags."""
    path = Path(source) if source is not None else default_roads_source()
    tags: dict[str, bool | str | list[str]] = {
        "place": [*_PLACE_KINDS, "city", "town"],
        "addr:district": True,
    }
    features = read_osm_features(path, tags)
    places = features[features.get("place", pd.Series(dtype=str)).isin(_PLACE_KINDS)]
    places = places[places.geometry.geom_type == "Point"].dropna(subset=["name"])
    if places.empty:
        raise BoundaryError(f"{path} has no named place=neighbourhood/suburb/quarter/village node")
    district, province = _district_name(features)
    cover = box(*features.total_bounds).buffer(0.02)
    cells = shapely.voronoi_polygons(shapely.MultiPoint(list(places.geometry)), extend_to=cover)
    hoods = gpd.GeoDataFrame(
        {"name": list(places["name"]), "district": district}, geometry=list(places.geometry), crs="EPSG:4326"
    )
    cell_frame = gpd.GeoDataFrame(geometry=list(cells.geoms), crs="EPSG:4326")
    hoods = gpd.sjoin(cell_frame, hoods, predicate="contains").drop(columns="index_right")
    hoods["geometry"] = hoods.geometry.intersection(cover)
    districts = gpd.GeoDataFrame(
        {"name": [district], "province": [province]}, geometry=[cover], crs="EPSG:4326"
    )
    return Boundaries(districts, hoods[["name", "district", "geometry"]], source=f"OSM {path}")


def _district_name(features: gpd.GeoDataFrame) -> tuple[str | None, str | None]:
    """The extract's most common `addr:district` and `addr:city`; a bare "Merkez" gets its city's name."""

    def most_common(column: str) -> str | None:
        if column not in features:
            return None
        counts = Counter(str(v) for v in features[column].dropna())
        return counts.most_common(1)[0][0] if counts else None

    district, city = most_common("addr:district"), most_common("addr:city")
    if district == "Merkez" and city:
        district = f"{city} Merkez"
    return district, city


def assign_areas(
    points: Sequence[Point],
    boundaries: Boundaries | None = None,
    *,
    osm_source: Path | str | None = None,
    max_gap_m: float = DEFAULT_MAX_GAP_M,
) -> list[Area]:
    """District and neighbourhood of each `(lat, lon)`, in input order.

    Without `boundaries`, the shared GeoPackages are used when present, else names derived from the
    OSM extract (`osm_source`, default the roads source). A point outside every polygon by more than
    `max_gap_m` gets None rather than a guess.
    """
    array = check_points(points)
    if boundaries is None:
        boundaries = _default_boundaries(array, osm_source)
    frame = gpd.GeoDataFrame(geometry=gpd.points_from_xy(array[:, 1], array[:, 0]), crs="EPSG:4326")
    crs = _utm_crs(float(array[:, 1].mean()), float(array[:, 0].mean()))
    district = _join(frame, boundaries.districts, "name", crs, max_gap_m)
    province = _join(frame, boundaries.districts, "province", crs, max_gap_m)
    hood = _join(frame, boundaries.neighbourhoods, "name", crs, max_gap_m)
    return [Area(d, n, p) for d, n, p in zip(district, hood, province, strict=True)]


def _default_boundaries(array: np.ndarray, osm_source: Path | str | None) -> Boundaries:
    """Shared GeoPackages around the points if they exist, else the OSM-derived fallback."""
    if all(path.is_file() for path in default_boundary_files()):
        pad = 0.01  # degrees (~1 km): keeps polygons just beyond the points for the nearest-polygon gap
        bbox = (
            float(array[:, 1].min()) - pad,
            float(array[:, 0].min()) - pad,
            float(array[:, 1].max()) + pad,
            float(array[:, 0].max()) + pad,
        )
        return load_boundaries(bbox)
    return osm_boundaries(osm_source)


def _join(
    frame: gpd.GeoDataFrame, polygons: gpd.GeoDataFrame, column: str, crs: str, max_gap_m: float
) -> list:
    """Value of `column` of the polygon containing each point, else of the nearest within the gap."""
    values: list[str | None] = [None] * len(frame)
    if polygons.empty:
        return values
    inside = gpd.sjoin(frame, polygons[[column, "geometry"]], predicate="within", how="left")
    inside = inside[~inside.index.duplicated(keep="first")]
    for i, value in zip(inside.index, inside[column], strict=True):
        values[i] = None if pd.isna(value) else str(value)
    missing = [i for i, v in enumerate(values) if v is None]
    if missing and max_gap_m > 0:
        near = gpd.sjoin_nearest(
            frame.iloc[missing].to_crs(crs),
            polygons[[column, "geometry"]].to_crs(crs),
            max_distance=max_gap_m,
        )
        near = near[~near.index.duplicated(keep="first")]
        for i, value in zip(near.index, near[column], strict=True):
            values[i] = None if pd.isna(value) else str(value)
    return values
