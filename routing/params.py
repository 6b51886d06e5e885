"""Solver parameters, checked when they are made."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FirstSolution = Literal["auto", "ortools", "pyvrp"]

_STRATEGIES = (
    "DEFAULT",
    "PARALLEL_CHEAPEST_INSERTION",
    "LOCAL_CHEAPEST_INSERTION",
    "SEQUENTIAL_CHEAPEST_INSERTION",
    "PATH_CHEAPEST_ARC",
    "SAVINGS",
    "CHRISTOFIDES",
    "AUTOMATIC",
)


@dataclass(frozen=True)
class SolveParams:
    """How long and how to search.

    The search always stops at `time_limit_s`; a `solution_limit` stops it earlier after that many
    improving solutions, which (unlike a time limit) makes the plan independent of machine speed and
    therefore deterministic. `first_solution="pyvrp"` asks PyVRP's iterated local search for the
    starting routes (only for problems it can represent: no pairs, skills, hot-food limits, multiple
    windows or speed factors); OR-Tools then reads them, re-checks every constraint and keeps
    improving. `"auto"` uses PyVRP when it is installed and applicable, and `warm_start_share` of the
    time goes to it, or, when `warm_start_iterations` is set, that many PyVRP iterations (within the
    same time share), which keeps the plan deterministic together with a `solution_limit`.

    `first_solution_strategy="DEFAULT"` picks OR-Tools' parallel cheapest insertion; a pickup-and-delivery
    problem with at least two seconds to search is searched twice, from parallel and from local cheapest
    insertion with half the time each, and the better plan is kept (measured on Cordeau's DARP: each start
    wins on some instances). Any OR-Tools `FirstSolutionStrategy` name may be given instead (one search).
    With a `solution_limit`, each of the two searches stops after that many solutions.
    """

    time_limit_s: float = 10.0
    solution_limit: int | None = None
    seed: int = 0
    first_solution: FirstSolution = "auto"
    warm_start_share: float = 0.7
    warm_start_iterations: int | None = None
    first_solution_strategy: str = "DEFAULT"
    gls_lambda: float = 0.1
    log_search: bool = False

    def __post_init__(self) -> None:
        if not self.time_limit_s > 0:
            raise ValueError(f"time_limit_s must be positive, got {self.time_limit_s}")
        if self.solution_limit is not None and self.solution_limit < 1:
            raise ValueError(f"solution_limit must be >= 1, got {self.solution_limit}")
        if self.first_solution not in ("auto", "ortools", "pyvrp"):
            raise ValueError(f"first_solution must be auto, ortools or pyvrp, got {self.first_solution!r}")
        if not 0.0 < self.warm_start_share < 1.0:
            raise ValueError(f"warm_start_share must be in (0, 1), got {self.warm_start_share}")
        if self.warm_start_iterations is not None and self.warm_start_iterations < 1:
            raise ValueError(f"warm_start_iterations must be >= 1, got {self.warm_start_iterations}")
        if self.first_solution_strategy not in _STRATEGIES:
            raise ValueError(f"unknown first_solution_strategy {self.first_solution_strategy!r}")
        if not self.gls_lambda > 0:
            raise ValueError(f"gls_lambda must be positive, got {self.gls_lambda}")
        if self.seed < 0:
            raise ValueError(f"seed must be >= 0, got {self.seed}")
