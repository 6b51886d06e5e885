"""CLI of the dispatcher's day: plan a round, list, publish and close plans, book trips."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import typer

from api.bootstrap import Services
from api.cli_support import (
    ActorOption,
    AsOfOption,
    JsonOption,
    RoleOption,
    actor_of,
    done,
    parse_date,
    parse_time,
    past_views,
    services,
    show,
)
from api.i18n import _
from domain.errors import N_, InvalidValue, NotFound
from domain.programmes import Programme
from domain.route_plan import Round
from domain.values import GeoPoint
from projections import dispatch_queries as dq
from projections.sql import ViewDatabase

plans = typer.Typer(help="Route plans (rota planları): list, publish, close.", no_args_is_help=True)
trips = typer.Typer(help="Accessible-transport trips (engelsiz ulaşım): book, cancel.", no_args_is_help=True)
PlanId = Annotated[UUID, typer.Argument(help="Plan id.")]


def plan(
    date: Annotated[str, typer.Option("--date", help="Day to plan (YYYY-MM-DD).")],
    programme: Annotated[Programme, typer.Option(help="Programme to deliver.")],
    actor: ActorOption,
    role: RoleOption,
    round_: Annotated[
        Round | None, typer.Option("--round", help="breakfast/dinner for hot meals; else day.")
    ] = None,
    time_limit: Annotated[float, typer.Option(min=0.5, max=600, help="Solver time limit in seconds.")] = 10.0,
    as_json: JsonOption = False,
) -> None:
    """Plan a round: the day's manifest on the street network, solved with OR-Tools, recorded as a plan."""
    from api.planning import plan_day

    day = parse_date("date", date)
    chosen = round_ or (Round.DINNER if programme is Programme.HOT_MEAL else Round.DAY)
    with services() as s:
        plan_id = plan_day(s, day, programme, chosen, actor_of(actor, role), time_limit)
        rows = route_summary(s.views, plan_id)
    show(
        rows,
        as_json,
        _("Route plan {plan_id} ({programme}, {round}, {day})"),
        plan_id=plan_id,
        programme=programme,
        round=chosen,
        day=day,
    )


def route_summary(views: ViewDatabase, plan_id: UUID) -> list[dict[str, Any]]:
    """One row per vehicle (stops, km, hours) and one per reason stops were left unassigned."""
    plates = {vid: plate for vid, plate in views.query("SELECT vehicle_id, plate FROM cl_vehicles")}
    rows: list[dict[str, Any]] = [
        {
            "vehicle": plates.get(r.vehicle_id.hex, str(r.vehicle_id)),
            "stops": r.stops,
            "km": round(r.distance_m / 1000, 1),
            "hours": round(r.duration_s / 3600, 1),
            "unassigned": "",
        }
        for r in dq.progress(views, plan_id, now_s=0)
    ]
    reasons: dict[str, int] = {}
    for stop in dq.plan_stops(views, plan_id):
        if stop.unserved_reason:
            reasons[stop.unserved_reason] = reasons.get(stop.unserved_reason, 0) + 1
    rows += [
        {"vehicle": "-", "stops": n, "km": "", "hours": "", "unassigned": why}
        for why, n in sorted(reasons.items())
    ]
    return rows


@plans.command("list")
def list_plans(
    date: Annotated[str, typer.Option("--date", help="Day (YYYY-MM-DD).")],
    as_of: AsOfOption = "",
    as_json: JsonOption = False,
) -> None:
    """The day's plans with their status and counts (as they stood at `--as-of`, if given)."""
    day = parse_date("date", date)
    with services() as s, past_views(s, as_of) as views:
        rows = [
            {
                "plan": str(p.plan_id),
                "programme": p.programme,
                "round": p.round,
                "status": p.status,
                "routes": p.routes,
                "stops": p.routed_stops,
                "unassigned": p.unserved_stops,
            }
            for p in dq.plans_on(views, day)
        ]
    show(rows, as_json, _("Plans {day}"), day=day)


@plans.command("show")
def show_plan(plan_id: PlanId, as_of: AsOfOption = "", as_json: JsonOption = False) -> None:
    """Per-vehicle totals and the unassigned stops' reasons (as they stood at `--as-of`, if given)."""
    with services() as s:
        s.app.route_plan(plan_id)
        with past_views(s, as_of) as views:
            if dq.plan_header(views, plan_id) is None:
                raise NotFound(N_("route plan"), plan_id)
            rows = route_summary(views, plan_id)
    if as_of:
        show(rows, as_json, _("Route plan {plan_id} (as of {as_of})"), plan_id=plan_id, as_of=as_of)
    else:
        show(rows, as_json, _("Route plan {plan_id}"), plan_id=plan_id)


@plans.command("publish")
def publish(plan_id: PlanId, actor: ActorOption, role: RoleOption, as_json: JsonOption = False) -> None:
    """Send the routes to the drivers."""
    with services() as s:
        s.app.publish_plan(plan_id, actor_of(actor, role))
    done(_("Plan published"), plan_id, as_json)


