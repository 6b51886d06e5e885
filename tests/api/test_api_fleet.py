"""Depots and vehicles over HTTP: the dispatcher's fleet, refused to caseworkers and drivers."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from api.bootstrap import Services
from domain.values import Role
from tests.api.test_api_support import Api, api_for

KITCHEN = {
    "name": "Merkez Aşevi",
    "kind": "central_kitchen",
    "location": {"lat": 41.0201, "lon": 40.5234},
    "district": "Rize Merkez",
    "neighbourhood": "Tophane Mah.",
}


def van(depot: str, **changes: Any) -> dict[str, Any]:
    body = {
        "plate": "53 kpd 01",
        "kind": "van",
        "capacities": {"meal_containers": 40},
        "shift_start": "06:00",
        "shift_end": "20:00",
        "depot_id": depot,
    }
    return body | changes


def depot(api: Api, headers: dict[str, str]) -> str:
    response = api.client.post("/api/depots", json=KITCHEN, headers=headers)
    assert response.status_code == 201
    return str(response.json()["id"])


def test_a_dispatcher_registers_lists_and_closes_depots(services: Services) -> None:
    """A registered depot is listed and readable; closing it twice is 409; no van joins a closed depot."""
    with api_for(services) as api:
        h = api.as_role(Role.DISPATCHER)
        ident = depot(api, h)
        assert [d["name"] for d in api.client.get("/api/depots", headers=h).json()] == ["Merkez Aşevi"]
        assert api.client.get(f"/api/depots/{ident}", headers=h).json()["closed"] is False
        assert (
            api.client.post(f"/api/depots/{ident}/close", json={"reason": "Tadilat"}, headers=h).status_code
            == 200
        )
        assert (
            api.client.post(f"/api/depots/{ident}/close", json={"reason": "x"}, headers=h).status_code == 409
        )
        assert api.client.get("/api/depots", headers=h).json()[0]["closed"] is True
        assert api.client.post("/api/vehicles", json=van(ident), headers=h).status_code == 409
        assert api.client.get(f"/api/depots/{uuid4()}", headers=h).status_code == 404


def test_a_dispatcher_registers_vehicles_and_takes_them_out_of_service(services: Services) -> None:
    """Plates are upper-cased; out of service and back show in the list; repeating either is 409."""
    with api_for(services) as api:
        h = api.as_role(Role.DISPATCHER)
        created = api.client.post("/api/vehicles", json=van(depot(api, h)), headers=h)
        assert created.status_code == 201
        ident = created.json()["id"]
        (listed,) = api.client.get("/api/vehicles", headers=h).json()
        assert (listed["plate"], listed["capacities"], listed["in_service"]) == (
            "53 KPD 01",
            {"meal_containers": 40},
            True,
        )
        out = {"reason": "Arıza"}
        assert (
            api.client.post(f"/api/vehicles/{ident}/out-of-service", json=out, headers=h).status_code == 200
        )
        assert (
            api.client.post(f"/api/vehicles/{ident}/out-of-service", json=out, headers=h).status_code == 409
        )
        assert api.client.get(f"/api/vehicles/{ident}", headers=h).json()["in_service"] is False
        assert api.client.post(f"/api/vehicles/{ident}/return-to-service", headers=h).status_code == 200
        assert api.client.post(f"/api/vehicles/{ident}/return-to-service", headers=h).status_code == 409
        assert api.client.get(f"/api/vehicles/{uuid4()}", headers=h).status_code == 404


def test_bad_vehicles_are_refused_by_field(services: Services) -> None:
    """Unknown capacity dimensions, negative amounts, a shift ending before it starts, an unknown depot."""
    with api_for(services) as api:
        h = api.as_role(Role.DISPATCHER)
        home = depot(api, h)
        cases = {
            "capacities.coal_kg": van(home, capacities={"coal_kg": 5}),
            "capacities.meal_containers": van(home, capacities={"meal_containers": -1}),
            "capacities": van(home, capacities={"meal_containers": 0}),
            "shift": van(home, shift_start="20:00", shift_end="06:00"),
            "shift_start": van(home, shift_start="25:00"),
            "kind": van(home, kind="rocket"),
            "colour": van(home, colour="red"),
        }
        for field, body in cases.items():
            response = api.client.post("/api/vehicles", json=body, headers=h)
            assert response.status_code == 422 and response.json()["field"] == field, (field, response.json())
        assert api.client.post("/api/vehicles", json=van(str(uuid4())), headers=h).status_code == 404


def test_caseworkers_and_drivers_have_no_fleet_access(services: Services) -> None:
    """Listing, reading and registering depots and vehicles is 403 for caseworkers and drivers."""
    with api_for(services) as api:
        roles = api.everyone()
        home = depot(api, roles[Role.DISPATCHER])
        for role in (Role.CASEWORKER, Role.DRIVER):
            h = roles[role]
            for path in ("/api/depots", "/api/vehicles", f"/api/depots/{home}"):
                assert api.client.get(path, headers=h).status_code == 403, (role, path)
            assert api.client.post("/api/depots", json=KITCHEN, headers=h).status_code == 403
            assert api.client.post("/api/vehicles", json=van(home), headers=h).status_code == 403
        assert api.client.get("/api/vehicles", headers=roles[Role.MANAGER]).status_code == 200
