"""A burst of keyed writes against a real uvicorn, for the crash tests and the soak: who got which answer."""

from __future__ import annotations

import asyncio
import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx

from api.bootstrap import Services
from api.security import Tokens
from benchmarks.bench_api import SECRET, Load, ServerProcess, seed, start_server
from domain.database import Database
from domain.service import ISTANBUL, today_in_istanbul
from domain.values import Actor, Role
from tests.api.test_api_support import household

SEEDER = Actor("seed", Role.SYSTEM)
CITY = Load(drivers=3, vans=3, stops=12, think_ms=(0, 0), retry_share=0, fail_share=0, max_seconds=60, seed=3)


@dataclass(frozen=True)
class Write:
    """One keyed request a client means to get through exactly once."""

    key: str
    url: str
    body: dict[str, Any]
    user: str
    stop: str = ""


@dataclass
class Outcomes:
    answers: dict[str, httpx.Response] = field(default_factory=dict)
    lost: set[str] = field(default_factory=set)


def database_url(database: Database) -> str:
    if database.sqlite_path is not None:
        return str(database.sqlite_path)
    return f"{database.dsn}{'&' if '?' in (database.dsn or '') else '?'}schema={database.schema}"


def seeded_city(services: Services) -> tuple[UUID, list[Write]]:
    """A published plan of 3 vans x 12 stops and a caseworker; one report per stop and six registrations."""
    plan, assignments = seed(services, CITY, today_in_istanbul())
    services.app.add_user("ayse.yilmaz", "Ayşe Yılmaz", Role.CASEWORKER, "$argon2id$unused", SEEDER)
    writes = [
        Write(f"r-{key}", f"/api/plans/{plan}/stops/{key}/report", _report(key), driver, key)
        for driver, _, keys in assignments
        for key in keys
    ]
    writes += [
        Write(f"h-{n}", "/api/households", household(name=f"Hane {n}"), "ayse.yilmaz") for n in range(6)
    ]
    random.Random(7).shuffle(writes)
    services.catch_up()
    return plan, writes


def _report(key: str) -> dict[str, Any]:
    return {"outcome": "delivered", "at": (datetime.now(ISTANBUL) - timedelta(minutes=1)).isoformat(),
            "idempotency_key": f"body-{uuid.uuid5(uuid.NAMESPACE_URL, key).hex[:12]}",
            "receiver": "Kapıdaki kişi"}  # fmt: skip


async def send_all(
    base: str, writes: list[Write], outcomes: Outcomes, answered: asyncio.Event | None = None, at: int = 0
) -> Outcomes:
    """Send every write with its Idempotency-Key, a few at a time; a dead server leaves them `lost`.
    `answered` is set once `at` answers have come back."""
    tokens = Tokens(SECRET)
    gate = asyncio.Semaphore(6)

    async def one(client: httpx.AsyncClient, write: Write) -> None:
        headers = {
            "Authorization": f"Bearer {tokens.issue(write.user)[0]}",
            "Idempotency-Key": write.key,
        }
        async with gate:
            try:
                outcomes.answers[write.key] = await client.post(write.url, json=write.body, headers=headers)
            except httpx.HTTPError:
                outcomes.lost.add(write.key)
        if answered is not None and len(outcomes.answers) >= at:
            answered.set()

    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        await asyncio.gather(*(one(client, write) for write in writes))
    return outcomes


async def burst_and_kill(running: ServerProcess, writes: list[Write], rng: random.Random) -> Outcomes:
    """Fire the burst and `kill -9` the server after a random number of answers (10 %-80 % of them)."""
    answered, outcomes = asyncio.Event(), Outcomes()
    at = rng.randint(len(writes) // 10, 4 * len(writes) // 5)
    sending = asyncio.create_task(send_all(running.base, writes, outcomes, answered, at))
    waiting = asyncio.create_task(answered.wait())
    await asyncio.wait({sending, waiting}, return_when=asyncio.FIRST_COMPLETED)
    waiting.cancel()
    await asyncio.get_running_loop().run_in_executor(None, running.kill)
    return await sending


def restart(url: str, workdir: Path) -> ServerProcess:
    return start_server(url, workdir)
