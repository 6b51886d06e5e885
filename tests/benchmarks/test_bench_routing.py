"""The harness compares solvers only on route sets that pass the checker, and averages what it shows."""

from __future__ import annotations

from pathlib import Path

from benchmarks.bench_routing import gap_pct, ratio, row_record, summary
from benchmarks.checker import evaluate
from benchmarks.competitors import SolverRun
from benchmarks.instances import Instance, load_set


def _run(instance: Instance, name: str, routes: list[list[int]]) -> SolverRun:
    clean = tuple(tuple(r) for r in routes)
    return SolverRun(name, clean, 1.0, evaluate(instance, clean))


def test_infeasible_runs_get_no_gap_and_no_ratio(shared_data: Path) -> None:
    """A run our checker rejects is shown but never enters a gap or an ours ÷ theirs ratio."""
    (c101,) = load_set("solomon", ["C101"], root=shared_data)
    singles = _run(c101, "ours", [[n] for n in range(1, 101)])  # 100 routes for 25 vehicles
    assert not singles.feasible
    assert gap_pct(singles, c101) is None
    assert ratio(singles, singles) is None


def test_the_summary_averages_feasible_gaps_only(shared_data: Path) -> None:
    """Means count the feasible runs and leave the infeasible one out of the mean gap."""
    (x,) = load_set("cvrp", ["X-n101-k25"], root=shared_data)
    text = (shared_data / "cvrplib_x" / "X-n101-k25.sol").read_text(encoding="utf-8")
    best = [
        [int(n) for n in line.split(":")[1].split()] for line in text.splitlines() if line.startswith("Route")
    ]
    good = row_record(x, {"ours": _run(x, "ours", best), "pyvrp": _run(x, "pyvrp", best)})
    bad = row_record(x, {"ours": _run(x, "ours", best[:-1]), "pyvrp": _run(x, "pyvrp", best)})
    means = summary([good, bad], ["ours", "pyvrp"])
    assert good["ours_over_pyvrp"] == 1.0 and bad["ours_over_pyvrp"] is None
    assert means["ours"]["feasible"] == 1 and means["ours"]["mean_gap_pct"] == 0.0
    assert means["pyvrp"]["feasible"] == 2
