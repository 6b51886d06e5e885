"""Route geometry follows the streets and agrees with the matrices; the PNG map is drawn or refused."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import shapely

from maps import (
    ATTRIBUTION,
    RoadNetwork,
    SnapError,
    render_routes_png,
    route_geojson,
    route_legs,
    route_linestring,
    routes_geodataframe,
    travel_matrices,
)


def _stops(network: RoadNetwork, n: int, seed: int) -> list[tuple[float, float]]:
    """Points near random junctions, most of them between junctions."""
    rng = np.random.default_rng(seed)
    near = rng.choice(network.n_nodes, n, replace=False)
    lat = network.node_lat[near] + rng.normal(0, 3e-4, n)
    lon = network.node_lon[near] + rng.normal(0, 3e-4, n)
    return list(zip(lat.tolist(), lon.tolist(), strict=True))


@pytest.mark.parametrize("city", ["rize", "antakya"])
def test_every_segment_of_a_route_lies_on_graph_edges(city: str, request: pytest.FixtureRequest) -> None:
    """Each vertex and each segment midpoint of the route line is within 0.5 m of a drivable edge."""
    network: RoadNetwork = request.getfixturevalue(city)
    line = route_linestring(network, _stops(network, 8, seed=21))
    lon, lat = np.asarray(line.coords).T
    x, y = network.to_xy(lon, lat)
    xy = np.column_stack([x, y])
    probes = shapely.points(np.vstack([xy, (xy[1:] + xy[:-1]) / 2]))
    streets = shapely.union_all(network.edge_geom_xy)
    assert shapely.distance(probes, streets).max() < 0.5
    assert len(line.coords) > 20  # it bends with the streets, not 8 straight hops


def test_leg_costs_equal_the_matrix_entries(rize: RoadNetwork) -> None:
    """Each leg's duration and distance, rounded, equal the matrix entries for that ordered pair."""
    stops = _stops(rize, 12, seed=22)
    legs = route_legs(rize, stops)
    matrices = travel_matrices(rize, stops)
    for i, leg in enumerate(legs):
        assert round(leg.duration_s) == matrices.duration_s[i, i + 1]
        assert abs(round(leg.distance_m) - matrices.distance_m[i, i + 1]) <= 1


def test_a_route_may_return_to_its_depot(tiny: RoadNetwork) -> None:
    """A tour depot → stop → depot is a closed street line (the same point twice is allowed here)."""
    depot, stop = (
        (tiny.graph.nodes[2]["y"], tiny.graph.nodes[2]["x"]),
        (tiny.graph.nodes[9]["y"], tiny.graph.nodes[9]["x"]),
    )
    line = route_linestring(tiny, [depot, stop, depot])
    assert line.coords[0] == pytest.approx(line.coords[-1])


def test_geojson_and_geodataframe_carry_route_totals(rize: RoadNetwork) -> None:
    """The GeoJSON Feature and the GeoDataFrame row hold the same street line and totals."""
    stops = _stops(rize, 5, seed=23)
    feature = route_geojson(rize, stops, properties={"vehicle": "V1"})
    frame = routes_geodataframe(rize, {"V1": stops, "V2": stops[::-1]})
    assert feature["type"] == "Feature" and feature["geometry"]["type"] == "LineString"
    assert feature["properties"]["attribution"] == ATTRIBUTION
    assert list(frame["vehicle"]) == ["V1", "V2"] and frame.crs.to_epsg() == 4326
    row = frame.iloc[0]
    assert (row["duration_s"], row["distance_m"]) == (
        feature["properties"]["duration_s"],
        feature["properties"]["distance_m"],
    )
    assert shapely.equals_exact(row.geometry, shapely.geometry.shape(feature["geometry"]), tolerance=1e-9)


def test_png_map_is_written_with_one_colour_per_vehicle(rize: RoadNetwork, tmp_path: Path) -> None:
    """A day's routes render to a PNG file over the street network."""
    stops = _stops(rize, 9, seed=24)
    out = render_routes_png(rize, {"V1": stops[:4], "V2": stops[4:]}, [stops[0]], tmp_path / "day.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.stat().st_size > 20_000


def test_png_map_with_a_point_at_sea_is_refused_and_not_written(rize: RoadNetwork, tmp_path: Path) -> None:
    """A route through the sea raises SnapError before any file is written."""
    stops = [*_stops(rize, 2, seed=25), (41.045, 40.52)]
    with pytest.raises(SnapError, match="point 2"):
        render_routes_png(rize, {"V1": stops}, [], tmp_path / "day.png")
    assert not (tmp_path / "day.png").exists()
