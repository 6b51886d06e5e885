"""Split many stops into compact groups of bounded work: recursive weighted-median bisection.

Cutting along the longer side of each group's bounding box at the weighted median keeps groups compact
(neighbours stay together) and balanced (each side carries half the work), in O(n log n).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def bisect(
    xy: npt.NDArray[np.float64], weight: npt.NDArray[np.float64], max_weight: float
) -> list[list[int]]:
    """Index groups of `xy` whose total `weight` is at most `max_weight` (or that are single points)."""
    if max_weight <= 0:
        raise ValueError(f"max_weight must be positive, got {max_weight}")
    if len(xy) != len(weight):
        raise ValueError("xy and weight must have the same length")
    groups: list[list[int]] = []
    pending = [np.arange(len(xy))]
    while pending:
        members = pending.pop()
        if len(members) == 0:
            continue
        if weight[members].sum() <= max_weight or len(members) == 1:
            groups.append(members.tolist())
            continue
        low, high = _halves(xy[members], weight[members])
        pending += [members[high], members[low]]
    return groups


def _halves(xy: npt.NDArray[np.float64], weight: npt.NDArray[np.float64]) -> tuple[np.ndarray, np.ndarray]:
    """Positions on either side of the weighted median along the longer axis (never an empty side)."""
    spread = xy.max(axis=0) - xy.min(axis=0)
    axis = int(np.argmax(spread))
    order = np.argsort(xy[:, axis], kind="stable")
    cumulative = np.cumsum(weight[order])
    cut = int(np.searchsorted(cumulative, cumulative[-1] / 2.0))
    cut = min(max(cut, 1), len(order) - 1)
    return order[:cut], order[cut:]
