"""Erasure over HTTP and the CLI: managers erase, every read shows placeholders, a second try is 409."""

from __future__ import annotations

import json
from base64 import b64decode
from pathlib import Path

import pytest

from api.bootstrap import Services
from api.cli import run
from domain.values import ERASED, Role
from tests.api.test_api_households import household
from tests.api.test_api_support import api_for
from tests.api.test_cli import HOUSEHOLD
from tests.builders import DISPATCHER
from tests.dispatch_builders import DAY, meal_plan

ERASE = {"basis": "data_subject_request", "reason": "Dilekçe 2026/118"}


def test_a_manager_erases_a_household_and_every_api_read_shows_placeholders(services: Services) -> None:
    """Caseworkers may not erase (403); a manager may (200); the household reads as erased with no
    location; a second erasure is 409; a bad legal basis is 422 naming the field."""
    with api_for(services) as api:
        caseworker, manager = api.as_role(Role.CASEWORKER), api.as_role(Role.MANAGER)
        ident = api.client.post("/api/households", json=household(), headers=caseworker).json()["id"]
        url = f"/api/households/{ident}/erase"
        assert api.client.post(url, json=ERASE, headers=caseworker).status_code == 403
        bad = api.client.post(url, json=ERASE | {"basis": "whim"}, headers=manager)
        assert bad.status_code == 422 and "basis" in bad.text
        assert api.client.post(url, json=ERASE, headers=manager).status_code == 200
        read = api.client.get(f"/api/households/{ident}", headers=caseworker).json()
        assert (read["name"], read["phone"], read["address"], read["location"]) == (
            ERASED,
            ERASED,
            ERASED,
            None,
        )
        assert read["erased"] and read["needs"] == [] and read["members"][0]["name"] == ERASED
        again = api.client.post(url, json=ERASE, headers=manager)
        assert again.status_code == 409 and "zaten silindi" in again.text
        assert "Fatma" not in json.dumps(read)


def test_an_enrolled_household_needs_its_enrolments_ended_and_drivers_lists_lose_the_contact(
    services: Services,
) -> None:
    """409 naming the programme while enrolled; with `end_enrolments` it goes through, and the
    published stop list keeps the stop but shows no name, phone or address."""
    plan, vans, stops = meal_plan(services.app)
    services.app.publish_plan(plan, DISPATCHER)
    target = stops[0].household_id
    with api_for(services) as api:
        manager, dispatcher = api.as_role(Role.MANAGER), api.as_role(Role.DISPATCHER)
        url = f"/api/households/{target}/erase"
        refused = api.client.post(url, json=ERASE, headers=manager)
        assert refused.status_code == 409 and "Sıcak yemek" in refused.text
        assert api.client.post(url, json=ERASE | {"end_enrolments": True}, headers=manager).status_code == 200
        listed = api.client.get(
            "/api/driver/stops",
            params={"date": DAY.isoformat(), "vehicle_id": str(vans[0])},
            headers=dispatcher,
        ).json()
        (erased,) = [s for s in listed if s["household_id"] == str(target)]
        assert (erased["name"], erased["phone"], erased["address"]) == ("", "", "")
        assert "Fatma" not in json.dumps(erased)


@pytest.fixture
def cli_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "kapida.sqlite"
    monkeypatch.setenv("KAPIDA_DB", str(path))
    for variable in ("KAPIDA_CIPHER_KEY", "KAPIDA_ENCRYPTION", "KAPIDA_KEYSTORE"):
        monkeypatch.delenv(variable, raising=False)
    return path


def kapida(capsys: pytest.CaptureFixture[str], *args: str, role: str = "caseworker") -> tuple[int, str, str]:
    """Run the CLI; commands that change state act as `elif.aydin` in `role`."""
    acting = args[:2] in (("households", "add"), ("households", "erase"))
    code = run([*args, "--actor", "elif.aydin", "--role", role] if acting else list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_cli_erases_lists_retention_and_makes_keys(
    cli_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`households erase` needs a basis (exit 2), works for a manager, refuses a second time (exit 2);
    `events tail` and `audit history` then show no personal data; `retention` answers JSON;
    `keys new` prints an AES key."""
    code, out, err = kapida(capsys, *HOUSEHOLD, "--json")
    assert code == 0, err
    ident = json.loads(out)["id"]
    code, _, err = kapida(capsys, "households", "erase", ident, "--reason", "istek", role="manager")
    assert code == 2 and "basis" in err
    erase = ("households", "erase", ident, "--basis", "data_subject_request", "--reason", "istek")
    assert kapida(capsys, *erase, role="caseworker")[0] == 2
    assert kapida(capsys, *erase, role="manager")[0] == 0
    code, _, err = kapida(capsys, *erase, role="manager")
    assert code == 2 and "zaten silindi" in err
    code, out, _ = kapida(capsys, "events", "tail", "--json")
    assert code == 0 and [e["event"] for e in json.loads(out)] == ["Household.Registered", "Household.Erased"]
    assert b"Elif Kalkavan" not in cli_store.read_bytes()
    code, out, _ = kapida(capsys, "audit", "history", ident, "--json")
    assert code == 0 and "Household.Erased" in out and "Elif" not in out and "0532" not in out
    code, out, _ = kapida(capsys, "households", "retention", "--older-than", "24m", "--json")
    assert code == 0 and json.loads(out) == []
    assert kapida(capsys, "households", "retention", "--older-than", "soon")[0] == 2
    assert kapida(capsys, "households", "erase", "--resume", "--json", role="manager")[:2] == (0, "[]\n")
    code, out, _ = kapida(capsys, "keys", "new")
    assert code == 0 and len(b64decode(out.strip())) == 32
