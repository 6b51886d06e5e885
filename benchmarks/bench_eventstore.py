"""Event store and projection throughput: appends, the plain read loop, and caseload rebuilds (issue 2).

Usage: python -m benchmarks.bench_eventstore [--events 1000000] [--backend sqlite|postgres|both] [--quick]

Per backend, on a fresh SQLite file under /tmp or a fresh PostgreSQL schema (dropped afterwards):
  append   single saves (one aggregate's pending events per `save`) and one save per command on a
           small sample, then batched saves (~1,000 events per `save`) of the whole log. The events
           come from Kapıda's real commands on in-memory aggregates (`benchmarks.eventmix`); only
           `Application.save` is timed.
  read     the anchor: a plain loop over `recorder.select_notifications`, doing nothing else.
  rebuild  `Projector.rebuild()` of the caseload view, per batch size, as a ratio to the read loop
           at the same batch size (it replays into memory and swaps the tables in); then where the
           time goes (read, +decode, +handlers without SQL).
Prints a table and writes `benchmarks/results/eventstore.json` (with the peak RSS after each row).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import psycopg

from benchmarks.eventmix import AppendStats, CityStory, MixWriter, SaveMode
from domain.database import Database
from domain.service import Kapida
from projections.caseload import CaseloadView
from projections.decoding import EventDecoder, event_name
from projections.runner import Projector
from projections.sql import Params, ViewDatabase

RESULTS = Path(__file__).resolve().parent / "results" / "eventstore.json"
POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
GOAL_SQLITE_REBUILD = 50_000  # events/s
GOAL_REBUILD_RATIO = 0.5  # of the plain read loop
GOAL_BATCHED_APPEND = 10_000  # events/s


@dataclass
class Row:
    """One measurement; `ratio` is events/s relative to the plain read loop at the same batch size."""

    backend: str
    measure: str
    events: int
    seconds: float
    events_per_s: float
    ratio: float | None
    # CPU time of this process and its SQL worker: what the other agents' load cannot inflate (the database
    # server's excluded)
    cpu_s: float
    peak_rss_mib: float
    note: str = ""
    # CPU time of the anchor over CPU time of this measure: on a shared, loaded machine wall-clock ratios
    # swing with the neighbours' load. A rebuild that runs its SQL in a worker uses two cores, so this ratio
    # is lower than the wall-clock one on a quiet machine: it is the cost, the wall-clock one the speed.
    cpu_ratio: float | None = None


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def row(
    backend: str, measure: str, events: int, seconds: float, anchor: float | None, cpu: float, note: str = ""
) -> Row:
    rate = events / seconds if seconds > 0 else 0.0
    ratio = round(rate / anchor, 3) if anchor else None
    return Row(
        backend,
        measure,
        events,
        round(seconds, 3),
        round(rate),
        ratio,
        round(cpu, 3),
        round(peak_rss_mib()),
        note,
    )


@contextmanager
def fresh_store(backend: str, tag: str, sqlite_dir: Path) -> Iterator[Database]:
    """A new, empty SQLite file or PostgreSQL schema, removed afterwards."""
    name = f"bench_{os.getpid()}_{tag}"
    if backend == "sqlite":
        path = sqlite_dir / f"{name}.sqlite"
        try:
            yield Database(sqlite_path=path)
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
    try:
        yield Database.from_url(f"{POSTGRES_URL}?schema={name}")
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


def append(database: Database, mode: SaveMode, events: int, seed: int, batch_events: int) -> AppendStats:
    """Tell the city's stories until `events` are saved; only `Application.save` is timed."""
    writer = MixWriter(database.eventsourcing_env(), mode, batch_events)
    try:
        return CityStory(writer, seed).write(events)
    finally:
        writer.close()


def read_loop(app: Kapida, batch: int) -> int:
    """The anchor: every notification of the log, read in batches, nothing else done with them."""
    position, count = 0, 0
    while notifications := app.recorder.select_notifications(position, limit=batch, inclusive_of_start=False):
        count += len(notifications)
        position = notifications[-1].id
    return count


def read_and(app: Kapida, batch: int, work: Callable[[Sequence[Any]], None]) -> int:
    """The read loop plus `work` on each batch: isolates the cost of decoding and of the handlers."""
    position, count = 0, 0
    while notifications := app.recorder.select_notifications(position, limit=batch, inclusive_of_start=False):
        work(notifications)
        count += len(notifications)
        position = notifications[-1].id
    return count


