"""`kapida users`: accounts made on the command line sign in over HTTP; bad input exits 2, writing nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.bootstrap import bootstrap
from api.cli import run
from api.web import create_app
from domain.database import Database
from tests.dispatch_builders import kitchen_with_vans

PASSWORD = "uzun ve gizli bir parola"


@pytest.fixture(autouse=True)
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "kapida.sqlite"
    monkeypatch.setenv("KAPIDA_DB", str(path))
    monkeypatch.setenv("KAPIDA_ACTOR", "kurulum")
    monkeypatch.setenv("KAPIDA_ROLE", "admin")
    return path


def kapida(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], stdin: str, *args: str
) -> tuple[int, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out + err


def test_a_driver_added_by_plate_signs_in_over_http(
    store: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`users add --vehicle PLATE --password-stdin` makes a driver of that van who can then sign in."""
    services = bootstrap(Database.from_url(str(store)))
    _, vans = kitchen_with_vans(services.app)
    services.close()
    args = ("users", "add", "--username", "ali.sofor", "--full-name", "Ali Şoför", "--role", "driver")
    code, out = kapida(
        monkeypatch, capsys, PASSWORD + "\n", *args, "--vehicle", "53 kpd 1", "--password-stdin", "--json"
    )
    assert code == 0, out
    code, out = kapida(monkeypatch, capsys, "", "users", "list", "--json")
    (listed,) = json.loads(out)
    assert (listed["username"], listed["role"], listed["vehicle_id"]) == ("ali.sofor", "driver", vans[1].hex)
    with TestClient(create_app()) as client:
        login = client.post("/api/auth/login", json={"username": "ali.sofor", "password": PASSWORD})
        assert login.status_code == 200 and login.json()["vehicle_id"] == str(vans[1])


def test_bad_accounts_exit_2_and_add_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A short password, an unknown plate, a bad username, or a non-admin actor: exit 2, no user listed."""
    base = ("users", "add", "--full-name", "Ayşe Yılmaz", "--role", "caseworker", "--password-stdin")
    cases = [
        ("kisa\n", (*base, "--username", "ayse.yilmaz")),
        (PASSWORD + "\n", (*base, "--username", "ayse.yilmaz", "--vehicle", "34 XX 99")),
        (PASSWORD + "\n", (*base, "--username", "Ayşe")),
        (PASSWORD + "\n", (*base, "--username", "ayse.yilmaz", "--as-role", "manager")),
    ]
    for stdin, args in cases:
        code, out = kapida(monkeypatch, capsys, stdin, *args)
        assert code == 2, (args, out)
    code, out = kapida(monkeypatch, capsys, "", "users", "list", "--json")
    assert json.loads(out) == []
