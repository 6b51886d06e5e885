"""`kapida audit history|why`: a record's history, and why a household was not served on a day."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import typer

from api.cli_support import JsonOption, parse_date, rows_of, services, show
from api.wording import LANGUAGES, finding_text
from domain.errors import InvalidValue
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
                "zaman / at": e.at.astimezone(ISTANBUL).strftime("%Y-%m-%d %H:%M:%S"),
                "kayıt / record": f"{e.record} {e.record_id.hex[:8]} v{e.version}",
                "olay / event": e.event.partition(".")[2],
                "kim / who": f"{e.actor} ({e.role})" if e.actor else "",
                "gerekçe / reason": e.reason,
                "değişiklik / change": e.summary,
            }
            for e in entries
        ]
    )
    show(rows, as_json, f"Geçmiş / history {record_id}")


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
    lang: Annotated[str, typer.Option(help="Language of the answer: tr or en.")] = "tr",
    as_json: JsonOption = False,
) -> None:
    """Why was the household not served on the day? Each programme's first obstacle, from the events."""
    day = parse_date("date", date)
    if lang not in LANGUAGES:
        raise InvalidValue("lang", f"{lang!r} is not one of {', '.join(LANGUAGES)}")
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
    show(rows, as_json, f"Neden hizmet almadı? / why not served: {household_id} {day.isoformat()}")
