"""User accounts over HTTP: only admins add and list them; dispatchers move drivers between vans."""

from __future__ import annotations

from typing import Any

from api.bootstrap import Services
from domain.values import Role
from tests.api.test_api_support import api_for
from tests.dispatch_builders import kitchen_with_vans

NEW_DRIVER = {
    "username": "ali.sofor",
    "full_name": "Ali Şoför",
    "role": "driver",
    "password": "uzun bir parola",
}


def test_an_admin_adds_a_driver_who_can_then_sign_in(services: Services) -> None:
    """The new account is listed (without any password) and its password gives a token; a duplicate is 409."""
    _, vans = kitchen_with_vans(services.app)
    with api_for(services) as api:
        h = api.as_role(Role.ADMIN)
        body = NEW_DRIVER | {"vehicle_id": str(vans[0])}
        assert api.client.post("/api/users", json=body, headers=h).status_code == 201
        listed = {u["username"]: u for u in api.client.get("/api/users", headers=h).json()}
        assert listed["ali.sofor"] == {
            "username": "ali.sofor",
            "full_name": "Ali Şoför",
            "role": "driver",
            "vehicle_id": str(vans[0]),
            "active": True,
            "language": None,
        }
        login = api.client.post(
            "/api/auth/login", json={"username": "ali.sofor", "password": "uzun bir parola"}
        )
        assert login.status_code == 200 and login.json()["vehicle_id"] == str(vans[0])
        assert api.client.post("/api/users", json=body, headers=h).status_code == 409


def test_bad_accounts_are_refused_by_field(services: Services) -> None:
    """A bad username, short password, unknown role, a vehicle for a caseworker, an unknown vehicle."""
    _, vans = kitchen_with_vans(services.app)
    with api_for(services) as api:
        h = api.as_role(Role.ADMIN)
        cases: dict[str, dict[str, Any]] = {
            "username": NEW_DRIVER | {"username": "Ali Şoför"},
            "password": NEW_DRIVER | {"password": "kısa"},
            "role": NEW_DRIVER | {"role": "king"},
            "vehicle": NEW_DRIVER | {"role": "caseworker", "vehicle_id": str(vans[0])},
            "is_admin": NEW_DRIVER | {"is_admin": True},
        }
        for field, body in cases.items():
            response = api.client.post("/api/users", json=body, headers=h)
            assert response.status_code == 422 and response.json()["field"] == field, (field, response.json())
        system = api.client.post("/api/users", json=NEW_DRIVER | {"role": "system"}, headers=h)
        assert system.status_code == 422 and system.json()["field"] == "role"
        unknown = NEW_DRIVER | {"vehicle_id": "00000000-0000-4000-8000-000000000000"}
        assert api.client.post("/api/users", json=unknown, headers=h).status_code == 404


def test_only_admins_manage_accounts(services: Services) -> None:
    """Every other role gets 403 adding, listing or deactivating users."""
    with api_for(services) as api:
        roles = api.everyone()
        for role in (Role.CASEWORKER, Role.DISPATCHER, Role.DRIVER, Role.MANAGER):
            h = roles[role]
            assert api.client.post("/api/users", json=NEW_DRIVER, headers=h).status_code == 403, role
            assert api.client.get("/api/users", headers=h).status_code == 403, role
            gone = api.client.post("/api/users/admin/deactivate", json={"reason": "x"}, headers=h)
            assert gone.status_code == 403, role
        missing = api.client.post(
            "/api/users/kimse/deactivate", json={"reason": "x"}, headers=roles[Role.ADMIN]
        )
        assert missing.status_code == 404


def test_a_dispatcher_moves_a_driver_to_another_van_and_the_driver_sees_it(services: Services) -> None:
    """After the assignment the driver's /api/me names the new van; a caseworker cannot assign (403)."""
    _, vans = kitchen_with_vans(services.app)
    with api_for(services) as api:
        driver = api.as_role(Role.DRIVER, vans[0])
        dispatcher = api.as_role(Role.DISPATCHER)
        caseworker = api.as_role(Role.CASEWORKER)
        body = {"vehicle_id": str(vans[1])}
        assert (
            api.client.post("/api/users/veli.sofor/vehicle", json=body, headers=caseworker).status_code == 403
        )
        assert (
            api.client.post("/api/users/veli.sofor/vehicle", json=body, headers=dispatcher).status_code == 204
        )
        assert api.client.get("/api/me", headers=driver).json()["vehicle_id"] == str(vans[1])
        not_driver = api.client.post("/api/users/hakan.sahin/vehicle", json=body, headers=dispatcher)
        assert not_driver.status_code == 422 and not_driver.json()["field"] == "vehicle"
