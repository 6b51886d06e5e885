"""Realistic household locations: sampled (with a seed) inside residential buildings of an OSM extract.

Households stand where people live: inside a residential building footprint (or on an address node),
within reach of the drivable network, with the street of the nearest named road, the house number
from OSM where tagged (generated otherwise, and flagged), and the district/neighbourhood of the spot.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from maps.areas import Boundaries, assign_areas
from maps.errors import MapsError
from maps.features import read_osm_features
from maps.network import RoadNetwork, load_network
from maps.snapping import DEFAULT_MAX_SNAP_M, distances_to_network_m, snap_points
from maps.sources import default_roads_source
from maps.speeds import highway_classes

# Households per building, by `building` value: a rough Turkish average (apartment blocks of 4-6
# storeys with two flats a floor). It only weights the sampling, so big blocks get more households.
HOUSEHOLDS_PER_BUILDING: Mapping[str, int] = {
    "apartments": 10,
    "residential": 6,
    "dormitory": 10,
    "yes": 3,
    "house": 1,
    "detached": 1,
    "semidetached_house": 1,
    "terrace": 2,
    "bungalow": 1,
    "farm": 1,
}
# A `building=yes` with one of these tags is a shop, office, mosque... not a home.
_NON_RESIDENTIAL_TAGS = ("amenity", "shop", "office", "tourism", "craft", "healthcare", "religion", "leisure")
_ADDRESS_NODE_RADIUS_DEG = 3e-5  # ~3 m: where an address node's household stands
_TRIES = 64


@dataclass(frozen=True)
class Address:
    """A household location. `housenumber_from_osm` is False when the number was generated."""

    lat: float
    lon: float
    street: str
    housenumber: str
    neighbourhood: str | None
    district: str | None
    building: str
    unit: int
    housenumber_from_osm: bool


def sample_residential_addresses(
    source: Path | str | None,
    n: int,
    seed: int,
    *,
    network: RoadNetwork | None = None,
    boundaries: Boundaries | None = None,
    max_snap_m: float = DEFAULT_MAX_SNAP_M,
) -> list[Address]:
    """`n` distinct household locations in residential buildings, the same for the same seed.

    Every location is snappable within `max_snap_m` of the drivable network of `source` (checked).
    """
    if n < 1:
        raise MapsError(f"n must be a positive number of households, got {n}")
    path = Path(source) if source is not None else default_roads_source()
    network = network if network is not None else load_network(path)
    homes = residential_buildings(path, network, max_snap_m)
    rng = np.random.default_rng(seed)
    weight = homes["households"].to_numpy(dtype=float)
    choice = rng.choice(len(homes), size=n, p=weight / weight.sum())
    lon, lat = _points_inside(homes.geometry.to_numpy()[choice], rng)
    snap_points(network, list(zip(lat.tolist(), lon.tolist(), strict=True)), max_snap_m=max_snap_m)
    areas = assign_areas(list(zip(lat.tolist(), lon.tolist(), strict=True)), boundaries)
    units = pd.Series(choice).groupby(choice).cumcount().to_numpy() + 1
    return [
        Address(
            lat=float(lat[i]),
            lon=float(lon[i]),
            street=str(homes["street"].iloc[b]),
            housenumber=str(homes["housenumber"].iloc[b]),
            neighbourhood=areas[i].neighbourhood,
            district=areas[i].district,
            building=str(homes["osm"].iloc[b]),
            unit=int(units[i]),
            housenumber_from_osm=bool(homes["from_osm"].iloc[b]),
        )
        for i, b in enumerate(choice.tolist())
    ]


def residential_buildings(path: Path, network: RoadNetwork, max_snap_m: float) -> gpd.GeoDataFrame:
    """Homes near the network: columns `osm`, `households`, `street`, `housenumber`, `from_osm`, geometry."""
    tags: dict[str, bool | str | list[str]] = {"building": True, "addr:housenumber": True}
    features = read_osm_features(path, tags)
    homes = features[_is_home(features)].copy()
    if homes.empty:
        raise MapsError(f"{path} has no residential building or address node to place households in")
    points = homes.geometry.geom_type == "Point"
    homes.loc[points, "geometry"] = shapely.buffer(
        homes.geometry[points].to_numpy(), _ADDRESS_NODE_RADIUS_DEG
    )
    centre = homes.geometry.representative_point()
    reach = distances_to_network_m(network, centre.y.to_numpy(), centre.x.to_numpy())
    homes = homes[reach <= max_snap_m - 50.0]  # the footprint's far corner must still be in reach
    if homes.empty:
        raise MapsError(
            f"no residential building of {path} lies within {max_snap_m:.0f} m of a drivable road"
        )
    homes["osm"] = [f"{kind}/{osm_id}" for kind, osm_id in homes.index]
    homes["households"] = [_households(row) for _, row in homes.iterrows()]
    return _with_streets(homes.reset_index(drop=True), network)


def _is_home(features: gpd.GeoDataFrame) -> pd.Series:
    """Residential building polygons, and address nodes that are not businesses."""
    building = features.get("building", pd.Series(index=features.index, dtype=object))
    business = pd.Series(False, index=features.index)
    for tag in _NON_RESIDENTIAL_TAGS:
        if tag in features:
            business |= features[tag].notna()
    polygon = features.geometry.geom_type.isin(["Polygon", "MultiPolygon"])
    residential = building.isin(list(HOUSEHOLDS_PER_BUILDING)) & polygon
    address_node = (features.geometry.geom_type == "Point") & features.get(
        "addr:housenumber", pd.Series(index=features.index, dtype=object)
    ).notna()
    return (residential | address_node) & ~business


def _households(row: pd.Series) -> int:
    """Households a building holds (its sampling weight); `building:levels` refines apartment blocks."""
    kind = str(row.get("building"))
    levels = pd.to_numeric(pd.Series([row.get("building:levels")]), errors="coerce").iloc[0]
    if kind in ("apartments", "residential") and pd.notna(levels) and levels > 0:
        return int(2 * levels)
    return HOUSEHOLDS_PER_BUILDING.get(kind, 1)


def _with_streets(homes: gpd.GeoDataFrame, network: RoadNetwork) -> gpd.GeoDataFrame:
    """Street from `addr:street` or the nearest named road; number from OSM or generated per street."""
    named = [i for i, name in enumerate(_edge_names(network)) if name]
    names = _edge_names(network)
    tree = shapely.STRtree(network.edge_geom_xy[named])
    centre = homes.geometry.representative_point()
    x, y = network.to_xy(centre.x.to_numpy(), centre.y.to_numpy())
    found, hit = tree.query_nearest(shapely.points(x, y), all_matches=False)
    nearest = np.empty(len(homes), dtype=object)
    nearest[found] = [names[named[h]] for h in hit]
    tagged_street = homes.get("addr:street", pd.Series(index=homes.index, dtype=object))
    homes["street"] = tagged_street.where(tagged_street.notna(), pd.Series(nearest, index=homes.index))
    tagged_number = homes.get("addr:housenumber", pd.Series(index=homes.index, dtype=object))
    homes["from_osm"] = tagged_number.notna()
    generated = homes.groupby("street").cumcount() + 1
    homes["housenumber"] = tagged_number.where(homes["from_osm"], generated.astype(str))
    return homes


def _edge_names(network: RoadNetwork) -> list[str]:
    """The `name` of each edge (the first one when osmnx merged several ways), '' when unnamed."""
    graph = network.graph
    out = []
    for u, v, k in zip(network.edge_u, network.edge_v, network.edge_key, strict=True):
        name = graph.edges[int(network.node_ids[u]), int(network.node_ids[v]), int(k)].get("name")
        names = highway_classes(name)  # also unpacks a list, or its string form after a GraphML round trip
        out.append(names[0].strip() if names and names[0] != "nan" else "")
    return out


def _points_inside(polygons: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """One uniform random point inside each polygon (rejection sampling in its bounding box)."""
    bounds = shapely.bounds(polygons)
    lon = np.empty(len(polygons))
    lat = np.empty(len(polygons))
    todo = np.arange(len(polygons))
    for _ in range(_TRIES):
        if len(todo) == 0:
            break
        b = bounds[todo]
        cx = b[:, 0] + rng.random(len(todo)) * (b[:, 2] - b[:, 0])
        cy = b[:, 1] + rng.random(len(todo)) * (b[:, 3] - b[:, 1])
        inside = shapely.contains_xy(polygons[todo], cx, cy)
        lon[todo[inside]], lat[todo[inside]] = cx[inside], cy[inside]
        todo = todo[~inside]
    if len(todo):  # thin slivers: their representative point is inside by construction
        rep = shapely.point_on_surface(polygons[todo])
        lon[todo], lat[todo] = shapely.get_x(rep), shapely.get_y(rep)
    return lon, lat
