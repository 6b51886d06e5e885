"""The web app: the JSON API under `/api` (one router per resource), sign-in, and the caseload page.

Domain refusals become HTTP status codes here and only here: 422 names the field, 404 an unknown id,
409 a conflict or an illegal transition, 403 a role that may not act.
"""

from __future__ import annotations

import html
import logging
import math
import sqlite3
import threading
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import psycopg
from eventsourcing.persistence import ConnectionUnavailableError, InterfaceError, OperationalError
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import HTMLResponse, JSONResponse

from api.bootstrap import Services, bootstrap
from api.hardening import BodyLimit, SecurityHeaders
from api.idempotency import IdempotencyMiddleware
from api.pages import mount_pages
from api.routers import ROUTERS
from api.routers.context import ApiContext
from api.security import Authenticator, Tokens, load_secret
from domain.errors import (
    Conflict,
    DomainError,
    IllegalTransition,
    InvalidValue,
    NotFound,
    PermissionDenied,
)
from domain.programmes import CATALOGUE, Programme
from domain.service import today_in_istanbul
from projections import queries

CATCH_UP_SECONDS = 1.0
# The store is busy, restarting or unreachable: the eventsourcing library's wrappers, psycopg's own errors
# from the read-model connection (its pool timeouts are OperationalErrors), SQLite's "database is locked".
STORE_BUSY: tuple[type[Exception], ...] = (
    ConnectionUnavailableError,
    OperationalError,
    InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    sqlite3.OperationalError,
)
log = logging.getLogger(__name__)
STATUS_OF: tuple[tuple[type[DomainError], int], ...] = (
    (InvalidValue, 422),
    (NotFound, 404),
    (PermissionDenied, 403),
    (IllegalTransition, 409),
    (Conflict, 409),
)


def _keep_projections_current(ctx: ApiContext, stop: threading.Event) -> None:
    """Pull events other processes wrote (the CLI, a second server) into the read models every second."""
    while not stop.wait(CATCH_UP_SECONDS):
        try:
            ctx.catch_up()
        except Exception:  # the database restarting must not end the loop: try again next second
            log.warning("background catch-up failed; retrying", exc_info=True)


def status_of(error: DomainError) -> int:
    return next((code for kind, code in STATUS_OF if isinstance(error, kind)), 409)


async def domain_error(_: Request, error: Exception) -> JSONResponse:
    """Every domain refusal, as `{"detail": message, "field": name-or-null}`."""
    assert isinstance(error, DomainError)
    field = error.field if isinstance(error, InvalidValue) else None
    return JSONResponse(status_code=status_of(error), content={"detail": error.message, "field": field})


async def store_busy(_: Request, error: Exception) -> JSONResponse:
    """The event store is busy past its timeout or unreachable (restarting): 503, and the client retries
    (with an Idempotency-Key a retry is always safe)."""
    log.warning("store unavailable: %s", error)
    return JSONResponse(
        status_code=503,
        content={"detail": "the database is busy or unavailable; try again in a moment", "field": None},
        headers={"Retry-After": "1"},
    )


async def invalid_request(_: Request, error: Exception) -> JSONResponse:
    """Pydantic's refusals keep their list in `detail` and name the first field, as the domain's do."""
    assert isinstance(error, RequestValidationError)
    errors = _finite(jsonable_encoder(error.errors()))
    return JSONResponse(status_code=422, content={"detail": errors, "field": field_name(errors)})


def _finite(value: Any) -> Any:
    """JSON has no NaN or Infinity: a refused `NaN` is echoed back as the string "nan" (found by fuzzing)."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, list):
        return [_finite(item) for item in value]
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    return value


def field_name(errors: list[dict[str, Any]]) -> str | None:
    """`members[0].birth_date`, as the domain spells fields, from pydantic's first error location."""
    loc = list(errors[0]["loc"]) if errors else []
    if loc and loc[0] in ("body", "query", "path", "header"):
        loc = loc[1:]
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else f".{part}" if name else str(part)
    return name or None


def create_app(services: Services | None = None) -> FastAPI:
    """The FastAPI app over the configured stores (`KAPIDA_DB`)."""
    wired = services or bootstrap()
    ctx = ApiContext(wired, Tokens(load_secret(wired.views.database)))
    stop = threading.Event()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        ctx.catch_up()
        worker = threading.Thread(target=_keep_projections_current, args=(ctx, stop), daemon=True)
        worker.start()
        yield
        stop.set()
        worker.join(timeout=5)
        ctx.close()
        if services is None:
            wired.close()

    app = FastAPI(
        title="Kapıda",
        version="0.2.0",
        description="Sosyal hizmet başvuruları, hak sahipleri ve kapıya teslimat. "
        "Sign in with POST /api/auth/login and send the token as 'Authorization: Bearer ...'. "
        "Every state-changing request may carry an 'Idempotency-Key' header: a retry with the same key and "
        "body changes nothing and gets the first answer back (header 'Idempotent-Replayed: true').",
        lifespan=lifespan,
    )
    # Innermost first: keyed commands see uncompressed answers; the size limit and headers wrap everything.
    app.add_middleware(IdempotencyMiddleware, ctx=ctx, busy=STORE_BUSY)
    # The street map (~400 KB of GeoJSON) and plan layouts compress ~8x: it matters on a driver's phone.
    app.add_middleware(GZipMiddleware, minimum_size=2048)
    app.state.kapida = ctx
    app.state.authenticator = Authenticator(ctx.tokens, ctx.account)
    app.add_exception_handler(DomainError, domain_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    for busy in STORE_BUSY:
        app.add_exception_handler(busy, store_busy)
    for router in ROUTERS:
        app.include_router(router)

    @app.get("/caseload", response_class=HTMLResponse, include_in_schema=False)
    def caseload_page() -> str:
        """Aggregate counts only, so the page needs no sign-in (no household can be identified)."""
        rows = ctx.read(lambda db: queries.caseload(db, today_in_istanbul()))
        return _caseload_page(rows)

    mount_pages(app)
    # Outermost (added last): the pages' own policy is set by then, and errors get the headers too.
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders)
    return app


def _caseload_page(rows: list[queries.CaseloadRow]) -> str:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        total = totals[row.programme]
        total[0], total[1], total[2] = total[0] + row.active, total[1] + row.suspended, total[2] + row.pending
    body = "".join(
        f"<tr><td>{html.escape(CATALOGUE[Programme(p)].title_tr)}</td><td>{a}</td><td>{s}</td><td>{w}</td></tr>"
        for p, (a, s, w) in sorted(totals.items())
    )
    return (
        '<!doctype html><html lang="tr"><head><meta charset="utf-8"><title>Kapıda — Vaka yükü</title>'
        "<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.4rem .8rem;text-align:right}"
        "td:first-child{text-align:left}</style>"
        f"</head><body><h1>Kapıda — Vaka yükü ({today_in_istanbul().strftime('%d.%m.%Y')})</h1>"
        "<table><tr><th>Program</th><th>Aktif</th><th>Askıda</th><th>Bekleyen başvuru</th></tr>"
        f"{body}</table><p><a href='/docs'>API belgeleri</a></p></body></html>"
    )
