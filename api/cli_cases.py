"""CLI commands of the caseworker's day: households, applications and enrolments."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import typer

from api.cli_support import (
    ActorOption,
    JsonOption,
    RoleOption,
    actor_of,
    done,
    parse_date,
    parse_datetime,
    parse_member,
    rows_of,
    services,
    show,
)
from api.i18n import _
from domain.programmes import Programme
from domain.values import Channel, GeoPoint, Need, PersonalDetails
from projections.household_search import search_households

households = typer.Typer(help="Households (hane).", no_args_is_help=True)
applications = typer.Typer(
    help="Applications (başvuru): submit, assess, approve, reject, withdraw.", no_args_is_help=True
)
enrolments = typer.Typer(help="Enrolments (hak sahipliği): suspend, resume, end.", no_args_is_help=True)

Reason = Annotated[str, typer.Option("--reason", help="Why (recorded in the audit trail).")]


@households.command("add")
def add_household(
    name: Annotated[str, typer.Option(help="Contact person's full name.")],
    phone: Annotated[str, typer.Option(help="Contact phone, e.g. '0532 123 45 67'.")],
    address: Annotated[str, typer.Option(help="Address as written on the application.")],
    lat: Annotated[float, typer.Option(help="Latitude of the door (WGS84).")],
    lon: Annotated[float, typer.Option(help="Longitude of the door (WGS84).")],
    district: Annotated[str, typer.Option(help="District (ilçe).")],
    neighbourhood: Annotated[str, typer.Option(help="Neighbourhood (mahalle).")],
    member: Annotated[list[str], typer.Option(help="A member as NAME:YYYY-MM-DD; repeat per person.")],
    actor: ActorOption,
    role: RoleOption,
    need: Annotated[list[Need] | None, typer.Option(help="A care need; repeat as needed.")] = None,
    national_id: Annotated[str, typer.Option(help="Turkish identity number (T.C. kimlik no), checked.")] = "",
    as_json: JsonOption = False,
) -> None:
    """Register a household with its members and needs."""
    members = tuple(parse_member(i, text) for i, text in enumerate(member))
    with services() as s:
        ident = s.app.register_household(
            PersonalDetails(name, phone, address, national_id),
            GeoPoint(lat, lon),
            district,
            neighbourhood,
            members,
            tuple(need or ()),
            actor_of(actor, role),
        )
    done(_("Household registered"), ident, as_json)


@households.command("search")
def search(
    query: Annotated[str, typer.Argument(help="Part of the contact's name or phone (Işık, isik, 0532 12).")],
    as_json: JsonOption = False,
) -> None:
    """Find households by name or phone, with Turkish case rules, in Turkish alphabetical order."""
    with services() as s:
        s.catch_up()
        rows = rows_of(search_households(s.views, query))
    show(rows, as_json, _("Households matching {query!r}"), query=query)


@applications.command("submit")
def submit(
    household: Annotated[UUID, typer.Option(help="Household id.")],
    programme: Annotated[Programme, typer.Option(help="Programme applied for.")],
    channel: Annotated[Channel, typer.Option(help="How the application arrived.")],
    actor: ActorOption,
    role: RoleOption,
    received_at: Annotated[str, typer.Option(help="When it arrived (YYYY-MM-DDTHH:MM); default now.")] = "",
    note: Annotated[str, typer.Option(help="What the citizen asked for.")] = "",
    as_json: JsonOption = False,
) -> None:
    """Record an application as it arrived (153, WhatsApp, web, walk-in)."""
    received = parse_datetime("received_at", received_at) if received_at else None
    with services() as s:
        ident = s.app.submit_application(household, programme, channel, actor_of(actor, role), received, note)
    done(_("Application submitted"), ident, as_json)


@applications.command("assess")
def assess(
    application: Annotated[UUID, typer.Argument(help="Application id.")],
    note: Annotated[str, typer.Option(help="What the home visit found.")],
    visited_on: Annotated[str, typer.Option(help="Date of the home visit (YYYY-MM-DD).")],
    actor: ActorOption,
    role: RoleOption,
    as_json: JsonOption = False,
) -> None:
    """Record the social assessment (sosyal inceleme) of an application."""
    with services() as s:
        s.app.assess_application(
            application, note, parse_date("visited_on", visited_on), actor_of(actor, role)
        )
    done(_("Assessment recorded"), application, as_json)


@applications.command("approve")
def approve(
    application: Annotated[UUID, typer.Argument(help="Application id.")],
    actor: ActorOption,
    role: RoleOption,
    decided_on: Annotated[str, typer.Option(help="Decision date (YYYY-MM-DD); default today.")] = "",
    start: Annotated[str, typer.Option(help="First delivery date; default the decision date.")] = "",
    end: Annotated[str, typer.Option(help="Last delivery date, if the entitlement is time-limited.")] = "",
    note: Annotated[str, typer.Option(help="Grounds of the decision.")] = "",
    as_json: JsonOption = False,
) -> None:
    """Approve an assessed application and enrol the household with the programme's entitlement."""
    with services() as s:
        ident = s.app.approve_application(
            application,
            actor_of(actor, role),
            decided_on=parse_date("decided_on", decided_on) if decided_on else None,
            start_date=parse_date("start", start) if start else None,
            end_date=parse_date("end", end) if end else None,
            note=note,
        )
    done(_("Application approved; enrolment started"), ident, as_json)


