"""Snapping points onto streets: nearest edge, reported distance, and refusal of bad or far points."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from maps import InvalidPointError, RoadNetwork, SnapError, snap_points
from tests.maps.conftest import BASE_LAT, BASE_LON, STEP_LAT, STEP_LON


def test_point_mid_street_snaps_to_that_street_not_a_junction(tiny: RoadNetwork) -> None:
    """A house 20 m north of the middle of row 0 (between nodes 2 and 3) lands on that street, 20 m away."""
    lat = BASE_LAT + 20 / 111_195
    lon = BASE_LON + 1.5 * STEP_LON  # halfway between nodes 2 and 3
    snapped = snap_points(tiny, [(lat, lon)])
    edge = int(snapped.edge[0])
    ends = {int(tiny.node_ids[tiny.edge_u[edge]]), int(tiny.node_ids[tiny.edge_v[edge]])}
    assert ends == {2, 6}  # the merged street 2-3-6
    assert snapped.snap_distance_m[0] == pytest.approx(20.0, abs=0.5)
    assert 0.1 < snapped.fraction[0] < 0.9


def test_reported_snap_distance_matches_the_street_geometry(rize: RoadNetwork) -> None:
    """The snap distance equals the metric distance from the point to the street it snapped to."""
    rng = np.random.default_rng(5)
    points = list(zip(rng.uniform(41.015, 41.03, 50), rng.uniform(40.50, 40.56, 50), strict=True))
    snapped = snap_points(rize, points, max_snap_m=2000)
    x, y = rize.to_xy(snapped.lon, snapped.lat)
    expected = shapely.distance(shapely.points(x, y), rize.edge_geom_xy[snapped.edge])
    assert np.allclose(snapped.snap_distance_m, expected)
    streets = rize.edge_geom_xy[rize.snap_edges][None, :]  # every edge a stop may use
    all_edges = shapely.distance(shapely.points(x, y)[:, None], streets).min(axis=1)
    assert np.allclose(snapped.snap_distance_m, all_edges)


def test_point_in_the_sea_is_refused_by_index_and_coordinates(rize: RoadNetwork) -> None:
    """A point 1.5 km out in the Black Sea off Rize is refused, named, not routed to the coast road."""
    points = [(41.0236, 40.5266), (41.045, 40.52)]
    with pytest.raises(SnapError, match=r"point 1 \(41\.045, 40\.52\)"):
        snap_points(rize, points)


def test_point_outside_the_network_area_is_refused(rize: RoadNetwork) -> None:
    """A point in Ankara is outside the Rize network's area and is refused as such."""
    with pytest.raises(SnapError, match="outside the road network's area"):
        snap_points(rize, [(39.92, 32.85)])


def test_snap_limit_is_configurable(tiny: RoadNetwork) -> None:
    """A point 300 m south of the grid is refused with a 200 m limit and accepted with the 500 m default."""
    point = (BASE_LAT - 300 / 111_195, BASE_LON + STEP_LON)
    with pytest.raises(SnapError, match="limit 200 m"):
        snap_points(tiny, [point], max_snap_m=200)
    assert snap_points(tiny, [point]).snap_distance_m[0] == pytest.approx(300, abs=2)


@pytest.mark.parametrize(
    ("point", "message"),
    [
        ((math.nan, 40.52), "NaN"),
        ((41.02, math.inf), "NaN or infinite"),
        ((140.0, 40.0), "not a .lat, lon. pair"),
    ],
)
def test_invalid_coordinates_are_refused_by_index(
    tiny: RoadNetwork, point: tuple[float, float], message: str
) -> None:
    """NaN, infinite and out-of-range coordinates raise InvalidPointError naming point 1."""
    with pytest.raises(InvalidPointError, match=rf"point 1 .*{message}"):
        snap_points(tiny, [(BASE_LAT, BASE_LON), point])


def test_junction_point_snaps_with_zero_distance(tiny: RoadNetwork) -> None:
    """A point exactly at a grid node is on the network: zero snap distance, at an edge end."""
    snapped = snap_points(tiny, [(BASE_LAT + STEP_LAT, BASE_LON + STEP_LON)])
    assert snapped.snap_distance_m[0] == pytest.approx(0.0, abs=1e-6)
    assert min(snapped.fraction[0], 1 - snapped.fraction[0]) == pytest.approx(0.0, abs=1e-6)


def test_a_house_above_a_tunnel_snaps_to_the_street_on_top(rize: RoadNetwork) -> None:
    """A point over the middle of a tunnel (Rize has 14 tunnel edges) lands on an open street instead."""
    tunnels = [e for e in range(len(rize.edge_u)) if e not in set(rize.snap_edges.tolist())]
    assert tunnels
    for e in tunnels[:5]:
        middle = rize.edge_geom_ll[e].interpolate(0.5, normalized=True)
        snapped = snap_points(rize, [(middle.y, middle.x)], max_snap_m=2000)
        u, v, k = (
            int(rize.node_ids[rize.edge_u[snapped.edge[0]]]),
            int(rize.node_ids[rize.edge_v[snapped.edge[0]]]),
            int(rize.edge_key[snapped.edge[0]]),
        )
        assert rize.graph.edges[u, v, k].get("tunnel") in (None, "no")
        assert snapped.snap_distance_m[0] > 1.0


def test_tunnels_and_motorways_are_not_snappable_but_ordinary_streets_are() -> None:
    """Stops never go into a tunnel or onto a motorway; a building passage is an ordinary street."""
    from maps.network import is_snappable

    assert not is_snappable({"highway": "primary", "tunnel": "yes"})
    assert not is_snappable({"highway": ["primary", "secondary"], "tunnel": ["yes", "no"]})
    assert not is_snappable({"highway": "motorway_link"})
    assert is_snappable({"highway": "residential", "tunnel": "building_passage"})
    assert is_snappable({"highway": "residential"})
