"""Turn a neutral benchmark instance into the project's `routing.Problem`, and its `Plan` back into routes.

Node i of the instance (i ≥ 1) becomes stop i − 1 at matrix location i; node 0 is the depot. Times and
distances are the integer units of `benchmarks.instances` (the routing package calls them seconds and
metres; for the literature sets they are file units ×100, ×10 or ×1, see `Instance.scale`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from benchmarks.competitors import Matrices, Route
from benchmarks.instances import Instance, scaled

if TYPE_CHECKING:
    from routing.model import Problem
    from routing.plan import Plan


def horizon(instance: Instance, m: Matrices) -> int:
    """A time by which any route has ended: stands in for the open windows of the CVRP."""
    longest_arc = int(m.duration.max())
    total_service = sum(scaled(instance, instance.service))
    return (len(instance.coords) + 1) * longest_arc + total_service


def to_problem(instance: Instance, m: Matrices) -> Problem:
    """Build the routing problem: one vehicle type at depot 0, one stop per node, pairs for PDP/DARP."""
    from routing.builder import ProblemBuilder

    end = horizon(instance, m)
    ready, due, service = (scaled(instance, v) for v in (instance.ready, instance.due, instance.service))
    due = [min(d, end) for d in due]
    hot = (
        None if instance.max_since_departure is None else scaled(instance, [instance.max_since_departure])[0]
    )
    builder = ProblemBuilder(("load",))
    builder.set_matrices(duration_s=m.duration, distance_m=m.distance)
    builder.add_depot(0, name="depot")
    builder.add_vehicle_type(
        instance.num_vehicles,
        (instance.capacity,),
        shift=(ready[0], due[0]),
        max_duration_s=None
        if instance.max_route_duration is None
        else scaled(instance, [instance.max_route_duration])[0],
        name="vehicle",
    )
    for node in range(1, len(instance.coords)):
        builder.add_stop(
            node,
            (abs(instance.demands[node]),),  # both ends of a pair carry the same positive amount
            service_s=service[node],
            time_windows=((ready[node], due[node]),),
            max_since_departure_s=hot,
            name=str(node),
        )
    ride = None if instance.max_ride_time is None else scaled(instance, [instance.max_ride_time])[0]
    for p, d in instance.pairs:
        builder.add_pair(p - 1, d - 1, max_ride_s=ride, name=f"{p}-{d}")
    return builder.build()


def plan_routes(plan: Plan) -> list[Route]:
    """The plan's routes as instance node numbers (stop s is node s + 1); left-out stops are simply absent."""
    return [tuple(stop + 1 for stop in route.stops) for route in plan.routes if route.visits]


def run_ours(
    instance: Instance, m: Matrices, limit: float, seed: int, first_solution: str = "auto"
) -> tuple[list[Route], tuple[str, ...]]:
    """Solve with the project's routing package under the same time limit as the competitors."""
    from routing.params import SolveParams
    from routing.solve import solve

    problem = to_problem(instance, m)
    params = SolveParams(time_limit_s=limit, seed=seed, first_solution=first_solution)  # type: ignore[arg-type]
    plan = solve(problem, params)
    notes = [f"status {plan.status}"]
    if plan.unassigned:
        reasons = sorted({str(u.reason) for u in plan.unassigned})
        notes.append(f"{len(plan.unassigned)} stops left out ({', '.join(reasons)})")
    return plan_routes(plan), tuple(notes)
