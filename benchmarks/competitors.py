"""Run PyVRP 0.14 and VROOM 1.15 (pyvroom) on a neutral instance with the integer matrix we give everyone.

Both are benchmark-only dependencies (`pip install -e '.[bench]'`) and are imported lazily.
What each can express, read from their installed sources:
- PyVRP 0.14: time windows, capacity, several depots, pickup-and-delivery as `Model.add_shipment`, a
  maximum route duration (`shift_duration`). It has **no maximum ride time**, so on the DARP it solves
  the relaxation and the harness's checker reports any ride-time violations. Stop: `MaxRuntime(t)`.
- VROOM 1.15: jobs with time windows and capacity, `shipments` for pickup-and-delivery, vehicle time
  windows. It has **no maximum ride time and no maximum route duration** (only `max_travel_time`, which
  excludes waiting and service). Its `timeout` bounds the search phases only, not parsing or the
  construction heuristics, so its wall time can exceed the limit; we use `exploration_level=5`,
  `nb_threads=1` (same single core as PyVRP) and pass the time limit as `timeout`.
Each runner returns the routes in instance node numbering; cost and feasibility are never taken from
the solver but recomputed by `benchmarks.checker.evaluate`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from benchmarks.checker import Evaluation, evaluate
from benchmarks.instances import Instance, IntMatrix, integer_distances, integer_durations, scaled

if TYPE_CHECKING:
    import pyvrp
    import vroom

Route = tuple[int, ...]


@dataclass(frozen=True)
class SolverRun:
    """One solver on one instance: its routes, our evaluation of them and the wall time it took."""

    solver: str
    routes: tuple[Route, ...]
    wall_s: float
    evaluation: Evaluation | None
    error: str | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def cost(self) -> float | None:
        """Recomputed cost in the BKS convention, or None when the solver failed."""
        return None if self.evaluation is None else self.evaluation.cost

    @property
    def feasible(self) -> bool:
        """True when our checker found no violation."""
        return self.evaluation is not None and self.evaluation.feasible


@dataclass(frozen=True)
class Matrices:
    """The integer matrices all solvers of a run share: cost (distance) and travel time."""

    distance: IntMatrix
    duration: IntMatrix

    @classmethod
    def of(cls, instance: Instance) -> Matrices:
        """Build once per instance; the 5,000-stop street day makes this worth sharing."""
        return cls(integer_distances(instance), integer_durations(instance))


Runner = Callable[[Instance, Matrices, float, int], tuple[list[Route], tuple[str, ...]]]


def timed_run(
    name: str, runner: Runner, instance: Instance, m: Matrices, limit: float, seed: int
) -> SolverRun:
    """Run a solver, time it from model building to routes, and evaluate the routes independently."""
    start = time.perf_counter()
    try:
        routes, notes = runner(instance, m, limit, seed)
    except Exception as exc:  # a competitor's failure is a result to report, not a crash of the run
        return SolverRun(name, (), time.perf_counter() - start, None, f"{type(exc).__name__}: {exc}")
    wall = time.perf_counter() - start
    clean = tuple(tuple(r) for r in routes if r)
    return SolverRun(name, clean, wall, evaluate(instance, clean, m.duration), None, notes)


def run_pyvrp(
    instance: Instance, m: Matrices, limit: float, seed: int
) -> tuple[list[Route], tuple[str, ...]]:
    """Model the instance in PyVRP (clients or shipments), solve for `limit` seconds, read the routes."""
    import pyvrp
    from pyvrp.stop import MaxRuntime

    model, client_nodes = _pyvrp_model(instance)
    # Edges come as whole matrices: add_edge for 25 million arcs of the street day would take minutes.
    data = model.data().replace(
        distance_matrices=[m.distance],  # type: ignore[list-item]  # the stub's ndarray[int] is too narrow
        duration_matrices=[m.duration],  # type: ignore[list-item]
    )
    result = pyvrp.solve(data, stop=MaxRuntime(limit), seed=seed, collect_stats=False, display=False)
    routes: list[Route] = []
    for route in result.best.routes():
        nodes = []
        for act in route:
            if act.is_client():
                nodes.append(client_nodes[act.idx])
            elif act.is_pickup() or act.is_delivery():
                nodes.append(instance.pairs[act.idx][0 if act.is_pickup() else 1])
        routes.append(tuple(nodes))
    notes = () if instance.max_ride_time is None else ("no max ride time in PyVRP 0.14",)
    return routes, notes


def _pyvrp_model(instance: Instance) -> tuple[pyvrp.Model, list[int]]:
    """The PyVRP model without edges, and the instance node of each PyVRP client index."""
    import pyvrp

    ready, due, service = (scaled(instance, v) for v in (instance.ready, instance.due, instance.service))
    model = pyvrp.Model()
    locations = [model.add_location(x, y) for x, y in instance.coords]
    model.add_depot(locations[0], tw_early=ready[0], tw_late=due[0])
    client_nodes: list[int] = []
    for p, d in instance.pairs:
        model.add_shipment(
            locations[p], locations[d],
            pickup_tw_early=ready[p], pickup_tw_late=due[p], pickup_service_duration=service[p],
            delivery_tw_early=ready[d], delivery_tw_late=due[d], delivery_service_duration=service[d],
            amount=instance.demands[p],
        )  # fmt: skip
    for node in [] if instance.pairs else range(1, len(instance.coords)):
        model.add_client(
            locations[node], delivery=instance.demands[node], service_duration=service[node],
            tw_early=ready[node], tw_late=due[node],
        )  # fmt: skip
        client_nodes.append(node)
    no_limit = 2**62  # as good as PyVRP's own default for an unbounded shift
    shift = scaled(instance, [instance.max_route_duration])[0] if instance.max_route_duration else no_limit
    model.add_vehicle_type(
        num_available=instance.num_vehicles, capacity=instance.capacity, tw_early=ready[0], tw_late=due[0],
        shift_duration=shift,
    )  # fmt: skip
    return model, client_nodes


def run_vroom(
    instance: Instance, m: Matrices, limit: float, seed: int
) -> tuple[list[Route], tuple[str, ...]]:
    """Model the instance in VROOM (jobs or shipments on our matrices), solve, read the routes.

    VROOM's search is deterministic for a given input, so `seed` is unused.
    """
    solution = _vroom_input(instance, m).solve(
        exploration_level=5, nb_threads=1, timeout=timedelta(seconds=limit)
    )
    steps = solution.routes
    routes: list[Route] = []
    for _, group in steps[steps["type"].isin(["job", "pickup", "delivery"])].groupby("vehicle_id", sort=True):
        routes.append(tuple(int(i) for i in group["id"]))  # rows keep their order within a vehicle
    notes: list[str] = []
    if instance.max_ride_time is not None:
        notes.append("no max ride time in VROOM")
    if instance.max_route_duration is not None:
        notes.append("no max route duration in VROOM")
    return routes, tuple(notes)


def _vroom_input(instance: Instance, m: Matrices) -> vroom.Input:
    """VROOM's input on our matrices: job/step ids are instance node numbers, cost = distance."""
    import vroom

    ready, due, service = (scaled(instance, v) for v in (instance.ready, instance.due, instance.service))
    timed = instance.kind != "cvrp"

    def windows(node: int) -> list[vroom.TimeWindow]:
        return [vroom.TimeWindow(ready[node], due[node])] if timed else []

    problem = vroom.Input()
    problem.set_durations_matrix("car", m.duration)
    problem.set_costs_matrix("car", m.distance)
    for k in range(instance.num_vehicles):
        tw = {"time_window": vroom.TimeWindow(ready[0], due[0])} if timed else {}
        problem.add_vehicle(
            vroom.Vehicle(k, start=0, end=0, capacity=vroom.Amount([instance.capacity]), **tw)
        )
    for p, d in instance.pairs:
        problem.add_shipment(
            vroom.ShipmentStep(p, location=p, default_service=service[p], time_windows=windows(p)),
            vroom.ShipmentStep(d, location=d, default_service=service[d], time_windows=windows(d)),
            amount=vroom.Amount([instance.demands[p]]),
        )
    for node in [] if instance.pairs else range(1, len(instance.coords)):
        problem.add_job(
            vroom.Job(node, location=node, default_service=service[node],
                      delivery=vroom.Amount([instance.demands[node]]), time_windows=windows(node))
        )  # fmt: skip
    return problem


RUNNERS: dict[str, Runner] = {"pyvrp": run_pyvrp, "vroom": run_vroom}
