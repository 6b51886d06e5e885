"""Tamper evidence throughput: `audit verify` over a large log, and what chaining costs appends (issue 6).

Usage: python -m benchmarks.bench_verify [--events 1000000] [--backend sqlite|postgres|both]
                                        [--append-events 100000] [--batch 20000]

Per backend, on a fresh SQLite file under /tmp or a fresh PostgreSQL schema (dropped afterwards):
  append   the same event mix (`benchmarks.eventmix`, Kapıda's real commands) saved in batches of ~1,000
           events, and one aggregate per save, into a store of the plain library and into the chained
           store, alternately in the same run: the before/after of chaining. Only `Application.save` is timed.
  log      the chained store filled with `--events` events in batched saves (its rate is reported too).
  anchor   a plain loop reading the same rows the walk reads (`SELECT ... ORDER BY id LIMIT batch` on the
           events table and on `kapida_chain`), doing nothing with them: the fastest any walk could be.
  verify   the walk `kapida audit verify` runs (`domain.ledger_audit.verify`), as events/s and as a ratio
           to the anchor. Each read is the faster of two runs (the first also warms the page cache).
Prints a table and writes `benchmarks/results/verify.json`.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import sqlite3
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

from benchmarks.bench_eventstore import Row, append, fresh_store, print_row, row
from benchmarks.eventmix import SaveMode
from domain.database import Database
from domain.ledger import CHAIN_TABLE
from domain.ledger_audit import verify
from domain.service import Kapida

RESULTS = Path(__file__).resolve().parent / "results" / "verify.json"
GOAL_VERIFY = 100_000  # events/s
GOAL_BATCHED_APPEND = 10_000  # events/s, with chaining


def plain_library(database: Database) -> Database:
    """The same store without the chain: what appends cost before this change."""

    class Plain(Database):
        def eventsourcing_env(self) -> dict[str, str]:
            env = super().eventsourcing_env()
            env["PERSISTENCE_MODULE"] = env["PERSISTENCE_MODULE"].replace("domain.chained_", "eventsourcing.")
            return env

    return Plain(database.sqlite_path, database.dsn, database.schema)


def read_rows(database: Database, events_table: str, batch: int) -> int:
    """The anchor: both tables read in id order, in batches, with the walk's own SQL; nothing else is done."""
    if database.is_postgres:
        queries = (  # as `PostgresChainReader`: ready-to-hash columns over the binary protocol
            "SELECT notification_id, uuid_send(originator_id), originator_version, topic, state "
            f"FROM {events_table} WHERE notification_id > %s ORDER BY notification_id LIMIT %s",
            "SELECT notification_id, seq, (extract(epoch FROM recorded_at) * 1000000)::bigint, hash "
            f"FROM {CHAIN_TABLE} WHERE notification_id > %s ORDER BY notification_id LIMIT %s",
        )
        with psycopg.connect(database.dsn or "", options=f"-c search_path={database.schema}") as conn:
            cursor = conn.cursor()
            counts = [
                _loop(lambda q, p: cursor.execute(q, p, binary=True).fetchall(), q, batch) for q in queries
            ]
        return counts[0]
    queries = (  # as `SQLiteChainReader`
        "SELECT rowid, CASE WHEN typeof(originator_id) = 'text' THEN originator_id END, originator_version, "
        f"topic, state FROM {events_table} WHERE rowid > ? ORDER BY rowid LIMIT ?",
        f"SELECT notification_id, seq, recorded_at, hash FROM {CHAIN_TABLE} "
        "WHERE notification_id > ? ORDER BY notification_id LIMIT ?",
    )
    conn = sqlite3.connect(str(database.sqlite_path))
    try:
        counts = [_loop(lambda q, p: conn.execute(q, p).fetchall(), q, batch) for q in queries]
    finally:
        conn.close()
    return counts[0]


def _loop(fetch: Callable[[str, tuple[int, int]], list[Any]], query: str, batch: int) -> int:
    after, count = 0, 0
    while rows := fetch(query, (after, batch)):
        count += len(rows)
        after = rows[-1][0]
    return count


def walk(app: Kapida, batch: int) -> int:
    with app.recorder.chain_reader() as reader:  # type: ignore[attr-defined]
        verdict = verify(reader, batch=batch)
    assert verdict.intact, verdict.broken
    return verdict.checked


