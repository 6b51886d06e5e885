"""A small seeded city with staff accounts, for the browser test and for looking at the pages by hand.

`python -m tests.web.city var/web-demo/kapida.sqlite` seeds a database that `KAPIDA_DB=... kapida demo
serve` can then show; the e2e test calls `seed_city` on a fresh temporary database.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from api.bootstrap import bootstrap
from api.security import Passwords
from api.seed import Seeder, map_addresses
from domain.database import Database
from domain.fleet import VehicleKind
from domain.values import Actor, Role
from projections.sql import ViewDatabase

PASSWORD = "kapida-test-1234"
DISPATCHER = "hakan.sahin"
MANAGER = "selin.ozturk"
ADMIN = Actor("test.setup", Role.ADMIN)


@dataclass(frozen=True)
class City:
    """Who can sign in: every account shares `PASSWORD`; `drivers` maps each van to its driver."""

    dispatcher: str
    manager: str
    drivers: dict[UUID, str]


def _vans(views: ViewDatabase) -> list[UUID]:
    rows = views.query("SELECT vehicle_id, kind FROM cl_vehicles ORDER BY plate")
    return [UUID(v) for v, kind in rows if kind == VehicleKind.VAN.value]


def seed_city(database: Path, households: int = 80, seed: int = 7) -> City:
    """Depots, vans and `households` Rize households (as `kapida demo seed`), plus a dispatcher, a
    manager and one driver per hot-meal van."""
    services = bootstrap(Database.from_url(str(database)))
    try:
        Seeder(services.app, seed).run(map_addresses(households + 4, seed))
        services.catch_up()
        password = Passwords().hash(PASSWORD)
        services.app.add_user(DISPATCHER, "Hakan Şahin", Role.DISPATCHER, password, ADMIN)
        services.app.add_user(MANAGER, "Selin Öztürk", Role.MANAGER, password, ADMIN)
        drivers = {}
        for number, van in enumerate(_vans(services.views), start=1):
            username = f"surucu{number:02d}"
            services.app.add_user(username, f"Sürücü {number}", Role.DRIVER, password, ADMIN, vehicle_id=van)
            drivers[van] = username
        services.catch_up()
        return City(DISPATCHER, MANAGER, drivers)
    finally:
        services.close()


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "var/web-demo/kapida.sqlite")
    target.parent.mkdir(parents=True, exist_ok=True)
    city = seed_city(target, households=int(sys.argv[2]) if len(sys.argv) > 2 else 80)
    print(f"{target}: dispatcher {city.dispatcher}, manager {city.manager}, password {PASSWORD}")
    print("drivers: " + ", ".join(sorted(city.drivers.values())))
