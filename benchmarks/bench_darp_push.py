"""Measure search variants of our planner on Cordeau's DARP (the 14 with known optima).

    nice -n 5 .venv/bin/python -m benchmarks.bench_darp_push --instances a7-84 a8-96 --time-limit 30

Costs and feasibility come from `benchmarks.checker`; prints one line per instance and the mean gap.
`--variant NAME ...` patches OR-Tools' search parameters with the experiments in `VARIANTS` (what was
tried for issue 4), `ms:S1,S2` runs those first-solution strategies one after the other; `--set lilim`
spot-checks another pickup-and-delivery set.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from ortools.util import optional_boolean_pb2

from benchmarks.checker import evaluate
from benchmarks.competitors import Matrices
from benchmarks.instances import load_set
from benchmarks.to_problem import plan_routes, to_problem
from routing import _ortools
from routing.params import SolveParams
from routing.solve import solve

_BASE = _ortools._search_parameters
TRUE, FALSE = optional_boolean_pb2.BOOL_TRUE, optional_boolean_pb2.BOOL_FALSE


def _ils(search, *, sisr=False, auto_t=False, t0=None, recreate=None):
    search.use_iterated_local_search = True
    ils = search.iterated_local_search_parameters
    rr = ils.ruin_recreate_parameters
    del rr.ruin_strategies[:]
    if sisr:
        r = rr.ruin_strategies.add()
        r.sisr.max_removed_sequence_size = 10
        r.sisr.avg_num_removed_visits = 10
        r.sisr.bypass_factor = 0.01
    else:
        rr.ruin_strategies.add().spatially_close_routes.num_ruined_routes = 2
        rr.ruin_strategies.add().random_walk.num_removed_visits = 10
        from ortools.constraint_solver import routing_ils_pb2

        rr.ruin_composition_strategy = routing_ils_pb2.RuinCompositionStrategy.RUN_ONE_RANDOMLY
    sa = ils.reference_solution_acceptance_strategy.simulated_annealing
    if auto_t:
        sa.automatic_temperatures = True
    if t0 is not None:
        sa.initial_temperature = t0
        sa.final_temperature = t0 / 1e4
    if recreate:
        from ortools.constraint_solver import routing_enums_pb2

        ils.ruin_recreate_parameters.recreate_strategy.heuristic = getattr(
            routing_enums_pb2.FirstSolutionStrategy, recreate
        )


def _set(search, names, value):
    for n in names:
        setattr(search.local_search_operators, n, value)


VARIANTS = {
    "base": lambda s: None,
    "ils": lambda s: _ils(s),
    "ils_auto": lambda s: _ils(s, auto_t=True),
    "ils_sisr": lambda s: _ils(s, sisr=True),
    "ils_sisr_t": lambda s: _ils(s, sisr=True, t0=2000.0),
    "ops_plus": lambda s: _set(
        s, ["use_relocate_neighbors", "use_cross_exchange", "use_extended_swap_active"], TRUE
    ),
    "ops_minus": lambda s: _set(
        s,
        [
            "use_global_cheapest_insertion_expensive_chain_lns",
            "use_local_cheapest_insertion_expensive_chain_lns",
            "use_global_cheapest_insertion_close_nodes_lns",
            "use_local_cheapest_insertion_close_nodes_lns",
        ],
        FALSE,
    ),
    "lns_off": lambda s: _set(
        s,
        [
            "use_global_cheapest_insertion_expensive_chain_lns",
            "use_local_cheapest_insertion_expensive_chain_lns",
            "use_global_cheapest_insertion_close_nodes_lns",
            "use_local_cheapest_insertion_close_nodes_lns",
            "use_global_cheapest_insertion_path_lns",
            "use_local_cheapest_insertion_path_lns",
            "use_relocate_path_global_cheapest_insertion_insert_unperformed",
            "use_global_cheapest_insertion_visit_types_lns",
            "use_local_cheapest_insertion_visit_types_lns",
        ],
        FALSE,
    ),
    "lns_fast": lambda s: s.lns_time_limit.FromMilliseconds(10),
    "global_off": lambda s: _set(
        s,
        [
            "use_global_cheapest_insertion_expensive_chain_lns",
            "use_global_cheapest_insertion_close_nodes_lns",
            "use_global_cheapest_insertion_path_lns",
            "use_relocate_path_global_cheapest_insertion_insert_unperformed",
            "use_global_cheapest_insertion_visit_types_lns",
        ],
        FALSE,
    ),
    "near25": lambda s: (
        setattr(s, "ls_operator_neighbors_ratio", 0.25),
        setattr(s, "ls_operator_min_neighbors", 20),
    ),
    "near50": lambda s: (
        setattr(s, "ls_operator_neighbors_ratio", 0.5),
        setattr(s, "ls_operator_min_neighbors", 20),
    ),
    "lci_pair": lambda s: setattr(
        s.local_cheapest_insertion_parameters,
        "pickup_delivery_strategy",
        s.local_cheapest_insertion_parameters.BEST_PICKUP_DELIVERY_PAIR,
    ),
    "no_rp": lambda s: _set(s, ["use_relocate_pair"], FALSE),
    "no_rp_px": lambda s: _set(s, ["use_relocate_pair", "use_exchange_pair"], FALSE),
    "gls_reset": lambda s: setattr(s, "guided_local_search_reset_penalties_on_new_best_solution", True),
    "gls_pen_ops": lambda s: setattr(s, "use_guided_local_search_penalties_in_local_search_operators", True),
    "mab": lambda s: setattr(s, "use_multi_armed_bandit_concatenate_operators", True),
}


_SOLVE = _ortools.solve_ortools


def _multistart(strategies):
    import dataclasses
    from time import perf_counter

    def solve_ortools(problem, active, params, deadline, initial_routes=None):
        best = None
        for k, strategy in enumerate(strategies):
            now = perf_counter()
            share = now + (deadline - now) / (len(strategies) - k)
            raw = _SOLVE(
                problem,
                active,
                dataclasses.replace(params, first_solution_strategy=strategy),
                share,
                initial_routes,
            )
            if raw is not None and (best is None or raw.objective < best.objective):
                best = raw
        return best

    _ortools.solve_ortools = solve_ortools


def _patch(variants):
    for v in variants:
        if v.startswith("ms:"):
            _multistart(v[3:].split(","))
    variants = [v for v in variants if not v.startswith("ms:")]

    def patched(*a, **k):
        search = _BASE(*a, **k)
        for v in variants:
            VARIANTS[v](search)
        return search

    _ortools._search_parameters = patched


ALL = tuple(f"{c}{k}-{12 * k}" for c in "ab" for k in range(2, 9))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--instances", nargs="*", default=list(ALL))
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--set", default="darp")
    parser.add_argument("--strategy", default="DEFAULT")
    parser.add_argument("--label", default="")
    parser.add_argument("--out", default=None)
    parser.add_argument("--variant", nargs="*", default=[])
    parser.add_argument("--gls-lambda", type=float, default=0.1)
    args = parser.parse_args()
    _patch(args.variant)
    rows = []
    for instance in load_set(args.set, args.instances):
        m = Matrices.of(instance)
        params = SolveParams(
            time_limit_s=args.time_limit,
            seed=args.seed,
            first_solution_strategy=args.strategy,
            gls_lambda=args.gls_lambda,
        )
        start = time.perf_counter()
        plan = solve(to_problem(instance, m), params)
        wall = time.perf_counter() - start
        e = evaluate(instance, tuple(tuple(r) for r in plan_routes(plan)), m.duration)
        assert instance.bks is not None
        gap = 100.0 * (e.cost - instance.bks) / instance.bks
        rows.append(
            {
                "instance": instance.name,
                "cost": e.cost,
                "gap": gap,
                "feasible": e.feasible,
                "ride": e.ride_time_violations,
                "left_out": len(plan.unassigned),
                "wall": wall,
            }
        )
        print(
            f"{args.label:<12}{instance.name:<8}{e.cost:>9.1f}{gap:>7.2f}% feasible={e.feasible} "
            f"ride_viol={e.ride_time_violations} left_out={len(plan.unassigned)} {wall:.1f}s",
            flush=True,
        )
    print(
        f"{args.label:<12}mean gap {statistics.fmean(r['gap'] for r in rows):.2f}%  "
        f"within5 {sum(r['gap'] <= 5 for r in rows)}/{len(rows)}",
        flush=True,
    )
    if args.out:
        with open(args.out, "w") as f:
            json.dump(rows, f)


if __name__ == "__main__":
    main()
