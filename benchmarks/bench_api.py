"""API latency under drivers' load: stop lists and delivery reports from 50 phones at once (issue 5).

Usage: python -m benchmarks.bench_api [--backend sqlite|postgres|both] [--drivers 50] [--vans 40]
       [--stops 25] [--think-ms 500 2500] [--retry-share 0.1] [--max-seconds 300]

Per backend, on a fresh SQLite file under /tmp or a fresh PostgreSQL schema (dropped afterwards):
  seed    a kitchen, `--vans` vans and `--vans` × `--stops` households through the normal commands, a
          hand-laid dinner plan for today with `--stops` stops per van, published; `--drivers` driver
          accounts (drivers beyond the vans' count ride as second drivers and split a van's stops).
  serve   uvicorn with `api.web:create_app` in a child process on a free loopback port (one worker,
          as deployed), started and stopped by this script.
  drive   one asyncio task per driver (httpx, loopback only): sign in, then per stop read the stop
          list, wait a think time (the walk to the door), report the stop with a fresh idempotency
          key; a share of reports is sent twice with the same key (a phone retrying on a bad
          network), and a share fails first (not home) and is delivered on a later visit.
  check   the log's `StopVisit.Reported` events equal the reports the API said it recorded, and
          no retry was recorded twice.
Prints a table (p50/p95/p99 ms per endpoint, requests/s), writes `benchmarks/results/api.json`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import psycopg

from api.bootstrap import Services, bootstrap
from api.security import Passwords
from domain.database import Database
from domain.fleet import DepotKind, VehicleKind
from domain.programmes import Programme
from domain.route_plan import PlannedRoute, PlannedStop, Round, StopKind
from domain.service import ISTANBUL, today_in_istanbul
from domain.values import Actor, GeoPoint, Member, PersonalDetails, Role
from projections.decoding import event_name

RESULTS = Path(__file__).resolve().parent / "results" / "api.json"
POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
PASSWORD = "benchmark password 2026"
SECRET = secrets.token_urlsafe(48)  # one per run: tokens stay valid across a server restart
SYSTEM = Actor("bench", Role.SYSTEM)
GOAL_REPORT_P95_MS = 100.0
RIZE = (41.0201, 40.5234)


@dataclass
class Load:
    """What one run asks of the server."""

    drivers: int
    vans: int
    stops: int
    think_ms: tuple[int, int]
    retry_share: float
    fail_share: float
    max_seconds: float
    seed: int


@dataclass
class Tally:
    """What the simulated phones saw."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[str] = field(default_factory=Counter)
    recorded: int = 0
    duplicates: int = 0
    retries_recorded_twice: int = 0
    errors: list[str] = field(default_factory=list)


# -- seeding ---------------------------------------------------------------------------------------------
def seed(services: Services, load: Load, day: Any) -> tuple[UUID, list[tuple[str, UUID, list[str]]]]:
    """Fleet, households, a published plan, driver accounts; returns the plan and (driver, van, keys)."""
    app, rng = services.app, random.Random(load.seed)
    depot = app.register_depot(
        "Merkez Aşevi", DepotKind.CENTRAL_KITCHEN, GeoPoint(*RIZE), "Rize Merkez", "Tophane Mah.", SYSTEM
    )
    vans = [
        app.register_vehicle(
            f"53 BNC {n:03d}",
            VehicleKind.VAN,
            {"meal_containers": 60},
            (clock(6), clock(22)),
            depot,
            False,
            SYSTEM,
        )
        for n in range(load.vans)
    ]
    routes = []
    for v, van in enumerate(vans):
        stops = []
        for s in range(load.stops):
            point = GeoPoint(RIZE[0] + rng.uniform(-0.02, 0.02), RIZE[1] + rng.uniform(-0.03, 0.03))
            household = app.register_household(
                PersonalDetails(f"Hane {v:02d}-{s:02d}", "0532 123 45 67", f"Cumhuriyet Cd. No:{s + 1}"),
                point,
                "Rize Merkez",
                "Tophane Mah.",
                (Member("Fatma", datetime(1948, 3, 14).date()),),
                (),
                SYSTEM,
            )
            eta = 17 * 3600 + 240 * s
            stops.append(
                PlannedStop(
                    f"{uuid.uuid4()}/dinner", StopKind.DELIVERY, household, uuid.uuid4(), point,
                    eta, 16 * 3600, 20 * 3600, 120, 1, "portion",
                )
            )  # fmt: skip
        routes.append(PlannedRoute(van, depot, tuple(stops), 16 * 3600 + 1800, 20 * 3600, 30_000, 12_600))
    plan = app.record_plan(
        day, Programme.HOT_MEAL, Round.DINNER, tuple(routes), (), {"stops": load.vans * load.stops}, SYSTEM
    )
    app.publish_plan(plan, SYSTEM)
    hashed = Passwords().hash(PASSWORD)
    assignments = []
    for n in range(load.drivers):
        van_index = n % load.vans
        username = f"surucu{n:02d}"
        app.add_user(username, f"Sürücü {n:02d}", Role.DRIVER, hashed, SYSTEM, vehicle_id=vans[van_index])
        sharing = [m for m in range(load.drivers) if m % load.vans == van_index]
        keys = [s.key for i, s in enumerate(routes[van_index].stops) if i % len(sharing) == sharing.index(n)]
        assignments.append((username, vans[van_index], keys))
    services.catch_up()
    return plan, assignments


