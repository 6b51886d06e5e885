"""Place written Turkish addresses on the map from an OSM extract: door numbers first, then street midpoints.

Offices write the same street many ways ("Cumhuriyet Cad.", "CUMHURİYET CADDESİ", "Cumhuriyet Cd. No:5"),
so names are compared by a key: Turkish case rules (I/ı, İ/i), letters folded to ASCII, and the usual
abbreviations (Cad./Cd., Sok./Sk., Bulv., Mah./Mh.) made one word. Coordinates are WGS84 degrees.
"""

from __future__ import annotations

import bz2
import difflib
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import shapely
from shapely.geometry import LineString, MultiLineString, Point
from shapely.geometry.base import BaseGeometry

from maps.errors import NetworkSourceError

_TR_CASE = str.maketrans({"I": "ı", "İ": "i"})
_TR_ASCII = str.maketrans("çğıöşüâîû", "cgiosuaiu")
_NON_WORD = re.compile(r"[^0-9a-z]+")
# Every spelling of a street or area kind, folded, mapped to one word.
_KIND_WORDS = {
    **dict.fromkeys(("cad", "cd", "cadde", "caddesi", "cadd"), "cad"),
    **dict.fromkeys(("sok", "sk", "sokak", "sokagi", "sokaği", "skk"), "sok"),
    **dict.fromkeys(("bulv", "blv", "bulvar", "bulvari", "bul"), "bulv"),
    **dict.fromkeys(("mah", "mh", "mahalle", "mahallesi", "mahal"), "mah"),
    **dict.fromkeys(("koy", "koyu"), "koy"),
    **dict.fromkeys(("yol", "yolu"), "yol"),
    **dict.fromkeys(("meydan", "meydani", "mey"), "meydan"),
}
_AREA_KINDS = frozenset({"mah", "koy", "bld", "sb"})
_DOOR = re.compile(r"\b(?:no|numara|kapi\s*no|bina\s*no)\b\s*[:.]?\s*([0-9]+[0-9a-z/\-]*)", re.IGNORECASE)
_STREET_WORDS = frozenset({"cad", "sok", "bulv", "yol", "meydan"})
# An address point or street must lie within this margin of its neighbourhood polygon (~100 m).
NEIGHBOURHOOD_MARGIN_DEG = 0.001
CLOSE_NAME_CUTOFF = 0.88  # difflib ratio: tolerates one slip ("Atatük Cad.") but not another street


