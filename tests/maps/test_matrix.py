"""Travel-time and distance matrices: exact agreement with networkx, one-way asymmetry, the disk cache."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from maps import InvalidPointError, RoadNetwork, SnapError, load_network, snap_points, travel_matrices
from maps.matrix import ACCESS_SPEED_KPH
from tests.maps.conftest import BASE_LAT, BASE_LON, STEP_LAT, STEP_LON, tiny_osm_xml


def _node_point(network: RoadNetwork, osm_id: int) -> tuple[float, float]:
    """The (lat, lon) of a graph node."""
    return network.graph.nodes[osm_id]["y"], network.graph.nodes[osm_id]["x"]


@pytest.mark.parametrize("city", ["rize", "antakya"])
def test_node_to_node_entries_equal_networkx_exactly(city: str, request: pytest.FixtureRequest) -> None:
    """For points at junctions, every entry equals networkx's shortest_path_length rounded to seconds."""
    network: RoadNetwork = request.getfixturevalue(city)
    rng = np.random.default_rng(11)
    ids = [int(n) for n in rng.choice(network.node_ids, 60, replace=False)]
    result = travel_matrices(network, [_node_point(network, n) for n in ids])
    for i in rng.choice(len(ids), 6, replace=False):
        lengths = nx.single_source_dijkstra_path_length(network.graph, ids[i], weight="travel_time")
        expected = [round(lengths[target]) for target in ids]
        assert result.duration_s[i].tolist() == expected


def test_distances_are_those_of_the_fastest_route(rize: RoadNetwork) -> None:
    """distance_m equals the summed length of networkx's fastest path (fastest parallel edge per hop)."""
    rng = np.random.default_rng(12)
    ids = [int(n) for n in rng.choice(rize.node_ids, 25, replace=False)]
    result = travel_matrices(rize, [_node_point(rize, n) for n in ids])
    for i, source in enumerate(ids[:5]):
        _, paths = nx.single_source_dijkstra(rize.graph, source, weight="travel_time")
        for j, target in enumerate(ids):
            hops = zip(paths[target], paths[target][1:], strict=False)
            fastest = [min(rize.graph[u][v].values(), key=lambda d: d["travel_time"]) for u, v in hops]
            assert result.distance_m[i, j] == round(sum(d["length"] for d in fastest))


def _split_graph(network: RoadNetwork, points: list[tuple[float, float]]) -> nx.MultiDiGraph:
    """The graph with each snapped point inserted as a node splitting its street (and its twin)."""
    snapped = snap_points(network, points)
    graph = nx.MultiDiGraph(network.graph)
    for i in range(len(points)):
        e, f = int(snapped.edge[i]), float(snapped.fraction[i])
        u, v = (int(network.node_ids[network.edge_u[e]]), int(network.node_ids[network.edge_v[e]]))
        access_s = snapped.snap_distance_m[i] / (ACCESS_SPEED_KPH / 3.6)
        t = network.edge_time_s[e]
        graph.add_edge(u, ("p", i), travel_time=f * t + access_s)
        graph.add_edge(("p", i), v, travel_time=(1 - f) * t + access_s)
        twin = int(network.edge_reverse[e])
        if twin >= 0:
            graph.add_edge(v, ("p", i), travel_time=(1 - f) * network.edge_time_s[twin] + access_s)
            graph.add_edge(("p", i), u, travel_time=f * network.edge_time_s[twin] + access_s)
    return graph


def test_mid_street_entries_equal_networkx_on_the_split_graph(rize: RoadNetwork) -> None:
    """Points between junctions (with snap offsets) match networkx on a graph split at each point."""
    rng = np.random.default_rng(13)
    near = rng.choice(rize.n_nodes, 80, replace=False)
    lat = rize.node_lat[near] + rng.normal(0, 4e-4, 80)  # within ~50 m of a junction, mostly mid-street
    lon = rize.node_lon[near] + rng.normal(0, 4e-4, 80)
    candidates = list(zip(lat.tolist(), lon.tolist(), strict=True))
    snapped = snap_points(rize, candidates)
    twin = rize.edge_reverse[snapped.edge]
    street = np.where(twin >= 0, np.minimum(snapped.edge, twin), snapped.edge)
    _, first = np.unique(street, return_index=True)
    points = [candidates[i] for i in sorted(first)][:30]  # one point per street: no shortcuts between them
    result = travel_matrices(rize, points)
    graph = _split_graph(rize, points)
    for i in range(0, len(points), 3):
        lengths = nx.single_source_dijkstra_path_length(graph, ("p", i), weight="travel_time")
        expected = [0 if j == i else round(lengths[("p", j)]) for j in range(len(points))]
        assert result.duration_s[i].tolist() == expected
    assert result.snap_distance_m.max() > 5  # the offsets were really exercised


def test_one_way_street_gives_asymmetric_entries(tiny: RoadNetwork) -> None:
    """Along the one-way 2→5 the trip is direct; back from 5 to 2 it must go round the block."""
    at_2, at_5 = _node_point(tiny, 2), _node_point(tiny, 5)
    quarter = (BASE_LAT + 0.25 * STEP_LAT, BASE_LON + STEP_LON)
    three_quarters = (BASE_LAT + 0.75 * STEP_LAT, BASE_LON + STEP_LON)
    result = travel_matrices(tiny, [at_2, at_5, quarter, three_quarters])
    one_way_s = tiny.graph.edges[2, 5, 0]["travel_time"]
    assert result.duration_s[0, 1] == round(one_way_s)
    assert result.duration_s[1, 0] == round(nx.shortest_path_length(tiny.graph, 5, 2, weight="travel_time"))
    assert result.duration_s[1, 0] > 2 * result.duration_s[0, 1]
    assert result.duration_s[2, 3] == pytest.approx(0.5 * one_way_s, abs=1)
    assert result.duration_s[3, 2] > result.duration_s[0, 1]
    assert not np.array_equal(result.duration_s, result.duration_s.T)


