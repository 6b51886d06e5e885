"""The only module that talks to OR-Tools: builds the routing model of a `Problem` and reads the solution.

Every constraint of the services is enforced here, by OR-Tools: capacities (one dimension per load
kind), time windows (several per stop), shifts and maximum route durations, skills, pickup-and-delivery
precedence with maximum ride times, and the hot-food limit (a second time dimension that starts at the
time the vehicle has already been out and whose slack is tied to the time dimension's, so its cumul is
the time since departure).
Stops are optional with a penalty, so an infeasible day yields a partial plan rather than a failure.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from time import perf_counter

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2
from ortools.util import optional_boolean_pb2

from routing import arcs
from routing.model import Problem
from routing.params import SolveParams

_STATUS = {
    0: "not_solved",
    1: "success",
    2: "partial_success",
    3: "fail",
    4: "fail_timeout",
    5: "invalid",
    6: "infeasible",
    7: "optimal",
}


@dataclass(frozen=True)
class RawRoute:
    """A vehicle's stops with service start times, as OR-Tools scheduled them."""

    vehicle: int
    stops: tuple[int, ...]
    start_times: tuple[int, ...]
    depart_s: int
    end_s: int


@dataclass(frozen=True)
class RawSolution:
    """Routes for all vehicles, the stops OR-Tools left out, and its status and objective."""

    routes: tuple[RawRoute, ...]
    dropped: tuple[int, ...]
    status: str
    objective: int


