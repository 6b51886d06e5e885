"""Arcs no feasible route can use, found from time windows, ride limits and capacities (Cordeau, 2006).

Pure numpy; `routing._ortools` removes these arcs from OR-Tools' next-variable domains so that the search
never builds or tries them. Every test is a relaxation of the real constraints (travel times are lower
bounds, legs that need not be direct use shortest paths, other stops' service is ignored), so no feasible
route is lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
BoolMatrix = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Nodes:
    """What the pruning needs to know of the stops, each array indexed by node (0..n-1).

    `earliest`/`latest` bound the service start, `service` is the time spent at the node, `travel` a lower
    bound on the travel time between nodes, `load` what a pickup adds (per load kind) and `capacity` the
    largest any vehicle carries; `pairs` are (pickup node, delivery node, most seconds from the pickup's
    service start to the delivery's).
    """

    earliest: IntArray
    latest: IntArray
    service: IntArray
    travel: IntArray
    load: IntArray
    capacity: IntArray
    pairs: Sequence[tuple[int, int, int]]


def impossible_arcs(nodes: Nodes) -> BoolMatrix:
    """`out[a, b]` is True when no feasible route goes straight from node `a` to node `b`."""
    e, lat, s, t = nodes.earliest, nodes.latest, nodes.service, nodes.travel
    out: BoolMatrix = (e + s)[:, None] + t > lat[None, :]
    np.fill_diagonal(out, False)
    if len(nodes.pairs) < 2:
        return out
    sp = _shortest_paths(t)
    pick = np.array([p for p, _, _ in nodes.pairs])
    drop = np.array([d for _, d, _ in nodes.pairs])
    limit = np.array([r for _, _, r in nodes.pairs], dtype=np.int64)
    both_fit = np.all(nodes.load[pick][:, None, :] + nodes.load[pick][None, :, :] <= nodes.capacity, axis=2)
    # Node sequences per arc kind, as (request, end) with request 0 = i, 1 = j; `arc` is the leg of the
    # sequence that is the arc itself (travelled directly), the others may pass other stops.
    orders = {
        "pp": [(((0, 0), (1, 0), (0, 1), (1, 1)), 0), (((0, 0), (1, 0), (1, 1), (0, 1)), 0)],
        "dd": [(((0, 0), (1, 0), (0, 1), (1, 1)), 2), (((1, 0), (0, 0), (0, 1), (1, 1)), 2)],
        "pd": [(((1, 0), (0, 0), (1, 1), (0, 1)), 1)],
        "dp": [(((0, 0), (0, 1), (1, 0), (1, 1)), 1)],
    }
    ends = (pick, drop)
    for kind, sequences in orders.items():
        feasible = np.zeros((len(pick), len(pick)), dtype=bool)
        for sequence, arc in sequences:
            feasible |= _sequence_feasible(nodes, t, sp, ends, limit, sequence, arc)
        if kind != "dp":
            feasible &= both_fit  # both requests are on board together
        np.fill_diagonal(feasible, True)  # i = j is not a two-request sequence
        a, b = ends[kind[0] == "d"], ends[kind[1] == "d"]
        out[a[:, None], b[None, :]] |= ~feasible
    return out


def _shortest_paths(travel: IntArray) -> IntArray:
    sp = travel.copy()
    for k in range(len(sp)):
        np.minimum(sp, sp[:, k : k + 1] + sp[k : k + 1, :], out=sp)
    return sp


def _sequence_feasible(
    nodes: Nodes,
    t: IntArray,
    sp: IntArray,
    ends: tuple[IntArray, IntArray],
    limit: IntArray,
    sequence: tuple[tuple[int, int], ...],
    arc: int,
) -> BoolMatrix:
    """For every request pair (i, j): can `sequence` be scheduled within windows and ride limits?

    A simple temporal network on the four service starts and a zero point, solved for all pairs at once
    by Floyd-Warshall; it is infeasible exactly when a negative cycle appears.
    """
    n = len(ends[0])
    grid = (np.arange(n)[:, None], np.arange(n)[None, :])
    node = [ends[end][grid[request]] for request, end in sequence]
    size = len(sequence) + 1
    zero = len(sequence)
    big = np.int64(1) << 50
    dist = np.full((size, size, n, n), big, dtype=np.int64)
    for k in range(size):
        dist[k, k] = 0
    for k, v in enumerate(node):
        dist[zero, k] = nodes.latest[v]
        dist[k, zero] = -nodes.earliest[v]
    for k in range(len(sequence) - 1):
        leg = (t if k == arc else sp)[node[k], node[k + 1]]
        dist[k + 1, k] = np.minimum(dist[k + 1, k], -(nodes.service[node[k]] + leg))
    for request in (0, 1):
        p = sequence.index((request, 0))
        d = sequence.index((request, 1))
        dist[p, d] = np.minimum(dist[p, d], limit[grid[request]])
    for k in range(size):
        np.minimum(dist, dist[:, k : k + 1] + dist[k : k + 1, :], out=dist)
    diagonal = np.stack([dist[k, k] for k in range(size)])
    result: BoolMatrix = np.all(diagonal >= 0, axis=0)
    return result
