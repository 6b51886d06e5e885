"""One import from start to end, shared by the CLI and the upload page: map, dry run, commit, report."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import nullcontext
from typing import Any

from api.importing.mapping import ColumnMapping, apply_overrides, check_required, suggest
from api.importing.places import Places, load_places
from api.importing.plan import Found, ImportPlan, PlannedHousehold, existing_in, plan_import
from api.importing.readers import Table
from api.importing.run import Writing, run_import
from domain.app_base import today_in_istanbul
from domain.service import Kapida
from domain.values import Actor
from projections.household_index import check_key
from projections.sql import ViewDatabase

Reader = Callable[[Callable[[ViewDatabase], Found]], Found]
Placements = Mapping[int, tuple[float, float]]


def choose_mapping(table: Table, overrides: Mapping[str, str]) -> ColumnMapping:
    """The suggested mapping with the user's overrides; refused when a required field has no column."""
    mapping = apply_overrides(suggest(table.headers), table.headers, overrides)
    check_required(mapping)
    return mapping


def dry_run(
    read: Reader,
    key: bytes,
    table: Table,
    mapping: ColumnMapping,
    placements: Placements | None = None,
    places: Places | None = None,
) -> ImportPlan:
    """The row-by-row plan; writes nothing. Each household's lookup is one short `read` (read models
    brought up to date), so a long file never holds the read models' lock while it is geocoded."""
    where = places or load_places()

    def key_checked(views: ViewDatabase) -> Found:
        check_key(views, key)
        return [], {}

    read(key_checked)

    def existing(national_id: str) -> Found:
        return read(lambda views: existing_in(views, key, national_id))

    return plan_import(table, mapping, existing, where, today_in_istanbul(), placements)


def commit(plan: ImportPlan, app: Kapida, actor: Actor, writing: Writing | None = None) -> ImportPlan:
    """Carry out a plan made just before (see `dry_run`); `writing` wraps each household's commands
    (the API's write queue), by default none."""
    return run_import(plan, writing or (lambda: nullcontext(app)), actor, today_in_istanbul())


def mask(national_id: str) -> str:
    """Enough of a T.C. number to recognise a row, not enough to copy it from a screen or a log."""
    return f"{national_id[:3]}******{national_id[-2:]}" if len(national_id) == 11 else national_id


def household_report(item: PlannedHousehold) -> dict[str, Any]:
    draft = item.draft
    return {
        "rows": draft.rows,
        "first_row": draft.first_row,
        "status": item.status.value,
        "result": item.result,
        "name": draft.name,
        "national_id": mask(draft.national_id),
        "district": item.area.district if item.area else draft.district,
        "neighbourhood": item.area.neighbourhood if item.area else draft.neighbourhood,
        "address": item.address_text,
        "location": None if item.location is None else {"lat": item.location.lat, "lon": item.location.lon},
        "placed_by": item.placed_by,
        "placed_at": item.placed_at,
        "members": len(draft.members),
        "needs": sorted(n.value for n in draft.needs),
        "programmes": [
            {
                "programme": a.enrolling.programme.value,
                "start": a.start.isoformat(),
                "end": a.enrolling.end.isoformat() if a.enrolling.end else None,
                "step": a.step.value,
                "note": a.note,
            }
            for a in item.actions
        ]
        or [
            {"programme": e.programme.value, "start": None, "end": None, "step": "", "note": ""}
            for e in draft.enrolling
        ],
        "household_id": str(item.household_id) if item.household_id else None,
        "problems": [{"row": p.row, "field": p.field, "message": p.message} for p in item.problems],
        "warnings": list(draft.warnings),
    }


def plan_report(plan: ImportPlan, committed: bool) -> dict[str, Any]:
    """The whole report: totals by status, the mapping used, and one entry per household."""
    households = [household_report(h) for h in plan.households]
    totals: dict[str, int] = {}
    for entry in households:
        key = entry["result"] or entry["status"]
        totals[key] = totals.get(key, 0) + 1
    return {
        "source": plan.source,
        "committed": committed,
        "mapping": plan.mapping.as_dict(),
        "totals": totals,
        "households": households,
    }
