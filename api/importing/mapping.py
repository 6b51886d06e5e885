"""Which column holds what: a suggestion from header words every office uses, which people can override."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from domain.errors import N_, InvalidValue
from maps.geocode import fold


class Field(StrEnum):
    """What Kapıda reads from an imported list."""

    HOUSEHOLD_KEY = "household_key"
    NAME = "name"
    FIRST_NAME = "first_name"
    SURNAME = "surname"
    NATIONAL_ID = "national_id"
    PHONE = "phone"
    ADDRESS = "address"
    STREET = "street"
    HOUSENUMBER = "housenumber"
    DISTRICT = "district"
    NEIGHBOURHOOD = "neighbourhood"
    LAT = "lat"
    LON = "lon"
    PROGRAMME = "programme"
    START_DATE = "start_date"
    END_DATE = "end_date"
    NEEDS = "needs"
    BIRTH_DATE = "birth_date"
    MEMBERS = "members"
    RELATION = "relation"


IGNORE = "-"
# Header words per field, folded (Turkish case rules, no accents, punctuation as spaces).
SYNONYMS: dict[Field, tuple[str, ...]] = {
    Field.HOUSEHOLD_KEY: (
        "hane no",
        "dosya no",
        "aile no",
        "hane id",
        "hane kodu",
        "household",
        "household id",
    ),
    Field.NAME: (
        "adi soyadi",
        "ad soyad",
        "adi soyad",
        "ad soyadi",
        "ad ve soyad",
        "isim soyisim",
        "isim soyad",
        "basvuru sahibi",
        "hane reisi",
        "full name",
        "name",
        "contact name",
        "ad soyad unvan",
    ),
    Field.FIRST_NAME: ("adi", "ad", "isim", "first name", "given name"),
    Field.SURNAME: ("soyadi", "soyad", "soyisim", "surname", "last name", "family name"),
    Field.NATIONAL_ID: (
        "tc kimlik no",
        "t c kimlik no",
        "tc",
        "t c",
        "tckn",
        "tc no",
        "t c no",
        "kimlik no",
        "tc kimlik",
        "tc kimlik numarasi",
        "kimlik numarasi",
        "national id",
        "identity number",
    ),
    Field.PHONE: (
        "telefon",
        "tel",
        "cep tel",
        "cep telefonu",
        "cep",
        "gsm",
        "telefon no",
        "tel no",
        "telefon numarasi",
        "iletisim",
        "phone",
        "mobile",
        "phone number",
    ),
    Field.ADDRESS: ("adres", "acik adres", "ikamet adresi", "adres bilgisi", "ev adresi", "address"),
    Field.STREET: ("sokak", "cadde", "cadde sokak", "cadde sokak adi", "street"),
    Field.HOUSENUMBER: ("kapi no", "bina no", "dis kapi no", "kapi numarasi", "house number", "housenumber"),
    Field.DISTRICT: ("ilce", "ilce adi", "district"),
    Field.NEIGHBOURHOOD: ("mahalle", "mah", "mahalle koy", "mahalle adi", "neighbourhood", "neighborhood"),
    Field.LAT: ("enlem", "lat", "latitude"),
    Field.LON: ("boylam", "lon", "lng", "longitude"),
    Field.PROGRAMME: (
        "program",
        "program adi",
        "yardim turu",
        "yardim",
        "hizmet",
        "hizmet turu",
        "programme",
        "programs",
    ),
    Field.START_DATE: (
        "baslangic tarihi",
        "baslama tarihi",
        "baslangic",
        "kayit tarihi",
        "hak sahipligi baslangic",
        "start date",
        "start",
    ),
    Field.END_DATE: ("bitis tarihi", "bitis", "end date", "end"),
    Field.NEEDS: ("ihtiyaclar", "ihtiyac", "ozel durum", "saglik durumu", "engel durumu", "needs"),
    Field.BIRTH_DATE: ("dogum tarihi", "d tarihi", "dogum", "birth date", "date of birth", "dob"),
    Field.MEMBERS: (
        "hane uyeleri",
        "uyeler",
        "aile bireyleri",
        "hane bireyleri",
        "members",
        "household members",
    ),
    Field.RELATION: ("yakinlik", "yakinlik derecesi", "hane ici durum", "relation", "relationship"),
}
_LOOKUP = {fold(word): field for field, words in SYNONYMS.items() for word in words}
_LOOKUP_COMPACT = {key.replace(" ", ""): field for key, field in _LOOKUP.items()}


@dataclass(frozen=True)
class ColumnMapping:
    """Header → field, for the columns that are used; every other column is ignored."""

    columns: tuple[tuple[str, Field], ...]

    def index(self, headers: tuple[str, ...]) -> dict[Field, int]:
        return {field: headers.index(header) for header, field in self.columns}

    def as_dict(self) -> dict[str, str]:
        return {header: field.value for header, field in self.columns}

    def fields(self) -> set[Field]:
        return {field for _, field in self.columns}


def header_field(header: str) -> Field | None:
    """The field a header names, if any: "T.C. Kimlik No", "TCKN", "Cep Tel", "Doğum Tarihi (gg.aa.yyyy)"."""
    key = fold(re.sub(r"\(.*?\)", " ", header))
    return _LOOKUP.get(key) or _LOOKUP_COMPACT.get(key.replace(" ", ""))


def suggest(headers: Iterable[str]) -> ColumnMapping:
    """The first column whose header names a field gets it; a name column wins over first name + surname."""
    taken: dict[Field, str] = {}
    for header in headers:
        field = header_field(header)
        if field is not None and field not in taken:
            taken[field] = header
    return ColumnMapping(tuple((header, field) for field, header in taken.items()))


def parse_overrides(pairs: Iterable[str]) -> dict[str, str]:
    """`--map "Adı Soyadı=name"` (or `=-` to ignore a column) as a dict."""
    found: dict[str, str] = {}
    for pair in pairs:
        header, sep, field = pair.rpartition("=")
        if not sep or not header.strip():
            raise InvalidValue("map", N_("{pair!r} should be COLUMN=FIELD"), pair=pair)
        found[header.strip()] = field.strip()
    return found


def load_mapping_file(text: str) -> dict[str, str]:
    """A saved mapping: a JSON object of header → field."""
    try:
        loaded = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidValue("mapping", N_("not JSON: {exc}"), exc=exc) from None
    if not isinstance(loaded, dict) or not all(isinstance(v, str) for v in loaded.values()):
        raise InvalidValue("mapping", N_('must be a JSON object: {"Column": "field"}'))
    return {str(k): v for k, v in loaded.items()}


def apply_overrides(
    suggestion: ColumnMapping, headers: tuple[str, ...], overrides: Mapping[str, str]
) -> ColumnMapping:
    """The suggestion with people's choices on top; an override naming a field moves it to that column."""
    chosen = {header: field.value for header, field in suggestion.columns}
    fields = {f.value for f in Field}
    for header, field in overrides.items():
        if header not in headers:
            raise InvalidValue(
                "map",
                N_("{header!r}: no such column; columns: {columns}"),
                header=header,
                columns=", ".join(headers),
            )
        if field not in fields and field != IGNORE:
            raise InvalidValue(
                "map",
                N_("{field!r}: unknown field; fields: {fields}"),
                field=field,
                fields=", ".join(sorted(fields)),
            )
        if field != IGNORE:
            chosen = {h: f for h, f in chosen.items() if f != field}
        chosen[header] = field
    ordered = [(h, Field(chosen[h])) for h in headers if chosen.get(h, IGNORE) != IGNORE]
    return ColumnMapping(tuple(ordered))


def check_required(mapping: ColumnMapping) -> None:
    """Refuse a mapping without the columns every household needs, naming them."""
    have = mapping.fields()
    missing = []
    if Field.NAME not in have and not {Field.FIRST_NAME, Field.SURNAME} <= have:
        missing.append("name (Adı Soyadı)")
    for field, label in (
        (Field.NATIONAL_ID, "national_id (T.C. Kimlik No)"),
        (Field.PHONE, "phone (Telefon)"),
        (Field.DISTRICT, "district (İlçe)"),
        (Field.NEIGHBOURHOOD, "neighbourhood (Mahalle)"),
    ):
        if field not in have:
            missing.append(label)
    if not have & {Field.ADDRESS, Field.STREET}:
        missing.append("address (Adres)")
    if not have & {Field.BIRTH_DATE, Field.MEMBERS}:
        missing.append("birth_date (Doğum Tarihi) or members (Hane Üyeleri)")
    if missing:
        raise InvalidValue("mapping", N_("required fields not mapped: {fields}"), fields=", ".join(missing))
