"""`kapida audit history|why`: a record's history, and why a household was not served on a day."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import typer

from api.cli_support import JsonOption, parse_date, rows_of, services, show, words
from api.i18n import _
from api.wording import LANGUAGES, finding_text
from domain.errors import N_, InvalidValue
from domain.programmes import Programme
from domain.service import ISTANBUL
from domain.users import user_id_for
from projections.history import history as record_history
from projections.why import why_not_served


def history(
    record: Annotated[
        str, typer.Argument(help="Id of a household, application, enrolment, plan, stop, ...; or a username.")
    ],
    related: Annotated[
        bool, typer.Option(help="For a household, also its applications, enrolments, trips and stops.")
    ] = True,
    as_json: JsonOption = False,
) -> None:
    """Every event of the record in order: when, what, who (role), why, and what changed."""
    record_id = _record_id(record)
    with services() as s:
        s.catch_up()
        entries = record_history(s.app, s.views, record_id, related)
    rows = (
        rows_of(entries)
        if as_json
        else [
            {
                "recorded_at": e.at.astimezone(ISTANBUL).isoformat(timespec="seconds"),
                "aggregate": f"{e.record} {e.record_id.hex[:8]} v{e.version}",
                "event": e.event,
                "actor": f"{e.actor} ({words().label(e.role, 'role')})" if e.actor else "",
                "reason": e.reason,
                "change": e.summary,
            }
            for e in entries
        ]
    )
    show(rows, as_json, _("History of {record_id}"), record_id=record_id)


def _record_id(text: str) -> UUID:
    """A record's id, or the id of the user account with that username."""
    try:
        return UUID(text)
    except ValueError:
        return user_id_for(text.strip())


def why(
    household_id: Annotated[UUID, typer.Argument(help="Household id.")],
    date: Annotated[str, typer.Option("--date", help="The day in question (YYYY-MM-DD).")],
    programme: Annotated[Programme | None, typer.Option(help="Only this programme.")] = None,
    lang: Annotated[
        str, typer.Option(help="Language of the answer: tr or en (default: kapida --lang).")
    ] = "",
    as_json: JsonOption = False,
) -> None:
    """Why was the household not served on the day? Each programme's first obstacle, from the events."""
    day = parse_date("date", date)
    lang = lang or words().lang
    if lang not in LANGUAGES:
        raise InvalidValue(
            "lang",
            N_("{language!r} is not one of {languages}"),
            language=lang,
            languages=", ".join(LANGUAGES),
        )
    with services() as s:
        s.catch_up()
        findings = why_not_served(s.app, s.views, household_id, day, programme.value if programme else None)
    rows = [
        {
            "programme": f.programme,
            "served": f.served,
            "code": f.code,
            "answer": finding_text(f, lang),
            **({"answer_en": finding_text(f, "en"), "params": f.params} if as_json else {}),
        }
        for f in findings
    ]
    show(rows, as_json, _("Why not served: {household_id} {day}"), household_id=household_id, day=day)
