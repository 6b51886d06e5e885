"""Protections every response gets: a request-body size limit (413) and the security headers.

Both are pure ASGI middleware so they also cover errors, static files and the pages. Pages set their own
strict Content-Security-Policy (`api.pages`); everything else, JSON above all, gets one that allows nothing,
and API answers are never stored by browsers or proxies (they carry names, addresses and health needs).
"""

from __future__ import annotations

import json
import os

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_VARIABLE = "KAPIDA_MAX_BODY_BYTES"
DEFAULT_MAX_BODY = 1 << 20  # 1 MiB: the largest JSON body (a re-plan's stop keys) is a few KB
# Spreadsheet uploads: the import routes refuse files over 20 MB themselves, with a clearer message.
UPLOAD_PREFIX = "/api/imports/"
UPLOAD_MAX_BODY = 21 << 20
API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# FastAPI's interactive docs load Swagger UI / ReDoc from their CDN and start them with an inline script.
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https:; "
    "worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'"
)
POLICY_OF = {
    "/docs": DOCS_POLICY,
    "/redoc": DOCS_POLICY,
    "/caseload": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
}
COMMON = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
)


def max_body_bytes() -> int:
    configured = os.environ.get(MAX_BODY_VARIABLE, "").strip()
    return int(configured) if configured.isdigit() and int(configured) > 0 else DEFAULT_MAX_BODY


class SecurityHeaders:
    """Adds what a response lacks: nosniff, no framing, no referrer, a CSP, and no-store on the API."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        wanted = [
            *COMMON,
            (b"content-security-policy", POLICY_OF.get(path, API_POLICY).encode()),
        ]
        if path.startswith("/api/") or path == "/openapi.json":
            wanted.append((b"cache-control", b"no-store"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {bytes(name).lower() for name, _ in headers}
                headers += [(name, value) for name, value in wanted if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _TooLarge(Exception):
    pass


class BodyLimit:
    """413 for a body over the limit, whether announced by Content-Length or streamed in chunks."""

    def __init__(self, app: ASGIApp, limit: int | None = None) -> None:
        self.app = app
        self.limit = limit or max_body_bytes()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = max(self.limit, UPLOAD_MAX_BODY) if scope["path"].startswith(UPLOAD_PREFIX) else self.limit
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await self._refuse(send, limit)
            return
        seen, exceeded, refused = 0, False, False

        async def counting_receive() -> Message:
            nonlocal seen, exceeded
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    exceeded = True
                    raise _TooLarge  # the framework turns this into an error answer, replaced below
            return message

        async def replacing_send(message: Message) -> None:
            nonlocal refused
            if not exceeded:
                await send(message)
            elif not refused:
                refused = True
                await self._refuse(send, limit)

        try:
            await self.app(scope, counting_receive, replacing_send)
        except _TooLarge:
            if not refused:
                await self._refuse(send, limit)

    async def _refuse(self, send: Send, limit: int) -> None:
        body = json.dumps(
            {"detail": f"the request body is larger than {limit} bytes", "field": "body"}
        ).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})
