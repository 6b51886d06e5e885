"""Who may not do what: each role is refused what lies outside its work, bad tokens get nobody in, and
passwords are kept only as argon2 hashes."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from api.bootstrap import Services, bootstrap
from api.security import ISSUER, Tokens
from domain.values import Role
from tests.api.test_api_support import PASSWORD, Api, api_for
from tests.dispatch_builders import DAY
from tests.reliability.support import delivered, published

NEW_ADMIN = {"username": "yeni.kisi", "full_name": "Yeni", "role": "admin", "password": "uzun bir parola 1"}
# (who, method, path, body): every row must be refused with 403. `{plan}`, `{van0}`, `{household}` and
# `{stop}` are filled in from a published plan whose first van is driven by `driver` (not `other driver`).
REFUSED: tuple[tuple[str, str, str, dict[str, Any] | None], ...] = (
    ("other driver", "GET", "/api/driver/stops?date={day}&vehicle_id={van0}", None),
    ("other driver", "GET", "/api/driver/route.gpx?date={day}&vehicle_id={van0}", None),
    ("other driver", "POST", "/api/plans/{plan}/stops/{stop}/report", delivered("k-1")),
    ("driver", "GET", "/api/plans/{plan}", None),
    ("driver", "GET", "/api/plans/{plan}/geojson", None),
    ("driver", "GET", "/api/households/{household}", None),
    ("driver", "GET", "/api/reports/failed?date={day}", None),
    ("dispatcher", "GET", "/api/households/{household}", None),
    ("caseworker", "POST", "/api/plans", {"date": "{day}", "programme": "hot_meal", "round": "dinner"}),
    ("caseworker", "POST", "/api/plans/{plan}/publish", None),
    ("caseworker", "POST", "/api/plans/{plan}/close", None),
    ("caseworker", "POST", "/api/plans/{plan}/replan", {"kind": "new_requests", "reason": "acil"}),
    ("caseworker", "GET", "/api/plans?date={day}", None),
    ("caseworker", "GET", "/api/driver/stops?date={day}&vehicle_id={van0}", None),
    ("driver", "GET", "/api/reports/audit/{household}", None),
    ("caseworker", "GET", "/api/reports/audit/{household}", None),
    ("dispatcher", "GET", "/api/reports/audit/{household}", None),
    ("admin", "GET", "/api/reports/audit/{household}", None),
    ("manager", "POST", "/api/users", NEW_ADMIN),
    ("caseworker", "GET", "/api/users", None),
    ("driver", "POST", "/api/households", None),
)


def _signed_in(api: Api, services: Services) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    plan, vans, keys = published(services)
    people = {
        "driver": api.as_role(Role.DRIVER, vans[0]),
        "other driver": api.as_role(Role.DRIVER, vans[1], "ayse.sofor"),
        "caseworker": api.as_role(Role.CASEWORKER),
        "dispatcher": api.as_role(Role.DISPATCHER),
        "manager": api.as_role(Role.MANAGER),
        "admin": api.as_role(Role.ADMIN),
    }
    stop_visit = services.app.route_plan(plan).routes[0].stops[0]
    names = {
        "plan": str(plan),
        "van0": str(vans[0]),
        "stop": keys[0],
        "household": str(stop_visit.household_id),
        "day": DAY.isoformat(),
    }
    return people, names


def _fill(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**names)
    if isinstance(value, dict):
        return {k: _fill(v, names) for k, v in value.items()}
    return value


def test_each_role_is_refused_what_it_must_not_do(services: Services) -> None:
    """Every row of the table is a 403 with a message, and the manager alone reads the audit trail."""
    with api_for(services) as api:
        people, names = _signed_in(api, services)
        for who, method, path, body in REFUSED:
            answer = api.client.request(
                method, _fill(path, names), json=_fill(body, names), headers=people[who]
            )
            assert answer.status_code == 403, (who, method, path, answer.status_code, answer.text)
            assert answer.json()["detail"], (who, path)
        audit = api.client.get(_fill("/api/reports/audit/{household}", names), headers=people["manager"])
        assert audit.status_code == 200 and audit.json()


def _unsigned(claims: dict[str, Any]) -> str:
    """A token with `alg: none`: no signature at all."""
    part = lambda data: base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()  # noqa: E731
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def _bad_tokens(api: Api) -> dict[str, str]:
    now = datetime.now(UTC)
    claims = {"sub": "zeynep.mudur", "iss": ISSUER, "iat": now, "exp": now + timedelta(hours=1)}
    secret = api.ctx.tokens._secret
    expired, _ = api.ctx.tokens.issue("zeynep.mudur", now=now - timedelta(hours=13))
    return {
        "expired": expired,
        "forged": Tokens("another secret that is long enough!!").issue("zeynep.mudur")[0],
        "alg none": _unsigned(
            {k: int(v.timestamp()) if isinstance(v, datetime) else v for k, v in claims.items()}
        ),
        "HS512": jwt.encode(claims, secret, algorithm="HS512"),
        "no expiry": jwt.encode({k: v for k, v in claims.items() if k != "exp"}, secret, algorithm="HS256"),
        "other issuer": jwt.encode(claims | {"iss": "evil"}, secret, algorithm="HS256"),
        "garbage": "not.a.token",
    }


def test_expired_forged_and_unsigned_tokens_get_nobody_in(services: Services) -> None:
    """Each bad token is a 401 with a Bearer challenge, even for a real manager's name."""
    with api_for(services) as api:
        api.as_role(Role.MANAGER)
        for name, token in _bad_tokens(api).items():
            answer = api.client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
            assert answer.status_code == 401, name
            assert answer.headers["www-authenticate"] == "Bearer", name