# -- the server ------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(db_url: str, workdir: Path, workers: int = 1, port: int | None = None) -> ServerProcess:
    """uvicorn with `api.web:create_app` in a child process (its own GIL, as deployed), once it answers."""
    port = port or free_port()
    env = os.environ | {"KAPIDA_DB": db_url, "KAPIDA_SECRET": SECRET}
    log = (workdir / f"uvicorn-{port}.log").open("a")
    command = [
        sys.executable, "-m", "uvicorn", "api.web:create_app", "--factory", "--host", "127.0.0.1",
        "--port", str(port), "--log-level", "warning", "--no-access-log", "--workers", str(workers),
        # longer than the phones' think time, so a kept-alive connection is never closed as it is reused
        "--timeout-keep-alive", "30",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        if process.poll() is not None:
            log.close()
            raise RuntimeError(f"uvicorn exited with {process.returncode}; see {log.name}")
        try:
            if httpx.get(f"{base}/openapi.json", timeout=1).status_code == 200:
                return ServerProcess(process, base, log)
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("uvicorn did not answer within 90 s")
        time.sleep(0.2)


@dataclass
class ServerProcess:
    """A running uvicorn (its workers are in the same process group, so a kill reaches them all)."""

    process: subprocess.Popen[bytes]
    base: str
    log: Any

    def stop(self) -> None:
        """SIGINT, then SIGKILL to the group if it does not stop within 15 s."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()

    def kill(self) -> None:
        """`kill -9` of the server and its workers at once: no shutdown code runs."""
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


@contextmanager
def server(db_url: str, workdir: Path, workers: int = 1) -> Iterator[str]:
    """A uvicorn for the length of the block; stopped with SIGINT, then killed if stuck."""
    running = start_server(db_url, workdir, workers)
    try:
        yield running.base
    finally:
        running.stop()


# -- the phones ------------------------------------------------------------------------------------------
async def timed(tally: Tally, name: str, request: Any) -> httpx.Response | None:
    started = time.perf_counter()
    try:
        response: httpx.Response = await request
    except httpx.HTTPError as error:
        tally.errors.append(f"{name}: {type(error).__name__}")
        return None
    tally.latencies[name].append((time.perf_counter() - started) * 1000)
    tally.statuses[f"{name} {response.status_code}"] += 1
    return response


async def sign_in(client: httpx.AsyncClient, username: str, tally: Tally) -> str | None:
    login = await timed(
        tally, "login", client.post("/api/auth/login", json={"username": username, "password": PASSWORD})
    )
    if login is None or login.status_code != 200:
        tally.errors.append(f"{username} could not sign in")
        return None
    return str(login.json()["token"])


async def _driver(
    client: httpx.AsyncClient,
    plan: UUID,
    token: str | None,
    keys: list[str],
    load: Load,
    tally: Tally,
    seed: int,
) -> None:
    if token is None:
        return
    rng = random.Random(seed)
    headers = {"Authorization": f"Bearer {token}"}
    day = today_in_istanbul().isoformat()
    await asyncio.sleep(rng.uniform(0, load.think_ms[1]) / 1000)  # phones do not all start in the same ms
    queue = list(keys)
    while queue:
        key = queue.pop(0)
        await timed(
            tally, "stop list", client.get("/api/driver/stops", params={"date": day}, headers=headers)
        )
        await asyncio.sleep(rng.uniform(*load.think_ms) / 1000)
        failing = rng.random() < load.fail_share and not key.endswith("#again")
        body = {
            "outcome": "failed" if failing else "delivered",
            "at": (datetime.now(ISTANBUL) - timedelta(seconds=1)).isoformat(),
            "idempotency_key": f"phone{seed}-{uuid.uuid4().hex[:12]}",
            "receiver": "" if failing else "Kapıdaki kişi",
            "reason": "not_home" if failing else None,
        }
        url = f"/api/plans/{plan}/stops/{key.removesuffix('#again')}/report"
        first = await timed(tally, "report", client.post(url, json=body, headers=headers))
        if first is not None and first.status_code == 200:
            tally.recorded += int(first.json()["recorded"])
        if rng.random() < load.retry_share:
            again = await timed(tally, "report retry", client.post(url, json=body, headers=headers))
            if again is not None and again.status_code == 200:
                if again.json()["recorded"]:
                    tally.retries_recorded_twice += 1
                    tally.recorded += 1
                else:
                    tally.duplicates += 1
        if failing:
            queue.append(key + "#again")  # knock again at the end of the round


async def _drive(
    base: str, plan: UUID, assignments: list[tuple[str, UUID, list[str]]], load: Load
) -> tuple[Tally, float]:
    tally = Tally()
    limits = httpx.Limits(max_connections=load.drivers + 10, max_keepalive_connections=load.drivers + 10)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        # The morning: every driver signs in at once (argon2 on the server's few password slots).
        tokens = await asyncio.gather(*(sign_in(client, username, tally) for username, _, _ in assignments))
        # The round: stop lists and reports from every phone at once; only this part is timed for rates.
        started = time.perf_counter()
        tasks = [
            _driver(client, plan, token, keys, load, tally, load.seed * 1000 + n)
            for n, (token, (_, _, keys)) in enumerate(zip(tokens, assignments, strict=True))
        ]
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=load.max_seconds)
        return tally, time.perf_counter() - started


def reported_events(services: Services) -> int:
    """StopVisit.Reported events in the log, counted from the notifications themselves."""
    recorder, count, position = services.app.recorder, 0, 0
    while True:
        batch = recorder.select_notifications(start=position, limit=5000, inclusive_of_start=False)
        if not batch:
            return count
        count += sum(1 for n in batch if event_name(n.topic) == "StopVisit.Reported")
        position = batch[-1].id


def percentiles(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {"n": 0}
    ordered = sorted(samples)
    cut = statistics.quantiles(ordered, n=100, method="inclusive") if len(ordered) > 1 else ordered * 99
    return {
        "n": len(ordered),
        "p50_ms": round(cut[49], 1),
        "p95_ms": round(cut[94], 1),
        "p99_ms": round(cut[98], 1),
        "max_ms": round(ordered[-1], 1),
    }


def run_backend(backend: str, load: Load, postgres_url: str) -> dict[str, Any]:
    os.environ["KAPIDA_SECRET"] = SECRET  # the seeder and the server share the national-id index key
    schema = f"bench_api_{uuid.uuid4().hex[:10]}"
    with tempfile.TemporaryDirectory(prefix="kapida-bench-api-") as folder:
        workdir = Path(folder)
        if backend == "sqlite":
            url = str(workdir / "kapida.sqlite")
        else:
            url = f"{postgres_url}{'&' if '?' in postgres_url else '?'}schema={schema}"
        try:
            services = bootstrap(Database.from_url(url))
            seeding = time.perf_counter()
            plan, assignments = seed(services, load, today_in_istanbul())
            seeded_s = time.perf_counter() - seeding
            before = reported_events(services)
            with server(url, workdir) as base:
                tally, elapsed = asyncio.run(_drive(base, plan, assignments, load))
            server_log = "".join(
                (workdir / name).read_text() for name in os.listdir(workdir) if name.endswith(".log")
            )
            reported = reported_events(services) - before
            services.close()
        finally:
            if backend == "postgres":
                with psycopg.connect(postgres_url, autocommit=True) as conn:
                    conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    requests = sum(len(v) for k, v in tally.latencies.items() if k != "login")
    return {
        "backend": backend,
        "seed_s": round(seeded_s, 1),
        "elapsed_s": round(elapsed, 1),
        "requests": requests,
        "requests_per_s": round(requests / elapsed, 1),
        "endpoints": {name: percentiles(samples) for name, samples in sorted(tally.latencies.items())},
        "statuses": dict(sorted(tally.statuses.items())),
        "recorded_reports": tally.recorded,
        "reported_events": reported,
        "duplicates_answered": tally.duplicates,
        "retries_recorded_twice": tally.retries_recorded_twice,
        "events_match": reported == tally.recorded and tally.retries_recorded_twice == 0,
        "errors": tally.errors[:20],
        "server_log_tail": server_log.splitlines()[-30:],
        "goal_report_p95_ms": GOAL_REPORT_P95_MS,
    }


def _print(result: dict[str, Any]) -> None:
    print(f"\n{result['backend']}: {result['requests']} requests in {result['elapsed_s']} s "
          f"({result['requests_per_s']}/s), seeded in {result['seed_s']} s")  # fmt: skip
    print(f"  {'endpoint':<14}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for name, row in result["endpoints"].items():
        cells = "".join(f"{row[k]:>9}" for k in ("p50_ms", "p95_ms", "p99_ms", "max_ms"))
        print(f"  {name:<14}{row['n']:>7}{cells}")
    print(f"  statuses {result['statuses']}")
    print(
        f"  recorded {result['recorded_reports']}, Reported events {result['reported_events']}, "
        f"duplicates answered {result['duplicates_answered']}, match {result['events_match']}"
    )
    if result["errors"]:
        print(f"  errors: {result['errors']}")
    if any(" 5" in status for status in result["statuses"]):
        print("  server log (tail):\n    " + "\n    ".join(result["server_log_tail"]))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--drivers", type=int, default=50)
    parser.add_argument("--vans", type=int, default=40)
    parser.add_argument("--stops", type=int, default=25)
    parser.add_argument("--think-ms", type=int, nargs=2, default=(500, 2500), metavar=("MIN", "MAX"))
    parser.add_argument("--retry-share", type=float, default=0.1)
    parser.add_argument("--fail-share", type=float, default=0.05)
    parser.add_argument("--max-seconds", type=float, default=300.0)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--postgres", default=os.environ.get("KAPIDA_BENCH_POSTGRES", POSTGRES_URL))
    parser.add_argument("--results", type=Path, default=RESULTS, help="Where to write the JSON results.")
    args = parser.parse_args()
    if not (1 <= args.drivers <= 200 and 1 <= args.vans <= args.drivers and 1 <= args.stops <= 100):
        parser.error("use 1..200 drivers, 1..drivers vans and 1..100 stops per van")
    load = Load(
        args.drivers, args.vans, args.stops, tuple(args.think_ms), args.retry_share, args.fail_share,
        args.max_seconds, args.seed,
    )  # fmt: skip
    backends = ("sqlite", "postgres") if args.backend == "both" else (args.backend,)
    results = []
    for backend in backends:
        result = run_backend(backend, load, args.postgres)
        _print(result)
        results.append(result)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(args.results.read_text()) if args.results.exists() else {}
    runs = {r["backend"]: r for r in previous.get("runs", [])} | {r["backend"]: r for r in results}
    args.results.write_text(
        json.dumps(
            {
                "load": asdict(load),
                "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
                "recorded_at": datetime.now(ISTANBUL).isoformat(timespec="seconds"),
                "runs": list(runs.values()),
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    print(f"\nwrote {args.results}")


if __name__ == "__main__":
    main()
