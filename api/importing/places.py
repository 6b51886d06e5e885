"""The municipality's known districts and neighbourhoods, and the geocoder, loaded once from the map data."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from shapely.geometry.base import BaseGeometry

from domain.errors import N_, InvalidValue
from maps.areas import Boundaries, load_boundaries
from maps.errors import MapsError
from maps.geocode import Gazetteer, Placement, area_key, fold, split_address
from maps.sources import default_roads_source

_MARGIN_DEG = 0.02  # boundaries a little beyond the extract, for neighbourhoods on its edge


@dataclass(frozen=True)
class Area:
    """A district and neighbourhood as the boundary data spells them, with the neighbourhood's polygon."""

    district: str
    neighbourhood: str
    polygon: BaseGeometry


class Places:
    """Resolves written area names (Turkish-folded) and places addresses without coordinates."""

    def __init__(self, boundaries: Boundaries, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._districts = {fold(str(n)): str(n) for n in boundaries.districts["name"]}
        self._hoods: dict[tuple[str, str], Area] = {}
        for name, district, polygon in zip(
            boundaries.neighbourhoods["name"],
            boundaries.neighbourhoods["district"],
            boundaries.neighbourhoods.geometry,
            strict=True,
        ):
            key = (str(district), area_key(str(name)))
            self._hoods.setdefault(key, Area(str(district), str(name), polygon))

    def district(self, written: str) -> str:
        """The district's official spelling; "Merkez" alone is accepted when one "X Merkez" is known."""
        key = fold(written)
        if key in self._districts:
            return self._districts[key]
        centres = [name for k, name in self._districts.items() if k.endswith(" merkez") and key == "merkez"]
        if len(centres) == 1:
            return centres[0]
        known = ", ".join(sorted(self._districts.values()))
        raise InvalidValue(
            "district", N_("{written!r}: unknown district (known: {known})"), written=written, known=known
        )

    def area(self, district_written: str, neighbourhood_written: str) -> Area:
        district = self.district(district_written)
        found = self._hoods.get((district, area_key(neighbourhood_written)))
        if found is None or not area_key(neighbourhood_written):
            raise InvalidValue(
                "neighbourhood",
                N_("{neighbourhood_written!r} is not a neighbourhood of {district}"),
                neighbourhood_written=neighbourhood_written,
                district=district,
            )
        return found

    def place(self, area: Area, address: str, street: str, housenumber: str) -> Placement | None:
        """The door or street midpoint inside the neighbourhood, from the street columns or the address."""
        if not street:
            street, found_number = split_address(address)
            housenumber = housenumber or found_number
        return self.gazetteer.locate(street, housenumber, within=area.polygon)


def load_places(roads: str | None = None) -> Places:
    """Places for the road data in use (`KAPIDA_ROADS`, default the Rize extract); cached per process.

    Map data that cannot serve (a GraphML graph without addresses, missing boundaries) is refused
    with the maps package's message, as a refusal of the import rather than a crash.
    """
    path = str(roads) if roads else str(default_roads_source())
    try:
        return _load_places(path)
    except MapsError as error:
        raise InvalidValue("map", N_("map data unusable: {error}"), error=error) from None


@functools.lru_cache(maxsize=4)
def _load_places(path: str) -> Places:
    gazetteer = Gazetteer.from_osm(Path(path))
    west, south, east, north = gazetteer.bounds
    bbox = (west - _MARGIN_DEG, south - _MARGIN_DEG, east + _MARGIN_DEG, north + _MARGIN_DEG)
    return Places(load_boundaries(bbox), gazetteer)
