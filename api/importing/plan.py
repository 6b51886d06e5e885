"""The dry run: every household of a file checked against the domain's rules and what Kapıda already holds.

Nothing here writes. Each household gets a status (create, add, unchanged, error, to place by hand),
the commands the real run would issue, and every problem with its spreadsheet row and field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from uuid import UUID

from api.i18n import translator
from api.importing.mapping import ColumnMapping, check_required
from api.importing.places import Area, Places
from api.importing.readers import Table
from api.importing.rows import Enrolling, HouseholdDraft, Problem, group_rows
from domain.app_base import check_past_date, check_plan_date
from domain.errors import N_, InvalidValue
from domain.programmes import check_eligible
from domain.values import GeoPoint, PersonalDetails, check_members, check_personal_details
from projections.household_index import households_with_national_id, programme_history
from projections.sql import ViewDatabase

# What Kapıda holds for a national id: household ids, and per programme (state, application/enrolment id).
Found = tuple[list[str], dict[str, tuple[str, str]]]
Existing = Callable[[str], Found]


class Status(StrEnum):
    """What the import does with a household: create it, add programmes, nothing, or cannot."""

    CREATE = "create"
    ADD = "add"
    UNCHANGED = "unchanged"
    ERROR = "error"
    TO_PLACE = "to_place"


class Step(StrEnum):
    """Where a programme's commands start: all of them, after a submitted or assessed application, none."""

    NEW = "new"
    ASSESS = "assess"
    APPROVE = "approve"
    PRESENT = "present"


@dataclass(frozen=True)
class Action:
    """One programme of a household and the step its commands start from."""

    enrolling: Enrolling
    step: Step
    application_id: UUID | None = None
    note: str = ""
    record_day: date = date.min  # the application, visit and decision are recorded on this day

    @property
    def start(self) -> date:
        return self.enrolling.start or self.record_day


@dataclass
class PlannedHousehold:
    """A household of the file, checked: where it goes, what will be written, what is wrong."""

    draft: HouseholdDraft
    status: Status = Status.CREATE
    household_id: UUID | None = None
    area: Area | None = None
    location: GeoPoint | None = None
    placed_by: str = ""
    placed_at: str = ""
    actions: list[Action] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    result: str = ""

    @property
    def address_text(self) -> str:
        """The address as written, or built from separate street and door-number columns."""
        draft = self.draft
        if draft.address or not draft.housenumber:
            return draft.address or draft.street
        return f"{draft.street} No:{draft.housenumber}"


@dataclass
class ImportPlan:
    """Every household of one file, in file order, with the mapping that read it."""

    source: str
    mapping: ColumnMapping
    households: list[PlannedHousehold]


def plan_import(
    table: Table,
    mapping: ColumnMapping,
    existing: Existing,
    places: Places,
    today: date,
    placements: Mapping[int, tuple[float, float]] | None = None,
) -> ImportPlan:
    """Check every household of `table`; `placements` are coordinates people gave by hand, by first row."""
    check_required(mapping)
    planned = []
    first_row_of: dict[str, int] = {}
    for draft in group_rows(table, mapping):
        item = PlannedHousehold(draft, problems=list(draft.problems))
        if not draft.orphan:
            _check(item, places, today, first_row_of)
        if not item.problems:
            _compare_with_kapida(item, existing(item.draft.national_id), today)
        if not item.problems and item.status is Status.CREATE:
            _locate(item, places, (placements or {}).get(draft.first_row))
        if item.problems:
            item.status = Status.ERROR
        planned.append(item)
    return ImportPlan(table.source, mapping, planned)


def _problem(item: PlannedHousehold, error: InvalidValue) -> None:
    item.problems.append(Problem(item.draft.first_row, error.field, translator().problem(error)))


