"""The web app: for now the caseload by programme and area, as JSON and as a Turkish page.

Only aggregate counts are served (no household can be identified) until users, roles and login arrive.
"""

from __future__ import annotations

import html
import threading
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse

from api.bootstrap import Services, bootstrap
from domain.errors import DomainError, InvalidValue
from domain.programmes import CATALOGUE, Programme
from domain.service import today_in_istanbul
from projections import queries

CATCH_UP_SECONDS = 1.0


def _keep_projections_current(services: Services, stop: threading.Event, lock: threading.Lock) -> None:
    """Pull new events into the read models every second; the SQLite recorder cannot push them."""
    while not stop.wait(CATCH_UP_SECONDS):
        with lock:
            services.catch_up()


def create_app(services: Services | None = None) -> FastAPI:
    """The FastAPI app over the configured stores (`KAPIDA_DB`)."""
    wired = services or bootstrap()
    stop = threading.Event()
    lock = threading.Lock()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        with lock:
            wired.catch_up()
        worker = threading.Thread(target=_keep_projections_current, args=(wired, stop, lock), daemon=True)
        worker.start()
        yield
        stop.set()
        worker.join(timeout=5)

    app = FastAPI(title="Kapıda", version="0.1.0", lifespan=lifespan)

    @app.exception_handler(DomainError)
    async def domain_error(_: Request, error: DomainError) -> JSONResponse:
        field = error.field if isinstance(error, InvalidValue) else None
        return JSONResponse(
            status_code=422 if field else 409, content={"detail": error.message, "field": field}
        )

    @app.get("/api/caseload", tags=["caseload"])
    def caseload(
        programme: Programme | None = None,
        district: str | None = None,
        on: Annotated[date | None, Query(description="Day of the caseload; default today")] = None,
    ) -> list[dict[str, Any]]:
        """Active, suspended and waiting households per programme, district and neighbourhood."""
        with lock:
            rows = queries.caseload(wired.views, on or today_in_istanbul(), programme, district)
        return [row.__dict__ for row in rows]

    @app.get("/api/caseload/decisions", tags=["caseload"])
    def decisions(programme: Programme | None = None, district: str | None = None) -> list[dict[str, Any]]:
        """Approvals, rejections and withdrawals per programme, district and month."""
        with lock:
            return [row.__dict__ for row in queries.decisions_by_month(wired.views, programme, district)]

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home() -> str:
        with lock:
            rows = queries.caseload(wired.views, today_in_istanbul())
        return _caseload_page(rows)

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