def test_two_way_street_shortcut_between_points_on_it(tiny: RoadNetwork) -> None:
    """Two points on the same two-way street reach each other along it, in both directions."""
    a = (BASE_LAT + STEP_LAT, BASE_LON + 1.2 * STEP_LON)
    b = (BASE_LAT + STEP_LAT, BASE_LON + 1.7 * STEP_LON)
    result = travel_matrices(tiny, [a, b])
    street_s = tiny.graph.edges[5, 6, 0]["travel_time"]
    assert result.duration_s[0, 1] == result.duration_s[1, 0] == round(0.5 * street_s)


def test_matrices_are_square_integer_with_a_zero_diagonal(rize: RoadNetwork) -> None:
    """Both matrices are N×N integer arrays, zero on the diagonal and positive elsewhere."""
    rng = np.random.default_rng(14)
    points = list(zip(rng.uniform(41.015, 41.03, 40), rng.uniform(40.50, 40.56, 40), strict=True))
    result = travel_matrices(rize, points)
    for matrix in (result.duration_s, result.distance_m):
        assert matrix.shape == (40, 40)
        assert np.issubdtype(matrix.dtype, np.integer)
        assert not matrix.diagonal().any()
        assert (matrix + np.eye(40, dtype=int) > 0).all()


def test_speed_factor_scales_durations_not_distances(tiny: RoadNetwork) -> None:
    """A vehicle at 0.5× speed takes twice as long (±1 s rounding) over the same distance."""
    points = [_node_point(tiny, 2), _node_point(tiny, 9), _node_point(tiny, 4)]
    base = travel_matrices(tiny, points)
    slow = travel_matrices(tiny, points, speed_factor=0.5)
    assert np.all(np.abs(slow.duration_s - 2 * base.duration_s) <= 1)
    assert np.array_equal(slow.distance_m, base.distance_m)
    with pytest.raises(ValueError, match="speed_factor"):
        travel_matrices(tiny, points, speed_factor=0)


def test_duplicate_points_are_refused_naming_both(tiny: RoadNetwork) -> None:
    """The same stop twice is refused with both indices named."""
    point = _node_point(tiny, 5)
    with pytest.raises(InvalidPointError, match=r"points \[0, 2\] are duplicates"):
        travel_matrices(tiny, [point, _node_point(tiny, 2), point])


def test_a_failed_run_caches_nothing(rize: RoadNetwork, tmp_path: Path) -> None:
    """A matrix refused for a point in the sea leaves the cache folder empty."""
    with pytest.raises(SnapError, match="point 1"):
        travel_matrices(rize, [(41.0236, 40.5266), (41.045, 40.52)], cache_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_replan_reads_the_cache(rize: RoadNetwork, tmp_path: Path) -> None:
    """The second identical request comes from disk with identical matrices; other points miss."""
    points = [(41.0236, 40.5266), (41.0222, 40.5249), (41.0241, 40.5228)]
    first = travel_matrices(rize, points, cache_dir=tmp_path)
    second = travel_matrices(rize, points, cache_dir=tmp_path)
    assert (first.from_cache, second.from_cache) == (False, True)
    assert np.array_equal(first.duration_s, second.duration_s)
    assert np.array_equal(first.distance_m, second.distance_m)
    assert not travel_matrices(rize, points[:2], cache_dir=tmp_path).from_cache


def test_cache_is_invalidated_when_the_network_changes(tiny: RoadNetwork, tmp_path: Path) -> None:
    """After the tertiary road's limit changes, the same points are recomputed, with new durations."""
    points = [_node_point(tiny, 6), _node_point(tiny, 9)]
    before = travel_matrices(tiny, points, cache_dir=tmp_path)
    changed_path = tmp_path / "faster.osm"
    changed_path.write_text(tiny_osm_xml(tertiary_maxspeed="60"), encoding="utf-8")
    after = travel_matrices(load_network(changed_path), points, cache_dir=tmp_path)
    assert not after.from_cache
    assert after.cache_key != before.cache_key
    assert after.duration_s[0, 1] < before.duration_s[0, 1]


def test_a_corrupt_cache_file_is_recomputed_not_trusted(tiny: RoadNetwork, tmp_path: Path) -> None:
    """A damaged cache entry is ignored: the matrix is recomputed and the entry rewritten."""
    points = [_node_point(tiny, 2), _node_point(tiny, 9)]
    first = travel_matrices(tiny, points, cache_dir=tmp_path)
    entry = tmp_path / f"matrix-{first.cache_key}.npz"
    entry.write_bytes(b"not an npz file")
    again = travel_matrices(tiny, points, cache_dir=tmp_path)
    assert not again.from_cache
    assert np.array_equal(again.duration_s, first.duration_s)
    assert travel_matrices(tiny, points, cache_dir=tmp_path).from_cache


def test_a_single_point_gives_a_one_by_one_zero_matrix(tiny: RoadNetwork) -> None:
    """One stop is a valid request: its matrix is [[0]]; no stop at all is refused."""
    result = travel_matrices(tiny, [_node_point(tiny, 5)])
    assert result.duration_s.tolist() == [[0]] and result.distance_m.tolist() == [[0]]
    with pytest.raises(InvalidPointError, match="no points"):
        travel_matrices(tiny, [])
