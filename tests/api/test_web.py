"""The web app serves the caseload as JSON (signed in) and as a Turkish page, kept current."""

from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.bootstrap import Services
from api.web import create_app
from domain.programmes import Programme
from domain.values import Role
from tests.api.test_api_support import api_for
from tests.builders import enrolled, register


def test_the_caseload_api_and_page_show_enrolled_households(services: Services) -> None:
    """After an enrolment the API counts it per neighbourhood; the page shows the Turkish name."""
    enrolled(services.app, register(services.app), Programme.HOT_MEAL)
    with api_for(services) as api, TestClient(api.app) as client:
        headers = api.as_role(Role.CASEWORKER)
        rows = client.get("/api/caseload", params={"on": "2026-11-21"}, headers=headers).json()
        assert [(r["programme"], r["neighbourhood"], r["active"]) for r in rows] == [
            ("hot_meal", "Tophane Mah.", 1)
        ]
        decisions = client.get("/api/caseload/decisions", headers=headers).json()
        assert decisions[0]["approved"] == 1 and decisions[0]["month"] == "2026-09"
        page = client.get("/caseload")
        assert page.status_code == 200 and "Sıcak yemek" in page.text and 'lang="tr"' in page.text


def test_bad_query_parameters_are_refused_naming_the_field(services: Services) -> None:
    """An unknown programme or an impossible date is a 422 that names the parameter, in Turkish by default
    and in English when the browser asks for it."""
    with api_for(services) as api:
        headers = api.as_role(Role.MANAGER)
        response = api.client.get("/api/caseload", params={"programme": "coal"}, headers=headers)
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == "programme"
        assert response.json()["field"] == "programme"
        assert response.json()["detail"].startswith("programme: şunlardan biri olmalı: 'hot_meal'")
        day = date(2026, 2, 1).isoformat()[:8] + "30"
        english = headers | {"Accept-Language": "en-GB,en;q=0.9"}
        response = api.client.get("/api/caseload", params={"on": day}, headers=english)
        assert response.status_code == 422 and response.json()["field"] == "on"
        assert response.json()["detail"] == "on: must be a date (YYYY-MM-DD)"


def test_create_app_without_services_opens_the_configured_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`kapida demo serve` calls create_app() with no services: it opens KAPIDA_DB and serves the API."""
    monkeypatch.setenv("KAPIDA_DB", f"{tmp_path}/kapida.sqlite")
    with TestClient(create_app()) as client:
        assert client.get("/api/me").status_code == 401
        assert client.get("/openapi.json").json()["info"]["title"] == "Kapıda"
