"""Caseload, manifest and route plans as of a past moment, through the CLI and the HTTP API."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from api.bootstrap import Services
from api.cli import run
from domain.database import Database
from domain.programmes import Programme
from domain.values import Role
from tests.api.test_api_support import api_for
from tests.builders import CASEWORKER, DISPATCHER, enrolled, register
from tests.dispatch_builders import DAY, meal_plan

ON = "2026-12-02"


def url_of(database: Database) -> str:
    if database.sqlite_path is not None:
        return str(database.sqlite_path)
    assert database.dsn is not None
    return f"{database.dsn}{'&' if '?' in database.dsn else '?'}schema={database.schema}"


def kapida(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def suspended_after_a_moment(services: Services) -> datetime:
    """A hot-meal household, the moment it was active, then a suspension covering `ON`."""
    enrolment = enrolled(services.app, register(services.app), Programme.HOT_MEAL)
    services.catch_up()
    moment = datetime.now(UTC)
    services.app.suspend_enrolment(enrolment, date(2026, 12, 1), "Hastanede", CASEWORKER)
    return moment


def test_the_cli_answers_caseload_manifest_and_plan_as_of_a_past_moment(
    services: Services, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before the suspension the household was active and on the manifest; now it is neither."""
    monkeypatch.setenv("KAPIDA_DB", url_of(services.views.database))
    moment = suspended_after_a_moment(services).isoformat()
    code, out, err = kapida(capsys, "caseload", "--on", ON, "--as-of", moment, "--json")
    assert code == 0, err
    assert [(r["active"], r["suspended"]) for r in json.loads(out)] == [(1, 0)]
    code, out, _ = kapida(capsys, "caseload", "--on", ON, "--json")
    assert [(r["active"], r["suspended"]) for r in json.loads(out)] == [(0, 1)]
    code, out, _ = kapida(
        capsys, "manifest", "--date", ON, "--programme", "hot_meal", "--as-of", moment, "--json"
    )
    assert len(json.loads(out)) == 1
    code, out, _ = kapida(capsys, "manifest", "--date", ON, "--programme", "hot_meal", "--json")
    assert json.loads(out) == []
    plan, _, _ = meal_plan(services.app)
    code, _, err = kapida(capsys, "plans", "show", str(plan), "--as-of", moment)
    assert code == 2 and "rota planı bulunamadı" in err
    code, out, _ = kapida(
        capsys, "plans", "show", str(plan), "--as-of", datetime.now(UTC).isoformat(), "--json"
    )
    assert code == 0 and json.loads(out)[0]["stops"] == 2
    code, out, _ = kapida(capsys, "plans", "list", "--date", DAY.isoformat(), "--as-of", moment, "--json")
    assert code == 0 and json.loads(out) == []
    code, out, _ = kapida(capsys, "plans", "list", "--date", DAY.isoformat(), "--json")
    assert [p["status"] for p in json.loads(out)] == ["planned"]


def test_the_cli_refuses_a_future_or_malformed_moment(
    services: Services, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Exit code 2 and the as_of field named; nothing is asked of the views."""
    monkeypatch.setenv("KAPIDA_DB", url_of(services.views.database))
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    code, _, err = kapida(capsys, "caseload", "--as-of", tomorrow)
    assert code == 2 and "as_of" in err and "ileri bir zaman" in err
    code, _, err = kapida(capsys, "manifest", "--date", ON, "--programme", "milk", "--as-of", "dün")
    assert code == 2 and "as_of" in err


def test_the_api_answers_caseload_manifest_and_plan_as_of_a_past_moment(services: Services) -> None:
    """`as_of` on the caseload, manifest and plan endpoints gives the answers of that moment."""
    moment = suspended_after_a_moment(services)
    plan, _, _ = meal_plan(services.app)
    services.catch_up()
    planned_at = datetime.now(UTC)
    services.app.publish_plan(plan, DISPATCHER)
    with api_for(services) as api:
        h = api.as_role(Role.MANAGER)
        past = api.client.get(
            "/api/caseload", params={"on": ON, "as_of": moment.isoformat()}, headers=h
        ).json()
        now = api.client.get("/api/caseload", params={"on": ON}, headers=h).json()
        assert ([r["active"] for r in past], [r["suspended"] for r in now]) == ([1], [1])
        manifest = {"date": ON, "programme": "hot_meal", "as_of": moment.isoformat()}
        assert len(api.client.get("/api/manifest", params=manifest, headers=h).json()) == 1
        earlier = api.client.get(f"/api/plans/{plan}", params={"as_of": planned_at.isoformat()}, headers=h)
        assert earlier.status_code == 200, earlier.text
        body = earlier.json()
        assert body["status"] == "planned" and body["day"] == DAY.isoformat()
        assert [len(r["stops"]) for r in body["routes"]] == [2] and body["unserved"][0][
            "reason"
        ] == "capacity"
        assert body["routes"][0]["stops"][0]["name"] == "Fatma Kalkavan"
        assert api.client.get(f"/api/plans/{plan}", headers=h).json()["status"] == "published"
        listed = api.client.get(
            "/api/plans", params={"date": DAY.isoformat(), "as_of": planned_at.isoformat()}, headers=h
        )
        assert [p["status"] for p in listed.json()] == ["planned"]
        before = api.client.get(f"/api/plans/{plan}", params={"as_of": moment.isoformat()}, headers=h)
        assert before.status_code == 404
        future = api.client.get("/api/caseload", params={"as_of": "2999-01-01T00:00"}, headers=h)
        assert future.status_code == 422 and future.json()["field"] == "as_of"


def test_the_cli_stores_and_lists_checkpoints(
    services: Services, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`projections checkpoint` stores one per view at its position; `projections checkpoints` lists them."""
    monkeypatch.setenv("KAPIDA_DB", url_of(services.views.database))
    register(services.app)
    code, out, err = kapida(capsys, "projections", "checkpoint", "--json")
    assert code == 0, err
    assert {row["view"]: row["position"] for row in json.loads(out)} == {
        "caseload": 1,
        "dispatch": 1,
        "reports": 1,
    }
    code, out, _ = kapida(capsys, "projections", "checkpoints", "--json")
    listed = json.loads(out)
    assert [(row["view"], row["position"]) for row in listed] == [
        ("caseload", 1),
        ("dispatch", 1),
        ("reports", 1),
    ]
    assert all(row["bytes"] > 0 for row in listed)
