"""The demo city: real Rize addresses, every step a command, the same city for the same seed."""

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from api.bootstrap import bootstrap
from api.seed import CASEWORKERS, SeedAddress, Seeder, map_addresses
from domain.database import Database
from projections import queries
from projections.decoding import EventDecoder, event_name, value

TODAY = date(2026, 11, 21)


@pytest.fixture(scope="module")
def addresses() -> list[SeedAddress]:
    return map_addresses(124, seed=11)


def seeded(folder: Path, addresses: list[SeedAddress], seed: int) -> tuple[list[object], Counter[str]]:
    services = bootstrap(Database.from_url(str(folder / "kapida.sqlite")))
    try:
        Seeder(services.app, seed, today=TODAY).run(addresses)
        services.caseload.catch_up()
        caseload = list(queries.caseload(services.views, TODAY))
        decoder = EventDecoder(services.app.mapper)
        who = Counter[str]()
        for n in services.app.recorder.select_notifications(start=1, limit=100_000):
            actor = value(decoder.decode(n.state).get("actor")) or {}
            who[f"{event_name(n.topic)}:{actor.get('user')}"] += 1
        return caseload, who
    finally:
        services.close()


def test_the_same_seed_builds_the_same_city(tmp_path: Path, addresses: list[SeedAddress]) -> None:
    """Two runs with one seed give equal caseloads; another seed gives a different one."""
    first, _ = seeded(tmp_path / "a", addresses, seed=7)
    again, _ = seeded(tmp_path / "b", addresses, seed=7)
    other, _ = seeded(tmp_path / "c", addresses, seed=8)
    assert first == again
    assert first != other


def test_households_stand_in_real_neighbourhoods_and_decisions_are_signed(
    tmp_path: Path, addresses: list[SeedAddress]
) -> None:
    """Addresses come from Rize's buildings with their mahalle; caseworkers by name make the decisions."""
    caseload, who = seeded(tmp_path, addresses, seed=7)
    assert all(a.district and a.neighbourhood for a in addresses)
    assert len({row.neighbourhood for row in caseload}) >= 5
    assert sum(row.active for row in caseload) > 0 and sum(row.pending for row in caseload) > 0
    deciders = {key.split(":")[1] for key in who if key.startswith("AidApplication.Approved")}
    assert deciders and deciders <= set(CASEWORKERS)
    registrars = {key.split(":")[1] for key in who if key.startswith("Household.Registered")}
    assert registrars <= set(CASEWORKERS)
