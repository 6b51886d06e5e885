"""Households over HTTP: caseworkers register and change them; nobody else reads personal data."""

from __future__ import annotations

from uuid import uuid4

from api.bootstrap import Services
from domain.values import Role
from tests.api.test_api_support import api_for, household


def test_a_caseworker_registers_reads_and_changes_a_household(services: Services) -> None:
    """Register, read back with members and needs, move it, change members and needs: each shows on read."""
    with api_for(services) as api:
        headers = api.as_role(Role.CASEWORKER)
        created = api.client.post("/api/households", json=household(), headers=headers)
        assert created.status_code == 201
        ident = created.json()["id"]
        read = api.client.get(f"/api/households/{ident}", headers=headers).json()
        assert (read["name"], read["needs"], read["members"][0]["birth_date"]) == (
            "Fatma Kalkavan",
            ["diabetic"],
            "1948-03-14",
        )
        move = {
            "location": {"lat": 41.03, "lon": 40.51},
            "district": "Rize Merkez",
            "neighbourhood": "Müftü Mah.",
            "address": "Atatürk Cd. No:1",
        }
        assert api.client.post(f"/api/households/{ident}/move", json=move, headers=headers).status_code == 200
        members = {
            "members": [
                {"name": "Fatma", "birth_date": "1948-03-14"},
                {"name": "Ali", "birth_date": "1945-01-02"},
            ]
        }
        assert (
            api.client.put(f"/api/households/{ident}/members", json=members, headers=headers).status_code
            == 200
        )
        needs = {"needs": ["wheelchair_user", "diabetic"]}
        assert (
            api.client.put(f"/api/households/{ident}/needs", json=needs, headers=headers).status_code == 200
        )
        read = api.client.get(f"/api/households/{ident}", headers=headers).json()
        assert read["neighbourhood"] == "Müftü Mah." and read["address"] == "Atatürk Cd. No:1"
        assert len(read["members"]) == 2 and read["needs"] == ["diabetic", "wheelchair_user"]


def test_only_caseworkers_managers_and_admins_see_or_touch_households(services: Services) -> None:
    """Drivers and dispatchers get 403 reading or registering; managers and admins may read."""
    with api_for(services) as api:
        roles = api.everyone()
        ident = api.client.post("/api/households", json=household(), headers=roles[Role.CASEWORKER]).json()[
            "id"
        ]
        for role in (Role.DRIVER, Role.DISPATCHER):
            assert api.client.get(f"/api/households/{ident}", headers=roles[role]).status_code == 403
            assert (
                api.client.post("/api/households", json=household(), headers=roles[role]).status_code == 403
            )
            needs = api.client.put(f"/api/households/{ident}/needs", json={"needs": []}, headers=roles[role])
            assert needs.status_code == 403
        for role in (Role.MANAGER, Role.ADMIN):
            assert api.client.get(f"/api/households/{ident}", headers=roles[role]).status_code == 200


def test_bad_household_bodies_are_422s_that_name_the_field(services: Services) -> None:
    """Unknown fields, wrong types, coordinates out of range, a bad phone, no members: each named."""
    with api_for(services) as api:
        headers = api.as_role(Role.CASEWORKER)
        cases = {
            "salary": household(salary=5),
            "location.lat": household(location={"lat": "north", "lon": 40.5}),
            "location.lon": household(location={"lat": 41.0, "lon": 400}),
            "phone": household(phone="0532 12A 45 67"),
            "members": household(members=[]),
            "members[0].birth_date": household(members=[{"name": "X", "birth_date": "1948-02-30"}]),
            "members[1].birth_date": household(
                members=[{"name": "X", "birth_date": "1950-01-01"}, {"name": "Y", "birth_date": "1850-01-01"}]
            ),
            "needs[0]": household(needs=["coal"]),
        }
        for field, body in cases.items():
            response = api.client.post("/api/households", json=body, headers=headers)
            assert response.status_code == 422, field
            assert response.json()["field"] == field, response.json()
        outside = household(location={"lat": 51.5, "lon": -0.1})
        response = api.client.post("/api/households", json=outside, headers=headers)
        assert response.status_code == 422 and response.json()["field"] == "location.lat"


def test_an_unknown_household_is_404_and_a_malformed_id_is_422(services: Services) -> None:
    """Reading or changing a household that does not exist is 404; a non-UUID id names the path field."""
    with api_for(services) as api:
        headers = api.as_role(Role.CASEWORKER)
        assert api.client.get(f"/api/households/{uuid4()}", headers=headers).status_code == 404
        missing = api.client.put(f"/api/households/{uuid4()}/needs", json={"needs": []}, headers=headers)
        assert missing.status_code == 404
        malformed = api.client.get("/api/households/42", headers=headers)
        assert malformed.status_code == 422 and malformed.json()["field"] == "household_id"