class _Model:
    """Maps our stops and depots to OR-Tools nodes and holds the routing model while it is built."""

    def __init__(self, problem: Problem, active: list[int]) -> None:
        self.problem = problem
        self.active = active
        self.vtype = problem.vehicle_type_of()
        used = sorted({d for vt in problem.vehicle_types for d in (vt.start_depot, vt.end_depot)})
        self.depot_node = {d: n for n, d in enumerate(used)}
        self.first_stop_node = len(used)
        locations = [problem.depots[d].location for d in used] + [problem.stops[s].location for s in active]
        self.loc = np.asarray(locations, dtype=np.int64)
        self.service = np.zeros(len(locations), dtype=np.int64)
        self.service[self.first_stop_node :] = [problem.stops[s].service_s for s in active]
        starts = [self.depot_node[problem.vehicle_types[t].start_depot] for t in self.vtype]
        ends = [self.depot_node[problem.vehicle_types[t].end_depot] for t in self.vtype]
        self.manager = pywrapcp.RoutingIndexManager(len(locations), len(self.vtype), starts, ends)
        self.routing = pywrapcp.RoutingModel(self.manager)
        self.time_callbacks: list[int] = []
        self.ride_limits: list[int] = []
        self.pair_positions: list[tuple[int, int, int]] = []  # (pickup, delivery, ride limit) as positions
        self.horizon = max(
            [vt.shift.end_s for vt in problem.vehicle_types] + [problem.stops[s].latest_s for s in active]
        )

    def stop_index(self, position: int) -> int:
        """OR-Tools index of the `position`-th active stop."""
        return int(self.manager.NodeToIndex(self.first_stop_node + position))

    def travel_times(self, speed_factor: float) -> np.ndarray:
        """Node-to-node travel seconds for vehicles of this speed, capped so sums cannot overflow."""
        times = self.problem.duration_s[np.ix_(self.loc, self.loc)]
        if speed_factor != 1.0:
            times = np.rint(times / speed_factor).astype(np.int64)
        return np.minimum(times, 4 * self.horizon + 1)

    def add_costs(self) -> None:
        """Arc costs per vehicle type (distance x unit cost), span costs and fixed costs."""
        distance = np.minimum(self.problem.distance_m[np.ix_(self.loc, self.loc)], 10**12)
        callbacks: dict[int, int] = {}
        for v, t in enumerate(self.vtype):
            vt = self.problem.vehicle_types[t]
            if vt.unit_distance_cost not in callbacks:
                matrix = (distance * vt.unit_distance_cost).tolist()
                callbacks[vt.unit_distance_cost] = self.routing.RegisterTransitMatrix(matrix)
            self.routing.SetArcCostEvaluatorOfVehicle(callbacks[vt.unit_distance_cost], v)
            self.routing.SetFixedCostOfVehicle(vt.fixed_cost, v)

    def add_time(self) -> pywrapcp.RoutingDimension:
        """Time dimension: windows, shifts, maximum durations and the per-hour cost."""
        callbacks: dict[float, int] = {}
        per_vehicle = []
        for t in self.vtype:
            sf = self.problem.vehicle_types[t].speed_factor
            if sf not in callbacks:
                transit = self.travel_times(sf) + self.service[:, None]
                callbacks[sf] = self.routing.RegisterTransitMatrix(transit.tolist())
            per_vehicle.append(callbacks[sf])
        self.time_callbacks = per_vehicle
        self.routing.AddDimensionWithVehicleTransits(per_vehicle, self.horizon, self.horizon, False, "time")
        time = self.routing.GetDimensionOrDie("time")
        for pos, s in enumerate(self.active):
            windows = self.problem.stops[s].time_windows
            cumul = time.CumulVar(self.stop_index(pos))
            cumul.SetRange(windows[0].start_s, windows[-1].end_s)
            for before, after in itertools.pairwise(windows):
                cumul.RemoveInterval(before.end_s + 1, after.start_s - 1)
        for v, t in enumerate(self.vtype):
            vt = self.problem.vehicle_types[t]
            for index in (self.routing.Start(v), self.routing.End(v)):
                time.CumulVar(index).SetRange(vt.shift.start_s, vt.shift.end_s)
            if vt.max_duration_s is not None:
                time.SetSpanUpperBoundForVehicle(vt.max_duration_s, v)
            if vt.unit_duration_cost:
                time.SetSpanCostCoefficientForVehicle(vt.unit_duration_cost, v)
        return time

    def add_capacities(self) -> None:
        """One dimension per load kind; a pair's drop-off unloads what its pickup loaded."""
        for k, name in enumerate(self.problem.dimensions):
            demand = [0] * self.first_stop_node
            for s in self.active:
                amount = self.problem.stops[s].demand[k]
                demand.append(-amount if self.problem.is_delivery_end(s) else amount)
            if not any(demand):
                continue
            callback = self.routing.RegisterUnaryTransitVector(demand)
            caps = [self.problem.vehicle_types[t].capacity[k] for t in self.vtype]
            self.routing.AddDimensionWithVehicleCapacity(callback, 0, caps, True, f"load:{name}")

    def add_stops(self) -> dict[int, int]:
        """Optional stops with penalties, skills as allowed vehicles; returns stop -> disjunction."""
        disjunction = {}
        for pos, s in enumerate(self.active):
            stop = self.problem.stops[s]
            index = self.stop_index(pos)
            disjunction[s] = self.routing.AddDisjunction([index], stop.effective_penalty)
            if stop.required_skills:  # -1 (left out) stays allowed; the disjunction prices that
                banned = [
                    v
                    for v, t in enumerate(self.vtype)
                    if not stop.required_skills <= self.problem.vehicle_types[t].skills
                ]
                self.routing.VehicleVar(index).RemoveValues(banned)
        return disjunction

    def add_pairs(self, time: pywrapcp.RoutingDimension, disjunction: dict[int, int]) -> None:
        """Same vehicle, pickup before drop-off, and ride time from leaving the pickup to the drop-off.

        The ride limit is posted twice: as a constraint (what every solution must satisfy) and as the
        dimension's pickup-to-delivery limit, which the local-search filters understand, so moves that
        break it are rejected cheaply instead of failing deep in propagation.
        """
        solver = self.routing.solver()
        position = {s: pos for pos, s in enumerate(self.active)}
        for pair in self.problem.pairs:
            if pair.pickup not in position or pair.delivery not in position:
                continue
            p, d = self.stop_index(position[pair.pickup]), self.stop_index(position[pair.delivery])
            self.routing.AddPickupAndDeliverySets(disjunction[pair.pickup], disjunction[pair.delivery])
            solver.Add(self.routing.ActiveVar(p) == self.routing.ActiveVar(d))
            solver.Add(self.routing.VehicleVar(p) == self.routing.VehicleVar(d))
            solver.Add(time.CumulVar(p) <= time.CumulVar(d))
            limit = 4 * self.horizon
            if pair.max_ride_s is not None:
                limit = pair.max_ride_s + self.problem.stops[pair.pickup].service_s
                solver.Add(time.CumulVar(d) - time.CumulVar(p) <= limit)
            self._tighten(time, p, d, pair.pickup, limit)
            self.ride_limits.append(limit)
            self.pair_positions.append((position[pair.pickup], position[pair.delivery], limit))
        if any(limit < 4 * self.horizon for limit in self.ride_limits):
            self.limit_functions = [_constant(limit) for limit in self.ride_limits]  # kept alive for SWIG
            for k, function in enumerate(self.limit_functions):
                time.SetPickupToDeliveryLimitFunctionForPair(function, k)

    def _tighten(self, time: pywrapcp.RoutingDimension, p: int, d: int, pickup: int, limit: int) -> None:
        """Narrow each end's window by the other's and the ride limit (Cordeau's preprocessing).

        No solution is lost; the insertion heuristics and filters, which read the windows directly,
        then see early what the ride-time constraint would only reveal by propagation.
        """
        fastest = max(self.problem.vehicle_types[t].speed_factor for t in set(self.vtype))
        direct = self.problem.duration_s[
            self.loc[self.manager.IndexToNode(p)], self.loc[self.manager.IndexToNode(d)]
        ]
        least = int(self.problem.stops[pickup].service_s + np.floor(direct / fastest))
        pick, drop = time.CumulVar(p), time.CumulVar(d)
        pick_range = (max(pick.Min(), drop.Min() - limit), min(pick.Max(), drop.Max() - least))
        if pick_range[0] > pick_range[1]:
            return  # hopeless pair: the search will leave it out and explain why
        pick.SetRange(*pick_range)
        drop.SetRange(max(drop.Min(), pick.Min() + least), min(drop.Max(), pick.Max() + limit))

    def prune_arcs(self, time: pywrapcp.RoutingDimension) -> None:
        """Take out of the next-variable domains the arcs no feasible route can use (see `routing.arcs`).

        Also a vehicle never goes from its start straight to a drop-off, nor from a pickup to its end.
        """
        if not self.pair_positions:
            return
        positions = range(len(self.active))
        cumuls = [time.CumulVar(self.stop_index(pos)) for pos in positions]
        fastest = max(self.problem.vehicle_types[t].speed_factor for t in set(self.vtype))
        stops = slice(self.first_stop_node, None)
        demand = np.array([self.problem.stops[s].demand for s in self.active], dtype=np.int64)
        capacity = np.array([self.problem.vehicle_types[t].capacity for t in set(self.vtype)], dtype=np.int64)
        nodes = arcs.Nodes(
            earliest=np.array([c.Min() for c in cumuls], dtype=np.int64),
            latest=np.array([c.Max() for c in cumuls], dtype=np.int64),
            service=self.service[stops],
            travel=self.travel_times(fastest)[stops, stops],
            load=demand.reshape(len(self.active), -1),
            capacity=capacity.max(axis=0),
            pairs=self.pair_positions,
        )
        impossible = arcs.impossible_arcs(nodes)
        for pos in positions:
            banned = [self.stop_index(int(b)) for b in np.flatnonzero(impossible[pos])]
            if banned:
                self.routing.NextVar(self.stop_index(pos)).RemoveValues(banned)
        ends = [self.routing.End(v) for v in range(len(self.vtype))]
        for pickup, delivery, _ in self.pair_positions:
            self.routing.NextVar(self.stop_index(pickup)).RemoveValues(ends)
            for v in range(len(self.vtype)):
                self.routing.NextVar(self.routing.Start(v)).RemoveValue(self.stop_index(delivery))

    def add_hot_food(self, time: pywrapcp.RoutingDimension) -> None:
        """Elapsed-since-departure dimension: same transits, starts at the time already out, same slack."""
        limits = {pos: self.problem.stops[s].max_since_departure_s for pos, s in enumerate(self.active)}
        if all(limit is None for limit in limits.values()):
            return
        self.routing.AddDimensionWithVehicleTransits(
            self.time_callbacks, self.horizon, 2 * self.horizon, False, "elapsed"
        )
        elapsed = self.routing.GetDimensionOrDie("elapsed")
        solver = self.routing.solver()
        for v, t in enumerate(self.vtype):
            start = self.routing.Start(v)
            elapsed.CumulVar(start).SetValue(self.problem.vehicle_types[t].elapsed_at_start_s)
            solver.Add(elapsed.SlackVar(start) == time.SlackVar(start))
        for pos, limit in limits.items():
            index = self.stop_index(pos)
            solver.Add(elapsed.SlackVar(index) == time.SlackVar(index))
            if limit is not None:
                elapsed.CumulVar(index).SetMax(limit)

    def add_finalizers(self, time: pywrapcp.RoutingDimension) -> None:
        """Serve each stop as early as possible, then leave the depot as late as that allows.

        Early service leaves slack for re-planning later in the day; the late departure then removes
        needless waiting (and time on board for hot food).
        """
        for pos in range(len(self.active)):
            self.routing.AddVariableMinimizedByFinalizer(time.CumulVar(self.stop_index(pos)))
        for v in range(len(self.vtype)):
            self.routing.AddVariableMaximizedByFinalizer(time.CumulVar(self.routing.Start(v)))
        for v in range(len(self.vtype)):
            self.routing.AddVariableMinimizedByFinalizer(time.CumulVar(self.routing.End(v)))


