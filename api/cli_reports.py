"""CLI read side: caseload, manifest, the event log, and the projections that answer them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import typer

from api.cli_support import (
    AsOfOption,
    JsonOption,
    parse_date,
    parse_datetime,
    past_views,
    rows_of,
    services,
    show,
)
from api.i18n import _
from domain.programmes import Programme
from domain.service import ISTANBUL, today_in_istanbul
from domain.turkish import sort_key
from projections import checkpoints, queries
from projections.decoding import EventDecoder, event_name, value

projections_cli = typer.Typer(help="Read models: rebuild or catch up.", no_args_is_help=True)
events_cli = typer.Typer(help="The event log: the record of truth.", no_args_is_help=True)


def caseload(
    programme: Annotated[Programme | None, typer.Option(help="Only this programme.")] = None,
    district: Annotated[str | None, typer.Option(help="Only this district (ilçe).")] = None,
    on: Annotated[str, typer.Option(help="Day of the caseload (YYYY-MM-DD); default today.")] = "",
    decisions: Annotated[bool, typer.Option(help="Show approvals/rejections per month instead.")] = False,
    as_of: AsOfOption = "",
    as_json: JsonOption = False,
) -> None:
    """Active, suspended and waiting households per programme, district and neighbourhood."""
    day = parse_date("on", on) if on else _day_of(as_of)
    prog = programme.value if programme else None
    with services() as s, past_views(s, as_of) as views:
        if decisions:
            title = _("Decisions (as of {as_of})") if as_of else _("Decisions")
            show(rows_of(queries.decisions_by_month(views, prog, district)), as_json, title, as_of=as_of)
        else:
            rows = rows_of(queries.caseload(views, day, prog, district))
            title = _("Caseload {day} (as of {as_of})") if as_of else _("Caseload {day}")
            show(rows, as_json, title, day=day, as_of=as_of)


def _day_of(as_of: str) -> date:
    """The caseload's day: the as-of moment's day in Istanbul, or today."""
    return parse_datetime("as_of", as_of).astimezone(ISTANBUL).date() if as_of else today_in_istanbul()


def manifest(
    date: Annotated[str, typer.Option("--date", help="Delivery day (YYYY-MM-DD).")],
    programme: Annotated[Programme, typer.Option(help="Programme to deliver.")],
    as_of: AsOfOption = "",
    as_json: JsonOption = False,
) -> None:
    """Every household that must receive something on a day, and how much."""
    day = parse_date("date", date)
    with services() as s, past_views(s, as_of, with_personal=True) as views:  # coordinates and needs
        lines = queries.manifest(views, day, programme.value)
    lines.sort(key=lambda line: (sort_key(line.district), sort_key(line.neighbourhood)))
    title = (
        _("Manifest: {programme}, {day} ({count}) (as of {as_of})")
        if as_of
        else _("Manifest: {programme}, {day} ({count})")
    )
    show(rows_of(lines), as_json, title, programme=programme, day=day, count=len(lines), as_of=as_of)


@projections_cli.command("rebuild")
def rebuild(as_json: JsonOption = False) -> None:
    """Throw the read models away and rebuild them from the whole event log."""
    with services() as s:
        rows = [
            {"view": p.view.name, "events_read": p.rebuild(), "position": p.position()} for p in s.projectors
        ]
    show(rows, as_json, _("Rebuilt"))


@projections_cli.command("checkpoint")
def checkpoint(as_json: JsonOption = False) -> None:
    """Catch up, then store a checkpoint of each read model (as-of questions start from the nearest one)."""
    with services() as s:
        rows = []
        for projector in s.projectors:
            projector.catch_up()
            if checkpoints.worth_keeping(projector.view):
                rows.append({"view": projector.view.name, "position": projector.checkpoint()})
    show(rows, as_json, _("Checkpoint"))


@projections_cli.command("checkpoints")
def list_checkpoints(as_json: JsonOption = False) -> None:
    """The stored checkpoints: view, position, latest event time, compressed size."""
    with services() as s:
        show(checkpoints.listing(s.views), as_json, _("Checkpoints"))


@projections_cli.command("catch-up")
def catch_up(as_json: JsonOption = False) -> None:
    """Apply the events recorded since the read models' last position."""
    with services() as s:
        rows = [
            {"view": p.view.name, "events_read": p.catch_up(), "position": p.position()} for p in s.projectors
        ]
    show(rows, as_json, _("Caught up"))


def in_istanbul(moment: str) -> str:
    """An event's UTC timestamp as Istanbul time with its offset, to the second."""
    return datetime.fromisoformat(moment).astimezone(ISTANBUL).isoformat(timespec="seconds")


@events_cli.command("tail")
def tail(
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="How many of the latest events.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """The latest events: when, which aggregate, what happened, who did it and why (no personal data)."""
    with services() as s:
        last = s.app.recorder.max_notification_id() or 0
        notifications = s.app.recorder.select_notifications(start=max(1, last - limit + 1), limit=limit)
        decoder = EventDecoder(s.app.mapper)
        rows = []
        for n in notifications:
            event = decoder.decode(n.state)
            actor = value(event.get("actor")) or {}
            rows.append(
                {
                    "position": n.id,
                    "recorded_at": in_istanbul(value(event["timestamp"])),
                    "aggregate": str(n.originator_id),
                    "version": n.originator_version,
                    "event": event_name(n.topic),
                    "actor": actor.get("user", ""),
                    "role": actor.get("role", ""),
                    "reason": event.get("reason", ""),
                }
            )
    show(rows, as_json, _("Event log"))
