"""`kill -9` during a burst of writes: every answered write is in the log exactly once, retries after the
restart change nothing, and the read models after catch-up equal a full rebuild.

The server is a real uvicorn in a child process on a SQLite file (and on a PostgreSQL schema when
KAPIDA_TEST_POSTGRES is set). `KAPIDA_SOAK_ROUNDS=N` (set by `make loadtest`) repeats kill and restart N
times on one database with fresh writes each round.
"""

from __future__ import annotations

import asyncio
import os
import random
from collections import Counter
from dataclasses import replace
from pathlib import Path
from uuid import UUID

import pytest

from api.bootstrap import Services, bootstrap
from benchmarks.bench_api import SECRET, start_server
from domain.database import Database
from domain.stop_visit import stop_visit_id
from tests.reliability.crash_support import (
    Outcomes,
    Write,
    burst_and_kill,
    database_url,
    seeded_city,
    send_all,
)
from tests.reliability.support import event_names

SOAK_ROUNDS = int(os.environ.get("KAPIDA_SOAK_ROUNDS", "0"))


def view_rows(services: Services) -> dict[str, list[str]]:
    """Every row of every read-model table, in a stable order."""
    return {
        table: sorted(repr(row) for row in services.views.query(f"SELECT * FROM {table}"))
        for projector in (services.caseload, services.dispatch)
        for table in projector.view.tables
    }


def crash_round(
    url: str, workdir: Path, writes: list[Write], rng: random.Random
) -> tuple[Outcomes, Outcomes]:
    """Burst, kill -9 at a random answer, restart, retry every write with its key; the server is stopped."""
    first = asyncio.run(burst_and_kill(start_server(url, workdir), writes, rng))
    running = start_server(url, workdir)
    try:
        second = asyncio.run(send_all(running.base, writes, Outcomes()))
    finally:
        running.stop()
    return first, second


def check_exactly_once(
    services: Services,
    plan: UUID,
    writes: list[Write],
    outcomes: tuple[Outcomes, Outcomes],
    seed: int,
    baseline: Counter[str],
) -> None:
    """This round's answers are all 2xx and stable across the retry; the log holds each write once."""
    first, second = outcomes
    for key, answer in first.answers.items():
        assert 200 <= answer.status_code < 300, (seed, key, answer.status_code, answer.text)
    assert not second.lost, (seed, second.lost)
    for write in writes:
        again = second.answers[write.key]
        assert 200 <= again.status_code < 300, (seed, write.key, again.text)
        if write.key in first.answers:  # answered before the kill: the retry gets the same answer back
            assert again.json() == first.answers[write.key].json(), (seed, write.key)
        if write.stop:
            reports = [e for e in services.app.events_of(stop_visit_id(plan, write.stop))
                       if type(e).__name__ == "Reported"]  # fmt: skip
            assert len(reports) == 1, (seed, write.key, len(reports))
    added = Counter(event_names(services)) - baseline
    assert added["Household.Registered"] == sum(1 for w in writes if not w.stop), seed
    assert added["IdempotencyKey.Recorded"] == len(writes), seed
    assert added["StopVisit.Reported"] == sum(1 for w in writes if w.stop), seed


def check_catch_up_equals_rebuild(services: Services) -> None:
    services.catch_up()
    caught_up = view_rows(services)
    services.rebuild()
    assert view_rows(services) == caught_up


@pytest.fixture(autouse=True)
def shared_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test process and the server it starts sign tokens and key the national-id index alike."""
    monkeypatch.setenv("KAPIDA_SECRET", SECRET)


def test_kill_9_mid_burst_loses_no_accepted_write_and_doubles_none(
    database: Database, tmp_path: Path
) -> None:
    """A random moment of death (the seed is in every assertion message); then retries, log and views."""
    seed = random.randrange(1 << 30)
    services = bootstrap(database)
    try:
        plan, writes = seeded_city(services)
        baseline = Counter(event_names(services))
        outcomes = crash_round(database_url(database), tmp_path, writes, random.Random(seed))
        check_exactly_once(services, plan, writes, outcomes, seed, baseline)
        check_catch_up_equals_rebuild(services)
    finally:
        services.close()


@pytest.mark.skipif(SOAK_ROUNDS == 0, reason="the soak runs under `make loadtest` (KAPIDA_SOAK_ROUNDS)")
def test_soak_repeated_kills_keep_the_log_and_views_exact(database: Database, tmp_path: Path) -> None:
    """Round after round of burst, kill -9 and retry on one database: the same properties every time."""
    services = bootstrap(database)
    try:
        plan, writes = seeded_city(services)
        stops = [w for w in writes if w.stop]
        for round_ in range(SOAK_ROUNDS):
            seed = random.randrange(1 << 30)
            fresh = [replace(w, key=f"{w.key}-{round_}", body=w.body | {"name": f"Hane {round_}-{n}"})
                     for n, w in enumerate(writes) if not w.stop]  # fmt: skip
            batch = (stops if round_ == 0 else []) + fresh
            baseline = Counter(event_names(services))
            outcomes = crash_round(database_url(database), tmp_path, batch, random.Random(seed))
            check_exactly_once(services, plan, batch, outcomes, seed, baseline)
            check_catch_up_equals_rebuild(services)
    finally:
        services.close()