def best_of_two(action: Callable[[], int]) -> tuple[int, float, float]:
    runs = []
    for _ in range(2):
        began, cpu = time.perf_counter(), time.process_time()
        count = action()
        runs.append((count, time.perf_counter() - began, time.process_time() - cpu))
    return min(runs, key=lambda r: r[1])


def bench_appends(backend: str, args: argparse.Namespace) -> list[Row]:
    """Plain library and chained for each save mode, on fresh stores in the same run; the order alternates
    by round (`--append-rounds`), so a load spike on the shared machine does not always hit the same side."""
    rows = []
    stores: list[tuple[str, Callable[[Database], Database]]] = [
        ("plain library", plain_library),
        ("chained", lambda d: d),
    ]
    modes = (
        (SaveMode.BATCHED, args.append_events, "~1,000 events per save"),
        (SaveMode.SINGLE, args.single_events, "one aggregate per save"),
    )
    for round_, (mode, events, note) in itertools.product(range(args.append_rounds), modes):
        for label, wrap in stores if round_ % 2 == 0 else stores[::-1]:
            with fresh_store(backend, f"{mode.value}_{label[:5]}", args.sqlite_dir) as store:
                stats = append(wrap(store), mode, events, args.seed, 1000)
            measure = f"append, {mode.value} saves, {label}"
            rows.append(row(backend, measure, stats.events, stats.save_s, None, stats.save_cpu_s, note))
            print_row(rows[-1])
    return rows


def bench_verify(backend: str, args: argparse.Namespace) -> list[Row]:
    rows = []
    with fresh_store(backend, "log", args.sqlite_dir) as database:
        stats = append(database, SaveMode.BATCHED, args.events, args.seed, 1000)
        rows.append(
            row(
                backend,
                "build the log: chained batched saves",
                stats.events,
                stats.save_s,
                None,
                stats.save_cpu_s,
            )
        )
        print_row(rows[-1])
        app = Kapida(env=database.eventsourcing_env())
        try:
            table = app.recorder.events_table_name  # type: ignore[attr-defined]
            count, seconds, cpu = best_of_two(lambda: read_rows(database, table, args.batch))
            anchor = count / seconds
            rows.append(
                row(
                    backend,
                    f"anchor: read events + chain rows, batch {args.batch}",
                    count,
                    seconds,
                    anchor,
                    cpu,
                )
            )
            print_row(rows[-1])
            count, seconds, cpu = best_of_two(lambda: walk(app, args.batch))
            rows.append(row(backend, f"audit verify, batch {args.batch}", count, seconds, anchor, cpu))
            print_row(rows[-1])
        finally:
            app.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1_000_000, help="events in the verified log")
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--append-events", type=int, default=100_000, help="events per batched-append store")
    parser.add_argument("--single-events", type=int, default=5_000, help="events per single-save store")
    parser.add_argument("--batch", type=int, default=20_000, help="rows per query while walking")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sqlite-dir", type=Path, default=Path("/tmp"))
    parser.add_argument(
        "--append-rounds", type=int, default=1, help="repeat the append pairs, order alternating"
    )
    parser.add_argument("--skip-appends", action="store_true", help="only the log, the anchor and verify")
    parser.add_argument("--skip-log", action="store_true", help="only the appends")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    backends = ("sqlite", "postgres") if args.backend == "both" else (args.backend,)
    print(
        f"{'backend':9} {'measure':64} {'events':>8} {'wall s':>8} {'events/s':>8} {'ratio':>5}"
        f" {'cpu s':>8} {'rss':>5}  note (ratio: to the anchor read loop; rss: peak MiB so far)"
    )
    began, load = datetime.now(UTC), os.getloadavg()
    rows: list[Row] = []
    for backend in backends:
        if not args.skip_appends:
            rows += bench_appends(backend, args)
        if not args.skip_log:
            rows += bench_verify(backend, args)
    result = {
        "started_utc": began.isoformat(timespec="seconds"),
        "finished_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_avg_start": load,
            "load_avg_end": os.getloadavg(),
        },
        "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "goals": {
            "verify_events_per_s": GOAL_VERIFY,
            "chained_batched_append_events_per_s": GOAL_BATCHED_APPEND,
        },
        "rows": [asdict(r) for r in rows],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"load average at start {load}, at end {os.getloadavg()}; wrote {args.out}")


if __name__ == "__main__":
    main()
