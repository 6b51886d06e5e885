"""The real run: each planned household through the normal commands, with the importing user as actor.

A household's commands run in order (register, submit, assess, approve per programme); if one is
refused, its row reports the error and the next household goes on. Nothing is registered twice: the
plan found existing households by national id and existing applications by programme, so a run that
stopped half-way is finished by running the same file again.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, datetime, time
from uuid import UUID

from api.i18n import translator
from api.importing.plan import Action, ImportPlan, PlannedHousehold, Status, Step
from api.importing.rows import Problem
from domain.app_base import ISTANBUL
from domain.errors import DomainError
from domain.service import Kapida
from domain.values import Actor, Channel, PersonalDetails

_RECORDED_AT = time(9, 0)
Writing = Callable[[], AbstractContextManager[Kapida]]


def run_import(plan: ImportPlan, writing: Writing, actor: Actor, today: date) -> ImportPlan:
    """Write every household the plan creates or completes; sets each household's `result`.

    `writing()` gives the command side for one household at a time, so a long list never holds the
    store's writer (which drivers' reports share) for more than one household's commands.
    """
    for item in plan.households:
        if item.status not in (Status.CREATE, Status.ADD):
            item.result = item.status.value
            continue
        try:
            with writing() as app:
                _write(item, app, actor, plan.source, today)
        except DomainError as error:
            field = getattr(error, "field", "")
            item.result = "error"
            item.problems.append(_problem(item, field, translator().error(error)))
        else:
            item.result = "created" if item.status is Status.CREATE else "added"
    return plan


def _problem(item: PlannedHousehold, field: str, message: str) -> Problem:
    written = (
        ""
        if item.household_id is None
        else f" (hane {item.household_id} kayıtlı; dosyayı yeniden çalıştırın)"
    )
    return Problem(item.draft.first_row, field, f"{message}{written}")


def _write(item: PlannedHousehold, app: Kapida, actor: Actor, source: str, today: date) -> None:
    draft = item.draft
    if item.household_id is None:
        assert item.location is not None and item.area is not None
        item.household_id = app.register_household(
            PersonalDetails(draft.name.strip(), draft.phone, item.address_text, draft.national_id),
            item.location,
            item.area.district,
            item.area.neighbourhood,
            tuple(draft.members),
            tuple(sorted(draft.needs)),
            actor,
        )
    rows = ", ".join(str(r) for r in draft.rows)
    for action in item.actions:
        _enrol(app, item.household_id, action, actor, f"{source} (satır {rows})", today)


def _enrol(app: Kapida, household: UUID, action: Action, actor: Actor, where: str, today: date) -> None:
    """Submit (through the import channel), assess and approve, starting where an earlier run stopped."""
    if action.step is Step.PRESENT:
        return
    day = action.record_day
    note = f"Mevcut listeden aktarıldı: {where} / imported from the existing list {where}"
    application = action.application_id
    if action.step is Step.NEW:
        received = datetime.now(ISTANBUL) if day >= today else datetime.combine(day, _RECORDED_AT, ISTANBUL)
        application = app.submit_application(
            household, action.enrolling.programme, Channel.IMPORT, actor, received, note
        )
    assert application is not None
    if action.step is not Step.NEW:  # an earlier run's application: never record a day before it
        earlier = app.aid_application(application)
        day = max(day, earlier.received_at.astimezone(ISTANBUL).date(), earlier.visited_on or day)
    if action.step in (Step.NEW, Step.ASSESS):
        app.assess_application(application, note, day, actor)
    app.approve_application(
        application,
        actor,
        decided_on=day,
        start_date=action.start,
        end_date=action.enrolling.end,
        note=note,
    )
