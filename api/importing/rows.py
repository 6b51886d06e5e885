"""Rows into households: one row per household, or one per person, grouped by a documented rule.

Grouping: with a household-key column (Hane No, Dosya No), rows sharing a key are one household.
Without one, a row with a T.C. number that is the head's (no relation column, a blank relation, or
"hane reisi"/"kendisi") starts a household, or rejoins the one with the same number (one row per
programme); any other row (a spouse, a child, a row without a number) belongs to the household of
the row above it, provided its address, if written, is the same. The head is the row marked as head,
else the household's first row: its name, number and address are the household's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from api.i18n import _, translator
from api.importing.cells import (
    is_head,
    parse_coordinate,
    parse_day,
    parse_members,
    parse_national_id,
    parse_needs,
    parse_phone,
    parse_programmes,
    text,
)
from api.importing.mapping import ColumnMapping, Field
from api.importing.readers import Cell, Table
from domain.errors import InvalidValue
from domain.programmes import Programme
from domain.values import Member, Need
from maps.geocode import fold

T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    """What is wrong, where: the spreadsheet row, the field, and a message a person can act on."""

    row: int
    field: str
    message: str


@dataclass(frozen=True)
class Enrolling:
    """A programme the list says the household receives, from `start` (None: from the import day)."""

    programme: Programme
    start: date | None
    end: date | None


@dataclass
class HouseholdDraft:
    """One household as the file describes it, before any check against Kapıda."""

    key: str
    rows: list[int] = field(default_factory=list)
    name: str = ""
    national_id: str = ""
    phone: str = ""
    address: str = ""
    street: str = ""
    housenumber: str = ""
    district: str = ""
    neighbourhood: str = ""
    lat: float | None = None
    lon: float | None = None
    members: list[Member] = field(default_factory=list)
    needs: set[Need] = field(default_factory=set)
    enrolling: list[Enrolling] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    head_found: bool = False
    orphan: bool = False  # a row that belongs to no household: reported alone, not checked further

    @property
    def first_row(self) -> int:
        return self.rows[0]


class _Row:
    """One row's cells by field, parsing each on demand and noting what fails."""

    def __init__(self, table: Table, index: int, columns: dict[Field, int], problems: list[Problem]) -> None:
        self.number = table.row_numbers[index]
        self._cells = {f: table.cell(index, c) for f, c in columns.items()}
        self._problems = problems

    def raw(self, name: Field) -> Cell:
        return self._cells.get(name)

    def text(self, name: Field) -> str:
        return text(self._cells.get(name))

    def parsed(self, name: Field, parse: Callable[[Cell], T], empty: T) -> T:
        if name not in self._cells or not self.text(name):
            return empty
        try:
            return parse(self._cells[name])
        except InvalidValue as error:
            self._problems.append(Problem(self.number, error.field, translator().problem(error)))
            return empty

    def person_name(self) -> str:
        full = self.text(Field.NAME)
        return full or " ".join(p for p in (self.text(Field.FIRST_NAME), self.text(Field.SURNAME)) if p)


def group_rows(table: Table, mapping: ColumnMapping) -> list[HouseholdDraft]:
    """Every household the file describes, in file order, each with its rows' problems."""
    columns = mapping.index(table.headers)
    drafts: dict[str, HouseholdDraft] = {}
    previous: HouseholdDraft | None = None
    for index in range(len(table.rows)):
        problems: list[Problem] = []
        row = _Row(table, index, columns, problems)
        national_id = row.parsed(Field.NATIONAL_ID, parse_national_id, "")
        written = "".join(row.text(Field.NATIONAL_ID).split())  # kept even when invalid, to group the row
        head = is_head(row.raw(Field.RELATION))
        draft = _household_of(row, written, head, drafts, previous)
        if draft is None:
            _orphan(drafts, row.number, translator().gettext(_("no T.C. number, and no household to join")))
            continue
        if draft.key == f"tc:{written}" and fold(draft.name or row.person_name()) != fold(row.person_name()):
            first = draft.first_row
            text = translator().gettext(_("the same T.C. number as row {first}, another name"))
            _orphan(drafts, row.number, text.format(first=first))
            continue
        _take_row(draft, row, national_id, head and (written != "" or not draft.head_found))
        draft.problems.extend(problems)
        previous = draft
    return list(drafts.values())