def test_a_disabled_user_is_refused_at_once(services: Services) -> None:
    """Deactivation takes effect on the next request with the old token, and sign-in is refused."""
    with api_for(services) as api:
        manager, admin = api.as_role(Role.MANAGER), api.as_role(Role.ADMIN)
        assert api.client.get("/api/me", headers=manager).status_code == 200
        gone = api.client.post(
            "/api/users/zeynep.mudur/deactivate", json={"reason": "emekli oldu"}, headers=admin
        )
        assert gone.status_code == 204
        assert api.client.get("/api/me", headers=manager).status_code == 401
        login = api.client.post("/api/auth/login", json={"username": "zeynep.mudur", "password": PASSWORD})
        assert login.status_code == 401


def test_a_user_deactivated_through_one_server_is_refused_by_another_at_its_next_catch_up(
    services: Services,
) -> None:
    """Two servers (uvicorn workers) share one database: the first projects the deactivation, so the
    second's own catch-up reads nothing new, and it must still drop the account it had cached."""
    second = bootstrap(services.views.database)
    try:
        with api_for(services) as one, api_for(second) as two:
            manager, admin = one.as_role(Role.MANAGER), one.as_role(Role.ADMIN)
            assert two.client.get("/api/me", headers=manager).status_code == 200
            gone = one.client.post(
                "/api/users/zeynep.mudur/deactivate", json={"reason": "emekli oldu"}, headers=admin
            )
            assert gone.status_code == 204
            assert two.ctx.catch_up() == 0  # the first server already projected it
            assert two.client.get("/api/me", headers=manager).status_code == 401
    finally:
        second.close()


def test_no_stored_event_holds_a_password_in_plain_text(services: Services) -> None:
    """A user added and a password changed over HTTP leave only argon2id hashes in the log (an ASCII password,
    so its bytes would show in the JSON of any event that held it)."""
    password = "Cok gizli parola 2026!"
    with api_for(services) as api:
        admin = api.as_role(Role.ADMIN)
        body = {"username": "yeni.surucu", "full_name": "Yeni", "role": "driver", "password": password}
        assert api.client.post("/api/users", json=body, headers=admin).status_code == 201
        change = {"current_password": password, "new_password": password + " yeni"}
        headers = api.headers("yeni.surucu")
        assert api.client.post("/api/me/password", json=change, headers=headers).status_code == 204
    recorder, cipher, states = services.app.recorder, services.app.mapper.cipher, b""
    for notification in recorder.select_notifications(start=0, limit=10_000):
        state = bytes(notification.state)
        states += cipher.decrypt(state) if cipher is not None else state  # encrypted at rest on PostgreSQL
    assert b"Cok gizli parola" not in states
    assert b"$argon2id$" in states
