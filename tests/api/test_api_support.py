"""Shared helpers of the API tests: an app over the test's services, users in each role, their tokens.

Tokens are issued by the app's own `Tokens` (the same code login uses) so only the sign-in tests pay
for argon2; the hasher is the real one with light parameters to keep the suite fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from api.bootstrap import Services
from api.routers.context import ApiContext
from api.security import Passwords
from api.web import create_app
from domain.values import Role
from tests.dispatch_builders import ADMIN

PASSWORD = "doğru at pil zımba"
LIGHT = Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
NAMES = {
    Role.CASEWORKER: "ayse.yilmaz",
    Role.DISPATCHER: "hakan.sahin",
    Role.DRIVER: "veli.sofor",
    Role.MANAGER: "zeynep.mudur",
    Role.ADMIN: "admin",
}


class Api:
    """A test client plus the means to make signed-in users."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.app = create_app(services)
        self.ctx: ApiContext = self.app.state.kapida
        self.ctx.passwords = LIGHT
        self.client = TestClient(self.app)

    def add_user(self, username: str, role: Role, vehicle: UUID | None = None) -> None:
        self.services.app.add_user(
            username, username.title(), role, LIGHT.hash(PASSWORD), ADMIN, vehicle_id=vehicle
        )

    def headers(self, username: str) -> dict[str, str]:
        token, _ = self.ctx.tokens.issue(username)
        return {"Authorization": f"Bearer {token}"}

    def as_role(self, role: Role, vehicle: UUID | None = None, username: str = "") -> dict[str, str]:
        """Headers of a (new) user in `role`; drivers may be given their vehicle."""
        name = username or NAMES[role]
        self.add_user(name, role, vehicle)
        return self.headers(name)

    def everyone(self) -> dict[Role, dict[str, str]]:
        """One user per role (the driver without a vehicle)."""
        return {role: self.as_role(role) for role in NAMES}


@contextmanager
def api_for(services: Services) -> Iterator[Api]:
    api = Api(services)
    try:
        yield api
    finally:
        api.ctx.close()


def household(**changes: Any) -> dict[str, Any]:
    """The body of a valid `POST /api/households`, with `changes` applied."""
    body: dict[str, Any] = {
        "name": "Fatma Kalkavan",
        "phone": "0532 123 45 67",
        "address": "Cumhuriyet Cd. No:5, Tophane Mah., Rize Merkez",
        "location": {"lat": 41.0201, "lon": 40.5234},
        "district": "Rize Merkez",
        "neighbourhood": "Tophane Mah.",
        "members": [{"name": "Fatma", "birth_date": "1948-03-14"}],
        "needs": ["diabetic"],
    }
    return body | changes
