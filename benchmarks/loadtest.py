"""Load test (issue 7): 200 simulated drivers reporting deliveries and reading their stop lists for 60 s.

Usage: python -m benchmarks.loadtest [--backend sqlite|postgres|both] [--drivers 200] [--vans 100]
       [--stops 30] [--seconds 60] [--max-requests 40000] [--workers 4] [--think-ms 1000 5000]

Per backend, on a fresh SQLite file under /tmp or a throwaway PostgreSQL schema `load_xxx` (dropped after):
  seed    the city of `benchmarks.bench_api` (a kitchen, vans, one household per stop, a published dinner
          plan, driver accounts; two drivers share a van's stops when there are more drivers than vans).
  serve   uvicorn `--workers N` in a child process on a free loopback port (this script is the second
          process; both stay on 127.0.0.1).
  drive   one asyncio task per driver (httpx): sign in, then until the time or request budget runs out:
          read the stop list, think, report the next stop with a fresh key in the body and the
          `Idempotency-Key` header; 10 % of reports are sent twice with the same key (a phone retrying);
          a driver with no stops left keeps reading the list (the evening's refreshes).
  check   `StopVisit.Reported` events == reports the API said it recorded == `IdempotencyKey.Recorded`
          events, and no retry was recorded twice.
Prints a table (requests/s, p50/p95/p99 ms, errors per endpoint) and writes benchmarks/results/loadtest.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import tempfile
import time
import uuid
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import psycopg

from api.bootstrap import Services, bootstrap
from benchmarks.bench_api import (
    POSTGRES_URL,
    SECRET,
    Load,
    Tally,
    percentiles,
    seed,
    server,
    sign_in,
    timed,
)
from domain.database import Database
from domain.service import ISTANBUL, today_in_istanbul
from projections.decoding import event_name

RESULTS = Path(__file__).resolve().parent / "results" / "loadtest.json"
LOGINS_AT_ONCE = 8


class Budget:
    """The run ends at a deadline or after a number of requests, whichever comes first."""

    def __init__(self, seconds: float, requests: int) -> None:
        self.deadline = time.monotonic() + seconds
        self.left = requests

    def take(self) -> bool:
        if self.left <= 0 or time.monotonic() >= self.deadline:
            return False
        self.left -= 1
        return True


async def _driver(
    client: httpx.AsyncClient, plan: UUID, token: str | None, keys: list[str], load: Load, tally: Tally,
    budget: Budget, seed_: int,
) -> None:  # fmt: skip
    if token is None:
        return
    rng, day = random.Random(seed_), today_in_istanbul().isoformat()
    headers = {"Authorization": f"Bearer {token}"}
    await asyncio.sleep(rng.uniform(0, load.think_ms[1]) / 1000)  # phones do not all start in the same ms
    queue = list(keys)
    while budget.take():
        await timed(
            tally, "stop list", client.get("/api/driver/stops", params={"date": day}, headers=headers)
        )
        await asyncio.sleep(rng.uniform(*load.think_ms) / 1000)
        if not queue or not budget.take():
            continue
        key = queue.pop(0)
        report_key = f"phone{seed_}-{uuid.uuid4().hex[:12]}"
        body = {
            "outcome": "delivered",
            "at": (datetime.now(ISTANBUL) - timedelta(seconds=1)).isoformat(),
            "idempotency_key": report_key,
            "receiver": "Kapıdaki kişi",
        }
        url, keyed = f"/api/plans/{plan}/stops/{key}/report", headers | {"Idempotency-Key": report_key}
        first = await timed(tally, "report", client.post(url, json=body, headers=keyed))
        if first is not None and first.status_code == 200:
            tally.recorded += int(first.json()["recorded"])
        if rng.random() < load.retry_share and budget.take():
            again = await timed(tally, "report retry", client.post(url, json=body, headers=keyed))
            if again is not None and again.status_code == 200:
                replayed = again.headers.get("Idempotent-Replayed") == "true"
                tally.duplicates += int(replayed)
                tally.retries_recorded_twice += int(not replayed and again.json()["recorded"])
                tally.recorded += int(not replayed and again.json()["recorded"])


async def _drive(
    base: str,
    plan: UUID,
    assignments: list[tuple[str, UUID, list[str]]],
    load: Load,
    budget_: tuple[float, int],
) -> tuple[Tally, float]:
    tally = Tally()
    limits = httpx.Limits(max_connections=load.drivers + 10, max_keepalive_connections=load.drivers + 10)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        # The morning: drivers sign in a few at a time (argon2 by design costs ~0.1-0.5 s of CPU each);
        # it is set-up, not part of the measured minute.
        gate = asyncio.Semaphore(LOGINS_AT_ONCE)

        async def signed_in(username: str) -> str | None:
            async with gate:
                return await sign_in(client, username, tally)

        tokens = await asyncio.gather(*(signed_in(username) for username, _, _ in assignments))
        budget = Budget(*budget_)
        started = time.perf_counter()
        await asyncio.gather(*(
            _driver(client, plan, token, keys, load, tally, budget, load.seed * 1000 + n)
            for n, (token, (_, _, keys)) in enumerate(zip(tokens, assignments, strict=True))
        ))  # fmt: skip
        return tally, time.perf_counter() - started


def _event_counts(services: Services) -> Counter[str]:
    recorder, counts, position = services.app.recorder, Counter[str](), 0
    while True:
        batch = recorder.select_notifications(start=position, limit=5000, inclusive_of_start=False)
        if not batch:
            return counts
        counts.update(event_name(n.topic) for n in batch)
        position = batch[-1].id


def run_backend(backend: str, load: Load, args: argparse.Namespace) -> dict[str, Any]:
    os.environ["KAPIDA_SECRET"] = SECRET  # the seeder and the server share the national-id index key
    schema = f"load_{uuid.uuid4().hex[:10]}"
    with tempfile.TemporaryDirectory(prefix="kapida-loadtest-") as folder:
        workdir = Path(folder)
        url = str(workdir / "kapida.sqlite") if backend == "sqlite" else f"{args.postgres}?schema={schema}"
        try:
            services = bootstrap(Database.from_url(url))
            seeding = time.perf_counter()
            plan, assignments = seed(services, load, today_in_istanbul())
            seeded_s = time.perf_counter() - seeding
            before = _event_counts(services)
            load_before = os.getloadavg()
            with server(url, workdir, workers=args.workers) as base:
                tally, elapsed = asyncio.run(
                    _drive(base, plan, assignments, load, (args.seconds, args.max_requests))
                )
            load_after = os.getloadavg()
            added = _event_counts(services) - before
            services.close()
        finally:
            if backend == "postgres":
                with psycopg.connect(args.postgres, autocommit=True) as conn:
                    conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    return _result(backend, load, args, tally, elapsed, seeded_s, added, (load_before, load_after))


def _result(
    backend: str, load: Load, args: argparse.Namespace, tally: Tally, elapsed: float, seeded_s: float,
    added: Counter[str], loads: tuple[tuple[float, ...], tuple[float, ...]],
) -> dict[str, Any]:  # fmt: skip
    timed_names = [k for k in tally.latencies if k != "login"]
    requests = sum(len(tally.latencies[k]) for k in timed_names)
    errors = {k: sum(n for s, n in tally.statuses.items() if s.startswith(k + " ") and not s.endswith(" 200"))
              for k in tally.latencies}  # fmt: skip
    return {
        "backend": backend,
        "workers": args.workers,
        "drivers": load.drivers,
        "seed_s": round(seeded_s, 1),
        "elapsed_s": round(elapsed, 1),
        "requests": requests,
        "requests_per_s": round(requests / elapsed, 1),
        "endpoints": {
            name: percentiles(tally.latencies[name]) | {"errors": errors[name]}
            for name in sorted(tally.latencies)
        },
        "statuses": dict(sorted(tally.statuses.items())),
        "transport_errors": tally.errors[:20],
        "recorded_reports": tally.recorded,
        "reported_events": added["StopVisit.Reported"],
        "idempotency_keys_recorded": added["IdempotencyKey.Recorded"],
        "retries_replayed": tally.duplicates,
        "retries_recorded_twice": tally.retries_recorded_twice,
        "events_match": added["StopVisit.Reported"] == tally.recorded == added["IdempotencyKey.Recorded"]
        and tally.retries_recorded_twice == 0,
        "loadavg_before": [round(x, 2) for x in loads[0]],
        "loadavg_after": [round(x, 2) for x in loads[1]],
    }


def _print(result: dict[str, Any]) -> None:
    print(f"\n{result['backend']} ({result['workers']} workers, {result['drivers']} drivers): "
          f"{result['requests']} requests in {result['elapsed_s']} s = {result['requests_per_s']}/s; "
          f"seeded in {result['seed_s']} s; load average "
          f"{result['loadavg_before']} -> {result['loadavg_after']}")  # fmt: skip
    print(f"  {'endpoint':<14}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}{'errors':>8}")
    for name, row in result["endpoints"].items():
        cells = "".join(f"{row.get(k, '-'):>9}" for k in ("p50_ms", "p95_ms", "p99_ms", "max_ms"))
        print(f"  {name:<14}{row['n']:>7}{cells}{row['errors']:>8}")
    print(f"  statuses {result['statuses']}")
    print(f"  recorded {result['recorded_reports']}, Reported events {result['reported_events']}, "
          f"keys recorded {result['idempotency_keys_recorded']}, "
          f"retries replayed {result['retries_replayed']}, match {result['events_match']}")  # fmt: skip
    if result["transport_errors"]:
        print(f"  transport errors: {result['transport_errors']}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--drivers", type=int, default=200)
    parser.add_argument("--vans", type=int, default=100)
    parser.add_argument("--stops", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--max-requests", type=int, default=40_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--think-ms", type=int, nargs=2, default=(1000, 5000), metavar=("MIN", "MAX"))
    parser.add_argument("--retry-share", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--postgres", default=os.environ.get("KAPIDA_BENCH_POSTGRES", POSTGRES_URL))
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    if not (1 <= args.drivers <= 500 and 1 <= args.vans <= args.drivers and 1 <= args.stops <= 100):
        parser.error("use 1..500 drivers, 1..drivers vans and 1..100 stops per van")
    if not (0 < args.seconds <= 600 and 0 < args.max_requests <= 1_000_000 and 1 <= args.workers <= 16):
        parser.error("bound the run: 0-600 s, at most 1,000,000 requests, 1-16 workers")
    load = Load(args.drivers, args.vans, args.stops, tuple(args.think_ms), args.retry_share, 0.0,
                args.seconds, args.seed)  # fmt: skip
    results = []
    for backend in ("sqlite", "postgres") if args.backend == "both" else (args.backend,):
        result = run_backend(backend, load, args)
        _print(result)
        results.append(result)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(args.results.read_text()) if args.results.exists() else {}
    runs = {r["backend"]: r for r in previous.get("runs", [])} | {r["backend"]: r for r in results}
    args.results.write_text(json.dumps({
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "note": "2 cores shared by 7 engineers working at once"},
        "recorded_at": datetime.now(ISTANBUL).isoformat(timespec="seconds"),
        "runs": list(runs.values()),
    }, indent=2, ensure_ascii=False))  # fmt: skip
    print(f"\nwrote {args.results}")


if __name__ == "__main__":
    main()
