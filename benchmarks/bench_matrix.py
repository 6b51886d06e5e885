"""Benchmark: N×N travel-time matrices on real networks against a per-source networkx Dijkstra baseline.

Run: `.venv/bin/python benchmarks/bench_matrix.py [--sizes 1000 5000] [--repeats 3]`.
Prints a table and writes `benchmarks/results/matrix.json`.

Points: on Rize, households sampled in residential buildings (`maps.sample_residential_addresses`);
on Antakya (a GraphML without buildings), points within ~50 m of random junctions.
Ours: `maps.travel_matrices` end to end (snapping to edges, Dijkstra from the needed nodes only,
part-edge and access offsets, fastest-route distances), no disk cache, median of the repeats;
the cache-hit re-plan is timed separately. Baseline: for each point's nearest junction, networkx's
`single_source_dijkstra_path_length` (times only, no mid-edge snapping: less work than ours).
Memory: peak of Python/numpy allocations (tracemalloc) during one of our runs.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import maps
from maps.sources import ANTAKYA_SAMPLE, RIZE_SAMPLE

RESULTS = Path(__file__).resolve().parent / "results" / "matrix.json"


def rize_points(network: maps.RoadNetwork, n: int) -> list[tuple[float, float]]:
    """Household locations in Rize's residential buildings (seed 7)."""
    homes = maps.sample_residential_addresses(network.report.source, n, seed=7, network=network)
    return [(h.lat, h.lon) for h in homes]


def junction_points(network: maps.RoadNetwork, n: int) -> list[tuple[float, float]]:
    """Points scattered within ~50 m of random junctions (for a network without buildings)."""
    rng = np.random.default_rng(7)
    near = rng.choice(network.n_nodes, n, replace=n > network.n_nodes)
    lat = network.node_lat[near] + rng.normal(0, 3e-4, n)
    lon = network.node_lon[near] + rng.normal(0, 3e-4, n)
    return list(zip(lat.tolist(), lon.tolist(), strict=True))


def time_ours(network: maps.RoadNetwork, points: list[tuple[float, float]], repeats: int) -> dict[str, Any]:
    """Median wall time without cache, peak memory, and the cache-hit time of a re-plan."""
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = maps.travel_matrices(network, points)
        runs.append(time.perf_counter() - start)
    tracemalloc.start()
    maps.travel_matrices(network, points)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    with tempfile.TemporaryDirectory() as cache:
        maps.travel_matrices(network, points, cache_dir=Path(cache))
        start = time.perf_counter()
        hit = maps.travel_matrices(network, points, cache_dir=Path(cache))
        cached_s = time.perf_counter() - start
        assert hit.from_cache
    return {
        "ours_s": statistics.median(runs),
        "ours_runs_s": runs,
        "cache_hit_s": cached_s,
        "peak_mib": peak / 2**20,
        "result_mib": (result.duration_s.nbytes + result.distance_m.nbytes) / 2**20,
        "mean_duration_s": float(result.duration_s.mean()),
    }


def time_baseline(network: maps.RoadNetwork, points: list[tuple[float, float]]) -> float:
    """Per-source networkx Dijkstra from each point's nearest junction, gathering the N×N times."""
    snapped = maps.snap_points(network, points)
    ends = np.where(snapped.fraction < 0.5, network.edge_u[snapped.edge], network.edge_v[snapped.edge])
    nodes = [int(network.node_ids[i]) for i in ends]
    start = time.perf_counter()
    matrix = np.empty((len(nodes), len(nodes)))
    for i, source in enumerate(nodes):
        lengths = nx.single_source_dijkstra_path_length(network.graph, source, weight="travel_time")
        matrix[i] = [lengths[t] for t in nodes]
    return time.perf_counter() - start


def run(sizes: list[int], repeats: int, baseline_max: int) -> list[dict[str, Any]]:
    """All cases: each size on Rize (households), and 1,000 points on Antakya."""
    data = maps.shared_data_dir()
    rows = []
    for city, path, make_points, city_sizes in (
        ("Rize", data / RIZE_SAMPLE, rize_points, sizes),
        ("Antakya", data / ANTAKYA_SAMPLE, junction_points, [min(sizes)]),
    ):
        start = time.perf_counter()
        network = maps.load_network(path)
        load_s = time.perf_counter() - start
        for n in city_sizes:
            points = make_points(network, n)
            row: dict[str, Any] = {
                "city": city,
                "n": n,
                "nodes": network.report.nodes,
                "edges": network.report.edges,
            }
            row["load_network_s"] = load_s
            row.update(time_ours(network, points, repeats))
            row["baseline_s"] = time_baseline(network, points) if n <= baseline_max else None
            row["ratio"] = row["baseline_s"] / row["ours_s"] if row["baseline_s"] else None
            rows.append(row)
            print_row(row)
    return rows


def print_row(row: dict[str, Any]) -> None:
    """One line of the results table."""
    baseline = f"{row['baseline_s']:8.2f}" if row["baseline_s"] else "       -"
    ratio = f"{row['ratio']:7.1f}x" if row["ratio"] else "       -"
    print(
        f"{row['city']:8} {row['n']:>6} {row['nodes']:>6} {row['ours_s']:8.3f} {row['cache_hit_s']:8.3f} "
        f"{baseline} {ratio} {row['peak_mib']:9.0f} {row['result_mib']:8.0f}",
        flush=True,
    )


def main() -> None:
    """Parse arguments, run, print, write JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--baseline-max", type=int, default=5000, help="skip the baseline above this N")
    args = parser.parse_args()
    columns = ("city", "N", "nodes", "ours_s", "cached", "nx_s", "ratio", "peak_MiB", "out_MiB")
    widths = (8, 6, 6, 8, 8, 8, 8, 9, 8)
    print(
        " ".join(f"{c:{'>' if i else '<'}{w}}" for i, (c, w) in enumerate(zip(columns, widths, strict=True)))
    )
    rows = run(args.sizes, args.repeats, args.baseline_max)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    meta = {"python": platform.python_version(), "machine": platform.machine(), "nx": nx.__version__}
    RESULTS.write_text(json.dumps({"meta": meta, "rows": rows}, indent=2), encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