@applications.command("reject")
def reject(
    application: Annotated[UUID, typer.Argument(help="Application id.")],
    reason: Reason,
    actor: ActorOption,
    role: RoleOption,
    decided_on: Annotated[str, typer.Option(help="Decision date (YYYY-MM-DD); default today.")] = "",
    as_json: JsonOption = False,
) -> None:
    """Reject an application, with the reason the household will be told."""
    with services() as s:
        day = parse_date("decided_on", decided_on) if decided_on else None
        s.app.reject_application(application, reason, actor_of(actor, role), day)
    done(_("Application rejected"), application, as_json)


@applications.command("withdraw")
def withdraw(
    application: Annotated[UUID, typer.Argument(help="Application id.")],
    reason: Reason,
    actor: ActorOption,
    role: RoleOption,
    as_json: JsonOption = False,
) -> None:
    """Withdraw an open application at the household's request."""
    with services() as s:
        s.app.withdraw_application(application, reason, actor_of(actor, role))
    done(_("Application withdrawn"), application, as_json)


@enrolments.command("suspend")
def suspend(
    enrolment: Annotated[UUID, typer.Argument(help="Enrolment id.")],
    start: Annotated[str, typer.Option(help="First day without deliveries (YYYY-MM-DD).")],
    reason: Reason,
    actor: ActorOption,
    role: RoleOption,
    until: Annotated[str, typer.Option(help="Last day without deliveries, if known.")] = "",
    as_json: JsonOption = False,
) -> None:
    """Pause deliveries (hospital stay, travelling)."""
    with services() as s:
        s.app.suspend_enrolment(
            enrolment,
            parse_date("start", start),
            reason,
            actor_of(actor, role),
            until=parse_date("until", until) if until else None,
        )
    done(_("Enrolment suspended"), enrolment, as_json)


@enrolments.command("resume")
def resume(
    enrolment: Annotated[UUID, typer.Argument(help="Enrolment id.")],
    on: Annotated[str, typer.Option(help="First day deliveries restart (YYYY-MM-DD).")],
    actor: ActorOption,
    role: RoleOption,
    as_json: JsonOption = False,
) -> None:
    """Restart deliveries after a pause."""
    with services() as s:
        s.app.resume_enrolment(enrolment, parse_date("on", on), actor_of(actor, role))
    done(_("Enrolment resumed"), enrolment, as_json)


@enrolments.command("end")
def end(
    enrolment: Annotated[UUID, typer.Argument(help="Enrolment id.")],
    on: Annotated[str, typer.Option(help="Last delivery day (YYYY-MM-DD).")],
    reason: Reason,
    actor: ActorOption,
    role: RoleOption,
    as_json: JsonOption = False,
) -> None:
    """End an enrolment (moved away, no longer eligible, deceased)."""
    with services() as s:
        s.app.end_enrolment(enrolment, parse_date("on", on), reason, actor_of(actor, role))
    done(_("Enrolment ended"), enrolment, as_json)
