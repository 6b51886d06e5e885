"""A real-street delivery day on the Rize sample network: hot meals (`hotN`) or milk (`milkN`).

Deterministic for a given seed. Addresses come from `maps.sample_residential_addresses`, travel times and
distances from `maps.travel_matrices` (integer seconds and metres); nothing here invents a network.

- Hot meals (issue 4: 1,000 stops, 40 vans): vans leave the central kitchen at 11:00 and every meal must
  be handed over within 60 minutes of departure, so each household window is cut to 11:00–12:00. Most
  households take the meal any time in that hour; one in five asked for the first or the second half.
  1–3 insulated containers per household (60/30/10 %), service 45 s plus 15 s per extra container, vans
  carry 50 containers.
- Milk (5,000 stops): 1–4 litres per household (20/40/25/15 %), service 30 s, wide windows: 09:00–17:00
  for 70 %, a requested morning (09–13) or afternoon (13–17) for the rest; 40 vans of 400 litres, shift
  08:30–17:30.
The depot is the sampled address nearest the median of all sampled points (a central kitchen).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from benchmarks.instances import Instance

HOUR = 3600


@dataclass(frozen=True)
class DayRecipe:
    """The knobs of one kind of day, so the two days read side by side."""

    vans: int
    capacity: int
    depot_window: tuple[int, int]
    wide_window: tuple[int, int]
    half_windows: tuple[tuple[int, int], tuple[int, int]]
    share_half: float
    amounts: tuple[int, ...]
    amount_weights: tuple[float, ...]
    base_service_s: int
    per_extra_unit_s: int
    max_since_departure_s: int | None


HOT = DayRecipe(
    vans=40,
    capacity=50,
    depot_window=(11 * HOUR, 14 * HOUR),
    wide_window=(11 * HOUR, 12 * HOUR),
    half_windows=((11 * HOUR, 11 * HOUR + 1800), (11 * HOUR + 1800, 12 * HOUR)),
    share_half=0.2,
    amounts=(1, 2, 3),
    amount_weights=(0.6, 0.3, 0.1),
    base_service_s=45,
    per_extra_unit_s=15,
    max_since_departure_s=HOUR,
)
MILK = DayRecipe(
    vans=40,
    capacity=400,
    depot_window=(8 * HOUR + 1800, 17 * HOUR + 1800),
    wide_window=(9 * HOUR, 17 * HOUR),
    half_windows=((9 * HOUR, 13 * HOUR), (13 * HOUR, 17 * HOUR)),
    share_half=0.3,
    amounts=(1, 2, 3, 4),
    amount_weights=(0.2, 0.4, 0.25, 0.15),
    base_service_s=30,
    per_extra_unit_s=0,
    max_since_departure_s=None,
)
RECIPES = {"hot": HOT, "milk": MILK}


def parse_name(name: str) -> tuple[DayRecipe, int]:
    """`hot1000` → (HOT, 1000); anything else is refused with the accepted forms."""
    match = re.fullmatch(r"(hot|milk)(\d+)", name)
    if not match or int(match.group(2)) < 1:
        raise ValueError(f"street instance {name!r}: expected hot<N> or milk<N>, e.g. hot1000, milk5000")
    return RECIPES[match.group(1)], int(match.group(2))


def central_first(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Reorder so the point nearest the median comes first: that one becomes the depot."""
    xy = np.asarray(points, dtype=np.float64)
    centre = np.median(xy, axis=0)
    first = int(np.argmin(((xy - centre) ** 2).sum(axis=1)))
    return [points[first], *(p for k, p in enumerate(points) if k != first)]


def households(
    recipe: DayRecipe, count: int, seed: int
) -> tuple[list[int], list[tuple[int, int]], list[int]]:
    """Amounts, windows and service times for `count` households, drawn from `seed` alone."""
    rng = np.random.default_rng(seed)
    weights = np.asarray(recipe.amount_weights) / sum(recipe.amount_weights)
    amounts = [int(a) for a in rng.choice(recipe.amounts, size=count, p=weights)]
    halves = rng.random(count) < recipe.share_half
    which = rng.integers(0, 2, size=count)
    windows = [
        recipe.half_windows[int(w)] if h else recipe.wide_window for h, w in zip(halves, which, strict=True)
    ]
    service = [recipe.base_service_s + recipe.per_extra_unit_s * (a - 1) for a in amounts]
    return amounts, windows, service


def build_day(name: str, seed: int = 1) -> Instance:
    """Sample addresses on the Rize network, compute road matrices and return the neutral instance."""
    from maps import load_network, sample_residential_addresses, travel_matrices

    recipe, count = parse_name(name)
    network = load_network()  # the Rize sample, or $KAPIDA_ROADS
    addresses = sample_residential_addresses(None, count + 1, seed, network=network)
    points = central_first([(a.lat, a.lon) for a in addresses])
    matrices = travel_matrices(network, points)
    amounts, windows, service = households(recipe, count, seed)
    return Instance(
        name=name,
        kind="vrptw",
        convention="matrix",
        coords=tuple((lon, lat) for lat, lon in points),
        demands=(0, *amounts),
        ready=(float(recipe.depot_window[0]), *(float(w[0]) for w in windows)),
        due=(float(recipe.depot_window[1]), *(float(w[1]) for w in windows)),
        service=(0.0, *(float(s) for s in service)),
        num_vehicles=recipe.vans,
        capacity=recipe.capacity,
        max_since_departure=None
        if recipe.max_since_departure_s is None
        else float(recipe.max_since_departure_s),
        distance_m=np.asarray(matrices.distance_m, dtype=np.int64),
        duration_s=np.asarray(matrices.duration_s, dtype=np.int64),
    )
