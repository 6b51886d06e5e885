"""Street-following geometry of routes: a LineString, GeoJSON, or a GeoDataFrame per vehicle.

A route is a sequence of `(lat, lon)` stops (it may revisit a point, e.g. end at its depot). Each leg
follows the fastest streets, starting and ending where the stops meet the street (the snapped point),
so every segment of the line lies on a graph edge.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from scipy.sparse.csgraph import dijkstra
from shapely.geometry import LineString, mapping
from shapely.ops import substring

from maps.errors import InvalidPointError
from maps.matrix import ACCESS_SPEED_KPH, _Access, access_options
from maps.network import RoadNetwork
from maps.snapping import AT_NODE_M, DEFAULT_MAX_SNAP_M, Point, SnappedPoints, snap_points


@dataclass(frozen=True)
class Leg:
    """One leg between consecutive stops: duration (s, float), distance (m) and its metric coordinates."""

    duration_s: float
    distance_m: float
    coords_xy: np.ndarray


def route_legs(
    network: RoadNetwork, points: Sequence[Point], max_snap_m: float = DEFAULT_MAX_SNAP_M
) -> list[Leg]:
    """The fastest leg between each pair of consecutive stops (at least two stops)."""
    if len(points) < 2:
        raise InvalidPointError(f"a route needs at least two stops, got {len(points)}")
    snapped = snap_points(network, points, max_snap_m=max_snap_m)
    acc = access_options(network, snapped)
    # One compiled Dijkstra call for every node the route leaves from, rather than one per leg.
    sources = np.unique(acc.dep_node[:-1][acc.dep_node[:-1] >= 0])
    times, pred = dijkstra(network.csr_time_s, directed=True, indices=sources, return_predecessors=True)
    row_of = {int(node): row for row, node in enumerate(sources)}
    trees = _Trees(times, pred, row_of)
    return [_leg(network, snapped, acc, trees, i) for i in range(len(points) - 1)]


@dataclass(frozen=True)
class _Trees:
    """Shortest-path trees (times and predecessors) from a route's leave nodes; `row_of[node]` is the row."""

    times: np.ndarray
    pred: np.ndarray
    row_of: dict[int, int]


def route_linestring(
    network: RoadNetwork, points: Sequence[Point], max_snap_m: float = DEFAULT_MAX_SNAP_M
) -> LineString:
    """The route through `points` along the streets, as one WGS84 LineString (lon, lat)."""
    return _legs_to_line(network, route_legs(network, points, max_snap_m))


def route_geojson(
    network: RoadNetwork,
    points: Sequence[Point],
    properties: Mapping[str, Any] | None = None,
    max_snap_m: float = DEFAULT_MAX_SNAP_M,
) -> dict[str, Any]:
    """A GeoJSON Feature of the route, with its duration (s) and distance (m) among the properties."""
    legs = route_legs(network, points, max_snap_m)
    props = {
        "duration_s": round(sum(leg.duration_s for leg in legs)),
        "distance_m": round(sum(leg.distance_m for leg in legs)),
        "stops": len(points),
        "attribution": "© OpenStreetMap contributors",
        **dict(properties or {}),
    }
    return {"type": "Feature", "geometry": mapping(_legs_to_line(network, legs)), "properties": props}


def routes_geodataframe(
    network: RoadNetwork, routes: Mapping[str, Sequence[Point]], max_snap_m: float = DEFAULT_MAX_SNAP_M
) -> gpd.GeoDataFrame:
    """One row per vehicle: `vehicle`, `stops`, `duration_s`, `distance_m`, street geometry (EPSG:4326)."""
    rows = []
    for vehicle, points in routes.items():
        legs = route_legs(network, points, max_snap_m)
        rows.append(
            {
                "vehicle": vehicle,
                "stops": len(points),
                "duration_s": round(sum(leg.duration_s for leg in legs)),
                "distance_m": round(sum(leg.distance_m for leg in legs)),
                "geometry": _legs_to_line(network, legs),
            }
        )
    columns = ["vehicle", "stops", "duration_s", "distance_m", "geometry"]
    return gpd.GeoDataFrame(rows, columns=columns, geometry="geometry", crs="EPSG:4326")


def _legs_to_line(network: RoadNetwork, legs: Sequence[Leg]) -> LineString:
    """Join leg coordinates, drop repeated vertices, and convert to lon/lat."""
    coords = np.vstack([leg.coords_xy for leg in legs])
    keep = np.ones(len(coords), dtype=bool)
    keep[1:] = np.any(np.abs(np.diff(coords, axis=0)) > 1e-6, axis=1)
    coords = coords[keep]
    if len(coords) == 1:  # every stop at the same spot: a degenerate but valid line
        coords = np.vstack([coords, coords])
    lon, lat = network.to_ll(coords[:, 0], coords[:, 1])
    return LineString(np.column_stack([lon, lat]))


