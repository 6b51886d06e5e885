"""Protections on every response: security headers, no caching of personal data, a body-size limit, and
sign-in attempts limited per username and per client address (429 with Retry-After)."""

from __future__ import annotations

from api.bootstrap import Services
from api.throttle import Limit, LoginThrottle
from domain.values import Role
from tests.api.test_api_support import PASSWORD, api_for, household
from tests.reliability.support import event_count


def test_every_response_carries_the_security_headers(services: Services) -> None:
    """Pages, static files, API answers, errors and 404s: nosniff, no framing, no referrer and a CSP; API
    answers are never stored; pages allow scripts from our own origin only."""
    with api_for(services) as api:
        headers = api.as_role(Role.CASEWORKER)
        answers = {
            "page": api.client.get("/driver"),
            "static": api.client.get("/static/js/api.js"),
            "api": api.client.get("/api/caseload", headers=headers),
            "401": api.client.get("/api/me"),
            "404": api.client.get("/nowhere"),
            "422": api.client.post("/api/households", json={}, headers=headers),
        }
        for name, answer in answers.items():
            assert answer.headers["x-content-type-options"] == "nosniff", name
            assert answer.headers["x-frame-options"] == "DENY", name
            assert answer.headers["referrer-policy"] == "no-referrer", name
            assert "frame-ancestors 'none'" in answer.headers["content-security-policy"], name
        assert "script-src 'self'" in answers["page"].headers["content-security-policy"]
        assert "unsafe-inline" not in answers["page"].headers["content-security-policy"]
        for name in ("api", "401", "422"):
            assert answers[name].headers["cache-control"] == "no-store", name


def test_an_oversized_body_is_refused_before_anything_is_read(services: Services) -> None:
    """2 MiB of JSON, announced or streamed in chunks: 413 naming the body; nothing is written."""
    with api_for(services) as api:
        headers = api.as_role(Role.CASEWORKER)
        before = event_count(services)
        big = household(name="A" * 2_000_000)
        announced = api.client.post("/api/households", json=big, headers=headers)
        assert announced.status_code == 413 and announced.json()["field"] == "body"
        chunks = (b"x" * 65536 for _ in range(40))
        streamed = api.client.post(
            "/api/households",
            content=chunks,
            headers=headers | {"Content-Type": "application/json"},
        )
        assert streamed.status_code == 413
        assert event_count(services) == before


def test_spreadsheet_uploads_may_be_larger_than_json_bodies(services: Services) -> None:
    """A 2 MiB file reaches the import route (which judges it itself) instead of the 1 MiB JSON limit."""
    with api_for(services) as api:
        headers = api.as_role(Role.CASEWORKER)
        upload = {"file": ("hane.csv", b"Ad Soyad;Telefon\n" + b"x;y\n" * 550_000, "text/csv")}
        answer = api.client.post("/api/imports/households/mapping", files=upload, headers=headers)
        assert answer.status_code != 413 and answer.status_code < 500, answer.text


def test_failed_sign_ins_are_limited_per_username(services: Services) -> None:
    """Five wrong passwords for one name: the sixth try is 429 with Retry-After, even with the right password;
    another name from the same address still signs in."""
    with api_for(services) as api:
        api.add_user("ayse.yilmaz", Role.CASEWORKER)
        api.add_user("hakan.sahin", Role.DISPATCHER)
        wrong = {"username": "ayse.yilmaz", "password": "yanlış parola"}
        assert [api.client.post("/api/auth/login", json=wrong).status_code for _ in range(5)] == [401] * 5
        blocked = api.client.post("/api/auth/login", json={"username": "ayse.yilmaz", "password": PASSWORD})
        assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
        other = api.client.post("/api/auth/login", json={"username": "hakan.sahin", "password": PASSWORD})
        assert other.status_code == 200


def test_an_address_guessing_across_many_names_is_limited() -> None:
    """Failures from one address over many names add up; the block lifts when the window has passed."""
    now = [1000.0]
    throttle = LoginThrottle(Limit(5, 60), Limit(3, 60), clock=lambda: now[0])
    for n in range(3):
        throttle.check(f"name{n}", "10.0.0.9")
        throttle.failed(f"name{n}", "10.0.0.9")
    try:
        throttle.check("name9", "10.0.0.9")
        raise AssertionError("the fourth try from the address should be refused")
    except Exception as refused:
        assert getattr(refused, "status_code", None) == 429
        assert getattr(refused, "headers", {})["Retry-After"] == "60"
    throttle.check("name9", "10.0.0.10")  # another address is not affected
    now[0] += 60.5
    throttle.check("name9", "10.0.0.9")


def test_a_right_password_clears_the_names_failures() -> None:
    """Four typos then the right password: the count starts again, so the owner is not locked out later."""
    throttle = LoginThrottle(Limit(5, 60), Limit(100, 60), clock=lambda: 0.0)
    for _ in range(4):
        throttle.failed("ayse", "10.0.0.1")
    throttle.succeeded("ayse")
    for _ in range(4):
        throttle.failed("ayse", "10.0.0.1")
    throttle.check("ayse", "10.0.0.1")
