"""Read the lists offices keep (CSV in any usual dialect, Excel .xlsx) into one plain table of cells."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from domain.errors import N_, InvalidValue

Cell = str | int | float | date | datetime | None
DELIMITERS = (";", "\t", ",")
_SNIFF_LINES = 50
_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass(frozen=True)
class Table:
    """A sheet's header and data rows; `row_numbers` are the rows as a spreadsheet shows them (1-based)."""

    source: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    row_numbers: tuple[int, ...]
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""

    def cell(self, index: int, column: int) -> Cell:
        row = self.rows[index]
        return row[column] if column < len(row) else None


def read_table(data: bytes, filename: str, sheet: str | None = None) -> Table:
    """A CSV or .xlsx file's first sheet (or `sheet`), whatever its name says it is."""
    name = Path(filename).name or "file"
    if data.startswith(_XLS_MAGIC):
        raise InvalidValue(
            "file",
            N_("{name}: the old .xls format cannot be read; save it as .xlsx or CSV"),
            name=name,
        )
    if data.startswith(_XLSX_MAGIC):
        return read_xlsx(data, name, sheet)
    if sheet:
        raise InvalidValue("sheet", N_("{name} is a CSV file: it has no sheets"), name=name)
    return read_csv(data, name)


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """The text and its encoding: UTF-8 (with or without BOM) or Windows-1254 (Turkish Windows/Excel)."""
    bom = data.startswith(b"\xef\xbb\xbf")
    candidates: tuple[str, ...] = ("utf-8-sig",) if bom else ("utf-8", "cp1254")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not any(ord(c) < 32 and c not in "\t\r\n" for c in text):
            return text, encoding
    raise InvalidValue(
        "file",
        N_("{name}: not UTF-8 or Windows-1254 (Turkish) text; save it as UTF-8 CSV"),
        name=name,
    )


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same, largest number of columns."""
    sample = text.splitlines()[:_SNIFF_LINES]
    best, best_score = ",", (-1.0, 0)
    for delimiter in DELIMITERS:
        widths = [len(r) for r in csv.reader(sample, delimiter=delimiter) if any(c.strip() for c in r)]
        if not widths or widths[0] < 2:
            continue
        steady = sum(1 for w in widths if w == widths[0]) / len(widths)
        score = (steady, widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv(data: bytes, name: str) -> Table:
    text, encoding = decode_text(data, name)
    delimiter = sniff_delimiter(text)
    lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    numbered = [(i + 1, [c.strip() for c in r]) for i, r in enumerate(lines) if any(c.strip() for c in r)]
    cells: list[tuple[int, list[Cell]]] = [(n, list(r)) for n, r in numbered]
    return _table(name, cells, encoding=encoding, delimiter=delimiter)


def read_xlsx(data: bytes, name: str, sheet: str | None) -> Table:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InvalidValue(
            "file", N_("{name}: cannot read the workbook ({exc})"), name=name, exc=exc
        ) from None
    try:
        if sheet and sheet not in book.sheetnames:
            raise InvalidValue(
                "sheet",
                N_("{sheet!r}: no such sheet; sheets: {sheets}"),
                sheet=sheet,
                sheets=", ".join(book.sheetnames),
            )
        worksheet = book[sheet] if sheet else book.worksheets[0]
        cells: list[tuple[int, list[Cell]]] = []
        for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
            values: list[Cell] = [v.strip() if isinstance(v, str) else _xlsx_value(v) for v in row]
            if any(v not in (None, "") for v in values):
                cells.append((number, values))
        return _table(name, cells, sheet=worksheet.title)
    finally:
        book.close()


def _xlsx_value(value: object) -> Cell:
    if value is None or isinstance(value, int | float | date | datetime):
        return value
    return str(value)


def _table(name: str, cells: list[tuple[int, list[Cell]]], **dialect: str) -> Table:
    """The first non-empty row names the columns; blank or repeated names are made unique."""
    if not cells:
        raise InvalidValue("file", N_("{name}: the file is empty"), name=name)
    header_row = cells[0][1]
    while header_row and header_row[-1] in (None, ""):
        header_row.pop()
    headers: list[str] = []
    for index, raw in enumerate(header_row):
        label = str(raw).strip() if raw not in (None, "") else f"Sütun {index + 1}"
        while label in headers:
            label = f"{label} ({index + 1})"
        headers.append(label)
    if not cells[1:]:
        raise InvalidValue("file", N_("{name}: no rows after the header"), name=name)
    return Table(
        source=name,
        headers=tuple(headers),
        rows=tuple(tuple(r) for _, r in cells[1:]),
        row_numbers=tuple(n for n, _ in cells[1:]),
        **dialect,
    )
