"""`kapida users`: add sign-in accounts (the password is read without echo, or from stdin) and list them."""

from __future__ import annotations

import sys
from typing import Annotated
from uuid import UUID

import typer

from api.cli_support import ActorOption, JsonOption, actor_of, done, services, show, words
from api.i18n import _
from api.security import Passwords
from domain.errors import N_, InvalidValue
from domain.values import Role
from projections import dispatch_queries, fleet_queries

users = typer.Typer(help="User accounts (kullanıcılar): add and list.", no_args_is_help=True)

MIN_PASSWORD = 10
# `--role` names the new account's role here, so the acting user's role has its own option.
ActingRoleOption = Annotated[
    Role, typer.Option("--as-role", envvar="KAPIDA_ROLE", help="The acting user's role; or KAPIDA_ROLE.")
]


def _password(from_stdin: bool) -> str:
    """Never from the command line, where it would end up in the shell history and `ps`."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt(words().gettext(_("Password")), hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD:
        raise InvalidValue("password", N_("use at least {minimum} characters"), minimum=MIN_PASSWORD)
    return password


def _vehicle_id(plate: str) -> UUID:
    wanted = " ".join(plate.upper().split())
    with services() as s:
        s.catch_up()
        found = [v["id"] for v in fleet_queries.vehicles(s.views) if v["plate"] == wanted]
    if not found:
        raise InvalidValue("vehicle", N_("no vehicle has the plate {wanted!r}"), wanted=wanted)
    return UUID(found[0])


@users.command("add")
def add(
    username: Annotated[str, typer.Option(help="Sign-in name: 3-40 lower-case letters, digits, . _ -")],
    full_name: Annotated[str, typer.Option(help="The person's full name.")],
    role: Annotated[Role, typer.Option("--role", help="The new account's role.")],
    actor: ActorOption,
    as_role: ActingRoleOption,
    vehicle: Annotated[str, typer.Option(help="A driver's vehicle, by number plate.")] = "",
    password_stdin: Annotated[bool, typer.Option(help="Read the password from standard input.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Create an account; its password is stored only as an argon2 hash."""
    vehicle_id = _vehicle_id(vehicle) if vehicle else None
    hashed = Passwords().hash(_password(password_stdin))
    with services() as s:
        ident = s.app.add_user(
            username, full_name, role, hashed, actor_of(actor, as_role), vehicle_id=vehicle_id
        )
        s.catch_up()
    done(_("User added"), ident, as_json)


@users.command("list")
def list_users(as_json: JsonOption = False) -> None:
    """Every account: role, vehicle and whether it may still sign in."""
    with services() as s:
        s.catch_up()
        rows = dispatch_queries.users(s.views)
    show(rows, as_json, _("Users"))
