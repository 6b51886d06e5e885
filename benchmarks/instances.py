"""Pure parsers for the shared routing benchmarks into one neutral, frozen instance type.

Sets and their file formats are described in `../shared/data/README.md` §2–§6 and §9. Every parser
validates what it reads and raises `ValueError("<file>:<line>: ...")` so a broken file is found at once.

Integer scaling (what every solver is given, see `integer_distances`):
- ``euclid`` (Solomon, Li & Lim, Cordeau DARP): distance = time = Euclidean, ×100 and rounded. The
  best-known values use unrounded Euclidean distances, so costs are recomputed in floating point.
- ``trunc1`` (Gehring & Homberger 1000 against the DIMACS table): each arc is truncated to one decimal,
  so the integer matrix is ``floor(10 · d)`` and the cost is exact in tenths.
- ``nint`` (CVRPLIB X): TSPLIB EUC_2D, ``floor(d + 0.5)``; the integer matrix *is* the cost.
- ``matrix`` (the street day): integer metres and seconds given by the road network.
"""

from __future__ import annotations

import csv
import math
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt

Kind = Literal["vrptw", "pdptw", "darp", "cvrp"]
Convention = Literal["euclid", "trunc1", "nint", "matrix"]
IntMatrix = npt.NDArray[np.int64]

SCALE: dict[Convention, int] = {"euclid": 100, "trunc1": 10, "nint": 1, "matrix": 1}


@dataclass(frozen=True, eq=False)
class Instance:
    """One benchmark instance; node 0 is the depot, times and distances in the file's own units.

    ``demands`` are signed: positive is picked up at the node, negative is dropped off (a VRPTW or CVRP
    customer's demand is delivered from the depot, stored positive and flagged by ``kind``).
    """

    name: str
    kind: Kind
    convention: Convention
    coords: tuple[tuple[float, float], ...]
    demands: tuple[int, ...]
    ready: tuple[float, ...]
    due: tuple[float, ...]
    service: tuple[float, ...]
    num_vehicles: int
    capacity: int
    pairs: tuple[tuple[int, int], ...] = ()
    max_ride_time: float | None = None
    max_route_duration: float | None = None
    # Hot food: at most this long from the vehicle's depot departure to the start of service, every stop.
    max_since_departure: float | None = None
    bks: float | None = None
    bks_vehicles: int | None = None
    # Only for the street day: integer road matrices (metres, seconds) over the same node order.
    distance_m: IntMatrix | None = field(default=None, repr=False)
    duration_s: IntMatrix | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        n = len(self.coords)
        lengths = {len(self.demands), len(self.ready), len(self.due), len(self.service)}
        if lengths != {n}:
            raise ValueError(f"{self.name}: per-node fields have lengths {sorted(lengths)}, expected {n}")
        if self.num_vehicles < 1 or self.capacity < 1:
            raise ValueError(f"{self.name}: needs at least one vehicle with positive capacity")
        for p, d in self.pairs:
            if not (0 < p < n and 0 < d < n):
                raise ValueError(f"{self.name}: pair ({p}, {d}) outside nodes 1..{n - 1}")

    @property
    def num_customers(self) -> int:
        """Nodes other than the depot (for pickup-delivery sets: pickups plus deliveries)."""
        return len(self.coords) - 1

    @property
    def scale(self) -> int:
        """Integer units per file unit of distance and time."""
        return SCALE[self.convention]


