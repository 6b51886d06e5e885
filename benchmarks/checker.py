"""Independent cost and feasibility check of a route set, so no solver's own objective is trusted.

Cost is recomputed in the best-known value's distance convention (see `instances.exact_distances`).
Feasibility is checked in the integer units all solvers were given (`instances.integer_durations`):
every customer served once, fleet size, capacity, pickup-before-delivery on one route, time windows, and
for dial-a-ride the maximum ride and route durations. A route of the DARP is feasible when *some* schedule
(waiting allowed) meets all limits; that is a system of difference constraints, solved by Bellman–Ford.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from benchmarks.instances import Instance, IntMatrix, exact_distances, integer_durations, scaled

Routes = Sequence[Sequence[int]]


@dataclass(frozen=True)
class Evaluation:
    """What the harness reports for one solver's routes; `violations` lists readable reasons."""

    cost: float
    vehicles: int
    feasible: bool
    violations: tuple[str, ...]
    ride_time_violations: int = 0


def route_cost(instance: Instance, routes: Routes) -> float:
    """Total length of the routes, each from and back to depot 0, in the BKS distance convention."""
    d = exact_distances(instance)
    total = 0.0
    for route in routes:
        if route:
            path = [0, *route, 0]
            total += float(d[path[:-1], path[1:]].sum())
    return total


def evaluate(instance: Instance, routes: Routes, durations: IntMatrix | None = None) -> Evaluation:
    """Recompute cost and check every constraint of the instance; pass `durations` to reuse a matrix."""
    t = integer_durations(instance) if durations is None else durations
    used = [list(r) for r in routes if r]
    problems = _coverage(instance, used)
    if len(used) > instance.num_vehicles:
        problems.append(f"{len(used)} routes for {instance.num_vehicles} vehicles")
    ride_bad = 0
    for k, route in enumerate(used):
        problems += [f"route {k}: {p}" for p in _load_and_pairs(instance, route)]
        if instance.kind == "darp":
            window_ok = _schedulable(instance, t, route, with_ride=False)
            if not window_ok:
                problems.append(f"route {k}: no schedule meets time windows and route duration")
            elif not _schedulable(instance, t, route, with_ride=True):
                ride_bad += 1
                problems.append(f"route {k}: no schedule meets the maximum ride time")
        else:
            problems += [f"route {k}: {p}" for p in _windows(instance, t, route)]
    return Evaluation(route_cost(instance, used), len(used), not problems, tuple(problems), ride_bad)


def _coverage(instance: Instance, routes: list[list[int]]) -> list[str]:
    seen: dict[int, int] = {}
    for route in routes:
        for node in route:
            seen[node] = seen.get(node, 0) + 1
    problems = [f"node {n} is not a customer" for n in seen if not 0 < n <= instance.num_customers]
    problems += [f"node {n} served {c} times" for n, c in seen.items() if c > 1]
    missing = instance.num_customers - sum(1 for n in seen if 0 < n <= instance.num_customers)
    if missing:
        problems.append(f"{missing} customers not served")
    return problems


def _load_and_pairs(instance: Instance, route: list[int]) -> list[str]:
    q = instance.demands
    if not instance.pairs:  # every demand is delivered from the depot
        load = sum(q[n] for n in route)
        return [f"load {load} exceeds capacity {instance.capacity}"] if load > instance.capacity else []
    problems = []
    position = {node: i for i, node in enumerate(route)}
    for p, d in instance.pairs:
        if (p in position) != (d in position):
            problems.append(f"pickup {p} and delivery {d} on different routes")
        elif p in position and position[p] > position[d]:
            problems.append(f"delivery {d} before its pickup {p}")
    load = 0
    for node in route:
        load += q[node]
        if load > instance.capacity:
            problems.append(f"load {load} exceeds capacity {instance.capacity} at node {node}")
            break
    return problems


def _windows(instance: Instance, t: IntMatrix, route: list[int]) -> list[str]:
    """Earliest-start schedule from the depot's opening; waiting is free, lateness is a violation.

    Departing at the opening is never worse than later for windows; for the hot-food limit the street
    day fixes departure at the opening (`street_day`), so this schedule is the one that counts.
    """
    ready, due, service = (scaled(instance, v) for v in (instance.ready, instance.due, instance.service))
    hot = (
        None if instance.max_since_departure is None else scaled(instance, [instance.max_since_departure])[0]
    )
    time, here, problems = ready[0], 0, []
    for node in [*route, 0]:
        time = max(time + service[here] + int(t[here, node]), ready[node])
        if time > due[node]:
            problems.append(f"{'depot' if node == 0 else f'node {node}'} reached at {time} > due {due[node]}")
        if hot is not None and node != 0 and time - ready[0] > hot:
            problems.append(f"node {node} served {time - ready[0]} after departure, limit {hot}")
        here = node
    if (
        instance.max_route_duration is not None
        and time - ready[0] > scaled(instance, [instance.max_route_duration])[0]
    ):
        problems.append("route duration exceeded")
    return problems


def _schedulable(instance: Instance, t: IntMatrix, route: list[int], *, with_ride: bool) -> bool:
    """Is there a service-start time per stop meeting windows, duration (and ride limits)?

    Variables: 0 = time zero, 1 = depot departure, 2.. = stops, last = depot arrival. An edge u→v of
    weight w encodes x_v − x_u ≤ w; the system is feasible iff the graph has no negative cycle.
    """
    ready, due, service = (scaled(instance, v) for v in (instance.ready, instance.due, instance.service))
    nodes = [0, *route, 0]
    var = len(nodes) + 1
    edges: list[tuple[int, int, int]] = []
    for i, node in enumerate(nodes, start=1):
        edges += [(0, i, due[node]), (i, 0, -ready[node])]
        if i > 1:
            prev = nodes[i - 2]
            edges.append((i, i - 1, -(service[prev] + int(t[prev, node]))))
    if instance.max_route_duration is not None:
        edges.append((1, var - 1, scaled(instance, [instance.max_route_duration])[0]))
    if with_ride and instance.max_ride_time is not None:
        limit = scaled(instance, [instance.max_ride_time])[0]
        slot = {node: i for i, node in enumerate(nodes[1:-1], start=2)}
        for p, d in instance.pairs:
            if p in slot and d in slot:
                edges.append((slot[p], slot[d], limit + service[p]))
    return not _negative_cycle(var, edges)


def _negative_cycle(count: int, edges: list[tuple[int, int, int]]) -> bool:
    """Bellman–Ford from a virtual source linked to every variable with weight 0 (numpy-vectorised)."""
    src = np.array([e[0] for e in edges])
    dst = np.array([e[1] for e in edges])
    w = np.array([e[2] for e in edges], dtype=np.int64)
    dist = np.zeros(count, dtype=np.int64)
    for _ in range(count + 1):
        candidate = dist[src] + w
        new = dist.copy()
        np.minimum.at(new, dst, candidate)
        if np.array_equal(new, dist):
            return False
        dist = new
    return True