def fold(text: str) -> str:
    """Lower case by Turkish rules, letters folded to ASCII, punctuation to single spaces."""
    lowered = unicodedata.normalize("NFC", str(text)).translate(_TR_CASE).lower().translate(_TR_ASCII)
    plain = "".join(c for c in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", plain).strip()


def name_key(text: str) -> str:
    """A street or area name as a comparison key: folded, abbreviations made one word."""
    return " ".join(_KIND_WORDS.get(word, word) for word in fold(text).split())


def area_key(text: str) -> str:
    """A neighbourhood's key without its kind: "Tophane Mah.", "TOPHANE MAHALLESİ", "Tophane" alike."""
    words = [word for word in name_key(text).split() if word not in _AREA_KINDS]
    return " ".join(words)


def housenumber_key(text: str) -> str:
    """ "No: 266/A" -> "266/a"; "" when there is no number at all."""
    folded = unicodedata.normalize("NFC", str(text)).translate(_TR_CASE).lower().translate(_TR_ASCII)
    folded = re.sub(r"^\s*(?:no|numara)\s*[:.]?\s*", "", folded.strip())
    folded = re.sub(r"\s+", "", folded)
    return folded if re.match(r"^[0-9]", folded) else ""


def split_address(text: str) -> tuple[str, str]:
    """(street, house number) from free address text such as "Tophane Mah. Cumhuriyet Cad. No:5, Rize"."""
    door = _DOOR.search(text)
    before = text[: door.start()] if door else text
    parts = [p.strip() for p in re.split(r"[,\n]", before) if p.strip()]
    if door and parts:
        street = parts[-1]
    else:
        street = next(
            (p for p in parts if _STREET_WORDS & set(name_key(p).split())), parts[0] if parts else ""
        )
    # "Tophane Mah. Cumhuriyet Cad." names the neighbourhood first: keep what follows it.
    street = re.sub(r"^.*\b(?:mah|mh|mahallesi)\b\.?\s+(?=\S)", "", street, flags=re.IGNORECASE)
    number = door.group(1) if door else ""
    trailing = re.match(r"^(.*\D)\s+([0-9]+[0-9A-Za-z/\-]*)$", street)
    if not number and trailing and _STREET_WORDS & set(name_key(trailing[1]).split()):
        street, number = trailing[1], trailing[2]  # "Sevgi Caddesi 18"
    return street.strip(" ,.-"), number


@dataclass(frozen=True)
class Placement:
    """Where an address was placed and how: "address" (a door in OSM) or "street" (the street's midpoint)."""

    lat: float
    lon: float
    method: str
    matched: str


@dataclass(frozen=True)
class _Door:
    street: str
    housenumber: str
    point: Point


class Gazetteer:
    """The OSM extract's tagged doors (`addr:street` + `addr:housenumber`) and named streets."""

    def __init__(
        self,
        doors: list[_Door],
        streets: dict[str, list[LineString]],
        names: dict[str, str],
        bounds: tuple[float, float, float, float],
    ) -> None:
        self.bounds = bounds  # (west, south, east, north) of every node read
        self._doors: dict[str, list[_Door]] = defaultdict(list)
        for door in doors:
            self._doors[name_key(door.street)].append(door)
        self._streets = streets
        self._names = names
        self._keys = sorted(set(self._doors) | set(streets))

    @property
    def door_count(self) -> int:
        return sum(len(d) for d in self._doors.values())

    @property
    def street_count(self) -> int:
        return len(self._streets)

    @classmethod
    def from_osm(cls, source: Path | str) -> Gazetteer:
        """Read an OSM XML extract (`.osm`, `.osm.bz2`); a `.pbf` is converted first."""
        path = Path(source)
        if not path.is_file():
            raise NetworkSourceError(f"OSM extract not found: {path}")
        if path.name.lower().endswith((".graphml", ".graphml.bz2")):
            raise NetworkSourceError(f"{path} is a GraphML road graph: it has no addresses to geocode with")
        if path.name.lower().endswith(".pbf"):
            from maps.network import _pbf_as_xml

            with _pbf_as_xml(path) as xml_path:
                return cls.from_osm(xml_path)
        try:
            with _open(path) as handle:
                return cls(*_read(handle))
        except (OSError, EOFError, ET.ParseError) as exc:
            raise NetworkSourceError(f"cannot read addresses from {path}: {exc}") from None

    def locate(self, street: str, housenumber: str, within: BaseGeometry | None = None) -> Placement | None:
        """The door if OSM has it, else the midpoint of the street (inside `within`), else None."""
        keys = self._matching_keys(street)
        area = within.buffer(NEIGHBOURHOOD_MARGIN_DEG) if within is not None else None
        number = housenumber_key(housenumber)
        if number:
            door = self._door(keys, number, area)
            if door is not None:
                shown = re.sub(r"^\s*no\s*[:.]?\s*", "", door.housenumber, flags=re.IGNORECASE)
                return Placement(door.point.y, door.point.x, "address", f"{door.street} No:{shown}")
        for key in keys:
            lines = self._streets.get(key, [])
            middle = _midpoint(lines, area)
            if middle is not None:
                return Placement(middle.y, middle.x, "street", self._names[key])
        return None

    def _matching_keys(self, street: str) -> list[str]:
        key = name_key(street)
        if not key:
            return []
        if key in self._doors or key in self._streets:
            return [key]
        return difflib.get_close_matches(key, self._keys, n=3, cutoff=CLOSE_NAME_CUTOFF)

    def _door(self, keys: list[str], number: str, area: BaseGeometry | None) -> _Door | None:
        base = re.match(r"^[0-9]+", number)
        for exact in (True, False):  # "5" matches "5/A" only when no door is exactly "5"
            for key in keys:
                for door in self._doors.get(key, []):
                    candidate = housenumber_key(door.housenumber)
                    hit = (
                        candidate == number
                        if exact
                        else base is not None and candidate.split("/")[0] == base[0]
                    )
                    if hit and (area is None or area.contains(door.point)):
                        return door
        return None


def _midpoint(lines: list[LineString], area: BaseGeometry | None) -> Point | None:
    """Half-way along the longest connected stretch of the street (inside `area` when given)."""
    if not lines:
        return None
    geometry: BaseGeometry = shapely.line_merge(MultiLineString(lines))
    if area is not None:
        geometry = geometry.intersection(area)
    pieces = [
        g for g in getattr(geometry, "geoms", [geometry]) if isinstance(g, LineString) and not g.is_empty
    ]
    if not pieces:
        return None
    longest = max(pieces, key=lambda g: g.length)
    return longest.interpolate(0.5, normalized=True)


def _open(path: Path) -> IO[bytes]:
    return bz2.open(path, "rb") if path.name.lower().endswith(".bz2") else path.open("rb")


def _read(
    handle: IO[bytes],
) -> tuple[list[_Door], dict[str, list[LineString]], dict[str, str], tuple[float, float, float, float]]:
    """One pass over the XML: node positions, tagged doors, and named highway ways."""
    nodes: dict[str, tuple[float, float]] = {}
    doors: list[_Door] = []
    streets: dict[str, list[LineString]] = defaultdict(list)
    names: dict[str, str] = {}
    for element in _elements(handle):
        tags = {t.get("k", ""): t.get("v", "") for t in element.iter("tag")}
        if element.tag == "node":
            lon, lat = float(element.get("lon", "nan")), float(element.get("lat", "nan"))
            nodes[element.get("id", "")] = (lon, lat)
            coords = [(lon, lat)]
        else:
            coords = [nodes[n.get("ref", "")] for n in element.iter("nd") if n.get("ref", "") in nodes]
        if tags.get("addr:street") and tags.get("addr:housenumber") and coords:
            doors.append(_Door(tags["addr:street"], tags["addr:housenumber"], _centre(coords)))
        if element.tag == "way" and tags.get("highway") and tags.get("name") and len(coords) >= 2:
            key = name_key(tags["name"])
            streets[key].append(LineString(coords))
            names.setdefault(key, tags["name"])
    if not nodes:
        raise NetworkSourceError("the OSM extract has no nodes")
    lons, lats = [c[0] for c in nodes.values()], [c[1] for c in nodes.values()]
    return doors, dict(streets), names, (min(lons), min(lats), max(lons), max(lats))


def _centre(coords: list[tuple[float, float]]) -> Point:
    if len(coords) == 1:
        return Point(coords[0])
    return shapely.MultiPoint(coords).centroid


def _elements(handle: IO[bytes]) -> Iterator[ET.Element]:
    """Each finished node and way; cleared afterwards so a city's extract stays small in memory."""
    for _, element in ET.iterparse(handle, events=("end",)):
        if element.tag in ("node", "way"):
            yield element
            element.clear()
        elif element.tag == "relation":
            element.clear()
