"""What every CLI command shares: parsing people's input, the actor options, and printing tables or JSON."""

from __future__ import annotations

import dataclasses
import json
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
from domain.errors import N_, InvalidValue
from domain.service import ISTANBUL
from domain.values import Actor, Member, Role

ActorOption = Annotated[
    str, typer.Option("--actor", envvar="KAPIDA_ACTOR", help="Who is acting (user name); or KAPIDA_ACTOR.")
]
RoleOption = Annotated[
    Role, typer.Option("--role", envvar="KAPIDA_ROLE", help="The acting user's role; or KAPIDA_ROLE.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable JSON instead of a table.")]


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


def show(rows: list[dict[str, Any]], as_json: bool, title: str = "") -> None:
    """Print rows as a readable table (default) or as JSON for scripts."""
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    console = Console()
    if not rows:
        console.print(f"{title}: (boş / empty)" if title else "(boş / empty)")
        return
    table = Table(title=title or None)
    for column in rows[0]:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row.values()))
    console.print(table)


def done(message: str, ident: UUID | None, as_json: bool) -> None:
    """Report a command's result: its new id if it made one."""
    if as_json:
        typer.echo(json.dumps({"ok": True, "id": str(ident) if ident else None, "message": message}))
    else:
        typer.echo(f"{message}{f': {ident}' if ident else ''}")
