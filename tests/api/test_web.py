"""The web app serves the caseload as JSON and as a Turkish page, kept current by the projector."""

from datetime import date

from fastapi.testclient import TestClient

from api.bootstrap import Services
from api.web import create_app
from domain.programmes import Programme
from tests.builders import enrolled, register


def test_the_caseload_api_and_page_show_enrolled_households(services: Services) -> None:
    """After an enrolment the API counts it per neighbourhood; the page shows the Turkish name."""
    enrolled(services.app, register(services.app), Programme.HOT_MEAL)
    with TestClient(create_app(services)) as client:
        rows = client.get("/api/caseload", params={"on": "2026-11-21"}).json()
        assert [(r["programme"], r["neighbourhood"], r["active"]) for r in rows] == [
            ("hot_meal", "Tophane Mah.", 1)
        ]
        decisions = client.get("/api/caseload/decisions").json()
        assert decisions[0]["approved"] == 1 and decisions[0]["month"] == "2026-09"
        page = client.get("/")
        assert page.status_code == 200 and "Sıcak yemek" in page.text and 'lang="tr"' in page.text


def test_bad_query_parameters_are_refused_naming_the_field(services: Services) -> None:
    """An unknown programme or an impossible date is a 422 that names the parameter."""
    with TestClient(create_app(services)) as client:
        response = client.get("/api/caseload", params={"programme": "coal"})
        assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["query", "programme"]
        response = client.get("/api/caseload", params={"on": date(2026, 2, 1).isoformat()[:8] + "30"})
        assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["query", "on"]
