"""The web app: the JSON API under `/api` (one router per resource), sign-in, and the caseload page.

Domain refusals become HTTP status codes here and only here: 422 names the field, 404 an unknown id,
409 a conflict or an illegal transition, 403 a role that may not act; their messages are in the request's
language (`api/web_i18n.py`: the user's choice, `Accept-Language`, `KAPIDA_LANG`, Turkish).
"""

from __future__ import annotations

import html
import logging
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
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import web_i18n
from api.bootstrap import Services, bootstrap
from api.formatting import format_date, format_number
from api.hardening import BodyLimit, SecurityHeaders
from api.i18n import Translator
from api.idempotency import IdempotencyMiddleware
from api.pages import mount_pages
from api.routers import ROUTERS
from api.routers.context import ApiContext
from api.security import Authenticator, Tokens, load_secret
from domain.errors import (
    N_,
    Conflict,
    DomainError,
    IllegalTransition,
    InvalidValue,
    NotFound,
    PermissionDenied,
)
from domain.programmes import Programme
from domain.service import today_in_istanbul
from domain.turkish import sort_key
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


async def domain_error(request: Request, error: Exception) -> JSONResponse:
    """Every domain refusal, as `{"detail": message, "field": name-or-null}` in the request's language."""
    assert isinstance(error, DomainError)
    field = error.field if isinstance(error, InvalidValue) else None
    detail = web_i18n.request_translator(request).error(error)
    return JSONResponse(status_code=status_of(error), content={"detail": detail, "field": field})


async def store_busy(request: Request, error: Exception) -> JSONResponse:
    """The event store is busy past its timeout or unreachable (restarting): 503, and the client retries
    (with an Idempotency-Key a retry is always safe)."""
    log.warning("store unavailable: %s", error)
    detail = web_i18n.request_translator(request).gettext(
        N_("the database is busy or unavailable; try again in a moment")
    )
    return JSONResponse(
        status_code=503, content={"detail": detail, "field": None}, headers={"Retry-After": "1"}
    )


async def invalid_request(request: Request, error: Exception) -> JSONResponse:
    """Pydantic's refusals, translated: `detail` says each `field: problem`, `field` names the first."""
    assert isinstance(error, RequestValidationError)
    # pydantic's own list (with NaN made JSON-safe) is replaced by translated `field: problem` texts
    errors: list[dict[str, Any]] = jsonable_encoder(error.errors())
    content = web_i18n.validation_content(errors, web_i18n.request_translator(request))
    return JSONResponse(status_code=422, content=content)


async def http_error(request: Request, error: Exception) -> JSONResponse:
    """FastAPI's own refusals (401 sign in first, 404 no such route) with their text translated."""
    assert isinstance(error, StarletteHTTPException)
    detail = error.detail
    if isinstance(detail, str):
        detail = web_i18n.request_translator(request).gettext(detail)
    return JSONResponse(
        status_code=error.status_code, content={"detail": detail}, headers=dict(error.headers or {})
    )


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
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.middleware("http")(web_i18n.in_request_language)
    for busy in STORE_BUSY:
        app.add_exception_handler(busy, store_busy)
    for router in ROUTERS:
        app.include_router(router)
    app.include_router(web_i18n.router)

    @app.get("/caseload", response_class=HTMLResponse, include_in_schema=False)
    def caseload_page(request: Request) -> str:
        """Aggregate counts only, so the page needs no sign-in (no household can be identified)."""
        rows = ctx.read(lambda db: queries.caseload(db, today_in_istanbul()))
        return _caseload_page(rows, web_i18n.request_translator(request))

    mount_pages(app)
    # Outermost (added last): the pages' own policy is set by then, and errors get the headers too.
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders)
    return app


def _caseload_page(rows: list[queries.CaseloadRow], words: Translator) -> str:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        total = totals[row.programme]
        total[0], total[1], total[2] = total[0] + row.active, total[1] + row.suspended, total[2] + row.pending
    lang = words.lang
    body = "".join(
        f"<tr><td>{html.escape(words.label(Programme(p)))}</td>"
        + "".join(f"<td>{format_number(n, lang)}</td>" for n in counts)
        + "</tr>"
        for p, counts in sorted(totals.items(), key=lambda item: sort_key(words.label(Programme(item[0]))))
    )
    title = f"Kapıda — {html.escape(words.gettext(N_('Caseload')))}"
    headers = "".join(
        f"<th>{html.escape(words.page(key))}</th>"
        for key in ("field.programme", "caseload.active", "caseload.suspended", "caseload.pending")
    )
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        "<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.4rem .8rem;text-align:right}"
        "td:first-child{text-align:left}</style>"
        f"</head><body><h1>{title} ({format_date(today_in_istanbul(), lang)})</h1>"
        f"<table><tr>{headers}</tr>{body}</table>"
        f"<p><a href='/docs'>{html.escape(words.gettext(N_('API documentation')))}</a></p></body></html>"
    )
