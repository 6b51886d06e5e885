"""Compare our route planner with PyVRP and VROOM on the literature sets and the real-street day.

Run from the repository root, for example:

    nice -n 5 .venv/bin/python -m benchmarks.bench_routing --set solomon --time-limit 10

Every solver gets the same integer matrix and the same time limit in the same run, one after the other
on one core each; costs and feasibility come from `benchmarks.checker`, never from a solver. Prints a
table and writes `benchmarks/results/routing-<set>.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks.competitors import RUNNERS, Matrices, Runner, SolverRun, timed_run
from benchmarks.instances import Instance, load_set

# Result records are JSON documents; their values are heterogeneous by design.
Record = dict[str, Any]

RESULTS = Path(__file__).resolve().parent / "results"

# Representative subsets: two instances per Solomon class, one per GH class, and so on.
DEFAULT_INSTANCES: dict[str, tuple[str, ...]] = {
    "solomon": (
        "C101",
        "C105",
        "C201",
        "C205",
        "R101",
        "R109",
        "R201",
        "R209",
        "RC101",
        "RC105",
        "RC201",
        "RC205",
    ),
    "gh1000": ("c1_10_1", "r1_10_1", "rc1_10_1", "c2_10_1", "r2_10_1", "rc2_10_1"),
    "lilim": ("lc101", "lc201", "lr101", "lr201", "lrc101", "lrc201"),
    "darp": tuple(f"{c}{k}-{12 * k}" for c in "ab" for k in range(2, 9)),  # the 14 with known optima
    "cvrp": ("X-n101-k25", "X-n200-k36", "X-n303-k21"),
    "street": ("hot1000", "milk5000"),
}


def iter_instances(set_name: str, names: Sequence[str] | None, seed: int) -> Iterator[tuple[Instance, float]]:
    """Yield each instance with the seconds it took to load (for the street day: addresses + matrices).

    A generator, so only one 5,000-stop matrix pair is held at a time.
    """
    if set_name == "street":
        from benchmarks.street_day import build_day

        for name in names or DEFAULT_INSTANCES["street"]:
            start = time.perf_counter()
            instance = build_day(name, seed)
            yield instance, time.perf_counter() - start
        return
    start = time.perf_counter()
    instances = (
        load_set(set_name) if names == ["all"] else load_set(set_name, names or DEFAULT_INSTANCES[set_name])
    )
    share = (time.perf_counter() - start) / max(len(instances), 1)
    for instance in instances:
        yield instance, share


def runners(solvers: Sequence[str], first_solution: str) -> dict[str, Runner]:
    """Map solver names to runners; ours is imported only when asked for."""
    out: dict[str, Runner] = {}
    for name in solvers:
        if name == "ours":
            from benchmarks.to_problem import run_ours

            out[name] = partial(run_ours, first_solution=first_solution)
        elif name in RUNNERS:
            out[name] = RUNNERS[name]
        else:
            raise SystemExit(f"unknown solver {name!r}; choose from ours, {', '.join(RUNNERS)}")
    return out


def gap_pct(run: SolverRun, instance: Instance) -> float | None:
    """Gap of a feasible run to the best-known value, in per cent."""
    if instance.bks is None or run.cost is None or not run.feasible:
        return None
    return 100.0 * (run.cost - instance.bks) / instance.bks


def ratio(ours: SolverRun | None, theirs: SolverRun | None) -> float | None:
    """Our cost ÷ theirs, only when both route sets pass the checker."""
    if ours is None or theirs is None or not (ours.feasible and theirs.feasible):
        return None
    assert ours.cost is not None and theirs.cost
    return ours.cost / theirs.cost


def row_record(instance: Instance, runs: dict[str, SolverRun], load_s: float = 0.0) -> Record:
    """Everything measured on one instance, as JSON-ready data (routes included, for audit)."""
    record: Record = {
        "instance": instance.name,
        "load_s": round(load_s, 3),
        "customers": instance.num_customers,
        "bks": instance.bks,
        "bks_vehicles": instance.bks_vehicles,
        "runs": {},
    }
    for name, run in runs.items():
        e = run.evaluation
        record["runs"][name] = {
            "cost": None if run.cost is None else round(run.cost, 4),
            "gap_pct": gap_pct(run, instance),
            "vehicles": None if e is None else e.vehicles,
            "feasible": run.feasible,
            "ride_time_violations": None if e is None else e.ride_time_violations,
            "violations": [] if e is None else list(e.violations[:10]),
            "num_violations": None if e is None else len(e.violations),
            "wall_s": round(run.wall_s, 3),
            "notes": list(run.notes),
            "error": run.error,
            "routes": [list(r) for r in run.routes],
        }
    for other in ("pyvrp", "vroom"):
        record[f"ours_over_{other}"] = ratio(runs.get("ours"), runs.get(other))
    return record


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.fmean(present) if present else None


def summary(records: list[Record], solvers: Sequence[str]) -> Record:
    """Set means: gap and wall time per solver over its feasible runs, ratios where both are feasible."""
    out: Record = {"instances": len(records)}
    for name in solvers:
        runs = [r["runs"][name] for r in records]
        out[name] = {
            "feasible": sum(1 for run in runs if run["feasible"]),
            "mean_gap_pct": _mean([run["gap_pct"] for run in runs]),
            "mean_wall_s": _mean([run["wall_s"] for run in runs]),
            "ride_time_violations": sum(run["ride_time_violations"] or 0 for run in runs),
        }
    for other in ("pyvrp", "vroom"):
        out[f"mean_ours_over_{other}"] = _mean([r.get(f"ours_over_{other}") for r in records])
    return out


def _fmt(value: object, spec: str = ".2f") -> str:
    return "—" if value is None else format(value, spec)


def print_table(set_name: str, records: list[Record], means: Record, solvers: list[str]) -> None:
    """One line per instance, then the means; ✗ marks a route set our checker rejected."""
    head = f"{'instance':<12}{'n':>6}{'BKS':>11}"
    for name in solvers:
        head += f"{name:>12}{'gap%':>7}{'s':>6}{'ok':>3}"
    head += "".join(f"{'÷' + o:>8}" for o in ("pyvrp", "vroom") if o in solvers and "ours" in solvers)
    print(f"\n{set_name}\n{head}")
    for r in records:
        line = f"{r['instance']:<12}{r['customers']:>6}{_fmt(r['bks'], '.1f'):>11}"
        for name in solvers:
            run = r["runs"][name]
            ok = "✓" if run["feasible"] else "✗"
            line += f"{_fmt(run['cost'], '.1f'):>12}{_fmt(run['gap_pct']):>7}{run['wall_s']:>6.1f}{ok:>3}"
        for other in ("pyvrp", "vroom"):
            if other in solvers and "ours" in solvers:
                line += f"{_fmt(r[f'ours_over_{other}'], '.3f'):>8}"
        print(line)
    line = f"{'mean':<29}"
    for name in solvers:
        m = means[name]
        line += f"{'':>12}{_fmt(m['mean_gap_pct']):>7}{_fmt(m['mean_wall_s'], '.1f'):>6}{m['feasible']:>3}"
    for other in ("pyvrp", "vroom"):
        if other in solvers and "ours" in solvers:
            line += f"{_fmt(means[f'mean_ours_over_{other}'], '.3f'):>8}"
    print(line)


def markdown(document: Record) -> str:
    """A result JSON as a Markdown table for BENCHMARKS.md (✗ = rejected by the checker)."""
    solvers: list[str] = document["solvers"]
    others = [o for o in ("pyvrp", "vroom") if o in solvers and "ours" in solvers]
    head = ["instance", "n", "BKS"]
    for name in solvers:
        head += [name, "gap %", "s"]
    head += [f"ours ÷ {o}" for o in others]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in document["instances"]:
        cells = [r["instance"], str(r["customers"]), _fmt(r["bks"], ".1f")]
        for name in solvers:
            run = r["runs"][name]
            mark = "" if run["feasible"] else " ✗"
            cells += [_fmt(run["cost"], ".1f") + mark, _fmt(run["gap_pct"]), f"{run['wall_s']:.1f}"]
        cells += [_fmt(r[f"ours_over_{o}"], ".3f") for o in others]
        lines.append("| " + " | ".join(cells) + " |")
    means = document["means"]
    cells = ["**mean**", "", ""]
    for name in solvers:
        m = means[name]
        cells += [
            f"{m['feasible']}/{means['instances']} feasible",
            _fmt(m["mean_gap_pct"]),
            _fmt(m["mean_wall_s"], ".1f"),
        ]
    cells += [_fmt(means[f"mean_ours_over_{o}"], ".3f") for o in others]
    lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def code_state() -> dict[str, object]:
    """The commit measured, and whether `routing/` had uncommitted edits (it is developed alongside)."""
    root = Path(__file__).resolve().parent.parent

    def git(*args: str) -> str:
        try:
            done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            return ""
        return done.stdout.strip()

    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "routing_dirty": bool(git("status", "--porcelain", "routing")),
    }


def versions() -> dict[str, str]:
    """Library versions in this run, so a figure can be traced to the code that produced it."""
    out = {"python": platform.python_version()}
    for package in ("ortools", "pyvrp", "pyvroom", "numpy"):
        try:
            out[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            out[package] = "absent"
    return out


def _arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--set", choices=sorted(DEFAULT_INSTANCES))
    parser.add_argument(
        "--instances", help="comma-separated names, or 'all' (default: a representative subset)"
    )
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per solver per instance")
    parser.add_argument("--solvers", default="ours,pyvrp,vroom")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--ours-first-solution", default="auto", choices=("auto", "ortools", "pyvrp"))
    parser.add_argument(
        "--json", type=Path, help="output path (default benchmarks/results/routing-<set>.json)"
    )
    parser.add_argument("--markdown-from", type=Path, help="print a saved result JSON as Markdown and exit")
    return parser


def run_set(args: argparse.Namespace, solvers: list[str]) -> list[Record]:
    """Every chosen solver on every instance, one after the other, sharing one matrix per instance."""
    chosen = runners(solvers, args.ours_first_solution)
    names = [n.strip() for n in args.instances.split(",")] if args.instances else None
    records = []
    for instance, load_s in iter_instances(args.set, names, args.seed):
        matrices = Matrices.of(instance)
        runs = {}
        for name, runner in chosen.items():
            run = runs[name] = timed_run(name, runner, instance, matrices, args.time_limit, args.seed)
            print(f"  {instance.name} {name}: {_fmt(run.cost, '.1f')} in {run.wall_s:.1f}s", file=sys.stderr)
        records.append(row_record(instance, runs, load_s))
    return records


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, run every solver on every instance, print and save the results."""
    parser = _arguments()
    args = parser.parse_args(argv)
    if args.markdown_from:
        print(markdown(json.loads(args.markdown_from.read_text(encoding="utf-8"))))
        return 0
    if args.set is None:
        parser.error("--set is required")
    solvers = [s.strip() for s in args.solvers.split(",") if s.strip()]
    load_before, started = os.getloadavg(), time.time()
    records = run_set(args, solvers)
    means = summary(records, solvers)
    print_table(args.set, records, means, solvers)
    document = {
        "set": args.set,
        "time_limit_s": args.time_limit,
        "seed": args.seed,
        "solvers": solvers,
        "ours_first_solution": args.ours_first_solution,
        "command": " ".join(["python -m benchmarks.bench_routing", *(argv or sys.argv[1:])]),
        "started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "elapsed_s": round(time.time() - started, 1),
        "machine": {"cpus": os.cpu_count(), "loadavg_before": load_before, "loadavg_after": os.getloadavg()},
        "versions": versions(),
        "code": code_state(),
        "means": means,
        "instances": records,
    }
    out = args.json or RESULTS / f"routing-{args.set}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
