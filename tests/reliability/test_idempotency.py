"""Exactly-once commands over HTTP: an `Idempotency-Key` header makes state-changing requests retry-safe."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from uuid import UUID

import pytest

from api.bootstrap import Services
from domain.values import Role
from tests.api.test_api_support import api_for, household
from tests.reliability.support import delivered, event_count, event_names, published, report_url


def keyed(headers: dict[str, str], key: str) -> dict[str, str]:
    return headers | {"Idempotency-Key": key}


def test_a_retried_registration_returns_the_first_answer_and_writes_nothing(services: Services) -> None:
    """The same key and body twice: one household, the same 201 answer, marked as a replay, no new event."""
    with api_for(services) as api:
        headers = keyed(api.as_role(Role.CASEWORKER), "form-7f3a")
        first = api.client.post("/api/households", json=household(), headers=headers)
        after_first = event_count(services)
        again = api.client.post("/api/households", json=household(), headers=headers)
        assert first.status_code == again.status_code == 201
        assert again.json() == first.json()
        assert again.headers["Idempotent-Replayed"] == "true"
        assert event_count(services) == after_first
        assert event_names(services).count("Household.Registered") == 1


def test_the_same_key_for_a_different_request_is_refused_naming_the_header(services: Services) -> None:
    """Reusing a key for another body is a client bug: 422 naming `Idempotency-Key`, nothing written."""
    with api_for(services) as api:
        headers = keyed(api.as_role(Role.CASEWORKER), "form-1")
        assert api.client.post("/api/households", json=household(), headers=headers).status_code == 201
        before = event_count(services)
        other = api.client.post("/api/households", json=household(name="Ali Veli"), headers=headers)
        assert other.status_code == 422
        assert other.json()["field"] == "Idempotency-Key" and "another request" in other.json()["detail"]
        assert event_count(services) == before


def test_keys_belong_to_their_user(services: Services) -> None:
    """Two caseworkers who happen to pick the same key each register their own household."""
    with api_for(services) as api:
        ayse = keyed(api.as_role(Role.CASEWORKER), "1")
        mehmet = keyed(api.as_role(Role.CASEWORKER, username="mehmet.kaya"), "1")
        ids = {
            api.client.post("/api/households", json=household(), headers=h).json()["id"]
            for h in (ayse, mehmet)
        }
        assert len(ids) == 2


def test_a_refused_request_does_not_use_up_its_key(services: Services) -> None:
    """A 422 writes nothing, not even the key: the corrected request under the same key goes through."""
    with api_for(services) as api:
        headers = keyed(api.as_role(Role.CASEWORKER), "form-2")
        bad = api.client.post("/api/households", json=household(phone="12"), headers=headers)
        assert bad.status_code == 422
        assert api.client.post("/api/households", json=household(), headers=headers).status_code == 201


def test_a_lost_answer_is_replaced_by_a_short_one_naming_the_record(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the server fails after the save but before keeping its answer, a retry still changes nothing and
    names the household the first request made."""
    with api_for(services) as api:
        headers = keyed(api.as_role(Role.CASEWORKER), "form-3")

        def dies(*_: Any) -> None:
            raise RuntimeError("the server died here")

        monkeypatch.setattr(services.app, "answer_idempotent", dies)
        first = api.client.post("/api/households", json=household(), headers=headers)
        monkeypatch.undo()
        before = event_count(services)
        again = api.client.post("/api/households", json=household(), headers=headers)
        assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
        assert again.json()["id"] == first.json()["id"]
        assert event_count(services) == before


def test_two_copies_of_one_request_racing_make_one_household(services: Services) -> None:
    """Both copies pass the first look-up before either saves; the key in the save lets only one write, and
    the loser answers with the winner's outcome instead of an error."""
    with api_for(services) as api:
        headers = keyed(api.as_role(Role.CASEWORKER), "double-tap")
        both_looked = threading.Barrier(2, timeout=10)
        look_up = services.app.idempotency_key
        calls = 0

        def racing_look_up(key_id: UUID) -> Any:
            nonlocal calls
            found = look_up(key_id)
            calls += 1
            if calls <= 2:
                both_looked.wait()
            return found

        services.app.idempotency_key = racing_look_up  # type: ignore[method-assign]
        post: Callable[[int], Any] = lambda _: api.client.post(  # noqa: E731
            "/api/households", json=household(), headers=headers
        )
        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(post, range(2)))
        assert sorted(a.status_code for a in answers) in ([200, 201], [201, 201])
        assert len({a.json()["id"] for a in answers}) == 1
        assert event_names(services).count("Household.Registered") == 1


def test_a_drivers_report_retried_with_the_header_is_recorded_once(services: Services) -> None:
    """The header works on stop reports too; the same key on another stop is refused."""
    plan, vans, keys = published(services)
    with api_for(services) as api:
        headers = keyed(api.as_role(Role.DRIVER, vans[0]), "report-1")
        body = delivered("phone-1")
        first = api.client.post(report_url(plan, keys[0]), json=body, headers=headers)
        again = api.client.post(report_url(plan, keys[0]), json=body, headers=headers)
        assert first.json()["recorded"] is True and again.json() == first.json()
        other = api.client.post(report_url(plan, keys[1]), json=delivered("phone-2"), headers=headers)
        assert other.status_code == 422
        assert event_names(services).count("StopVisit.Reported") == 1


@pytest.mark.parametrize("key", ["", "x" * 201, "a\x01b"])
def test_an_unusable_key_is_refused(services: Services, key: str) -> None:
    """Empty, over-long or unprintable keys: 422 naming the header, nothing written."""
    with api_for(services) as api:
        headers = api.as_role(Role.CASEWORKER) | {"Idempotency-Key": key}
        before = event_count(services)
        answer = api.client.post("/api/households", json=household(), headers=headers)
        assert answer.status_code == 422 and answer.json()["field"] == "Idempotency-Key"
        assert event_count(services) == before


def test_a_retried_no_content_answer_is_replayed_as_no_content(services: Services) -> None:
    """Deactivating a user answers 204; its retry is 204 again with no body, and changes nothing."""
    with api_for(services) as api:
        api.as_role(Role.DRIVER, username="eski.sofor")
        headers = keyed(api.as_role(Role.ADMIN), "deactivate-1")
        url, body = "/api/users/eski.sofor/deactivate", {"reason": "işten ayrıldı"}
        assert api.client.post(url, json=body, headers=headers).status_code == 204
        before = event_count(services)
        again = api.client.post(url, json=body, headers=headers)
        assert again.status_code == 204 and again.content == b""
        assert again.headers["Idempotent-Replayed"] == "true" and "content-length" not in again.headers
        assert event_count(services) == before
