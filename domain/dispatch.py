"""The dispatcher's and drivers' commands: record, publish, adjust and close plans; report each stop."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from uuid import UUID

from domain.app_base import ISTANBUL, KapidaBase, check_plan_date
from domain.errors import N_, Conflict, IllegalTransition, InvalidValue, PermissionDenied
from domain.land import check_on_land
from domain.permissions import Duty, require
from domain.programmes import Programme
from domain.route_plan import (
    PlannedRoute,
    PlanStatus,
    Round,
    RoutePlan,
    UnservedStop,
    paired_pickup_key,
    plan_id_for,
)
from domain.stop_visit import FINAL, FailureReason, Outcome, StopVisit, stop_visit_id
from domain.trip import TripRequest
from domain.values import Actor, GeoPoint, Role

# A phone's clock may run a little fast; a report further in the future than this is a mistake.
CLOCK_SKEW = timedelta(minutes=5)


class DispatchCommands(KapidaBase):
    """Route plans and what drivers report from each door."""

    def record_plan(
        self,
        day: date,
        programme: Programme,
        round_: Round,
        routes: tuple[PlannedRoute, ...],
        unserved: tuple[UnservedStop, ...],
        summary: dict[str, float],
        actor: Actor,
    ) -> UUID:
        """Record a freshly solved plan; planning an unpublished day again replaces its routes."""
        require(actor, Duty.DISPATCH)
        check_plan_date("day", day)
        plan_id = plan_id_for(day, programme, round_)
        if not self.exists(plan_id):
            plan = RoutePlan.plan(day, programme, round_, routes, unserved, summary, actor)
            self._save(plan)
            return plan.id
        plan = self.route_plan(plan_id)
        if plan.status is not PlanStatus.PLANNED:
            raise Conflict(
                N_("plan {plan_id} is already {status}; re-plan it instead of planning again"),
                plan_id=plan_id,
                status=plan.status,
            )
        plan.replan(routes, unserved, (), summary, "planned again", actor)
        self._save(plan)
        return plan_id

    def publish_plan(self, plan_id: UUID, actor: Actor) -> None:
        """Send routes to drivers: every routed stop is dispatched to its vehicle, in one write."""
        require(actor, Duty.DISPATCH)
        plan = self.route_plan(plan_id)
        plan.publish(actor)
        visits = [
            StopVisit(plan.id, stop.key, stop.kind, stop.household_id, route.vehicle_id, actor)
            for route in plan.routes
            for stop in route.stops
        ]
        self._save(plan, *visits)

    def move_stop(
        self, plan_id: UUID, key: str, routes: tuple[PlannedRoute, ...], reason: str, actor: Actor
    ) -> None:
        """Move a stop by hand; `routes` are the changed routes, with times the planner re-evaluated."""
        require(actor, Duty.DISPATCH)
        plan = self.route_plan(plan_id)
        plan.move_stop(key, routes, reason, actor)
        self._save(plan, *self._follow_routes(plan, actor))

    def replan(
        self,
        plan_id: UUID,
        routes: tuple[PlannedRoute, ...],
        unserved: tuple[UnservedStop, ...],
        moved: tuple[str, ...],
        summary: dict[str, float],
        reason: str,
        actor: Actor,
    ) -> None:
        """Replace the routes during the day; stops already done must stay with the vehicle that did them."""
        require(actor, Duty.DISPATCH)
        plan = self.route_plan(plan_id)
        plan.replan(routes, unserved, moved, summary, reason, actor)
        self._save(plan, *self._follow_routes(plan, actor))

    def close_plan(self, plan_id: UUID, actor: Actor) -> None:
        require(actor, Duty.DISPATCH)
        plan = self.route_plan(plan_id)
        plan.close(actor)
        self._save(plan)

    def _follow_routes(self, plan: RoutePlan, actor: Actor) -> list[StopVisit]:
        """After a published plan changes: dispatch new stops, reassign moved ones; done stops never move."""
        if plan.status is not PlanStatus.PUBLISHED:
            return []
        changed: list[StopVisit] = []
        for route in plan.routes:
            for stop in route.stops:
                visit_id = stop_visit_id(plan.id, stop.key)
                if not self.exists(visit_id):
                    changed.append(
                        StopVisit(plan.id, stop.key, stop.kind, stop.household_id, route.vehicle_id, actor)
                    )
                    continue
                visit = self.stop_visit(visit_id)
                if visit.vehicle_id != route.vehicle_id:
                    visit.reassign(route.vehicle_id, actor)
                    changed.append(visit)
        for unserved in plan.unserved:
            visit_id = stop_visit_id(plan.id, unserved.stop.key)
            if self.exists(visit_id) and self.stop_visit(visit_id).outcome in FINAL:
                raise Conflict(
                    N_("stop {key} is already done and cannot be taken off its route"), key=unserved.stop.key
                )
        return changed

    def report_stop(
        self,
        plan_id: UUID,
        key: str,
        outcome: Outcome,
        at: datetime,
        report_key: str,
        actor: Actor,
        receiver: str = "",
        reason: FailureReason | None = None,
        note: str = "",
    ) -> bool:
        """A driver's report from a door; returns False when the same report key was already recorded."""
        require(actor, Duty.REPORT)
        visit = self.stop_visit(stop_visit_id(plan_id, key))
        if actor.role is Role.DRIVER and self.user(actor.user).vehicle_id != visit.vehicle_id:
            raise PermissionDenied(N_("stop {key} is on another vehicle's route"), key=key)
        if at.tzinfo is not None and at > datetime.now(ISTANBUL) + CLOCK_SKEW:
            raise InvalidValue("at", N_("{at} is in the future"), at=at)
        if Outcome(outcome) is Outcome.DROPPED_OFF and report_key not in visit.report_keys:
            pickup = self.stop_visit(stop_visit_id(plan_id, paired_pickup_key(key)))
            if pickup.outcome is not Outcome.PICKED_UP:
                raise IllegalTransition(N_("stop {key}: the passenger has not been picked up"), key=key)
        if not visit.report(outcome, at, report_key, actor, receiver, reason, note):
            return False
        self._save(visit)
        return True

    def request_trip(
        self,
        household_id: UUID,
        day: date,
        destination: GeoPoint,
        destination_name: str,
        appointment: time,
        actor: Actor,
        wheelchair: bool = False,
        seats: int = 1,
        return_at: time | None = None,
        pickup: GeoPoint | None = None,
    ) -> UUID:
        """Book an accessible-transport trip for an enrolled household, by default from its door."""
        require(actor, Duty.TRIPS)
        check_plan_date("day", day)
        household = self.household(household_id)
        household.check_not_erased(N_("book a trip for"))
        if Programme.ACCESSIBLE_TRANSPORT not in household.active_enrolments:
            raise Conflict(
                N_("household {household_id} is not enrolled in accessible transport"),
                household_id=household_id,
            )
        start = check_on_land("pickup", pickup) if pickup is not None else household.location
        assert start is not None  # only an erased household has no location
        check_on_land("destination", destination)
        TripRequest.check(seats, appointment, return_at, start, destination)
        if not destination_name.strip():
            raise InvalidValue("destination_name", N_("name the destination (hospital, school, ...)"))
        trip = TripRequest(
            household_id,
            day,
            start,
            destination,
            destination_name,
            appointment,
            wheelchair,
            seats,
            return_at,
            actor,
        )
        self._save(trip)
        return trip.id

    def cancel_trip(self, trip_id: UUID, reason: str, actor: Actor) -> None:
        require(actor, Duty.TRIPS)
        trip = self.trip(trip_id)
        trip.cancel(reason, actor)
        self._save(trip)
