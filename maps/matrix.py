"""Many-to-many travel-time (s) and distance (m) matrices over the road network, cached on disk.

Dijkstra runs in compiled code (`scipy.sparse.csgraph.dijkstra`) once per distinct street node a point
can leave from, never per point pair. Each point reaches the network along its snapped edge, so the
entries include the part-edges at both ends plus the access leg from the door to the street.
Distances are those of the fastest route (as a navigation system reports them), not the shortest.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse.csgraph import dijkstra

from maps.network import RoadNetwork
from maps.snapping import AT_NODE_M, DEFAULT_MAX_SNAP_M, Point, SnappedPoints, check_points, snap_points
from maps.sources import REPO_ROOT
from maps.speeds import check_speed_factor

# The door-to-street leg is an unmapped driveway or a walk: deliberately slow, so that a far snap
# costs time instead of hiding it.
ACCESS_SPEED_KPH = 10.0
MATRIX_VERSION = "kapida-matrix-1"
_CHUNK_CELLS = 4_000_000
_TREE_BLOCK_CELLS = 65_536  # ~0.5 MiB per array: the pointer jumps stay in cache


@dataclass(frozen=True, eq=False)
class Matrices:
    """N×N integer matrices in input order: `duration_s[i, j]` from point i to point j (asymmetric)."""

    duration_s: np.ndarray
    distance_m: np.ndarray
    snap_distance_m: np.ndarray
    cache_key: str
    from_cache: bool


@dataclass(frozen=True)
class _Access:
    """How each point leaves (`dep_*`) and reaches (`arr_*`) the graph: up to two nodes each (-1 = none)."""

    dep_node: np.ndarray
    dep_time_s: np.ndarray
    dep_dist_m: np.ndarray
    arr_node: np.ndarray
    arr_time_s: np.ndarray
    arr_dist_m: np.ndarray


def default_cache_dir() -> Path:
    """Where the CLI and services keep matrices: `KAPIDA_CACHE_DIR`, else `<repo>/var/cache/maps`."""
    override = os.environ.get("KAPIDA_CACHE_DIR")
    return Path(override) if override else REPO_ROOT / "var" / "cache" / "maps"


def travel_matrices(
    network: RoadNetwork,
    points: Sequence[Point],
    speed_factor: float = 1.0,
    cache_dir: Path | None = None,
    max_snap_m: float = DEFAULT_MAX_SNAP_M,
) -> Matrices:
    """Travel time and distance between every ordered pair of `(lat, lon)` points.

    `speed_factor` scales every speed (0.85 = a vehicle 15 % slower). With `cache_dir`, the result is
    stored under a key of the network fingerprint, the points and the parameters, and read back on a
    re-plan; a failed run stores nothing. Duplicate, invalid or unsnappable points are refused first.
    """
    speed_factor = check_speed_factor(speed_factor)
    array = check_points(points, allow_duplicates=False)
    key = matrix_cache_key(network, array, speed_factor, max_snap_m)
    cached = _read_cache(cache_dir, key)
    if cached is not None:
        return cached
    snapped = snap_points(network, [tuple(p) for p in array.tolist()], max_snap_m=max_snap_m)
    duration, distance = _integer_matrices(network, snapped, speed_factor)
    result = Matrices(duration, distance, snapped.snap_distance_m, key, from_cache=False)
    if cache_dir is not None:
        _write_cache(cache_dir, key, result)
    return result


def matrix_cache_key(network: RoadNetwork, array: np.ndarray, speed_factor: float, max_snap_m: float) -> str:
    """A key that changes whenever the graph, the points (bit for bit) or the parameters change."""
    digest = hashlib.sha256(
        f"{MATRIX_VERSION}|{network.fingerprint}|{speed_factor!r}|{max_snap_m!r}".encode()
    )
    digest.update(np.ascontiguousarray(array, dtype=np.float64).tobytes())
    return digest.hexdigest()[:40]


def _read_cache(cache_dir: Path | None, key: str) -> Matrices | None:
    """The stored matrices for a key, or None; an unreadable cache file is ignored and recomputed."""
    if cache_dir is None:
        return None
    path = Path(cache_dir) / f"matrix-{key}.npz"
    if not path.is_file():
        return None
    try:
        with np.load(path) as data:
            return Matrices(data["duration_s"], data["distance_m"], data["snap_distance_m"], key, True)
    except (OSError, ValueError, KeyError):
        return None


def _write_cache(cache_dir: Path, key: str, result: Matrices) -> None:
    """Write atomically (temp file + rename) so a crash never leaves a half matrix behind."""
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".matrix-", suffix=".npz", dir=cache_dir)
    try:
        with os.fdopen(fd, "wb") as handle:
            np.savez(
                handle,
                duration_s=result.duration_s,
                distance_m=result.distance_m,
                snap_distance_m=result.snap_distance_m,
            )
        os.replace(tmp, cache_dir / f"matrix-{key}.npz")
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def access_options(network: RoadNetwork, snapped: SnappedPoints) -> _Access:
    """For each point, the nodes it can leave to / arrive from along its edge, with part-edge costs.

    Mid-edge on a one-way street it can only leave forwards (to the end node) and be reached from the
    start node; on a two-way street the twin edge adds the other direction. At a junction it is the node.
    """
    n = len(snapped)
    e = snapped.edge
    f = np.clip(snapped.fraction, 0.0, 1.0)
    twin = network.edge_reverse[e]
    u, v = network.edge_u[e], network.edge_v[e]
    t_e, l_e = network.edge_time_s[e], network.edge_length_m[e]
    none = np.where(twin >= 0, 0.0, np.inf)  # no twin: the second option can never be chosen
    t_r, l_r = network.edge_time_s[twin], network.edge_length_m[twin]
    dep_node = np.stack([v, np.where(twin >= 0, u, -1)], axis=1)
    dep_time = np.stack([(1 - f) * t_e, f * t_r + none], axis=1)
    dep_dist = np.stack([(1 - f) * l_e, f * l_r + none], axis=1)
    arr_node = np.stack([u, np.where(twin >= 0, v, -1)], axis=1)
    arr_time = np.stack([f * t_e, (1 - f) * t_r + none], axis=1)
    arr_dist = np.stack([f * l_e, (1 - f) * l_r + none], axis=1)
    at_start = snapped.offset_m <= AT_NODE_M
    at_end = ~at_start & (snapped.edge_len_xy_m - snapped.offset_m <= AT_NODE_M)
    for mask, node in ((at_start, u), (at_end, v)):
        for nodes, times, dists in ((dep_node, dep_time, dep_dist), (arr_node, arr_time, arr_dist)):
            nodes[mask] = np.stack([node[mask], np.full(int(mask.sum()), -1)], axis=1)
            times[mask] = [0.0, np.inf]
            dists[mask] = [0.0, np.inf]
    access_time = snapped.snap_distance_m / (ACCESS_SPEED_KPH / 3.6)
    dep_time += access_time.reshape(n, 1)
    arr_time += access_time.reshape(n, 1)
    dep_dist += snapped.snap_distance_m.reshape(n, 1)
    arr_dist += snapped.snap_distance_m.reshape(n, 1)
    return _Access(dep_node, dep_time, dep_dist, arr_node, arr_time, arr_dist)


def shortest_trees(network: RoadNetwork, sources: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fastest times (s), their route lengths (m) and predecessors from each source node to all nodes."""
    time_s, pred = dijkstra(network.csr_time_s, directed=True, indices=sources, return_predecessors=True)
    return time_s, tree_lengths(network, pred), pred