def _constant(value: int) -> Callable[[int, int], int]:
    """A pickup-to-delivery limit function that ignores which alternative is used."""
    return lambda _pickup, _delivery: value


# Large-neighbourhood operators that re-insert whole pickup-and-delivery pairs; off by default in
# OR-Tools, they are what lets the search place the last trips of a tight dial-a-ride day.
_PAIR_OPERATORS = (
    "use_inactive_lns",
    "use_relocate_and_make_active",
    "use_exchange_and_make_active",
    "use_node_pair_swap_active",
    "use_global_cheapest_insertion_close_nodes_lns",
    "use_local_cheapest_insertion_close_nodes_lns",
    "use_global_cheapest_insertion_expensive_chain_lns",
    "use_local_cheapest_insertion_expensive_chain_lns",
)

# The full pair relocation tries every pickup position with every later delivery position on every route:
# on Cordeau's 96-trip days one scan is about half a million moves (85 % of all neighbours the search
# looks at), so guided local search got through a handful of iterations a minute and stayed in the basin
# of its first solution. Without it (light pair relocation, pair exchange and the insertion LNS still move
# pairs) the hardest four instances went from 5-7 % to 3-4 % above the optimum at 30 s.
_SLOW_PAIR_OPERATORS = ("use_relocate_pair",)

