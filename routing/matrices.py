"""Where travel matrices come from when a problem is too big for one full matrix (the milk programme).

A `MatrixSource` answers for any subset of location ids; the road-network version lives with `maps` on
the service side, `EuclideanSource` (straight lines with a detour factor) serves tests and benchmarks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from routing.model import IntMatrix


class MatrixSource(Protocol):
    """Travel times (s) and distances (m) among a subset of locations, and their planar coordinates."""

    def matrices(self, locations: Sequence[int]) -> tuple[IntMatrix, IntMatrix]:
        """(duration_s, distance_m) between the given locations, in the given order."""
        ...

    def coordinates(self, locations: Sequence[int]) -> npt.NDArray[np.float64]:
        """Planar (x, y) in metres of the given locations; used to group neighbours."""
        ...


class EuclideanSource:
    """Straight-line distance times `detour`, driven at `speed_mps`: a stand-in for a road network."""

    def __init__(self, xy: npt.ArrayLike, *, speed_mps: float = 8.0, detour: float = 1.3) -> None:
        self.xy = np.asarray(xy, dtype=np.float64)
        if self.xy.ndim != 2 or self.xy.shape[1] != 2 or not np.all(np.isfinite(self.xy)):
            raise ValueError("xy must be an (n, 2) array of finite coordinates in metres")
        if speed_mps <= 0 or detour < 1:
            raise ValueError("speed must be positive and detour at least 1")
        self.speed_mps, self.detour = speed_mps, detour

    def matrices(self, locations: Sequence[int]) -> tuple[IntMatrix, IntMatrix]:
        """Rounded road-like metres and the seconds to drive them."""
        pts = self.xy[np.asarray(locations, dtype=np.int64)]
        metres = np.hypot(pts[:, None, 0] - pts[None, :, 0], pts[:, None, 1] - pts[None, :, 1]) * self.detour
        return np.rint(metres / self.speed_mps).astype(np.int64), np.rint(metres).astype(np.int64)

    def coordinates(self, locations: Sequence[int]) -> npt.NDArray[np.float64]:
        """The stored coordinates of the locations."""
        return self.xy[np.asarray(locations, dtype=np.int64)]
