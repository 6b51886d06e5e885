"""Browser-test setup: Debian's Chromium (installed with apt-get when missing) and a live seeded server.

The end-to-end test runs only with `KAPIDA_TEST_BROWSER=1`; `playwright` must already be installed (it is
a dev dependency); nothing is pip-installed here, and Playwright's own browsers are never downloaded.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.conftest import REPO_ROOT
from tests.web.city import City, seed_city

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
ARTIFACTS = REPO_ROOT / "test-artifacts"
SERVER_START_TIMEOUT_S = 120


def browser_tests_enabled() -> bool:
    return os.environ.get("KAPIDA_TEST_BROWSER") == "1"


def _apt_get(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["apt-get", *args], capture_output=True, text=True, check=False)


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium; installed with `apt-get install -y chromium` when browser tests are on."""
    if not browser_tests_enabled():
        pytest.skip("browser tests run only with KAPIDA_TEST_BROWSER=1")
    if not CHROMIUM.exists():
        if shutil.which("apt-get") is None:
            pytest.fail("KAPIDA_TEST_BROWSER=1 but /usr/bin/chromium is missing and apt-get is not available")
        if _apt_get("install", "-y", "chromium").returncode != 0:
            _apt_get("update")
            result = _apt_get("install", "-y", "chromium")
            if result.returncode != 0:
                pytest.fail(f"apt-get install -y chromium failed:\n{result.stderr[-2000:]}")
    return CHROMIUM


@dataclass(frozen=True)
class LiveServer:
    """The app served by uvicorn over a fresh seeded database."""

    url: str
    city: City


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[Browser]:
    """Headless Chromium driven by Playwright, one per test module."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("KAPIDA_TEST_BROWSER=1 needs playwright (a dev dependency); browsers are not downloaded")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=list(CHROMIUM_ARGS))
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def live_server(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """uvicorn on a free loopback port, over a new SQLite database holding a small seeded city."""
    folder = tmp_path_factory.mktemp("live")
    database = folder / "kapida.sqlite"
    secret = secrets.token_urlsafe(48)
    with pytest.MonkeyPatch.context() as patch:  # the seeding process keys its read models as the server does
        patch.setenv("KAPIDA_SECRET", secret)
        city = seed_city(database, households=80)
    port = _free_port()
    env = {**os.environ, "KAPIDA_DB": str(database), "KAPIDA_SECRET": secret}
    env.pop("KAPIDA_TILE_URL", None)
    command = [sys.executable, "-m", "uvicorn", "--factory", "api.web:create_app"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "info"]
    server = subprocess.Popen(
        command, cwd=REPO_ROOT, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    assert server.stderr is not None
    watchdog = threading.Timer(SERVER_START_TIMEOUT_S, server.kill)
    watchdog.start()
    log = []
    for line in server.stderr:  # uvicorn says when it accepts connections; no polling, no sleeping
        log.append(line)
        if "Application startup complete" in line:
            break
    watchdog.cancel()
    if server.poll() is not None:
        pytest.fail("uvicorn did not start:\n" + "".join(log[-40:]))
    drain = threading.Thread(target=lambda: [None for _ in server.stderr or ()], daemon=True)
    drain.start()  # keep reading its log so a full pipe never blocks the server
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", city)
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """`test-artifacts/` at the repository root (git-ignored): the browser test's screenshots."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