# Measured: restricting neighbours costs Cordeau's DARP (120-192 stops) 5-9 points of gap at 10 s, and
# keeps Gehring & Homberger 1000 within its time limit; so only big problems without pairs get it.
_PRUNE = True
_LEAST_SEARCH_S = 0.05
_READ_RESERVE_S = 0.1  # reading routes and times back, measured 0.02 s at 1,000 stops
_NEAR_ONLY_ABOVE = 400
_NEAR_NEIGHBOURS = 100


def _search_parameters(
    params: SolveParams, time_limit_s: float, has_pairs: bool, num_stops: int, strategy: str
) -> pywrapcp.DefaultRoutingSearchParameters:
    search = pywrapcp.DefaultRoutingSearchParameters()
    search.first_solution_strategy = getattr(routing_enums_pb2.FirstSolutionStrategy, strategy)
    search.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    search.guided_local_search_lambda_coefficient = params.gls_lambda
    if has_pairs:
        for name in _PAIR_OPERATORS:
            setattr(search.local_search_operators, name, optional_boolean_pb2.BOOL_TRUE)
        for name in _SLOW_PAIR_OPERATORS:
            setattr(search.local_search_operators, name, optional_boolean_pb2.BOOL_FALSE)
    if num_stops > _NEAR_ONLY_ABOVE and not has_pairs:
        # On big days every operator would try all n^2 pairs of nodes; near neighbours are enough, and
        # OR-Tools only checks its time limit between neighbourhoods, so small ones keep it on time.
        search.ls_operator_neighbors_ratio = _NEAR_NEIGHBOURS / num_stops
        search.ls_operator_min_neighbors = 20
    search.time_limit.FromMilliseconds(max(1, int(time_limit_s * 1000)))
    if params.solution_limit is not None:
        search.solution_limit = params.solution_limit
    search.log_search = params.log_search
    return search


