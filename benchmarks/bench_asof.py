"""As-of caseload questions over a long log: checkpoints + a short replay, against a full replay (issue 6).

Usage: python -m benchmarks.bench_asof [--events 1000000] [--moments 20] [--anchors 3] [--backend sqlite]

On a fresh SQLite file under /tmp (or PostgreSQL schema, dropped afterwards):
  1. write the event mix of `benchmarks.eventmix` (Kapıda's real commands, batched saves), its events
     stamped by a simulated clock that spreads the log over `--years` (default 2) up to now, as a real
     municipality's log is: generated in minutes, a log would pack ~200,000 events into each minute, and
     the as-of replay scans up to `CLOCK_SKEW` (15 s) of events past the moment (`--years 0`: real clock);
  2. catch the read models up as the product does, with automatic checkpoints every `--every` events
     (`KAPIDA_CHECKPOINT_EVERY`, default 50,000);
  3. at `--moments` random moments (the timestamps of random events of the log), time the as-of caseload:
     nearest checkpoint + replay up to the moment + `queries.caseload` on the copy (goal < 2 s each);
  4. the anchor: the same question answered by a full replay of the log up to the moment (`--anchors` of
     the moments), and a check that both give the same rows.
Prints a table and writes `benchmarks/results/asof.json`.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import random
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import eventsourcing.domain

from api.bootstrap import bootstrap
from benchmarks.bench_eventstore import append, fresh_store
from benchmarks.eventmix import SaveMode
from domain.database import Database
from domain.service import ISTANBUL
from projections import checkpoints, queries
from projections.asof import AsOfStats, views_as_of
from projections.caseload import CaseloadView
from projections.decoding import EventDecoder, value
from projections.runner import DEFAULT_CHECKPOINT_EVERY, Projector

RESULTS = Path(__file__).resolve().parent / "results" / "asof.json"
GOAL_S = 2.0


@dataclass
class Question:
    """One as-of caseload question and how it was answered."""

    moment: str
    position: int
    seconds: float
    cpu_s: float
    checkpoint_position: int
    events_replayed: int
    rows: int
    full_replay_s: float | None = None
    equal_to_full_replay: bool | None = None


def moments(database: Database, count: int, seed: int) -> list[tuple[int, datetime]]:
    """The timestamps of `count` random events of the log, oldest first."""
    services = bootstrap(database)
    try:
        app = services.app
        last = app.recorder.max_notification_id() or 0
        decoder = EventDecoder(app.mapper)
        picked = []
        for position in sorted(random.Random(seed).sample(range(1, last + 1), count)):
            (notification,) = app.recorder.select_notifications(position, limit=1)
            picked.append(
                (position, datetime.fromisoformat(value(decoder.decode(notification.state)["timestamp"])))
            )
        return picked
    finally:
        services.close()


def ask(
    database: Database, moment: datetime, use_checkpoints: bool
) -> tuple[float, float, AsOfStats, list[Any]]:
    """Time one as-of caseload question from a cold start (a CLI call or an API request): wall and CPU s."""
    services = bootstrap(database)
    try:
        made: list[AsOfStats] = []
        began, cpu = time.perf_counter(), time.process_time()
        with views_as_of(
            services.app,
            services.views,
            (CaseloadView(),),
            moment,
            use_checkpoints=use_checkpoints,
            stats=made,
        ) as past:
            rows = queries.caseload(past, moment.astimezone(ISTANBUL).date())
        return time.perf_counter() - began, time.process_time() - cpu, made[0], rows
    finally:
        services.close()


@contextmanager
def simulated_clock(events: int, years: float) -> Iterator[None]:
    """Stamp events as if the log had grown evenly over `years` until now (the library's clock, patched)."""
    if years <= 0:
        yield
        return
    step = timedelta(days=365.25 * years) / max(1, events)
    ticks = itertools.count()
    start = datetime.now(UTC) - step * events
    original = eventsourcing.domain.datetime_now_with_tzinfo
    eventsourcing.domain.datetime_now_with_tzinfo = lambda: start + step * next(ticks)
    try:
        yield
    finally:
        eventsourcing.domain.datetime_now_with_tzinfo = original


def catch_up_with_checkpoints(database: Database, every: int) -> tuple[float, list[dict[str, Any]]]:
    """The caseload caught up from zero as the product does, with automatic checkpoints; seconds taken."""
    services = bootstrap(database)
    try:
        projector = Projector(services.app, services.views, CaseloadView(), checkpoint_every=every)
        began = time.perf_counter()
        projector.catch_up()
        seconds = time.perf_counter() - began
        return seconds, [c for c in checkpoints.listing(services.views) if c["view"] == "caseload"]
    finally:
        services.close()


def question(
    database: Database, index: int, position: int, moment: datetime, args: argparse.Namespace
) -> Question:
    """One as-of question from checkpoints; every few, the same by a full replay (the anchor), compared."""
    seconds, cpu, made, rows = ask(database, moment, True)
    asked = Question(
        moment.isoformat(),
        position,
        round(seconds, 3),
        round(cpu, 3),
        made.checkpoint_position,
        made.events_replayed,
        len(rows),
    )
    if args.anchors and index % max(1, args.moments // args.anchors) == 0:
        full_s, _, _, full_rows = ask(database, moment, False)
        asked.full_replay_s, asked.equal_to_full_replay = round(full_s, 3), full_rows == rows
    full = asked.full_replay_s if asked.full_replay_s is not None else "-"
    print(
        f"{asked.moment[:26]:26} pos {position:>8} {asked.seconds:>7.3f} s (cpu {cpu:.3f}) from checkpoint "
        f"{made.checkpoint_position:>8} +{made.events_replayed:>6} events; full replay {full!s:>7} "
        f"equal {asked.equal_to_full_replay}",
        flush=True,
    )
    return asked


def figures(questions: list[Question]) -> dict[str, Any]:
    """p50 and max of wall and CPU seconds; the anchor's mean and the speed-up over it."""
    times, cpus = [q.seconds for q in questions], [q.cpu_s for q in questions]
    anchors = [q for q in questions if q.full_replay_s is not None]
    return {
        "asof_p50_s": round(statistics.median(times), 3),
        "asof_max_s": round(max(times), 3),
        "asof_cpu_p50_s": round(statistics.median(cpus), 3),
        "asof_cpu_max_s": round(max(cpus), 3),
        "full_replay_mean_s": round(statistics.mean(q.full_replay_s or 0 for q in anchors), 3)
        if anchors
        else None,
        "speedup_vs_full_replay": round(
            statistics.mean((q.full_replay_s or 0) / q.seconds for q in anchors), 1
        )
        if anchors
        else None,
        "all_equal_to_full_replay": all(q.equal_to_full_replay for q in anchors),
        "goal_s": GOAL_S,
    }


def run(database: Database, args: argparse.Namespace) -> dict[str, Any]:
    with simulated_clock(int(args.events * 1.01), args.years):
        stats = append(database, SaveMode.BATCHED, args.events, args.seed, 1000)
    print(
        f"log: {stats.events} events written in {stats.save_s:.1f} s (+{stats.generate_s:.1f} s generating)"
    )
    catch_up_s, stored = catch_up_with_checkpoints(database, args.every)
    print(f"catch-up with {len(stored)} checkpoints: {catch_up_s:.1f} s")
    questions = [
        question(database, index, position, moment, args)
        for index, (position, moment) in enumerate(moments(database, args.moments, args.seed))
    ]
    summary = {
        "events": stats.events,
        "checkpoint_every": args.every,
        "checkpoints": len(stored),
        "checkpoint_mib_total": round(sum(c["bytes"] for c in stored) / 2**20, 1),
        "checkpoint_mib_largest": round(max((c["bytes"] for c in stored), default=0) / 2**20, 1),
        "catch_up_with_checkpoints_s": round(catch_up_s, 1),
        **figures(questions),
    }
    return {"summary": summary, "questions": [asdict(q) for q in questions]}


def print_summary(summary: dict[str, Any], backend: str) -> None:
    print(
        f"\n{'backend':8} {'events':>9} {'checkpoints':>11} {'as-of p50 s':>11} {'as-of max s':>11} "
        f"{'cpu p50/max s':>13} {'full replay s':>13} {'speed-up':>8} {'equal':>5}\n{backend:8} "
        f"{summary['events']:>9} {summary['checkpoints']:>11} {summary['asof_p50_s']:>11} "
        f"{summary['asof_max_s']:>11} {summary['asof_cpu_p50_s']:>6}/{summary['asof_cpu_max_s']:<6} "
        f"{summary['full_replay_mean_s']!s:>13} {summary['speedup_vs_full_replay']!s:>8} "
        f"{summary['all_equal_to_full_replay']!s:>5}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument(
        "--every", type=int, default=DEFAULT_CHECKPOINT_EVERY, help="events between automatic checkpoints"
    )
    parser.add_argument(
        "--years", type=float, default=2.0, help="simulated time the log spans (0: real clock)"
    )
    parser.add_argument("--moments", type=int, default=20)
    parser.add_argument("--anchors", type=int, default=3, help="how many moments also get a full replay")
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--sqlite-dir", type=Path, default=Path("/tmp"))
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    began = datetime.now(UTC)
    load_before = os.getloadavg()
    with fresh_store(args.backend, "asof", args.sqlite_dir) as database:
        result = run(database, args)
    result.update(
        started_utc=began.isoformat(timespec="seconds"),
        finished_utc=datetime.now(UTC).isoformat(timespec="seconds"),
        backend=args.backend,
        machine={
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_avg_start": load_before,
            "load_avg_end": os.getloadavg(),
        },
        args={k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
    )
    print_summary(result["summary"], args.backend)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