def shared_data_root() -> Path:
    """`<repo root>/../shared/data`, or `$KAPIDA_SHARED_DATA` when set."""
    env = os.environ.get("KAPIDA_SHARED_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def _lines(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Yield (1-based line number, whitespace-split fields) for every non-blank line."""
    with path.open(encoding="utf-8", newline=None) as fh:
        for number, raw in enumerate(fh, start=1):
            fields = raw.split()
            if fields:
                yield number, fields


def _numbers(path: Path, number: int, fields: Sequence[str], count: int) -> list[float]:
    if len(fields) != count:
        raise ValueError(f"{path}:{number}: expected {count} numbers, got {len(fields)}: {' '.join(fields)}")
    try:
        return [float(f) for f in fields]
    except ValueError:
        raise ValueError(f"{path}:{number}: not a number in: {' '.join(fields)}") from None


def _integral(path: Path, number: int, value: float, what: str) -> int:
    if value != int(value):
        raise ValueError(f"{path}:{number}: {what} must be an integer, got {value}")
    return int(value)


def _check_id(path: Path, number: int, value: float, expected: int) -> None:
    if value != expected:
        raise ValueError(f"{path}:{number}: node id {value:g} out of order, expected {expected}")


def parse_solomon(path: Path) -> Instance:
    """Solomon (and Gehring & Homberger, same format): name, `VEHICLE NUMBER CAPACITY`, customer table."""
    lines = list(_lines(path))
    if not lines:
        raise ValueError(f"{path}:1: empty file")
    name = lines[0][1][0]
    fleet: tuple[int, int] | None = None
    rows: list[tuple[int, list[float]]] = []
    state = "head"
    for number, fields in lines[1:]:
        first = fields[0].upper()
        if first in {"VEHICLE", "NUMBER", "CUSTOMER", "CUST"}:
            state = "fleet" if first in {"VEHICLE", "NUMBER"} else "table"
            continue
        if state == "fleet" and fleet is None:
            k, q = _numbers(path, number, fields, 2)
            fleet = (_integral(path, number, k, "vehicle number"), _integral(path, number, q, "capacity"))
        elif state == "table":
            values = _numbers(path, number, fields, 7)
            _check_id(path, number, values[0], len(rows))
            rows.append((number, values))
        else:
            raise ValueError(f"{path}:{number}: unexpected line: {' '.join(fields)}")
    if fleet is None or len(rows) < 2:
        raise ValueError(f"{path}:{len(lines)}: missing vehicle line or customer table")
    for number, (_, _, _, demand, ready, due, _) in rows:
        if demand < 0 or ready > due:
            raise ValueError(f"{path}:{number}: negative demand or empty time window")
    return Instance(
        name=name,
        kind="vrptw",
        convention="euclid",
        coords=tuple((v[1], v[2]) for _, v in rows),
        demands=tuple(_integral(path, n, v[3], "demand") for n, v in rows),
        ready=tuple(v[4] for _, v in rows),
        due=tuple(v[5] for _, v in rows),
        service=tuple(v[6] for _, v in rows),
        num_vehicles=fleet[0],
        capacity=fleet[1],
    )


def parse_li_lim(path: Path) -> Instance:
    """Li & Lim PDPTW: `K Q speed`, then `id x y demand earliest latest service pickup delivery`."""
    lines = list(_lines(path))
    if not lines:
        raise ValueError(f"{path}:1: empty file")
    k, q, _speed = _numbers(path, lines[0][0], lines[0][1], 3)
    rows: list[tuple[int, list[float]]] = []
    for number, fields in lines[1:]:
        values = _numbers(path, number, fields, 9)
        _check_id(path, number, values[0], len(rows))
        rows.append((number, values))
    pairs = []
    for number, v in rows[1:]:
        node, demand, pick_sib, del_sib = int(v[0]), int(v[3]), int(v[7]), int(v[8])
        if del_sib:  # a pickup names its delivery
            if pick_sib or demand <= 0 or del_sib >= len(rows):
                raise ValueError(f"{path}:{number}: pickup {node} has inconsistent siblings or demand")
            partner = rows[del_sib][1]
            if int(partner[7]) != node or int(partner[3]) != -demand:
                raise ValueError(f"{path}:{number}: delivery {del_sib} does not point back to pickup {node}")
            pairs.append((node, del_sib))
        elif not pick_sib or demand >= 0:
            raise ValueError(f"{path}:{number}: node {node} is neither a pickup nor a delivery")
    if 2 * len(pairs) != len(rows) - 1:
        raise ValueError(f"{path}:{rows[-1][0]}: {len(rows) - 1} nodes but {len(pairs)} pairs")
    return Instance(
        name=path.stem,
        kind="pdptw",
        convention="euclid",
        coords=tuple((v[1], v[2]) for _, v in rows),
        demands=tuple(int(v[3]) for _, v in rows),
        ready=tuple(v[4] for _, v in rows),
        due=tuple(v[5] for _, v in rows),
        service=tuple(v[6] for _, v in rows),
        num_vehicles=_integral(path, lines[0][0], k, "vehicle number"),
        capacity=_integral(path, lines[0][0], q, "capacity"),
        pairs=tuple(pairs),
    )


def parse_cordeau(path: Path) -> Instance:
    """Cordeau DARP: header `K N T Q L`, node lines `id x y service load earliest latest`.

    The number of requests n is derived from the node lines (the header's N is 2n in most files and n in
    six); an explicit end-depot line (id 2n+1) is accepted only if it repeats the depot.
    """
    lines = list(_lines(path))
    if not lines:
        raise ValueError(f"{path}:1: empty file")
    k, _n_header, t, q, ride = _numbers(path, lines[0][0], lines[0][1], 5)
    rows: list[tuple[int, list[float]]] = []
    for number, fields in lines[1:]:
        values = _numbers(path, number, fields, 7)
        _check_id(path, number, values[0], len(rows))
        rows.append((number, values))
    if len(rows) % 2 == 0:  # depot + 2n nodes + end depot
        number, end = rows.pop()
        if end[4] != 0 or (end[1], end[2]) != (rows[0][1][1], rows[0][1][2]):
            raise ValueError(f"{path}:{number}: end-depot line differs from the depot")
    n = (len(rows) - 1) // 2
    if n < 1:
        raise ValueError(f"{path}:{lines[-1][0]}: no requests")
    for i in range(1, n + 1):
        (pn, pick), (dn, drop) = rows[i], rows[n + i]
        if pick[4] <= 0 or drop[4] != -pick[4]:
            raise ValueError(f"{path}:{dn}: load {drop[4]:g} does not undo pickup {i} (line {pn})")
    return Instance(
        name=path.stem,
        kind="darp",
        convention="euclid",
        coords=tuple((v[1], v[2]) for _, v in rows),
        demands=tuple(_integral(path, num, v[4], "load") for num, v in rows),
        ready=tuple(v[5] for _, v in rows),
        due=tuple(v[6] for _, v in rows),
        service=tuple(v[3] for _, v in rows),
        num_vehicles=_integral(path, lines[0][0], k, "vehicle number"),
        capacity=_integral(path, lines[0][0], q, "capacity"),
        pairs=tuple((i, n + i) for i in range(1, n + 1)),
        max_ride_time=ride,
        max_route_duration=t,
    )


_SECTION = re.compile(r"^[A-Z_]+_SECTION$")


@dataclass
class _Tsplib:
    """What a TSPLIB/VRPLIB file says, before validation; `last` is the last line read, for messages."""

    spec: dict[str, str] = field(default_factory=dict)
    coords: dict[int, tuple[float, float]] = field(default_factory=dict)
    demand: dict[int, int] = field(default_factory=dict)
    depots: list[int] = field(default_factory=list)
    last: int = 0


def _read_tsplib(path: Path) -> _Tsplib:
    """Collect `KEY : value` lines and the coordinate, demand and depot sections."""
    out, section = _Tsplib(), ""
    for number, fields in _lines(path):
        out.last = number
        token = fields[0].rstrip(":")
        if _SECTION.match(token):
            section = token
        elif token == "EOF":
            break
        elif not section or ":" in " ".join(fields):
            key, _, value = " ".join(fields).partition(":")
            out.spec[key.strip()], section = value.strip(), ""
        elif section == "NODE_COORD_SECTION":
            i, x, y = _numbers(path, number, fields, 3)
            out.coords[int(i)] = (x, y)
        elif section == "DEMAND_SECTION":
            i, d = _numbers(path, number, fields, 2)
            out.demand[int(i)] = _integral(path, number, d, "demand")
        elif section == "DEPOT_SECTION":
            (i,) = _numbers(path, number, fields, 1)
            if i != -1:
                out.depots.append(int(i))
        else:
            raise ValueError(f"{path}:{number}: unsupported section {section}")
    return out


def parse_cvrplib(path: Path) -> Instance:
    """CVRPLIB `.vrp` (TSPLIB, EUC_2D, one depot). The fleet is unrestricted in CVRPLIB; we offer
    2·k vehicles, k being the minimum from the name (`-k25`), which every X best-known solution respects."""
    raw = _read_tsplib(path)
    spec, last = raw.spec, raw.last
    if spec.get("EDGE_WEIGHT_TYPE") != "EUC_2D":
        raise ValueError(f"{path}:{last}: EDGE_WEIGHT_TYPE {spec.get('EDGE_WEIGHT_TYPE')!r}, need EUC_2D")
    try:
        dimension, capacity = int(spec["DIMENSION"]), int(spec["CAPACITY"])
    except (KeyError, ValueError):
        raise ValueError(f"{path}:{last}: DIMENSION or CAPACITY missing or not an integer") from None
    ids = list(range(1, dimension + 1))
    if sorted(raw.coords) != ids or sorted(raw.demand) != ids or len(raw.depots) != 1:
        raise ValueError(f"{path}:{last}: coordinates/demands do not cover 1..{dimension} or not one depot")
    order = raw.depots + [i for i in ids if i != raw.depots[0]]
    k_min = re.search(r"-k(\d+)", spec.get("NAME", path.stem))
    return Instance(
        name=spec.get("NAME", path.stem),
        kind="cvrp",
        convention="nint",
        coords=tuple(raw.coords[i] for i in order),
        demands=tuple(raw.demand[i] for i in order),
        ready=tuple(0.0 for _ in order),
        due=tuple(math.inf for _ in order),
        service=tuple(0.0 for _ in order),
        num_vehicles=2 * int(k_min.group(1)) if k_min else dimension - 1,
        capacity=capacity,
    )


@dataclass(frozen=True)
class BestKnown:
    """A best-known objective value in the instance's own distance units, and its vehicle count."""

    value: float
    vehicles: int | None


def read_bks(path: Path, value_column: str, vehicles_column: str | None = None) -> dict[str, BestKnown]:
    """Read a best-known-value CSV into {instance: (value, vehicles)}; a bad row names its line."""
    out: dict[str, BestKnown] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        for row in reader:
            try:
                value = float(row[value_column])
                vehicles = int(row[vehicles_column]) if vehicles_column else None
            except (KeyError, TypeError, ValueError):
                raise ValueError(f"{path}:{reader.line_num}: bad or missing {value_column!r}") from None
            out[row["instance"]] = BestKnown(value, vehicles)
    return out


@dataclass(frozen=True)
class BenchmarkSet:
    """Where one set's files are, how to read them and which best-known table applies."""

    folder: str
    pattern: str
    parser: str
    bks_file: str
    bks_column: str
    vehicles_column: str | None


SETS: dict[str, BenchmarkSet] = {
    "solomon": BenchmarkSet("solomon", "*.txt", "solomon", "bks_distance.csv", "distance", "vehicles_used"),
    "gh1000": BenchmarkSet(
        "gehring_homberger/n1000", "*.txt", "solomon", "../bks_dimacs_n1000.csv", "distance", "vehicles"
    ),
    "lilim": BenchmarkSet("li_lim_pdptw", "*.txt", "li_lim", "bks.csv", "distance", "vehicles"),
    "darp": BenchmarkSet("darp_cordeau", "*.txt", "cordeau", "bks.csv", "routing_cost", "vehicles"),
    "cvrp": BenchmarkSet("cvrplib_x", "*.vrp", "cvrplib", "bks.csv", "cost", "vehicles_in_bks"),
}

PARSERS = {
    "solomon": parse_solomon,
    "li_lim": parse_li_lim,
    "cordeau": parse_cordeau,
    "cvrplib": parse_cvrplib,
}


def instance_files(set_name: str, root: Path | None = None) -> list[Path]:
    """All instance files of a set, sorted by name."""
    spec = SETS[set_name]
    return sorted((root or shared_data_root()).joinpath(spec.folder).glob(spec.pattern))


def load_instance(set_name: str, path: Path, root: Path | None = None) -> Instance:
    """Parse one file of a set and attach its best-known value (None when the table has none)."""
    spec = SETS[set_name]
    instance = PARSERS[spec.parser](path)
    if set_name == "gh1000":  # the DIMACS table truncates every arc to one decimal
        instance = replace(instance, convention="trunc1")
    table = read_bks(
        (root or shared_data_root()) / spec.folder / spec.bks_file, spec.bks_column, spec.vehicles_column
    )
    best = table.get(instance.name) or table.get(path.stem)
    if best is None:
        return instance
    return replace(instance, bks=best.value, bks_vehicles=best.vehicles)


def load_set(set_name: str, names: Sequence[str] | None = None, root: Path | None = None) -> list[Instance]:
    """Load a set, or only the named instances of it (names are file stems, case-insensitive)."""
    files = instance_files(set_name, root)
    if names:
        wanted = {n.lower() for n in names}
        files = [f for f in files if f.stem.lower() in wanted]
        missing = wanted - {f.stem.lower() for f in files}
        if missing:
            raise ValueError(f"{set_name}: no instance file for {sorted(missing)}")
    return [load_instance(set_name, f, root) for f in files]


def exact_distances(instance: Instance) -> npt.NDArray[np.float64]:
    """Distances in the best-known value's convention (unrounded, truncated or nint), file units."""
    if instance.convention == "matrix":
        if instance.distance_m is None:
            raise ValueError(f"{instance.name}: matrix convention without a distance matrix")
        return instance.distance_m.astype(np.float64)
    xy = np.asarray(instance.coords, dtype=np.float64)
    d = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    if instance.convention == "trunc1":
        return np.floor(10.0 * d) / 10.0
    if instance.convention == "nint":
        return np.floor(d + 0.5)
    return d


def integer_distances(instance: Instance) -> IntMatrix:
    """The integer matrix every solver gets (distance = travel time except on the street day)."""
    if instance.convention == "matrix":
        assert instance.distance_m is not None
        return instance.distance_m.astype(np.int64)
    # euclid: ×100 rounded; trunc1 and nint are already on their integer grid, rint only removes noise.
    return np.rint(exact_distances(instance) * instance.scale).astype(np.int64)


def integer_durations(instance: Instance) -> IntMatrix:
    """Integer travel times: the road durations on the street day, the distances everywhere else."""
    if instance.convention == "matrix":
        assert instance.duration_s is not None
        return instance.duration_s.astype(np.int64)
    return integer_distances(instance)


def scaled(instance: Instance, values: Sequence[float]) -> list[int]:
    """File-unit times (windows, service, ride and route limits) in the integer units of the matrices."""
    horizon = 2**40  # stands for an open window without overflowing int64 sums
    return [horizon if math.isinf(v) else round(v * instance.scale) for v in values]
