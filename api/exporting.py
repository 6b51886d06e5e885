"""The caseload as a spreadsheet (.xlsx or CSV) for offices that still work from one, re-importable as is.

Everything is read from the read models, personal data included (contacts, members, national ids):
an erased household has no rows there any more, so it never leaves in an export. The headers are ones
the importer recognises, and each row carries the household number, so an exported file imports
back into the same caseload (suspensions, pending applications and history are not carried).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from api.importing.cells import NEED_WORDS_TR
from domain.errors import N_, InvalidValue
from domain.programmes import CATALOGUE, Programme
from domain.values import Need
from projections.household_index import people
from projections.sql import ViewDatabase

HEADERS = (
    "Hane No",
    "Adı Soyadı",
    "T.C. Kimlik No",
    "Telefon",
    "Adres",
    "İlçe",
    "Mahalle",
    "Enlem",
    "Boylam",
    "Hane Üyeleri",
    "İhtiyaçlar",
    "Program",
    "Başlangıç Tarihi",
    "Bitiş Tarihi",
)
FORMATS = ("xlsx", "csv")
CSV_DELIMITERS = {";": ";", ",": ",", "semicolon": ";", "comma": ",", "tab": "\t"}
_DATE_FORMAT = "DD.MM.YYYY"


@dataclass(frozen=True)
class ExportRow:
    """One enrolment still running or to come on the export day (or a household with none)."""

    household_id: str
    name: str
    national_id: str
    phone: str
    address: str
    district: str
    neighbourhood: str
    lat: float
    lon: float
    members: str
    needs: str
    programme: str
    start: date | None
    end: date | None


def caseload_rows(db: ViewDatabase, on: date) -> list[ExportRow]:
    """Households with their contact, members, needs and each enrolment not ended by `on`."""
    day = on.isoformat()
    rows = db.query(
        "SELECT h.household_id, c.name, c.phone, c.address_text, h.district, h.neighbourhood, h.lat, h.lon, "
        "h.needs, e.programme, e.start_date, e.end_date FROM cl_households h "
        "JOIN cl_contacts c ON c.household_id=h.household_id "
        "LEFT JOIN cl_enrolments e ON e.household_id=h.household_id AND e.ended=0 "
        "AND (e.end_date IS NULL OR e.end_date>=?) "
        "ORDER BY h.district, h.neighbourhood, h.household_id, e.programme",
        (day,),
    )
    personal = people(db, sorted({str(r[0]) for r in rows}))
    out = []
    for ident, name, phone, address, district, hood, lat, lon, needs, programme, start, end in rows:
        national_id, members = personal.get(str(ident), ("", []))
        out.append(
            ExportRow(
                household_id=_dashed(str(ident)),
                name=name,
                national_id=national_id,
                phone=phone,
                address=address,
                district=district,
                neighbourhood=hood,
                lat=float(lat),
                lon=float(lon),
                members="; ".join(f"{m.name} ({m.birth_date:%d.%m.%Y})" for m in members),
                needs=", ".join(NEED_WORDS_TR[Need(n)] for n in needs.split(",") if n),
                programme=CATALOGUE[Programme(programme)].title_tr if programme else "",
                start=date.fromisoformat(start) if start else None,
                end=date.fromisoformat(end) if end else None,
            )
        )
    return out


def _dashed(hex_id: str) -> str:
    return str(UUID(hex_id))


def _cells(row: ExportRow) -> list[object]:
    return [
        row.household_id,
        row.name,
        row.national_id,
        row.phone,
        row.address,
        row.district,
        row.neighbourhood,
        row.lat,
        row.lon,
        row.members,
        row.needs,
        row.programme,
        row.start,
        row.end,
    ]


def to_csv(rows: list[ExportRow], delimiter: str = ";") -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows Turkish letters; dates as 21.11.2026."""
    if delimiter not in CSV_DELIMITERS:
        raise InvalidValue("delimiter", N_("{delimiter!r}: use ';', ',' or 'tab'"), delimiter=delimiter)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=CSV_DELIMITERS[delimiter], lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow(
            [f"{c:%d.%m.%Y}" if isinstance(c, date) else "" if c is None else c for c in _cells(row)]
        )
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(rows: list[ExportRow], title: str = "Vaka yükü") -> bytes:
    """One sheet; dates are date cells shown as 21.11.2026, numbers that are identifiers stay text."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append(list(HEADERS))
    for row in rows:
        sheet.append(_cells(row))
    for column in (13, 14):
        for cell in sheet[get_column_letter(column)][1:]:
            cell.number_format = _DATE_FORMAT
    for index, header in enumerate(HEADERS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(header) + 2)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_caseload(db: ViewDatabase, on: date, fmt: str, delimiter: str = ";") -> bytes:
    if fmt not in FORMATS:
        raise InvalidValue("format", N_("{fmt!r}: xlsx or csv"), fmt=fmt)
    rows = caseload_rows(db, on)
    return to_xlsx(rows) if fmt == "xlsx" else to_csv(rows, delimiter)
