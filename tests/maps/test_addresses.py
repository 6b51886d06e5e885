"""Sampled household addresses stand in residential buildings, reachable, and repeat with the seed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import shapely

from maps import MapsError, RoadNetwork, sample_residential_addresses, snap_points
from maps.addresses import HOUSEHOLDS_PER_BUILDING
from maps.features import read_osm_features


@pytest.fixture(scope="module")
def households(rize_path: Path, rize: RoadNetwork) -> list:
    """1,500 households of Rize drawn with seed 7."""
    return sample_residential_addresses(rize_path, 1500, seed=7, network=rize)


def test_same_seed_same_households_other_seed_others(
    households: list, rize_path: Path, rize: RoadNetwork
) -> None:
    """The sample is deterministic in the seed and changes with it."""
    again = sample_residential_addresses(rize_path, 1500, seed=7, network=rize)
    other = sample_residential_addresses(rize_path, 1500, seed=8, network=rize)
    assert again == households
    assert other != households


def test_households_are_distinct_and_snappable_within_500_m(households: list, rize: RoadNetwork) -> None:
    """Every household has its own spot and lies within 500 m of the drivable network."""
    points = [(h.lat, h.lon) for h in households]
    assert len(set(points)) == len(points) == 1500
    assert snap_points(rize, points).snap_distance_m.max() <= 500


def test_households_stand_inside_residential_buildings(households: list, rize_path: Path) -> None:
    """Each household's location is inside a residential building footprint (or at an address node)."""
    buildings = read_osm_features(rize_path, {"building": list(HOUSEHOLDS_PER_BUILDING)})
    polygons = buildings[buildings.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
    footprints = shapely.union_all(polygons.geometry.to_numpy()).buffer(5e-5)  # ~5 m: address nodes
    inside = shapely.contains_xy(footprints, [h.lon for h in households], [h.lat for h in households])
    assert np.all(inside)


def test_households_have_street_number_and_area(households: list) -> None:
    """Every household has a street name, a house number, a neighbourhood and the Rize Merkez district."""
    assert all(h.street and h.housenumber for h in households)
    assert sum(h.district == "Rize Merkez" for h in households) > 0.95 * len(households)
    assert all(h.neighbourhood for h in households)


def test_a_graphml_network_has_no_buildings_to_sample(shared_data: Path, antakya: RoadNetwork) -> None:
    """Sampling from the Antakya GraphML is refused: it holds roads only."""
    from maps.sources import ANTAKYA_SAMPLE

    with pytest.raises(MapsError, match="GraphML"):
        sample_residential_addresses(shared_data / ANTAKYA_SAMPLE, 10, seed=1, network=antakya)
