"""Loading road networks: drivable filtering, strong connectivity, speeds, bad files, fingerprints."""

from __future__ import annotations

import bz2
from pathlib import Path

import networkx as nx
import pytest

from maps import NetworkSourceError, NoDrivableRoadsError, RoadNetwork, load_network
from maps.network import DRIVABLE_HIGHWAYS
from maps.speeds import DEFAULT_SPEED_KPH, highway_classes, parse_maxspeed_kph
from tests.maps.conftest import tiny_osm_xml


def test_rize_keeps_only_drivable_strongly_connected_roads(rize: RoadNetwork) -> None:
    """Footways, steps and building outlines of the OSM XML are gone and every node reaches every other."""
    for _, _, data in rize.graph.edges(data=True):
        assert any(c in DRIVABLE_HIGHWAYS for c in highway_classes(data["highway"]))
    assert nx.is_strongly_connected(rize.graph)
    dropped = rize.report.dropped_by_highway
    assert dropped["footway"] > 0 and dropped["steps"] > 0 and dropped["(no highway tag)"] > 0
    assert 1000 < rize.report.nodes == rize.graph.number_of_nodes() == len(rize.node_ids)


def test_antakya_graphml_loads_as_a_second_city(antakya: RoadNetwork) -> None:
    """The osmnx GraphML of Antakya loads with travel times, strongly connected, and about 2,800 nodes."""
    assert antakya.report.kind == "graphml"
    assert nx.is_strongly_connected(antakya.graph)
    assert 2500 < antakya.report.nodes < 2829
    assert all(d["travel_time"] > 0 for *_, d in antakya.graph.edges(data=True))


def test_tiny_grid_report_names_what_was_dropped(tiny: RoadNetwork) -> None:
    """The loader drops the footway, steps, service road and building ring, and the one-way dead-end stub."""
    report = tiny.report
    assert report.dropped_by_highway == {"footway": 2, "steps": 2, "service": 2, "(no highway tag)": 8}
    assert (report.unconnected_nodes_dropped, report.unconnected_edges_dropped) == (1, 1)
    assert 10 not in tiny.graph
    assert report.oneway_edges == 1


def test_missing_maxspeed_gets_the_class_default_and_stated_maxspeed_wins(tiny: RoadNetwork) -> None:
    """Residential 5→8 has no maxspeed (25 km/h default); tertiary 6→9 states 30 km/h."""
    residential = tiny.graph.edges[5, 8, 0]
    tertiary = tiny.graph.edges[6, 9, 0]
    assert residential["speed_kph"] == DEFAULT_SPEED_KPH["residential"]
    assert residential["travel_time"] == pytest.approx(residential["length"] / (25 / 3.6))
    assert tertiary["speed_kph"] == 30.0
    assert tertiary["travel_time"] == pytest.approx(tertiary["length"] / (30 / 3.6))


@pytest.mark.parametrize(
    ("value", "kph"),
    [
        ("50", 50.0),
        ("30 mph", 48.28032),
        ("TR:urban", 50.0),
        (["30", "50"], 40.0),
        ("['30', '50']", 40.0),
        ("signals", None),
        (None, None),
        ("0", None),
    ],
)
def test_maxspeed_values_parse_to_kph(value: object, kph: float | None) -> None:
    """OSM maxspeed strings, zones and osmnx-merged lists become km/h; unusable values become None."""
    result = parse_maxspeed_kph(value)
    assert result == (pytest.approx(kph) if kph is not None else None)


def test_fingerprint_is_stable_and_changes_with_the_network(tiny: RoadNetwork, tmp_path: Path) -> None:
    """Loading the same file twice gives the same fingerprint; a different speed limit gives another."""
    same = tmp_path / "same.osm"
    same.write_text(tiny_osm_xml(), encoding="utf-8")
    faster = tmp_path / "faster.osm"
    faster.write_text(tiny_osm_xml(tertiary_maxspeed="50"), encoding="utf-8")
    assert load_network(same).fingerprint == tiny.fingerprint
    assert load_network(faster).fingerprint != tiny.fingerprint


def test_pbf_extract_loads_like_the_same_xml(tiny: RoadNetwork, tiny_path: Path, tmp_path: Path) -> None:
    """The same data written as .osm.pbf (by pyosmium) yields the identical network."""
    osmium = pytest.importorskip("osmium")
    pbf = tmp_path / "tiny.osm.pbf"
    with osmium.SimpleWriter(str(pbf)) as writer:
        for obj in osmium.FileProcessor(str(tiny_path)):
            writer.add(obj)
    network = load_network(pbf)
    assert network.report.kind == "osm-pbf"
    assert network.fingerprint == tiny.fingerprint


