"""What every CLI command shares: parsing people's input, the actor options, and printing tables or JSON.

Tables, titles and messages are in the CLI's language (`--lang`, else `KAPIDA_LANG`, else Turkish): column
titles and enumerated values (programmes, rounds, statuses, roles) translated, dates as `21.11.2026`,
numbers as `6.148.000`. `--json` output stays language-neutral (codes, ISO dates, plain numbers).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time
from enum import Enum
from typing import Annotated, Any
from uuid import UUID

import typer
from rich.console import Console
from rich.table import Table

from api.bootstrap import Services, bootstrap
from api.formatting import format_date, format_datetime, format_decimal_places, format_number
from api.i18n import CURRENT, Translator, translator
from domain.errors import N_, InvalidValue
from domain.service import ISTANBUL
from domain.values import Actor, Member, Role
from projections.asof import past_moment, views_as_of
from projections.caseload import CaseloadView
from projections.dispatch import DispatchView
from projections.sql import ViewDatabase

ActorOption = Annotated[
    str, typer.Option("--actor", envvar="KAPIDA_ACTOR", help="Who is acting (user name); or KAPIDA_ACTOR.")
]
RoleOption = Annotated[
    Role, typer.Option("--role", envvar="KAPIDA_ROLE", help="The acting user's role; or KAPIDA_ROLE.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable JSON instead of a table.")]
AsOfOption = Annotated[
    str,
    typer.Option(
        "--as-of", help="As it stood at this past moment (YYYY-MM-DDTHH:MM, Istanbul time unless an offset)."
    ),
]

# The language chosen with `--lang` for this run (None: `KAPIDA_LANG`, else Turkish).
LANGUAGE = CURRENT
# Table columns: their titles, and the label family of the values they hold.
COLUMN_TITLES = {
    "programme": N_("Programme"),
    "district": N_("District"),
    "neighbourhood": N_("Neighbourhood"),
    "active": N_("Active"),
    "suspended": N_("Suspended"),
    "pending": N_("Pending applications"),
    "longest_wait_days": N_("Longest wait (days)"),
    "mean_wait_days": N_("Mean wait (days)"),
    "month": N_("Month"),
    "approved": N_("Approved"),
    "rejected": N_("Rejected"),
    "withdrawn": N_("Withdrawn"),
    "enrolment_id": N_("Enrolment"),
    "household_id": N_("Household"),
    "lat": N_("Latitude"),
    "lon": N_("Longitude"),
    "quantity": N_("Quantity"),
    "meals": N_("Meals"),
    "wheelchair_place": N_("Wheelchair place"),
    "needs": N_("Needs"),
    "vehicle": N_("Vehicle"),
    "stops": N_("Stops"),
    "km": N_("km"),
    "hours": N_("Hours"),
    "unassigned": N_("Not on a route because"),
    "plan": N_("Plan"),
    "round": N_("Round"),
    "status": N_("Status"),
    "routes": N_("Routes"),
    "username": N_("Username"),
    "full_name": N_("Full name"),
    "role": N_("Role"),
    "vehicle_id": N_("Vehicle"),
    "language": N_("Language"),
    "position": N_("Position"),
    "recorded_at": N_("Recorded at"),
    "aggregate": N_("Record"),
    "version": N_("Version"),
    "event": N_("Event"),
    "actor": N_("Who"),
    "reason": N_("Reason"),
    "view": N_("Read model"),
    "events_read": N_("Events read"),
    "what": N_("What"),
    "count": N_("Count"),
    "user": N_("User"),
    "password": N_("Password"),
    "name": N_("Name"),
    "phone": N_("Phone"),
    "address": N_("Address"),
    "change": N_("Change"),
    "answer": N_("Answer"),
    "served": N_("Served"),
    "code": N_("Code"),
}
VALUE_LABELS = {
    "programme": "programme",
    "round": "round",
    "role": "role",
    "status": "status",
    "outcome": "outcome",
    "kind": "kind",
    "channel": "channel",
    "needs": "need",
    "meals": "round",
    "unassigned": "reason",
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)$")


def words() -> Translator:
    """The translator of this CLI run: `--lang`, else `KAPIDA_LANG`, else Turkish."""
    return translator(LANGUAGE.get())


def actor_of(user: str, role: Role) -> Actor:
    return Actor(user, role)


def parse_date(field: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidValue(field, N_("{text!r} is not a date (YYYY-MM-DD)"), text=text) from None


def parse_datetime(field: str, text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidValue(
            field, N_("{text!r} is not a date and time (YYYY-MM-DDTHH:MM)"), text=text
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=ISTANBUL)


def parse_time(field: str, text: str) -> time:
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise InvalidValue(field, N_("{text!r} is not a time of day (HH:MM)"), text=text) from None


def parse_member(index: int, text: str) -> Member:
    """`Name:YYYY-MM-DD`, as a caseworker types a household member."""
    name, sep, born = text.rpartition(":")
    if not sep:
        raise InvalidValue(f"member[{index}]", N_("{text!r} should be NAME:YYYY-MM-DD"), text=text)
    return Member(name.strip(), parse_date(f"member[{index}].birth_date", born.strip()))


@contextmanager
def past_views(s: Services, as_of: str, with_personal: bool = False) -> Iterator[ViewDatabase]:
    """Both read models as of `as_of` (see `projections.asof`), or the live ones brought up to date."""
    if not as_of:
        s.catch_up()
        yield s.views
        return
    moment = past_moment(parse_datetime("as_of", as_of))
    with views_as_of(s.app, s.views, (CaseloadView(), DispatchView()), moment, with_personal) as past:
        yield past


@contextmanager
def services() -> Iterator[Services]:
    """Open the stores for one command; read models are brought up to date before they answer."""
    opened = bootstrap()
    try:
        yield opened
    finally:
        opened.close()


def _plain(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def rows_of(items: Sequence[Any]) -> list[dict[str, Any]]:
    """Dataclass instances or dicts as plain, JSON-ready dicts."""
    plain = []
    for item in items:
        fields = (
            dataclasses.asdict(item)
            if dataclasses.is_dataclass(item) and not isinstance(item, type)
            else item
        )
        plain.append({k: _plain(v) for k, v in fields.items()})
    return plain


def cell(column: str, value: Any, language: Translator) -> str:
    """One table cell as a reader of `language` expects it: words for codes, local dates and numbers."""
    if value is None or value == "":
        return ""
    prefix = VALUE_LABELS.get(column)
    if isinstance(value, list | tuple):
        return ", ".join(cell(column, item, language) for item in value)
    if column == "event" and isinstance(value, str):  # `Household.Registered`: the pages' event words
        return language.label(value.rpartition(".")[2], "event")
    if prefix is not None and isinstance(value, str):
        return language.label(value, prefix)
    if isinstance(value, bool):
        return language.gettext(N_("yes") if value else N_("no"))
    if isinstance(value, int) and column not in ("position", "version"):
        return format_number(value, language.lang)
    if isinstance(value, float):
        return format_decimal_places(value, language.lang, 5 if column in ("lat", "lon") else 1)
    if isinstance(value, str) and _ISO_DATE.match(value):
        return format_date(date.fromisoformat(value), language.lang)
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        return format_datetime(datetime.fromisoformat(value), language.lang)
    return str(value)


def show(rows: list[dict[str, Any]], as_json: bool, title: str = "", **params: object) -> None:
    """Print rows as a readable table in the CLI's language (default) or as JSON for scripts; `title` is
    an English text marked `_()`, with `params` filled in as the language writes them."""
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    language = words()
    heading = language.gettext(title).format(**{k: language.param(v) for k, v in params.items()})
    console = Console()
    if not rows:
        empty = language.gettext(N_("(empty)"))
        console.print(f"{heading}: {empty}" if heading else empty)
        return
    table = Table(title=heading or None)
    for column in rows[0]:
        table.add_column(language.gettext(COLUMN_TITLES.get(column, column)), overflow="fold")
    for row in rows:
        table.add_row(*(cell(column, v, language) for column, v in row.items()))
    console.print(table)


def done(message: str, ident: UUID | None, as_json: bool) -> None:
    """Report a command's result (an English text marked `_()`, translated) and its new id if it made one."""
    text = words().gettext(message)
    if as_json:
        typer.echo(json.dumps({"ok": True, "id": str(ident) if ident else None, "message": text}))
    else:
        typer.echo(f"{text}{f': {ident}' if ident else ''}")
