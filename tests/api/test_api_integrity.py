"""The chain check over HTTP: managers see the verdict, other roles are refused."""

from __future__ import annotations

from api.bootstrap import Services
from domain.values import Role
from tests.api.test_api_support import api_for
from tests.builders import register


def test_only_managers_verify_the_log_and_see_its_head(services: Services) -> None:
    """A manager gets intact, the count and the head; every other role gets 403; a bad start id is 422."""
    register(services.app)
    with api_for(services) as api:
        roles = api.everyone()
        events = services.app.recorder.max_notification_id()
        report = api.client.get("/api/audit/verify", headers=roles[Role.MANAGER]).json()
        assert report["intact"] and report["checked"] == events
        assert report["head"]["notification_id"] == events
        for role in (Role.CASEWORKER, Role.DISPATCHER, Role.DRIVER, Role.ADMIN):
            assert api.client.get("/api/audit/verify", headers=roles[role]).status_code == 403, role
        response = api.client.get("/api/audit/verify", params={"from_id": 0}, headers=roles[Role.MANAGER])
        assert response.status_code == 422
