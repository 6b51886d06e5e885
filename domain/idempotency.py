"""Exactly-once commands: a client's `Idempotency-Key` is recorded in the same save as the command's events.

A request that carries a key runs inside an `IdempotencyScope` (a context variable set by the web layer, so no
command signature changes). The first `save` of the command adds an `IdempotencyKey` aggregate whose id is
derived from the user and the key; a second request with the same key then fails atomically on that id (the
event store's uniqueness of `(originator_id, version)`), whatever happened in between, even a crash after the
events were written and before the answer was sent. The answer is stored afterwards, for replays.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.values import Actor, Role

IDEMPOTENCY_NAMESPACE = uuid.UUID("6f1c2a7e-93d4-4b8a-a1f5-0e4d7c9b2a31")
MAX_KEY_LENGTH = 200


def idempotency_id(user: str, key: str) -> UUID:
    """Keys are per user: two phones may pick the same key without seeing each other's answers."""
    return uuid.uuid5(IDEMPOTENCY_NAMESPACE, f"{user}\n{key}")


@dataclass
class IdempotencyScope:
    """One keyed request: who sent it, which key, and a digest of method, path, query and body."""

    user: str
    key: str
    fingerprint: str
    request: str
    recorded: bool = False
    duplicate: bool = False
    saved: list[UUID] = field(default_factory=list)

    @property
    def id(self) -> UUID:
        return idempotency_id(self.user, self.key)


_current: ContextVar[IdempotencyScope | None] = ContextVar("kapida_idempotency", default=None)


@contextmanager
def idempotent(scope: IdempotencyScope) -> Iterator[IdempotencyScope]:
    """Run a request's commands so that their first save also records `scope`'s key."""
    token = _current.set(scope)
    try:
        yield scope
    finally:
        _current.reset(token)


def current_scope() -> IdempotencyScope | None:
    return _current.get()


class IdempotencyKey(Aggregate):
    """A key that has been used: the request it was used for, then (usually) the answer that was sent."""

    @staticmethod
    def create_id(user: str, key: str, **_: object) -> UUID:
        return idempotency_id(user, key)

    @event("Recorded")
    def __init__(
        self, user: str, key: str, fingerprint: str, request: str, saved: list[UUID], actor: Actor
    ) -> None:
        self.user = user
        self.key = key
        self.fingerprint = fingerprint
        self.request = request
        self.saved = list(saved)
        self.status: int | None = None
        self.body = ""
        self.media_type = ""

    def answer(self, status: int, body: str, media_type: str) -> None:
        """Keep the answer sent for the first request; later answers are replays and change nothing."""
        if self.status is None:
            self._answered(status, body, media_type)

    @event("Answered")
    def _answered(self, status: int, body: str, media_type: str) -> None:
        self.status = status
        self.body = body
        self.media_type = media_type


def claim(saving: tuple[Aggregate, ...]) -> IdempotencyKey | None:
    """The key to save with `saving`, if this is a keyed request whose key is not yet in this save's care."""
    scope = _current.get()
    if scope is None or scope.recorded:
        return None
    scope.recorded = True
    scope.saved = [a.id for a in saving]
    actor = _actor_of(saving) or Actor(scope.user, Role.SYSTEM)
    return IdempotencyKey(scope.user, scope.key, scope.fingerprint, scope.request, scope.saved, actor)


def release() -> None:
    """The save failed: the key was not written, so a retry of the command (after a conflict) claims it."""
    scope = _current.get()
    if scope is not None:
        scope.recorded = False


def mark_duplicate() -> None:
    scope = _current.get()
    if scope is not None:
        scope.duplicate = True


def _actor_of(saving: tuple[Aggregate, ...]) -> Actor | None:
    """The actor recorded on the command's own events (every command records who acted)."""
    for aggregate in saving:
        for pending in aggregate.pending_events:
            actor = getattr(pending, "actor", None)
            if isinstance(actor, Actor):
                return actor
    return None