# Measured on Cordeau's DARP with arc pruning: guided local search hardly leaves the basin of its first
# solution within a minute, and parallel and local cheapest insertion lead to different basins (each the
# better one on some instances), so a pickup-and-delivery day is searched from both, half the time each.
_PAIR_STARTS = ("PARALLEL_CHEAPEST_INSERTION", "LOCAL_CHEAPEST_INSERTION")
_MULTI_START_LEAST_S = 2.0


def first_solution_strategies(
    problem: Problem, params: SolveParams, seconds: float, seeded: bool
) -> tuple[str, ...]:
    """The first-solution strategies to search from, one after the other, keeping the best result."""
    if params.first_solution_strategy != "DEFAULT":
        return (params.first_solution_strategy,)
    if not problem.pairs:
        return ("PARALLEL_CHEAPEST_INSERTION",)
    if seeded or seconds < _MULTI_START_LEAST_S:
        return _PAIR_STARTS[:1]
    return _PAIR_STARTS


def solve_ortools(
    problem: Problem,
    active: list[int],
    params: SolveParams,
    deadline: float,
    initial_routes: list[list[int]] | None = None,
) -> RawSolution | None:
    """Route the `active` stops by `deadline` (a `perf_counter()` value, model building included);
    `initial_routes` (stop indices per vehicle) seed the search if OR-Tools accepts them.

    Several first-solution strategies (see `first_solution_strategies`) share the time equally; the
    solution of least objective is kept. Returns None when OR-Tools finds no solution at all (only
    possible when a vehicle's shift itself is infeasible, since every stop is optional).
    """
    seeded = initial_routes is not None
    strategies = first_solution_strategies(problem, params, deadline - perf_counter(), seeded)
    best = None
    for k, strategy in enumerate(strategies):
        share = perf_counter() + (deadline - perf_counter()) / (len(strategies) - k)
        raw = _solve_once(problem, active, params, share, initial_routes, strategy)
        if raw is not None and (best is None or raw.objective < best.objective):
            best = raw
    return best


def _solve_once(
    problem: Problem,
    active: list[int],
    params: SolveParams,
    deadline: float,
    initial_routes: list[list[int]] | None,
    strategy: str,
) -> RawSolution | None:
    m = _Model(problem, active)
    m.add_costs()
    time = m.add_time()
    m.add_capacities()
    disjunction = m.add_stops()
    m.add_pairs(time, disjunction)
    if _PRUNE:
        m.prune_arcs(time)
    m.add_hot_food(time)
    m.add_finalizers(time)
    time_limit_s = max(_LEAST_SEARCH_S, deadline - perf_counter() - _READ_RESERVE_S)
    search = _search_parameters(params, time_limit_s, bool(m.ride_limits), len(active), strategy)
    solution = None
    if initial_routes is not None:
        m.routing.CloseModelWithParameters(search)
        position = {s: pos for pos, s in enumerate(active)}
        nodes = [[m.stop_index(position[s]) for s in route if s in position] for route in initial_routes]
        start = m.routing.ReadAssignmentFromRoutes(nodes, True)
        if start is not None:
            solution = m.routing.SolveFromAssignmentWithParameters(start, search)
    if solution is None:
        solution = m.routing.SolveWithParameters(search)
    if solution is None:
        return None
    return _read(m, time, solution)


def _read(m: _Model, time: pywrapcp.RoutingDimension, solution: pywrapcp.Assignment) -> RawSolution:
    routes = []
    visited: set[int] = set()
    for v in range(len(m.vtype)):
        index = m.routing.Start(v)
        depart = solution.Min(time.CumulVar(index))
        stops, starts = [], []
        index = solution.Value(m.routing.NextVar(index))
        while not m.routing.IsEnd(index):
            stop = m.active[m.manager.IndexToNode(index) - m.first_stop_node]
            stops.append(stop)
            starts.append(solution.Min(time.CumulVar(index)))
            visited.add(stop)
            index = solution.Value(m.routing.NextVar(index))
        end = solution.Min(time.CumulVar(index))
        routes.append(RawRoute(v, tuple(stops), tuple(starts), depart, end))
    dropped = tuple(s for s in m.active if s not in visited)
    status = _STATUS.get(m.routing.status(), str(m.routing.status()))
    return RawSolution(tuple(routes), dropped, status, solution.ObjectiveValue())
