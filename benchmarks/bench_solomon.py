"""Solomon VRPTW benchmark of `routing.solve`: distance gap to the distance-only best-known values.

Usage: python -m benchmarks.bench_solomon [--instances C101 R201 ...] [--time-limit 10]
       [--first-solution auto] [--warm-share 0.7] [--strategy DEFAULT] [--out path]

Prints one row per instance (cost recomputed in unrounded Euclidean distance by the independent
checker, gap to `solomon/bks_distance.csv`, vehicles, feasibility) and the mean gap, and writes
`benchmarks/results/solomon.json`. Instances are read by `benchmarks.instances` (shared data, read-only).
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from benchmarks.checker import evaluate
from benchmarks.competitors import Matrices
from benchmarks.instances import Instance, load_set
from benchmarks.to_problem import plan_routes, to_problem
from routing import SolveParams, solve

RESULTS = Path(__file__).resolve().parent / "results" / "solomon.json"


def run_one(instance: Instance, params: SolveParams) -> dict[str, object]:
    """Solve one instance and check it independently; returns the table row."""
    m = Matrices.of(instance)
    problem = replace(to_problem(instance, m), xy=np.asarray(instance.coords, dtype=np.float64))
    began = time.perf_counter()
    plan = solve(problem, params)
    seconds = time.perf_counter() - began
    routes = plan_routes(plan)
    check = evaluate(instance, routes, m.duration)
    bks = instance.bks or float("nan")
    return {
        "instance": instance.name,
        "cost": round(check.cost, 2),
        "bks": bks,
        "gap_pct": round(100.0 * (check.cost - bks) / bks, 3),
        "vehicles": check.vehicles,
        "feasible": check.feasible,
        "unassigned": len(plan.unassigned),
        "seconds": round(seconds, 2),
        "status": plan.status,
    }


def main() -> None:
    """Run the selected instances, print the table and the mean gap, write the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--instances", nargs="*", default=None, help="instance names (default: all 56)")
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per instance")
    parser.add_argument("--first-solution", default="auto", choices=["auto", "ortools", "pyvrp"])
    parser.add_argument("--warm-share", type=float, default=0.7, help="share of time given to the warm start")
    parser.add_argument("--strategy", default="DEFAULT", help="OR-Tools first-solution strategy")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    params = SolveParams(
        time_limit_s=args.time_limit,
        seed=args.seed,
        first_solution=args.first_solution,
        warm_start_share=args.warm_share,
        first_solution_strategy=args.strategy,
    )
    rows = []
    print(f"{'instance':<8} {'cost':>9} {'bks':>9} {'gap%':>7} {'veh':>4} {'feasible':>8} {'s':>6}")
    for instance in load_set("solomon", args.instances):
        row = run_one(instance, params)
        rows.append(row)
        print(
            f"{row['instance']:<8} {row['cost']:>9.2f} {row['bks']:>9.2f} {row['gap_pct']:>7.2f} "
            f"{row['vehicles']:>4} {row['feasible']!s:>8} {row['seconds']:>6.1f}",
            flush=True,
        )
    gaps = [float(r["gap_pct"]) for r in rows]  # type: ignore[arg-type]
    feasible = sum(1 for r in rows if r["feasible"] and r["unassigned"] == 0)
    summary = {
        "time_limit_s": args.time_limit,
        "first_solution": args.first_solution,
        "warm_start_share": args.warm_share,
        "strategy": args.strategy,
        "instances": len(rows),
        "mean_gap_pct": round(float(np.mean(gaps)), 3) if gaps else None,
        "feasible": feasible,
        "rows": rows,
    }
    print(f"mean gap {summary['mean_gap_pct']} %  feasible {feasible}/{len(rows)}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
