"""Reading offices' files: encodings, delimiters, Excel, Turkish headers, and cells as people write them."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from api.importing.cells import parse_day, parse_members, parse_needs, parse_phone, parse_programmes
from api.importing.mapping import Field, apply_overrides, check_required, load_mapping_file, suggest
from api.importing.places import load_places
from api.importing.readers import read_table
from domain.errors import InvalidValue
from domain.programmes import Programme
from domain.values import Member, Need
from maps.sources import ANTAKYA_SAMPLE

TURKISH_ROWS = "Adı Soyadı;İlçe;Mahalle\nŞükrü Çağlayan;Rize Merkez;Çarşı Mh.\n"


def xlsx(rows: list[list[object]], sheets: tuple[str, ...] = ("Liste",)) -> bytes:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = sheets[0]
    for name in sheets[1:]:
        book.create_sheet(name)
    for row in rows:
        book[sheets[-1]].append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1254"])
def test_turkish_letters_survive_every_usual_encoding(encoding: str) -> None:
    """UTF-8, UTF-8 with BOM (Excel's "CSV UTF-8") and Windows-1254 (Turkish Excel) read the same."""
    table = read_table(TURKISH_ROWS.encode(encoding), "liste.csv")
    assert table.headers == ("Adı Soyadı", "İlçe", "Mahalle")
    assert table.rows == (("Şükrü Çağlayan", "Rize Merkez", "Çarşı Mh."),)
    assert table.encoding == encoding


def test_a_file_in_neither_encoding_is_refused_with_a_clear_message() -> None:
    """UTF-16 (NUL bytes) is neither UTF-8 nor Windows-1254: the message says what to do."""
    with pytest.raises(InvalidValue, match="UTF-8") as refused:
        read_table(TURKISH_ROWS.encode("utf-16"), "liste.csv")
    assert refused.value.field == "file"


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_the_delimiter_is_sniffed(delimiter: str) -> None:
    """Semicolons (Turkish Excel), commas and tabs; a quoted comma inside a field does not confuse it."""
    text = f'Ad{delimiter}Adres{delimiter}İlçe\nAli{delimiter}"Cumhuriyet Cad., No:5"{delimiter}Rize Merkez\n'
    table = read_table(text.encode(), "x.csv")
    assert table.delimiter == delimiter
    assert table.rows[0] == ("Ali", "Cumhuriyet Cad., No:5", "Rize Merkez")


def test_excel_first_sheet_or_the_named_one_with_date_cells_kept() -> None:
    """The first sheet by default; `sheet` picks another; an unknown sheet is named in the refusal."""
    data = xlsx(
        [["Adı Soyadı", "Doğum Tarihi"], ["Ayşe", datetime(1950, 3, 1)], [None, None]], ("Boş", "Liste")
    )
    assert read_table(data, "x.xlsx", "Liste").rows == (("Ayşe", datetime(1950, 3, 1)),)
    with pytest.raises(InvalidValue, match="the file is empty"):
        read_table(data, "x.xlsx")
    with pytest.raises(InvalidValue, match="Yok"):
        read_table(data, "x.xlsx", "Yok")


def test_turkish_headers_are_recognised_however_they_are_typed() -> None:
    """ "Adı Soyadı", "AD SOYAD", "T.C. Kimlik No", "TCKN", "Cep Tel", "Doğum Tarihi (gg.aa.yyyy)"..."""
    headers = (
        "Sıra", "AD SOYAD", "TCKN", "Cep Tel", "Açık Adres", "İLÇE", "Mahalle", "Yardım Türü",
        "Başlangıç Tarihi", "İhtiyaçlar", "Doğum Tarihi (gg.aa.yyyy)", "Hane No",
    )  # fmt: skip
    mapping = dict(suggest(headers).columns)
    assert mapping == {
        "AD SOYAD": Field.NAME,
        "TCKN": Field.NATIONAL_ID,
        "Cep Tel": Field.PHONE,
        "Açık Adres": Field.ADDRESS,
        "İLÇE": Field.DISTRICT,
        "Mahalle": Field.NEIGHBOURHOOD,
        "Yardım Türü": Field.PROGRAMME,
        "Başlangıç Tarihi": Field.START_DATE,
        "İhtiyaçlar": Field.NEEDS,
        "Doğum Tarihi (gg.aa.yyyy)": Field.BIRTH_DATE,
        "Hane No": Field.HOUSEHOLD_KEY,
    }
    assert dict(suggest(("Adı Soyadı", "T.C. Kimlik No", "Telefon", "Adres")).columns) == {
        "Adı Soyadı": Field.NAME,
        "T.C. Kimlik No": Field.NATIONAL_ID,
        "Telefon": Field.PHONE,
        "Adres": Field.ADDRESS,
    }


def test_overrides_move_a_field_and_unmapped_required_fields_are_refused() -> None:
    """A saved mapping or --map wins over the suggestion; a missing phone column is named."""
    headers = ("İsim", "Kimlik", "Gsm No", "Adres", "İlçe", "Mahalle", "Doğum Tarihi")
    overrides = load_mapping_file('{"İsim": "name", "Kimlik": "national_id"}')
    mapping = apply_overrides(suggest(headers), headers, overrides)
    with pytest.raises(InvalidValue, match=r"phone \(Telefon\)"):
        check_required(mapping)
    mapping = apply_overrides(mapping, headers, {"Gsm No": "phone", "Adres": "-"})
    with pytest.raises(InvalidValue, match="address"):
        check_required(mapping)
    with pytest.raises(InvalidValue, match="unknown field"):
        apply_overrides(mapping, headers, {"Adres": "adres"})


def test_dates_as_offices_write_them() -> None:
    """Turkish 21.11.2026, 21/11/2026, ISO, Excel date cells and Excel serials; nonsense is refused."""
    for cell in ("21.11.2026", "21/11/2026", "2026-11-21", datetime(2026, 11, 21, 0, 0), 46347, "46347"):
        assert parse_day("start_date", cell) == date(2026, 11, 21), cell
    assert parse_day("start_date", "") is None
    for bad in ("31.02.2026", "yarın", "21.11.26"):
        with pytest.raises(InvalidValue):
            parse_day("start_date", bad)


def test_phones_programmes_needs_and_members() -> None:
    """Numbers however typed; programmes by Turkish name or code; need words; members in one cell."""
    assert parse_phone("5321234567") == parse_phone("+90 (532) 123 45 67") == "0532 123 45 67"
    with pytest.raises(InvalidValue, match="phone"):
        parse_phone("123")
    assert parse_programmes("Süt Kuzusu, gıda kolisi") == [Programme.MILK, Programme.FOOD_PARCEL]
    assert parse_programmes("SICAK YEMEK") == parse_programmes("hot_meal") == [Programme.HOT_MEAL]
    with pytest.raises(InvalidValue, match="programme"):
        parse_programmes("Kömür")
    needs, unknown = parse_needs("Çölyak, diyabet ve tekerlekli sandalye; yatalak / engelli; kalp")
    assert needs == set(Need) and unknown == ["kalp"]
    assert parse_needs("glutensiz")[0] == {Need.COELIAC}
    assert parse_members("Elif (01.06.1994); Can (10.02.2025)") == [
        Member("Elif", date(1994, 6, 1)),
        Member("Can", date(2025, 2, 10)),
    ]
    assert parse_members("Elif:1994-06-01, Can:2025-02-10")[1] == Member("Can", date(2025, 2, 10))


def test_map_data_without_addresses_refuses_the_import_clearly(shared_data: Path) -> None:
    """An osmnx GraphML graph (Antakya) has no doors or street names to place rows with: field "map"."""
    with pytest.raises(InvalidValue, match="GraphML") as refused:
        load_places(str(shared_data / ANTAKYA_SAMPLE))
    assert refused.value.field == "map"
