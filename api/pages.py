"""The web pages (login, dispatcher, driver, manager): static files served by the API's own app.

Pages are plain HTML with small ES modules; their libraries (Leaflet, Chart.js) are fetched from the npm
registry at install time into `api/static/vendor/` (see `frontend/build.py`), so nothing is loaded from
a CDN. Every page response carries a strict Content-Security-Policy; the only outside origin a page may
reach is the tile server named by `KAPIDA_TILE_URL`, when a deployment configures one.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlsplit
from uuid import UUID

from fastapi import FastAPI, Request, Response
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).resolve().parent / "static"
PAGES = {
    "/": "index.html",
    "/dispatcher": "dispatcher.html",
    "/driver": "driver.html",
    "/manager": "manager.html",
    "/reports": "reports.html",
    "/import": "import.html",
}
HISTORY_PREFIX = "/manager/history/"
CONFIG_PATH = "/page-config.json"
SERVICE_WORKER = "/static/sw.js"
TILE_URL_VARIABLE = "KAPIDA_TILE_URL"
TILE_ATTRIBUTION_VARIABLE = "KAPIDA_TILE_ATTRIBUTION"
OSM_ATTRIBUTION = "© OpenStreetMap contributors"


def tile_origin(tile_url: str) -> str:
    """The scheme and host of a tile URL template such as `https://{s}.tile.example.org/{z}/{x}/{y}.png`."""
    parts = urlsplit(tile_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    # Leaflet's `{s}` subdomain placeholder becomes a CSP wildcard
    return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"


def security_headers(tile_url: str = "") -> dict[str, str]:
    """Headers for every page and static file: no framing, no sniffing, scripts from this origin only."""
    images = " ".join(filter(None, ("'self'", "data:", "blob:", tile_origin(tile_url))))
    policy = "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {images}",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )
    return {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(self), payment=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


def page_config() -> dict[str, str]:
    """What pages may vary per deployment: an optional tile server (empty: draw our own street network)."""
    tile_url = os.environ.get(TILE_URL_VARIABLE, "").strip()
    attribution = os.environ.get(TILE_ATTRIBUTION_VARIABLE, "").strip() or OSM_ATTRIBUTION
    return {"tile_url": tile_url if tile_origin(tile_url) else "", "tile_attribution": attribution}


def _is_page_path(path: str) -> bool:
    return path in PAGES or path == CONFIG_PATH or path.startswith(("/static/", HISTORY_PREFIX))


def mount_pages(app: FastAPI) -> None:
    """Serve `/static/*`, the pages at `/`, `/dispatcher`, `/driver`, `/manager`, `/reports`, a record's
    audit history at `/manager/history/{id}`, and `/page-config.json`."""
    for path, filename in PAGES.items():
        app.add_api_route(path, _page(STATIC / filename), methods=["GET"], include_in_schema=False)
    app.add_api_route(HISTORY_PREFIX + "{aggregate_id}", _history, methods=["GET"], include_in_schema=False)
    app.add_api_route(CONFIG_PATH, _config, methods=["GET"], include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC, check_dir=True), name="static")

    @app.middleware("http")
    async def add_page_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        if _is_page_path(request.url.path):
            for name, value in security_headers(page_config()["tile_url"]).items():
                response.headers.setdefault(name, value)
            if not request.url.path.startswith("/static/"):
                response.headers.setdefault("Cache-Control", "no-cache")
            if request.url.path == SERVICE_WORKER:
                # the worker lives under /static but looks after the driver page at /driver
                response.headers["Service-Worker-Allowed"] = "/driver"
                response.headers["Cache-Control"] = "no-cache"
        return response


def _page(file: Path) -> Callable[[], FileResponse]:
    def page() -> FileResponse:
        return FileResponse(file, media_type="text/html; charset=utf-8")

    page.__name__ = f"page_{file.stem}"
    return page


def _history(aggregate_id: UUID) -> FileResponse:
    """The history page; its script reads the id from the URL (a malformed id is refused with 422)."""
    return FileResponse(STATIC / "history.html", media_type="text/html; charset=utf-8")


def _config() -> JSONResponse:
    return JSONResponse(page_config())