@plans.command("close")
def close(plan_id: PlanId, actor: ActorOption, role: RoleOption, as_json: JsonOption = False) -> None:
    """Close the day's plan; nothing changes on it afterwards."""
    with services() as s:
        s.app.close_plan(plan_id, actor_of(actor, role))
    done(_("Plan closed"), plan_id, as_json)


@trips.command("request")
def request(
    household: Annotated[UUID, typer.Option(help="Household id (enrolled in accessible transport).")],
    date: Annotated[str, typer.Option("--date", help="Day of the trip (YYYY-MM-DD).")],
    to_lat: Annotated[float, typer.Option(help="Destination latitude.")],
    to_lon: Annotated[float, typer.Option(help="Destination longitude.")],
    destination: Annotated[str, typer.Option(help="Destination name (hospital, school, ...).")],
    appointment: Annotated[str, typer.Option(help="Appointment time (HH:MM).")],
    actor: ActorOption,
    role: RoleOption,
    wheelchair: Annotated[bool, typer.Option(help="Needs a wheelchair place.")] = False,
    seats: Annotated[int, typer.Option(help="People travelling (with companions).")] = 1,
    return_at: Annotated[str, typer.Option(help="Ride home at (HH:MM), if wanted.")] = "",
    as_json: JsonOption = False,
) -> None:
    """Book a door-to-appointment trip, with a wheelchair place and a ride home if needed."""
    with services() as s:
        trip = s.app.request_trip(
            household,
            parse_date("date", date),
            GeoPoint(to_lat, to_lon),
            destination,
            parse_time("appointment", appointment),
            actor_of(actor, role),
            wheelchair=wheelchair,
            seats=seats,
            return_at=parse_time("return_at", return_at) if return_at else None,
        )
    done(_("Trip booked"), trip, as_json)


@trips.command("cancel")
def cancel(
    trip: Annotated[UUID, typer.Argument(help="Trip id.")],
    reason: Annotated[str, typer.Option(help="Why.")],
    actor: ActorOption,
    role: RoleOption,
    as_json: JsonOption = False,
) -> None:
    """Cancel a booked trip."""
    with services() as s:
        s.app.cancel_trip(trip, reason, actor_of(actor, role))
    done(_("Trip cancelled"), trip, as_json)


def _vehicle_by_plate(s: Services, plate: str) -> UUID:
    rows = s.views.query("SELECT vehicle_id FROM cl_vehicles WHERE plate=?", (plate.strip().upper(),))
    if not rows:
        raise InvalidValue("vehicle", N_("no vehicle with plate {plate!r}"), plate=plate)
    return UUID(rows[0][0])


@plans.command("move")
def move(
    plan_id: PlanId,
    key: Annotated[str, typer.Argument(help="The stop's key (see `plans show` or the map).")],
    to: Annotated[str, typer.Option("--to", help="Plate of the vehicle that takes the stop.")],
    reason: Annotated[str, typer.Option(help="Why (recorded in the audit trail).")],
    actor: ActorOption,
    role: RoleOption,
    position: Annotated[
        int, typer.Option(min=0, help="Place in the new route, from 0 (default: first).")
    ] = 0,
    as_json: JsonOption = False,
) -> None:
    """Move a stop to another vehicle by hand; refused with the reasons if the new order breaks a rule."""
    from api.planning import move_stop

    with services() as s:
        move_stop(s, plan_id, key, _vehicle_by_plate(s, to), position, reason, actor_of(actor, role))
    done(_("Stop moved"), plan_id, as_json)


@plans.command("replan")
def replan(
    plan_id: PlanId,
    reason: Annotated[str, typer.Option(help="Why (breakdown, cancellation, urgent request).")],
    actor: ActorOption,
    role: RoleOption,
    breakdown: Annotated[str, typer.Option(help="Plate of the vehicle that broke down.")] = "",
    cancel: Annotated[
        list[str] | None, typer.Option(help="Key of a cancelled stop; repeat as needed.")
    ] = None,
    new_requests: Annotated[bool, typer.Option(help="Add requests that arrived since planning.")] = False,
    time_limit: Annotated[float, typer.Option(min=0.5, max=600, help="Solver seconds.")] = 5.0,
    as_json: JsonOption = False,
) -> None:
    """Re-plan the open part of a plan after a breakdown, cancellations or new requests; done stops stay."""
    from api.planning import replan_breakdown, replan_cancel, replan_new_requests

    chosen = [bool(breakdown), bool(cancel), new_requests]
    if sum(chosen) != 1:
        raise InvalidValue("replan", N_("give exactly one of --breakdown, --cancel or --new-requests"))
    who = actor_of(actor, role)
    with services() as s:
        if breakdown:
            moved = replan_breakdown(
                s, plan_id, _vehicle_by_plate(s, breakdown), None, reason, who, time_limit
            )
        elif cancel:
            moved = replan_cancel(s, plan_id, list(cancel), reason, who, time_limit)
        else:
            moved = replan_new_requests(s, plan_id, reason, who, time_limit)
        rows = route_summary(s.views, plan_id)
    show(rows, as_json, _("Re-planned ({count} stops changed vehicle)"), count=len(moved))
