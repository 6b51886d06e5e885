"""Signing in: tokens for the right password, 401 for everything else, deactivation at once."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import jwt

from api.bootstrap import Services
from api.security import Tokens
from domain.values import Role
from tests.api.test_api_support import PASSWORD, api_for
from tests.dispatch_builders import kitchen_with_vans


def test_the_right_password_gives_a_token_that_names_the_user_and_their_vehicle(services: Services) -> None:
    """Login returns a bearer token, the role and a driver's vehicle; /api/me answers with that token."""
    _, vans = kitchen_with_vans(services.app)
    with api_for(services) as api:
        api.add_user("veli.sofor", Role.DRIVER, vans[0])
        response = api.client.post("/api/auth/login", json={"username": "veli.sofor", "password": PASSWORD})
        assert response.status_code == 200
        body = response.json()
        assert (body["username"], body["role"], body["vehicle_id"]) == ("veli.sofor", "driver", str(vans[0]))
        me = api.client.get("/api/me", headers={"Authorization": f"Bearer {body['token']}"})
        assert me.status_code == 200 and me.json()["vehicle_id"] == str(vans[0])


def test_a_wrong_password_or_an_unknown_name_is_the_same_401(services: Services) -> None:
    """Neither a wrong password nor a made-up name gives a token, and both read alike."""
    with api_for(services) as api:
        api.add_user("ayse.yilmaz", Role.CASEWORKER)
        wrong = api.client.post("/api/auth/login", json={"username": "ayse.yilmaz", "password": "x" * 12})
        unknown = api.client.post("/api/auth/login", json={"username": "kimse.yok", "password": PASSWORD})
        assert wrong.status_code == unknown.status_code == 401
        assert wrong.json() == unknown.json()
        assert wrong.headers["www-authenticate"] == "Bearer"


def test_without_a_token_only_login_docs_and_pages_answer(services: Services) -> None:
    """API routes are 401 without a token; login, /docs, /openapi.json and the caseload page are open."""
    with api_for(services) as api:
        for path in (
            "/api/me",
            "/api/caseload",
            "/api/plans?date=2026-11-20",
            "/api/users",
            "/api/map/network",
        ):
            assert api.client.get(path).status_code == 401, path
        assert api.client.post("/api/households", json={}).status_code == 401
        assert api.client.get("/docs").status_code == 200
        assert api.client.get("/openapi.json").status_code == 200
        assert api.client.get("/caseload").status_code == 200
        bad = api.client.post("/api/auth/login", json={"username": "ab", "password": ""})
        assert bad.status_code == 422


def test_expired_forged_and_malformed_tokens_are_refused(services: Services) -> None:
    """A token past its expiry, one signed with another secret, or garbage: all 401."""
    with api_for(services) as api:
        api.add_user("ayse.yilmaz", Role.CASEWORKER)
        expired, _ = api.ctx.tokens.issue("ayse.yilmaz", now=datetime.now(UTC) - timedelta(days=1))
        forged, _ = Tokens("another secret that is long enough to sign with").issue("ayse.yilmaz")
        unsigned = jwt.encode({"sub": "ayse.yilmaz"}, key="", algorithm="none")
        for token in (expired, forged, unsigned, "not-a-token"):
            response = api.client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 401, token
        stale = {"Authorization": f"Bearer {expired}"}
        assert (
            api.client.get("/api/me", headers=stale).json()["detail"]
            == "oturumun süresi doldu; yeniden giriş yapın"
        )
        assert (
            "expired" in api.client.get("/api/me", headers=stale | {"Accept-Language": "en"}).json()["detail"]
        )
        assert api.client.get("/api/me", headers=api.headers("ayse.yilmaz")).status_code == 200


def test_a_deactivated_user_is_locked_out_at_once(services: Services) -> None:
    """After deactivation the user's live token is 401 and the password no longer signs in."""
    with api_for(services) as api:
        caseworker = api.as_role(Role.CASEWORKER)
        assert api.client.get("/api/me", headers=caseworker).status_code == 200
        admin = api.as_role(Role.ADMIN)
        gone = api.client.post("/api/users/ayse.yilmaz/deactivate", json={"reason": "left"}, headers=admin)
        assert gone.status_code == 204
        assert api.client.get("/api/me", headers=caseworker).status_code == 401
        login = api.client.post("/api/auth/login", json={"username": "ayse.yilmaz", "password": PASSWORD})
        assert login.status_code == 401


def test_users_change_their_own_password_only_with_the_current_one(services: Services) -> None:
    """A wrong current password is refused; after a change the new one signs in and the old one does not."""
    with api_for(services) as api:
        headers = api.as_role(Role.DISPATCHER)
        new = "yeni ve uzun bir parola"
        wrong = {"current_password": "yanlış parola", "new_password": new}
        assert api.client.post("/api/me/password", json=wrong, headers=headers).status_code == 401
        short = {"current_password": PASSWORD, "new_password": "kısa"}
        refused = api.client.post("/api/me/password", json=short, headers=headers)
        assert refused.status_code == 422 and refused.json()["field"] == "new_password"
        right = {"current_password": PASSWORD, "new_password": new}
        assert api.client.post("/api/me/password", json=right, headers=headers).status_code == 204
        login = {"username": "hakan.sahin", "password": new}
        assert api.client.post("/api/auth/login", json=login).status_code == 200
        old = {"username": "hakan.sahin", "password": PASSWORD}
        assert api.client.post("/api/auth/login", json=old).status_code == 401


def test_every_api_route_but_login_refuses_a_request_without_a_token(services: Services) -> None:
    """Walks the app's own OpenAPI paths, so a route added later without a role check fails here."""
    with api_for(services) as api:
        checked = 0
        for path, operations in api.app.openapi()["paths"].items():
            if not path.startswith("/api/") or path == "/api/auth/login":
                continue
            concrete = re.sub(r"\{[^}]+\}", str(uuid4()), path)
            for method in operations:
                response = api.client.request(method.upper(), concrete, json={})
                assert response.status_code == 401, (method, path, response.status_code)
                checked += 1
        assert checked >= 40