def tree_lengths(network: RoadNetwork, pred: np.ndarray) -> np.ndarray:
    """Length (m) of each tree path, by pointer doubling over the still-unfinished entries only.

    Each entry holds the length up to its current ancestor; jumping to the ancestor's ancestor
    doubles the covered depth, so log2(depth) vectorised passes suffice, with no loop per node.
    Rows go in blocks that fit the CPU cache, since the jumps gather from random columns.
    """
    n = network.n_nodes
    total = np.empty(pred.shape, dtype=float)
    block = max(1, _TREE_BLOCK_CELLS // max(1, pred.shape[1]))
    for lo in range(0, pred.shape[0], block):
        total[lo : lo + block] = _block_lengths(network, pred[lo : lo + block], n)
    return total


def _block_lengths(network: RoadNetwork, pred: np.ndarray, n: int) -> np.ndarray:
    """Pointer doubling on a block of predecessor rows (see `tree_lengths`)."""
    rows, cols = pred.shape
    flat_pred = pred.reshape(-1).astype(np.int64)
    nodes = np.tile(np.arange(cols, dtype=np.int64), rows)
    has = flat_pred >= 0
    pos = np.searchsorted(network.pair_keys, np.where(has, flat_pred * n + nodes, 0))
    total = np.where(has, network.pair_length_m[np.minimum(pos, len(network.pair_keys) - 1)], 0.0)
    anc = np.repeat(np.arange(rows, dtype=np.int64) * cols, cols) + np.where(has, flat_pred, nodes)
    active = np.flatnonzero(anc[anc] != anc)
    while len(active):
        up = anc[active]
        total[active] += total[up]
        anc[active] = anc[up]
        active = active[anc[anc[active]] != anc[active]]
    return total.reshape(rows, cols)


def _integer_matrices(
    network: RoadNetwork, snapped: SnappedPoints, speed_factor: float
) -> tuple[np.ndarray, np.ndarray]:
    """Duration (s) and distance (m) as int32 N×N: the best of each point's (≤ 2) leave and arrive options.

    Arrival options are folded into the S×N source-to-point tables first, so the N×N work is two
    contiguous row gathers per block of rows; floats exist for one block at a time only (memory).
    """
    acc = access_options(network, snapped)
    sources = np.unique(acc.dep_node[acc.dep_node >= 0])
    tree_time, tree_dist, _ = shortest_trees(network, sources)
    to_time, to_dist = _best_arrival(acc, tree_time, tree_dist)
    del tree_time, tree_dist
    row_of = np.full(network.n_nodes, -1, dtype=np.int64)
    row_of[sources] = np.arange(len(sources))
    short_i, short_j, short_t, short_d = _same_street_costs(network, snapped)
    n = len(snapped)
    duration = np.empty((n, n), dtype=np.int32)
    distance = np.empty((n, n), dtype=np.int32)
    step = max(1, _CHUNK_CELLS // n)
    for lo in range(0, n, step):
        hi = min(n, lo + step)
        best_t, best_d = _rows_best(acc, to_time, to_dist, row_of, sources[0], slice(lo, hi))
        mine = (short_i >= lo) & (short_i < hi)
        _apply_min(best_t, best_d, short_i[mine] - lo, short_j[mine], short_t[mine], short_d[mine])
        if not np.all(np.isfinite(best_t)):
            raise RuntimeError("unreachable pair in a strongly connected network: the graph is inconsistent")
        best_t /= speed_factor
        duration[lo:hi] = np.rint(best_t, out=best_t)
        distance[lo:hi] = np.rint(best_d, out=best_d)
    np.fill_diagonal(duration, 0)
    np.fill_diagonal(distance, 0)
    return duration, distance


def _rows_best(
    acc: _Access, to_time: np.ndarray, to_dist: np.ndarray, row_of: np.ndarray, spare: int, rows: slice
) -> tuple[np.ndarray, np.ndarray]:
    """Float times and distances from the points in `rows` to all points: the better leave option.

    Written with in-place operations: this is the N×N part, and temporaries cost more than arithmetic.
    """
    dep = acc.dep_node[rows]
    r = row_of[np.where(dep >= 0, dep, spare)]  # a missing option has time inf, so its row is never taken
    best_t = to_time[r[:, 0]]
    best_t += acc.dep_time_s[rows, 0, None]
    other_t = to_time[r[:, 1]]
    other_t += acc.dep_time_s[rows, 1, None]
    take = other_t < best_t
    np.copyto(best_t, other_t, where=take)
    best_d = to_dist[r[:, 0]]
    best_d += acc.dep_dist_m[rows, 0, None]
    other_d = to_dist[r[:, 1]]
    other_d += acc.dep_dist_m[rows, 1, None]
    np.copyto(best_d, other_d, where=take)
    return best_t, best_d


def _apply_min(
    best_t: np.ndarray, best_d: np.ndarray, i: np.ndarray, j: np.ndarray, t: np.ndarray, d: np.ndarray
) -> None:
    """Lower entries (i, j) to (t, d) where t is faster."""
    better = t < best_t[i, j]
    best_t[i[better], j[better]] = t[better]
    best_d[i[better], j[better]] = d[better]


def _best_arrival(
    acc: _Access, tree_time: np.ndarray, tree_dist: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """From each source node to each point (S×N): the better of the point's two arrival options."""
    best_t = tree_time[:, acc.arr_node[:, 0]] + acc.arr_time_s[None, :, 0]
    best_d = tree_dist[:, acc.arr_node[:, 0]] + acc.arr_dist_m[None, :, 0]
    second = np.flatnonzero(acc.arr_node[:, 1] >= 0)
    t = tree_time[:, acc.arr_node[second, 1]] + acc.arr_time_s[None, second, 1]
    d = tree_dist[:, acc.arr_node[second, 1]] + acc.arr_dist_m[None, second, 1]
    take = t < best_t[:, second]
    best_t[:, second] = np.where(take, t, best_t[:, second])
    best_d[:, second] = np.where(take, d, best_d[:, second])
    return best_t, best_d


def _same_street_costs(
    network: RoadNetwork, snapped: SnappedPoints
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pairs on one street section, and the cost of driving straight along it (where its direction allows).

    Such a pair may be faster than any node-to-node route (two houses on the same long street).
    """
    i, j = _same_street_pairs(network, snapped)
    e = snapped.edge
    twin = network.edge_reverse[e]
    canonical = np.where((twin >= 0) & (twin < e), twin, e)
    frac = np.clip(snapped.fraction, 0.0, 1.0)
    pos = np.where(canonical == e, frac, 1.0 - frac)  # position along the canonical edge
    along = pos[j] - pos[i]  # > 0: j lies further along the canonical edge than i
    street = canonical[i]
    used = np.where(along >= 0, street, network.edge_reverse[street])  # backwards needs the twin
    ok = used >= 0
    i, j, along, used = i[ok], j[ok], np.abs(along[ok]), used[ok]
    access_t = snapped.snap_distance_m / (ACCESS_SPEED_KPH / 3.6)
    t = along * network.edge_time_s[used] + access_t[i] + access_t[j]
    d = along * network.edge_length_m[used] + snapped.snap_distance_m[i] + snapped.snap_distance_m[j]
    return i, j, t, d


def _same_street_pairs(network: RoadNetwork, snapped: SnappedPoints) -> tuple[np.ndarray, np.ndarray]:
    """All ordered pairs (i, j), i != j, of points snapped to the same street (an edge or its twin)."""
    e = snapped.edge
    twin = network.edge_reverse[e]
    canonical = np.where((twin >= 0) & (twin < e), twin, e)
    order = np.argsort(canonical, kind="stable")
    ordered = canonical[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    group = np.repeat(np.arange(len(starts)), sizes)  # group of each sorted position
    size_of, start_of = sizes[group], starts[group]
    first = np.repeat(np.arange(len(order)), size_of)
    within = np.arange(len(first)) - np.repeat(np.cumsum(size_of) - size_of, size_of)
    second = np.repeat(start_of, size_of) + within
    i, j = order[first], order[second]
    keep = i != j
    return i[keep], j[keep]
