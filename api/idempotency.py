"""The `Idempotency-Key` header on every state-changing API request: a retry gets the first answer back.

Pure ASGI so the request body can be read once (for the fingerprint) and the answer captured whole. The
key itself is written by the command's own save (see `domain.idempotency`); this layer looks it up before
running the route, replays what was answered, refuses a key reused for another request, and stores the
answer of a first run. Answers are stored only when every field is an id, a flag or a message, so no
personal data is copied out of the records that crypto-erasure can later shred.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any
from uuid import UUID

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.i18n import translator
from api.routers.context import ApiContext
from api.security import Unauthorized
from domain.errors import N_
from domain.idempotency import MAX_KEY_LENGTH, IdempotencyKey, IdempotencyScope, idempotent

HEADER = b"idempotency-key"
REPLAYED = "Idempotent-Replayed"
METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
NOT_COMMANDS = frozenset({"/api/auth/login"})
# Fields an answer may hold to be stored for replays: ids, outcomes, flags and messages, never a person.
SAFE_FIELDS = frozenset({"id", "message", "plan_id", "key", "outcome", "recorded", "moved"})
MAX_STORED_ANSWER = 16_384
log = logging.getLogger(__name__)
# The same words as the app's own 503 (api.web), in the reader's language (set by an outer middleware).
STORE_UNAVAILABLE = N_("the database is busy or unavailable; try again in a moment")


class IdempotencyMiddleware:
    """Exactly-once commands for clients that send `Idempotency-Key` (the driver page's queue does)."""

    def __init__(self, app: ASGIApp, ctx: ApiContext, busy: tuple[type[Exception], ...]) -> None:
        self.app = app
        self.ctx = ctx
        self.busy = busy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = _header(scope, HEADER)
        if scope["type"] != "http" or key is None or not _is_command(scope):
            await self.app(scope, receive, send)
            return
        if not key or len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
            problem = f"send 1-{MAX_KEY_LENGTH} printable ASCII characters, the same on every retry"
            await _json(send, 422, {"detail": f"Idempotency-Key: {problem}", "field": "Idempotency-Key"})
            return
        user = self._user(scope)
        if user is None:  # no valid sign-in: the route answers 401 and nothing is written
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        request = f"{scope['method']} {scope['path']}"
        digest = hashlib.sha256(
            b"\n".join((request.encode(), scope.get("query_string", b""), body))
        ).hexdigest()
        keyed = IdempotencyScope(user, key, digest, request)
        try:
            await self._handle(scope, _replay_body(body, receive), send, keyed)
        except self.busy:
            log.warning("store unavailable while handling idempotency key", exc_info=True)
            await _json(
                send,
                503,
                {"detail": translator().gettext(STORE_UNAVAILABLE), "field": None},
                {"Retry-After": "2"},
            )

    async def _handle(self, scope: Scope, receive: Receive, send: Send, keyed: IdempotencyScope) -> None:
        used = await anyio.to_thread.run_sync(self.ctx.app.idempotency_key, keyed.id)
        if used is not None:
            await _answer_again(send, used, keyed)
            return
        captured = _Captured()
        with idempotent(keyed):
            await self.app(scope, receive, captured.send)
        if keyed.duplicate:  # a concurrent request with the same key won the race to save
            again = await anyio.to_thread.run_sync(self.ctx.app.idempotency_key, keyed.id)
            if again is not None:
                await _answer_again(send, again, keyed)
                return
        if keyed.recorded and 200 <= captured.status < 300:
            await anyio.to_thread.run_sync(self._store_answer, keyed.id, captured)
        await captured.replay(send)

    def _user(self, scope: Scope) -> str | None:
        authorization = _header(scope, b"authorization") or ""
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None
        try:
            return self.ctx.tokens.subject(token.strip())
        except Unauthorized:
            return None

    def _store_answer(self, key_id: UUID, captured: _Captured) -> None:
        """Best effort: if this write fails the command still happened, and a retry gets a short answer."""
        body = captured.body.decode("utf-8", "replace") if _storable(captured.body) else ""
        try:
            with self.ctx.writing() as app:
                app.answer_idempotent(key_id, captured.status, body, captured.media_type)
        except Exception:
            log.warning("could not store the answer of idempotency key %s", key_id, exc_info=True)


class _Captured:
    """The route's whole answer, held back until the key's bookkeeping is done."""

    def __init__(self) -> None:
        self.start: Message | None = None
        self.chunks: list[bytes] = []

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.start = message
        elif message["type"] == "http.response.body":
            self.chunks.append(message.get("body", b""))

    @property
    def status(self) -> int:
        return int(self.start["status"]) if self.start else 500

    @property
    def body(self) -> bytes:
        return b"".join(self.chunks)

    @property
    def media_type(self) -> str:
        headers = dict(self.start["headers"]) if self.start else {}
        return bytes(headers.get(b"content-type", b"application/json")).decode("latin-1")

    async def replay(self, send: Send) -> None:
        assert self.start is not None, "the route sent no answer"
        await send(self.start)
        await send({"type": "http.response.body", "body": self.body})


async def _answer_again(send: Send, used: IdempotencyKey, keyed: IdempotencyScope) -> None:
    """The stored answer of the key's first request; a different request under the same key is refused."""
    if used.fingerprint != keyed.fingerprint:
        problem = f"this key was already used for another request ({used.request}); use a new key"
        await _json(send, 422, {"detail": f"Idempotency-Key: {problem}", "field": "Idempotency-Key"})
        return
    replayed = {REPLAYED: "true"}
    if used.status == 204:  # no content, and no Content-Length or Content-Type either
        await send(
            {"type": "http.response.start", "status": 204, "headers": [(b"idempotent-replayed", b"true")]}
        )
        await send({"type": "http.response.body", "body": b""})
        return
    if used.status is not None and used.body:
        await _raw(send, used.status, used.body.encode(), used.media_type, replayed)
        return
    first = str(used.saved[0]) if used.saved else None
    message = "already carried out; this is a retry and nothing was changed"
    await _json(send, used.status or 200, {"id": first, "message": message, "replayed": True}, replayed)


def _storable(body: bytes) -> bool:
    if len(body) > MAX_STORED_ANSWER:
        return False
    try:
        answer = json.loads(body)
    except ValueError:
        return False
    return isinstance(answer, dict) and set(answer) <= SAFE_FIELDS


def _is_command(scope: Scope) -> bool:
    path: str = scope["path"]
    return scope["method"] in METHODS and path.startswith("/api/") and path not in NOT_COMMANDS


def _header(scope: Scope, name: bytes) -> str | None:
    for header, value in scope.get("headers", ()):
        if header == name:
            return bytes(value).decode("latin-1").strip()
    return None


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay_body(body: bytes, original: Receive) -> Receive:
    """The body already read, then the client's own messages (a disconnect) as they come."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await original()

    return receive


async def _json(send: Send, status: int, content: Any, headers: dict[str, str] | None = None) -> None:
    body = json.dumps(content, ensure_ascii=False).encode()
    await _raw(send, status, body, "application/json", headers or {})


async def _raw(send: Send, status: int, body: bytes, media_type: str, headers: dict[str, str]) -> None:
    pairs = [(b"content-type", media_type.encode("latin-1")), (b"content-length", str(len(body)).encode())]
    pairs += [(name.lower().encode(), value.encode()) for name, value in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": pairs})
    await send({"type": "http.response.body", "body": body})
