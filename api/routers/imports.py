"""Import of existing lists (upload → mapping → dry run → import) and caseload export. Case staff only.

Each step sends the file again with the choices made so far, so the server keeps no half-finished
upload: the logic lives in `api.importing` and `api.exporting`, these routes only translate HTTP.
"""

from __future__ import annotations

import json
from datetime import date
from functools import partial
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Form, Query, UploadFile
from fastapi.responses import Response

from api.exporting import export_caseload
from api.importing.mapping import SYNONYMS, Field, suggest
from api.importing.plan import ImportPlan
from api.importing.readers import Table, read_table
from api.importing.workflow import choose_mapping, commit, dry_run, plan_report
from api.routers.context import ApiContext, Caseworker, Ctx
from domain.errors import N_, InvalidValue
from domain.service import today_in_istanbul
from domain.values import Actor

router = APIRouter(prefix="/api", tags=["import and export"])
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
SAMPLE_ROWS = 5
MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


async def _table(file: UploadFile, sheet: str) -> Table:
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidValue("file", N_("larger than {megabytes} MB"), megabytes=MAX_UPLOAD_BYTES // 2**20)
    return read_table(data, file.filename or "liste", sheet or None)


def _json_form(field: str, text: str) -> Any:
    try:
        return json.loads(text) if text.strip() else {}
    except json.JSONDecodeError:
        raise InvalidValue(field, N_("not JSON")) from None


def _placements(text: str) -> dict[int, tuple[float, float]]:
    """`{"12": [41.02, 40.52]}`: positions people gave by hand, by the household's first row."""
    given = _json_form("placements", text)
    try:
        return {int(row): (float(at[0]), float(at[1])) for row, at in dict(given).items()}
    except (TypeError, ValueError, IndexError, KeyError):
        raise InvalidValue("placements", N_('the form is {"row": [lat, lon]}')) from None


def _plan(ctx: ApiContext, table: Table, mapping: str, placements: str) -> ImportPlan:
    chosen = choose_mapping(table, {str(k): str(v) for k, v in dict(_json_form("mapping", mapping)).items()})
    return dry_run(ctx.read, ctx.services.national_id_key, table, chosen, _placements(placements))


@router.post("/imports/households/mapping")
async def mapping(
    user: Caseworker, ctx: Ctx, file: UploadFile, sheet: Annotated[str, Form()] = ""
) -> dict[str, Any]:
    """The file's columns, the suggested field of each, the fields to choose from, and a few rows."""
    table = await _table(file, sheet)
    return {
        "source": table.source,
        "sheet": table.sheet,
        "encoding": table.encoding,
        "delimiter": table.delimiter,
        "headers": list(table.headers),
        "suggestion": suggest(table.headers).as_dict(),
        "fields": [f.value for f in Field],
        "synonyms": {f.value: list(words[:3]) for f, words in SYNONYMS.items()},
        "sample": [[None if c is None else str(c) for c in row] for row in table.rows[:SAMPLE_ROWS]],
    }


@router.post("/imports/households/dry-run")
async def check(
    user: Caseworker,
    ctx: Ctx,
    file: UploadFile,
    sheet: Annotated[str, Form()] = "",
    mapping: Annotated[str, Form(description='JSON {"column": "field"} overrides')] = "",
    placements: Annotated[str, Form(description='JSON {"row": [lat, lon]}')] = "",
) -> dict[str, Any]:
    """What the import would create and what is wrong, row by row; nothing is written."""
    table = await _table(file, sheet)
    plan = await anyio.to_thread.run_sync(_plan, ctx, table, mapping, placements)
    return plan_report(plan, committed=False)


@router.post("/imports/households")
async def run(
    user: Caseworker,
    ctx: Ctx,
    file: UploadFile,
    sheet: Annotated[str, Form()] = "",
    mapping: Annotated[str, Form()] = "",
    placements: Annotated[str, Form()] = "",
) -> dict[str, Any]:
    """Import every good household through the normal commands, as the signed-in user; safe to repeat."""
    table = await _table(file, sheet)
    plan = await anyio.to_thread.run_sync(_plan, ctx, table, mapping, placements)
    await anyio.to_thread.run_sync(partial(_commit, ctx, plan, user.actor))
    return plan_report(plan, committed=True)


def _commit(ctx: ApiContext, plan: ImportPlan, actor: Actor) -> None:
    commit(plan, ctx.app, actor, writing=ctx.writing)


@router.get("/exports/caseload")
def export(
    user: Caseworker,
    ctx: Ctx,
    format: Annotated[str, Query(pattern="^(xlsx|csv)$")] = "xlsx",
    delimiter: Annotated[str, Query(description="CSV: ';' (default), ',' or 'tab'")] = ";",
    on: Annotated[date | None, Query(description="Enrolments not ended by this day; default today")] = None,
) -> Response:
    """The caseload as a spreadsheet the importer reads back (personal data: case staff only)."""
    day = on or today_in_istanbul()
    data = ctx.read(lambda db: export_caseload(db, day, format, delimiter))
    name = f"kapida-vaka-yuku-{day.isoformat()}.{format}"
    return Response(
        data, media_type=MEDIA[format], headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
