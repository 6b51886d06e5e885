"""The geocoder on Rize's real street names: doors first, then street midpoints inside the neighbourhood."""

from __future__ import annotations

from pathlib import Path

import pytest
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from maps.areas import load_boundaries
from maps.errors import NetworkSourceError
from maps.geocode import Gazetteer, area_key, fold, housenumber_key, name_key, split_address
from maps.sources import ANTAKYA_SAMPLE, DISTRICTS_GPKG, NEIGHBOURHOODS_GPKG, RIZE_SAMPLE


@pytest.fixture(scope="module")
def rize(shared_data: Path) -> Gazetteer:
    return Gazetteer.from_osm(shared_data / RIZE_SAMPLE)


@pytest.fixture(scope="module")
def hoods(shared_data: Path) -> dict[str, BaseGeometry]:
    frame = load_boundaries(
        (40.42, 40.90, 40.62, 41.06), shared_data / DISTRICTS_GPKG, shared_data / NEIGHBOURHOODS_GPKG
    ).neighbourhoods
    return {str(n): g for n, g in zip(frame["name"], frame.geometry, strict=True)}


def test_fold_follows_turkish_case_rules() -> None:
    """Dotted and dotless i fold alike whichever case they were typed in; accents and dots go."""
    assert fold("ADI SOYADI") == fold("Adı Soyadı") == "adi soyadi"
    assert fold("İLÇE") == fold("ilçe") == "ilce"
    assert fold("T.C. Kimlik No") == "t c kimlik no"


def test_street_kinds_are_one_word_however_abbreviated() -> None:
    """Cad./Cd./Caddesi, Sok./Sk./Sokağı and Bulv./Bulvarı give the same key."""
    assert name_key("Cumhuriyet Cad.") == name_key("CUMHURİYET CADDESİ") == name_key("Cumhuriyet Cd")
    assert name_key("Molla Yakup Sk.") == name_key("Molla Yakup Sokağı")
    assert name_key("Menderes Bulv.") == name_key("Menderes Bulvarı")
    assert area_key("TOPHANE MAHALLESİ") == area_key("Tophane Mah.") == area_key("Tophane")


def test_door_numbers_and_streets_are_split_from_address_text() -> None:
    """ "No:", "No :", a bare trailing number, and a neighbourhood written first are all understood."""
    assert split_address("Tophane Mah. Cumhuriyet Cad. No:5, Rize Merkez") == ("Cumhuriyet Cad", "5")
    assert split_address("Menderes Bulv. No : 266/A") == ("Menderes Bulv", "266/A")
    assert split_address("Sevgi Caddesi 18") == ("Sevgi Caddesi", "18")
    assert split_address("Molla Yakup Sokak") == ("Molla Yakup Sokak", "")
    assert housenumber_key("No: 266/A") == "266/a"
    assert housenumber_key("Engindere Mahallesi") == ""


def test_a_tagged_door_is_found_however_the_street_is_written(
    rize: Gazetteer, hoods: dict[str, BaseGeometry]
) -> None:
    """Çanakkale Caddesi 3/a is tagged in the Rize extract, inside Tophane; office spellings find it."""
    for street, number in (
        ("ÇANAKKALE CAD.", "No: 3/A"),
        ("Çanakkale Cd", "3/a"),
        ("Canakkale Caddesi", "3"),
    ):
        found = rize.locate(street, number, within=hoods["Tophane Mah."])
        assert found is not None and found.method == "address", (street, number)
        assert (round(found.lat, 5), round(found.lon, 5)) == (41.02497, 40.52185)


def test_a_one_letter_slip_in_the_street_name_still_matches(rize: Gazetteer) -> None:
    """ "Ataturk Cd. 68" (no ü) reaches the door OSM tags as "Atatürk Cd." 68."""
    found = rize.locate("Ataturk Cd.", "68")
    assert found is not None and found.method == "address"
    assert found.matched == "Atatürk Cd. No:68"


def test_without_the_door_the_street_midpoint_inside_the_neighbourhood_is_used(
    rize: Gazetteer, hoods: dict[str, BaseGeometry]
) -> None:
    """Cumhuriyet Caddesi runs through ten neighbourhoods: the point lands on the stretch in Tophane."""
    tophane = hoods["Tophane Mah."]
    found = rize.locate("Cumhuriyet Cad.", "999", within=tophane)
    assert found is not None and found.method == "street" and found.matched == "Cumhuriyet Caddesi"
    assert tophane.buffer(0.001).contains(Point(found.lon, found.lat))
    elsewhere = rize.locate("Cumhuriyet Cad.", "999", within=hoods["Müftü Mh."])
    assert elsewhere is not None and (elsewhere.lat, elsewhere.lon) != (found.lat, found.lon)


def test_a_street_outside_the_neighbourhood_or_unknown_is_left_for_a_person(
    rize: Gazetteer, hoods: dict[str, BaseGeometry]
) -> None:
    """Molla Yakup Sokak is in Müftü, not Tophane; an invented street is nowhere: both give None."""
    assert rize.locate("Molla Yakup Sok.", "7", within=hoods["Müftü Mh."]) is not None
    assert rize.locate("Molla Yakup Sok.", "7", within=hoods["Tophane Mah."]) is None
    assert rize.locate("Uydurma Sokak", "1") is None
    assert rize.locate("", "1") is None


def test_a_missing_extract_or_a_graph_without_addresses_is_refused_clearly(
    tmp_path: Path, shared_data: Path
) -> None:
    """The error names the file; an osmnx GraphML road graph has no addresses and is refused as such."""
    with pytest.raises(NetworkSourceError, match="not found"):
        Gazetteer.from_osm(tmp_path / "none.osm")
    with pytest.raises(NetworkSourceError, match="GraphML"):
        Gazetteer.from_osm(shared_data / ANTAKYA_SAMPLE)