def _orphan(drafts: dict[str, HouseholdDraft], number: int, message: str) -> None:
    """A row that cannot be given a household: reported on its own, checked no further."""
    orphan = drafts.setdefault(f"row:{number}", HouseholdDraft(key=f"row:{number}", orphan=True))
    orphan.rows.append(number)
    orphan.problems.append(Problem(number, "national_id", message))


def _household_of(
    row: _Row, written_id: str, head: bool, drafts: dict[str, HouseholdDraft], previous: HouseholdDraft | None
) -> HouseholdDraft | None:
    if Field.HOUSEHOLD_KEY in _fields(row):
        key_text = row.text(Field.HOUSEHOLD_KEY)
        key = f"key:{fold(key_text)}" if key_text else f"row:{row.number}"
        return drafts.setdefault(key, HouseholdDraft(key=key))
    if written_id and head:
        key = f"tc:{written_id}"
        return drafts.setdefault(key, HouseholdDraft(key=key))
    address = fold(row.text(Field.ADDRESS) or row.text(Field.STREET))
    if previous is not None and (not address or address == fold(previous.address or previous.street)):
        return previous
    return None


def _fields(row: _Row) -> set[Field]:
    return set(row._cells)


def _take_row(draft: HouseholdDraft, row: _Row, national_id: str, as_head: bool) -> None:
    """Add what one row says to its household: the head's details, the person, programmes, needs."""
    draft.rows.append(row.number)
    name = row.person_name()
    if as_head and not draft.head_found:
        draft.head_found = True
        draft.name, draft.national_id = name, national_id
        draft.address, draft.street = row.text(Field.ADDRESS), row.text(Field.STREET)
        draft.housenumber = row.text(Field.HOUSENUMBER)
    draft.name = draft.name or name
    draft.national_id = draft.national_id or national_id
    draft.phone = draft.phone or row.parsed(Field.PHONE, parse_phone, "")
    for attr, source in (
        ("address", Field.ADDRESS),
        ("street", Field.STREET),
        ("housenumber", Field.HOUSENUMBER),
    ):
        if not getattr(draft, attr):
            setattr(draft, attr, row.text(source))
    draft.district = draft.district or row.text(Field.DISTRICT)
    draft.neighbourhood = draft.neighbourhood or row.text(Field.NEIGHBOURHOOD)
    if draft.lat is None and draft.lon is None:
        draft.lat = row.parsed(Field.LAT, lambda c: parse_coordinate("lat", c), None)
        draft.lon = row.parsed(Field.LON, lambda c: parse_coordinate("lon", c), None)
    _take_people(draft, row, name)
    nothing: tuple[set[Need], list[str]] = (set(), [])
    needs, unknown = row.parsed(Field.NEEDS, parse_needs, nothing)
    draft.needs |= needs
    not_understood = translator().gettext(_("row {row}: need not understood: {need}"))
    draft.warnings.extend(not_understood.format(row=row.number, need=w) for w in unknown)
    _take_programmes(draft, row)


def _take_people(draft: HouseholdDraft, row: _Row, name: str) -> None:
    born = row.parsed(Field.BIRTH_DATE, lambda c: parse_day("birth_date", c), None)
    none: list[Member] = []
    people = list(row.parsed(Field.MEMBERS, parse_members, none))
    if born is not None:
        if not name:
            draft.problems.append(
                Problem(row.number, "name", translator().gettext(_("a birth date without a name")))
            )
        people.insert(0, Member(name, born))
    for person in people:
        if person not in draft.members:
            draft.members.append(person)


def _take_programmes(draft: HouseholdDraft, row: _Row) -> None:
    none: list[Programme] = []
    programmes = row.parsed(Field.PROGRAMME, parse_programmes, none)
    start = row.parsed(Field.START_DATE, lambda c: parse_day("start_date", c), None)
    end = row.parsed(Field.END_DATE, lambda c: parse_day("end_date", c), None)
    for programme in programmes:
        known = next((e for e in draft.enrolling if e.programme is programme), None)
        if known is None:
            draft.enrolling.append(Enrolling(programme, start, end))
        else:
            twice = translator().gettext(_("row {row}: {programme} listed twice, the first row counts"))
            draft.warnings.append(twice.format(row=row.number, programme=translator().label(programme)))
