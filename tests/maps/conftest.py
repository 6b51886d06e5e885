"""Fixtures for the maps tests: the shared Rize and Antakya networks (loaded once) and a tiny city."""

from __future__ import annotations

from pathlib import Path

import pytest

from maps.network import RoadNetwork, load_network
from maps.sources import ANTAKYA_SAMPLE, RIZE_SAMPLE

BASE_LAT, BASE_LON = 41.02, 40.52
STEP_LAT, STEP_LON = 0.0009, 0.00119  # about 100 m each way at this latitude


def grid_node(row: int, col: int) -> int:
    """OSM id of the tiny grid's node at (row, col), rows going north, columns east."""
    return 1 + row * 3 + col


def tiny_osm_xml(tertiary_maxspeed: str = "30") -> str:
    """A 3×3 street grid (~100 m blocks) with every case the loader must handle.

    Rows 0-2 and column 0 are two-way residential streets; column 2 is a tertiary road with the given
    maxspeed; column 1 is one-way northwards from node 2 to node 5, then two-way from 5 to 8. A footway,
    steps, a service road and a building ring must be dropped, and a one-way dead-end stub 9 → 10 falls
    outside the strongly connected component.
    """
    nodes = [
        (grid_node(r, c), BASE_LAT + r * STEP_LAT, BASE_LON + c * STEP_LON)
        for r in range(3)
        for c in range(3)
    ]
    nodes += [(10, BASE_LAT + 2.5 * STEP_LAT, BASE_LON + 2.6 * STEP_LON)]
    nodes += [
        (20 + i, BASE_LAT + 0.3 * STEP_LAT + dy, BASE_LON + 0.3 * STEP_LON + dx)
        for i, (dy, dx) in enumerate([(0, 0), (0, 0.0002), (0.0002, 0.0002), (0.0002, 0)])
    ]
    ways = [
        (101, [1, 2, 3], {"highway": "residential", "name": "Birinci Sokak"}),
        (102, [4, 5, 6], {"highway": "residential", "name": "İkinci Sokak"}),
        (103, [7, 8, 9], {"highway": "residential"}),
        (104, [1, 4, 7], {"highway": "residential"}),
        (105, [3, 6, 9], {"highway": "tertiary", "maxspeed": tertiary_maxspeed, "name": "Sahil Yolu"}),
        (106, [2, 5], {"highway": "residential", "oneway": "yes", "name": "Tek Yön Sokak"}),
        (107, [5, 8], {"highway": "residential"}),
        (108, [1, 5], {"highway": "footway"}),
        (109, [5, 9], {"highway": "steps"}),
        (110, [7, 5], {"highway": "service"}),
        (111, [20, 21, 22, 23, 20], {"building": "apartments"}),
        (112, [9, 10], {"highway": "residential", "oneway": "yes"}),
    ]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="kapida-tests">']
    lines += [f'  <node id="{i}" version="1" lat="{lat:.7f}" lon="{lon:.7f}"/>' for i, lat, lon in nodes]
    lines += [
        f'  <node id="30" version="1" lat="{BASE_LAT + STEP_LAT:.7f}" lon="{BASE_LON + STEP_LON:.7f}">',
        '    <tag k="place" v="neighbourhood"/>',
        '    <tag k="name" v="Deneme"/>',
        "  </node>",
    ]
    for way_id, refs, tags in ways:
        lines.append(f'  <way id="{way_id}" version="1">')
        lines += [f'    <nd ref="{r}"/>' for r in refs]
        lines += [f'    <tag k="{k}" v="{v}"/>' for k, v in tags.items()]
        lines.append("  </way>")
    lines.append("</osm>")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="session")
def rize_path(shared_data: Path) -> Path:
    """The shared Rize OSM XML extract (.osm.bz2)."""
    return shared_data / RIZE_SAMPLE


@pytest.fixture(scope="session")
def rize(rize_path: Path) -> RoadNetwork:
    """The Rize network, loaded once per session (about 2 s)."""
    return load_network(rize_path)


@pytest.fixture(scope="session")
def antakya(shared_data: Path) -> RoadNetwork:
    """The Antakya osmnx GraphML network, the second real city."""
    return load_network(shared_data / ANTAKYA_SAMPLE)


@pytest.fixture(scope="session")
def tiny_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny grid written as OSM XML."""
    path = tmp_path_factory.mktemp("tiny") / "tiny.osm"
    path.write_text(tiny_osm_xml(), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def tiny(tiny_path: Path) -> RoadNetwork:
    """The tiny grid loaded as a network."""
    return load_network(tiny_path)