def _subset(snapped: SnappedPoints, idx: list[int]) -> SnappedPoints:
    """The snapped points at `idx`, in that order."""
    return SnappedPoints(**{name: getattr(snapped, name)[idx] for name in SnappedPoints.__dataclass_fields__})


def _leg(network: RoadNetwork, snapped: SnappedPoints, acc: _Access, trees: _Trees, i: int) -> Leg:
    """The fastest leg from stop i to stop i + 1: via the graph, or straight along a shared street."""
    pair = _subset(snapped, [i, i + 1])
    best: tuple[float, float, list[np.ndarray]] | None = None
    for a in range(2):
        source = int(acc.dep_node[i, a])
        if source < 0:
            continue
        row = trees.row_of[source]
        for b in range(2):
            target = int(acc.arr_node[i + 1, b])
            if target < 0:
                continue
            t = acc.dep_time_s[i, a] + trees.times[row, target] + acc.arr_time_s[i + 1, b]
            if best is None or t < best[0]:
                path = _node_path(trees.pred[row], source, target)
                d = acc.dep_dist_m[i, a] + _path_length(network, path) + acc.arr_dist_m[i + 1, b]
                parts = [_end_piece(network, pair, 0, a, leaving=True), *_path_pieces(network, path)]
                parts.append(_end_piece(network, pair, 1, b, leaving=False))
                best = (float(t), float(d), parts)
    assert best is not None  # every snapped point has a forward option
    direct = _direct_piece(network, pair)
    if direct is not None and direct[0] <= best[0]:
        best = direct
    return Leg(best[0], best[1], np.vstack([p for p in best[2] if len(p)]))


def _node_path(pred: np.ndarray, source: int, target: int) -> list[int]:
    """Node indices from source to target along a predecessor tree."""
    path = [target]
    while path[-1] != source:
        path.append(int(pred[path[-1]]))
    return path[::-1]


def _path_length(network: RoadNetwork, path: list[int]) -> float:
    """Metres along the fastest edges of a node path."""
    return float(sum(network.pair_length_m[_pair(network, p, q)] for p, q in itertools.pairwise(path)))


def _pair(network: RoadNetwork, p: int, q: int) -> int:
    """Position of the fastest edge p→q in the `pair_*` arrays."""
    return int(np.searchsorted(network.pair_keys, p * network.n_nodes + q))


def _path_pieces(network: RoadNetwork, path: list[int]) -> list[np.ndarray]:
    """Metric coordinates of each edge along a node path."""
    edges = [int(network.pair_edge[_pair(network, p, q)]) for p, q in itertools.pairwise(path)]
    return [shapely.get_coordinates(network.edge_geom_xy[e]) for e in edges]


def _end_piece(
    network: RoadNetwork, pair: SnappedPoints, k: int, option: int, *, leaving: bool
) -> np.ndarray:
    """The part of the stop's street between the stop and the node it leaves to / arrives from.

    Option 0 runs along the edge (stop → end node when leaving, start node → stop when arriving);
    option 1 uses the twin edge, i.e. the same street the other way, so its piece is reversed.
    """
    line = network.edge_geom_xy[int(pair.edge[k])]
    offset, length = float(pair.offset_m[k]), float(pair.edge_len_xy_m[k])
    if offset <= AT_NODE_M or length - offset <= AT_NODE_M:  # at a junction: the stop is the node
        return shapely.get_coordinates(line.interpolate(offset))
    towards_end = (leaving and option == 0) or (not leaving and option == 1)
    start, end = (offset, length) if towards_end else (0.0, offset)
    coords = shapely.get_coordinates(substring(line, start, end))
    return coords[::-1] if option == 1 else coords


def _direct_piece(network: RoadNetwork, pair: SnappedPoints) -> tuple[float, float, list[np.ndarray]] | None:
    """Driving straight along the street both stops share, when its direction allows it."""
    e0, e1 = int(pair.edge[0]), int(pair.edge[1])
    twin0 = int(network.edge_reverse[e0])
    if e1 not in (e0, twin0):
        return None
    o0 = float(pair.offset_m[0])
    o1 = float(pair.offset_m[1]) if e1 == e0 else float(pair.edge_len_xy_m[1] - pair.offset_m[1])
    length = float(pair.edge_len_xy_m[0])
    edge = e0 if o1 >= o0 else twin0
    if edge < 0 or length <= 0:
        return None
    share = abs(o1 - o0) / length
    access = float(pair.snap_distance_m.sum())
    t = share * network.edge_time_s[edge] + access / (ACCESS_SPEED_KPH / 3.6)
    d = share * network.edge_length_m[edge] + access
    coords = shapely.get_coordinates(substring(network.edge_geom_xy[e0], min(o0, o1), max(o0, o1)))
    return float(t), float(d), [coords if o1 >= o0 else coords[::-1]]
