"""Sign-in: argon2 password hashes, signed expiring tokens, and the FastAPI dependencies that check them.

A token names only its user; the role, the vehicle and whether the account is still active come from
the accounts read model on every request, so deactivating a user or moving a driver to another van
takes effect at once instead of when the token expires.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated
from uuid import UUID

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from domain.database import Database
from domain.errors import N_, Listed, PermissionDenied
from domain.values import Actor, Role

ALGORITHM = "HS256"
ISSUER = "kapida"
TOKEN_HOURS = 12.0  # one working shift: a driver signs in once in the morning
SECRET_FILE = "secret.key"


@dataclass(frozen=True)
class Account:
    """What the accounts read model says about a user right now."""

    username: str
    full_name: str
    role: Role
    vehicle_id: UUID | None
    active: bool
    language: str | None = None  # None: the deployment's default (`KAPIDA_LANG`, else Turkish)


@dataclass(frozen=True)
class SignedIn:
    """The person behind a request: the actor every command records, and a driver's vehicle."""

    actor: Actor
    full_name: str
    vehicle_id: UUID | None
    language: str | None = None

    @property
    def role(self) -> Role:
        return self.actor.role


class Passwords:
    """argon2id hashing with the library's maintained defaults (RFC 9106 low-memory profile)."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or PasswordHasher()

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        """False for a wrong password or a hash that is not argon2 (never raises for a bad guess)."""
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


class Tokens:
    """HS256 tokens that carry the username, issue and expiry times; nothing else is trusted from them."""

    def __init__(self, secret: str, lifetime: timedelta = timedelta(hours=TOKEN_HOURS)) -> None:
        if len(secret) < 32:
            raise ValueError("the token secret must be at least 32 characters")
        self._secret = secret
        self.lifetime = lifetime

    def issue(self, username: str, now: datetime | None = None) -> tuple[str, datetime]:
        issued = now or datetime.now(UTC)
        expires = issued + self.lifetime
        claims = {"sub": username, "iss": ISSUER, "iat": issued, "exp": expires}
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM), expires

    def subject(self, token: str) -> str:
        """The username of a valid token; expired, forged or malformed tokens raise `Unauthorized`."""
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                issuer=ISSUER,
                options={"require": ["sub", "exp", "iat", "iss"]},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthorized(N_("the session has expired; sign in again")) from None
        except jwt.PyJWTError:
            raise Unauthorized(N_("the token is not valid; sign in again")) from None
        return str(claims["sub"])


class Unauthorized(HTTPException):
    """401 with the `WWW-Authenticate` header clients expect for bearer tokens."""

    def __init__(self, detail: str) -> None:
        super().__init__(status.HTTP_401_UNAUTHORIZED, detail, headers={"WWW-Authenticate": "Bearer"})


def load_secret(database: Database) -> str:
    """`KAPIDA_SECRET`, else a random secret made once and kept beside the SQLite file (or in `var/`).

    Keeping it in a file means tokens survive a restart; it lives under `var/`, which git ignores.
    """
    configured = os.environ.get("KAPIDA_SECRET", "")
    if configured:
        return configured
    folder = database.sqlite_path.parent if database.sqlite_path is not None else Path("var")
    path = folder / SECRET_FILE
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


class Authenticator:
    """Turns a bearer token into a `SignedIn` user, looking the account up at each request."""

    def __init__(self, tokens: Tokens, lookup: Callable[[str], Account | None]) -> None:
        self.tokens = tokens
        self._lookup = lookup

    def signed_in(self, token: str) -> SignedIn:
        account = self._lookup(self.tokens.subject(token))
        if account is None or not account.active:
            raise Unauthorized(N_("this account does not exist or has been deactivated"))
        return SignedIn(
            Actor(account.username, account.role), account.full_name, account.vehicle_id, account.language
        )


_bearer = HTTPBearer(auto_error=False, description="The token from POST /api/auth/login.")


def current_user(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> SignedIn:
    """Every route but login depends on this: no valid token, no access (401)."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized(N_("sign in first: send 'Authorization: Bearer <token>'"))
    authenticator: Authenticator = request.app.state.authenticator
    return authenticator.signed_in(credentials.credentials)


CurrentUser = Annotated[SignedIn, Depends(current_user)]


def require_roles(*roles: Role) -> Callable[[SignedIn], SignedIn]:
    """A dependency admitting only `roles` (403 otherwise); the domain checks commands again itself."""
    allowed = frozenset(roles)

    def check(user: CurrentUser) -> SignedIn:
        if user.role not in allowed:
            names = Listed(sorted(allowed))
            raise PermissionDenied(
                N_("role {role} may not use this (allowed: {names})"), role=user.role, names=names
            )
        return user

    return check