def _check(item: PlannedHousehold, places: Places, today: date, first_row_of: dict[str, int]) -> None:
    """The domain's own checks on the household as the file describes it."""
    draft = item.draft
    national_problem = any(p.field == "national_id" for p in item.problems)
    if not draft.national_id and not national_problem:
        _problem(
            item,
            InvalidValue("national_id", N_("empty; required to avoid duplicates")),
        )
    elif draft.national_id in first_row_of:
        earlier = first_row_of[draft.national_id]
        _problem(
            item,
            InvalidValue("national_id", N_("a duplicate of row {earlier} in the file"), earlier=earlier),
        )
    elif draft.national_id:
        first_row_of[draft.national_id] = draft.first_row
    for check in (
        lambda: check_personal_details(
            PersonalDetails(draft.name, draft.phone, item.address_text, draft.national_id)
        ),
        lambda: check_members(tuple(draft.members), today),
    ):
        try:
            check()
        except InvalidValue as error:
            if not any(p.field == error.field for p in item.problems):
                _problem(item, error)
    try:
        item.area = places.area(draft.district, draft.neighbourhood)
    except InvalidValue as error:
        _problem(item, error)
    for enrolling in draft.enrolling:
        _check_enrolling(item, enrolling, today)


def _check_enrolling(item: PlannedHousehold, enrolling: Enrolling, today: date) -> None:
    start = enrolling.start or today
    day = min(start, today)
    try:
        check_plan_date("start_date", start)
        check_past_date("start_date", day)
        if enrolling.end is not None:
            check_plan_date("end_date", enrolling.end)
            if enrolling.end < start:
                raise InvalidValue("end_date", N_("{end} is before the start"), end=enrolling.end)
        if item.draft.members:
            check_eligible(enrolling.programme, tuple(item.draft.members), frozenset(item.draft.needs), day)
    except InvalidValue as error:
        if error.field in ("members", "needs"):
            error = InvalidValue(
                error.field,
                N_("{programme}: not eligible: {problem}"),
                programme=enrolling.programme,
                problem=translator().problem(error),
            )
        _problem(item, error)


def existing_in(views: ViewDatabase, key: bytes, national_id: str) -> Found:
    """The households registered with this number (oldest id first) and the first one's programmes."""
    households = households_with_national_id(views, key, national_id)
    return households, programme_history(views, households[0]) if households else {}


def _compare_with_kapida(item: PlannedHousehold, found: Found, today: date) -> None:
    """An existing household (same national id) is not registered again; only missing programmes are added."""
    existing, history = found
    if existing:
        item.household_id = UUID(existing[0])
    for enrolling in item.draft.enrolling:
        day = min(enrolling.start or today, today)
        state, ident = history.get(enrolling.programme.value, ("", ""))
        if state == "submitted":
            action = Action(enrolling, Step.ASSESS, UUID(ident), record_day=day)
        elif state == "assessed":
            action = Action(enrolling, Step.APPROVE, UUID(ident), record_day=day)
        elif state:
            action = Action(enrolling, Step.PRESENT, note=state, record_day=day)
        else:
            action = Action(enrolling, Step.NEW, record_day=day)
        item.actions.append(action)
    if existing:
        todo = any(a.step is not Step.PRESENT for a in item.actions)
        item.status = Status.ADD if todo else Status.UNCHANGED


def _locate(item: PlannedHousehold, places: Places, by_hand: tuple[float, float] | None) -> None:
    """Coordinates from the file, else given by hand, else the door or street from the OSM extract."""
    draft, area = item.draft, item.area
    assert area is not None
    try:
        if draft.lat is not None or draft.lon is not None:
            item.location, item.placed_by = GeoPoint(draft.lat or 0.0, draft.lon or 0.0), "file"
            return
        if by_hand is not None:
            item.location, item.placed_by = GeoPoint(*by_hand), "hand"
            return
    except InvalidValue as error:
        _problem(item, error)
        return
    placement = places.place(area, draft.address, draft.street, draft.housenumber)
    if placement is None:
        item.status = Status.TO_PLACE
        return
    item.location = GeoPoint(round(placement.lat, 7), round(placement.lon, 7))
    item.placed_by, item.placed_at = placement.method, placement.matched
