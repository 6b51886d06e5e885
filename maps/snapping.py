"""Snap points (households, depots) onto the nearest drivable street, refusing points that are not near one.

A point is placed on the nearest *edge*, not the nearest node: a house in the middle of a long street
is reached along that street, not via a junction 200 m away.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely

from maps.errors import InvalidPointError, SnapError
from maps.network import RoadNetwork

DEFAULT_MAX_SNAP_M = 500.0
# Closer than this to an edge's end, a point is at that junction and may leave it on any street.
AT_NODE_M = 0.5

Point = tuple[float, float]


@dataclass(frozen=True, eq=False)
class SnappedPoints:
    """Where each input point meets the network; arrays of length N, in input order.

    `edge[i]` is the edge index (see `RoadNetwork`), `offset_m[i]` how far along it (metres, in the
    metric CRS) the point lands, `edge_len_xy_m[i]` that edge's length in the same units, and
    `snap_distance_m[i]` the straight distance from the point to the street.
    """

    lat: np.ndarray
    lon: np.ndarray
    edge: np.ndarray
    offset_m: np.ndarray
    edge_len_xy_m: np.ndarray
    snap_distance_m: np.ndarray
    snapped_lat: np.ndarray
    snapped_lon: np.ndarray

    def __len__(self) -> int:
        """Number of points."""
        return len(self.lat)

    @property
    def fraction(self) -> np.ndarray:
        """Position along the edge, 0 at its start node and 1 at its end node."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.edge_len_xy_m > 0, self.offset_m / self.edge_len_xy_m, 0.0)


def check_points(points: Sequence[Point], *, allow_duplicates: bool = True) -> np.ndarray:
    """Validate `(lat, lon)` pairs first: finite, in range, and (optionally) pairwise distinct.

    Returns an (N, 2) float array. The error names the offending index and coordinates.
    """
    try:
        array = np.asarray(points, dtype=float).reshape(-1, 2)
    except (TypeError, ValueError):
        raise InvalidPointError(f"points must be (lat, lon) number pairs, got {points!r:.200}") from None
    if array.shape[0] == 0:
        raise InvalidPointError("no points given")
    finite = np.isfinite(array).all(axis=1)
    in_range = (np.abs(array[:, 0]) <= 90.0) & (np.abs(array[:, 1]) <= 180.0)
    bad = np.flatnonzero(~(finite & in_range))
    if len(bad):
        i = int(bad[0])
        lat, lon = array[i].tolist()
        reason = "has a NaN or infinite coordinate" if not finite[i] else "is not a (lat, lon) pair in range"
        raise InvalidPointError(f"point {i} ({lat}, {lon}) {reason}")
    if not allow_duplicates:
        _check_distinct(array)
    return array


def _check_distinct(array: np.ndarray) -> None:
    """Two stops at the same spot would make a matrix with a zero off the diagonal; name them."""
    _, first, counts = np.unique(array, axis=0, return_index=True, return_counts=True)
    if np.any(counts > 1):
        for i in np.argsort(first):
            if counts[i] > 1:
                dup = np.flatnonzero(np.all(array == array[first[i]], axis=1))
                lat, lon = array[first[i]]
                raise InvalidPointError(
                    f"points {dup.tolist()} are duplicates of ({lat}, {lon}); give each stop once"
                )


def snap_points(
    network: RoadNetwork, points: Sequence[Point], max_snap_m: float = DEFAULT_MAX_SNAP_M
) -> SnappedPoints:
    """Place each `(lat, lon)` on its nearest drivable edge; refuse points off the network.

    A point outside the network's area (its node hull widened by `max_snap_m`) or farther than
    `max_snap_m` from every drivable edge raises `SnapError` naming the point, never a far-away node.
    """
    if not (math.isfinite(max_snap_m) and max_snap_m > 0):
        raise ValueError(f"max_snap_m must be a positive number of metres, got {max_snap_m!r}")
    array = check_points(points)
    x, y = network.to_xy(array[:, 1], array[:, 0])
    geoms = np.asarray(shapely.points(x, y))
    _check_inside_area(network, geoms, array, max_snap_m)
    edge = nearest_edges(network, geoms)
    lines = network.edge_geom_xy[edge]
    distance = shapely.distance(geoms, lines)
    too_far = np.flatnonzero(distance > max_snap_m)
    if len(too_far):
        i = int(too_far[0])
        raise SnapError(
            f"point {i} ({array[i, 0]}, {array[i, 1]}) is {distance[i]:.0f} m from the nearest drivable "
            f"road (limit {max_snap_m:.0f} m); {len(too_far)} point(s) refused in all"
        )
    offset = shapely.line_locate_point(lines, geoms)
    on_street = shapely.line_interpolate_point(lines, offset)
    slon, slat = network.to_ll(shapely.get_x(on_street), shapely.get_y(on_street))
    return SnappedPoints(
        lat=array[:, 0],
        lon=array[:, 1],
        edge=edge,
        offset_m=np.asarray(offset, dtype=float),
        edge_len_xy_m=np.asarray(shapely.length(lines), dtype=float),
        snap_distance_m=np.asarray(distance, dtype=float),
        snapped_lat=slat,
        snapped_lon=slon,
    )


def _check_inside_area(network: RoadNetwork, geoms: np.ndarray, array: np.ndarray, max_snap_m: float) -> None:
    """Refuse points outside the area the network covers, before looking for a nearest edge.

    The area is the hull of the nodes widened by the snap limit (at least the default 500 m), so a
    point just beyond a strict limit is reported for its distance, one far away for being outside.
    """
    area = network.area_xy.buffer(max(max_snap_m, DEFAULT_MAX_SNAP_M))
    outside = np.flatnonzero(~shapely.contains(area, geoms))
    if len(outside):
        i = int(outside[0])
        raise SnapError(
            f"point {i} ({array[i, 0]}, {array[i, 1]}) is outside the road network's area "
            f"({network.report.source}); {len(outside)} point(s) refused in all"
        )


def distances_to_network_m(network: RoadNetwork, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Metres from each point to its nearest drivable edge; inf outside the network's area.

    For filtering many candidates (e.g. buildings) without raising on the first bad one.
    """
    x, y = network.to_xy(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    geoms = np.asarray(shapely.points(x, y))
    distance = np.asarray(shapely.distance(geoms, network.edge_geom_xy[nearest_edges(network, geoms)]))
    inside = shapely.contains(network.area_xy.buffer(DEFAULT_MAX_SNAP_M), geoms)
    return np.where(inside, distance, np.inf)


def nearest_edges(network: RoadNetwork, geoms: np.ndarray) -> np.ndarray:
    """Index of the nearest snappable edge (no tunnels) to each metric point (ties: the lowest index)."""
    found, item = network.edge_tree.query_nearest(geoms, return_distance=False, all_matches=True)
    nearest = np.full(len(geoms), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(nearest, found, network.snap_edges[item])
    return nearest