class NullCursor:
    """Accepts the handlers' statements and runs none: what the handlers cost in Python alone."""

    rowcount = 1

    def execute(self, sql: str, params: Params = ()) -> None:
        pass

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        pass

    def fetchall(self) -> list[Any]:
        return []

    def fetchone(self) -> Any:
        return None


def decode_all(decoder: EventDecoder) -> Callable[[Sequence[Any]], None]:
    def work(notifications: Sequence[Any]) -> None:
        for notification in notifications:
            decoder.decode(notification.state)

    return work


def handle_without_sql(decoder: EventDecoder) -> Callable[[Sequence[Any]], None]:
    """The caseload's handlers on a cursor that runs nothing, each fed as the replay feeds it (sealed
    fields opened only for handlers that read them)."""
    routes = {name: (h, decoder.decoder_for(h)) for name, h in CaseloadView.handlers.items()}
    cursor = NullCursor()

    def work(notifications: Sequence[Any]) -> None:
        for notification in notifications:
            route = routes.get(event_name(notification.topic))
            if route is not None:
                handler, decode = route
                handler(cursor, notification.originator_id.hex, decode(notification.state))

    return work


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (a rebuild's SQL worker)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(action: Callable[[], int]) -> tuple[int, float, float]:
    """What `action` returns, its wall-clock seconds and the CPU seconds it used, its worker's included."""
    began, cpu = time.perf_counter(), cpu_seconds()
    count = action()
    return count, time.perf_counter() - began, cpu_seconds() - cpu


def bench_appends(backend: str, args: argparse.Namespace, main: Database) -> list[Row]:
    """Single and per-command saves on a side store, then the whole log in batched saves."""
    rows = []
    for mode, note in (
        (SaveMode.SINGLE, "one aggregate per save"),
        (SaveMode.PER_COMMAND, "as Kapida saves"),
    ):
        with fresh_store(backend, mode.value, args.sqlite_dir) as side:
            stats = append(side, mode, args.single_events, args.seed + 1, 1)
        note += f", {stats.events / stats.saves:.1f} events per save"
        rows.append(
            row(
                backend,
                f"append, {mode.value} saves",
                stats.events,
                stats.save_s,
                None,
                stats.save_cpu_s,
                note,
            )
        )
        print_row(rows[-1])
    stats = append(main, SaveMode.BATCHED, args.events, args.seed, args.append_batch)
    per_save = stats.events / stats.saves
    note = f"{per_save:.0f} events per save; generating them took {stats.generate_s:.0f} s more"
    rows.append(
        row(backend, "append, batched saves", stats.events, stats.save_s, None, stats.save_cpu_s, note)
    )
    print_row(rows[-1])
    mix = ", ".join(f"{name} {count}" for name, count in sorted(stats.topics.items(), key=lambda kv: -kv[1]))
    print(f"{backend:9} event mix: {mix}", flush=True)
    return rows


def bench_reads_and_rebuilds(backend: str, args: argparse.Namespace, database: Database) -> list[Row]:
    """The read-loop anchor and the projector's rebuild per batch size, then the breakdown."""
    rows: list[Row] = []
    app = Kapida(env=database.eventsourcing_env())
    views = ViewDatabase(database)
    anchors: dict[int, float] = {}
    anchor_cpu: dict[int, float] = {}
    try:
        for batch in args.batch_sizes:
            # The anchor is the faster of two loops: noise from the shared machine only lowers ratios.
            count, seconds, cpu = min(
                (timed(partial(read_loop, app, batch)) for _ in range(2)), key=lambda t: t[1]
            )
            anchors[batch], anchor_cpu[batch] = count / seconds, cpu
            rows.append(row(backend, f"read loop, batch {batch}", count, seconds, anchors[batch], cpu))
            rows[-1].cpu_ratio = 1.0
            print_row(rows[-1])
            projector = Projector(app, views, CaseloadView(), batch_size=batch)
            # Like the anchor, the faster of two rebuilds (the first also warms the page cache).
            count, seconds, cpu = min((timed(projector.rebuild) for _ in range(2)), key=lambda t: t[1])
            rows.append(row(backend, f"rebuild, batch {batch}", count, seconds, anchors[batch], cpu))
            rows[-1].cpu_ratio = round(anchor_cpu[batch] / cpu, 3) if cpu > 0 else None
            print_row(rows[-1])
        rows += breakdown(backend, app, anchors[args.batch_sizes[0]], args.batch_sizes[0])
        if args.profile:
            profile_rebuild(app, views, args.batch_sizes[0], args.profile / f"rebuild_{backend}.prof")
    finally:
        views.close()
        app.close()
    return rows


def breakdown(backend: str, app: Kapida, anchor: float, batch: int) -> list[Row]:
    """Where a rebuild's time goes: the read loop plus decoding, plus the handlers run without SQL."""
    decoder = EventDecoder(app.mapper)
    rows = []
    for label, work in (
        ("+ decode", decode_all(decoder)),
        ("+ decode + handlers, no SQL", handle_without_sql(decoder)),
    ):
        count, seconds, cpu = timed(partial(read_and, app, batch, work))
        rows.append(row(backend, f"read loop {label}, batch {batch}", count, seconds, anchor, cpu))
        print_row(rows[-1])
    return rows


def profile_rebuild(app: Kapida, views: ViewDatabase, batch: int, path: Path) -> None:
    """cProfile one rebuild; the stats file is for `python -m pstats`."""
    import cProfile

    path.parent.mkdir(parents=True, exist_ok=True)
    projector = Projector(app, views, CaseloadView(), batch_size=batch)
    cProfile.runctx("projector.rebuild()", globals(), {"projector": projector}, str(path))


def print_row(r: Row) -> None:
    ratio = f"{r.ratio:.2f}" if r.ratio is not None else "-"
    cpu_ratio = f"{r.cpu_ratio:.2f}" if r.cpu_ratio is not None else "-"
    print(
        f"{r.backend:9} {r.measure:64} {r.events:>8} {r.seconds:>8.2f} {r.events_per_s:>8.0f} {ratio:>5}"
        f" {r.cpu_s:>8.2f} {cpu_ratio:>5} {r.peak_rss_mib:>5.0f}  {r.note}",
        flush=True,
    )


def run_backend(backend: str, args: argparse.Namespace) -> list[Row]:
    with fresh_store(backend, "log", args.sqlite_dir) as database:
        rows = bench_appends(backend, args, database)
        return rows + bench_reads_and_rebuilds(backend, args, database)


def main() -> None:
    """Run the chosen backends, print the table, write the JSON results."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1_000_000, help="events in the log (batched appends)")
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--quick", action="store_true", help="smoke run: 50,000 events, 2,000 single saves")
    parser.add_argument("--single-events", type=int, default=20_000, help="events saved one save at a time")
    parser.add_argument("--append-batch", type=int, default=1000, help="events per batched save")
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[2000, 10000], help="projector batches")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sqlite-dir", type=Path, default=Path("/tmp"))
    parser.add_argument(
        "--profile", type=Path, default=None, help="directory for cProfile stats of a rebuild"
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if args.quick:
        args.events, args.single_events = min(args.events, 50_000), min(args.single_events, 2_000)
    backends = ("sqlite", "postgres") if args.backend == "both" else (args.backend,)
    print(
        f"{'backend':9} {'measure':64} {'events':>8} {'wall s':>8} {'events/s':>8} {'ratio':>5}"
        f" {'cpu s':>8} {'cpu r':>5} {'rss':>5}  note (ratio, cpu r: to the read loop's wall / CPU time,"
        " same batch; rss: peak MiB so far)"
    )
    began = datetime.now(UTC)
    rows = [r for backend in backends for r in run_backend(backend, args)]
    result = {
        "started_utc": began.isoformat(timespec="seconds"),
        "finished_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "load_avg": os.getloadavg()},
        "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "goals": {
            "sqlite_rebuild_events_per_s": GOAL_SQLITE_REBUILD,
            "rebuild_ratio_to_read_loop": GOAL_REBUILD_RATIO,
            "batched_append_events_per_s": GOAL_BATCHED_APPEND,
        },
        "rows": [asdict(r) for r in rows],
        "peak_rss_mib": round(peak_rss_mib()),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
