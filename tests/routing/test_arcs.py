"""Pickup-and-delivery search: arc pruning keeps every arc a feasible route uses; two first solutions."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from routing import SolveParams, _ortools, arcs
from routing.screening import screen

from .helpers import euclidean, solve_checked
from .test_literature import _cordeau
from .test_random_days import QUICK, _delivery_day, _ride_day


def _random_nodes(seed: int, requests: int = 3) -> arcs.Nodes:
    rng = np.random.default_rng(seed)
    travel = euclidean([tuple(p) for p in rng.uniform(0, 1000, size=(2 * requests, 2))])
    earliest = rng.integers(0, 1500, size=2 * requests)
    loads = rng.integers(1, 3, size=requests)
    return arcs.Nodes(
        earliest=earliest,
        latest=earliest + rng.integers(300, 2500, size=2 * requests),
        service=rng.integers(0, 60, size=2 * requests),
        travel=travel,
        load=np.concatenate([loads, loads])[:, None],
        capacity=np.array([3]),
        pairs=[(k, requests + k, int(rng.integers(800, 2000))) for k in range(requests)],
    )


def _schedulable(nodes: arcs.Nodes, order: tuple[int, ...]) -> bool:
    """Exact check of one visiting order: windows, ride limits and capacity (Floyd-Warshall on its STN)."""
    pairs = {p: (d, limit) for p, d, limit in nodes.pairs}
    load = 0
    for node in order:
        load += int(nodes.load[node][0]) * (1 if node in pairs else -1)
        if load > nodes.capacity[0]:
            return False
    size = len(order) + 1
    dist = np.full((size, size), 10**9)
    np.fill_diagonal(dist, 0)
    for k, node in enumerate(order):
        dist[-1, k], dist[k, -1] = nodes.latest[node], -nodes.earliest[node]
        if k:
            dist[k, k - 1] = -(nodes.service[order[k - 1]] + nodes.travel[order[k - 1], node])
        if node in pairs:
            dist[k, order.index(pairs[node][0])] = pairs[node][1]
    for k in range(size):
        dist = np.minimum(dist, dist[:, k : k + 1] + dist[k : k + 1, :])
    return bool(np.all(np.diag(dist) >= 0))


@pytest.mark.parametrize("seed", range(30))
def test_no_arc_of_a_feasible_visiting_order_is_pruned(seed: int) -> None:
    """Brute force over every order of three trips, pickups first: each arc of a feasible order stays."""
    nodes = _random_nodes(seed)
    impossible = arcs.impossible_arcs(nodes)
    used: set[tuple[int, int]] = set()
    for size in (2, 3):
        for trips in itertools.combinations(nodes.pairs, size):
            ends = [node for p, d, _ in trips for node in (p, d)]
            for order in itertools.permutations(ends):
                if all(order.index(p) < order.index(d) for p, d, _ in trips) and _schedulable(nodes, order):
                    used |= set(itertools.pairwise(order))
    assert not any(impossible[a, b] for a, b in used)
    assert impossible.sum() > len(used) // 4  # not vacuous: it does prune


@pytest.mark.parametrize("seed", range(4))
def test_plans_found_without_pruning_use_no_pruned_arc(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Random ride days solved with pruning off: none of their arcs is among those pruning would remove."""
    problem = _ride_day(seed)
    monkeypatch.setattr(_ortools, "_PRUNE", False)
    plan = solve_checked(problem, QUICK)
    removed: list[tuple[int, int]] = []
    monkeypatch.setattr(_ortools, "_PRUNE", True)
    original = arcs.impossible_arcs

    def spy(nodes: arcs.Nodes) -> np.ndarray:
        out = original(nodes)
        removed.extend((int(a), int(b)) for a, b in zip(*np.nonzero(out), strict=True))
        return out

    monkeypatch.setattr(arcs, "impossible_arcs", spy)
    solve_checked(problem, QUICK)
    active = [s for s in range(len(problem.stops)) if s not in screen(problem)]  # pruning counts these
    used = {
        (active.index(a), active.index(b))
        for route in plan.routes
        for a, b in itertools.pairwise(route.stops)
    }
    assert removed and not used & set(removed)


def test_most_arcs_of_a_cordeau_instance_are_pruned(
    shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a2-16 (tight windows and a 30-minute ride limit) more than half the stop-to-stop arcs go."""
    problem = _cordeau(shared_data / "darp_cordeau" / "a2-16.txt")
    share: list[float] = []
    original = arcs.impossible_arcs

    def spy(nodes: arcs.Nodes) -> np.ndarray:
        out = original(nodes)
        share.append(float(out.mean()))
        return out

    monkeypatch.setattr(arcs, "impossible_arcs", spy)
    plan = solve_checked(problem, QUICK)
    assert not plan.unassigned
    assert share and share[0] > 0.5


def test_a_pickup_and_delivery_day_is_searched_from_two_first_solutions() -> None:
    """Pair problems with time to spare start from parallel and local cheapest insertion; others once."""
    rides, plain = _ride_day(0), _delivery_day(0)
    default = SolveParams(time_limit_s=10)
    assert _ortools.first_solution_strategies(rides, default, 10.0, seeded=False) == _ortools._PAIR_STARTS
    assert len(_ortools.first_solution_strategies(rides, default, 10.0, seeded=True)) == 1
    assert len(_ortools.first_solution_strategies(rides, default, 1.0, seeded=False)) == 1
    assert len(_ortools.first_solution_strategies(plain, default, 10.0, seeded=False)) == 1
    chosen = replace(default, first_solution_strategy="SAVINGS")
    assert _ortools.first_solution_strategies(rides, chosen, 10.0, seeded=False) == ("SAVINGS",)


@pytest.mark.parametrize("seed", range(2))
def test_the_plan_of_two_starts_is_the_better_of_each_alone(seed: int) -> None:
    """With a solution limit (deterministic), the two-start plan costs what the better single start costs."""
    problem = _ride_day(seed)
    params = SolveParams(time_limit_s=20.0, solution_limit=15, first_solution="ortools")
    both = solve_checked(problem, params)
    alone = [
        solve_checked(problem, replace(params, first_solution_strategy=s)).objective
        for s in _ortools._PAIR_STARTS
    ]
    assert both.objective == min(alone)


def test_pair_problems_search_without_the_full_pair_relocation() -> None:
    """The quadratic pair relocation is off for pickup-and-delivery (it starved the search), on otherwise."""
    params = SolveParams()
    optional_boolean_pb2 = _ortools.optional_boolean_pb2  # the test stays off OR-Tools' own modules
    with_pairs = _ortools._search_parameters(params, 1.0, True, 10, "PARALLEL_CHEAPEST_INSERTION")
    without = _ortools._search_parameters(params, 1.0, False, 10, "PARALLEL_CHEAPEST_INSERTION")
    assert with_pairs.local_search_operators.use_relocate_pair == optional_boolean_pb2.BOOL_FALSE
    assert with_pairs.local_search_operators.use_light_relocate_pair != optional_boolean_pb2.BOOL_FALSE
    assert without.local_search_operators.use_relocate_pair == optional_boolean_pb2.BOOL_TRUE
