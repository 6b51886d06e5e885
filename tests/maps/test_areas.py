"""Districts and neighbourhoods of points, from the shared boundaries or derived from OSM."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from maps import RoadNetwork, assign_areas, osm_boundaries
from maps.sources import NEIGHBOURHOODS_GPKG


def test_rize_junctions_fall_in_rize_merkez_neighbourhoods(rize: RoadNetwork) -> None:
    """Nodes of the Rize network lie in Rize Merkez (a few in Güneysu) and in many named mahalle."""
    points = list(zip(rize.node_lat[::10].tolist(), rize.node_lon[::10].tolist(), strict=True))
    areas = assign_areas(points)
    districts = Counter(a.district for a in areas)
    assert districts.most_common(1)[0][0] == "Rize Merkez"
    assert set(districts) <= {"Rize Merkez", "Güneysu", "Derepazarı", None}
    assert {a.province for a in areas} <= {"Rize", None}
    assert len({a.neighbourhood for a in areas}) > 20


def test_antakya_junctions_fall_in_antakya_or_defne(antakya: RoadNetwork) -> None:
    """The second city's nodes are assigned to the Antakya and Defne districts only."""
    points = list(zip(antakya.node_lat[::25].tolist(), antakya.node_lon[::25].tolist(), strict=True))
    areas = assign_areas(points)
    assert {a.district for a in areas} == {"Antakya", "Defne"}
    assert all(a.neighbourhood for a in areas)


def test_a_point_far_from_every_polygon_gets_no_area(shared_data: Path) -> None:
    """A point in the Black Sea 10 km offshore is not forced into the nearest mahalle."""
    assert (shared_data / NEIGHBOURHOODS_GPKG).is_file()
    area = assign_areas([(41.12, 40.52)])[0]
    assert (area.district, area.neighbourhood) == (None, None)


def test_osm_fallback_names_neighbourhoods_from_place_nodes(rize_path: Path) -> None:
    """Without boundary files, a point at the `place=neighbourhood` node Hamzabey is in Hamzabey."""
    boundaries = osm_boundaries(rize_path)
    hamzabey = boundaries.neighbourhoods.set_index("name").loc["Hamzabey"].geometry
    point = hamzabey.representative_point()
    area = assign_areas([(point.y, point.x)], boundaries)[0]
    assert area.neighbourhood == "Hamzabey"
    assert area.district == "Rize Merkez"


def test_osm_fallback_refuses_a_graphml_without_place_names(shared_data: Path) -> None:
    """A GraphML road graph has no place nodes, so the OSM fallback refuses it by name."""
    from maps import NetworkSourceError
    from maps.sources import ANTAKYA_SAMPLE

    with pytest.raises(NetworkSourceError, match="GraphML"):
        osm_boundaries(shared_data / ANTAKYA_SAMPLE)