def test_missing_file_is_refused_by_name(tmp_path: Path) -> None:
    """A network path that does not exist raises NetworkSourceError naming it."""
    missing = tmp_path / "nowhere.osm.bz2"
    with pytest.raises(NetworkSourceError, match=r"nowhere\.osm\.bz2"):
        load_network(missing)


def test_corrupt_bz2_is_refused_by_name(tmp_path: Path, tiny_path: Path) -> None:
    """A truncated .osm.bz2 raises NetworkSourceError naming the file, not a bare decompression error."""
    broken = tmp_path / "broken.osm.bz2"
    broken.write_bytes(bz2.compress(tiny_path.read_bytes())[:200])
    with pytest.raises(NetworkSourceError, match=r"broken\.osm\.bz2"):
        load_network(broken)


def test_malformed_xml_is_refused_by_name(tmp_path: Path) -> None:
    """An .osm file that is not XML raises NetworkSourceError naming the file."""
    bad = tmp_path / "bad.osm"
    bad.write_text("<osm><node id='1' lat='41' lon='40'></osm", encoding="utf-8")
    with pytest.raises(NetworkSourceError, match=r"bad\.osm"):
        load_network(bad)


def test_file_without_drivable_roads_is_refused(tmp_path: Path) -> None:
    """An extract holding only a footway raises NoDrivableRoadsError naming the file."""
    path = tmp_path / "park.osm"
    path.write_text(
        '<?xml version="1.0"?><osm version="0.6">'
        '<node id="1" lat="41.02" lon="40.52"/><node id="2" lat="41.021" lon="40.52"/>'
        '<way id="5"><nd ref="1"/><nd ref="2"/><tag k="highway" v="footway"/></way></osm>',
        encoding="utf-8",
    )
    with pytest.raises(NoDrivableRoadsError, match=r"park\.osm"):
        load_network(path)


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    """A file with an unknown suffix is refused rather than guessed at."""
    path = tmp_path / "roads.csv"
    path.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(NetworkSourceError, match=r"roads\.csv"):
        load_network(path)


def test_a_downloaded_place_is_read_from_its_graphml_cache_offline(
    shared_data: Path, antakya: RoadNetwork, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once a place's GraphML is cached, loading it by name reads the file and never calls osmnx online."""
    import osmnx as ox

    from maps._download import cached_graphml_path
    from maps.sources import ANTAKYA_SAMPLE

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the network was asked for although the GraphML is cached")

    monkeypatch.setattr(ox, "graph_from_place", refuse)
    place = "Antakya, Hatay, Türkiye"
    cached = cached_graphml_path(place, tmp_path)
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(bz2.decompress((shared_data / ANTAKYA_SAMPLE).read_bytes()))
    network = load_network(place, download_cache_dir=tmp_path)
    assert network.fingerprint == antakya.fingerprint


def test_network_cache_returns_the_same_network_and_misses_on_an_edited_file(
    rize_path: Path, rize: RoadNetwork, tmp_path: Path
) -> None:
    """A second load reads the finished graph from the cache with an identical fingerprint and report
    counts; an edited extract is a different key and is parsed afresh."""
    first = load_network(rize_path, cache_dir=tmp_path)
    second = load_network(rize_path, cache_dir=tmp_path)
    assert (first.report.from_cache, second.report.from_cache) == (False, True)
    assert second.fingerprint == rize.fingerprint
    assert second.report.dropped_by_highway == rize.report.dropped_by_highway
    edited = tmp_path / "tiny.osm"
    edited.write_text(tiny_osm_xml(tertiary_maxspeed="70"), encoding="utf-8")
    assert not load_network(edited, cache_dir=tmp_path).report.from_cache
    assert load_network(edited, cache_dir=tmp_path).report.from_cache


def test_vehicle_types_have_speed_factors_and_unknown_types_are_refused() -> None:
    """The wheelchair-lift minibus is slower than a van; an unknown vehicle type is an error, not 1.0."""
    from maps import vehicle_speed_factor

    assert vehicle_speed_factor("accessible_minibus") < vehicle_speed_factor("hot_meal_van") == 1.0
    with pytest.raises(ValueError, match="unknown vehicle type 'tractor'"):
        vehicle_speed_factor("tractor")
